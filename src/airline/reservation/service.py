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
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, ContextManager, Iterable, Sequence

import grpc
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError

from airline.airport.domain import SeatLayout
from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Principal, Role, current_principal, require
from airline.platform.db import ServiceDatabase, UnitOfWork, violated_constraint
from airline.platform.errors import Conflict, NotFound, PermissionDenied, Unavailable, ValidationFailed
from airline.platform.events import Envelope, topic_name
from airline.reservation import domain
from airline.reservation.domain import (
    Assignment,
    CabinAvailability,
    FlightSeat,
    Hold,
    SeatRequest,
    SeatState,
)
from airline.reservation.holds import HoldStore
from airline.reservation.settings import ReservationSettings
from airline.reservation.store import PASSENGER_SEATED, SEAT_TAKEN, ReservationRepository

log = logging.getLogger(__name__)

SEATS_ASSIGNED = topic_name("reservation", "seats_assigned")
SEATS_RELEASED = topic_name("reservation", "seats_released")
TOPICS = (SEATS_ASSIGNED, SEATS_RELEASED)

FLIGHT_SCHEDULED = topic_name("flights", "flight_scheduled")
FLIGHT_CANCELLED = topic_name("flights", "flight_cancelled")

STAFF = (Role.SYSTEM, Role.CS, Role.AGENT)
CLAIM_MS = 30_000  # how long a confirmation/assignment keeps its seats from new holds while it writes
FLIGHT_ID = domain.re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CACHED_FLIGHTS = 2048


@dataclass(frozen=True)
class FlightInfo:
    flight_id: str
    plane_id: str
    cancelled: bool
    seats: dict[str, FlightSeat]


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


def flight_id_of(value: str) -> str:
    value = value.strip()
    if not FLIGHT_ID.fullmatch(value):
        raise ValidationFailed("flight_id is required (letters, digits, - and _)", field="flight_id")
    return value


class FlightSource:
    """The flights and airport services as this one needs them: a flight's plane and status, and
    the plane's seat layout. Read as the service itself (role system)."""

    def __init__(self, flights: FlightServiceStub, airport: AirportServiceStub,
                 acting_as_system: Callable[[], ContextManager[Any]]) -> None:
        self.flights = flights
        self.airport = airport
        self.acting_as_system = acting_as_system

    async def flight(self, flight_id: str) -> tuple[str, bool]:
        """(plane id, cancelled)"""
        try:
            with self.acting_as_system():
                f = await self.flights.GetFlight(fpb.GetFlightRequest(id=flight_id))
        except grpc.aio.AioRpcError as e:
            self._raise(e, f"flight {flight_id} does not exist", "flights")
        return f.plane_id, f.status == "cancelled"

    async def layout(self, plane_id: str) -> SeatLayout:
        try:
            with self.acting_as_system():
                p = await self.airport.GetPlane(apb.GetPlaneRequest(id=plane_id))
        except grpc.aio.AioRpcError as e:
            self._raise(e, f"plane {plane_id} does not exist", "airport")
        return SeatLayout.from_dict({
            "cabins": [{"cabin_class": c.cabin_class, "first_row": c.first_row, "last_row": c.last_row,
                        "seat_letters": c.seat_letters} for c in p.layout.cabins],
            "exit_rows": list(p.layout.exit_rows),
            "blocked_seats": list(p.layout.blocked_seats),
        })

    @staticmethod
    def _raise(e: grpc.aio.AioRpcError, not_found: str, service: str) -> None:
        if e.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            raise NotFound(not_found) from None
        raise Unavailable(f"the {service} service did not answer ({e.code().name}); try again") from None


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


