"""The flights service through its real gRPC server, the real airport service, PostgreSQL and
the broker."""
from __future__ import annotations

import asyncio
import random
import string
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import AsyncIterator
from zoneinfo import ZoneInfo

import grpc
import jwt
import pytest
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport import seed as airport_seed
from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights import seed as flights_seed
from airline.flights import service as flights_service
from airline.flights.bootstrap import build_services
from airline.flights.settings import FlightsSettings
from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1.flights_pb2_grpc import FareServiceStub, FlightServiceStub
from airline.platform.auth import Role
from airline.platform.events import Envelope
from airline.platform.grpc import make_channel
from airline.platform.kafka import make_consumer
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings

Metadata = tuple[tuple[str, str], ...]
H = timedelta(hours=1)
M = timedelta(minutes=1)
FAILED = grpc.StatusCode.FAILED_PRECONDITION
INVALID = grpc.StatusCode.INVALID_ARGUMENT

A320 = apb.SeatLayout(
    cabins=[
        apb.Cabin(cabin_class="vip", first_row=1, last_row=2, seat_letters="AC DF"),
        apb.Cabin(cabin_class="normal", first_row=3, last_row=27, seat_letters="ABC DEF"),
    ],
)


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
async def channels(settings: PlatformSettings) -> AsyncIterator[tuple[grpc.aio.Channel, grpc.aio.Channel]]:
    async with make_channel(settings.flights_grpc, 20) as flights, make_channel(settings.airport_grpc) as airport:
        yield flights, airport


@pytest.fixture(scope="module")
def fl(channels) -> FlightServiceStub:  # type: ignore[no-untyped-def]
    return FlightServiceStub(channels[0])


@pytest.fixture(scope="module")
def fares(channels) -> FareServiceStub:  # type: ignore[no-untyped-def]
    return FareServiceStub(channels[0])


@pytest.fixture(scope="module")
def ap(channels) -> AirportServiceStub:  # type: ignore[no-untyped-def]
    return AirportServiceStub(channels[1])


@pytest.fixture(scope="module")
def ops(as_role) -> Metadata:  # type: ignore[no-untyped-def]
    return as_role(Role.OPS)


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


def dt(value: Timestamp) -> datetime:
    return value.ToDatetime(tzinfo=timezone.utc)


