"""A roster run holds no lock while the solver works: a sick call made during the solve is
answered at once (before, it waited for the whole run), and the run, seeing the crew changed
when it comes to write, solves again, so the sick member gets no duty.

The solver is held at its first call by a gate (the in-process crew service's `solver.solve`),
so "during the solve" is a fact of the test, not a guess about timing."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from airline.crew import solver
from airline.crew.v1 import crew_pb2 as pb
from tests.support.crew import CrewWorld, ts


def holding(fc: pb.FlightCrew) -> set[str]:
    return {a.member_id for a in fc.assignments if a.state in ("proposed", "accepted")}


async def test_a_sick_call_during_a_roster_solve_is_not_kept_waiting_and_the_roster_respects_it(
    world: CrewWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # three one-way flights on three days: each needs a crew at home, so one of each per flight
    # and one captain more (who falls sick)
    captains = [await world.member("captain") for _ in range(4)]
    for role, n in (("first_officer", 3), ("purser", 3), ("flight_attendant", 6)):
        for _ in range(n):
            await world.member(role)
    first = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=120)
    flights = [await world.flight(first + timedelta(days=d, hours=8)) for d in range(3)]
    for f in flights:  # crew learns of each flight from the flights events
        for _ in range(150):
            try:
                await world.crew_of(f.id)
                break
            except Exception:  # noqa: BLE001 - not heard yet
                await asyncio.sleep(0.2)

    solving, go_on = threading.Event(), threading.Event()
    real = solver.solve
    calls: list[int] = []

    def gated(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:  # the run's first solve waits until the sick call is through
            solving.set()
            go_on.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(solver, "solve", gated)
    request = pb.GenerateRosterRequest(**{"from": ts(first), "to": ts(first + timedelta(days=3))}, base=world.home)

    async def roster() -> pb.GenerateRosterResponse:
        return await world.crew.GenerateRoster(request, metadata=world.ops, timeout=120)

    run = asyncio.create_task(roster())
    try:
        assert await asyncio.to_thread(solving.wait, 60), "the roster run never reached the solver"
        sick = captains[0]
        absence = pb.Absence(kind="sickness", starts_at=ts(first), ends_at=ts(first + timedelta(days=3)))
        # before: the run held the member rows for the whole solve, so this waited for it
        await world.crew.SetAvailability(
            pb.SetAvailabilityRequest(member_id=sick.id, absences=[absence]), metadata=world.ops, timeout=30
        )
        assert not run.done()  # the sick call was answered while the run was still solving
    finally:
        go_on.set()
    result = await run
    assert len(calls) >= 2  # the first answer was thrown away: it was solved before the sick call
    assert result.flights_short == 0 and result.proposed == 3 * 5
    for f in flights:
        held = holding(await world.crew_of(f.id))
        assert len(held) == 5 and sick.id not in held
