"""Events of the airport service: airports, gates, planes and their commitments."""

from __future__ import annotations

from typing import Any

from airline.contracts.events.base import EventType, Payload

DOMAIN = "airport"


class AirportChanged(Payload):
    code: str
    name: str
    city: str
    country: str
    time_zone: str


class GateCreated(Payload):
    airport_code: str
    gate: str
    status: str


class GateChanged(GateCreated):
    previous_status: str


class PlaneChanged(Payload):
    plane_id: str
    registration: str
    aircraft_type: str
    status: str
    home_airport: str
    layout: dict[str, Any]
    capacity: dict[str, int]  # seats per cabin class


class PlaneStatusChanged(Payload):
    plane_id: str
    status: str
    previous_status: str


class PlaneCommitment(Payload):
    """The plane flies origin -> destination over [starts_at, ends_at)."""

    reference: str
    plane_id: str
    origin: str
    destination: str
    starts_at: str
    ends_at: str


class PlaneCommitmentChanged(PlaneCommitment):
    previous: PlaneCommitment


AIRPORT_CREATED = EventType(DOMAIN, "airport_created", "AirportCreated", AirportChanged)
AIRPORT_UPDATED = EventType(DOMAIN, "airport_updated", "AirportUpdated", AirportChanged)
GATE_CREATED = EventType(DOMAIN, "gate_created", "GateCreated", GateCreated)
GATE_CHANGED = EventType(DOMAIN, "gate_changed", "GateChanged", GateChanged)
PLANE_REGISTERED = EventType(DOMAIN, "plane_registered", "PlaneRegistered", PlaneChanged)
PLANE_UPDATED = EventType(DOMAIN, "plane_updated", "PlaneUpdated", PlaneChanged)
PLANE_STATUS_CHANGED = EventType(DOMAIN, "plane_status_changed", "PlaneStatusChanged", PlaneStatusChanged)
PLANE_COMMITTED = EventType(DOMAIN, "plane_committed", "PlaneCommitted", PlaneCommitment)
PLANE_COMMITMENT_CHANGED = EventType(
    DOMAIN, "plane_commitment_changed", "PlaneCommitmentChanged", PlaneCommitmentChanged
)
PLANE_RELEASED = EventType(DOMAIN, "plane_released", "PlaneReleased", PlaneCommitment)