async def expect(code: grpc.StatusCode, call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return info.value.details() or ""


def soon(days: int = 30, hour: int = 8) -> datetime:
    """A departure in the future, on the hour, far enough ahead for every test."""
    base = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


class World:
    """Fresh airports (random codes, with gates) and planes, so tests sharing the session
    database never meet."""

    def __init__(self, ap: AirportServiceStub, ops: Metadata) -> None:
        self.ap = ap
        self.ops = ops

    async def airport(self, zone: str = "UTC", gates: tuple[str, ...] = ("G1", "G2", "G3"), city: str = "") -> str:
        while True:
            code = "".join(random.choices(string.ascii_uppercase, k=3))
            # Q.. codes stand for "unknown airport" in the refusal tests (QQZ); a random one must never exist
            if code in airport_seed.SEED_AIRPORT_CODES or code.startswith("Q"):
                continue
            try:
                await self.ap.CreateAirport(
                    apb.CreateAirportRequest(code=code, name=f"Test {code}", city=city or f"City {code}", country="ZZ",
                                             time_zone=zone),
                    metadata=self.ops,
                )
                break
            except grpc.aio.AioRpcError as e:
                if e.code() != grpc.StatusCode.ALREADY_EXISTS:
                    raise
        for gate in gates:
            await self.ap.CreateGate(apb.CreateGateRequest(airport_code=code, code=gate), metadata=self.ops)
        return code

    async def plane(self, home: str, status: str = "") -> str:
        pid = "F" + uuid.uuid4().hex[:8].upper()
        await self.ap.CreatePlane(
            apb.CreatePlaneRequest(id=pid, registration="FF-" + uuid.uuid4().hex[:6].upper(), aircraft_type="A320-200",
                                   status=status, home_airport=home, layout=A320),
            metadata=self.ops,
        )
        return pid


@pytest.fixture(scope="module")
def world(ap: AirportServiceStub, ops: Metadata) -> World:
    return World(ap, ops)


_numbers: set[str] = set()


def number() -> str:
    """A flight number no other flight of this session has (numbers are unique per day, and the
    tests put many flights on the same days): T + letter + 1-4 digits + suffix, never twice."""
    while True:
        n = f"T{random.choice(string.ascii_uppercase)}{random.randint(1, 9999)}{random.choice(string.ascii_uppercase)}"
        if n not in _numbers:
            _numbers.add(n)
            return n


def flight_request(
    origin: str, destination: str, plane: str, departure: datetime, gate: str = "G1", minutes: int = 90,
    num: str | None = None,
) -> pb.CreateFlightRequest:
    return pb.CreateFlightRequest(
        number=num or number(), origin=origin, destination=destination, departure=ts(departure),
        duration_minutes=minutes, plane_id=plane, gate=gate,
    )


async def available(ap: AirportServiceStub, airport: str, start: datetime, end: datetime) -> set[str]:
    reply = await ap.ListAvailablePlanes(apb.ListAvailablePlanesRequest(airport_code=airport, to=ts(end), **{"from": ts(start)}))
    return {p.id for p in reply.planes}


# ---------------------------------------------------------------- creating flights


async def test_overbooking_is_an_ops_policy_per_cabin(fl: FlightServiceStub, world: World, ops: Metadata, as_role) -> None:  # type: ignore[no-untyped-def]
    x, a = await world.airport(), await world.airport()
    f = await fl.CreateFlight(flight_request(x, a, await world.plane(x), soon()), metadata=ops)
    request = pb.SetOverbookingRequest(flight_id=f.id, cabin_class="normal", percent=20)
    await expect(grpc.StatusCode.UNAUTHENTICATED, fl.SetOverbooking(request))
    for role in (Role.PASSENGER, Role.AGENT, Role.CREW):
        await expect(grpc.StatusCode.PERMISSION_DENIED, fl.SetOverbooking(request, metadata=as_role(role)))
    for bad in (pb.SetOverbookingRequest(flight_id=f.id, cabin_class="normal", percent=21),
                pb.SetOverbookingRequest(flight_id=f.id, cabin_class="normal", percent=-5),
                pb.SetOverbookingRequest(flight_id=f.id, cabin_class="first", percent=5)):
        await expect(INVALID, fl.SetOverbooking(bad, metadata=ops))
    await expect(grpc.StatusCode.NOT_FOUND, fl.SetOverbooking(
        pb.SetOverbookingRequest(flight_id=str(uuid.uuid4()), cabin_class="vip", percent=5), metadata=ops))
    changed = await fl.SetOverbooking(request, metadata=ops)
    assert {(s.cabin_class, s.capacity, s.overbooking_percent, s.seats_left) for s in changed.seats} == {
        ("vip", 8, 0, 8), ("normal", 150, 20, 180)}
    assert (await fl.GetFlight(pb.GetFlightRequest(id=f.id))) == changed


async def test_only_ops_create_and_anyone_reads(fl: FlightServiceStub, world: World, ops: Metadata, as_role) -> None:  # type: ignore[no-untyped-def]
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    request = flight_request(x, a, plane, soon())
    await expect(grpc.StatusCode.UNAUTHENTICATED, fl.CreateFlight(request))
    for role in (Role.PASSENGER, Role.AGENT, Role.CREW):
        await expect(grpc.StatusCode.PERMISSION_DENIED, fl.CreateFlight(request, metadata=as_role(role)))
    created = await fl.CreateFlight(request, metadata=as_role(Role.ADMIN))
    assert (await fl.GetFlight(pb.GetFlightRequest(id=created.id))) == created  # no token needed
    await expect(grpc.StatusCode.PERMISSION_DENIED,
                 fl.CancelFlight(pb.CancelFlightRequest(flight_id=created.id, reason="x"), metadata=as_role(Role.PASSENGER)))


async def test_create_flight(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x = await world.airport("Asia/Singapore")
    a = await world.airport("Asia/Kuala_Lumpur")
    plane = await world.plane(x)
    departure = soon(hour=0)  # 08:00 in Singapore
    num = number()
    f = await fl.CreateFlight(flight_request(x, a, plane, departure, minutes=85, num=num.lower()), metadata=ops)
    assert (f.number, f.origin, f.destination, f.plane_id, f.gate, f.status) == (num, x, a, plane, "G1", "scheduled")
    assert (f.origin_time_zone, f.destination_time_zone) == ("Asia/Singapore", "Asia/Kuala_Lumpur")
    assert dt(f.scheduled_departure) == dt(f.estimated_departure) == departure
    assert dt(f.scheduled_arrival) == departure + 85 * M
    assert dt(f.boarding_starts) == departure - 40 * M
    assert {(s.cabin_class, s.capacity, s.sold, s.overbooking_percent, s.seats_left) for s in f.seats} == {
        ("vip", 8, 0, 0, 8), ("normal", 150, 0, 0, 150)}
    assert f.version == 1 and f.created_at.seconds > 0 and not f.HasField("actual_departure")

    listed = await fl.ListFlights(pb.ListFlightsRequest(airport=x, **{"from": ts(departure - H), "to": ts(departure + H)}))
    assert [g.id for g in listed.flights] == [f.id]
    arrivals = await fl.ListFlights(pb.ListFlightsRequest(airport=a, direction="arrivals"))
    assert [g.id for g in arrivals.flights] == [f.id]
    assert [g.id for g in (await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights] == [f.id]
    await expect(grpc.StatusCode.NOT_FOUND, fl.GetFlight(pb.GetFlightRequest(id=str(uuid.uuid4()))))
    await expect(grpc.StatusCode.NOT_FOUND, fl.GetFlight(pb.GetFlightRequest(id="nope")))
    await expect(INVALID, fl.ListFlights(pb.ListFlightsRequest()))
    await expect(INVALID, fl.ListFlights(pb.ListFlightsRequest(airport=x, limit=5000)))

    # the airport's "available planes" now knows the plane is flying, then at the destination
    assert plane not in await available(ap, x, departure - H, departure + H)
    assert plane in await available(ap, x, departure - 2 * H, departure - H)
    assert plane in await available(ap, a, departure + 85 * M + 45 * M, departure + 10 * H)
    assert plane not in await available(ap, a, departure + 85 * M, departure + 10 * H)  # turnaround

    # the same number on the same local date is taken
    again = flight_request(x, a, await world.plane(x), departure + 3 * H, gate="G2", num=num)
    assert "already exists" in await expect(grpc.StatusCode.ALREADY_EXISTS, fl.CreateFlight(again, metadata=ops))


async def test_bad_flights_are_refused_and_not_written(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    await ap.UpdateGate(apb.UpdateGateRequest(airport_code=x, code="G3", status="closed"), metadata=ops)
    plane = await world.plane(x)
    grounded = await world.plane(x, status="maintenance")
    t = soon()
    num = number()
    cases = [
        (INVALID, flight_request(x, x, plane, t, num=num), "differ"),
        (INVALID, flight_request(x, "QQZ", plane, t, num=num), "unknown airport QQZ"),
        (INVALID, flight_request(x, a, plane, datetime.now(timezone.utc) - H, num=num), "future"),
        (INVALID, flight_request(x, a, plane, t, gate="Z9", num=num), "gate Z9"),
        (INVALID, flight_request(x, a, "P9NOPE", t, num=num), "unknown plane P9NOPE"),
        (INVALID, flight_request(x, a, plane, t, minutes=0, num=num), "duration"),
        (INVALID, flight_request(x, a, plane, t, num="not a number"), "number"),
        (INVALID, pb.CreateFlightRequest(number=num, origin=x, destination=a, duration_minutes=60, plane_id=plane, gate="G1"), "departure"),
        (FAILED, flight_request(x, a, grounded, t, num=num), "not active"),
        (FAILED, flight_request(x, a, plane, t, gate="G3", num=num), "closed"),
    ]
    for code, request, message in cases:
        assert message in await expect(code, fl.CreateFlight(request, metadata=ops))
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights
    assert plane in await available(ap, x, t - H, t + 5 * H)


async def test_double_booking_a_plane_is_refused(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    first = await fl.CreateFlight(flight_request(x, a, plane, t, gate="G1"), metadata=ops)
    # overlapping in the air, from another gate
    details = await expect(FAILED, fl.CreateFlight(flight_request(x, a, plane, t + 30 * M, gate="G2"), metadata=ops))
    assert plane in details and first.number in details  # the other flight is named by its number
    # inside the turnaround after the first flight lands at A (arrives t+90m, ready t+135m)
    await expect(FAILED, fl.CreateFlight(flight_request(a, x, plane, t + 120 * M, gate="G1"), metadata=ops))
    back = await fl.CreateFlight(flight_request(a, x, plane, t + 135 * M, gate="G1"), metadata=ops)
    assert back.status == "scheduled"


async def test_double_booking_a_gate_is_refused(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    p1, p2, p3 = await world.plane(x), await world.plane(x), await world.plane(x)
    t = soon()
    first = await fl.CreateFlight(flight_request(x, a, p1, t, gate="G1"), metadata=ops)
    details = await expect(FAILED, fl.CreateFlight(flight_request(x, a, p2, t + 20 * M, gate="G1"), metadata=ops))
    assert "gate G1" in details and first.number in details
    # boarding of the next one may start exactly when the first departs
    assert (await fl.CreateFlight(flight_request(x, a, p2, t + 40 * M, gate="G1"), metadata=ops)).gate == "G1"
    # another gate at the same time is fine
    assert (await fl.CreateFlight(flight_request(x, a, p3, t + 20 * M, gate="G2"), metadata=ops)).gate == "G2"


async def test_a_plane_cannot_depart_from_an_airport_it_is_not_at(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a, b = await world.airport(), await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    details = await expect(FAILED, fl.CreateFlight(flight_request(a, b, plane, t), metadata=ops))
    assert plane in details and x in details  # it is at its home airport
    await fl.CreateFlight(flight_request(x, a, plane, t), metadata=ops)
    # after X->A it is at A: not at B, and not back at X either
    await expect(FAILED, fl.CreateFlight(flight_request(b, x, plane, t + 5 * H), metadata=ops))
    await expect(FAILED, fl.CreateFlight(flight_request(x, b, plane, t + 5 * H, gate="G2"), metadata=ops))
    await fl.CreateFlight(flight_request(a, b, plane, t + 5 * H), metadata=ops)
    # and a flight slotted before X->A must not strand it elsewhere
    await expect(FAILED, fl.CreateFlight(flight_request(x, b, plane, t - 5 * H, gate="G3"), metadata=ops))


async def test_round_trip(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    out_no, back_no = number(), number()
    request = pb.CreateRoundTripRequest(
        outbound=flight_request(x, a, plane, t, num=out_no), return_number=back_no,
        return_departure=ts(t + 4 * H), return_gate="G2",
    )
    reply = await fl.CreateRoundTrip(request, metadata=ops)
    outbound, back = reply.flights
    assert reply.round_trip_id and outbound.round_trip_id == back.round_trip_id == reply.round_trip_id
    assert (back.number, back.origin, back.destination, back.gate, back.plane_id) == (back_no, a, x, "G2", plane)
    assert dt(back.scheduled_arrival) == t + 4 * H + 90 * M  # the outbound's duration by default
    assert plane in await available(ap, x, t + 7 * H, t + 10 * H)  # home again, after the turnaround

    too_soon = pb.CreateRoundTripRequest(
        outbound=flight_request(x, a, await world.plane(x), t + 24 * H), return_number=number(),
        return_departure=ts(t + 24 * H + 100 * M), return_gate="G2",
    )
    assert "turnaround" in await expect(INVALID, fl.CreateRoundTrip(too_soon, metadata=ops))
    # all or none: the return leg's gate is taken, so the outbound is not created either
    blocker = await world.plane(a)
    await fl.CreateFlight(flight_request(a, x, blocker, t + 48 * H + 4 * H, gate="G3"), metadata=ops)
    spare = await world.plane(x)
    blocked = pb.CreateRoundTripRequest(
        outbound=flight_request(x, a, spare, t + 48 * H, num=number()), return_number=number(),
        return_departure=ts(t + 48 * H + 4 * H + 10 * M), return_gate="G3",
    )
    assert "gate G3" in await expect(FAILED, fl.CreateRoundTrip(blocked, metadata=ops))
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=blocked.outbound.number))).flights
    assert spare in await available(ap, x, t + 47 * H, t + 60 * H)


async def test_recurring_schedule_with_one_conflict_creates_nothing(
    fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata
) -> None:
    x = await world.airport("Asia/Singapore")
    a = await world.airport("Asia/Kuala_Lumpur")
    plane, other = await world.plane(x), await world.plane(x)
    first = (datetime.now(ZoneInfo("Asia/Singapore")) + timedelta(days=40)).date()
    taken_day = first + timedelta(days=3)
    # another flight holds gate G1 at 07:30-08:10 local on the fourth day
    intruder = await fl.CreateFlight(
        flight_request(x, a, other, datetime(taken_day.year, taken_day.month, taken_day.day, 8, 10,
                                             tzinfo=ZoneInfo("Asia/Singapore")), gate="G1"),
        metadata=ops,
    )
    num, back = number(), number()
    request = pb.CreateScheduleRequest(
        number=num, origin=x, destination=a, plane_id=plane, gate="G1", departure_local_time="08:00",
        duration_minutes=85, first_date=first.isoformat(), days=10, return_number=back, return_gate="G1",
        return_departure_local_time="15:00",
    )
    details = await expect(FAILED, fl.CreateSchedule(request, metadata=ops))
    assert f"{num} on {taken_day.isoformat()}: gate G1 is taken by {intruder.number} 07:30-08:10 local" in details
    assert details.count("gate G1 is taken") == 1  # the other days are fine
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=back))).flights
    assert plane in await available(ap, x, datetime.now(timezone.utc) + timedelta(days=39), datetime.now(timezone.utc) + timedelta(days=52))

    # skipping that weekday, the schedule goes through: every day's outbound and return
    weekdays = [d for d in range(1, 8) if d != taken_day.isoweekday()]
    reply = await fl.CreateSchedule(
        pb.CreateScheduleRequest(**{**_fields(request), "weekdays": weekdays}), metadata=ops
    )
    days = [(first + timedelta(days=i)) for i in range(10) if (first + timedelta(days=i)).isoweekday() in weekdays]
    assert len(reply.flights) == 2 * len(days) and reply.schedule_id
    outbound = [f for f in reply.flights if f.number == num]
    local = [dt(f.scheduled_departure).astimezone(ZoneInfo("Asia/Singapore")) for f in outbound]
    assert [d.date() for d in local] == days and {d.strftime("%H:%M") for d in local} == {"08:00"}
    returns = [f for f in reply.flights if f.number == back]
    assert {dt(f.scheduled_departure).astimezone(ZoneInfo("Asia/Kuala_Lumpur")).strftime("%H:%M") for f in returns} == {"15:00"}
    assert {f.schedule_id for f in reply.flights} == {reply.schedule_id}

    # again: every day is now a duplicate, and nothing new is created
    details = await expect(grpc.StatusCode.ALREADY_EXISTS, fl.CreateSchedule(request, metadata=ops))
    assert f"{num} on {first.isoformat()} already exists" in details
    assert len((await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights) == len(days)


def _fields(message: pb.CreateScheduleRequest) -> dict[str, object]:
    return {f.name: v for f, v in message.ListFields()}


async def test_a_schedule_whose_plane_is_busy_names_the_conflict(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    first = (datetime.now(timezone.utc) + timedelta(days=60)).date()
    busy_day = first + timedelta(days=2)
    busy = await fl.CreateFlight(
        flight_request(x, a, plane, datetime(busy_day.year, busy_day.month, busy_day.day, 7, 0, tzinfo=timezone.utc), gate="G3"),
        metadata=ops,
    )
    request = pb.CreateScheduleRequest(
        number=number(), origin=x, destination=a, plane_id=plane, gate="G1", departure_local_time="06:00",
        duration_minutes=60, first_date=first.isoformat(), days=5, return_number=number(), return_gate="G1",
        return_departure_local_time="12:00",
    )
    details = await expect(FAILED, fl.CreateSchedule(request, metadata=ops))
    assert plane in details and busy.number in details
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=request.number))).flights


async def test_schedule_input(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    good = dict(number=number(), origin=x, destination=a, plane_id=plane, gate="G1", departure_local_time="08:00",
                duration_minutes=60, first_date=(datetime.now(timezone.utc) + timedelta(days=80)).date().isoformat(), days=3)
    for change, message in [
        ({"departure_local_time": "8am"}, "departure_local_time"),
        ({"first_date": "2026-13-01"}, "first_date"),
        ({"days": 0}, "days"),
        ({"days": 400}, "days"),
        ({"weekdays": [8]}, "weekdays"),
        ({"return_number": number(), "return_gate": "G1", "return_departure_local_time": "08:30"}, "turnaround"),
        ({"first_date": "2020-01-01"}, "future"),
    ]:
        assert message in await expect(INVALID, fl.CreateSchedule(pb.CreateScheduleRequest(**{**good, **change}), metadata=ops))


async def test_concurrent_creates_for_one_gate_exactly_one_wins(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    planes = [await world.plane(x) for _ in range(12)]
    t = soon()
    # every gate window overlaps every other: all contain [t - 10m, t)
    requests = [flight_request(x, a, p, t + (i % 4) * 7 * M, gate="G1") for i, p in enumerate(planes)]
    results = await asyncio.gather(*(fl.CreateFlight(r, metadata=ops) for r in requests), return_exceptions=True)
    wins = [r for r in results if isinstance(r, pb.Flight)]
    losses = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(wins) == 1 and len(losses) == len(requests) - 1, [str(r) for r in results if not isinstance(r, (pb.Flight, grpc.aio.AioRpcError))]
    assert {e.code() for e in losses} == {FAILED}
    assert all("gate G1" in (e.details() or "") for e in losses)
    listed = await fl.ListFlights(pb.ListFlightsRequest(airport=x))
    assert [f.id for f in listed.flights] == [wins[0].id]
    # the losers' planes were never committed (or were released)
    free = await available(ap, x, t - H, t + 3 * H)
    assert free == set(planes) - {wins[0].plane_id}


async def test_concurrent_creates_for_one_plane_exactly_one_wins(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    gates = tuple(f"G{i}" for i in range(1, 11))
    x, a = await world.airport(gates=gates), await world.airport()
    plane = await world.plane(x)
    t = soon()
    requests = [flight_request(x, a, plane, t + i * 5 * M, gate=g) for i, g in enumerate(gates)]
    results = await asyncio.gather(*(fl.CreateFlight(r, metadata=ops) for r in requests), return_exceptions=True)
    wins = [r for r in results if isinstance(r, pb.Flight)]
    losses = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(wins) == 1 and len(losses) == len(requests) - 1
    assert {e.code() for e in losses} == {FAILED}, [e.details() for e in losses]
    assert [f.id for f in (await fl.ListFlights(pb.ListFlightsRequest(airport=x))).flights] == [wins[0].id]


async def test_recovery_removes_a_stale_pending_flight_and_releases_its_plane(
    fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata, services: dict[str, RunningService]
) -> None:
    from airline.flights import store

    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    flight_id = str(uuid.uuid4())
    # what a creation that died after committing the plane leaves behind
    runtime = services["flights"].runtime
    async with runtime.db.uow() as uow:
        await uow.conn.execute(store.flights.insert().values(
            id=flight_id, number=number(), origin=x, destination=a, origin_time_zone="UTC", destination_time_zone="UTC",
            plane_id=plane, gate="G1", status="pending", scheduled_departure=t, scheduled_arrival=t + H,
            estimated_departure=t, estimated_arrival=t + H, boarding_starts=t - 40 * M, departure_local_date=t.date(),
            created_at=datetime.now(timezone.utc) - timedelta(minutes=10),
        ))
        await uow.commit()
    await ap.CommitPlanes(apb.CommitPlanesRequest(commitments=[apb.CommitPlaneRequest(
        reference=flight_id, plane_id=plane, origin=x, destination=a, starts_at=ts(t), ends_at=ts(t + H + 45 * M),
    )]), metadata=ops)
    assert plane not in await available(ap, x, t - H, t + 2 * H)
    # invisible while pending
    await expect(grpc.StatusCode.NOT_FOUND, fl.GetFlight(pb.GetFlightRequest(id=flight_id)))

    flights, _ = build_services(runtime, FlightsSettings(pending_timeout_seconds=60))
    with runtime.acting_as_system():
        deleted, _ = await flights.recover()
    assert flight_id in deleted
    assert plane in await available(ap, x, t - H, t + 2 * H)
    async with runtime.db.uow() as uow:
        left = (await uow.conn.execute(sa.select(store.flights.c.id).where(store.flights.c.id == flight_id))).first()
    assert left is None
    # the gate it held is free again
    again = await fl.CreateFlight(flight_request(x, a, plane, t), metadata=ops)
    assert again.status == "scheduled"

    # a cancellation whose plane release did not reach the airport is retried by the same pass
    async with runtime.db.uow() as uow:
        await uow.conn.execute(store.flights.update().where(store.flights.c.id == again.id)
                               .values(status="cancelled", plane_release_pending=True))
        await uow.commit()
    assert plane not in await available(ap, x, t - H, t + 2 * H)
    with runtime.acting_as_system():
        _, released = await flights.recover()
    assert again.id in released
    assert plane in await available(ap, x, t - H, t + 2 * H)
    with runtime.acting_as_system():
        assert again.id not in (await flights.recover())[1]  # done once, not again


# ---------------------------------------------------------------- lifecycle and disruptions


ALL_TARGETS = ["delayed", "boarding", "departed", "arrived", "cancelled", "diverted"]
PATHS = {
    "scheduled": [],
    "delayed": ["delayed"],
    "boarding": ["boarding"],
    "departed": ["boarding", "departed"],
    "arrived": ["boarding", "departed", "arrived"],
    "diverted": ["boarding", "departed", "diverted"],
    "cancelled": ["cancelled"],
}
ALLOWED = {
    "scheduled": {"delayed", "boarding", "cancelled"},
    "delayed": {"delayed", "boarding", "cancelled"},
    "boarding": {"departed", "delayed", "cancelled"},
    "departed": {"arrived", "diverted"},
    "diverted": {"arrived"},
    "arrived": set(),
    "cancelled": set(),
}


async def _go(fl: FlightServiceStub, ops: Metadata, flight: pb.Flight, target: str, alternate: str) -> pb.Flight:
    fid = flight.id
    if target == "delayed":
        new = dt(flight.estimated_departure) + 30 * M
        return await fl.DelayFlight(
            pb.DelayFlightRequest(flight_id=fid, new_departure=ts(new), delay_code="93", reason="late inbound aircraft"),
            metadata=ops,
        )
    if target == "cancelled":
        return await fl.CancelFlight(pb.CancelFlightRequest(flight_id=fid, reason="technical fault"), metadata=ops)
    if target == "diverted":
        return await fl.DivertFlight(pb.DivertFlightRequest(flight_id=fid, diverted_to=alternate, reason="weather"), metadata=ops)
    return await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=fid, status=target), metadata=ops)


async def test_every_transition_the_lifecycle_forbids_is_refused(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a, b = await world.airport(), await world.airport(), await world.airport()
    t = soon()
    checked = 0
    for i, (state, path) in enumerate(PATHS.items()):
        plane = await world.plane(x)
        flight = await fl.CreateFlight(flight_request(x, a, plane, t + i * 2 * H, gate=f"G{i % 3 + 1}"), metadata=ops)
        for step in path:
            flight = await _go(fl, ops, flight, step, b)
        assert flight.status == state
        for target in ALL_TARGETS:
            if target in ALLOWED[state]:
                continue
            details = await expect(FAILED, _go(fl, ops, flight, target, b))
            assert state in details and target in details
            checked += 1
        after = await fl.GetFlight(pb.GetFlightRequest(id=flight.id))
        assert (after.status, after.version) == (flight.status, flight.version)  # nothing written
    assert checked == sum(len(set(ALL_TARGETS) - ALLOWED[s]) for s in PATHS)
    # "arrived -> boarding", the example, among them; gate changes only before boarding
    plane = await world.plane(x)
    f = await fl.CreateFlight(flight_request(x, a, plane, t + 20 * H), metadata=ops)
    f = await _go(fl, ops, f, "boarding", b)
    await expect(FAILED, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G2"), metadata=ops))
    await expect(INVALID, fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="cancelled"), metadata=ops))


async def test_flight_lifecycle_sets_times_and_frees_the_gate(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    p1, p2 = await world.plane(x), await world.plane(x)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, p1, t), metadata=ops)
    boarding = await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="boarding"), metadata=ops)
    assert (boarding.status, boarding.version) == ("boarding", 2)
    took_off = datetime.now(timezone.utc).replace(microsecond=0) - 5 * M
    departed = await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="departed", at=ts(took_off)), metadata=ops)
    assert dt(departed.actual_departure) == took_off
    # departed: the gate is free for the rest of its window
    assert (await fl.CreateFlight(flight_request(x, a, p2, t + 10 * M), metadata=ops)).gate == "G1"
    await expect(INVALID, fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="arrived", at=ts(took_off - M)), metadata=ops))
    arrived = await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="arrived"), metadata=ops)
    assert arrived.status == "arrived" and dt(arrived.actual_arrival) > took_off and arrived.version == 4
    announcements = await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))
    assert [(n.kind, n.airport) for n in announcements.announcements] == [("boarding", x)]
    assert "now boarding at gate G1" in announcements.announcements[0].message


