"""Events of the crew service."""

from __future__ import annotations

from airline.contracts.events.base import EventType, Payload

DOMAIN = "crew"


class CrewFlight(Payload):
    id: str
    number: str
    origin: str
    destination: str
    departure: str
    arrival: str


class CrewAssigned(Payload):
    assignment_id: str
    member_id: str
    user_id: str | None = None
    name: str
    email: str = ""
    phone: str = ""
    role: str
    flight: CrewFlight
    report_at: str
    source: str
    message: str


class CrewUnassigned(Payload):
    assignment_id: str
    member_id: str
    flight_id: str
    flight_number: str
    role: str
    why: str  # declined | cancelled | a rule the duty breaks now
    reason: str = ""
    message: str = ""


CREW_ASSIGNED = EventType(DOMAIN, "crew_assigned", "CrewAssigned", CrewAssigned)
CREW_UNASSIGNED = EventType(DOMAIN, "crew_unassigned", "CrewUnassigned", CrewUnassigned)