class ReservationService:
    def __init__(self, db: ServiceDatabase, holds: HoldStore, source: FlightSource,
                 settings: ReservationSettings, hold_ttl_seconds: Callable[[], int] | None = None) -> None:
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

    async def load_flight(self, uow: UnitOfWork, flight_id: str, plane_id: str, cancelled: bool) -> None:
        """Store a flight's seats from its plane (idempotent): the flight_scheduled handler and
        the lazy path both come here."""
        seats = domain.flight_seats(await self.source.layout(plane_id))
        await ReservationRepository(uow.conn).save_flight_seats(flight_id, plane_id, cancelled, seats)

    async def flight(self, flight_id: str) -> FlightInfo:
        flight_id = flight_id_of(flight_id)
        async with self.db.uow() as uow:
            repo = ReservationRepository(uow.conn)
            row = await repo.flight(flight_id)
            if row is not None and row.seats_loaded:
                seats = self._seats.get(flight_id)
                if seats is None:
                    seats = {s.seat: s for s in await repo.seats(flight_id)}
                    self._remember(flight_id, seats)
                return FlightInfo(flight_id, row.plane_id, row.cancelled, seats)
        # Not heard of yet (or its event is still on its way): ask, so that ordering never matters.
        plane_id, cancelled = await self.source.flight(flight_id)
        async with self.db.uow() as uow:
            await self.load_flight(uow, flight_id, plane_id, cancelled)
            await uow.commit()
        return await self.flight(flight_id)

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
            SeatView(s, domain.seat_state(s.seat, taken, held),
                     held.get(s.seat) in mine and s.seat not in taken)
            for s in flight.seats.values()
        ]
        return SeatMap(flight, views, domain.availability(flight.seats.values(), taken, held))

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

    async def hold_seats(self, flight_id: str, raw: Sequence[tuple[str, str, str, str]], owner: str = "",
                         hold_id: str = "", ttl_seconds: int = 0) -> Hold:
        principal = require()
        owner = self._owner(principal, owner)
        requests = domain.parse_seat_requests(raw)
        hold_id = domain.reference(hold_id, "hold_id") if hold_id.strip() else str(uuid.uuid4())
        ttl = domain.ttl_for(ttl_seconds, self.hold_ttl_seconds())
        flight = await self.flight(flight_id)
        if flight.cancelled:
            raise Conflict(f"flight {flight.flight_id} is cancelled: no seats can be held", code="flight_cancelled")
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
            outcome = await self.holds.hold(hold_id, flight.flight_id, owner, requests, ttl * 1000, self._keep_ms)
            if outcome.status == "exists":
                return await self._same_hold(hold_id, flight.flight_id, owner, requests)
        if outcome.status == "busy":
            raise Conflict(f"{_seats_text(outcome.busy)} already held by someone else", code="seat_held",
                           seats=list(outcome.busy))
        assert outcome.now is not None
        hold = Hold(hold_id, flight.flight_id, owner, tuple(requests), outcome.now + timedelta(seconds=ttl), outcome.now)
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
        with _redis():
            status, expires = await self.holds.extend(
                hold, ttl * 1000, self.settings.max_hold_extension_seconds * 1000, self._keep_ms,
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
            stored.now - stored.hold.expires_at > timedelta(seconds=self.settings.confirm_grace_seconds))
        if stored is None or too_late:
            raise NotFound(f"hold {hold_id} does not exist or expired too long ago to confirm")
        hold: Hold = stored.hold
        with _redis():
            ok, newly = await self.holds.claim(hold.flight_id, hold.labels, hold.hold_id, CLAIM_MS)
        if not ok:
            raise Conflict(f"hold {hold_id} expired and {_seats_text(newly)} now held by someone else",
                           code="seat_held", seats=newly)
        rows = [Assignment(hold.flight_id, s.seat, s.passenger_ref, s.passenger_type, s.cabin_class, booking_ref,
                           hold.hold_id) for s in hold.seats]
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
                    await uow.emit(SEATS_RELEASED, flight_id, "SeatsReleased", {
                        "flight_id": flight_id, "booking_ref": rows[0].booking_ref, "seats": vacated,
                        "reason": "moved",
                    })
                await uow.emit(SEATS_ASSIGNED, flight_id, "SeatsAssigned", {
                    "flight_id": flight_id, "booking_ref": rows[0].booking_ref, "hold_id": rows[0].hold_id,
                    "assignments": [a.to_dict() for a in assigned],
                })
                await uow.commit()
        except IntegrityError as e:
            constraint = violated_constraint(e)
            if constraint == PASSENGER_SEATED:
                raise Conflict("a passenger of this request already has a seat on this flight",
                               code="passenger_seated") from None
            if constraint == SEAT_TAKEN:
                async with self.db.uow() as uow:
                    taken = await ReservationRepository(uow.conn).taken(flight_id, [r.seat for r in rows])
                raise Conflict(f"{_seats_text(taken) if taken else 'a seat'} already taken", code="seat_taken",
                               seats=sorted(taken)) from None
            raise
        if vacated:
            await self._publish(flight_id, "SeatsReleased", vacated, reason="moved")
        return assigned

    async def assign_seats(self, flight_id: str, booking_ref: str, raw: Sequence[tuple[str, str, str, str]]) -> list[Assignment]:
        require(*STAFF)
        booking_ref = domain.reference(booking_ref, "booking_ref")
        requests = domain.parse_seat_requests(raw)
        flight = await self.flight(flight_id)
        if flight.cancelled:
            raise Conflict(f"flight {flight.flight_id} is cancelled", code="flight_cancelled")
        domain.check_seat_requests(requests, flight.seats)
        labels = [r.seat for r in requests]
        token = f"assign:{uuid.uuid4()}"
        with _redis():
            ok, newly = await self.holds.claim(flight.flight_id, labels, token, CLAIM_MS)
        if not ok:
            raise Conflict(f"{_seats_text(newly)} held by someone else", code="seat_held", seats=newly)
        try:
            rows = [Assignment(flight.flight_id, r.seat, r.passenger_ref, r.passenger_type, r.cabin_class, booking_ref,
                               None) for r in requests]
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
                await uow.emit(SEATS_RELEASED, fid, "SeatsReleased", {
                    "flight_id": fid, "booking_ref": booking_ref, "seats": sorted(seats, key=domain.seat_order),
                    "reason": "cancelled",
                })
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

    # ------------------------------------------------------------ events in

    async def on_flight_scheduled(self, uow: UnitOfWork, envelope: Envelope) -> None:
        flight = envelope.payload["flight"]
        await self.load_flight(uow, flight["id"], flight["plane_id"], flight.get("status") == "cancelled")

    async def on_flight_cancelled(self, uow: UnitOfWork, envelope: Envelope) -> None:
        await ReservationRepository(uow.conn).mark_cancelled(envelope.payload["flight"]["id"])

    # ------------------------------------------------------------ live seat maps

    async def _publish(self, flight_id: str, kind: str, seats: Iterable[str], reason: str = "") -> None:
        seats = list(seats)
        if not seats:
            return
        message = domain.seat_event(kind, flight_id, seats, datetime.now(timezone.utc), reason)
        try:
            await self.holds.publish(domain.live_channel(flight_id), message)
        except RedisError as e:  # live maps are a view: a browser that misses one resyncs on reconnect
            log.warning("reservation: could not publish %s for flight %s: %s", kind, flight_id, e)
