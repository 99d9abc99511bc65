"""Crew's event handlers: its copy of each flight follows the flights service's events.

The copy keeps the flight's real status (scheduled .. arrived, cancelled, diverted) so that a
view of the flight's crew says where the flight is; events of different topics may arrive in
any order, so a status heard late never undoes a later one (platform/flight_status.follows).
Mixed into CrewService, whose transaction helpers (_propose, _revalidate, _release) they use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from airline.contracts.events import flights as flight_events
from airline.contracts.events.flights import FlightSnapshot
from airline.crew import domain
from airline.crew.domain import AssignmentState, FlightInfo
from airline.crew.store import CrewRepository
from airline.platform import flight_status
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.events import Envelope

if TYPE_CHECKING:
    from airline.crew.service import CrewService

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _flight_from_payload(f: FlightSnapshot, aircraft_type: str, seats: int) -> FlightInfo:
    departure = _when(f.estimated_departure) or _when(f.scheduled_departure)
    arrival = _when(f.estimated_arrival) or _when(f.scheduled_arrival)
    assert departure is not None and arrival is not None
    return FlightInfo(
        f.id, f.number, f.origin, f.diverted_to or f.destination, departure, arrival, aircraft_type, seats, f.status
    )


def _kept_status(current: str, heard: str | None) -> str:
    """The status to keep when an event says `heard` and the copy holds `current`."""
    return heard if heard and flight_status.follows(current, heard) else current


class CrewConsumers:
    """The `on_*` handlers of CrewService (see the module's docstring)."""

    def handlers(self: CrewService) -> dict[str, Handler]:
        return {
            flight_events.FLIGHT_SCHEDULED.topic: self.on_flight_scheduled,
            flight_events.FLIGHT_DELAYED.topic: self.on_flight_changed,
            flight_events.FLIGHT_DIVERTED.topic: self.on_flight_changed,
            flight_events.FLIGHT_GATE_CHANGED.topic: self.on_flight_gate_changed,
            flight_events.FLIGHT_CANCELLED.topic: self.on_flight_cancelled,
            flight_events.FLIGHT_BOARDING.topic: self.on_flight_progress,
            flight_events.FLIGHT_DEPARTED.topic: self.on_flight_progress,
            flight_events.FLIGHT_ARRIVED.topic: self.on_flight_progress,
        }

    async def on_flight_scheduled(self: CrewService, uow: UnitOfWork, envelope: Envelope) -> None:
        f = flight_events.FLIGHT_SCHEDULED.parse(envelope).flight
        with self.acting_as_system():
            aircraft_type, seats = await self.plane_lookup(f.plane_id)
        info = _flight_from_payload(f, aircraft_type, seats)
        repo = CrewRepository(uow.conn)
        known = await repo.flight_row(info.id, lock=True)
        if known is not None:  # a later event came first: keep the status it brought
            info = replace(info, status=_kept_status(known.status, info.status))
        await repo.upsert_flight(info)
        # a flight departing soon is crewed at once (once this commits, with the uncrewed flights
        # it may share a duty period with: events of one rotation come in any order); later ones
        # wait for the job, which solves every uncrewed flight of the horizon together
        soon = min(self.settings.propose_on_schedule_hours, self.settings.auto_propose_horizon_hours)
        if flight_status.crew_auto_proposal(info.status) and self._within_horizon(info.departure, soon):
            self._crew_after_commit(uow, info)

    async def on_flight_changed(self: CrewService, uow: UnitOfWork, envelope: Envelope) -> None:
        """Delayed or diverted: the duties move with the flight; those that break a rule now
        are withdrawn (needs attention) and replacements proposed."""
        f = flight_events.parse_change(envelope).flight
        repo = CrewRepository(uow.conn)
        flight = await repo.flight_row(f.id, lock=True)
        if flight is None:
            return  # scheduled before this service existed and never crewed here
        departure, arrival = _when(f.estimated_departure), _when(f.estimated_arrival)
        destination = f.diverted_to or f.destination
        await repo.update_flight(
            flight.id,
            departure=departure or flight.departure,
            arrival=arrival or flight.arrival,
            destination=destination,
            status=_kept_status(flight.status, f.status),
        )
        await self._revalidate(uow, repo, flight.id)

    async def on_flight_gate_changed(self: CrewService, uow: UnitOfWork, envelope: Envelope) -> None:
        """Each member holding a duty on the flight is told its new gate, once: a replay of the
        change (another event id) finds the same note the member was told last."""
        event = flight_events.FLIGHT_GATE_CHANGED.parse(envelope)
        f = event.flight
        repo = CrewRepository(uow.conn)
        flight = await repo.flight_row(f.id, lock=True)
        if flight is None or not f.gate:
            return
        was = f" (was {event.previous_gate})" if event.previous_gate else ""
        message = f"Flight {f.number} now departs from gate {f.gate}{was}."
        for a in await repo.flight_assignments(f.id):
            if a.state not in domain.HOLDING_STATES:
                continue
            last = next(
                (
                    n
                    for n in await repo.notifications_of(a.member_id)
                    if n.assignment_id == a.id and n.kind == "gate_changed"
                ),
                None,
            )
            if last is not None and last.message == message:
                continue
            await repo.notify(a.member_id, a.id, "gate_changed", message)

    async def on_flight_progress(self: CrewService, uow: UnitOfWork, envelope: Envelope) -> None:
        """Boarding, departed, arrived: the copy shows the flight's real status (the duties
        stay as they are: the crew flies it)."""
        f = flight_events.parse_change(envelope).flight
        repo = CrewRepository(uow.conn)
        flight = await repo.flight_row(f.id, lock=True)
        if flight is None:
            return
        status = _kept_status(flight.status, f.status)
        if status != flight.status:
            await repo.update_flight(flight.id, status=status)

    async def on_flight_cancelled(self: CrewService, uow: UnitOfWork, envelope: Envelope) -> None:
        cancelled = flight_events.FLIGHT_CANCELLED.parse(envelope)
        repo = CrewRepository(uow.conn)
        flight = await repo.flight_row(cancelled.flight.id, lock=True)
        if flight is None:
            return
        await repo.update_flight(flight.id, status=flight_status.FlightStatus.CANCELLED.value)
        reason = cancelled.reason or ""
        for a in await repo.flight_assignments(flight.id):
            if a.state in domain.HOLDING_STATES:
                await repo.update_assignment(a.id, state=AssignmentState.CANCELLED.value, answered_at=utcnow())
                await self._release(
                    uow,
                    repo,
                    a,
                    flight,
                    "cancelled",
                    f"Flight {flight.number} is cancelled{': ' + reason if reason else ''}; your duty is released.",
                )
