"""Maps crew protos to use cases and back; role checks live in the use cases."""

from __future__ import annotations

from typing import Any

import grpc

from airline.crew.roster_gen import PairingView, RosterRun
from airline.crew.service import CrewService
from airline.crew.v1 import crew_pb2 as pb
from airline.crew.v1 import crew_pb2_grpc as pb_grpc
from airline.crew.views import FlightCrewView, MemberView
from airline.platform.protobuf import fields_to_message, optional_time, required_time, timestamp


def member_pb(v: MemberView) -> pb.Member:
    r = v.row
    return pb.Member(
        id=r.id,
        user_id=r.user_id or "",
        name=r.name,
        role=r.role,
        qualifications=list(r.qualifications),
        home_base=r.home_base,
        email=r.email,
        phone=r.phone,
        active=r.active,
        absences=[
            pb.Absence(kind=a.kind, starts_at=timestamp(a.starts_at), ends_at=timestamp(a.ends_at), note=a.note)
            for a in v.absences
        ],
    )


def assignment_pb(a: Any) -> pb.Assignment:
    return pb.Assignment(
        **fields_to_message(pb.Assignment, a),
        violations=[pb.Violation(rule=v["rule"], message=v["message"]) for v in a.violations],
    )


def flight_crew_pb(v: FlightCrewView) -> pb.FlightCrew:
    return pb.FlightCrew(
        flight_id=v.flight.id,
        flight_number=v.flight.number,
        aircraft_type=v.flight.aircraft_type,
        seats=v.flight.seats,
        readiness=v.readiness,
        short_roles=v.short_roles,
        flight_status=v.flight.status,
        roles=[
            pb.RoleStatus(
                role=s.role.value, required=s.required, accepted=s.accepted, proposed=s.proposed, short=s.short
            )
            for s in v.roles
        ],
        assignments=[assignment_pb(a) for a in v.assignments],
    )


def roster_run_pb(run: RosterRun) -> pb.GenerateRosterResponse:
    return pb.GenerateRosterResponse(
        dry_run=run.dry_run,
        proposed=run.proposed,
        flights_short=sum(1 for f in run.flights if f.uncovered),
        solver_seconds=run.seconds,
        solver_status=run.status,
        flights=[
            pb.RosterFlight(
                flight_id=f.flight.id,
                flight_number=f.flight.number,
                origin=f.flight.origin,
                destination=f.flight.destination,
                departure=timestamp(f.flight.departure),
                readiness=f.readiness,
                kept=f.kept,
                picked=[pb.RosterPick(member_id=m, member_name=n, role=r.value) for m, n, r in f.picked],
                uncovered=[pb.UncoveredRole(role=r.value, missing=n, reason=why) for r, n, why in f.uncovered],
            )
            for f in run.flights
        ],
    )


def pairing_pb(v: PairingView) -> pb.Pairing:
    return pb.Pairing(
        report_at=timestamp(v.pairing.report_at),
        release_at=timestamp(v.pairing.release_at),
        nights_away=v.pairing.nights_away,
        returns_home=v.pairing.returns_home,
        duty_periods=[
            pb.DutyPeriod(
                report_at=timestamp(p.period.report_at),
                release_at=timestamp(p.period.release_at),
                fdp_hours=round(p.period.fdp.total_seconds() / 3600, 2),
                fdp_limit_hours=round(p.fdp_limit.total_seconds() / 3600, 2),
                sectors=[assignment_pb(a) for a in p.sectors],
            )
            for p in v.periods
        ],
    )


class CrewApi(pb_grpc.CrewServiceServicer):
    def __init__(self, service: CrewService) -> None:
        self.service = service

    async def CreateMember(self, request: pb.CreateMemberRequest, context: grpc.aio.ServicerContext) -> pb.Member:
        return member_pb(
            await self.service.create_member(
                request.name,
                request.role,
                list(request.qualifications),
                request.home_base,
                request.email,
                request.phone,
                request.user_id,
            )
        )

    async def ListMembers(
        self, request: pb.ListMembersRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListMembersResponse:
        views = await self.service.list_members(request.role, request.home_base)
        return pb.ListMembersResponse(members=[member_pb(v) for v in views])

    async def GetMember(self, request: pb.GetMemberRequest, context: grpc.aio.ServicerContext) -> pb.Member:
        return member_pb(await self.service.get_member(request.id))

    async def SetAvailability(self, request: pb.SetAvailabilityRequest, context: grpc.aio.ServicerContext) -> pb.Member:
        windows = [
            (a.kind, required_time(a, "starts_at"), required_time(a, "ends_at"), a.note) for a in request.absences
        ]
        return member_pb(await self.service.set_availability(request.member_id, windows))

    async def GetRoster(self, request: pb.GetRosterRequest, context: grpc.aio.ServicerContext) -> pb.GetRosterResponse:
        entries = await self.service.roster(optional_time(request, "from"), optional_time(request, "to"))
        return pb.GetRosterResponse(
            entries=[
                pb.RosterEntry(member=member_pb(m), assignments=[assignment_pb(a) for a in rows]) for m, rows in entries
            ]
        )

    async def GenerateRoster(
        self, request: pb.GenerateRosterRequest, context: grpc.aio.ServicerContext
    ) -> pb.GenerateRosterResponse:
        run = await self.service.generate_roster(
            optional_time(request, "from"), optional_time(request, "to"), request.dry_run, request.base
        )
        return roster_run_pb(run)

    async def MyPairings(
        self, request: pb.MyPairingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.MyPairingsResponse:
        me, pairings = await self.service.my_pairings(request.include_past)
        return pb.MyPairingsResponse(member=member_pb(me), pairings=[pairing_pb(p) for p in pairings])

    async def ProposeCrew(self, request: pb.ProposeCrewRequest, context: grpc.aio.ServicerContext) -> pb.FlightCrew:
        return flight_crew_pb(await self.service.propose_crew(request.flight_id))

    async def GetFlightCrew(self, request: pb.GetFlightCrewRequest, context: grpc.aio.ServicerContext) -> pb.FlightCrew:
        return flight_crew_pb(await self.service.flight_crew(request.flight_id))

    async def AssignMember(self, request: pb.AssignMemberRequest, context: grpc.aio.ServicerContext) -> pb.FlightCrew:
        return flight_crew_pb(await self.service.assign(request.flight_id, request.member_id, request.override_reason))

    async def RemoveMember(self, request: pb.RemoveMemberRequest, context: grpc.aio.ServicerContext) -> pb.FlightCrew:
        return flight_crew_pb(await self.service.remove(request.flight_id, request.member_id, request.reason))

    async def MyAssignments(
        self, request: pb.MyAssignmentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.MyAssignmentsResponse:
        me, rows = await self.service.my_assignments(request.include_past)
        return pb.MyAssignmentsResponse(member=member_pb(me), assignments=[assignment_pb(a) for a in rows])

    async def AnswerAssignment(
        self, request: pb.AnswerAssignmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Assignment:
        return assignment_pb(await self.service.answer(request.assignment_id, request.accept, request.reason))

    async def MyNotifications(
        self, request: pb.MyNotificationsRequest, context: grpc.aio.ServicerContext
    ) -> pb.MyNotificationsResponse:
        rows = await self.service.my_notifications()
        return pb.MyNotificationsResponse(
            notifications=[
                pb.Notification(
                    id=str(n.id),
                    assignment_id=n.assignment_id or "",
                    kind=n.kind,
                    message=n.message,
                    created_at=timestamp(n.created_at),
                )
                for n in rows
            ]
        )
