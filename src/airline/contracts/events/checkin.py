"""Events of the check-in service."""

from __future__ import annotations

from airline.contracts.events.base import EventType, Payload

DOMAIN = "checkin"


class CodeFlight(Payload):
    flight_id: str
    number: str = ""
    origin: str = ""
    destination: str = ""
    scheduled_departure: str | None = None


class CheckinCodeIssued(Payload):
    """Carries the plain code (the notification service texts it); nothing else stores it."""

    booking_id: str
    pnr: str
    passenger_id: str
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    code: str
    flights: list[CodeFlight] = []


class PassengerCheckedIn(Payload):
    booking_id: str
    passenger_id: str
    flight_id: str
    flight_number: str
    pnr: str
    seat: str
    sequence: int
    passenger_type: str
    channel: str
    checked_in_at: str


class PassengerBoarded(Payload):
    booking_id: str
    passenger_id: str
    flight_id: str
    flight_number: str
    pnr: str
    seat: str
    sequence: int
    boarded_at: str


CODE_ISSUED = EventType(DOMAIN, "code_issued", "CheckinCodeIssued", CheckinCodeIssued)
PASSENGER_CHECKED_IN = EventType(DOMAIN, "passenger_checked_in", "PassengerCheckedIn", PassengerCheckedIn)
PASSENGER_BOARDED = EventType(DOMAIN, "passenger_boarded", "PassengerBoarded", PassengerBoarded)


class OffloadedPassenger(Payload):
    booking_id: str
    passenger_id: str
    pnr: str = ""
    first_name: str = ""
    last_name: str = ""
    status_before: str = ""  # booked (never checked in) | checked_in (did not board)


class DoorClosed(Payload):
    """The flight's door closed: everyone who did not board is offloaded (baggage flags their
    checked bags to come off the flight). Keyed by flight id; published once per flight."""

    flight_id: str
    flight_number: str
    closed_at: str
    closed_by: str
    offloaded: list[OffloadedPassenger] = []


DOOR_CLOSED = EventType(DOMAIN, "door_closed", "DoorClosed", DoorClosed)
