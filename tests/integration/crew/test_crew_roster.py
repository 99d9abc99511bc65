"""Roster generation through the gateway (real HTTP) and gRPC, against the running crew,
flights and airport services: a week of out-and-backs is crewed by one solver run (every
flight "pending", none "short"), a dry run writes nothing, a decline re-solves only the flights
it touches, and the crew member sees their pairings. (The seed's own week, its crew and one
roster run, is `airline simulate --scene week`: tests/e2e/test_simulate_week.py.)

The world is fresh (its own airports, an aircraft type nobody else flies, its own members) and
the run is limited to its home base, so other tests' flights and crews never take part.
"""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from airline.crew.v1 import crew_pb2 as pb
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform.settings import SERVICES
from tests.support.crew import CrewWorld, dt, ts
from tests.support.http import assert_problem

pytestmark = pytest.mark.skipif("crew" not in SERVICES, reason="the gateway reaches crew once it is a platform service")

DAYS = 7
# (outbound departure, minutes after 00:00 UTC, block minutes; the same for the return):
# 08:30 and 10:00 at a UTC+8 base
TRIPS = ((30, 120, 240, 120), (120, 120, 330, 120))
TEAM = {"captain": 4, "first_officer": 3, "purser": 3, "flight_attendant": 6}  # 68 seats: 2 attendants


def bearer(metadata: Any) -> dict[str, str]:
    return {"Authorization": dict(metadata)["authorization"]}


def number() -> str:
    return f"R{random.choice(string.ascii_uppercase)}{random.randint(1, 9999)}"


async def week_of_round_trips(
    world: CrewWorld,
    first: datetime,
    trips_a_day: tuple[tuple[int, int, int, int], ...] = TRIPS,
    planes: list[str] | None = None,
) -> list[tuple[fpb.Flight, fpb.Flight]]:
    planes = planes or [await world.plane() for _ in trips_a_day]
    trips = []
    for day in range(DAYS):
        for k, (plane, (out_at, out_min, back_at, back_min)) in enumerate(zip(planes, trips_a_day, strict=True)):
            base = first + timedelta(days=day)
            legs = []
            for origin, destination, at, minutes in (
                (world.home, world.away, out_at, out_min),
                (world.away, world.home, back_at, back_min),
            ):
                legs.append(
                    await world.flights.CreateFlight(
                        fpb.CreateFlightRequest(
                            number=number(),
                            origin=origin,
                            destination=destination,
                            departure=ts(base + timedelta(minutes=at)),
                            duration_minutes=minutes,
                            plane_id=plane,
                            gate=f"G{k + 1}",  # one gate per plane (the world's airports have 3)
                        ),
                        metadata=world.ops,
                    )
                )
            trips.append((legs[0], legs[1]))
    return trips


def holding(fc: pb.FlightCrew) -> set[tuple[str, str]]:
    return {(a.member_id, a.role) for a in fc.assignments if a.state in ("proposed", "accepted")}


