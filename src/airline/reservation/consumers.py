"""Reservation's event handlers: its copy of each flight's status follows the flights events.

Every flights event carries the flight's full snapshot (status, expected departure, version);
the newest version wins, so events may arrive in any order or twice. Mixed into
ReservationService (load_flight is one of its use cases).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope, topic_name
from airline.reservation.flight_source import FlightFacts
from airline.reservation.store import ReservationRepository

if TYPE_CHECKING:
    from airline.reservation.service import ReservationService

FLIGHT_SCHEDULED = topic_name("flights", "flight_scheduled")
FLIGHT_CANCELLED = topic_name("flights", "flight_cancelled")
# Each one refreshes the local copy of the status.
FLIGHT_STATUS_TOPICS = tuple(topic_name("flights", name) for name in (
    "flight_delayed", "flight_diverted", "flight_gate_changed", "flight_boarding", "flight_departed",
    "flight_arrived"))

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


class ReservationConsumers:
    """The `on_*` handlers of ReservationService."""

    def handlers(self: ReservationService) -> dict[str, Handler]:
        return {FLIGHT_SCHEDULED: self.on_flight_scheduled, FLIGHT_CANCELLED: self.on_flight_cancelled,
                **{topic: self.on_flight_changed for topic in FLIGHT_STATUS_TOPICS}}

    async def on_flight_scheduled(self: ReservationService, uow: UnitOfWork, envelope: Envelope) -> None:
        await self.load_flight(uow, FlightFacts.of_event(envelope.payload["flight"]))

    async def on_flight_cancelled(self: ReservationService, uow: UnitOfWork, envelope: Envelope) -> None:
        repo = ReservationRepository(uow.conn)
        await repo.mark_cancelled(envelope.payload["flight"]["id"])
        await self.on_flight_changed(uow, envelope)

    async def on_flight_changed(self: ReservationService, uow: UnitOfWork, envelope: Envelope) -> None:
        """Any flights event: keep the newest status (an older or repeated one changes nothing)."""
        f = FlightFacts.of_event(envelope.payload["flight"])
        await ReservationRepository(uow.conn).save_status(f.flight_id, f.number, f.status, f.departure, f.version)