async def test_delay(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x = await world.airport("Asia/Singapore", city="Singapore")
    a = await world.airport("Asia/Kuala_Lumpur", city="Alor Setar")
    p1, p2 = await world.plane(x), await world.plane(x)
    t = soon(hour=0)  # 08:00 local
    f = await fl.CreateFlight(flight_request(x, a, p1, t, gate="G1"), metadata=ops)
    # p1 flies back from A later in the day
    back = await fl.CreateFlight(flight_request(a, x, p1, t + 5 * H, gate="G1"), metadata=ops)
    later = await fl.CreateFlight(flight_request(x, a, p2, t + 3 * H, gate="G1"), metadata=ops)

    bad = [
        (INVALID, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t - M), delay_code="93", reason="r"), "later"),
        (INVALID, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="9", reason="r"), "delay_code"),
        (INVALID, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="93", reason=" "), "reason"),
        (INVALID, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="93", reason="x" * 501), "reason"),
        (INVALID, pb.DelayFlightRequest(flight_id=f.id, delay_code="93", reason="r"), "new_departure"),
        # the gate is held by `later` (boarding 10:20-11:00) at 10:45
        (FAILED, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + 165 * M), delay_code="93", reason="r"), "change the gate"),
        # the plane could not make its return flight at t+5h
        (FAILED, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + 4 * H), delay_code="93", reason="r"), p1),
    ]
    for code, request, message in bad:
        assert message in await expect(code, fl.DelayFlight(request, metadata=ops))
    assert (await fl.GetFlight(pb.GetFlightRequest(id=f.id))).version == 1  # nothing written
    assert later.number in await expect(FAILED, fl.DelayFlight(bad[5][1], metadata=ops))

    delayed = await fl.DelayFlight(
        pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + 135 * M), delay_code="93",
                              reason="late arrival of the aircraft"),
        metadata=ops,
    )
    assert (delayed.status, delayed.delay_code, delayed.status_reason) == ("delayed", "93", "late arrival of the aircraft")
    assert dt(delayed.estimated_departure) == t + 135 * M and dt(delayed.estimated_arrival) == t + 135 * M + 90 * M
    assert dt(delayed.scheduled_departure) == t and dt(delayed.boarding_starts) == t + 95 * M
    assert delayed.version == 2
    (note,) = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))).announcements
    assert note.message == f"Flight {f.number} to Alor Setar is delayed to 10:15 (local): late arrival of the aircraft."
    assert (note.kind, note.airport, note.flight_number) == ("delay", x, f.number)
    assert note.id in {n.id for n in (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(airport=x))).announcements}
    # the old gate window is free, the plane's commitment moved with it
    assert p1 not in await available(ap, x, t + 2 * H, t + 3 * H)
    # delayed again, with an explicit arrival
    again = await fl.DelayFlight(
        pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + 140 * M), new_arrival=ts(t + 140 * M + 80 * M),
                              delay_code="41", reason="technical check"),
        metadata=ops,
    )
    assert dt(again.estimated_arrival) == t + 220 * M and again.delay_code == "41"
    assert back.status == "scheduled"


