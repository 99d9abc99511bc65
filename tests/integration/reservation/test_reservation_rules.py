"""Reservation follows the flight and bounds what one account holds (issue 13, items 2-4):
the real reservation, flights and airport services, PostgreSQL, Redis and the broker."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Principal, Role, current_principal
from airline.platform.events import Envelope
from airline.platform.grpc import error_code, make_channel
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from airline.reservation.v1 import reservation_pb2 as pb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.reservation import Platform, when

FAILED = grpc.StatusCode.FAILED_PRECONDITION
EXHAUSTED = grpc.StatusCode.RESOURCE_EXHAUSTED


@pytest.fixture(scope="module")
async def world(settings: PlatformSettings, services: dict[str, RunningService]) -> AsyncIterator[Platform]:
    async with (
        make_channel(settings.reservation_grpc, 20) as rc,
        make_channel(settings.flights_grpc, 20) as fc,
        make_channel(settings.airport_grpc, 20) as ac,
    ):
        yield Platform(
            settings, ReservationServiceStub(rc), FlightServiceStub(fc), AirportServiceStub(ac), services["reservation"]
        )


async def refused(code: grpc.StatusCode, call: Awaitable[Any]) -> tuple[str | None, str]:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return error_code(info.value), info.value.details() or ""


async def seat_map_when(world: Platform, flight_id: str, ok: Callable[[pb.SeatMap], bool]) -> pb.SeatMap:
    """Poll the seat map until `ok` (the flights events arrive asynchronously), 30 s at most."""
    deadline = time.monotonic() + 30
    while True:
        reply = await world.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight_id))
        if ok(reply):
            return reply
        assert time.monotonic() < deadline, f"seat map never got there: {reply.status} {reply.not_sellable_reason}"
        await asyncio.sleep(0.1)


def stamp(value: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def seat(label: str, ref: str | None = None) -> pb.SeatRequest:
    return pb.SeatRequest(
        seat=label, passenger_ref=ref or f"p-{uuid.uuid4().hex[:8]}", passenger_type="adult", cabin_class="normal"
    )


# ---------------------------------------------------------------- the flight's status


async def test_a_departed_flight_takes_no_hold_confirmation_or_seat_change_but_gives_seats_back(
    world: Platform,
) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    reply = await world.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight.id))
    assert reply.status == "scheduled" and reply.sellable and not reply.not_sellable_reason
    open_hold = await world.hold(flight.id, pax, "3A")
    to_confirm = await world.rs.HoldSeats(
        pb.HoldSeatsRequest(flight_id=flight.id, owner="bk-dep", seats=[seat("4A")]), metadata=world.system
    )
    booked = await world.hold(flight.id, world.system, "5B", owner="bk-flown")
    await world.rs.ConfirmHold(
        pb.ConfirmHoldRequest(hold_id=booked.hold_id, booking_ref="BK-FLOWN"), metadata=world.system
    )

    await world.fl.UpdateStatus(fpb.UpdateStatusRequest(flight_id=flight.id, status="boarding"), metadata=world.ops)
    # confirmation asks the flights service itself: no waiting for the event
    boarding_code, details = await refused(
        FAILED,
        world.rs.ConfirmHold(
            pb.ConfirmHoldRequest(hold_id=to_confirm.hold_id, booking_ref="BK-DEP"), metadata=world.system
        ),
    )
    assert boarding_code == "flight_not_sellable" and "boarding" in details
    await world.fl.UpdateStatus(fpb.UpdateStatusRequest(flight_id=flight.id, status="departed"), metadata=world.ops)

    # the event copy: the seat map says so, holds and extensions follow it
    reply = await seat_map_when(world, flight.id, lambda m: m.status == "departed")
    assert not reply.sellable and "departed" in reply.not_sellable_reason
    code, details = await refused(FAILED, world.hold(flight.id, pax, "6A"))
    assert code == "flight_not_sellable" and "departed" in details
    code, _ = await refused(FAILED, world.rs.ExtendHold(pb.ExtendHoldRequest(hold_id=open_hold.hold_id), metadata=pax))
    assert code == "flight_not_sellable"
    code, _ = await refused(
        FAILED,
        world.rs.ConfirmHold(
            pb.ConfirmHoldRequest(hold_id=to_confirm.hold_id, booking_ref="BK-DEP"), metadata=world.system
        ),
    )
    assert code == "flight_not_sellable"
    code, details = await refused(
        FAILED,
        world.rs.AssignSeats(
            pb.AssignSeatsRequest(
                flight_id=flight.id, booking_ref="BK-FLOWN", seats=[seat("7C", booked.seats[0].passenger_ref)]
            ),
            metadata=world.system,
        ),
    )
    assert code == "flight_closed" and "departed" in details
    assert (await world.states(flight.id))["5B"].state == "taken"  # the refused change moved nobody

    # a no-show cancellation still gives the seats back
    released = await world.rs.ReleaseAssignments(
        pb.ReleaseAssignmentsRequest(booking_ref="BK-FLOWN"), metadata=world.system
    )
    assert [a.seat for a in released.assignments] == ["5B"]
    assert (await world.states(flight.id))["5B"].state == "free"


async def test_a_cancelled_flight_is_not_sellable_on_the_map_and_an_older_event_does_not_revive_it(
    world: Platform,
) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    await world.fl.CancelFlight(fpb.CancelFlightRequest(flight_id=flight.id, reason="weather"), metadata=world.ops)
    reply = await seat_map_when(world, flight.id, lambda m: m.status == "cancelled")
    assert reply.cancelled and not reply.sellable and "cancelled" in reply.not_sellable_reason
    code, _ = await refused(FAILED, world.hold(flight.id, pax, "3A"))
    assert code == "flight_not_sellable"

    # the flight's scheduled event, delivered again late (older version): nothing changes
    service = world.service.parts.service  # type: ignore[attr-defined]
    old = {
        "id": flight.id,
        "number": flight.number,
        "plane_id": flight.plane_id,
        "status": "scheduled",
        "estimated_departure": when(flight.estimated_departure).isoformat(),
        "version": flight.version,
    }
    async with service.db.uow() as uow:
        await service.on_flight_changed(
            uow, Envelope(type="FlightDelayed", version=1, producer="flights", key=flight.id, payload={"flight": old})
        )
        await uow.commit()
    reply = await world.rs.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight.id))
    assert reply.status == "cancelled" and not reply.sellable


async def test_sales_close_before_departure(world: Platform) -> None:
    """Sales close `sales_close_minutes` before the expected departure: a service closing 30 days
    ahead sees the 20-days-ahead flight as closed."""
    from airline.reservation.bootstrap import build_service
    from airline.reservation.settings import ReservationSettings

    flight = await world.flight()
    early = build_service(world.service.runtime, ReservationSettings(_env_file=None, sales_close_minutes=30 * 24 * 60))
    reset = current_principal.set(Principal("booking", Role.SYSTEM))
    try:
        seat_map = await early.seat_map(flight.id)
        assert not seat_map.sellable and "closes for check-in" in (seat_map.not_sellable_reason or "")
        from airline.platform.errors import Conflict

        with pytest.raises(Conflict) as info:
            await early.hold_seats(flight.id, [("3A", "p1", "adult", "normal")], owner="bk-late")
        assert info.value.code == "flight_not_sellable"
    finally:
        current_principal.reset(reset)
    assert (await world.states(flight.id))["3A"].state == "free"


# ---------------------------------------------------------------- seats per account


@pytest.fixture
def account_limit(world: Platform) -> Any:
    """The running service's own per-account seat limit at its default (9), whatever the
    session's environment raised it to; restored afterwards."""
    settings = world.service.parts.service.settings  # type: ignore[attr-defined]
    before = settings.max_seats_per_account
    settings.max_seats_per_account = 9
    yield 9
    settings.max_seats_per_account = before


