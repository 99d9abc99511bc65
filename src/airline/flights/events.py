"""The announcement record (the AnnouncementMade payload, also what the announcement reads
return). The flights service's topics, event types and payload schemas are in the event
catalogue: `airline.contracts.events.flights`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Announcement:
    id: str
    flight_id: str
    flight_number: str
    airport: str
    kind: str
    message: str
    created_at: datetime


def announcement_from_row(row: Any) -> Announcement:
    return Announcement(row.id, row.flight_id, row.flight_number, row.airport, row.kind, row.message, row.created_at)
