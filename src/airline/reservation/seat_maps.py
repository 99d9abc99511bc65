"""Seat maps: every seat of a flight with its state (free, held, taken; the caller's own holds
marked) and what each cabin has left.

Taken seats come from PostgreSQL, holds from Redis. Without Redis a seat map still answers:
taken seats as PostgreSQL has them, every other seat free, `holds_unavailable_reason` set
(a seat someone held is then shown free, and no new hold can be taken until Redis is back)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from redis.exceptions import RedisError

from airline.platform.auth import current_principal
from airline.reservation import domain
from airline.reservation.domain import CabinAvailability, FlightSeat, SeatState
from airline.reservation.flight_source import FlightInfo
from airline.reservation.service_base import HOLDS_UNAVAILABLE, ReservationServiceBase, redis_lost
from airline.reservation.store import ReservationRepository


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
    holds_unavailable_reason: str | None = None  # set when Redis did not answer: holds unknown

    @property
    def sellable(self) -> bool:
        return self.not_sellable_reason is None


@dataclass(frozen=True)
class Availability:
    cabins: list[CabinAvailability]
    holds_unavailable_reason: str | None = None


class SeatMaps(ReservationServiceBase):
    """The seat map use cases of ReservationService."""

    async def _holders(self, flight: FlightInfo, operation: str) -> tuple[dict[str, str], str | None]:
        """seat -> hold id of the held seats, or ({}, why) when Redis does not answer."""
        try:
            return await self.holds.holders(flight.flight_id, list(flight.seats)), None
        except RedisError as e:
            redis_lost(operation, e)
            return {}, HOLDS_UNAVAILABLE

    async def seat_map(self, flight_id: str) -> SeatMap:
        flight = await self.flight(flight_id)
        async with self.db.uow() as uow:
            taken = await ReservationRepository(uow.conn).taken(flight.flight_id)
        held, holds_unavailable = await self._holders(flight, "seat_map")
        caller = current_principal.get()
        mine: set[str] = set()
        if caller is not None and held:
            try:
                owners = await self.holds.owners(sorted(set(held.values())))
                mine = {h for h, owner in owners.items() if owner == caller.subject}
            except RedisError as e:  # Redis went between the two reads: held stays held, not marked
                redis_lost("seat_map", e)
        views = [
            SeatView(s, domain.seat_state(s.seat, taken, held), held.get(s.seat) in mine and s.seat not in taken)
            for s in flight.seats.values()
        ]
        return SeatMap(
            flight,
            views,
            domain.availability(flight.seats.values(), taken, held),
            flight.why_not_sellable(datetime.now(UTC), self.settings.sales_close_minutes),
            holds_unavailable,
        )

    async def count_available(self, flight_id: str) -> Availability:
        flight = await self.flight(flight_id)
        async with self.db.uow() as uow:
            taken = await ReservationRepository(uow.conn).taken(flight.flight_id)
        held, holds_unavailable = await self._holders(flight, "count_available")
        return Availability(domain.availability(flight.seats.values(), taken, held), holds_unavailable)
