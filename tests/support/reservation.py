"""Helpers of the reservation tests: stubs of reservation, flights and airport, fresh flights."""

from __future__ import annotations

import random
import string
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Role
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from airline.reservation.v1 import reservation_pb2 as pb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.factories import airport_code, plane_id, registration
from tests.support.http import identity_key_ring

Metadata = tuple[tuple[str, str], ...]


FAILED = grpc.StatusCode.FAILED_PRECONDITION


INVALID = grpc.StatusCode.INVALID_ARGUMENT


DENIED = grpc.StatusCode.PERMISSION_DENIED


# 2 VIP rows of 4, 8 normal rows of 6; row 5 is an exit row; 10F is blocked.
SMALL = apb.SeatLayout(
    cabins=[
        apb.Cabin(cabin_class="vip", first_row=1, last_row=2, seat_letters="AC DF"),
        apb.Cabin(cabin_class="normal", first_row=3, last_row=10, seat_letters="ABC DEF"),
    ],
    exit_rows=[5],
    blocked_seats=["10F"],
)


class Platform:
    """Stubs, callers and fresh flights (own airports and plane), so tests never meet."""

    def __init__(
        self,
        settings: PlatformSettings,
        reservation: ReservationServiceStub,
        flights: FlightServiceStub,
        airport: AirportServiceStub,
        service: RunningService,
    ) -> None:
        self.rs = reservation
        self.fl = flights
        self.ap = airport
        self.service = service
        self.settings = settings
        self.codec = identity_key_ring(settings)
        self.ops = self.as_(Role.OPS)
        self.system = self.as_(Role.SYSTEM, "booking")

    def as_(self, role: Role, subject: str | None = None) -> Metadata:
        subject = subject or f"{role.value}-{uuid.uuid4().hex[:8]}"
        return (("authorization", f"Bearer {self.codec.issue(subject, role)}"),)

    def passenger(self) -> tuple[str, Metadata]:
        subject = f"pax-{uuid.uuid4().hex[:10]}"
        return subject, self.as_(Role.PASSENGER, subject)

    async def _airport(self) -> str:
        code = airport_code()
        await self.ap.CreateAirport(
            apb.CreateAirportRequest(
                code=code, name=f"Test {code}", city=f"City {code}", country="ZZ", time_zone="UTC"
            ),
            metadata=self.ops,
        )
        await self.ap.CreateGate(apb.CreateGateRequest(airport_code=code, code="G1"), metadata=self.ops)
        return code

    async def flight(self, layout: apb.SeatLayout = SMALL) -> fpb.Flight:
        x, a = await self._airport(), await self._airport()
        pid = plane_id("R")
        await self.ap.CreatePlane(
            apb.CreatePlaneRequest(
                id=pid, registration=registration(), aircraft_type="A320-200", home_airport=x, layout=layout
            ),
            metadata=self.ops,
        )
        departure = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=20)
        stamp = Timestamp()
        stamp.FromDatetime(departure)
        return await self.fl.CreateFlight(
            fpb.CreateFlightRequest(
                number=f"T{random.choice(string.ascii_uppercase)}{random.randint(1, 9999)}",
                origin=x,
                destination=a,
                departure=stamp,
                duration_minutes=90,
                plane_id=pid,
                gate="G1",
            ),
            metadata=self.ops,
        )

    async def hold(
        self, flight_id: str, who: Metadata, *seats: str, kind: str = "adult", cabin: str = "normal", **extra: Any
    ) -> pb.Hold:
        return await self.rs.HoldSeats(
            pb.HoldSeatsRequest(
                flight_id=flight_id,
                seats=[
                    pb.SeatRequest(
                        seat=s, passenger_ref=f"p-{uuid.uuid4().hex[:8]}", passenger_type=kind, cabin_class=cabin
                    )
                    for s in seats
                ],
                **extra,
            ),
            metadata=who,
        )

    async def states(self, flight_id: str, who: Metadata = ()) -> dict[str, pb.Seat]:
        reply = await self.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight_id), metadata=who)
        return {s.seat: s for s in reply.seats}


async def expect(code: grpc.StatusCode, call: Any) -> str:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return info.value.details() or ""


def when(value: Timestamp) -> datetime:
    return value.ToDatetime(tzinfo=UTC)
