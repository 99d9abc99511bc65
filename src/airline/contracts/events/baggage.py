"""Events of the baggage service."""
from __future__ import annotations

from airline.contracts.events.base import EventType, Payload

DOMAIN = "baggage"


class Place(Payload):
    airport: str
    location: str = ""


class BagAccepted(Payload):
    bag_id: str
    tag: str
    booking_id: str | None = None
    pnr: str | None = None
    passenger_id: str | None = None
    passenger_name: str = ""
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    plane_id: str | None = None
    weight_g: int
    fee: int  # minor units of `currency`
    currency: str
    payment_id: str | None = None
    accepted_at: str


class BagTracked(Payload):
    bag_id: str
    tag: str
    status: str
    place: Place
    at: str
    booking_id: str | None = None
    pnr: str | None = None
    passenger_id: str | None = None
    passenger_name: str = ""
    flight_id: str
    flight_number: str
    phone: str | None = None  # for the mishandled-bag SMS; never shown on a live stream
    seq: int  # per bag, increasing: streams order and de-duplicate by it
    event_id: str
    recorded_by: str
    role: str


BAG_ACCEPTED = EventType(DOMAIN, "bag_accepted", "BagAccepted", BagAccepted)
BAG_TRACKED = EventType(DOMAIN, "bag_tracked", "BagTracked", BagTracked)
