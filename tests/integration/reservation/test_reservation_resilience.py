"""The reservation service under pressure: many clients racing for the last seats, holds
bounded by the service's settings, Redis out of reach; with the real airport and flights
services, PostgreSQL, Redis and the broker."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Role
from airline.reservation import store
from airline.reservation.v1 import reservation_pb2 as pb
from tests.support.reservation import FAILED, Platform, when

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
            # long enough to outlast 120 racing calls on a busy 2-core machine (a call that came
            # after its seat's hold ran out would rightly win it: a seventh winner), short enough
            # to wait out below
            return await world.hold(flight.id, clients[i], last[i % len(last)], ttl_seconds=20)
        except grpc.aio.AioRpcError as e:
            return e

    outcomes = await asyncio.gather(*(attempt(i) for i in range(len(clients))))
    won = [o for o in outcomes if isinstance(o, pb.Hold)]
    lost = [o for o in outcomes if not isinstance(o, pb.Hold)]
    assert len(won) == len(last)
    assert sorted(h.seats[0].seat for h in won) == sorted(last)
    odd = [(e.code(), e.details()) for e in lost if e.code() != FAILED or "already held" not in (e.details() or "")]
    assert odd == [], odd
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
    refused = [(r.code(), r.details()) for r in confirmations if isinstance(r, grpc.aio.AioRpcError)]
    assert refused == [], refused  # holders keep their seats, and a twin confirmation answers the same
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
    """A service configured with a 4 s hold, at most 8 s in all, and no confirmation grace (each
    step leaves 2 s for the call to arrive: a loaded machine stalls for a second at times)."""
    from airline.platform.auth import Principal, current_principal
    from airline.platform.errors import Conflict, NotFound
    from airline.reservation.bootstrap import build_service
    from airline.reservation.settings import ReservationSettings

    flight = await world.flight()
    strict = build_service(
        world.service.runtime,
        ReservationSettings(_env_file=None, hold_ttl_seconds=4, max_hold_extension_seconds=8, confirm_grace_seconds=0),
    )
    reset = current_principal.set(Principal("booking", Role.SYSTEM))
    try:
        hold = await strict.hold_seats(flight.id, [("3A", "p1", "adult", "normal")], owner="bk-1", ttl_seconds=600)
        assert (hold.expires_at - hold.created_at).total_seconds() == pytest.approx(4, abs=0.01)  # the default caps it
        await asyncio.sleep(2)
        longer = await strict.extend_hold(hold.hold_id)
        assert longer.expires_at > hold.expires_at
        await asyncio.sleep(2)  # 4 s or more after the hold: another 4 s would pass the 8 s cap
        capped = await strict.extend_hold(hold.hold_id)
        assert (capped.expires_at - hold.created_at).total_seconds() == pytest.approx(8, abs=0.01)
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
        # the seat map degrades (taken seats from PostgreSQL, holds unknown); holding is refused
        seat_map = await broken.seat_map(flight.id)
        assert seat_map.holds_unavailable_reason and all(v.state.value == "free" for v in seat_map.seats)
        with pytest.raises(Unavailable) as refused:
            await broken.hold_seats(flight.id, [("3A", "p1", "adult", "normal")], owner="bk-1")
        assert refused.value.code == "seat_holds_unavailable"
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