async def test_the_tenth_seat_held_by_one_account_on_one_flight_is_refused(world: Platform, account_limit: int) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    labels = [f"{row}{letter}" for row in (3, 4) for letter in "ABCDEF"][:10]
    # ten one-seat holds at once: exactly nine succeed, whatever the interleaving
    results = await asyncio.gather(*(world.hold(flight.id, pax, label) for label in labels), return_exceptions=True)
    held = [r for r in results if isinstance(r, pb.Hold)]
    errors = [r for r in results if not isinstance(r, pb.Hold)]
    assert len(held) == account_limit and len(errors) == 1, errors
    assert isinstance(errors[0], grpc.aio.AioRpcError) and errors[0].code() == EXHAUSTED
    assert error_code(errors[0]) == "seat_hold_limit" and "at most 9 seats" in (errors[0].details() or "")
    seats = await world.states(flight.id)
    assert sum(1 for s in labels if seats[s].state == "held") == 9  # the refused one held nothing

    # another account is not affected; the same account on another flight neither
    _, other = world.passenger()
    await world.hold(flight.id, other, "9A")
    second = await world.flight()
    await world.hold(second.id, pax, "3A")
    # giving one back makes room for one more
    await world.rs.ReleaseHold(pb.ReleaseHoldRequest(hold_id=held[0].hold_id), metadata=pax)
    await world.hold(flight.id, pax, "8A")
    code, _ = await refused(EXHAUSTED, world.hold(flight.id, pax, "8B"))
    assert code == "seat_hold_limit"


async def test_a_service_counts_holds_against_the_named_account(world: Platform, account_limit: int) -> None:
    """Several bookings of one user (each its own hold owner) share the user's limit; a
    passenger cannot name somebody else's account."""
    flight = await world.flight()
    user = f"user-{uuid.uuid4().hex[:8]}"
    await world.rs.HoldSeats(
        pb.HoldSeatsRequest(flight_id=flight.id, owner="bk-a", account=user, seats=[seat(f"3{x}") for x in "ABCDEF"]),
        metadata=world.system,
    )
    await world.rs.HoldSeats(
        pb.HoldSeatsRequest(flight_id=flight.id, owner="bk-b", account=user, seats=[seat(f"4{x}") for x in "ABC"]),
        metadata=world.system,
    )
    code, _ = await refused(
        EXHAUSTED,
        world.rs.HoldSeats(
            pb.HoldSeatsRequest(flight_id=flight.id, owner="bk-c", account=user, seats=[seat("4D")]),
            metadata=world.system,
        ),
    )
    assert code == "seat_hold_limit"
    _, pax = world.passenger()
    await refused(
        grpc.StatusCode.PERMISSION_DENIED,
        world.rs.HoldSeats(
            pb.HoldSeatsRequest(flight_id=flight.id, account="someone-else", seats=[seat("6A")]), metadata=pax
        ),
    )