async def test_a_week_is_rostered_in_one_run_and_a_decline_moves_only_its_flights(
    api: httpx.AsyncClient, world: CrewWorld, as_role
) -> None:  # type: ignore[no-untyped-def]
    for role, n in TEAM.items():
        for _ in range(n):
            await world.member(role)
    first = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=random.randint(200, 380)
    )
    trips = await week_of_round_trips(world, first)
    flights = [leg for trip in trips for leg in trip]
    ops = bearer(world.ops)
    body = {"from": first.isoformat(), "to": (first + timedelta(days=DAYS)).isoformat(), "base": world.home}
    for f in flights:  # crew learns of each flight from the flights events
        await world.crew_of(f.id)

    # a dry run answers for every flight and writes nothing
    r = await api.post("/api/v1/crew/roster", headers=ops, json={**body, "dry_run": True})
    assert r.status_code == 200, r.text
    dry = r.json()
    assert dry["dry_run"] is True and dry["flights_short"] == 0
    assert {f["flight_id"] for f in dry["flights"]} == {f.id for f in flights}
    assert dry["proposed"] == len(flights) * 5
    for f in flights:
        assert not holding(await world.crew_of(f.id))

    r = await api.post("/api/v1/crew/roster", headers=ops, json=body)
    assert r.status_code == 200, r.text
    run = r.json()
    print(f"roster run: {len(flights)} flights, {sum(TEAM.values())} members, solver {run['solver_seconds']} s")
    assert run["flights_short"] == 0 and run["proposed"] == len(flights) * 5
    for f in run["flights"]:
        assert f["readiness"] == "pending" and f["uncovered"] == [] and len(f["picked"]) == 5
    before = {}
    for f in flights:
        fc = await world.crew_of(f.id)
        assert fc.readiness == "pending" and list(fc.short_roles) == [], f.number
        before[f.id] = holding(fc)
    # an out-and-back is flown by one crew (one duty period)
    for out, back in trips:
        assert before[out.id] == before[back.id]

    # a second run finds nothing open and moves nobody
    r = await api.post("/api/v1/crew/roster", headers=ops, json=body)
    assert r.status_code == 200 and r.json()["proposed"] == 0
    assert {f.id: holding(await world.crew_of(f.id)) for f in flights} == before

    # the captain of day 3's first round trip declines the outbound
    out, back = trips[2 * 3]
    captain_id = next(m for m, role in before[out.id] if role == "captain")
    captain = world.members[captain_id]
    assignment = next(
        a for a in (await world.crew_of(out.id)).assignments if a.member_id == captain_id and a.state == "proposed"
    )
    declined = await world.crew.AnswerAssignment(
        pb.AnswerAssignmentRequest(assignment_id=assignment.id, accept=False, reason="family emergency"),
        metadata=world.me(captain),
    )
    assert declined.state == "declined"
    after = {f.id: holding(await world.crew_of(f.id)) for f in flights}
    for f in flights:
        if f.id not in (out.id, back.id):
            assert after[f.id] == before[f.id], f"flight {f.number} was moved"
    (new_captain,) = [m for m, role in after[out.id] if role == "captain"]
    assert new_captain != captain_id
    assert after[out.id] == after[back.id]  # the return goes with the outbound
    assert after[out.id] - {(new_captain, "captain")} == before[out.id] - {(captain_id, "captain")}
    back_crew = await world.crew_of(back.id)
    assert any(a.member_id == captain_id and a.state == "removed" for a in back_crew.assignments)
    told = await world.crew.MyNotifications(pb.MyNotificationsRequest(), metadata=world.me(captain))
    assert any(n.kind == "withdrawn" for n in told.notifications)
    replacement = world.members[new_captain]
    told = await world.crew.MyNotifications(pb.MyNotificationsRequest(), metadata=world.me(replacement))
    assert sum(1 for n in told.notifications if n.kind == "assigned") >= 2

    # the replacement sees the out-and-back as one duty period of a pairing back home
    r = await api.get("/api/v1/crew/me/pairings", headers=bearer(world.me(replacement)))
    assert r.status_code == 200, r.text
    pairings = r.json()["pairings"]
    ours = [
        p
        for p in pairings
        if any({s["flight_id"] for s in d["sectors"]} == {out.id, back.id} for d in p["duty_periods"])
    ]
    assert len(ours) == 1 and ours[0]["returns_home"] is True and ours[0]["nights_away"] == 0
    (period,) = ours[0]["duty_periods"]
    assert period["fdp_hours"] <= period["fdp_limit_hours"]
    assert all(p["returns_home"] for p in pairings)

    # a sick call: an attendant of day 5's second round trip is off sick during it; only that
    # out-and-back changes, and one other attendant flies both its sectors
    out, back = trips[2 * 5 + 1]
    sick_id = next(m for m, role in after[out.id] if role == "flight_attendant")
    r = await api.put(
        f"/api/v1/crew/members/{sick_id}/availability",
        headers=ops,
        json={
            "absences": [
                {
                    "kind": "sickness",
                    "starts_at": (dt(out.scheduled_departure) - timedelta(hours=2)).isoformat(),
                    "ends_at": (dt(back.scheduled_arrival) + timedelta(hours=1)).isoformat(),
                }
            ]
        },
    )
    assert r.status_code == 200, r.text
    final = {f.id: holding(await world.crew_of(f.id)) for f in flights}
    for f in flights:
        if f.id not in (out.id, back.id):
            assert final[f.id] == after[f.id], f"flight {f.number} was moved"
    assert final[out.id] == final[back.id]
    (gone,) = after[out.id] - final[out.id]
    (came,) = final[out.id] - after[out.id]
    assert gone == (sick_id, "flight_attendant") and came[1] == "flight_attendant" and came[0] != sick_id
    assert (await world.crew_of(out.id)).readiness == "pending"

    # ops take the first officer off day 6's first outbound: the return they could no longer
    # reach is released too, and nothing else moves (this far ahead, nobody re-proposes)
    out, back = trips[2 * 6]
    fo = next(m for m, role in final[out.id] if role == "first_officer")
    r = await api.delete(f"/api/v1/flights/{out.id}/crew/{fo}", headers=ops, params={"reason": "training"})
    assert r.status_code == 200, r.text
    back_crew = await world.crew_of(back.id)
    assert any(a.member_id == fo and a.state == "removed" for a in back_crew.assignments)
    assert back_crew.readiness == "short" and list(back_crew.short_roles) == ["first_officer"]
    for f in flights:
        if f.id not in (out.id, back.id):
            assert holding(await world.crew_of(f.id)) == final[f.id]


async def test_roster_requests_are_checked(api: httpx.AsyncClient, world: CrewWorld, as_role) -> None:  # type: ignore[no-untyped-def]
    ops = bearer(world.ops)
    start = datetime(2031, 3, 1, tzinfo=UTC)
    backwards = {"from": start.isoformat(), "to": (start - timedelta(days=1)).isoformat()}
    assert_problem(await api.post("/api/v1/crew/roster", headers=ops, json=backwards), 422)
    too_long = {"from": start.isoformat(), "to": (start + timedelta(days=40)).isoformat(), "base": world.home}
    assert_problem(await api.post("/api/v1/crew/roster", headers=ops, json=too_long), 422)
    week = {"from": start.isoformat(), "to": (start + timedelta(days=7)).isoformat(), "base": world.home}
    crew_member = await world.member("captain")
    assert_problem(await api.post("/api/v1/crew/roster", headers=bearer(world.me(crew_member)), json=week), 403)
    assert_problem(await api.post("/api/v1/crew/roster", json=week), 401)
    assert_problem(await api.get("/api/v1/crew/me/pairings", headers=ops), 403)
    # nothing to crew at a fresh base: an empty answer
    r = await api.post("/api/v1/crew/roster", headers=ops, json=week)
    assert r.status_code == 200 and r.json()["flights"] == [] and r.json()["proposed"] == 0
    # a member with no duties has no pairings
    r = await api.get("/api/v1/crew/me/pairings", headers=bearer(world.me(crew_member)))
    assert r.status_code == 200 and r.json()["pairings"] == []