async def test_cancellation_frees_the_plane_and_the_gate(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, plane, t), metadata=ops)
    await expect(INVALID, fl.CancelFlight(pb.CancelFlightRequest(flight_id=f.id, reason=""), metadata=ops))
    cancelled = await fl.CancelFlight(pb.CancelFlightRequest(flight_id=f.id, reason="crew shortage"), metadata=ops)
    assert (cancelled.status, cancelled.status_reason) == ("cancelled", "crew shortage")
    assert plane in await available(ap, x, t - H, t + 4 * H)
    # the same number, plane and gate at the same time again
    again = await fl.CreateFlight(flight_request(x, a, plane, t, num=f.number), metadata=ops)
    assert again.status == "scheduled" and again.id != f.id
    (note,) = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))).announcements
    assert note.kind == "cancellation" and "crew shortage" in note.message


async def test_diversion(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    b = await world.airport(city="Bangkok")
    p1, p2 = await world.plane(x), await world.plane(x)
    t = soon()
    # p1: no next flight, so its commitment follows it to B
    f1 = await fl.CreateFlight(flight_request(x, a, p1, t, gate="G1"), metadata=ops)
    await expect(FAILED, fl.DivertFlight(pb.DivertFlightRequest(flight_id=f1.id, diverted_to=b, reason="weather"), metadata=ops))
    for status in ("boarding", "departed"):
        await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f1.id, status=status), metadata=ops)
    await expect(INVALID, fl.DivertFlight(pb.DivertFlightRequest(flight_id=f1.id, diverted_to=a, reason="weather"), metadata=ops))
    await expect(INVALID, fl.DivertFlight(pb.DivertFlightRequest(flight_id=f1.id, diverted_to="QQZ", reason="weather"), metadata=ops))
    diverted = await fl.DivertFlight(
        pb.DivertFlightRequest(flight_id=f1.id, diverted_to=b, reason="thunderstorms at destination"), metadata=ops
    )
    assert (diverted.status, diverted.diverted_to, diverted.destination) == ("diverted", b, a)
    assert p1 in await available(ap, b, t + 3 * H, t + 5 * H)
    assert p1 not in await available(ap, a, t + 3 * H, t + 5 * H)
    notes = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f1.id))).announcements
    assert [n.kind for n in notes] == ["diversion", "boarding"]  # newest first
    note = notes[0]
    assert note.kind == "diversion" and "diverted to Bangkok" in note.message and "Knock-on" not in note.message
    arrived = await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f1.id, status="arrived"), metadata=ops)
    assert arrived.status == "arrived"

    # p2 has its next flight from A: the diversion is recorded, the knock-on named
    f2 = await fl.CreateFlight(flight_request(x, a, p2, t + 10 * H, gate="G2"), metadata=ops)
    nxt = await fl.CreateFlight(flight_request(a, x, p2, t + 14 * H, gate="G2"), metadata=ops)
    for status in ("boarding", "departed"):
        await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f2.id, status=status), metadata=ops)
    diverted = await fl.DivertFlight(pb.DivertFlightRequest(flight_id=f2.id, diverted_to=b, reason="medical emergency"), metadata=ops)
    assert diverted.status == "diverted"
    note = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f2.id))).announcements[0]
    assert "Knock-on" in note.message and nxt.number in note.message