# ---------------------------------------------------------------- not_after


async def test_a_hold_and_its_extensions_end_by_not_after(world: Platform) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    not_after = (datetime.now(UTC) + timedelta(seconds=30)).replace(microsecond=0)
    hold = await world.rs.HoldSeats(
        pb.HoldSeatsRequest(flight_id=flight.id, seats=[seat("3A")], not_after=stamp(not_after)), metadata=pax
    )
    assert when(hold.not_after) == not_after
    assert when(hold.expires_at) == not_after  # not the 10 minutes of the default TTL
    ttl = await world.service.runtime.redis.pttl(f"reservation:seat:{flight.id}:3A")  # type: ignore[union-attr]
    assert 0 < ttl <= 30_000
    longer = await world.rs.ExtendHold(pb.ExtendHoldRequest(hold_id=hold.hold_id), metadata=pax)
    assert when(longer.expires_at) == not_after and when(longer.not_after) == not_after
    again = await world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=pax)
    assert when(again.not_after) == not_after and when(again.expires_at) == not_after

    code, _ = await refused(
        FAILED,
        world.rs.HoldSeats(
            pb.HoldSeatsRequest(
                flight_id=flight.id, seats=[seat("3B")], not_after=stamp(datetime.now(UTC) - timedelta(seconds=1))
            ),
            metadata=pax,
        ),
    )
    assert code == "hold_not_after_passed"
    assert (await world.states(flight.id))["3B"].state == "free"


async def test_only_a_service_moves_a_holds_bound_later_and_never_earlier(world: Platform) -> None:
    """A booking kept longer ("keep my seats") moves its holds' bound; a passenger may not."""
    flight = await world.flight()
    owner, pax = world.passenger()
    not_after = (datetime.now(UTC) + timedelta(seconds=30)).replace(microsecond=0)
    hold = await world.rs.HoldSeats(
        pb.HoldSeatsRequest(flight_id=flight.id, owner=owner, seats=[seat("4A")], not_after=stamp(not_after)),
        metadata=pax,
    )
    later = not_after + timedelta(minutes=5)
    asked = pb.ExtendHoldRequest(hold_id=hold.hold_id, not_after=stamp(later))
    await refused(grpc.StatusCode.PERMISSION_DENIED, world.rs.ExtendHold(asked, metadata=pax))
    assert when((await world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=pax)).not_after) == not_after

    moved = await world.rs.ExtendHold(asked, metadata=world.system)
    assert when(moved.not_after) == later
    assert when(moved.expires_at) == later  # as long as the booking it is kept for
    ttl = await world.service.runtime.redis.pttl(f"reservation:seat:{flight.id}:4A")  # type: ignore[union-attr]
    assert ttl > 30_000  # the seat itself is held past the old bound
    earlier = pb.ExtendHoldRequest(hold_id=hold.hold_id, not_after=stamp(not_after))
    again = await world.rs.ExtendHold(earlier, metadata=world.system)
    assert when(again.not_after) == later and when(again.expires_at) >= when(moved.expires_at)
    stored = await world.rs.GetHold(pb.GetHoldRequest(hold_id=hold.hold_id), metadata=pax)
    assert when(stored.not_after) == later


# ---------------------------------------------------------------- one seat, one passenger


async def test_the_database_never_seats_two_passengers_on_one_seat(world: Platform) -> None:
    """Whatever the flights' overbooking policy sells, the seat map's final guard is the
    primary key (flight, seat) of the assignments."""
    async with world.service.runtime.db.engine.connect() as conn:
        columns = (
            (
                await conn.execute(
                    sa.text(
                        "select array_agg(a.attname order by a.attname) from pg_constraint c "
                        "join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey) "
                        "where c.conrelid = 'reservation.seat_assignments'::regclass and c.contype in ('p', 'u') "
                        "group by c.conname"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert ["flight_id", "seat"] in [sorted(c) for c in columns]
    flight = await world.flight()
    results = await asyncio.gather(
        *(
            world.rs.AssignSeats(
                pb.AssignSeatsRequest(flight_id=flight.id, booking_ref=f"BK-{i}", seats=[seat("7D", f"p-race-{i}")]),
                metadata=world.system,
            )
            for i in range(5)
        ),
        return_exceptions=True,
    )
    assert sum(1 for r in results if isinstance(r, pb.AssignmentsResponse)) == 1
    found = await world.rs.ListAssignments(pb.ListAssignmentsRequest(flight_id=flight.id), metadata=world.system)
    assert [a.seat for a in found.assignments] == ["7D"]
