"""Seat assignments of the reservation service (confirmed holds, direct assignments, releases)
through its real gRPC server, with the real airport and flights services, PostgreSQL, Redis
and the broker."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import grpc
import sqlalchemy as sa

from airline.contracts.events import reservation as reservation_events
from airline.platform.auth import Role
from airline.platform.kafka import ensure_topics, make_consumer
from airline.reservation import store
from airline.reservation.domain import SeatRequest
from airline.reservation.holds import HoldStore, seat_key
from airline.reservation.v1 import reservation_pb2 as pb
from tests.support.reservation import FAILED, INVALID, Platform, expect

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


async def test_seats_left_to_the_service_are_chosen_together_around_holds_and_never_twice(world: Platform) -> None:
    """AssignSeats with empty seats: reservation chooses by the seat rules (the party together,
    no child in the exit row, never a held or taken seat); parties assigned at once never get
    one seat twice."""
    flight = await world.flight()
    _, pax = world.passenger()
    ops = world.system  # re-accommodation asks as the booking service
    await world.hold(flight.id, pax, "3A", "3B")  # a shopper thinking: these stay theirs

    def party(booking: str, *kinds: str) -> pb.AssignSeatsRequest:
        seats = [
            pb.SeatRequest(seat="", passenger_ref=f"{booking}-{i}", passenger_type=k, cabin_class="normal")
            for i, k in enumerate(kinds)
        ]
        return pb.AssignSeatsRequest(flight_id=flight.id, booking_ref=booking, seats=seats)

    family = await world.rs.AssignSeats(party("BK-F", "adult", "adult", "child"), metadata=ops)
    seats = {a.passenger_ref: a.seat for a in family.assignments}
    assert set(seats.values()) == {"3C", "3D", "3E"}  # the frontmost run of three free seats
    # eight parties of three at once on the 40 seats left (5 of them in the exit row 5)
    bookings = [f"BK-{uuid.uuid4().hex[:6]}" for _ in range(8)]
    replies = await asyncio.gather(
        *(world.rs.AssignSeats(party(b, "adult", "child", "adult"), metadata=ops) for b in bookings)
    )
    given = [a.seat for r in replies for a in r.assignments]
    assert len(given) == len(set(given)) == 24 and not set(given) & {"3A", "3B", *seats.values(), "10F"}
    for r in replies:
        rows = {int(a.seat[:-1]) for a in r.assignments}
        assert max(rows) - min(rows) <= 1  # together: one row, or the end of one and the start of the next
        kid = next(a for a in r.assignments if a.passenger_type == "child")
        assert not kid.seat.startswith("5")  # row 5 is the exit row
    listed = await world.rs.ListAssignments(pb.ListAssignmentsRequest(flight_id=flight.id), metadata=world.system)
    assert len(listed.assignments) == 27
    # 47 sellable normal seats - 27 assigned - 2 held = 18: two parties of nine fill them, and
    # then nobody else gets one (the held seats stay the shopper's)
    for name in ("BK-N1", "BK-N2"):
        filled = await world.rs.AssignSeats(party(name, *(["adult"] * 9)), metadata=ops)
        assert len(filled.assignments) == 9
    late = party("BK-LATE", "adult")
    assert "no 1 suitable free seats" in await expect(FAILED, world.rs.AssignSeats(late, metadata=ops))
    assert (await world.states(flight.id))["3A"].state == "held"


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
