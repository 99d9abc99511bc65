"""Events of the flights service. Every flight event carries the flight's full snapshot."""

from __future__ import annotations

from typing import Any

from airline.contracts.events.base import EventType, Payload, UncataloguedTopic
from airline.platform.events import Envelope

DOMAIN = "flights"


class CabinSeats(Payload):
    cabin_class: str
    capacity: int
    sold: int
    overbooking_percent: int = 0
    seats_left: int = 0


class FlightSnapshot(Payload):
    """The flight as it is after the change (times ISO 8601 UTC). The published schema names the
    fields as the flights service's Flight does, on purpose: it is that entity, on the wire."""

    # pylint: disable=duplicate-code

    id: str
    number: str
    origin: str
    destination: str
    origin_time_zone: str
    destination_time_zone: str
    plane_id: str
    gate: str | None = None
    status: str
    scheduled_departure: str
    scheduled_arrival: str
    estimated_departure: str | None = None
    estimated_arrival: str | None = None
    actual_departure: str | None = None
    actual_arrival: str | None = None
    cancelled_at: str | None = None  # added compatibly: when the flight was cancelled
    boarding_starts: str | None = None
    seats: list[CabinSeats] = []
    diverted_to: str | None = None
    delay_code: str | None = None
    status_reason: str | None = None
    round_trip_id: str | None = None
    schedule_id: str | None = None
    version: int


class FlightChange(Payload):
    flight: FlightSnapshot
    previous_status: str | None


class FlightScheduled(FlightChange):
    pass


class FlightDelayed(FlightChange):
    reason: str | None = None
    delay_code: str | None = None
    delay_minutes: int
    previous_estimated_departure: str


class FlightCancelled(FlightChange):
    reason: str | None = None


class FlightDiverted(FlightChange):
    diverted_to: str
    diverted_to_time_zone: str
    reason: str | None = None
    knock_on_conflict: str = ""


class FlightGateChanged(FlightChange):
    previous_gate: str | None = None
    reason: str = ""


class FlightPlaneChanged(FlightChange):
    """An aircraft swap: the flight flies `flight.plane_id` instead of `previous_plane_id`.
    `seats` is the new plane's seat count per cabin ({"vip": 8, "normal": 150}): reservation
    re-maps the seat map from the plane's layout, booking re-accommodates who no longer fits."""

    previous_plane_id: str
    seats: dict[str, int]
    reason: str = ""


class FlightProgressed(FlightChange):
    """Boarding, departed, arrived: when it happened."""

    at: str


class FlightArrived(FlightProgressed):
    arrived_at_airport: str | None = None  # set when it landed at its diversion airport


class AnnouncementMade(Payload):
    id: str
    flight_id: str
    flight_number: str
    airport: str
    kind: str
    message: str
    created_at: str
    flight_status: str


class FaresChanged(Payload):
    origin: str
    destination: str
    fares: list[dict[str, Any]]
    rules: list[dict[str, Any]]


FLIGHT_SCHEDULED = EventType(DOMAIN, "flight_scheduled", "FlightScheduled", FlightScheduled)
FLIGHT_DELAYED = EventType(DOMAIN, "flight_delayed", "FlightDelayed", FlightDelayed)
FLIGHT_CANCELLED = EventType(DOMAIN, "flight_cancelled", "FlightCancelled", FlightCancelled)
FLIGHT_DIVERTED = EventType(DOMAIN, "flight_diverted", "FlightDiverted", FlightDiverted)
FLIGHT_GATE_CHANGED = EventType(DOMAIN, "flight_gate_changed", "FlightGateChanged", FlightGateChanged)
FLIGHT_PLANE_CHANGED = EventType(DOMAIN, "flight_plane_changed", "FlightPlaneChanged", FlightPlaneChanged)
FLIGHT_BOARDING = EventType(DOMAIN, "flight_boarding", "FlightBoarding", FlightProgressed)
FLIGHT_DEPARTED = EventType(DOMAIN, "flight_departed", "FlightDeparted", FlightProgressed)
FLIGHT_ARRIVED = EventType(DOMAIN, "flight_arrived", "FlightArrived", FlightArrived)
ANNOUNCEMENT_MADE = EventType(DOMAIN, "announcement_made", "AnnouncementMade", AnnouncementMade)
FARES_CHANGED = EventType(DOMAIN, "fares_changed", "FaresChanged", FaresChanged)

# every event whose payload is a FlightChange (the flight's snapshot after the change)
FLIGHT_CHANGES = (
    FLIGHT_SCHEDULED,
    FLIGHT_DELAYED,
    FLIGHT_CANCELLED,
    FLIGHT_DIVERTED,
    FLIGHT_GATE_CHANGED,
    FLIGHT_PLANE_CHANGED,
    FLIGHT_BOARDING,
    FLIGHT_DEPARTED,
    FLIGHT_ARRIVED,
)
_CHANGE_BY_TYPE = {e.type: e for e in FLIGHT_CHANGES}


def parse_change(envelope: Envelope) -> FlightChange:
    """For a handler of several flight topics: the payload as its envelope's type declares it."""
    event = _CHANGE_BY_TYPE.get(envelope.type)
    if event is None:
        raise UncataloguedTopic(f"{envelope.type!r} is not a flight change of the event catalogue")
    return event.parse(envelope)
