"""Overbooking places over reservation's gRPC API (airport_places.py): a 10-seat cabin with an
allowance of 2 (80 % show up, set in the flights service) holds places only once its seats are
gone; many parties racing for the places get exactly 2; a hold repeated with its id is the same
hold; a place whose hold expires sells again; a confirmation is idempotent; a released booking
gives its place back."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc

from airline.airport.v1 import airport_pb2 as apb
from airline.flights.v1 import flights_pb2 as fpb
from airline.reservation.v1 import reservation_pb2 as pb
from tests.support.reservation import FAILED, Platform, expect

TEN = apb.SeatLayout(cabins=[apb.Cabin(cabin_class="normal", first_row=1, last_row=5, seat_letters="AB")])
RACERS = 8


def places(world: Platform, flight_id: str, *refs: str, **extra: object) -> pb.HoldSeatsRequest:
    seats = [pb.SeatRequest(seat="", passenger_ref=r, passenger_type="adult", cabin_class="normal") for r in refs]
    return pb.HoldSeatsRequest(flight_id=flight_id, seats=seats, seat_at_airport=True, **extra)


async def test_places_sell_after_the_seats_exactly_up_to_the_allowance_under_a_race(world: Platform) -> None:
    flight = await world.flight(TEN)
    fid, system = flight.id, world.system
    overbooking = fpb.SetOverbookingRequest(flight_id=fid, cabin_class="normal", show_up_rate_bp=8000)
    cabin = next(c for c in (await world.fl.SetOverbooking(overbooking, metadata=world.ops)).seats)
    assert (cabin.capacity, cabin.overbooking_allowance) == (10, 2)

    # seats are free: no place
    details = await expect(FAILED, world.rs.HoldSeats(places(world, fid, "early-P1"), metadata=system))
    assert "choose seats" in details
    # the ten seats are sold
    for rows in ((1, 2, 3), (4, 5)):
        hold = await world.hold(fid, system, *(f"{r}{x}" for r in rows for x in "AB"))
        confirm = pb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref=f"seated{rows[0]}")
        await world.rs.ConfirmHold(confirm, metadata=system)

    # parties race for the two places: exactly two win, each a different place
    refs = [f"racer{i}-P1" for i in range(RACERS)]
    answers = await asyncio.gather(
        *(world.rs.HoldSeats(places(world, fid, ref), metadata=system) for ref in refs), return_exceptions=True
    )
    won = [a for a in answers if isinstance(a, pb.Hold)]
    lost = [a for a in answers if not isinstance(a, pb.Hold)]
    assert len(won) == 2, answers
    assert sorted(h.seats[0].seat for h in won) == ["@normal1", "@normal2"]
    assert all(isinstance(e, grpc.aio.AioRpcError) and e.code() == FAILED for e in lost), lost
    assert all("no overbooking place left" in e.details() for e in lost if isinstance(e, grpc.aio.AioRpcError))

    # a hold asked again with its id is the same hold
    first = won[0]
    again = await world.rs.HoldSeats(
        places(world, fid, first.seats[0].passenger_ref, hold_id=first.hold_id), metadata=system
    )
    assert (again.hold_id, again.seats[0].seat) == (first.hold_id, first.seats[0].seat)

    # confirmed twice: one place, the same answer
    confirm = pb.ConfirmHoldRequest(hold_id=first.hold_id, booking_ref="first")
    one = await world.rs.ConfirmHold(confirm, metadata=system)
    two = await world.rs.ConfirmHold(confirm, metadata=system)
    assert [a.seat for a in one.assignments] == [a.seat for a in two.assignments] == [first.seats[0].seat]

    # the other hold is given up: its place sells again; a short hold expires and sells again too
    await world.rs.ReleaseHold(pb.ReleaseHoldRequest(hold_id=won[1].hold_id), metadata=system)
    short = await world.rs.HoldSeats(places(world, fid, "short-P1", ttl_seconds=1), metadata=system)
    assert short.seats[0].seat == won[1].seats[0].seat
    deadline = time.monotonic() + 30
    while True:
        try:
            after = await world.rs.HoldSeats(places(world, fid, "after-P1"), metadata=system)
            break
        except grpc.aio.AioRpcError as e:
            assert e.code() == FAILED and time.monotonic() < deadline, e.details()
            await asyncio.sleep(0.2)
    assert after.seats[0].seat == short.seats[0].seat
    await world.rs.ConfirmHold(pb.ConfirmHoldRequest(hold_id=after.hold_id, booking_ref="after"), metadata=system)
    await expect(FAILED, world.rs.HoldSeats(places(world, fid, f"late-{uuid.uuid4().hex[:6]}"), metadata=system))

    # the first booking is cancelled: its place is given back (no seat is)
    released = await world.rs.ReleaseAssignments(pb.ReleaseAssignmentsRequest(booking_ref="first"), metadata=system)
    assert [a.seat for a in released.assignments] == [first.seats[0].seat]
    back = await world.rs.HoldSeats(places(world, fid, "back-P1"), metadata=system)
    assert back.seats[0].seat == first.seats[0].seat
    assert all(s.state != "free" for s in (await world.states(fid)).values())
