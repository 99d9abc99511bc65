"""What every reservation use case shares: the collaborators, this service's copy of each
flight (its seats from the plane, its status from the flights service; loaded on first use),
the rule that seats are held and confirmed only while the flight sells, Redis failures as
Unavailable, and the messages to live seat maps.

Without Redis (issue 20) the service degrades, it does not stop: seat maps and counts show
the seats PostgreSQL has assigned and say that holds are unknown for the moment
(`HOLDS_UNAVAILABLE`); holding, extending, releasing and confirming holds answer Unavailable
with code `seat_holds_unavailable` (503 + Retry-After at the gateway); direct assignments
(check-in, seat changes) go on with PostgreSQL's unique constraints as the only guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from redis.exceptions import RedisError

from airline.platform import flight_status
from airline.platform.auth import Role
from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.errors import Conflict, NotFound, Unavailable
from airline.platform.redis import REDIS_DEGRADED
from airline.reservation import domain
from airline.reservation.domain import FlightSeat
from airline.reservation.flight_source import FlightFacts, FlightInfo, FlightSource, flight_id_of
from airline.reservation.holds import HoldStore
from airline.reservation.settings import ReservationSettings
from airline.reservation.store import ReservationRepository

log = logging.getLogger(__name__)

STAFF = (Role.SYSTEM, Role.CS, Role.AGENT)
CACHED_FLIGHTS = 2048
# How long a hold may decide on the in-process copy of a flight (status, seats) without reading
# PostgreSQL again. This process's own event handlers drop the copy when they change the flight;
# the bound covers changes another replica's consumer applied. A hold on a flight that closed
# within that second is harmless: confirmation asks the flights service (fresh_flight).
FLIGHT_COPY_SECONDS = 1.0


HOLDS_UNAVAILABLE = "seat holds are unavailable for the moment; try again shortly"
HOLDS_UNAVAILABLE_CODE = "seat_holds_unavailable"  # the gateway shows it with a Retry-After


@contextlib.contextmanager
def redis_guard(operation: str = "holds") -> Any:
    try:
        yield
    except RedisError as e:
        log.warning("reservation: Redis failed (%s): %s", operation, e)
        REDIS_DEGRADED.labels("reservation", operation).inc()
        raise Unavailable(HOLDS_UNAVAILABLE + " (nothing was changed)", code=HOLDS_UNAVAILABLE_CODE) from None


def redis_lost(operation: str, e: RedisError) -> None:
    """Going on without Redis: logged and counted (airline_redis_degraded_total)."""
    log.warning("reservation: Redis unavailable, %s goes on without it: %s", operation, e)
    REDIS_DEGRADED.labels("reservation", operation).inc()


def seats_text(labels: Iterable[str]) -> str:
    labels = sorted(labels, key=domain.seat_order)
    return ("seat " if len(labels) == 1 else "seats ") + ", ".join(labels)


class ReservationServiceBase:
    """The collaborators, the flight copy and the helpers every reservation use case shares."""

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
        self._seats: OrderedDict[str, tuple[int | None, dict[str, FlightSeat]]] = OrderedDict()
        self._flights: dict[str, tuple[float, FlightInfo]] = {}
        # seat-map messages in flight: held here so they are not garbage-collected mid-way
        self._background: set[asyncio.Task[None]] = set()
        # A hold's record outlives its expiry by the confirmation grace, plus a minute so that
        # the sweeper always finds it to announce the freed seats.
        self._keep_ms = (settings.confirm_grace_seconds + 60) * 1000

    # ------------------------------------------------------------ the flight copy

    async def load_flight(self, uow: UnitOfWork, facts: FlightFacts) -> None:
        """Store a flight's seats from its plane and its status (idempotent): the flight_scheduled
        handler and the lazy path both come here."""
        seats = domain.flight_seats(await self.source.layout(facts.plane_id))
        repo = ReservationRepository(uow.conn)
        await repo.save_flight_seats(facts.flight_id, facts.plane_id, flight_status.is_cancelled(facts.status), seats)
        await repo.save_status(facts.flight_id, facts.number, facts.status, facts.departure, facts.version)

    async def flight(self, flight_id: str) -> FlightInfo:
        flight_id = flight_id_of(flight_id)
        async with self.db.reading() as conn:  # reads only: no BEGIN/ROLLBACK around them
            repo = ReservationRepository(conn)
            row = await repo.flight(flight_id)
            if row is not None and row.seats_loaded and row.status is not None:
                # the copy is of one plane: an aircraft swap (plane_version) on any replica reloads it
                cached = self._seats.get(flight_id)
                if cached is not None and cached[0] == row.plane_version:
                    seats = cached[1]
                else:
                    seats = {s.seat: s for s in await repo.seats(flight_id)}
                    self._remember(flight_id, row.plane_version, seats)
                return FlightInfo(
                    flight_id,
                    row.plane_id,
                    row.cancelled,
                    seats,
                    row.number or "",
                    row.status,
                    row.departure,
                    row.status_version,
                )
        # Not heard of yet (or its event is still on its way, or stored before statuses were
        # kept): ask, so that ordering never matters.
        facts = await self.source.flight(flight_id)
        async with self.db.uow() as uow:
            await self.load_flight(uow, facts)
            await uow.commit()
        return await self.flight(flight_id)

    async def recent_flight(self, flight_id: str) -> FlightInfo:
        """The flight as a hold sees it: the in-process copy when it is under FLIGHT_COPY_SECONDS
        old, so a hold costs no PostgreSQL read for it."""
        flight_id = flight_id_of(flight_id)
        now = time.monotonic()
        cached = self._flights.get(flight_id)
        if cached is not None and now - cached[0] < FLIGHT_COPY_SECONDS:
            return cached[1]
        flight = await self.flight(flight_id)
        if len(self._flights) >= CACHED_FLIGHTS:
            self._flights.clear()
        self._flights[flight_id] = (now, flight)
        return flight

    def forget_flight(self, flight_id: str) -> None:
        """Drop the copy a hold decides on (the flight changed in this process)."""
        self._flights.pop(flight_id, None)

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
        if flight.version is None or facts.version > flight.version:  # else the copy is as new: no write
            async with self.db.uow() as uow:
                await ReservationRepository(uow.conn).save_status(
                    facts.flight_id, facts.number, facts.status, facts.departure, facts.version
                )
                await uow.commit()
            self.forget_flight(facts.flight_id)
        return replace(
            flight,
            number=facts.number,
            status=facts.status,
            departure=facts.departure,
            cancelled=flight.cancelled or flight_status.is_cancelled(facts.status),
            version=max(facts.version, flight.version or 0),
        )

    def _sellable(self, flight: FlightInfo) -> None:
        """Holds, extensions and confirmations only while the flight sells (platform/flight_status.py)."""
        why = flight.why_not_sellable(datetime.now(UTC), self.settings.sales_close_minutes)
        if why is not None:
            raise Conflict(
                f"{why}: no seats can be held or confirmed", code="flight_not_sellable", flight_id=flight.flight_id
            )

    def _remember(self, flight_id: str, plane_version: int | None, seats: dict[str, FlightSeat]) -> None:
        self._seats[flight_id] = (plane_version, seats)
        while len(self._seats) > CACHED_FLIGHTS:
            self._seats.popitem(last=False)

    # ------------------------------------------------------------ live seat maps

    def _publish_later(self, flight_id: str, kind: str, seats: Iterable[str], reason: str = "") -> None:
        """Publish a seat-map message without the request waiting for it (it is a live-map hint:
        a browser that misses one resyncs on reconnect); a failure is logged, never lost silently."""
        task = asyncio.get_running_loop().create_task(self._publish(flight_id, kind, list(seats), reason))
        self._background.add(task)
        task.add_done_callback(self._published)

    def _published(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and (e := task.exception()) is not None:
            log.warning("reservation: seat-map message failed: %r", e)
            REDIS_DEGRADED.labels("reservation", "publish").inc()

    async def _publish(self, flight_id: str, kind: str, seats: Iterable[str], reason: str = "") -> None:
        seats = [s for s in seats if not domain.is_place(s)]  # overbooking places are on no seat map
        if not seats:
            return
        message = domain.seat_event(kind, flight_id, seats, datetime.now(UTC), reason)
        try:
            await self.holds.publish(domain.live_channel(flight_id), message)
        except RedisError as e:  # live maps are a view: a browser that misses one resyncs on reconnect
            log.warning("reservation: could not publish %s for flight %s: %s", kind, flight_id, e)
            REDIS_DEGRADED.labels("reservation", "publish").inc()
