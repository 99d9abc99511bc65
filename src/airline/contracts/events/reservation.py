"""Events of the reservation service."""

from __future__ import annotations

from airline.contracts.events.base import EventType, Payload

DOMAIN = "reservation"


class Assignment(Payload):
    flight_id: str
    seat: str
    passenger_ref: str
    passenger_type: str
    cabin_class: str
    booking_ref: str
    hold_id: str | None = None


class SeatsAssigned(Payload):
    flight_id: str
    booking_ref: str
    hold_id: str | None = None
    assignments: list[Assignment]
    # "aircraft_swap" when an aircraft swap gave these seats (sequence: the flight's version)
    reason: str = ""
    sequence: int = 0


class SeatsReleased(Payload):
    flight_id: str
    booking_ref: str
    seats: list[str]
    reason: str  # moved | cancelled | aircraft_swap


SEATS_ASSIGNED = EventType(DOMAIN, "seats_assigned", "SeatsAssigned", SeatsAssigned)
SEATS_RELEASED = EventType(DOMAIN, "seats_released", "SeatsReleased", SeatsReleased)
