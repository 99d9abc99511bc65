"""Seat maps and holds of the reservation service through its real gRPC server, with the real
airport and flights services, PostgreSQL, Redis and the broker."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import sqlalchemy as sa

from airline.flights.v1 import flights_pb2 as fpb
from airline.reservation import store
from airline.reservation.holds import seat_key
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
        hold = await world.hold(flight.id, pax, "9A", "9B", ttl_seconds=2)
        expires = when(hold.expires_at).timestamp()
        assert (await world.states(flight.id))["9A"].state == "held"
        deadline = time.time() + 30
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
    print(f"\nhold expiry -> SeatsReleased: {(released[0]['_received'] - expires) * 1000:.0f} ms")  # a figure
    assert "hold_id" not in held[0] and "owner" not in held[0]
    seats = await world.states(flight.id)
    assert (seats["9A"].state, seats["9B"].state) == ("free", "free")
    await expect(grpc.StatusCode.NOT_FOUND, world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=pax))
    await expect(FAILED, world.rs.ExtendHold(pb.ExtendHoldRequest(hold_id=hold.hold_id), metadata=pax))
    _, other = world.passenger()
    await world.hold(flight.id, other, "9A")  # somebody else may have it now
