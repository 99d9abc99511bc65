"""Helpers of the crew tests: a world of fresh airports, planes and flights to staff."""

from __future__ import annotations

import asyncio
import random
import string
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.crew.domain import CrewRole, FlightInfo, Member, MemberSchedule
from airline.crew.v1 import crew_pb2 as pb
from airline.crew.v1.crew_pb2_grpc import CrewServiceStub
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Role
from tests.support.factories import airport_code, plane_id, registration

Metadata = tuple[tuple[str, str], ...]


H = timedelta(hours=1)


# 8 + 60 = 68 seats: captain, first officer, purser and 2 flight attendants
SMALL = apb.SeatLayout(
    cabins=[
        apb.Cabin(cabin_class="vip", first_row=1, last_row=2, seat_letters="AC DF"),
        apb.Cabin(cabin_class="normal", first_row=3, last_row=12, seat_letters="ABC DEF"),
    ]
)


COMPLEMENT = {"captain": 1, "first_officer": 1, "purser": 1, "flight_attendant": 2}


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


def dt(value: Timestamp) -> datetime:
    return value.ToDatetime(tzinfo=UTC)


async def expect(code: grpc.StatusCode, call: Awaitable[Any]) -> str:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return info.value.details() or ""


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30.0) -> Any:
    """Poll until `check` returns something truthy (events travel through Kafka)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.2)


class CrewWorld:
    """A fresh home airport, destination, aircraft type and planes; crew members based there."""

    def __init__(self, flights: FlightServiceStub, airport: AirportServiceStub, crew: CrewServiceStub, as_role) -> None:  # type: ignore[no-untyped-def]
        self.flights, self.airport, self.crew = flights, airport, crew
        self.ops: Metadata = as_role(Role.OPS)
        self.as_role = as_role
        self.type = "T-" + uuid.uuid4().hex[:8]
        self.home = ""
        self.away = ""
        self.members: dict[str, pb.Member] = {}

    async def setup(self) -> CrewWorld:
        self.home, self.away = await self._airport(), await self._airport()
        return self

    async def _airport(self) -> str:
        code = airport_code()
        await self.airport.CreateAirport(
            apb.CreateAirportRequest(
                code=code, name=f"Crew test {code}", city=f"City {code}", country="ZZ", time_zone="UTC"
            ),
            metadata=self.ops,
        )
        for gate in ("G1", "G2", "G3"):
            await self.airport.CreateGate(apb.CreateGateRequest(airport_code=code, code=gate), metadata=self.ops)
        return code

    async def plane(self) -> str:
        pid = plane_id("C")
        await self.airport.CreatePlane(
            apb.CreatePlaneRequest(
                id=pid, registration=registration(), aircraft_type=self.type, home_airport=self.home, layout=SMALL
            ),
            metadata=self.ops,
        )
        return pid

    async def member(self, role: str, name: str = "", home: str = "") -> pb.Member:
        user_id = "crew-user-" + uuid.uuid4().hex[:10]
        m = await self.crew.CreateMember(
            pb.CreateMemberRequest(
                name=name or f"{role} {uuid.uuid4().hex[:4]}",
                role=role,
                qualifications=[self.type],
                home_base=home or self.home,
                email=f"{user_id}@crew.test",
                phone="+6590000000",
                user_id=user_id,
            ),
            metadata=self.ops,
        )
        self.members[m.id] = m
        return m

    async def full_crew(self, extra: dict[str, int] | None = None) -> list[pb.Member]:
        out = []
        for role, n in COMPLEMENT.items():
            for _ in range(n + (extra or {}).get(role, 0)):
                out.append(await self.member(role))
        return out

    def me(self, member: pb.Member) -> Metadata:
        return self.as_role(Role.CREW, member.user_id)  # type: ignore[no-any-return]

    async def flight(self, departure: datetime, minutes: int = 120, plane: str = "", gate: str = "G1") -> fpb.Flight:
        number = f"C{random.choice(string.ascii_uppercase)}{random.randint(1, 9999)}"
        return await self.flights.CreateFlight(
            fpb.CreateFlightRequest(
                number=number,
                origin=self.home,
                destination=self.away,
                departure=ts(departure),
                duration_minutes=minutes,
                plane_id=plane or await self.plane(),
                gate=gate,
            ),
            metadata=self.ops,
        )

    async def crew_of(self, flight_id: str) -> pb.FlightCrew:
        return await self.crew.GetFlightCrew(pb.GetFlightCrewRequest(flight_id=flight_id), metadata=self.ops)

    async def proposed(self, flight_id: str, count: int) -> pb.FlightCrew:
        async def check() -> pb.FlightCrew | None:
            fc = await self.crew_of(flight_id)
            return fc if sum(1 for a in fc.assignments if a.state == "proposed") >= count else None

        return await eventually(check)  # type: ignore[no-any-return]


def soon(hours: float = 30) -> datetime:
    """Within the auto-proposal horizon (72 h), on a whole minute."""
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=hours, minutes=random.randint(0, 600))


def later(days: int = 20) -> datetime:
    """Beyond the horizon: only an explicit ProposeCrew proposes."""
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=days, minutes=random.randint(0, 6000))


# --- a week of the seed's round trips, without I/O (the solver's unit tests) ------------------

MONDAY = datetime(2030, 1, 7, tzinfo=UTC)  # 08:00 at XSP (UTC+8)

# the seed's round trips (flights/seed.py), in UTC: outbound, return, destination, outbound
# departure (minutes after 00:00 UTC), minutes, return departure, minutes
SEED_TRIPS = (
    ("XA101", "XA102", "AOR", 0, 85, 7 * 60, 85),  # 08:00 XSP; 15:00 AOR (UTC+8)
    ("XA201", "XA202", "BKK", 60, 145, 7 * 60 + 30, 150),  # 09:00 XSP; 14:30 BKK (UTC+7)
    ("XA301", "XA302", "CGK", 120, 110, 7 * 60, 110),  # 10:00 XSP; 14:00 CGK (UTC+7)
)
A320_SEATS = 158  # the seed's A320 layout: 8 vip + 150 normal


def seed_week(days: int = 7, first: datetime = MONDAY, seats: int = A320_SEATS) -> list[FlightInfo]:
    flights = []
    for d in range(days):
        day = first + timedelta(days=d)
        for out, back, dest, dep, minutes, back_dep, back_minutes in SEED_TRIPS:
            a, b = day + timedelta(minutes=dep), day + timedelta(minutes=back_dep)
            flights.append(
                FlightInfo(f"{out}-{d}", out, "XSP", dest, a, a + timedelta(minutes=minutes), "A320-200", seats)
            )
            flights.append(
                FlightInfo(f"{back}-{d}", back, dest, "XSP", b, b + timedelta(minutes=back_minutes), "A320-200", seats)
            )
    return flights


def crew(counts: dict[str, int], home: str = "XSP", types: tuple[str, ...] = ("A320-200",)) -> list[MemberSchedule]:
    return [
        MemberSchedule(Member(f"{role}-{i}", f"{role} {i}", CrewRole(role), frozenset(types), home))
        for role, n in counts.items()
        for i in range(n)
    ]
