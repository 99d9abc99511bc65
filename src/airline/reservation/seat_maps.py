"""Seat maps: every seat of a flight with its state (free, held, taken; the caller's own holds
marked) and what each cabin has left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from airline.platform.auth import current_principal
from airline.reservation import domain
from airline.reservation.domain import CabinAvailability, FlightSeat, SeatState
from airline.reservation.flight_source import FlightInfo
from airline.reservation.service_base import ReservationServiceBase, redis_guard
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

    @property
    def sellable(self) -> bool:
        return self.not_sellable_reason is None


class SeatMaps(ReservationServiceBase):
    """The seat map use cases of ReservationService."""

    async def seat_map(self, flight_id: str) -> SeatMap:
        flight = await self.flight(flight_id)
        labels = list(flight.seats)
        async with self.db.uow() as uow:
            taken = await ReservationRepository(uow.conn).taken(flight.flight_id)
        with redis_guard():
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
        with redis_guard():
            held = await self.holds.holders(flight.flight_id, list(flight.seats))
        return domain.availability(flight.seats.values(), taken, held)
