"""A flight's status over its life: which progress staff may report, delays, cancellations,
diversions and gate changes. Which status may follow which is not decided here: that table is
shared with every service (`airline.platform.flight_status.TRANSITIONS`), and this module only
enforces it on the flight aggregate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from airline.flights.domain.flight import CabinClass, CabinSeats, Flight
from airline.flights.domain.values import MAX_DURATION_MINUTES, delay_code, flight_time, hhmm, reason
from airline.platform.errors import Conflict, ValidationFailed
from airline.platform.flight_status import SELLING, TRANSITIONS, FlightStatus, can_transition

S = FlightStatus

# The gate is held by flights in these states (the database's exclusion constraint agrees).
HOLDS_GATE = frozenset({S.PENDING, S.SCHEDULED, S.DELAYED, S.BOARDING})
GATE_CHANGE_ALLOWED = frozenset({S.SCHEDULED, S.DELAYED})
SELLABLE = SELLING
VISIBLE = frozenset(s for s in FlightStatus if s is not S.PENDING)
# What UpdateStatus may set; delays, cancellations and diversions have their own commands.
PROGRESS_STATUSES = frozenset({S.BOARDING, S.DEPARTED, S.ARRIVED})


def check_transition(number: str, current: FlightStatus, target: FlightStatus) -> None:
    if not can_transition(current, target):
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "nothing (it is final)"
        raise Conflict(
            f"flight {number} cannot go from {current.value} to {target.value}; from {current.value} it may go to {allowed}",
            field="status",
            current=current.value,
            requested=target.value,
        )


def progress_status(value: str) -> FlightStatus:
    try:
        status = FlightStatus(value.strip().lower())
    except ValueError:
        status = None
    if status not in PROGRESS_STATUSES:
        raise ValidationFailed(
            f"status must be boarding, departed or arrived (delays, cancellations and diversions have "
            f"their own commands), got {value!r}",
            field="status",
        )
    return status


@dataclass(frozen=True)
class Delay:
    new_departure: datetime
    new_arrival: datetime
    delay_code: str
    reason: str


def plan_delay(flight: Flight, new_departure: datetime, new_arrival: datetime | None, code: str, why: str) -> Delay:
    check_transition(flight.number, flight.status, S.DELAYED)
    new_departure = flight_time(new_departure, "new_departure")
    if new_departure <= flight.estimated_departure:
        raise ValidationFailed(
            f"new_departure must be later than the current estimated departure "
            f"{hhmm(flight.estimated_departure, flight.origin_time_zone)} local",
            field="new_departure",
        )
    if new_arrival is None:
        new_arrival = flight.estimated_arrival + (new_departure - flight.estimated_departure)
    else:
        new_arrival = flight_time(new_arrival, "new_arrival")
        if new_arrival <= new_departure:
            raise ValidationFailed("new_arrival must be after new_departure", field="new_arrival")
        if new_arrival - new_departure > timedelta(minutes=MAX_DURATION_MINUTES):
            raise ValidationFailed(f"the flight may last at most {MAX_DURATION_MINUTES} minutes", field="new_arrival")
    return Delay(new_departure, new_arrival, delay_code(code), reason(why))


def apply_delay(flight: Flight, delay: Delay, boarding: timedelta) -> Flight:
    return replace(
        flight,
        status=S.DELAYED,
        estimated_departure=delay.new_departure,
        estimated_arrival=delay.new_arrival,
        boarding_starts=delay.new_departure - boarding,
        delay_code=delay.delay_code,
        status_reason=delay.reason,
        version=flight.version + 1,
    )


def delay_minutes(flight: Flight) -> int:
    return int((flight.estimated_departure - flight.scheduled_departure).total_seconds() // 60)


def apply_progress(flight: Flight, target: FlightStatus, at: datetime) -> Flight:
    check_transition(flight.number, flight.status, target)
    if target is S.DEPARTED:
        return replace(flight, status=target, actual_departure=at, version=flight.version + 1)
    if target is S.ARRIVED:
        if flight.actual_departure is not None and at <= flight.actual_departure:
            raise ValidationFailed("the arrival must be after the actual departure", field="at")
        return replace(flight, status=target, actual_arrival=at, version=flight.version + 1)
    return replace(flight, status=target, version=flight.version + 1)


def apply_cancel(flight: Flight, why: str, at: datetime) -> Flight:
    """Cancelled at `at`: how much notice the passengers had decides their rights (compensation)."""
    check_transition(flight.number, flight.status, S.CANCELLED)
    return replace(flight, status=S.CANCELLED, status_reason=reason(why), cancelled_at=at, version=flight.version + 1)


def apply_gate_change(flight: Flight, gate: str) -> Flight:
    if flight.status not in GATE_CHANGE_ALLOWED:
        raise Conflict(
            f"the gate of flight {flight.number} can change only while scheduled or delayed; it is {flight.status.value}",
            field="gate",
        )
    return replace(flight, gate=gate, version=flight.version + 1)


PLANE_CHANGE_ALLOWED = frozenset({S.SCHEDULED, S.DELAYED})


def apply_plane_change(flight: Flight, plane: str, capacity: Mapping[str, int]) -> Flight:
    """An aircraft swap: the flight flies `plane`, its cabins sized by the new plane's `capacity`
    (seats per cabin). What was sold stays sold, even above the new capacity (the re-accommodation
    of who no longer fits moves it); a cabin the new plane lacks keeps its row at capacity 0."""
    if flight.status not in PLANE_CHANGE_ALLOWED:
        raise Conflict(
            f"the plane of flight {flight.number} can change only while scheduled or delayed; it is {flight.status.value}",
            field="plane_id",
        )
    known = {c.value for c in CabinClass}
    unknown = sorted(set(capacity) - known)
    if unknown:
        raise ValidationFailed(f"plane {plane} has unknown cabins {', '.join(unknown)}", field="plane_id")
    if sum(capacity.values()) <= 0:
        raise Conflict(f"plane {plane} has no seats", field="plane_id")
    old = {c.cabin_class: c for c in flight.seats}
    cabins = tuple(
        CabinSeats(
            cls,
            capacity.get(cls.value, 0),
            old[cls].sold if cls in old else 0,
            old[cls].overbooking_percent if cls in old else 0,
            old[cls].show_up_rate_bp if cls in old else 0,
        )
        for cls in CabinClass
        if cls in old or capacity.get(cls.value, 0) > 0
    )
    return replace(flight, plane_id=plane, seats=cabins, version=flight.version + 1)


def apply_diversion(flight: Flight, diverted_to: str, why: str, estimated_arrival: datetime | None) -> Flight:
    check_transition(flight.number, flight.status, S.DIVERTED)
    if diverted_to == flight.destination:
        raise ValidationFailed(
            f"diverted_to must differ from the destination {flight.destination}", field="diverted_to"
        )
    arrival = flight.estimated_arrival
    if estimated_arrival is not None:
        arrival = flight_time(estimated_arrival, "estimated_arrival")
        if flight.actual_departure is not None and arrival <= flight.actual_departure:
            raise ValidationFailed("estimated_arrival must be after the actual departure", field="estimated_arrival")
    return replace(
        flight,
        status=S.DIVERTED,
        diverted_to=diverted_to,
        status_reason=reason(why),
        estimated_arrival=arrival,
        version=flight.version + 1,
    )
