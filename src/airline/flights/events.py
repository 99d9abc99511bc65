"""What the flights service publishes: its topics and event types, and the announcement
record (the AnnouncementMade payload, also what the announcement reads return)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from airline.platform.events import topic_name

FLIGHT_SCHEDULED = topic_name("flights", "flight_scheduled")
FLIGHT_DELAYED = topic_name("flights", "flight_delayed")
FLIGHT_CANCELLED = topic_name("flights", "flight_cancelled")
FLIGHT_DIVERTED = topic_name("flights", "flight_diverted")
FLIGHT_GATE_CHANGED = topic_name("flights", "flight_gate_changed")
FLIGHT_BOARDING = topic_name("flights", "flight_boarding")
FLIGHT_DEPARTED = topic_name("flights", "flight_departed")
FLIGHT_ARRIVED = topic_name("flights", "flight_arrived")
ANNOUNCEMENT_MADE = topic_name("flights", "announcement_made")
FARES_CHANGED = topic_name("flights", "fares_changed")

FLIGHT_TOPICS = (
    FLIGHT_SCHEDULED,
    FLIGHT_DELAYED,
    FLIGHT_CANCELLED,
    FLIGHT_DIVERTED,
    FLIGHT_GATE_CHANGED,
    FLIGHT_BOARDING,
    FLIGHT_DEPARTED,
    FLIGHT_ARRIVED,
)
TOPICS = (*FLIGHT_TOPICS, ANNOUNCEMENT_MADE, FARES_CHANGED)

EVENT_TYPES = {
    FLIGHT_SCHEDULED: "FlightScheduled",
    FLIGHT_DELAYED: "FlightDelayed",
    FLIGHT_CANCELLED: "FlightCancelled",
    FLIGHT_DIVERTED: "FlightDiverted",
    FLIGHT_GATE_CHANGED: "FlightGateChanged",
    FLIGHT_BOARDING: "FlightBoarding",
    FLIGHT_DEPARTED: "FlightDeparted",
    FLIGHT_ARRIVED: "FlightArrived",
    ANNOUNCEMENT_MADE: "AnnouncementMade",
    FARES_CHANGED: "FaresChanged",
}


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
