"""Seat assignments, PostgreSQL's record of who has which seat: confirm a hold for a booking,
assign (or change) seats directly, give a booking's seats back, list them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError

from airline.contracts.events import reservation as reservation_events
from airline.platform.auth import require
from airline.platform.db import violated_constraint
from airline.platform.errors import Conflict, NotFound, ValidationFailed
from airline.reservation import domain
from airline.reservation.domain import Assignment, Hold
from airline.reservation.flight_source import FlightInfo, flight_id_of
from airline.reservation.service_base import STAFF, ReservationServiceBase, redis_guard, redis_lost, seats_text
from airline.reservation.store import (
    PASSENGER_PLACED,
    PASSENGER_SEATED,
    PLACE_TAKEN,
    SEAT_GONE,
    SEAT_TAKEN,
    ReservationRepository,
)

log = logging.getLogger(__name__)

CLAIM_MS = 30_000  # how long a confirmation/assignment keeps its seats from new holds while it writes
# AssignSeats choosing seats itself: how often it chooses again when a concurrent party took them first
AUTO_ATTEMPTS = 12


class SeatAssignments(ReservationServiceBase):
    """The assignment use cases of ReservationService."""

    # ------------------------------------------------------------ assignments

    async def confirm_hold(self, hold_id: str, booking_ref: str) -> list[Assignment]:
        require(*STAFF)
        hold_id = domain.reference(hold_id, "hold_id")
        booking_ref = domain.reference(booking_ref, "booking_ref")
        done = await self._confirmed(hold_id, booking_ref)
        if done:
            return done
        with redis_guard():
            stored = await self.holds.get(hold_id)
        too_late = stored is not None and (
            stored.now - stored.hold.expires_at > timedelta(seconds=self.settings.confirm_grace_seconds)
        )
        if stored is None or too_late:
            # a twin confirmation of this hold may have finished (and dropped it) since the first look
            done = await self._confirmed(hold_id, booking_ref)
            if done:
                return done
            raise NotFound(f"hold {hold_id} does not exist or expired too long ago to confirm")
        hold: Hold = stored.hold
        self._sellable(await self.fresh_flight(hold.flight_id))
        with redis_guard():
            ok, newly = await self.holds.claim(hold.flight_id, hold.labels, hold.hold_id, CLAIM_MS)
        if not ok:
            # the twin confirmation may have written the seats and freed their keys, which a desk
            # assignment then claimed for an instant: the hold is confirmed, not lost
            done = await self._confirmed(hold_id, booking_ref)
            if done:
                return done
            raise Conflict(
                f"hold {hold_id} expired and {seats_text(newly)} now held by someone else",
                code="seat_held",
                seats=newly,
            )
        rows = [
            Assignment(
                hold.flight_id, s.seat, s.passenger_ref, s.passenger_type, s.cabin_class, booking_ref, hold.hold_id
            )
            for s in hold.seats
        ]
        try:
            # a hold of overbooking places (airport_places.py) becomes places, not seats
            assigned = await (self._place(rows) if domain.is_place(rows[0].seat) else self._assign(rows, []))
        except Exception:
            with contextlib.suppress(RedisError):
                await self.holds.unclaim(hold.flight_id, newly, hold.hold_id)
            # two confirmations of one hold at once: the loser returns what the winner wrote
            done = await self._confirmed(hold_id, booking_ref)
            if done:
                return done
            raise
        try:
            await self.holds.release(hold)
        except RedisError as e:  # the keys expire by themselves; PostgreSQL already decided
            log.warning("reservation: could not drop confirmed hold %s from Redis: %s", hold_id, e)
        await self._publish(hold.flight_id, "SeatsAssigned", [a.seat for a in assigned])
        return assigned

    async def _confirmed(self, hold_id: str, booking_ref: str) -> list[Assignment]:
        async with self.db.reading() as conn:  # one read: no BEGIN/ROLLBACK around it
            done = await ReservationRepository(conn).by_hold(hold_id)
        if done and done[0].booking_ref != booking_ref:
            raise Conflict(f"hold {hold_id} was confirmed for another booking", code="hold_confirmed")
        return done

    async def _assign(self, rows: Sequence[Assignment], moving: Sequence[str]) -> list[Assignment]:
        """One transaction: (move `moving` passengers out of their seats,) insert the assignments,
        emit the events. Constraint violations become Conflicts."""
        flight_id = rows[0].flight_id
        try:
            async with self.db.uow() as uow:
                repo = ReservationRepository(uow.conn)
                moved = await repo.remove_passengers(flight_id, moving) if moving else []
                assigned = await repo.add_assignments(rows)
                vacated = sorted(
                    {m.seat for m in moved if not domain.is_place(m.seat)} - {a.seat for a in assigned},
                    key=domain.seat_order,
                )
                if vacated:
                    await uow.emit_event(
                        reservation_events.SEATS_RELEASED,
                        flight_id,
                        {
                            "flight_id": flight_id,
                            "booking_ref": rows[0].booking_ref,
                            "seats": vacated,
                            "reason": "moved",
                        },
                    )
                await uow.emit_event(
                    reservation_events.SEATS_ASSIGNED,
                    flight_id,
                    {
                        "flight_id": flight_id,
                        "booking_ref": rows[0].booking_ref,
                        "hold_id": rows[0].hold_id,
                        "assignments": [a.to_dict() for a in assigned],
                    },
                )
                await uow.commit()
        except IntegrityError as e:
            constraint = violated_constraint(e)
            if constraint == PASSENGER_SEATED:
                raise Conflict(
                    "a passenger of this request already has a seat on this flight", code="passenger_seated"
                ) from None
            if constraint == SEAT_GONE:
                raise Conflict(
                    "a seat of this request no longer exists on the flight's plane", code="seat_taken"
                ) from None
            if constraint == SEAT_TAKEN:
                async with self.db.uow() as uow:
                    taken = await ReservationRepository(uow.conn).taken(flight_id, [r.seat for r in rows])
                raise Conflict(
                    f"{seats_text(taken) if taken else 'a seat'} already taken", code="seat_taken", seats=sorted(taken)
                ) from None
            raise
        if vacated:
            await self._publish(flight_id, "SeatsReleased", vacated, reason="moved")
        return assigned

    async def _place(self, rows: Sequence[Assignment]) -> list[Assignment]:
        """One transaction: the overbooking places of a confirmed hold (no seat-map event: a
        place is on no seat map). Constraint violations become Conflicts."""
        try:
            async with self.db.uow() as uow:
                placed = await ReservationRepository(uow.conn).add_places(rows)
                await uow.commit()
        except IntegrityError as e:
            if violated_constraint(e) == PASSENGER_PLACED:
                raise Conflict(
                    "a passenger of this request already has a place on this flight", code="passenger_seated"
                ) from None
            if violated_constraint(e) == PLACE_TAKEN:
                raise Conflict(
                    "an overbooking place of this hold was sold to someone else", code="seat_taken"
                ) from None
            raise
        return placed

    async def assign_seats(
        self, flight_id: str, booking_ref: str, raw: Sequence[tuple[str, str, str, str]]
    ) -> list[Assignment]:
        """Assign (or move passengers to) seats; a request without a seat gets one chosen by the
        seat rules (`domain.choose_seats`), e.g. for re-accommodation. A chosen seat that someone
        takes between the choice and the claim makes it choose again: parties choosing at once
        all pick the same frontmost free run and one of them wins each round, so it tries up to
        AUTO_ATTEMPTS times, after a short random pause that spreads the losers apart."""
        require(*STAFF)
        booking_ref = domain.reference(booking_ref, "booking_ref")
        asked = domain.parse_seat_requests(raw, allow_auto=True)
        flight = await self.fresh_flight(flight_id)
        if flight.closed:
            # a seat change needs a flight still on the ground and not cancelled; giving seats
            # back (release_assignments) works whatever the flight's status
            why = flight.why_not_sellable(datetime.now(UTC), self.settings.sales_close_minutes)
            raise Conflict(f"{why}: seats can no longer be changed", code="flight_closed", flight_id=flight.flight_id)
        if all(r.seat != domain.AUTO for r in asked):
            return await self._assign_chosen(flight, booking_ref, asked)
        for attempt in range(AUTO_ATTEMPTS):
            if attempt:
                await asyncio.sleep(random.uniform(0, 0.01 * attempt))
            async with self.db.uow() as uow:
                taken = await ReservationRepository(uow.conn).taken(flight.flight_id)
            try:
                held = set(await self.holds.holders(flight.flight_id, list(flight.seats)))
            except RedisError as e:
                redis_lost("assign_seats", e)
                held = set()
            requests = domain.choose_seats(asked, flight.seats, taken | held)
            try:
                return await self._assign_chosen(flight, booking_ref, requests)
            except Conflict as e:
                if e.code not in ("seat_held", "seat_taken") or attempt == AUTO_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _assign_chosen(
        self, flight: FlightInfo, booking_ref: str, requests: Sequence[domain.SeatRequest]
    ) -> list[Assignment]:
        domain.check_seat_requests(requests, flight.seats)
        labels = [r.seat for r in requests]
        token = f"assign:{uuid.uuid4()}"
        try:
            ok, newly = await self.holds.claim(flight.flight_id, labels, token, CLAIM_MS)
        except RedisError as e:
            # Check-in and seat changes go on without Redis: PostgreSQL's unique constraints
            # still give each seat once; a hold taken before the outage on one of these seats
            # loses it (its confirmation is refused: seat_taken).
            redis_lost("assign_seats", e)
            ok, newly = True, []
        if not ok:
            raise Conflict(f"{seats_text(newly)} held by someone else", code="seat_held", seats=newly)
        try:
            rows = [
                Assignment(
                    flight.flight_id, r.seat, r.passenger_ref, r.passenger_type, r.cabin_class, booking_ref, None
                )
                for r in requests
            ]
            assigned = await self._assign(rows, [r.passenger_ref for r in requests])
        finally:
            with contextlib.suppress(RedisError):
                await self.holds.unclaim(flight.flight_id, newly, token)
        await self._publish(flight.flight_id, "SeatsAssigned", labels)
        return assigned

    async def release_assignments(
        self, booking_ref: str, flight_id: str = "", *, passenger_refs: Sequence[str] = ()
    ) -> list[Assignment]:
        require(*STAFF)
        booking_ref = domain.reference(booking_ref, "booking_ref")
        only = flight_id_of(flight_id) if flight_id.strip() else None
        async with self.db.uow() as uow:
            repo = ReservationRepository(uow.conn)
            released = await repo.remove_booking(booking_ref, only, passenger_refs)
            # an aircraft swap's passengers waiting for a seat there wait no more
            await repo.remove_displaced_booking(booking_ref, only, passenger_refs)
            by_flight: dict[str, list[str]] = {}
            for a in released:
                if not domain.is_place(a.seat):  # a place given back frees no seat
                    by_flight.setdefault(a.flight_id, []).append(a.seat)
            for fid, seats in by_flight.items():
                await uow.emit_event(
                    reservation_events.SEATS_RELEASED,
                    fid,
                    {
                        "flight_id": fid,
                        "booking_ref": booking_ref,
                        "seats": sorted(seats, key=domain.seat_order),
                        "reason": "cancelled",
                    },
                )
            await uow.commit()
        for fid, seats in by_flight.items():
            await self._publish(fid, "SeatsReleased", seats, reason="cancelled")
        return sorted(released, key=lambda a: (a.flight_id, domain.seat_order(a.seat)))

    async def list_assignments(self, flight_id: str, booking_ref: str) -> list[Assignment]:
        require(*STAFF)
        if not flight_id.strip() and not booking_ref.strip():
            raise ValidationFailed("give a flight_id, a booking_ref or both", field="flight_id")
        async with self.db.uow() as uow:
            found = await ReservationRepository(uow.conn).list(flight_id.strip() or None, booking_ref.strip() or None)
        return sorted(found, key=lambda a: (a.flight_id, domain.seat_order(a.seat)))
