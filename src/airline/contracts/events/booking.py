"""Events of the booking service."""

from __future__ import annotations

from typing import Any

from airline.contracts.events.base import EventType, Payload

DOMAIN = "booking"


class BookedFlight(Payload):
    flight_id: str
    number: str
    origin: str
    destination: str
    scheduled_departure: str | None = None


class PassengerFlight(Payload):
    flight_id: str
    seat: str = ""
    e_ticket: str = ""


class BookedPassenger(Payload):
    id: str
    type: str
    first_name: str
    last_name: str
    date_of_birth: Any = None
    document: dict[str, Any] | None = None
    infant_of: str | None = None
    meal: str | None = None
    flights: list[PassengerFlight] = []


class Contact(Payload):
    email: str = ""
    phone: str = ""


class BookingConfirmed(Payload):
    booking_id: str
    pnr: str
    cabin_class: str
    trip_type: str
    total: int  # minor units of `currency`
    currency: str
    flights: list[BookedFlight]
    passengers: list[BookedPassenger]
    bags: list[dict[str, Any]] = []
    contact: Contact
    meals: list[dict[str, Any]] = []


class BookingCancelled(Payload):
    """Consumers rely on booking_id alone (each one knows which of its rows belong to it)."""

    booking_id: str
    pnr: str | None = None  # none before confirmation
    refunded_amount: int = 0  # minor units of `currency`
    currency: str = ""
    reason: str | None = None
    flights: list[str] = []  # flight ids
    cabin_class: str = ""
    seats: int = 0  # seats the booking held (infants sit on a lap)
    was_confirmed: bool = False
    no_show: bool = False


class BookingExpired(Payload):
    booking_id: str


class SeatChanged(Payload):
    booking_id: str
    pnr: str
    flight_id: str
    passenger_id: str
    old_seat: str
    new_seat: str


class PassengersNotified(Payload):
    booking_id: str
    pnr: str
    flight_id: str
    kind: str
    email: str = ""
    phone: str = ""
    message: str


BOOKING_CONFIRMED = EventType(DOMAIN, "booking_confirmed", "BookingConfirmed", BookingConfirmed)
BOOKING_CANCELLED = EventType(DOMAIN, "booking_cancelled", "BookingCancelled", BookingCancelled)
BOOKING_EXPIRED = EventType(DOMAIN, "booking_expired", "BookingExpired", BookingExpired)
SEAT_CHANGED = EventType(DOMAIN, "seat_changed", "SeatChanged", SeatChanged)
PASSENGERS_NOTIFIED = EventType(DOMAIN, "passengers_notified", "PassengersNotified", PassengersNotified)