async def test_gate_change(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    p1, p2 = await world.plane(x), await world.plane(x)
    await ap.UpdateGate(apb.UpdateGateRequest(airport_code=x, code="G3", status="maintenance"), metadata=ops)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, p1, t, gate="G1"), metadata=ops)
    other = await fl.CreateFlight(flight_request(x, a, p2, t + 10 * M, gate="G2"), metadata=ops)
    assert other.number in await expect(FAILED, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G2"), metadata=ops))
    await expect(FAILED, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G3"), metadata=ops))
    await expect(INVALID, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="Z7"), metadata=ops))
    await fl.CancelFlight(pb.CancelFlightRequest(flight_id=other.id, reason="x"), metadata=ops)
    moved = await fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="g2", reason="cleaning"), metadata=ops)
    assert (moved.gate, moved.version) == ("G2", 2)
    (note,) = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))).announcements
    assert note.kind == "gate_change" and "gate G2 (was G1)" in note.message


async def test_events_carry_a_full_snapshot(fl: FlightServiceStub, world: World, ops: Metadata, settings: PlatformSettings) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, plane, t), metadata=ops)
    await expect(FAILED, fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="arrived"), metadata=ops))
    await fl.DelayFlight(pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="93", reason="late"), metadata=ops)
    await fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G2", reason="swap"), metadata=ops)
    await fl.CancelFlight(pb.CancelFlightRequest(flight_id=f.id, reason="storm"), metadata=ops)
    expected = {
        (flights_service.FLIGHT_SCHEDULED, "FlightScheduled"),
        (flights_service.FLIGHT_DELAYED, "FlightDelayed"),
        (flights_service.FLIGHT_GATE_CHANGED, "FlightGateChanged"),
        (flights_service.FLIGHT_CANCELLED, "FlightCancelled"),
    }
    consumer = make_consumer(
        settings.kafka_bootstrap_servers or "", f"flights-test-{uuid.uuid4().hex[:8]}",
        *flights_service.FLIGHT_TOPICS, flights_service.ANNOUNCEMENT_MADE, session_timeout_ms=6000,
    )
    await consumer.start()
    seen: list[tuple[str, Envelope]] = []
    announced: list[Envelope] = []
    try:
        async with asyncio.timeout(60):
            while not (expected <= {(t_, e.type) for t_, e in seen} and len(announced) >= 3):
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    for r in records:
                        e = Envelope.from_json(r.value)
                        if e.key == f.id:
                            seen.append((r.topic, e))
                        elif r.topic == flights_service.ANNOUNCEMENT_MADE and e.payload.get("flight_id") == f.id:
                            announced.append(e)
    finally:
        await consumer.stop()
    by_type = {e.type: e for _, e in seen}
    assert len(seen) == 4  # the refused transition emitted nothing
    delayed = by_type["FlightDelayed"].payload
    assert delayed["previous_status"] == "scheduled" and delayed["delay_code"] == "93" and delayed["delay_minutes"] == 60
    assert delayed["flight"]["status"] == "delayed" and delayed["flight"]["version"] == 2
    snapshot = by_type["FlightCancelled"].payload["flight"]
    for key in ("id", "number", "origin", "destination", "origin_time_zone", "destination_time_zone", "plane_id", "gate",
                "status", "scheduled_departure", "scheduled_arrival", "estimated_departure", "estimated_arrival",
                "actual_departure", "actual_arrival", "boarding_starts", "seats", "diverted_to", "delay_code",
                "status_reason", "version"):
        assert key in snapshot, key
    assert snapshot["seats"] == [
        {"cabin_class": "vip", "capacity": 8, "sold": 0, "overbooking_percent": 0, "seats_left": 8},
        {"cabin_class": "normal", "capacity": 150, "sold": 0, "overbooking_percent": 0, "seats_left": 150},
    ]
    assert (snapshot["status"], snapshot["gate"], by_type["FlightCancelled"].payload["reason"]) == ("cancelled", "G2", "storm")
    assert by_type["FlightGateChanged"].payload["previous_gate"] == "G1"
    assert {e.payload["kind"] for e in announced} == {"delay", "gate_change", "cancellation"}
    assert {e.key for e in announced} == {x}


