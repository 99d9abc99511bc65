"""Crew shows each flight with its real status: a flight that boarded, departed, arrived,
diverted or was cancelled is never shown as "scheduled" (crew keeps a copy from the flights
events; platform/flight_status.py decides what a late event may change)."""

# ruff: noqa: F811  (pytest fixtures imported from test_crew_grpc are parameters here)
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import pytest

from airline.crew.v1 import crew_pb2 as pb
from airline.flights.v1 import flights_pb2 as fpb
from tests.support.crew import CrewWorld, eventually

H = timedelta(hours=1)


def _soon() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) + 5 * H


async def _status_becomes(world: CrewWorld, flight_id: str, status: str) -> pb.FlightCrew:
    async def check() -> pb.FlightCrew | None:
        fc = await world.crew_of(flight_id)
        return fc if fc.flight_status == status else None

    return await eventually(check)  # type: ignore[no-any-return]


async def test_departed_and_arrived_flights_show_their_real_status(world: CrewWorld) -> None:
    f = await world.flight(_soon())
    assert (await world.crew_of(f.id)).flight_status == "scheduled"
    for status in ("boarding", "departed", "arrived"):
        await world.flights.UpdateStatus(fpb.UpdateStatusRequest(flight_id=f.id, status=status), metadata=world.ops)
        await _status_becomes(world, f.id, status)


@pytest.mark.parametrize("how", ["diverted", "cancelled"])
async def test_diverted_and_cancelled_flights_show_their_real_status(world: CrewWorld, how: str) -> None:
    f = await world.flight(_soon(), gate="G2" if how == "diverted" else "G3")
    await world.crew_of(f.id)
    if how == "cancelled":
        await world.flights.CancelFlight(fpb.CancelFlightRequest(flight_id=f.id, reason="strike"), metadata=world.ops)
    else:
        alternate = await world._airport()
        for status in ("boarding", "departed"):
            await world.flights.UpdateStatus(fpb.UpdateStatusRequest(flight_id=f.id, status=status), metadata=world.ops)
        await world.flights.DivertFlight(
            fpb.DivertFlightRequest(flight_id=f.id, diverted_to=alternate, reason="weather"), metadata=world.ops
        )
    fc = await _status_becomes(world, f.id, how)
    # no crew can be proposed for it any more
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await world.crew.ProposeCrew(pb.ProposeCrewRequest(flight_id=f.id), metadata=world.ops)
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION and how in (info.value.details() or "")
    assert fc.flight_status == how
