"""Reservation's event handlers: its copy of each flight's status follows the flights events.

Every flights event carries the flight's full snapshot (status, expected departure, version);
the newest version wins, so events may arrive in any order or twice. Mixed into
ReservationService (load_flight is one of its use cases).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from airline.contracts.events import flights as flight_events
from airline.contracts.events import reservation as reservation_events
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope
from airline.reservation.flight_source import FlightFacts
from airline.reservation.store import ReservationRepository

if TYPE_CHECKING:
    from airline.reservation.service import ReservationService

# Each one refreshes the local copy of the status.
FLIGHT_STATUS_EVENTS = (
    flight_events.FLIGHT_DELAYED,
    flight_events.FLIGHT_DIVERTED,
    flight_events.FLIGHT_GATE_CHANGED,
    flight_events.FLIGHT_BOARDING,
    flight_events.FLIGHT_DEPARTED,
    flight_events.FLIGHT_ARRIVED,
)

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


class ReservationConsumers:
    """The `on_*` handlers of ReservationService."""

    def handlers(self: ReservationService) -> dict[str, Handler]:
        return {
            flight_events.FLIGHT_SCHEDULED.topic: self.on_flight_scheduled,
            flight_events.FLIGHT_CANCELLED.topic: self.on_flight_cancelled,
            # an aircraft swap, and seats freed for the passengers it displaced (plane_changes.py)
            flight_events.FLIGHT_PLANE_CHANGED.topic: self.on_plane_changed,
            reservation_events.SEATS_RELEASED.topic: self.on_seats_released,
            **{event.topic: self.on_flight_changed for event in FLIGHT_STATUS_EVENTS},
        }

    async def on_flight_scheduled(self: ReservationService, uow: UnitOfWork, envelope: Envelope) -> None:
        flight = flight_events.FLIGHT_SCHEDULED.parse(envelope).flight
        await self.load_flight(uow, FlightFacts.of_event(flight.model_dump()))
        uow.after_commit(lambda: self.forget_flight(flight.id))

    async def on_flight_cancelled(self: ReservationService, uow: UnitOfWork, envelope: Envelope) -> None:
        repo = ReservationRepository(uow.conn)
        await repo.mark_cancelled(flight_events.FLIGHT_CANCELLED.parse(envelope).flight.id)
        await self.on_flight_changed(uow, envelope)

    async def on_flight_changed(self: ReservationService, uow: UnitOfWork, envelope: Envelope) -> None:
        """Any flights event: keep the newest status (an older or repeated one changes nothing).

        Read loosely (FlightFacts.of_event, not the catalogue's model): it needs only the id,
        status, departure and version, and a snapshot without the rest is still applied."""
        f = FlightFacts.of_event(envelope.payload["flight"])
        await ReservationRepository(uow.conn).save_status(f.flight_id, f.number, f.status, f.departure, f.version)
        # the copy holds decide on (service_base.recent_flight) follows this process's changes at once
        self.forget_flight(f.flight_id)
        uow.after_commit(lambda: self.forget_flight(f.flight_id))