# ---------------------------------------------------------------- fares and search


async def test_set_fares_validates_everything_and_writes_all_or_nothing(fares: FareServiceStub, world: World, ops: Metadata, as_role) -> None:  # type: ignore[no-untyped-def]
    x, a = await world.airport(), await world.airport()

    def fare(amount: int = 10000, currency: str = "SGD", **kw: str) -> pb.Fare:
        base = dict(origin=x, destination=a, cabin_class="normal", passenger_type="adult", trip_type="one_way")
        return pb.Fare(**{**base, **kw}, amount=amount, currency=currency)

    good = fare()
    cases = [
        ([good, fare(amount=-1, passenger_type="child")], "amount"),
        ([good, fare(currency="sgd", passenger_type="child")], "currency"),
        ([good, fare(currency="MYR", passenger_type="child")], "one currency"),
        ([good, fare(passenger_type="senior")], "passenger_type"),
        ([good, fare(cabin_class="first")], "cabin_class"),
        ([good, fare(trip_type="multi")], "trip_type"),
        ([good, fare(destination=x)], "differ"),
        ([good, fare(destination="QQZ")], "unknown airport QQZ"),
        ([good, good], "twice"),
    ]
    for items, message in cases:
        assert message in await expect(INVALID, fares.SetFares(pb.SetFaresRequest(fares=items), metadata=ops))
    assert not (await fares.ListFares(pb.ListFaresRequest(origin=x))).fares
    await expect(grpc.StatusCode.PERMISSION_DENIED, fares.SetFares(pb.SetFaresRequest(fares=[good]), metadata=as_role(Role.PASSENGER)))

    rules = pb.FareRules(origin=x, destination=a, cabin_class="normal", refundable=False, change_fee=5000,
                         currency="SGD", checked_bags=1, bag_weight_kg=23)
    reply = await fares.SetFares(pb.SetFaresRequest(fares=[good], rules=[rules]), metadata=ops)
    rules.no_show_refund = "none"  # the default no-show rule, stated
    assert list(reply.fares) == [good] and list(reply.rules) == [rules]
    # a later batch must keep the route's currency...
    assert "one currency" in await expect(
        INVALID, fares.SetFares(pb.SetFaresRequest(fares=[fare(currency="MYR", passenger_type="child")]), metadata=ops)
    )
    # ...unless it moves all of it
    moved = [fare(currency="MYR"), fare(currency="MYR", passenger_type="child")]
    await fares.SetFares(pb.SetFaresRequest(
        fares=moved, rules=[pb.FareRules(**{**{f.name: v for f, v in rules.ListFields()}, "currency": "MYR"})]
    ), metadata=ops)
    listed = await fares.ListFares(pb.ListFaresRequest(origin=x, destination=a))
    assert {(f.passenger_type, f.currency) for f in listed.fares} == {("adult", "MYR"), ("child", "MYR")}
    assert [r.currency for r in listed.rules] == ["MYR"]


