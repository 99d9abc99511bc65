"""Crew: the crew member's own assignments and answers (crew), the roster, availability and
each flight's crew and readiness (ops) — the crew service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from airline.crew.v1 import crew_pb2 as pb
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.crew_schema import (
    Assignment,
    AvailabilityIn,
    Crew_,
    CrewRoleName,
    Id,
    Member,
    MemberIn,
    Members,
    Text,
)
from airline.gateway.params import CrewOnly, DateTimeIn, OpsOnly, airport_query, upper_or_empty
from airline.gateway.problems import error_responses

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py


class MyAssignments(BaseModel):
    member: Member
    assignments: list[Assignment]


class Notification(BaseModel):
    id: str
    assignment_id: str | None
    kind: str = Field(examples=["assigned"])
    message: str
    created_at: datetime | None


class Notifications(BaseModel):
    notifications: list[Notification]


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class RoleStatus(BaseModel):
    role: CrewRoleName
    required: int
    accepted: int
    proposed: int
    short: int


class FlightCrew(BaseModel):
    flight_id: str
    flight_number: str
    flight_status: str
    aircraft_type: str
    seats: int
    readiness: Literal["complete", "pending", "short"] = Field(
        description="complete: every seat accepted; pending: answers outstanding; short: some role lacks anyone"
    )
    short_roles: list[CrewRoleName]
    roles: list[RoleStatus]
    assignments: list[Assignment]

    @classmethod
    def of(cls, f: pb.FlightCrew) -> FlightCrew:
        return cls(
            flight_id=f.flight_id,
            flight_number=f.flight_number,
            flight_status=f.flight_status,
            aircraft_type=f.aircraft_type,
            seats=f.seats,
            readiness=f.readiness,  # type: ignore[arg-type]
            short_roles=list(f.short_roles),  # type: ignore[arg-type]
            roles=[
                RoleStatus(role=r.role, required=r.required, accepted=r.accepted, proposed=r.proposed, short=r.short)  # type: ignore[arg-type]
                for r in f.roles
            ],
            assignments=[Assignment.of(a) for a in f.assignments],
        )


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member_id: Annotated[str, Field(min_length=1, max_length=64)]
    override_reason: Text = Field(default="", description="required to assign someone the crew rules refuse")


class RosterEntry(BaseModel):
    member: Member
    assignments: list[Assignment]


class Roster(BaseModel):
    entries: list[RosterEntry]


# --- the crew member ------------------------------------------------------------------------


@router.get(
    "/crew/me/assignments",
    response_model=MyAssignments,
    tags=["crew"],
    summary="My assignments and schedule (crew)",
    responses=error_responses(401, 403, 404),
)
async def my_assignments(
    crew: Crew_, _: CrewOnly, include_past: Annotated[bool, Query(description="also duties that ended")] = False
) -> MyAssignments:
    reply = await crew.MyAssignments(pb.MyAssignmentsRequest(include_past=include_past))
    return MyAssignments(member=Member.of(reply.member), assignments=[Assignment.of(a) for a in reply.assignments])


@router.get(
    "/crew/me/notifications",
    response_model=Notifications,
    tags=["crew"],
    summary="My crew notifications (crew)",
    responses=error_responses(401, 403, 404),
)
async def my_notifications(crew: Crew_, _: CrewOnly) -> Notifications:
    reply = await crew.MyNotifications(pb.MyNotificationsRequest())
    return Notifications(
        notifications=[
            Notification(
                id=n.id,
                assignment_id=n.assignment_id or None,
                kind=n.kind,
                message=n.message,
                created_at=timestamp_out(n, "created_at"),
            )
            for n in reply.notifications
        ]
    )


@router.post(
    "/crew/assignments/{assignment_id}/accept",
    response_model=Assignment,
    tags=["crew"],
    summary="Accept one of my assignments (crew)",
    responses=error_responses(401, 403, 404, 409),
)
async def accept(assignment_id: Id, crew: Crew_, _: CrewOnly) -> Assignment:
    return Assignment.of(
        await crew.AnswerAssignment(pb.AnswerAssignmentRequest(assignment_id=assignment_id, accept=True))
    )


@router.post(
    "/crew/assignments/{assignment_id}/decline",
    response_model=Assignment,
    tags=["crew"],
    summary="Decline one of my assignments, saying why (crew); a replacement is proposed",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def decline(assignment_id: Id, body: DeclineIn, crew: Crew_, _: CrewOnly) -> Assignment:
    return Assignment.of(
        await crew.AnswerAssignment(
            pb.AnswerAssignmentRequest(assignment_id=assignment_id, accept=False, reason=body.reason)
        )
    )


# --- ops ------------------------------------------------------------------------------------


@router.get(
    "/crew/members",
    response_model=Members,
    tags=["crew"],
    summary="Crew members (ops)",
    responses=error_responses(401, 403, 422),
)
async def list_members(
    crew: Crew_, _: OpsOnly, role: CrewRoleName | None = None, home_base: Annotated[str | None, airport_query()] = None
) -> Members:
    reply = await crew.ListMembers(pb.ListMembersRequest(role=role or "", home_base=upper_or_empty(home_base)))
    return Members(members=[Member.of(m) for m in reply.members])


@router.post(
    "/crew/members",
    status_code=201,
    response_model=Member,
    tags=["crew"],
    summary="Add a crew member (ops)",
    responses=error_responses(401, 403, 409, 422),
)
async def create_member(body: MemberIn, crew: Crew_, _: OpsOnly) -> Member:
    return Member.of(
        await crew.CreateMember(
            pb.CreateMemberRequest(
                name=body.name,
                role=body.role,
                qualifications=body.qualifications,
                home_base=body.home_base.upper(),
                email=body.email,
                phone=body.phone,
                user_id=body.user_id,
            )
        )
    )


@router.get(
    "/crew/members/{member_id}",
    response_model=Member,
    tags=["crew"],
    summary="One crew member (ops)",
    responses=error_responses(401, 403, 404),
)
async def get_member(member_id: Id, crew: Crew_, _: OpsOnly) -> Member:
    return Member.of(await crew.GetMember(pb.GetMemberRequest(id=member_id)))


@router.put(
    "/crew/members/{member_id}/availability",
    response_model=Member,
    tags=["crew"],
    summary="Set a member's leave, sickness and training windows (ops); duties they touch are re-crewed",
    responses=error_responses(401, 403, 404, 422),
)
async def set_availability(member_id: Id, body: AvailabilityIn, crew: Crew_, _: OpsOnly) -> Member:
    return Member.of(
        await crew.SetAvailability(
            pb.SetAvailabilityRequest(
                member_id=member_id,
                absences=[
                    pb.Absence(
                        kind=a.kind, starts_at=timestamp_in(a.starts_at), ends_at=timestamp_in(a.ends_at), note=a.note
                    )
                    for a in body.absences
                ],
            )
        )
    )


@router.get(
    "/crew/roster",
    response_model=Roster,
    tags=["crew"],
    summary="The roster: every member's duties (ops)",
    responses=error_responses(401, 403, 422),
)
async def roster(
    crew: Crew_,
    _: OpsOnly,
    from_: Annotated[DateTimeIn | None, Query(alias="from")] = None,
    to: Annotated[DateTimeIn | None, Query()] = None,
) -> Roster:
    request = pb.GetRosterRequest()
    if from_ is not None:
        getattr(request, "from").CopyFrom(timestamp_in(from_))
    if to is not None:
        request.to.CopyFrom(timestamp_in(to))
    reply = await crew.GetRoster(request)
    return Roster(
        entries=[
            RosterEntry(member=Member.of(e.member), assignments=[Assignment.of(a) for a in e.assignments])
            for e in reply.entries
        ]
    )


@router.post(
    "/flights/{flight_id}/crew/propose",
    response_model=FlightCrew,
    tags=["crew"],
    summary="Propose a legal crew for the roles the flight still lacks (ops)",
    responses=error_responses(401, 403, 404, 409),
)
async def propose(flight_id: Id, crew: Crew_, _: OpsOnly) -> FlightCrew:
    return FlightCrew.of(await crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=flight_id)))


@router.get(
    "/flights/{flight_id}/crew",
    response_model=FlightCrew,
    tags=["crew"],
    summary="A flight's crew and readiness (ops)",
    responses=error_responses(401, 403, 404),
)
async def flight_crew(flight_id: Id, crew: Crew_, _: OpsOnly) -> FlightCrew:
    return FlightCrew.of(await crew.GetFlightCrew(pb.GetFlightCrewRequest(flight_id=flight_id)))


@router.post(
    "/flights/{flight_id}/crew",
    response_model=FlightCrew,
    tags=["crew"],
    summary="Assign a member by hand (ops); breaking a crew rule needs an override_reason",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def assign(flight_id: Id, body: AssignIn, crew: Crew_, _: OpsOnly) -> FlightCrew:
    return FlightCrew.of(
        await crew.AssignMember(
            pb.AssignMemberRequest(flight_id=flight_id, member_id=body.member_id, override_reason=body.override_reason)
        )
    )


@router.delete(
    "/flights/{flight_id}/crew/{member_id}",
    response_model=FlightCrew,
    tags=["crew"],
    summary="Remove a member from the flight (ops)",
    responses=error_responses(401, 403, 404),
)
async def remove(
    flight_id: Id, member_id: Id, crew: Crew_, _: OpsOnly, reason: Annotated[str, Query(max_length=500)] = ""
) -> FlightCrew:
    return FlightCrew.of(
        await crew.RemoveMember(pb.RemoveMemberRequest(flight_id=flight_id, member_id=member_id, reason=reason))
    )
