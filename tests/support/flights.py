"""Helpers of the flights service's gRPC tests: a World of fresh airports and planes, flight requests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1 import flights_pb2 as pb
from tests.support.factories import airport_code, flight_number, plane_id, registration

Metadata = tuple[tuple[str, str], ...]


H = timedelta(hours=1)


M = timedelta(minutes=1)


FAILED = grpc.StatusCode.FAILED_PRECONDITION


INVALID = grpc.StatusCode.INVALID_ARGUMENT


A320 = apb.SeatLayout(
    cabins=[
        apb.Cabin(cabin_class="vip", first_row=1, last_row=2, seat_letters="AC DF"),
        apb.Cabin(cabin_class="normal", first_row=3, last_row=27, seat_letters="ABC DEF"),
    ]
)


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


def dt(value: Timestamp) -> datetime:
    return value.ToDatetime(tzinfo=UTC)


async def expect(code: grpc.StatusCode, call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return info.value.details() or ""


def soon(days: int = 30, hour: int = 8) -> datetime:
    """A departure in the future, on the hour, far enough ahead for every test."""
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


class World:
    """Fresh airports (random codes, with gates) and planes, so tests sharing the session
    database never meet."""

    def __init__(self, ap: AirportServiceStub, ops: Metadata) -> None:
        self.ap = ap
        self.ops = ops

    async def airport(self, zone: str = "UTC", gates: tuple[str, ...] = ("G1", "G2", "G3"), city: str = "") -> str:
        code = airport_code()
        await self.ap.CreateAirport(
            apb.CreateAirportRequest(
                code=code, name=f"Test {code}", city=city or f"City {code}", country="ZZ", time_zone=zone
            ),
            metadata=self.ops,
        )
        for gate in gates:
            await self.ap.CreateGate(apb.CreateGateRequest(airport_code=code, code=gate), metadata=self.ops)
        return code

    async def plane(self, home: str, status: str = "") -> str:
        pid = plane_id("F")
        await self.ap.CreatePlane(
            apb.CreatePlaneRequest(
                id=pid,
                registration=registration(),
                aircraft_type="A320-200",
                status=status,
                home_airport=home,
                layout=A320,
            ),
            metadata=self.ops,
        )
        return pid


def number() -> str:
    """A flight number no other flight of this session has (numbers are unique per day, and the
    tests put many flights on the same days)."""
    return flight_number()


def flight_request(
    origin: str,
    destination: str,
    plane: str,
    departure: datetime,
    gate: str = "G1",
    minutes: int = 90,
    num: str | None = None,
) -> pb.CreateFlightRequest:
    return pb.CreateFlightRequest(
        number=num or number(),
        origin=origin,
        destination=destination,
        departure=ts(departure),
        duration_minutes=minutes,
        plane_id=plane,
        gate=gate,
    )


def schedule_request(
    origin: str,
    destination: str,
    plane: str,
    first: date,
    days: int,
    *,
    out: tuple[str, str] = ("G1", "08:00"),
    back: tuple[str, str] = ("G1", "15:00"),
    minutes: int = 60,
    **more: Any,
) -> pb.CreateScheduleRequest:
    """A daily round trip from `first` for `days` days: out from gate `out[0]` at local time
    `out[1]`, back from `back[0]` at `back[1]`, each `minutes` long, under fresh numbers
    (`more`: any other field, e.g. weekdays)."""
    return pb.CreateScheduleRequest(
        number=number(),
        origin=origin,
        destination=destination,
        plane_id=plane,
        gate=out[0],
        departure_local_time=out[1],
        duration_minutes=minutes,
        return_number=number(),
        return_gate=back[0],
        return_departure_local_time=back[1],
        return_duration_minutes=minutes,
        first_date=first.isoformat(),
        days=days,
        **more,
    )


async def available(ap: AirportServiceStub, airport: str, start: datetime, end: datetime) -> set[str]:
    reply = await ap.ListAvailablePlanes(
        apb.ListAvailablePlanesRequest(airport_code=airport, to=ts(end), **{"from": ts(start)})
    )
    return {p.id for p in reply.planes}
