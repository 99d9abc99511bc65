"""The crew service over gRPC against the real flights and airport services, PostgreSQL and the
Kafka-protocol broker: flights scheduled by the flights service get a legal crew proposed and
announced; answers, replacements, readiness, manual assignment, disruptions and concurrency.

Every test builds its own world: a fresh airport, a fresh aircraft type nobody else is qualified
on, its own planes and its own crew members, so tests never meet each other's crews.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import timedelta
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from airline.airport.v1 import airport_pb2 as apb
from airline.contracts.events import crew as crew_events
from airline.crew import seed as crew_seed
from airline.crew.v1 import crew_pb2 as pb
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform.auth import Role
from airline.platform.db import make_engine
from airline.platform.events import Envelope
from airline.platform.kafka import make_consumer
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.crew import SMALL, CrewWorld, H, dt, eventually, expect, later, soon, ts
from tests.support.factories import plane_id, registration

NOT_FOUND = grpc.StatusCode.NOT_FOUND
FAILED = grpc.StatusCode.FAILED_PRECONDITION
INVALID = grpc.StatusCode.INVALID_ARGUMENT
DENIED = grpc.StatusCode.PERMISSION_DENIED


def holding(fc: pb.FlightCrew) -> list[pb.Assignment]:
    return [a for a in fc.assignments if a.state in ("proposed", "accepted")]


# ------------------------------------------------------------------------------------------


async def test_a_scheduled_flight_gets_a_legal_crew_proposed_and_announced(
    world: CrewWorld, settings: PlatformSettings
) -> None:
    team = await world.full_crew()
    f = await world.flight(soon())
    fc = await world.proposed(f.id, 5)
    assert fc.readiness == "pending" and list(fc.short_roles) == []
    assert fc.aircraft_type == world.type and fc.seats == 68
    assert sorted(a.member_id for a in holding(fc)) == sorted(m.id for m in team)
    for a in fc.assignments:
        assert dt(a.report_at) == dt(f.estimated_departure) - H
        assert dt(a.release_at) == dt(f.estimated_arrival) + timedelta(minutes=30)
        assert a.source == "auto"
    # each member is told, in their own notifications and by an event for the notification service
    for m in team:
        notes = await world.crew.MyNotifications(pb.MyNotificationsRequest(), metadata=world.me(m))
        assert any(n.kind == "assigned" and f.number in n.message for n in notes.notifications)
    # earliest offsets: the events were published before this consumer joined
    consumer = make_consumer(
        settings.kafka_bootstrap_servers or "",
        f"crew-test-{uuid.uuid4().hex[:8]}",
        crew_events.CREW_ASSIGNED.topic,
        session_timeout_ms=6000,
    )
    await consumer.start()
    payloads: list[dict[str, Any]] = []
    try:
        async with asyncio.timeout(60):
            while len(payloads) < len(team):
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    payloads += [
                        e.payload for e in map(Envelope.from_json, (r.value for r in records)) if e.key == f.id
                    ]
    finally:
        await consumer.stop()
    assert sorted(p["member_id"] for p in payloads) == sorted(m.id for m in team)
    assert all(p["flight"]["number"] == f.number and p["report_at"] and p["email"] for p in payloads)


async def test_decline_gets_a_replacement_and_when_nobody_is_left_readiness_names_the_short_role(
    world: CrewWorld,
) -> None:
    team = await world.full_crew(extra={"captain": 1})
    f = await world.flight(soon())
    fc = await world.proposed(f.id, 5)
    by_member = {a.member_id: a for a in holding(fc)}
    captain = next(a for a in holding(fc) if a.role == "captain")
    spare = next(m for m in team if m.role == "captain" and m.id != captain.member_id)
    someone_else = next(m for m in team if m.id != captain.member_id)

    # nobody answers for another member, nor declines without a reason
    await expect(
        NOT_FOUND,
        world.crew.AnswerAssignment(
            pb.AnswerAssignmentRequest(assignment_id=captain.id, accept=False, reason="not mine"),
            metadata=world.me(someone_else),
        ),
    )
    await expect(
        INVALID,
        world.crew.AnswerAssignment(
            pb.AnswerAssignmentRequest(assignment_id=captain.id, accept=False),
            metadata=world.me(world.members[captain.member_id]),
        ),
    )

    declined = await world.crew.AnswerAssignment(
        pb.AnswerAssignmentRequest(assignment_id=captain.id, accept=False, reason="family matters"),
        metadata=world.me(world.members[captain.member_id]),
    )
    assert declined.state == "declined" and declined.answer_reason == "family matters"
    fc = await world.crew_of(f.id)
    replacement = [a for a in holding(fc) if a.role == "captain"]
    assert [a.member_id for a in replacement] == [spare.id]
    notes = await world.crew.MyNotifications(pb.MyNotificationsRequest(), metadata=world.me(spare))
    assert any(n.assignment_id == replacement[0].id and n.kind == "assigned" for n in notes.notifications)

    # everyone else accepts: only the spare captain's answer is pending
    for member_id, a in by_member.items():
        if a.role != "captain":
            ok = await world.crew.AnswerAssignment(
                pb.AnswerAssignmentRequest(assignment_id=a.id, accept=True), metadata=world.me(world.members[member_id])
            )
            assert ok.state == "accepted"
    assert (await world.crew_of(f.id)).readiness == "pending"
    # the spare declines too: no captain is left, and readiness says so
    await world.crew.AnswerAssignment(
        pb.AnswerAssignmentRequest(assignment_id=replacement[0].id, accept=False, reason="sick"),
        metadata=world.me(spare),
    )
    fc = await world.crew_of(f.id)
    assert fc.readiness == "short" and list(fc.short_roles) == ["captain"]
    assert {r.role: r.short for r in fc.roles}["captain"] == 1
    # a declined answer cannot be turned into an acceptance behind ops' back
    await expect(
        FAILED,
        world.crew.AnswerAssignment(
            pb.AnswerAssignmentRequest(assignment_id=captain.id, accept=True),
            metadata=world.me(world.members[captain.member_id]),
        ),
    )

    # ops assigns the first captain again by hand; once they accept, the crew is complete
    fc = await world.crew.AssignMember(
        pb.AssignMemberRequest(flight_id=f.id, member_id=captain.member_id), metadata=world.ops
    )
    again = next(a for a in holding(fc) if a.role == "captain")
    assert again.source == "manual"
    await world.crew.AnswerAssignment(
        pb.AnswerAssignmentRequest(assignment_id=again.id, accept=True),
        metadata=world.me(world.members[captain.member_id]),
    )
    assert (await world.crew_of(f.id)).readiness == "complete"
    mine = await world.crew.MyAssignments(pb.MyAssignmentsRequest(), metadata=world.me(spare))
    assert [a.state for a in mine.assignments if a.flight_id == f.id] == ["declined"]


async def test_members_on_leave_or_short_of_rest_are_never_proposed(world: CrewWorld) -> None:
    team = await world.full_crew()
    on_leave = await world.member("captain", "On Leave")
    tired = await world.member("captain", "Tired")
    first = await world.flight(later(30))
    # the tired captain flies out earlier that day (assigned by hand while still legal): released
    # 7 h 30 before the next report, away from home, where the next flight does not leave from
    dep = dt(first.estimated_departure)
    out_flight = await world.flight(dep - 10 * H, minutes=60, gate="G2")
    fc = await world.crew.AssignMember(
        pb.AssignMemberRequest(flight_id=out_flight.id, member_id=tired.id), metadata=world.ops
    )
    assert [a.member_id for a in holding(fc)] == [tired.id]
    await world.crew.SetAvailability(
        pb.SetAvailabilityRequest(
            member_id=on_leave.id,
            absences=[pb.Absence(kind="leave", starts_at=ts(dep - 48 * H), ends_at=ts(dep + 48 * H), note="holiday")],
        ),
        metadata=world.ops,
    )
    fc = await world.crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=first.id), metadata=world.ops)
    chosen = {a.member_id for a in holding(fc)}
    assert on_leave.id not in chosen and tired.id not in chosen
    assert chosen == {m.id for m in team}

    # and a hand assignment of the member on leave needs an override reason, which is recorded
    await world.crew.RemoveMember(
        pb.RemoveMemberRequest(
            flight_id=first.id, member_id=next(m.id for m in team if m.role == "captain"), reason="swap"
        ),
        metadata=world.ops,
    )
    details = await expect(
        FAILED,
        world.crew.AssignMember(pb.AssignMemberRequest(flight_id=first.id, member_id=on_leave.id), metadata=world.ops),
    )
    assert "unavailable" in details and "leave" in details
    fc = await world.crew.AssignMember(
        pb.AssignMemberRequest(
            flight_id=first.id, member_id=on_leave.id, override_reason="came back early, agreed by phone"
        ),
        metadata=world.ops,
    )
    a = next(a for a in holding(fc) if a.member_id == on_leave.id)
    assert a.override_reason == "came back early, agreed by phone" and [v.rule for v in a.violations] == ["unavailable"]
    # the tired captain cannot be double-booked even with an override
    clash = await world.flight(dep - 10 * H + 30 * timedelta(minutes=1), minutes=60, gate="G3")
    await expect(
        FAILED,
        world.crew.AssignMember(
            pb.AssignMemberRequest(flight_id=clash.id, member_id=tired.id, override_reason="please"), metadata=world.ops
        ),
    )


async def test_rest_rule_through_the_service(world: CrewWorld) -> None:
    """A captain back home from an earlier duty is proposed with exactly 12 h rest, not 11 h 59."""
    await world.full_crew()
    captain2 = await world.member("captain", "Returning")
    # an away-based flight brings captain2 home: we make it by creating a flight away -> home on a
    # plane based away
    away_plane = plane_id("C")
    await world.airport.CreatePlane(
        apb.CreatePlaneRequest(
            id=away_plane, registration=registration(), aircraft_type=world.type, home_airport=world.away, layout=SMALL
        ),
        metadata=world.ops,
    )
    start = later(40)
    inbound = await world.flights.CreateFlight(
        fpb.CreateFlightRequest(
            number=f"CI{random.randint(1, 9999)}",
            origin=world.away,
            destination=world.home,
            departure=ts(start),
            duration_minutes=60,
            plane_id=away_plane,
            gate="G1",
        ),
        metadata=world.ops,
    )
    # captain2 is based at home, so flying away -> home needs an override (location)
    await world.crew.AssignMember(
        pb.AssignMemberRequest(flight_id=inbound.id, member_id=captain2.id, override_reason="positioned by road"),
        metadata=world.ops,
    )
    release = start + H + timedelta(minutes=30)
    ok = await world.flight(release + 12 * H + H, gate="G2")  # report exactly 12 h after release
    tight = await world.flight(release + 12 * H + H - timedelta(minutes=1), gate="G3")
    fc_tight = await world.crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=tight.id), metadata=world.ops)
    assert captain2.id not in {a.member_id for a in holding(fc_tight)}
    # free the other captain so the choice on `ok` is captain2 or nobody
    other = next(a.member_id for a in holding(fc_tight) if a.role == "captain")
    await world.crew.SetAvailability(
        pb.SetAvailabilityRequest(
            member_id=other, absences=[pb.Absence(kind="training", starts_at=ts(release), ends_at=ts(release + 48 * H))]
        ),
        metadata=world.ops,
    )
    fc_ok = await world.crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=ok.id), metadata=world.ops)
    assert [a.member_id for a in holding(fc_ok) if a.role == "captain"] == [captain2.id]
    # the training window reached `tight`'s duty: that captain was withdrawn, and nobody else is legal
    fc_tight = await world.crew_of(tight.id)
    assert fc_tight.readiness == "short" and "captain" in fc_tight.short_roles


async def test_two_flights_proposed_at_once_never_share_a_member(world: CrewWorld) -> None:
    await world.full_crew(extra={"flight_attendant": 1})  # enough for one crew, not two
    dep = later(50)
    a = await world.flight(dep, gate="G1")
    b = await world.flight(dep + timedelta(minutes=20), gate="G2")
    fa, fb = await asyncio.gather(
        world.crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=a.id), metadata=world.ops),
        world.crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=b.id), metadata=world.ops),
    )
    ma, mb = {x.member_id for x in holding(fa)}, {x.member_id for x in holding(fb)}
    assert not ma & mb
    assert len(ma | mb) == 6  # every member was used once
    assert "short" in (fa.readiness, fb.readiness)


async def test_delay_moves_duties_and_cancellation_frees_members(world: CrewWorld) -> None:
    team = await world.full_crew()
    f = await world.flight(soon(20))
    await world.proposed(f.id, 5)
    new_dep = dt(f.estimated_departure) + 2 * H
    await world.flights.DelayFlight(
        fpb.DelayFlightRequest(flight_id=f.id, new_departure=ts(new_dep), delay_code="93", reason="late inbound"),
        metadata=world.ops,
    )

    async def moved() -> pb.FlightCrew | None:
        fc = await world.crew_of(f.id)
        return fc if all(dt(a.report_at) == new_dep - H for a in holding(fc)) and len(holding(fc)) == 5 else None

    await eventually(moved)
    notes = await world.crew.MyNotifications(pb.MyNotificationsRequest(), metadata=world.me(team[0]))
    assert any(n.kind == "changed" for n in notes.notifications)

    await world.flights.CancelFlight(fpb.CancelFlightRequest(flight_id=f.id, reason="strike"), metadata=world.ops)

    async def freed() -> pb.FlightCrew | None:
        fc = await world.crew_of(f.id)
        return fc if fc.flight_status == "cancelled" and not holding(fc) else None

    fc = await eventually(freed)
    assert {a.state for a in fc.assignments} == {"cancelled"}
    # the members are free again: a new flight at the same time gets them
    g = await world.flight(new_dep + timedelta(minutes=10), gate="G2")
    fc = await world.proposed(g.id, 5)
    assert {a.member_id for a in holding(fc)} == {m.id for m in team}


async def test_roles(world: CrewWorld, as_role) -> None:  # type: ignore[no-untyped-def]
    m = await world.member("purser")
    for role in (Role.PASSENGER, Role.CREW, Role.AGENT):
        await expect(DENIED, world.crew.ListMembers(pb.ListMembersRequest(), metadata=as_role(role)))
        await expect(DENIED, world.crew.GetRoster(pb.GetRosterRequest(), metadata=as_role(role)))
    await expect(grpc.StatusCode.UNAUTHENTICATED, world.crew.ListMembers(pb.ListMembersRequest()))
    await expect(
        DENIED,
        world.crew.CreateMember(
            pb.CreateMemberRequest(name="x", role="captain", qualifications=["A"], home_base="XSP"),
            metadata=as_role(Role.CREW),
        ),
    )
    # a crew member sees their own record, not someone else's
    other = await world.member("purser")
    assert (await world.crew.GetMember(pb.GetMemberRequest(id=m.id), metadata=world.me(m))).id == m.id
    await expect(NOT_FOUND, world.crew.GetMember(pb.GetMemberRequest(id=other.id), metadata=world.me(m)))
    # a crew account with no member record
    await expect(NOT_FOUND, world.crew.MyAssignments(pb.MyAssignmentsRequest(), metadata=as_role(Role.CREW)))
    # bad input
    await expect(
        INVALID,
        world.crew.CreateMember(
            pb.CreateMemberRequest(name="x", role="pilot", qualifications=["A"], home_base="XSP"), metadata=world.ops
        ),
    )
    await expect(
        INVALID,
        world.crew.CreateMember(
            pb.CreateMemberRequest(name="x", role="captain", qualifications=[], home_base="XSP"), metadata=world.ops
        ),
    )
    await expect(
        FAILED,
        world.crew.CreateMember(
            pb.CreateMemberRequest(name="x", role="captain", qualifications=["A"], home_base="XSP", user_id=m.user_id),
            metadata=world.ops,
        ),
    )
    await expect(
        NOT_FOUND, world.crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=str(uuid.uuid4())), metadata=world.ops)
    )


async def test_demo_seed_is_idempotent(world: CrewWorld) -> None:
    admin = (("authorization", dict(world.as_role(Role.ADMIN))["authorization"]),)
    await crew_seed.seed(world.crew, admin)
    assert await crew_seed.seed(world.crew, admin) == 0
    members = (await world.crew.ListMembers(pb.ListMembersRequest(home_base="XSP"), metadata=admin)).members
    emails = {m.email for m in members}
    assert {e for _, _, e in crew_seed.demo_members()} <= emails


async def test_the_job_proposes_for_flights_in_the_horizon_left_without_crew(
    world: CrewWorld, services: dict[str, RunningService], settings: PlatformSettings
) -> None:
    if "crew" not in services:
        pytest.skip("needs the platform's crew service")
    f = await world.flight(soon(40))  # nobody qualified exists yet: the consumer proposes no one
    engine = make_engine(settings.database_url, pool_size=1)
    try:

        async def copied() -> bool:
            async with engine.connect() as conn:
                return (
                    await conn.execute(sa.text("select 1 from crew.flights where id = :i"), {"i": f.id})
                ).first() is not None

        await eventually(copied)  # only the consumer writes it here: the flight event was handled
    finally:
        await engine.dispose()
    assert not (await world.crew_of(f.id)).assignments
    job = services["crew"].parts.service  # type: ignore[attr-defined]
    # a solve that left the flight short is not repeated while nothing it reads changes (the
    # background job may already have run it: then the first call skips too)
    for _ in range(5):
        if await job.propose_due() == 0:
            break
    else:
        pytest.fail("the job solved again and again although nothing it reads had changed")
    team = await world.full_crew()  # new members: the next run solves again
    await job.propose_due()
    fc = await world.crew_of(f.id)
    assert {a.member_id for a in holding(fc)} == {m.id for m in team}
    assert {a.source for a in fc.assignments} == {"auto"}
