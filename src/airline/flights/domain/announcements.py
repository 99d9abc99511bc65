"""What the waiting hall hears: the announcements a status change makes, and the calls staff
make themselves."""

from __future__ import annotations

from enum import StrEnum

from airline.flights.domain.flight import Flight
from airline.flights.domain.values import reason
from airline.platform.errors import Conflict, ValidationFailed
from airline.platform.flight_status import CLOSED, FlightStatus


class AnnouncementKind(StrEnum):
    DELAY = "delay"
    CANCELLATION = "cancellation"
    DIVERSION = "diversion"
    GATE_CHANGE = "gate_change"
    BOARDING = "boarding"
    # made by staff at the airport (MakeAnnouncement), not by a status change
    GO_TO_GATE = "go_to_gate"
    FINAL_CALL = "final_call"
    FREE_TEXT = "free_text"


STAFF_ANNOUNCEMENTS = (AnnouncementKind.GO_TO_GATE, AnnouncementKind.FINAL_CALL, AnnouncementKind.FREE_TEXT)
MAX_ANNOUNCEMENT = 300
# a flight that has left (or will not leave) has no passengers left in the hall to call: the
# shared meaning of "closed", and a flight still being created is not announced at all
_NO_CALLS = CLOSED | {FlightStatus.PENDING}


def _to(flight: Flight) -> str:
    return flight.destination_city or flight.destination


def announce_delay(flight: Flight) -> str:
    return f"Flight {flight.number} to {_to(flight)} is delayed to {flight.local_departure()} (local): {flight.status_reason}."


def announce_cancellation(flight: Flight) -> str:
    return f"Flight {flight.number} to {_to(flight)} is cancelled: {flight.status_reason}."


def announce_diversion(flight: Flight, diverted_to_city: str, knock_on: str = "") -> str:
    text = f"Flight {flight.number} to {_to(flight)} is diverted to {diverted_to_city or flight.diverted_to}: {flight.status_reason}."
    if knock_on:
        text += f" Knock-on: {knock_on}."
    return text


def announce_gate_change(flight: Flight, previous_gate: str, why: str) -> str:
    text = f"Flight {flight.number} to {_to(flight)} now departs from gate {flight.gate} (was {previous_gate})"
    return text + (f": {why}." if why else ".")


def announce_boarding(flight: Flight) -> str:
    return f"Flight {flight.number} to {_to(flight)} is now boarding at gate {flight.gate}."


def staff_announcement_kind(value: str) -> AnnouncementKind:
    try:
        kind = AnnouncementKind(value.strip().lower())
    except ValueError:
        kind = None
    if kind not in STAFF_ANNOUNCEMENTS:
        raise ValidationFailed(
            f"kind must be one of {', '.join(k.value for k in STAFF_ANNOUNCEMENTS)}, got {value!r}", field="kind"
        )
    return kind


def staff_announcement(flight: Flight, kind: AnnouncementKind, text: str) -> str:
    """The words of a call staff make in the waiting hall. Calls to the gate need the flight to
    still be here and to have a gate; free text is checked like any shown text."""
    if kind is AnnouncementKind.FREE_TEXT:
        message = reason(text, "text")
        if not 3 <= len(message) <= MAX_ANNOUNCEMENT:
            raise ValidationFailed(f"text must be 3 to {MAX_ANNOUNCEMENT} characters", field="text")
        return message
    if text.strip():
        raise ValidationFailed(f"{kind.value} takes no text: its words are fixed", field="text")
    if flight.status in _NO_CALLS:
        raise Conflict(
            f"flight {flight.number} is {flight.status.value}: there is nobody to call to the gate",
            code="flight_not_boardable",
        )
    if not flight.gate:
        raise Conflict(f"flight {flight.number} has no gate yet: assign one first", code="no_gate")
    if kind is AnnouncementKind.GO_TO_GATE:
        return f"Passengers of {flight.number} to {_to(flight)}, please go to gate {flight.gate}."
    return (
        f"Final call for passengers of {flight.number} to {_to(flight)}: "
        f"please go to gate {flight.gate} immediately, the gate is closing."
    )
