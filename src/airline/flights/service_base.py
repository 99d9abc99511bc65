"""What every flight use case shares: the service's collaborators, loading a flight under
lock, the plane's block at the airport, gate conflicts, and writing flight events and
announcements to the outbox in the caller's transaction."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from airline.contracts.events import EventType
from airline.contracts.events import flights as flight_events
from airline.flights import domain
from airline.flights.airport_client import AirportClient, PlaneBlock
from airline.flights.domain import AnnouncementKind, Flight, FlightStatus
from airline.flights.events import Announcement, announcement_from_row
from airline.flights.settings import FlightsSettings
from airline.flights.store import FlightRepository
from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.errors import NotFound, ValidationFailed

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class FlightServiceBase:
    """The collaborators and helpers every flight use case shares."""

    def __init__(self, db: ServiceDatabase, airport: AirportClient, settings: FlightsSettings) -> None:
        self.db = db
        self.airport = airport
        self.settings = settings

    @property
    def turnaround(self) -> timedelta:
        return timedelta(minutes=self.settings.turnaround_minutes)

    @property
    def boarding(self) -> timedelta:
        return timedelta(minutes=self.settings.boarding_minutes)

    def _block(self, f: Flight, destination: str | None = None, arrival: datetime | None = None) -> PlaneBlock:
        return PlaneBlock(
            f.id,
            f.plane_id,
            f.origin,
            destination or f.destination,
            f.estimated_departure,
            (arrival or f.estimated_arrival) + self.turnaround,
        )

    async def _readable(self, message: str, flights: Sequence[Flight]) -> str:
        """The airport names flights by their ids (its commitment references): name them by
        number and local date instead."""
        ids = set(_UUID.findall(message))
        if not ids:
            return message
        known = {f.id: f for f in flights}
        async with self.db.uow() as uow:
            known |= await FlightRepository(uow.conn).get_many(sorted(ids - known.keys()))
        for fid in ids:
            if fid in known:
                f = known[fid]
                message = message.replace(fid, f"{f.number} on {f.departure_local_date.isoformat()}")
        return message

    async def _gate_conflicts(
        self, repo: FlightRepository, flights: Sequence[Flight], exclude: Sequence[str] = ()
    ) -> list[str]:
        problems: list[str] = []
        groups: dict[tuple[str, str], list[Flight]] = {}
        for f in flights:
            groups.setdefault((f.origin, f.gate), []).append(f)
        for (origin, gate), group in groups.items():
            start = min(f.boarding_starts for f in group)
            end = max(f.estimated_departure for f in group)
            holders = await repo.gate_holders(origin, gate, start, end, exclude)
            for f in group:
                for other in holders:
                    if domain.overlaps(f.gate_window(), other.gate_window()):
                        problems.append(domain.describe_gate_conflict(f.number, f.departure_local_date, gate, other))
        return problems

    async def _locked(self, repo: FlightRepository, flight_id: str) -> Flight:
        flight = await repo.get(parse_flight_id(flight_id), lock=True)
        if flight is None:
            raise NotFound(f"no flight {flight_id}", field="flight_id")
        return flight

    # ------------------------------------------------------------ events and announcements

    async def _emit(
        self, uow: UnitOfWork, event: EventType[Any], flight: Flight, previous: FlightStatus | None, **extra: Any
    ) -> None:
        payload = {"flight": domain.flight_payload(flight), "previous_status": previous.value if previous else None}
        await uow.emit_event(event, flight.id, payload | extra)

    async def _announce(
        self, uow: UnitOfWork, repo: FlightRepository, flight: Flight, kind: AnnouncementKind, message: str
    ) -> Announcement:
        row = await repo.add_announcement(
            {
                "id": str(uuid.uuid4()),
                "flight_id": flight.id,
                "flight_number": flight.number,
                "airport": flight.origin,
                "kind": kind.value,
                "message": message,
            }
        )
        a = announcement_from_row(row)
        await uow.emit_event(
            flight_events.ANNOUNCEMENT_MADE,
            a.airport,
            {
                "id": a.id,
                "flight_id": a.flight_id,
                "flight_number": a.flight_number,
                "airport": a.airport,
                "kind": a.kind,
                "message": a.message,
                "created_at": a.created_at.isoformat(),
                "flight_status": flight.status.value,
            },
        )
        return a


def required_time(value: datetime | None, name: str) -> datetime:
    if value is None:
        raise ValidationFailed(f"{name} is required", field=name)
    return value


def parse_flight_id(value: str) -> str:
    cleaned = value.strip()
    try:
        return str(uuid.UUID(cleaned))
    except ValueError:
        raise NotFound(f"no flight {value!r}", field="id") from None
