"""Events of the baggage service."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

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


class BagTrackedPublic(BaseModel):
    """What a live bag stream shows of a BagTracked scan. Not a Payload: every other field
    (the contact phone, the passenger, a field added later) is dropped, never passed on; a
    field the scan lacks is shown as null."""

    model_config = ConfigDict(extra="ignore")

    bag_id: str | None = None
    tag: str | None = None
    seq: int | None = None
    status: str | None = None
    place: dict[str, Any] | None = None  # as scanned (airport, location)
    at: str | None = None
    event_id: str | None = None
    recorded_by: str | None = None
    role: str | None = None
    flight_id: str | None = None
    flight_number: str | None = None


BAG_ACCEPTED = EventType(DOMAIN, "bag_accepted", "BagAccepted", BagAccepted)
BAG_TRACKED = EventType(DOMAIN, "bag_tracked", "BagTracked", BagTracked)
