"""Reservation use cases: seat maps, holds (Redis), assignments (PostgreSQL).

Who decides what:
- Redis decides who holds a seat right now (Lua scripts, all seats of a hold or none);
- PostgreSQL decides who has a seat: its constraints refuse a second assignment of a seat even
  if Redis lost every hold. Holds and assignments are both checked against it.
- A confirmation after the hold's time ran out still succeeds when nobody took the seats in the
  meantime (the hold's record survives its expiry by `confirm_grace_seconds`): the payment was
  captured, and PostgreSQL is the final guard anyway. A seat someone else holds by then is a
  Conflict.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError

from airline.contracts.events import reservation as reservation_events
from airline.platform import flight_status
from airline.platform.auth import Principal, Role, current_principal, require
from airline.platform.db import ServiceDatabase, UnitOfWork, violated_constraint
from airline.platform.errors import Conflict, NotFound, PermissionDenied, TooManyRequests, Unavailable, ValidationFailed
from airline.reservation import domain
from airline.reservation.consumers import ReservationConsumers
from airline.reservation.domain import Assignment, CabinAvailability, FlightSeat, Hold, SeatRequest, SeatState

# FlightFacts and FlightSource are imported from here too (the port lives in flight_source.py)
from airline.reservation.flight_source import FlightFacts, FlightInfo, FlightSource, flight_id_of  # noqa: F401
from airline.reservation.holds import HoldStore
from airline.reservation.settings import ReservationSettings
from airline.reservation.store import PASSENGER_SEATED, SEAT_TAKEN, ReservationRepository

log = logging.getLogger(__name__)

STAFF = (Role.SYSTEM, Role.CS, Role.AGENT)
CLAIM_MS = 30_000  # how long a confirmation/assignment keeps its seats from new holds while it writes
CACHED_FLIGHTS = 2048


@dataclass(frozen=True)
class SeatView:
    seat: FlightSeat
    state: SeatState
    mine: bool


@dataclass(frozen=True)
class SeatMap:
    flight: FlightInfo
    seats: list[SeatView]
    availability: list[CabinAvailability]
    not_sellable_reason: str | None = None

    @property
    def sellable(self) -> bool:
        return self.not_sellable_reason is None


@contextlib.contextmanager
def _redis() -> Any:
    try:
        yield
    except RedisError as e:
        log.warning("reservation: Redis failed: %s", e)
        raise Unavailable("seat holds are unavailable right now; nothing was changed, try again") from None


def _seats_text(labels: Iterable[str]) -> str:
    labels = sorted(labels, key=domain.seat_order)
    return ("seat " if len(labels) == 1 else "seats ") + ", ".join(labels)


class ReservationService(ReservationConsumers):
    def __init__(
        self,
        db: ServiceDatabase,
        holds: HoldStore,
        source: FlightSource,
        settings: ReservationSettings,
        hold_ttl_seconds: Callable[[], int] | None = None,
    ) -> None:
        self.db = db
        self.holds = holds
        self.source = source
        self.settings = settings
        # read at each hold: the TTL is tunable at run time (platform/runtime_config.py)
        self.hold_ttl_seconds = hold_ttl_seconds or (lambda: settings.hold_ttl_seconds)
        self._seats: OrderedDict[str, dict[str, FlightSeat]] = OrderedDict()
        # A hold's record outlives its expiry by the confirmation grace, plus a minute so that
        # the sweeper always finds it to announce the freed seats.
        self._keep_ms = (settings.confirm_grace_seconds + 60) * 1000

    # ------------------------------------------------------------ flights and seat maps

    async def load_flight(self, uow: UnitOfWork, facts: FlightFacts) -> None:
        """Store a flight's seats from its plane and its status (idempotent): the flight_scheduled
        handler and the lazy path both come here."""
        seats = domain.flight_seats(await self.source.layout(facts.plane_id))
        repo = ReservationRepository(uow.conn)
        await repo.save_flight_seats(facts.flight_id, facts.plane_id, flight_status.is_cancelled(facts.status), seats)
        await repo.save_status(facts.flight_id, facts.number, facts.status, facts.departure, facts.version)

    async def flight(self, flight_id: str) -> FlightInfo:
        flight_id = flight_id_of(flight_id)
        async with self.db.uow() as uow:
            repo = ReservationRepository(uow.conn)
            row = await repo.flight(flight_id)
            if row is not None and row.seats_loaded and row.status is not None:
                seats = self._seats.get(flight_id)
                if seats is None:
                    seats = {s.seat: s for s in await repo.seats(flight_id)}
                    self._remember(flight_id, seats)
                return FlightInfo(
                    flight_id, row.plane_id, row.cancelled, seats, row.number or "", row.status, row.departure
                )
        # Not heard of yet (or its event is still on its way, or stored before statuses were
        # kept): ask, so that ordering never matters.
        facts = await self.source.flight(flight_id)
        async with self.db.uow() as uow:
            await self.load_flight(uow, facts)
            await uow.commit()
        return await self.flight(flight_id)

    async def fresh_flight(self, flight_id: str) -> FlightInfo:
        """The flight with its status asked of the flights service now (for writes that make a
        seat someone's: confirmation and seat change); the local copy when it does not answer."""
        flight = await self.flight(flight_id)
        try:
            facts = await self.source.flight(flight.flight_id)
        except Unavailable as e:
            log.warning("reservation: flights did not answer for %s, deciding on the copy: %s", flight_id, e.message)
            return flight
        except NotFound:
            raise Conflict(
                f"flight {flight.number or flight.flight_id} no longer exists", code="flight_not_sellable"
            ) from None
        async with self.db.uow() as uow:
            await ReservationRepository(uow.conn).save_status(
                facts.flight_id, facts.number, facts.status, facts.departure, facts.version
            )
            await uow.commit()
        return replace(
            flight,
            number=facts.number,
            status=facts.status,
            departure=facts.departure,
            cancelled=flight.cancelled or flight_status.is_cancelled(facts.status),
        )

    def _sellable(self, flight: FlightInfo) -> None:
        """Holds, extensions and confirmations only while the flight sells (platform/flight_status.py)."""
        why = flight.why_not_sellable(datetime.now(UTC), self.settings.sales_close_minutes)
        if why is not None:
            raise Conflict(
                f"{why}: no seats can be held or confirmed", code="flight_not_sellable", flight_id=flight.flight_id
            )

    def _remember(self, flight_id: str, seats: dict[str, FlightSeat]) -> None:
        self._seats[flight_id] = seats
        while len(self._seats) > CACHED_FLIGHTS:
            self._seats.popitem(last=False)

    async def seat_map(self, flight_id: str) -> SeatMap:
        flight = await self.flight(flight_id)
        labels = list(flight.seats)
        async with self.db.uow() as uow:
            taken = await ReservationRepository(uow.conn).taken(flight.flight_id)
        with _redis():
            held = await self.holds.holders(flight.flight_id, labels)
            caller = current_principal.get()
            mine: set[str] = set()
            if caller is not None and held:
                owners = await self.holds.owners(sorted(set(held.values())))
                mine = {h for h, owner in owners.items() if owner == caller.subject}
        views = [
            SeatView(s, domain.seat_state(s.seat, taken, held), held.get(s.seat) in mine and s.seat not in taken)
            for s in flight.seats.values()
        ]
        return SeatMap(
            flight,
            views,
            domain.availability(flight.seats.values(), taken, held),
            flight.why_not_sellable(datetime.now(UTC), self.settings.sales_close_minutes),
        )

    async def count_available(self, flight_id: str) -> list[CabinAvailability]:
        flight = await self.flight(flight_id)
        async with self.db.uow() as uow:
            taken = await ReservationRepository(uow.conn).taken(flight.flight_id)
        with _redis():
            held = await self.holds.holders(flight.flight_id, list(flight.seats))
        return domain.availability(flight.seats.values(), taken, held)

    # ------------------------------------------------------------ holds

    def _owner(self, principal: Principal, owner: str) -> str:
        if not owner.strip():
            return principal.subject
        owner = domain.reference(owner, "owner")
        if owner != principal.subject and not principal.has(*STAFF):
            raise PermissionDenied("you can only hold seats for yourself")
        return owner

    @staticmethod
    def _may_touch(principal: Principal, hold: Hold) -> None:
        if hold.owner != principal.subject and not principal.has(*STAFF):
            raise PermissionDenied("this hold belongs to someone else")

    def _account(self, principal: Principal, owner: str, account: str) -> str:
        """Whom the held seats count against: the owner, unless a service names the account
        (the booking's user, or a guest's client address)."""
        if not account.strip():
            return owner
        account = domain.account_ref(account)
        if account != principal.subject and not principal.has(*STAFF):
            raise PermissionDenied("only services name the account a hold counts against")
        return account

    async def hold_seats(
        self,
        flight_id: str,
        raw: Sequence[tuple[str, str, str, str]],
        owner: str = "",
        hold_id: str = "",
        ttl_seconds: int = 0,
        account: str = "",
        not_after: datetime | None = None,
    ) -> Hold:
        principal = require()
        owner = self._owner(principal, owner)
        account = self._account(principal, owner, account)
        requests = domain.parse_seat_requests(raw)
        hold_id = domain.reference(hold_id, "hold_id") if hold_id.strip() else str(uuid.uuid4())
        ttl = domain.ttl_for(ttl_seconds, self.hold_ttl_seconds())
        flight = await self.flight(flight_id)
        self._sellable(flight)
        domain.check_seat_requests(requests, flight.seats)
        labels = [r.seat for r in requests]
        async with self.db.uow() as uow:
            repo = ReservationRepository(uow.conn)
            if await repo.by_hold(hold_id):
                raise Conflict(f"hold {hold_id} was already confirmed", code="hold_confirmed")
            taken = await repo.taken(flight.flight_id, labels)
        if taken:
            raise Conflict(f"{_seats_text(taken)} already taken", code="seat_taken", seats=sorted(taken))
        with _redis():
            limit = self.settings.max_seats_per_account
            outcome = await self.holds.hold(
                hold_id,
                flight.flight_id,
                owner,
                requests,
                ttl * 1000,
                self._keep_ms,
                account=account,
                account_limit=limit,
                not_after=not_after,
            )
            if outcome.status == "exists":
                return await self._same_hold(hold_id, flight.flight_id, owner, requests)
        if outcome.status == "busy":
            raise Conflict(
                f"{_seats_text(outcome.busy)} already held by someone else", code="seat_held", seats=list(outcome.busy)
            )
        if outcome.status == "limit":
            raise TooManyRequests(
                f"at most {limit} seats can be held at once on one flight by one account; "
                f"{outcome.account_held} are held already: book or release them first",
                code="seat_hold_limit",
                limit=limit,
                held=outcome.account_held,
            )
        if outcome.status == "late":
            raise Conflict(
                "the hold would end before it starts: its not_after (the booking's expiry) has passed",
                code="hold_not_after_passed",
            )
        assert outcome.now is not None and outcome.expires_at is not None
        hold = Hold(hold_id, flight.flight_id, owner, tuple(requests), outcome.expires_at, outcome.now, not_after)
        # Look again now that the seats are ours in Redis: a confirmation writes its assignment
        # before it frees its Redis keys, so one that slipped in between the first look and
        # our hold is in PostgreSQL by now, and any later one cannot start (we hold the keys).
        async with self.db.uow() as uow:
            taken = await ReservationRepository(uow.conn).taken(flight.flight_id, labels)
        if taken:
            with _redis():
                await self.holds.release(hold)
            raise Conflict(f"{_seats_text(taken)} already taken", code="seat_taken", seats=sorted(taken))
        await self._publish(hold.flight_id, "SeatsHeld", labels)
        return hold

    async def _same_hold(self, hold_id: str, flight_id: str, owner: str, requests: Sequence[SeatRequest]) -> Hold:
        """A repeated HoldSeats with a hold id already in use: the same request gets the same hold."""
        stored = await self.holds.get(hold_id)
        if stored is None:
            raise Conflict(f"hold {hold_id} has just ended; ask again with a new hold id", code="hold_gone")
        hold = stored.hold
        if hold.owner != owner or hold.flight_id != flight_id or set(hold.seats) != set(requests):
            raise Conflict(f"hold id {hold_id} is already used for another request", code="hold_id_reused")
        if not stored.active:
            raise Conflict(f"hold {hold_id} has expired", code="hold_expired")
        return hold

    async def _stored(self, hold_id: str) -> Any:
        hold_id = domain.reference(hold_id, "hold_id")
        with _redis():
            stored = await self.holds.get(hold_id)
        if stored is None:
            raise NotFound(f"hold {hold_id} does not exist or has ended")
        return stored

    async def get_hold(self, hold_id: str) -> Hold:
        principal = require()
        stored = await self._stored(hold_id)
        self._may_touch(principal, stored.hold)
        if not stored.active:
            raise NotFound(f"hold {stored.hold.hold_id} has expired")
        return stored.hold  # type: ignore[no-any-return]

    async def extend_hold(self, hold_id: str, ttl_seconds: int = 0) -> Hold:
        principal = require()
        stored = await self._stored(hold_id)
        hold: Hold = stored.hold
        self._may_touch(principal, hold)
        ttl = domain.ttl_for(ttl_seconds, self.hold_ttl_seconds())
        self._sellable(await self.flight(hold.flight_id))
        with _redis():
            status, expires = await self.holds.extend(
                hold, ttl * 1000, self.settings.max_hold_extension_seconds * 1000, self._keep_ms
            )
        if status == "missing":
            raise NotFound(f"hold {hold.hold_id} does not exist or has ended")
        if status in ("expired", "lost"):
            raise Conflict(f"hold {hold.hold_id} has expired: its seats are free again", code="hold_expired")
        assert expires is not None
        return replace(hold, expires_at=expires)

    async def release_hold(self, hold_id: str) -> list[str]:
        principal = require()
        stored = await self._stored(hold_id)
        self._may_touch(principal, stored.hold)
        with _redis():
            freed = await self.holds.release(stored.hold)
        await self._publish(stored.hold.flight_id, "SeatsReleased", freed, reason="released")
        return sorted(freed, key=domain.seat_order)

    async def sweep(self) -> int:
        """Tell live seat maps about holds whose time ran out (Redis freed their seats already)."""
        expired = await self.holds.sweep()
        for e in expired:
            if e.freed:
                await self._publish(e.flight_id, "SeatsReleased", e.freed, reason="expired")
        return len(expired)

    # ------------------------------------------------------------ assignments

    async def confirm_hold(self, hold_id: str, booking_ref: str) -> list[Assignment]:
        require(*STAFF)
        hold_id = domain.reference(hold_id, "hold_id")
        booking_ref = domain.reference(booking_ref, "booking_ref")
        done = await self._confirmed(hold_id, booking_ref)
        if done:
            return done
        with _redis():
            stored = await self.holds.get(hold_id)
        too_late = stored is not None and (
            stored.now - stored.hold.expires_at > timedelta(seconds=self.settings.confirm_grace_seconds)
        )
        if stored is None or too_late:
            raise NotFound(f"hold {hold_id} does not exist or expired too long ago to confirm")
        hold: Hold = stored.hold
        self._sellable(await self.fresh_flight(hold.flight_id))
        with _redis():
            ok, newly = await self.holds.claim(hold.flight_id, hold.labels, hold.hold_id, CLAIM_MS)
        if not ok:
            raise Conflict(
                f"hold {hold_id} expired and {_seats_text(newly)} now held by someone else",
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
            assigned = await self._assign(rows, [])
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
        async with self.db.uow() as uow:
            done = await ReservationRepository(uow.conn).by_hold(hold_id)
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
                vacated = sorted({m.seat for m in moved} - {a.seat for a in assigned}, key=domain.seat_order)
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
            if constraint == SEAT_TAKEN:
                async with self.db.uow() as uow:
                    taken = await ReservationRepository(uow.conn).taken(flight_id, [r.seat for r in rows])
                raise Conflict(
                    f"{_seats_text(taken) if taken else 'a seat'} already taken", code="seat_taken", seats=sorted(taken)
                ) from None
            raise
        if vacated:
            await self._publish(flight_id, "SeatsReleased", vacated, reason="moved")
        return assigned

    async def assign_seats(
        self, flight_id: str, booking_ref: str, raw: Sequence[tuple[str, str, str, str]]
    ) -> list[Assignment]:
        require(*STAFF)
        booking_ref = domain.reference(booking_ref, "booking_ref")
        requests = domain.parse_seat_requests(raw)
        flight = await self.fresh_flight(flight_id)
        if flight.closed:
            # a seat change needs a flight still on the ground and not cancelled; giving seats
            # back (release_assignments) works whatever the flight's status
            why = flight.why_not_sellable(datetime.now(UTC), self.settings.sales_close_minutes)
            raise Conflict(f"{why}: seats can no longer be changed", code="flight_closed", flight_id=flight.flight_id)
        domain.check_seat_requests(requests, flight.seats)
        labels = [r.seat for r in requests]
        token = f"assign:{uuid.uuid4()}"
        with _redis():
            ok, newly = await self.holds.claim(flight.flight_id, labels, token, CLAIM_MS)
        if not ok:
            raise Conflict(f"{_seats_text(newly)} held by someone else", code="seat_held", seats=newly)
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

    async def release_assignments(self, booking_ref: str, flight_id: str = "") -> list[Assignment]:
        require(*STAFF)
        booking_ref = domain.reference(booking_ref, "booking_ref")
        only = flight_id_of(flight_id) if flight_id.strip() else None
        async with self.db.uow() as uow:
            released = await ReservationRepository(uow.conn).remove_booking(booking_ref, only)
            by_flight: dict[str, list[str]] = {}
            for a in released:
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

    # ------------------------------------------------------------ live seat maps

    async def _publish(self, flight_id: str, kind: str, seats: Iterable[str], reason: str = "") -> None:
        seats = list(seats)
        if not seats:
            return
        message = domain.seat_event(kind, flight_id, seats, datetime.now(UTC), reason)
        try:
            await self.holds.publish(domain.live_channel(flight_id), message)
        except RedisError as e:  # live maps are a view: a browser that misses one resyncs on reconnect
            log.warning("reservation: could not publish %s for flight %s: %s", kind, flight_id, e)
