"""The reservation service through its real gRPC server, with the real airport and flights
services, PostgreSQL, Redis and the broker."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.contracts.events import reservation as reservation_events
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Role
from airline.platform.kafka import ensure_topics, make_consumer
from airline.reservation import store
from airline.reservation.domain import SeatRequest
from airline.reservation.holds import HoldStore, seat_key
from airline.reservation.v1 import reservation_pb2 as pb
from tests.support.reservation import DENIED, FAILED, INVALID, Platform, expect, when

# ---------------------------------------------------------------- seat maps


async def test_seat_map_of_a_real_flight(world: Platform) -> None:
    flight = await world.flight()
    reply = await world.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight.id))  # anyone
    seats = {s.seat: s for s in reply.seats}
    assert reply.plane_id == flight.plane_id and not reply.cancelled
    assert len(seats) == 2 * 4 + 8 * 6
    assert (seats["1A"].cabin_class, seats["1A"].position, seats["1C"].position) == ("vip", "window", "aisle")
    assert (seats["3B"].cabin_class, seats["3B"].position, seats["3B"].row, seats["3B"].letter) == (
        "normal",
        "middle",
        3,
        "B",
    )
    assert seats["5A"].exit_row and not seats["4A"].exit_row
    assert seats["10F"].blocked and not seats["10E"].blocked
    assert {s.state for s in seats.values()} == {"free"}
    counts = {a.cabin_class: (a.total, a.free, a.held, a.taken) for a in reply.availability}
    assert counts == {"vip": (8, 8, 0, 0), "normal": (47, 47, 0, 0)}
    # the counts agree with what flights computed from the same layout
    assert {c.cabin_class: c.capacity for c in flight.seats} == {"vip": 8, "normal": 47}
    available = await world.rs.CountAvailable(pb.CountAvailableRequest(flight_id=flight.id))
    assert [(a.cabin_class, a.free) for a in available.availability] == [("vip", 8), ("normal", 47)]
    await expect(grpc.StatusCode.NOT_FOUND, world.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id=str(uuid.uuid4()))))
    await expect(INVALID, world.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id="")))


async def test_flight_scheduled_event_stores_the_seats(world: Platform) -> None:
    flight = await world.flight()
    seats = store.flight_seats
    deadline = time.monotonic() + 30
    async with world.service.runtime.db.engine.connect() as conn:
        while True:
            count = (
                await conn.execute(sa.select(sa.func.count()).select_from(seats).where(seats.c.flight_id == flight.id))
            ).scalar_one()
            await conn.rollback()
            if count or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
    assert count == 56  # consumed from FlightScheduled, nobody asked for the map


# ---------------------------------------------------------------- holds


async def test_hold_is_all_or_nothing_and_shows_on_the_map(world: Platform) -> None:
    flight = await world.flight()
    _, alice = world.passenger()
    _, bob = world.passenger()
    hold = await world.hold(flight.id, alice, "3A", "3B")
    assert hold.hold_id and hold.flight_id == flight.id and [s.seat for s in hold.seats] == ["3A", "3B"]
    assert timedelta(seconds=590) < when(hold.expires_at) - datetime.now(UTC) <= timedelta(seconds=601)

    details = await expect(FAILED, world.hold(flight.id, bob, "3B", "3C"))
    assert "3B" in details and "3C" not in details
    mine = await world.states(flight.id, alice)
    theirs = await world.states(flight.id, bob)
    anyone = await world.states(flight.id)
    assert (mine["3A"].state, mine["3A"].mine, mine["3B"].mine) == ("held", True, True)
    assert (theirs["3A"].state, theirs["3A"].mine) == ("held", False)
    assert anyone["3C"].state == "free"  # nothing of bob's failed request stayed held
    await world.hold(flight.id, bob, "3C")
    counts = await world.rs.CountAvailable(pb.CountAvailableRequest(flight_id=flight.id))
    assert [(a.cabin_class, a.free, a.held) for a in counts.availability] == [("vip", 8, 0), ("normal", 44, 3)]


async def test_seat_rules_on_holds(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    assert "infant" in await expect(INVALID, world.hold(flight.id, pax, "3A", kind="infant"))
    assert "exit row" in await expect(INVALID, world.hold(flight.id, pax, "5A", kind="child"))
    assert "vip cabin" in await expect(INVALID, world.hold(flight.id, pax, "1A", cabin="normal"))
    assert "normal cabin" in await expect(INVALID, world.hold(flight.id, pax, "3A", cabin="vip"))
    assert "blocked" in await expect(INVALID, world.hold(flight.id, pax, "10F"))
    await expect(INVALID, world.hold(flight.id, pax, *[f"{r}{c}" for r in (6, 7) for c in "ABCDEF"]))
    await world.hold(flight.id, pax, "1A", cabin="vip")
    await world.hold(flight.id, pax, "5A", kind="adult")
    await world.hold(flight.id, pax, "6A", kind="child")
    # nothing of the refused requests was held
    assert (await world.states(flight.id))["3A"].state == "free"


async def test_cancelled_flight_takes_no_new_holds(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    await world.states(flight.id)  # known before the cancellation
    await world.fl.CancelFlight(fpb.CancelFlightRequest(flight_id=flight.id, reason="weather"), metadata=world.ops)
    deadline = time.monotonic() + 30
    while True:  # the cancellation arrives as an event
        reply = await world.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight.id))
        if reply.cancelled or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert reply.cancelled
    assert "cancelled" in await expect(FAILED, world.hold(flight.id, pax, "3A"))


async def test_only_the_owner_touches_a_hold(world: Platform) -> None:
    flight = await world.flight()
    alice_id, alice = world.passenger()
    _, bob = world.passenger()
    await expect(grpc.StatusCode.UNAUTHENTICATED, world.hold(flight.id, (), "3A"))
    await expect(DENIED, world.hold(flight.id, bob, "3A", owner=alice_id))
    hold = await world.hold(flight.id, alice, "3A")
    assert hold.owner == alice_id
    for call in (
        world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=bob),
        world.rs.ExtendHold(pb.ExtendHoldRequest(hold_id=hold.hold_id), metadata=bob),
        world.rs.ReleaseHold(pb.ReleaseHoldRequest(hold_id=hold.hold_id), metadata=bob),
    ):
        await expect(DENIED, call)
    # passengers cannot confirm (that waits for the payment): services and desk staff can
    await expect(
        DENIED, world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref="B1"), metadata=alice)
    )
    await expect(
        DENIED,
        world.rs.AssignSeats(
            pb.AssignSeatsRequest(
                flight_id=flight.id,
                booking_ref="B1",
                seats=[pb.SeatRequest(seat="4A", passenger_ref="x", passenger_type="adult", cabin_class="normal")],
            ),
            metadata=alice,
        ),
    )
    await expect(DENIED, world.rs.ReleaseAssignments(pb.ReleaseAssignmentsRequest(booking_ref="B1"), metadata=alice))
    assert (await world.states(flight.id))["3A"].state == "held"
    # a service holds on behalf of an owner it names, and may act on it
    on_behalf = await world.hold(flight.id, world.system, "4A", owner="booking-123")
    assert on_behalf.owner == "booking-123"
    assert (await world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=world.system)).owner == alice_id
    assert list((await world.rs.ReleaseHold(pb.ReleaseHoldRequest(hold_id=hold.hold_id), metadata=alice)).released) == [
        "3A"
    ]
    assert (await world.states(flight.id))["3A"].state == "free"
    await expect(grpc.StatusCode.NOT_FOUND, world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=alice))


async def test_hold_is_idempotent_by_its_id(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    seats = [pb.SeatRequest(seat="7C", passenger_ref="p1", passenger_type="adult", cabin_class="normal")]
    request = pb.HoldSeatsRequest(flight_id=flight.id, seats=seats, hold_id=f"h-{uuid.uuid4().hex}")
    first = await world.rs.HoldSeats(request, metadata=pax)
    again = await world.rs.HoldSeats(request, metadata=pax)
    assert first == again and first.hold_id == request.hold_id
    other = pb.HoldSeatsRequest(
        flight_id=flight.id,
        hold_id=request.hold_id,
        seats=[pb.SeatRequest(seat="7D", passenger_ref="p1", passenger_type="adult", cabin_class="normal")],
    )
    assert "another request" in await expect(FAILED, world.rs.HoldSeats(other, metadata=pax))
    assert (await world.states(flight.id))["7D"].state == "free"


async def test_extend_a_hold(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    hold = await world.hold(flight.id, pax, "8A", ttl_seconds=30)
    assert when(hold.expires_at) - datetime.now(UTC) <= timedelta(seconds=31)
    longer = await world.rs.ExtendHold(pb.ExtendHoldRequest(hold_id=hold.hold_id), metadata=pax)
    assert when(longer.expires_at) - datetime.now(UTC) > timedelta(seconds=590)
    ttl = await world.service.runtime.redis.pttl(seat_key(flight.id, "8A"))  # type: ignore[union-attr]
    assert ttl > 590_000  # the seat key itself lives longer now, not just the record
    # asking for less never shortens a hold
    same = await world.rs.ExtendHold(pb.ExtendHoldRequest(hold_id=hold.hold_id, ttl_seconds=5), metadata=pax)
    assert same.expires_at == longer.expires_at


async def test_expired_hold_frees_its_seats_and_tells_the_live_map(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    redis = world.service.runtime.redis
    assert redis is not None
    messages: list[dict[str, Any]] = []
    pubsub = redis.pubsub()
    await pubsub.subscribe(f"live:seatmap:{flight.id}")
    await pubsub.get_message(timeout=1)  # the subscribe confirmation

    async def listen() -> None:
        while True:
            m = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            if m is not None:
                messages.append({**json.loads(m["data"]), "_received": time.time()})

    listener = asyncio.create_task(listen())
    try:
        hold = await world.hold(flight.id, pax, "9A", "9B", ttl_seconds=1)
        expires = when(hold.expires_at).timestamp()
        assert (await world.states(flight.id))["9A"].state == "held"
        deadline = time.time() + 5
        while not any(m["type"] == "SeatsReleased" for m in messages) and time.time() < deadline:
            await asyncio.sleep(0.05)
    finally:
        listener.cancel()
        await pubsub.aclose()
    held, released = (
        [m for m in messages if m["type"] == "SeatsHeld"],
        [m for m in messages if m["type"] == "SeatsReleased"],
    )
    assert [(m["seats"], m["state"]) for m in held] == [(["9A", "9B"], "held")]
    assert [(m["seats"], m["state"], m["reason"]) for m in released] == [(["9A", "9B"], "free", "expired")]
    assert released[0]["_received"] - expires < 1.0  # within a second of the expiry
    assert "hold_id" not in held[0] and "owner" not in held[0]
    seats = await world.states(flight.id)
    assert (seats["9A"].state, seats["9B"].state) == ("free", "free")
    await expect(grpc.StatusCode.NOT_FOUND, world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=pax))
    await expect(FAILED, world.rs.ExtendHold(pb.ExtendHoldRequest(hold_id=hold.hold_id), metadata=pax))
    _, other = world.passenger()
    await world.hold(flight.id, other, "9A")  # somebody else may have it now


# ---------------------------------------------------------------- assignments


async def _events(world: Platform, topic: str, key: str, count: int = 1) -> list[dict[str, Any]]:
    """The events of `topic` keyed by `key`, as published through the outbox to the broker."""
    bootstrap = world.settings.kafka_bootstrap_servers or ""
    await ensure_topics(bootstrap, [topic])
    consumer = make_consumer(bootstrap, f"reservation-test-{uuid.uuid4().hex[:8]}", topic, session_timeout_ms=6000)
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        async with asyncio.timeout(60):
            while len(found) < count:
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    found += [json.loads(r.value) for r in records if r.key and r.key.decode() == key]
    finally:
        await consumer.stop()
    return found


async def test_confirm_writes_assignments_once(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    hold = await world.hold(flight.id, pax, "4B", "4C")
    request = pb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref="BK-1")
    first = await world.rs.ConfirmHold(request, metadata=world.system)
    assert [(a.seat, a.booking_ref, a.hold_id) for a in first.assignments] == [
        ("4B", "BK-1", hold.hold_id),
        ("4C", "BK-1", hold.hold_id),
    ]
    again = await world.rs.ConfirmHold(request, metadata=world.as_(Role.CS))
    assert again == first
    assert "another booking" in await expect(
        FAILED,
        world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref="BK-2"), metadata=world.system),
    )
    seats = await world.states(flight.id, pax)
    assert (seats["4B"].state, seats["4B"].mine) == ("taken", False)
    await expect(grpc.StatusCode.NOT_FOUND, world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=pax))
    assert await world.service.runtime.redis.get(seat_key(flight.id, "4B")) is None  # type: ignore[union-attr]
    [event] = await _events(world, reservation_events.SEATS_ASSIGNED.topic, flight.id)
    assert event["type"] == "SeatsAssigned" and [a["seat"] for a in event["payload"]["assignments"]] == ["4B", "4C"]
    _, other = world.passenger()
    assert "taken" in await expect(FAILED, world.hold(flight.id, other, "4C"))
    listed = await world.rs.ListAssignments(
        pb.ListAssignmentsRequest(booking_ref="BK-1", flight_id=flight.id), metadata=world.system
    )
    assert [a.seat for a in listed.assignments] == ["4B", "4C"]


async def test_postgres_guards_seats_when_redis_forgets(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    hold = await world.hold(flight.id, pax, "6D")
    await world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref="BK-A"), metadata=world.system)
    redis = world.service.runtime.redis
    assert redis is not None
    # Redis loses everything it knew about this flight's seats
    async for key in redis.scan_iter(match=f"reservation:seat:{flight.id}:*"):
        await redis.delete(key)
    _, other = world.passenger()
    assert "taken" in await expect(FAILED, world.hold(flight.id, other, "6D"))
    # even a hold Redis granted without asking PostgreSQL (a lost race) cannot be confirmed
    rogue = f"rogue-{uuid.uuid4().hex}"
    await HoldStore(redis).hold(
        rogue,
        flight.id,
        "someone",
        [
            SeatRequest.from_dict(
                {"seat": "6D", "passenger_ref": "p-rogue", "passenger_type": "adult", "cabin_class": "normal"}
            )
        ],
        60_000,
        0,
    )
    details = await expect(
        FAILED, world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id=rogue, booking_ref="BK-B"), metadata=world.system)
    )
    assert "6D" in details and "taken" in details
    async with world.service.runtime.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.select(store.assignments.c.booking_ref).where(
                    store.assignments.c.flight_id == flight.id, store.assignments.c.seat == "6D"
                )
            )
        ).all()
    assert [r.booking_ref for r in rows] == ["BK-A"]


async def test_confirm_after_expiry_succeeds_only_if_the_seats_are_still_free(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    late = await world.hold(flight.id, pax, "7A", ttl_seconds=1)
    lost = await world.hold(flight.id, pax, "7B", ttl_seconds=1)
    await asyncio.sleep(1.5)
    _, other = world.passenger()
    await world.hold(flight.id, other, "7B")  # someone took 7B meanwhile
    ok = await world.rs.ConfirmHold(
        pb.ConfirmHoldRequest(hold_id=late.hold_id, booking_ref="BK-L"), metadata=world.system
    )
    assert [a.seat for a in ok.assignments] == ["7A"]
    assert "7B" in await expect(
        FAILED,
        world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id=lost.hold_id, booking_ref="BK-X"), metadata=world.system),
    )
    await expect(
        grpc.StatusCode.NOT_FOUND,
        world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id="never-was", booking_ref="BK-X"), metadata=world.system),
    )


async def test_assign_directly_moves_a_passenger_and_respects_holds(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    agent = world.as_(Role.AGENT)

    def seat(label: str, ref: str = "pax-1", kind: str = "adult") -> pb.SeatRequest:
        return pb.SeatRequest(seat=label, passenger_ref=ref, passenger_type=kind, cabin_class="normal")

    first = await world.rs.AssignSeats(
        pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-M", seats=[seat("8C")]), metadata=agent
    )
    assert [a.seat for a in first.assignments] == ["8C"]
    moved = await world.rs.AssignSeats(
        pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-M", seats=[seat("8D")]), metadata=agent
    )
    assert [a.seat for a in moved.assignments] == ["8D"]
    seats = await world.states(flight.id)
    assert (seats["8C"].state, seats["8D"].state) == ("free", "taken")
    await world.hold(flight.id, pax, "8E")
    assert "held" in await expect(
        FAILED,
        world.rs.AssignSeats(
            pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-N", seats=[seat("8E", "pax-2")]), metadata=agent
        ),
    )
    assert "taken" in await expect(
        FAILED,
        world.rs.AssignSeats(
            pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-N", seats=[seat("8D", "pax-2")]), metadata=agent
        ),
    )
    await expect(
        INVALID,
        world.rs.AssignSeats(
            pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-N", seats=[seat("5B", "kid", "child")]),
            metadata=agent,
        ),
    )
    assert (await world.states(flight.id))["8E"].state == "held"  # the refused assignment left the hold alone


async def test_release_assignments_of_a_cancelled_booking(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    hold = await world.hold(flight.id, pax, "3D", "3E")
    await world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref="BK-C"), metadata=world.system)
    released = await world.rs.ReleaseAssignments(
        pb.ReleaseAssignmentsRequest(booking_ref="BK-C"), metadata=world.system
    )
    assert [a.seat for a in released.assignments] == ["3D", "3E"]
    assert (
        await world.rs.ReleaseAssignments(pb.ReleaseAssignmentsRequest(booking_ref="BK-C"), metadata=world.system)
    ).assignments == []
    seats = await world.states(flight.id)
    assert (seats["3D"].state, seats["3E"].state) == ("free", "free")
    [event] = await _events(world, reservation_events.SEATS_RELEASED.topic, flight.id)
    assert event["payload"]["seats"] == ["3D", "3E"] and event["payload"]["reason"] == "cancelled"


# ---------------------------------------------------------------- contention


async def test_many_clients_race_for_the_last_seats(world: Platform) -> None:
    """120 clients race for the last 6 seats: exactly 6 win, each seat once, the others get
    FAILED_PRECONDITION; then confirmations and direct assignments race: no seat is assigned
    twice; and no seat stays held after its TTL."""
    flight = await world.flight()
    last = ["9C", "9D", "9E", "9F", "10A", "10B"]
    agent = world.as_(Role.AGENT)
    # everything else in the normal cabin is sold
    everything = [f"{r}{c}" for r in range(3, 11) for c in "ABCDEF" if f"{r}{c}" not in (*last, "10F")]
    for i in range(0, len(everything), 9):
        await world.rs.AssignSeats(
            pb.AssignSeatsRequest(
                flight_id=flight.id,
                booking_ref=f"BK-FULL-{i}",
                seats=[
                    pb.SeatRequest(seat=s, passenger_ref=f"full-{s}", passenger_type="adult", cabin_class="normal")
                    for s in everything[i : i + 9]
                ],
            ),
            metadata=agent,
        )
    clients = [world.passenger()[1] for _ in range(120)]

    async def attempt(i: int) -> pb.Hold | grpc.aio.AioRpcError:
        try:
            # long enough to outlast 120 racing calls on a busy 2-core machine, short enough to wait out
            return await world.hold(flight.id, clients[i], last[i % len(last)], ttl_seconds=6)
        except grpc.aio.AioRpcError as e:
            return e

    outcomes = await asyncio.gather(*(attempt(i) for i in range(len(clients))))
    won = [o for o in outcomes if isinstance(o, pb.Hold)]
    lost = [o for o in outcomes if not isinstance(o, pb.Hold)]
    assert len(won) == len(last)
    assert sorted(h.seats[0].seat for h in won) == sorted(last)
    assert {e.code() for e in lost} == {FAILED} and all("already held" in (e.details() or "") for e in lost)
    counts = await world.rs.CountAvailable(pb.CountAvailableRequest(flight_id=flight.id))
    assert [(a.cabin_class, a.free, a.held) for a in counts.availability][1] == ("normal", 0, 6)

    # confirmations (each twice, at once) race with desk agents assigning the same seats directly
    to_confirm, to_expire = won[:4], won[4:]

    async def confirm(h: pb.Hold) -> Any:
        try:
            return await world.rs.ConfirmHold(
                pb.ConfirmHoldRequest(hold_id=h.hold_id, booking_ref=f"BK-{h.hold_id}"), metadata=world.system
            )
        except grpc.aio.AioRpcError as e:
            return e

    async def grab(seat: str, n: int) -> Any:
        try:
            return await world.rs.AssignSeats(
                pb.AssignSeatsRequest(
                    flight_id=flight.id,
                    booking_ref=f"BK-DESK-{seat}-{n}",
                    seats=[
                        pb.SeatRequest(
                            seat=seat, passenger_ref=f"desk-{seat}-{n}", passenger_type="adult", cabin_class="normal"
                        )
                    ],
                ),
                metadata=agent,
            )
        except grpc.aio.AioRpcError as e:
            return e

    results = await asyncio.gather(
        *(confirm(h) for h in to_confirm for _ in range(2)), *(grab(h.seats[0].seat, n) for h in won for n in range(3))
    )
    errors = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert {e.code() for e in errors} <= {FAILED}
    confirmations = results[: 2 * len(to_confirm)]
    assert all(not isinstance(r, grpc.aio.AioRpcError) for r in confirmations)  # holders keep their seats
    async with world.service.runtime.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.select(store.assignments.c.seat, store.assignments.c.booking_ref).where(
                    store.assignments.c.flight_id == flight.id, store.assignments.c.seat.in_(last)
                )
            )
        ).all()
    by_seat: dict[str, list[str]] = {}
    for r in rows:
        by_seat.setdefault(r.seat, []).append(r.booking_ref)
    assert all(len(v) == 1 for v in by_seat.values())
    for h in to_confirm:
        assert by_seat[h.seats[0].seat] == [f"BK-{h.hold_id}"]
    for h in to_expire:
        assert h.seats[0].seat not in by_seat  # held: desk agents could not take it

    # the unconfirmed holds run out: nothing stays held
    await asyncio.sleep(max(0.0, when(to_expire[0].expires_at).timestamp() - time.time()) + 0.5)
    seats = await world.states(flight.id)
    assert not [s for s in seats.values() if s.state == "held"]
    assert {seats[h.seats[0].seat].state for h in to_expire} == {"free"}


# ---------------------------------------------------------------- settings


async def test_hold_settings_bound_time_extension_and_late_confirmation(world: Platform) -> None:
    """A service configured with a 1 s hold, at most 2 s in all, and no confirmation grace."""
    from airline.platform.auth import Principal, current_principal
    from airline.platform.errors import Conflict, NotFound
    from airline.reservation.bootstrap import build_service
    from airline.reservation.settings import ReservationSettings

    flight = await world.flight()
    strict = build_service(
        world.service.runtime,
        ReservationSettings(_env_file=None, hold_ttl_seconds=1, max_hold_extension_seconds=2, confirm_grace_seconds=0),
    )
    reset = current_principal.set(Principal("booking", Role.SYSTEM))
    try:
        hold = await strict.hold_seats(flight.id, [("3A", "p1", "adult", "normal")], owner="bk-1", ttl_seconds=600)
        assert (hold.expires_at - hold.created_at).total_seconds() == pytest.approx(1, abs=0.01)  # the default caps it
        await asyncio.sleep(0.5)
        longer = await strict.extend_hold(hold.hold_id)
        assert longer.expires_at > hold.expires_at
        await asyncio.sleep(0.7)
        capped = await strict.extend_hold(hold.hold_id)
        assert (capped.expires_at - hold.created_at).total_seconds() == pytest.approx(2, abs=0.01)
        await asyncio.sleep(max(0.0, (capped.expires_at - datetime.now(UTC)).total_seconds()) + 0.3)
        with pytest.raises(Conflict):
            await strict.extend_hold(hold.hold_id)
        with pytest.raises(NotFound):  # no grace: too late to confirm
            await strict.confirm_hold(hold.hold_id, "BK-LATE")
    finally:
        current_principal.reset(reset)
    assert (await world.states(flight.id))["3A"].state == "free"


async def test_redis_unreachable_is_unavailable_and_changes_nothing(world: Platform) -> None:
    from redis.asyncio import Redis

    from airline.platform.auth import Principal, current_principal
    from airline.platform.errors import Unavailable
    from airline.reservation.holds import HoldStore as Store
    from airline.reservation.service import ReservationService
    from airline.reservation.settings import ReservationSettings

    flight = await world.flight()
    down = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)  # nothing listens there
    broken = ReservationService(
        world.service.runtime.db, Store(down), _source(world), ReservationSettings(_env_file=None)
    )
    reset = current_principal.set(Principal("booking", Role.SYSTEM))
    try:
        with pytest.raises(Unavailable):
            await broken.seat_map(flight.id)
        with pytest.raises(Unavailable):
            await broken.hold_seats(flight.id, [("3A", "p1", "adult", "normal")], owner="bk-1")
    finally:
        current_principal.reset(reset)
        await down.aclose()
    assert (await world.states(flight.id))["3A"].state == "free"


def _source(world: Platform) -> Any:
    from airline.reservation.service import FlightSource

    rt = world.service.runtime
    return FlightSource(
        FlightServiceStub(rt.channel("flights")), AirportServiceStub(rt.channel("airport")), rt.acting_as_system
    )