async def test_search_round_trip_vip_is_priced_from_the_fare_table(
    fl: FlightServiceStub, fares: FareServiceStub, ap: AirportServiceStub, as_role, settings: PlatformSettings
) -> None:  # type: ignore[no-untyped-def]
    admin = list(as_role(Role.ADMIN))
    await airport_seed.seed(ap, admin)
    await flights_seed.seed(fl, fares, admin)
    await flights_seed.seed(fl, fares, admin)  # idempotent: creates and fails nothing
    tomorrow = (datetime.now(ZoneInfo("Asia/Singapore")) + timedelta(days=1)).date()
    for num in ("XA101", "XA102", "XA201", "XA202", "XA301", "XA302"):
        listed = (await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights
        days = sorted(dt(f.scheduled_departure).astimezone(ZoneInfo(f.origin_time_zone)).date() for f in listed)
        assert days == [tomorrow + timedelta(days=i) for i in range(7)], num

    # the test's own fare table for the route, both directions
    table = {
        ("XSP", "AOR"): {"adult": 31000, "child": 23300, "infant": 3100},
        ("AOR", "XSP"): {"adult": 29000, "child": 21700, "infant": 2900},
    }
    await fares.SetFares(pb.SetFaresRequest(fares=[
        pb.Fare(origin=o, destination=d, cabin_class="vip", passenger_type=p, trip_type="round_trip", amount=amount, currency="SGD")
        for (o, d), amounts in table.items() for p, amount in amounts.items()
    ]), metadata=as_role(Role.OPS))

    request = pb.SearchRequest(
        origin="XSP", destination="AOR", departure_date=tomorrow.isoformat(), adults=2, children=1, infants=1,
        cabin_class="vip", trip_type="round_trip", return_date=tomorrow.isoformat(),
    )
    offers = (await fares.Search(request)).offers  # anyone: no token
    assert offers, "the seed's XA101/XA102 should be offered"
    offer = offers[0]
    out, back = offer.legs
    assert (out.flight.number, back.flight.number) == ("XA101", "XA102")
    assert dt(out.flight.estimated_departure).astimezone(ZoneInfo(out.flight.origin_time_zone)).strftime("%H:%M") == "08:00"
    assert out.seats_left == 8 and back.seats_left == 8  # seed A320: 8 VIP seats, none sold
    counts = {"adult": 2, "child": 1, "infant": 1}
    unit = {p: table[("XSP", "AOR")][p] + table[("AOR", "XSP")][p] for p in counts}
    assert [(line.passenger_type, line.count, line.unit_amount, line.amount) for line in offer.breakdown] == [
        (p, n, unit[p], unit[p] * n) for p, n in counts.items()
    ]
    assert offer.total == sum(unit[p] * n for p, n in counts.items()) == 2 * 60000 + 45000 + 6000
    assert (offer.currency, offer.cabin_class, offer.trip_type, offer.adults, offer.children, offer.infants) == (
        "SGD", "vip", "round_trip", 2, 1, 1)
    assert out.rules.refundable and out.rules.checked_bags == 2 and out.rules.bag_weight_kg == 32
    assert offer.expires_at.seconds > datetime.now(timezone.utc).timestamp() + 1700

    # the offer comes back exactly as priced, even after the fares change
    await fares.SetFares(pb.SetFaresRequest(fares=[pb.Fare(
        origin="XSP", destination="AOR", cabin_class="vip", passenger_type="adult", trip_type="round_trip",
        amount=99900, currency="SGD")]), metadata=as_role(Role.OPS))
    again = await fares.GetOffer(pb.GetOfferRequest(offer_id=offer.offer_id))
    assert (again.total, list(again.breakdown)) == (offer.total, list(offer.breakdown))
    assert [leg.flight.id for leg in again.legs] == [out.flight.id, back.flight.id]
    assert (await fares.Search(request)).offers[0].total == offer.total - 2 * 31000 + 2 * 99900

    # tampered and expired offers are refused
    header, body, signature = offer.offer_id.split(".")
    forged = jwt.encode({**jwt.decode(offer.offer_id, options={"verify_signature": False}), "total": 1}, "x" * 48, algorithm="HS256")
    assert "not a valid offer" in await expect(INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=forged)))
    assert "not a valid offer" in await expect(INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=f"{header}.{body}x.{signature}")))
    secret = settings.secret("flights_offer_key")
    expired = jwt.encode({**jwt.decode(offer.offer_id, secret, algorithms=["HS256"], audience="flights-offer"),
                          "exp": int(datetime.now(timezone.utc).timestamp()) - 10}, secret, algorithm="HS256")
    assert "expired" in await expect(INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=expired)))
    # an access token is not an offer (another audience)
    access = as_role(Role.ADMIN)[0][1].split(" ")[1]
    await expect(INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=access)))


