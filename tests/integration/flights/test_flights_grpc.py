"""The flights service through its real gRPC server, the real airport service, PostgreSQL and
the broker."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc
import sqlalchemy as sa

from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.bootstrap import build_services
from airline.flights.settings import FlightsSettings
from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Role
from airline.platform.runtime import RunningService
from tests.support.factories import unknown_airport_code
from tests.support.flights import (
    FAILED,
    INVALID,
    H,
    M,
    Metadata,
    World,
    available,
    dt,
    expect,
    flight_request,
    number,
    schedule_request,
    soon,
    ts,
)

# ---------------------------------------------------------------- creating flights


async def test_overbooking_is_an_ops_policy_per_cabin(
    fl: FlightServiceStub, world: World, ops: Metadata, as_role
) -> None:  # type: ignore[no-untyped-def]
    x, a = await world.airport(), await world.airport()
    f = await fl.CreateFlight(flight_request(x, a, await world.plane(x), soon()), metadata=ops)
    request = pb.SetOverbookingRequest(flight_id=f.id, cabin_class="normal", percent=20)
    await expect(grpc.StatusCode.UNAUTHENTICATED, fl.SetOverbooking(request))
    for role in (Role.PASSENGER, Role.AGENT, Role.CREW):
        await expect(grpc.StatusCode.PERMISSION_DENIED, fl.SetOverbooking(request, metadata=as_role(role)))
    for bad in (
        pb.SetOverbookingRequest(flight_id=f.id, cabin_class="normal", percent=21),
        pb.SetOverbookingRequest(flight_id=f.id, cabin_class="normal", percent=-5),
        pb.SetOverbookingRequest(flight_id=f.id, cabin_class="first", percent=5),
    ):
        await expect(INVALID, fl.SetOverbooking(bad, metadata=ops))
    await expect(
        grpc.StatusCode.NOT_FOUND,
        fl.SetOverbooking(
            pb.SetOverbookingRequest(flight_id=str(uuid.uuid4()), cabin_class="vip", percent=5), metadata=ops
        ),
    )
    changed = await fl.SetOverbooking(request, metadata=ops)
    assert {(s.cabin_class, s.capacity, s.overbooking_percent, s.seats_left) for s in changed.seats} == {
        ("vip", 8, 0, 8),
        ("normal", 150, 20, 180),
    }
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
    await expect(
        grpc.StatusCode.PERMISSION_DENIED,
        fl.CancelFlight(pb.CancelFlightRequest(flight_id=created.id, reason="x"), metadata=as_role(Role.PASSENGER)),
    )


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
        ("vip", 8, 0, 0, 8),
        ("normal", 150, 0, 0, 150),
    }
    assert f.version == 1 and f.created_at.seconds > 0 and not f.HasField("actual_departure")

    listed = await fl.ListFlights(
        pb.ListFlightsRequest(airport=x, **{"from": ts(departure - H), "to": ts(departure + H)})
    )
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


async def test_bad_flights_are_refused_and_not_written(
    fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata
) -> None:
    x, a = await world.airport(), await world.airport()
    await ap.UpdateGate(apb.UpdateGateRequest(airport_code=x, code="G3", status="closed"), metadata=ops)
    plane = await world.plane(x)
    grounded = await world.plane(x, status="maintenance")
    t = soon()
    num, unknown = number(), unknown_airport_code()
    cases = [
        (INVALID, flight_request(x, x, plane, t, num=num), "differ"),
        (INVALID, flight_request(x, unknown, plane, t, num=num), f"unknown airport {unknown}"),
        (INVALID, flight_request(x, a, plane, datetime.now(UTC) - H, num=num), "future"),
        (INVALID, flight_request(x, a, plane, t, gate="Z9", num=num), "gate Z9"),
        (INVALID, flight_request(x, a, "P9NOPE", t, num=num), "unknown plane P9NOPE"),
        (INVALID, flight_request(x, a, plane, t, minutes=0, num=num), "duration"),
        (INVALID, flight_request(x, a, plane, t, num="not a number"), "number"),
        (
            INVALID,
            pb.CreateFlightRequest(number=num, origin=x, destination=a, duration_minutes=60, plane_id=plane, gate="G1"),
            "departure",
        ),
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


async def test_a_plane_cannot_depart_from_an_airport_it_is_not_at(
    fl: FlightServiceStub, world: World, ops: Metadata
) -> None:
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
        outbound=flight_request(x, a, plane, t, num=out_no),
        return_number=back_no,
        return_departure=ts(t + 4 * H),
        return_gate="G2",
    )
    reply = await fl.CreateRoundTrip(request, metadata=ops)
    outbound, back = reply.flights
    assert reply.round_trip_id and outbound.round_trip_id == back.round_trip_id == reply.round_trip_id
    assert (back.number, back.origin, back.destination, back.gate, back.plane_id) == (back_no, a, x, "G2", plane)
    assert dt(back.scheduled_arrival) == t + 4 * H + 90 * M  # the outbound's duration by default
    assert plane in await available(ap, x, t + 7 * H, t + 10 * H)  # home again, after the turnaround

    too_soon = pb.CreateRoundTripRequest(
        outbound=flight_request(x, a, await world.plane(x), t + 24 * H),
        return_number=number(),
        return_departure=ts(t + 24 * H + 100 * M),
        return_gate="G2",
    )
    assert "turnaround" in await expect(INVALID, fl.CreateRoundTrip(too_soon, metadata=ops))
    # all or none: the return leg's gate is taken, so the outbound is not created either
    blocker = await world.plane(a)
    await fl.CreateFlight(flight_request(a, x, blocker, t + 48 * H + 4 * H, gate="G3"), metadata=ops)
    spare = await world.plane(x)
    blocked = pb.CreateRoundTripRequest(
        outbound=flight_request(x, a, spare, t + 48 * H, num=number()),
        return_number=number(),
        return_departure=ts(t + 48 * H + 4 * H + 10 * M),
        return_gate="G3",
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
        flight_request(
            x,
            a,
            other,
            datetime(taken_day.year, taken_day.month, taken_day.day, 8, 10, tzinfo=ZoneInfo("Asia/Singapore")),
            gate="G1",
        ),
        metadata=ops,
    )
    request = schedule_request(x, a, plane, first, 10, minutes=85)
    num, back = request.number, request.return_number
    details = await expect(FAILED, fl.CreateSchedule(request, metadata=ops))
    assert f"{num} on {taken_day.isoformat()}: gate G1 is taken by {intruder.number} 07:30-08:10 local" in details
    assert details.count("gate G1 is taken") == 1  # the other days are fine
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=back))).flights
    assert plane in await available(
        ap, x, datetime.now(UTC) + timedelta(days=39), datetime.now(UTC) + timedelta(days=52)
    )

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
    assert {dt(f.scheduled_departure).astimezone(ZoneInfo("Asia/Kuala_Lumpur")).strftime("%H:%M") for f in returns} == {
        "15:00"
    }
    assert {f.schedule_id for f in reply.flights} == {reply.schedule_id}

    # again: every day is now a duplicate, and nothing new is created
    details = await expect(grpc.StatusCode.ALREADY_EXISTS, fl.CreateSchedule(request, metadata=ops))
    assert f"{num} on {first.isoformat()} already exists" in details
    assert len((await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights) == len(days)


def _fields(message: pb.CreateScheduleRequest) -> dict[str, object]:
    return {f.name: v for f, v in message.ListFields()}


async def test_a_schedule_whose_plane_is_busy_names_the_conflict(
    fl: FlightServiceStub, world: World, ops: Metadata
) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    first = (datetime.now(UTC) + timedelta(days=60)).date()
    busy_day = first + timedelta(days=2)
    busy = await fl.CreateFlight(
        flight_request(x, a, plane, datetime(busy_day.year, busy_day.month, busy_day.day, 7, 0, tzinfo=UTC), gate="G3"),
        metadata=ops,
    )
    request = schedule_request(x, a, plane, first, 5, out=("G1", "06:00"), back=("G1", "12:00"))
    details = await expect(FAILED, fl.CreateSchedule(request, metadata=ops))
    assert plane in details and busy.number in details
    assert not (await fl.ListFlights(pb.ListFlightsRequest(number=request.number))).flights


async def test_schedule_input(fl: FlightServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    good = dict(
        number=number(),
        origin=x,
        destination=a,
        plane_id=plane,
        gate="G1",
        departure_local_time="08:00",
        duration_minutes=60,
        first_date=(datetime.now(UTC) + timedelta(days=80)).date().isoformat(),
        days=3,
    )
    for change, message in [
        ({"departure_local_time": "8am"}, "departure_local_time"),
        ({"first_date": "2026-13-01"}, "first_date"),
        ({"days": 0}, "days"),
        ({"days": 400}, "days"),
        ({"weekdays": [8]}, "weekdays"),
        ({"return_number": number(), "return_gate": "G1", "return_departure_local_time": "08:30"}, "turnaround"),
        ({"first_date": "2020-01-01"}, "future"),
    ]:
        assert message in await expect(
            INVALID, fl.CreateSchedule(pb.CreateScheduleRequest(**{**good, **change}), metadata=ops)
        )


async def test_concurrent_creates_for_one_gate_exactly_one_wins(
    fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata
) -> None:
    x, a = await world.airport(), await world.airport()
    planes = [await world.plane(x) for _ in range(12)]
    t = soon()
    # every gate window overlaps every other: all contain [t - 10m, t)
    requests = [flight_request(x, a, p, t + (i % 4) * 7 * M, gate="G1") for i, p in enumerate(planes)]
    results = await asyncio.gather(*(fl.CreateFlight(r, metadata=ops) for r in requests), return_exceptions=True)
    wins = [r for r in results if isinstance(r, pb.Flight)]
    losses = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(wins) == 1 and len(losses) == len(requests) - 1, [
        str(r) for r in results if not isinstance(r, (pb.Flight, grpc.aio.AioRpcError))
    ]
    assert {e.code() for e in losses} == {FAILED}
    assert all("gate G1" in (e.details() or "") for e in losses)
    listed = await fl.ListFlights(pb.ListFlightsRequest(airport=x))
    assert [f.id for f in listed.flights] == [wins[0].id]
    # the losers' planes were never committed (or were released)
    free = await available(ap, x, t - H, t + 3 * H)
    assert free == set(planes) - {wins[0].plane_id}


async def test_concurrent_creates_for_one_plane_exactly_one_wins(
    fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata
) -> None:
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
        await uow.conn.execute(
            store.flights.insert().values(
                id=flight_id,
                number=number(),
                origin=x,
                destination=a,
                origin_time_zone="UTC",
                destination_time_zone="UTC",
                plane_id=plane,
                gate="G1",
                status="pending",
                scheduled_departure=t,
                scheduled_arrival=t + H,
                estimated_departure=t,
                estimated_arrival=t + H,
                boarding_starts=t - 40 * M,
                departure_local_date=t.date(),
                created_at=datetime.now(UTC) - timedelta(minutes=10),
            )
        )
        await uow.commit()
    await ap.CommitPlanes(
        apb.CommitPlanesRequest(
            commitments=[
                apb.CommitPlaneRequest(
                    reference=flight_id,
                    plane_id=plane,
                    origin=x,
                    destination=a,
                    starts_at=ts(t),
                    ends_at=ts(t + H + 45 * M),
                )
            ]
        ),
        metadata=ops,
    )
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
        await uow.conn.execute(
            store.flights.update()
            .where(store.flights.c.id == again.id)
            .values(status="cancelled", plane_release_pending=True)
        )
        await uow.commit()
    assert plane not in await available(ap, x, t - H, t + 2 * H)
    with runtime.acting_as_system():
        _, released = await flights.recover()
    assert again.id in released
    assert plane in await available(ap, x, t - H, t + 2 * H)
    with runtime.acting_as_system():
        assert again.id not in (await flights.recover())[1]  # done once, not again