async def test_search_filters_and_input(fl: FlightServiceStub, fares: FareServiceStub, world: World, ops: Metadata) -> None:
    x = await world.airport("Asia/Singapore")
    a = await world.airport("Asia/Kuala_Lumpur")
    await fares.SetFares(pb.SetFaresRequest(fares=[
        pb.Fare(origin=x, destination=a, cabin_class=c, passenger_type=p, trip_type="one_way", amount=1000 * (i + 1), currency="SGD")
        for c in ("vip", "normal") for i, p in enumerate(("adult", "child", "infant"))
    ]), metadata=ops)
    day = (datetime.now(ZoneInfo("Asia/Singapore")) + timedelta(days=90)).date()
    at = lambda d, h: datetime(d.year, d.month, d.day, h, tzinfo=ZoneInfo("Asia/Singapore"))  # noqa: E731
    f0 = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day, 8)), metadata=ops)
    f1 = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day + timedelta(days=1), 8)), metadata=ops)
    f2 = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day + timedelta(days=2), 8)), metadata=ops)
    cancelled = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day, 12)), metadata=ops)
    await fl.CancelFlight(pb.CancelFlightRequest(flight_id=cancelled.id, reason="x"), metadata=ops)

    def search(**kw: object) -> pb.SearchRequest:
        base: dict[str, object] = dict(origin=x, destination=a, departure_date=day.isoformat(), adults=1, cabin_class="normal", trip_type="one_way")
        return pb.SearchRequest(**{**base, **kw})  # type: ignore[arg-type]

    ids = lambda reply: [o.legs[0].flight.id for o in reply.offers]  # noqa: E731
    assert ids(await fares.Search(search())) == [f0.id]
    assert ids(await fares.Search(search(flexible_days=1))) == [f0.id, f1.id]
    assert ids(await fares.Search(search(departure_date=(day + timedelta(days=1)).isoformat(), flexible_days=1))) == [f0.id, f1.id, f2.id]
    # 9 seats: more than the 8 VIP seats (infants sit on laps and need none)
    assert ids(await fares.Search(search(cabin_class="vip", adults=5, children=4))) == []
    assert ids(await fares.Search(search(cabin_class="vip", adults=4, children=4, infants=1))) == [f0.id]
    one = (await fares.Search(search(adults=2, children=1, infants=1))).offers[0]
    assert one.total == 2 * 1000 + 2000 + 3000
    # no round-trip fares: round trips are not offered
    assert not (await fares.Search(search(trip_type="round_trip", return_date=(day + timedelta(days=3)).isoformat()))).offers

    for kw, message in [
        ({"adults": 0}, "adult"),
        ({"adults": 1, "infants": 2}, "infant"),
        ({"adults": 5, "children": 5}, "at most 9"),
        ({"cabin_class": "first"}, "cabin_class"),
        ({"trip_type": "round_trip"}, "return_date"),
        ({"trip_type": "round_trip", "return_date": (day - timedelta(days=1)).isoformat()}, "return_date"),
        ({"departure_date": "tomorrow"}, "departure_date"),
        ({"flexible_days": 4}, "flexible_days"),
        ({"destination": x}, "differ"),
    ]:
        assert message in await expect(INVALID, fares.Search(search(**kw)))


async def test_search_stays_fast_with_thousands_of_flights(
    fares: FareServiceStub, world: World, ops: Metadata, services: dict[str, RunningService]
) -> None:
    from airline.flights import store

    x, a = await world.airport("Asia/Singapore"), await world.airport("Asia/Kuala_Lumpur")
    await fares.SetFares(pb.SetFaresRequest(fares=[
        pb.Fare(origin=o, destination=d, cabin_class="normal", passenger_type=p, trip_type=t, amount=10000, currency="SGD")
        for o, d in ((x, a), (a, x)) for p in ("adult", "child", "infant") for t in ("one_way", "round_trip")
    ]), metadata=ops)
    # 60 days x 12 flights a day each way, written straight to the table (creation has its own tests)
    first = (datetime.now(ZoneInfo("Asia/Singapore")) + timedelta(days=100)).date()
    rows, cabins = [], []
    for day in range(60):
        d = first + timedelta(days=day)
        for i in range(12):
            for origin, dest, zone_ in ((x, a, "Asia/Singapore"), (a, x, "Asia/Kuala_Lumpur")):
                dep = datetime(d.year, d.month, d.day, 6 + i, 0, tzinfo=ZoneInfo(zone_)).astimezone(timezone.utc)
                fid = str(uuid.uuid4())
                rows.append(dict(
                    id=fid, number=f"TP{len(rows) % 9999 + 1}", origin=origin, destination=dest,
                    origin_time_zone=zone_, destination_time_zone="UTC", plane_id="P1", gate=f"B{len(rows)}",
                    status="scheduled", scheduled_departure=dep, scheduled_arrival=dep + H, estimated_departure=dep,
                    estimated_arrival=dep + H, boarding_starts=dep - 40 * M, departure_local_date=d,
                ))
                cabins += [dict(flight_id=fid, cabin_class="normal", capacity=150, sold=min(150, i * 14)),
                           dict(flight_id=fid, cabin_class="vip", capacity=8, sold=0)]
    db = services["flights"].runtime.db
    async with db.uow() as uow:
        await uow.conn.execute(store.flights.insert(), rows)
        await uow.conn.execute(store.flight_cabins.insert(), cabins)
        await uow.commit()
    assert len(rows) >= 1000

    day = first + timedelta(days=30)
    request = pb.SearchRequest(
        origin=x, destination=a, departure_date=day.isoformat(), flexible_days=3, adults=2, children=1,
        cabin_class="normal", trip_type="round_trip", return_date=(day + timedelta(days=2)).isoformat(),
    )
    await fares.Search(request)  # warm up
    started = time.perf_counter()
    reply = await fares.Search(request)
    elapsed = time.perf_counter() - started
    assert len(reply.offers) == 20 and elapsed < 1.0, elapsed
    # the busiest flights (sold out down to < 3 seats) are left out
    assert all(leg.seats_left >= 3 for o in reply.offers for leg in o.legs)
    one_way = await fares.Search(pb.SearchRequest(origin=x, destination=a, departure_date=day.isoformat(),
                                                  flexible_days=3, adults=1, cabin_class="normal", trip_type="one_way"))
    assert len(one_way.offers) == 7 * 11  # the 17:00 flights are sold out
