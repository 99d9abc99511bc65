"""Flights, their lifecycle, schedules, fares and pricing: pure rules, no I/O."""
from __future__ import annotations

import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from airline.platform import date_window
from airline.platform import flight_status as flight_rules
from airline.platform.errors import Conflict, ValidationFailed
# the flights service's own names for the shared lifecycle (re-exported)
from airline.platform.flight_status import SELLING, TRANSITIONS, FlightStatus, can_transition  # noqa: F401

AIRPORT_CODE = re.compile(r"^[A-Z]{3}$")
# IATA: a two-character airline designator, 1 to 4 digits, an optional operational suffix
FLIGHT_NUMBER = re.compile(r"^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?$")
GATE_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
PLANE_ID = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
DELAY_CODE = re.compile(r"^[0-9]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
LOCAL_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
MAX_DURATION_MINUTES = 20 * 60
MAX_REASON = 500
MAX_SCHEDULE_DAYS = 366
MAX_LEGS = 500  # per request: what the airport commits in one batch
MAX_FLEXIBLE_DAYS = 3
MAX_PASSENGERS = 9
# A connection shorter than this between the outbound's arrival and the return is not offered.
MIN_RETURN_GAP = timedelta(hours=1)


# ---------------------------------------------------------------- small values


def airport_code(value: str, field_name: str) -> str:
    code = value.strip().upper()
    if not AIRPORT_CODE.fullmatch(code):
        raise ValidationFailed(f"{field_name} must be a 3-letter IATA airport code, got {value!r}", field=field_name)
    return code


def flight_number(value: str, field_name: str = "number") -> str:
    number = value.strip().upper().replace(" ", "")
    if not FLIGHT_NUMBER.fullmatch(number):
        raise ValidationFailed(
            f"{field_name} must be an airline designator and 1 to 4 digits, like XA101, got {value!r}",
            field=field_name,
        )
    return number


def gate_code(value: str, field_name: str = "gate") -> str:
    code = value.strip().upper()
    if not GATE_CODE.fullmatch(code):
        raise ValidationFailed(f"{field_name} must be a gate code like X1, got {value!r}", field=field_name)
    return code


def plane_id(value: str) -> str:
    pid = value.strip().upper()
    if not PLANE_ID.fullmatch(pid):
        raise ValidationFailed(f"plane_id must look like P1, got {value!r}", field="plane_id")
    return pid


def reason(value: str, field_name: str = "reason", required: bool = True) -> str:
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise ValidationFailed(f"{field_name} is required: the waiting hall shows it", field=field_name)
    if len(cleaned) > MAX_REASON:
        raise ValidationFailed(f"{field_name} must be at most {MAX_REASON} characters", field=field_name)
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise ValidationFailed(f"{field_name} must not contain control characters", field=field_name)
    return cleaned


def delay_code(value: str) -> str:
    code = value.strip()
    if not DELAY_CODE.fullmatch(code):
        raise ValidationFailed(f"delay_code must be a two-digit IATA delay code like 93, got {value!r}", field="delay_code")
    return code


def local_date(value: str, field_name: str) -> date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(f"{field_name} must be a date like 2026-12-01, got {value!r}", field=field_name) from None


def window_date(value: date, field_name: str) -> date:
    date_window.check_date(value, field_name)
    return value


def local_time(value: str, field_name: str) -> time:
    match = LOCAL_TIME.fullmatch(value.strip())
    if not match:
        raise ValidationFailed(f"{field_name} must be a local time like 08:00, got {value!r}", field=field_name)
    return time(int(match.group(1)), int(match.group(2)))


def duration(minutes: int, field_name: str = "duration_minutes") -> timedelta:
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise ValidationFailed(f"{field_name} must be 1 to {MAX_DURATION_MINUTES} minutes, got {minutes}", field=field_name)
    return timedelta(minutes=minutes)


def aware(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationFailed(f"{field_name} must carry a time zone", field=field_name)
    return value.astimezone(timezone.utc)


@lru_cache(maxsize=256)
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def to_local(value: datetime, tz: str) -> datetime:
    return value.astimezone(zone(tz))


def hhmm(value: datetime, tz: str) -> str:
    return to_local(value, tz).strftime("%H:%M")


def at_local(day: date, clock: time, tz: str) -> datetime:
    """The UTC instant of a wall-clock time at an airport. A time skipped by a DST change
    moves forward; a repeated one takes its first occurrence (fold=0)."""
    local = datetime.combine(day, clock, tzinfo=zone(tz))
    # round-trip through UTC normalises non-existent wall times
    return local.astimezone(timezone.utc)


# ---------------------------------------------------------------- lifecycle


# The status and its lifecycle are shared with every service: platform/flight_status.py.
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
    return status  # type: ignore[return-value]


# ---------------------------------------------------------------- flights


class CabinClass(StrEnum):
    VIP = "vip"
    NORMAL = "normal"


def cabin_class(value: str, field_name: str = "cabin_class") -> CabinClass:
    try:
        return CabinClass(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"{field_name} must be vip or normal, got {value!r}", field=field_name) from None


MAX_OVERBOOKING_PERCENT = 20


def overbooking_percent(value: int) -> int:
    if not 0 <= value <= MAX_OVERBOOKING_PERCENT:
        raise ValidationFailed(f"percent must be 0 to {MAX_OVERBOOKING_PERCENT}, got {value}", field="percent")
    return value


@dataclass(frozen=True)
class CabinSeats:
    cabin_class: CabinClass
    capacity: int
    sold: int = 0
    overbooking_percent: int = 0

    @property
    def sellable(self) -> int:
        """What may be sold: the seats plus ops' overbooking allowance (rounded down)."""
        return self.capacity * (100 + self.overbooking_percent) // 100

    @property
    def left(self) -> int:
        return max(0, self.sellable - self.sold)


@dataclass(frozen=True)
class Flight:
    id: str
    number: str
    origin: str
    destination: str
    origin_time_zone: str
    destination_time_zone: str
    plane_id: str
    gate: str
    status: FlightStatus
    scheduled_departure: datetime
    scheduled_arrival: datetime
    estimated_departure: datetime
    estimated_arrival: datetime
    boarding_starts: datetime
    departure_local_date: date
    seats: tuple[CabinSeats, ...] = ()
    origin_city: str = ""
    destination_city: str = ""
    actual_departure: datetime | None = None
    actual_arrival: datetime | None = None
    diverted_to: str = ""
    delay_code: str = ""
    status_reason: str = ""
    round_trip_id: str = ""
    schedule_id: str = ""
    version: int = 1
    created_at: datetime | None = None

    def cabin(self, cls: CabinClass) -> CabinSeats | None:
        return next((c for c in self.seats if c.cabin_class is cls), None)

    def seats_left(self, cls: CabinClass) -> int:
        c = self.cabin(cls)
        return c.left if c is not None else 0

    def gate_window(self) -> tuple[datetime, datetime]:
        return self.boarding_starts, self.estimated_departure

    def local_departure(self) -> str:
        return hhmm(self.estimated_departure, self.origin_time_zone)

    def why_not_sellable(self, now: datetime, close_minutes: float) -> str | None:
        return flight_rules.why_not_sellable(self.number, self.status.value, self.estimated_departure, now,
                                             close_minutes)


def check_bookable(flights: Sequence[Flight], cls: CabinClass, seated: int, now: datetime,
                   close_minutes: float) -> None:
    """An offer may still be booked: every flight on sale, with a seat for every seated passenger."""
    for f in flights:
        why = f.why_not_sellable(now, close_minutes)
        if why is not None:
            raise Conflict(f"{why}: this offer can no longer be booked, search again", code="flight_not_sellable",
                           field="offer_id")
    for f in flights:
        left = f.seats_left(cls)
        if left < seated:
            raise Conflict(
                f"flight {f.number} has {left} {cls.value} seat(s) left, this offer needs {seated}: search again",
                code="not_enough_seats", field="offer_id",
            )


@dataclass(frozen=True)
class Leg:
    """One flight to create, checked in itself but not yet against the world."""

    number: str
    origin: str
    destination: str
    departure: datetime
    duration: timedelta
    plane_id: str
    gate: str

    @property
    def arrival(self) -> datetime:
        return self.departure + self.duration


def new_leg(
    number: str, origin: str, destination: str, departure: datetime, duration_minutes: int, pid: str, gate: str,
    *, prefix: str = "",
) -> Leg:
    f = (lambda name: f"{prefix}{name}") if prefix else (lambda name: name)
    leg = Leg(
        number=flight_number(number, f("number")),
        origin=airport_code(origin, f("origin")),
        destination=airport_code(destination, f("destination")),
        departure=flight_time(departure, f("departure")),
        duration=duration(duration_minutes, f("duration_minutes")),
        plane_id=plane_id(pid),
        gate=gate_code(gate, f("gate")),
    )
    if leg.origin == leg.destination:
        raise ValidationFailed("origin and destination must differ", field=f("destination"))
    return leg


def flight_time(value: datetime, field_name: str) -> datetime:
    """An aware time inside the window of real dates (1900-2100), so that no arithmetic on it
    overflows and no column refuses it: a clear 422 instead."""
    value = aware(value, field_name)
    date_window.check_date(value, field_name)
    return value


def check_in_future(legs: Iterable[Leg], now: datetime, max_days_ahead: int = date_window.MAX_DAYS_AHEAD) -> None:
    for leg in legs:
        if leg.departure <= now:
            raise ValidationFailed(
                f"{leg.number}: the departure {leg.departure.isoformat()} is not in the future", field="departure"
            )
        try:
            date_window.check_flight_time(leg.departure, "departure", max_days_ahead=max_days_ahead, now=now)
        except ValidationFailed as e:
            raise ValidationFailed(f"{leg.number}: {e.message}", field="departure") from None


def check_return_leg(outbound: Leg, back: Leg, turnaround: timedelta) -> None:
    ready = outbound.arrival + turnaround
    if back.departure < ready:
        raise ValidationFailed(
            f"the return {back.number} departs at {back.departure.isoformat()}, before the plane is ready: "
            f"{outbound.number} arrives at {outbound.arrival.isoformat()} and needs {int(turnaround.total_seconds() // 60)} "
            "minutes of turnaround",
            field="return_departure",
        )


def block_window(leg: Leg, turnaround: timedelta) -> tuple[datetime, datetime]:
    """The plane is busy from departure until it is ready again after arrival."""
    return leg.departure, leg.arrival + turnaround


def gate_window(departure: datetime, boarding: timedelta) -> tuple[datetime, datetime]:
    return departure - boarding, departure


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class ScheduleSpec:
    number: str
    origin: str
    destination: str
    plane_id: str
    gate: str
    departure_local_time: time
    duration: timedelta
    first_date: date
    days: int
    weekdays: frozenset[int]
    return_number: str = ""
    return_gate: str = ""
    return_departure_local_time: time | None = None
    return_duration: timedelta | None = None


def schedule_spec(
    number: str, origin: str, destination: str, pid: str, gate: str, departure_local_time: str,
    duration_minutes: int, first_date: str, days: int, weekdays: Sequence[int],
    return_number: str = "", return_gate: str = "", return_departure_local_time: str = "",
    return_duration_minutes: int = 0,
) -> ScheduleSpec:
    if not 1 <= days <= MAX_SCHEDULE_DAYS:
        raise ValidationFailed(f"days must be 1 to {MAX_SCHEDULE_DAYS}, got {days}", field="days")
    bad_days = [d for d in weekdays if not 1 <= d <= 7]
    if bad_days:
        raise ValidationFailed(f"weekdays are ISO numbers 1 (Monday) to 7 (Sunday), got {bad_days[0]}", field="weekdays")
    wants_return = any(x for x in (return_number.strip(), return_gate.strip(), return_departure_local_time.strip()))
    spec = ScheduleSpec(
        number=flight_number(number),
        origin=airport_code(origin, "origin"),
        destination=airport_code(destination, "destination"),
        plane_id=plane_id(pid),
        gate=gate_code(gate),
        departure_local_time=local_time(departure_local_time, "departure_local_time"),
        duration=duration(duration_minutes),
        first_date=window_date(local_date(first_date, "first_date"), "first_date"),
        days=days,
        weekdays=frozenset(weekdays),
    )
    if spec.origin == spec.destination:
        raise ValidationFailed("origin and destination must differ", field="destination")
    if wants_return:
        spec = replace(
            spec,
            return_number=flight_number(return_number, "return_number"),
            return_gate=gate_code(return_gate, "return_gate"),
            return_departure_local_time=local_time(return_departure_local_time, "return_departure_local_time"),
            return_duration=duration(return_duration_minutes or int(spec.duration.total_seconds() // 60),
                                     "return_duration_minutes"),
        )
        if spec.return_number == spec.number:
            raise ValidationFailed("return_number must differ from number", field="return_number")
    return spec


def expand_schedule(
    spec: ScheduleSpec, origin_tz: str, destination_tz: str, turnaround: timedelta
) -> list[tuple[Leg, Leg | None]]:
    """Every day's flights. The return leaves on the local date (at the destination) the
    outbound arrives; it must leave after the plane's turnaround."""
    out: list[tuple[Leg, Leg | None]] = []
    for i in range(spec.days):
        day = spec.first_date + timedelta(days=i)
        if spec.weekdays and day.isoweekday() not in spec.weekdays:
            continue
        outbound = Leg(spec.number, spec.origin, spec.destination,
                       at_local(day, spec.departure_local_time, origin_tz), spec.duration, spec.plane_id, spec.gate)
        back: Leg | None = None
        if spec.return_departure_local_time is not None and spec.return_duration is not None:
            arrival_day = to_local(outbound.arrival, destination_tz).date()
            back = Leg(spec.return_number, spec.destination, spec.origin,
                       at_local(arrival_day, spec.return_departure_local_time, destination_tz),
                       spec.return_duration, spec.plane_id, spec.return_gate)
            check_return_leg(outbound, back, turnaround)
        out.append((outbound, back))
    if not out:
        raise ValidationFailed("the schedule has no flight: no date in the range falls on the weekdays given", field="weekdays")
    legs = sum(1 if back is None else 2 for _, back in out)
    if legs > MAX_LEGS:
        raise ValidationFailed(f"a schedule may create at most {MAX_LEGS} flights at once, this one makes {legs}", field="days")
    return out


@dataclass(frozen=True)
class AirportInfo:
    code: str
    time_zone: str
    city: str


def duplicates_in_request(legs: Sequence[Leg], tzs: Mapping[str, str], boarding: timedelta) -> list[str]:
    """Conflicts among the legs of one request itself: a number twice on one local date,
    one gate taken twice at once."""
    problems: list[str] = []
    seen: dict[tuple[str, date], Leg] = {}
    for i, leg in enumerate(legs):
        day = to_local(leg.departure, tzs[leg.origin]).date()
        if (leg.number, day) in seen:
            problems.append(f"{leg.number} on {day.isoformat()} appears twice in this request")
        seen[(leg.number, day)] = leg
        window = gate_window(leg.departure, boarding)
        for other in legs[:i]:
            if (other.origin, other.gate) == (leg.origin, leg.gate) and overlaps(window, gate_window(other.departure, boarding)):
                tz = tzs[other.origin]
                problems.append(
                    f"{leg.number} on {day.isoformat()}: gate {leg.gate} is taken by {other.number} "
                    f"{hhmm(other.departure - boarding, tz)}-{hhmm(other.departure, tz)} local (in this request)"
                )
    return problems


def flight_from_leg(
    leg: Leg, flight_id: str, origin: AirportInfo, destination: AirportInfo, capacity: Mapping[str, int],
    boarding: timedelta, *, round_trip_id: str = "", schedule_id: str = "",
) -> Flight:
    return Flight(
        id=flight_id,
        number=leg.number,
        origin=leg.origin,
        destination=leg.destination,
        origin_time_zone=origin.time_zone,
        destination_time_zone=destination.time_zone,
        origin_city=origin.city,
        destination_city=destination.city,
        plane_id=leg.plane_id,
        gate=leg.gate,
        status=S.PENDING,
        scheduled_departure=leg.departure,
        scheduled_arrival=leg.arrival,
        estimated_departure=leg.departure,
        estimated_arrival=leg.arrival,
        boarding_starts=leg.departure - boarding,
        departure_local_date=to_local(leg.departure, origin.time_zone).date(),
        seats=tuple(
            CabinSeats(CabinClass(cls), int(n)) for cls, n in sorted(capacity.items(), key=lambda kv: kv[0] != "vip")
        ),
        round_trip_id=round_trip_id,
        schedule_id=schedule_id,
    )


def describe_gate_conflict(leg_number: str, leg_date: date, gate: str, other: Flight) -> str:
    start, end = other.gate_window()
    return (
        f"{leg_number} on {leg_date.isoformat()}: gate {gate} is taken by {other.number} "
        f"{hhmm(start, other.origin_time_zone)}-{hhmm(end, other.origin_time_zone)} local"
    )


# ---------------------------------------------------------------- disruptions


@dataclass(frozen=True)
class Delay:
    new_departure: datetime
    new_arrival: datetime
    delay_code: str
    reason: str


def plan_delay(
    flight: Flight, new_departure: datetime, new_arrival: datetime | None, code: str, why: str
) -> Delay:
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


def apply_cancel(flight: Flight, why: str) -> Flight:
    check_transition(flight.number, flight.status, S.CANCELLED)
    return replace(flight, status=S.CANCELLED, status_reason=reason(why), version=flight.version + 1)


def apply_gate_change(flight: Flight, gate: str) -> Flight:
    if flight.status not in GATE_CHANGE_ALLOWED:
        raise Conflict(
            f"the gate of flight {flight.number} can change only while scheduled or delayed; it is {flight.status.value}",
            field="gate",
        )
    return replace(flight, gate=gate, version=flight.version + 1)


def apply_diversion(flight: Flight, diverted_to: str, why: str, estimated_arrival: datetime | None) -> Flight:
    check_transition(flight.number, flight.status, S.DIVERTED)
    if diverted_to == flight.destination:
        raise ValidationFailed(f"diverted_to must differ from the destination {flight.destination}", field="diverted_to")
    arrival = flight.estimated_arrival
    if estimated_arrival is not None:
        arrival = flight_time(estimated_arrival, "estimated_arrival")
        if flight.actual_departure is not None and arrival <= flight.actual_departure:
            raise ValidationFailed("estimated_arrival must be after the actual departure", field="estimated_arrival")
    return replace(
        flight, status=S.DIVERTED, diverted_to=diverted_to, status_reason=reason(why),
        estimated_arrival=arrival, version=flight.version + 1,
    )


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
# a flight that has left (or will not leave) has no passengers left in the hall to call
_NO_CALLS = (FlightStatus.DEPARTED, FlightStatus.ARRIVED, FlightStatus.CANCELLED, FlightStatus.DIVERTED,
             FlightStatus.PENDING)


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
    return kind  # type: ignore[return-value]


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
        raise Conflict(f"flight {flight.number} is {flight.status.value}: there is nobody to call to the gate",
                       code="flight_not_boardable")
    if not flight.gate:
        raise Conflict(f"flight {flight.number} has no gate yet: assign one first", code="no_gate")
    if kind is AnnouncementKind.GO_TO_GATE:
        return f"Passengers of {flight.number} to {_to(flight)}, please go to gate {flight.gate}."
    return (f"Final call for passengers of {flight.number} to {_to(flight)}: "
            f"please go to gate {flight.gate} immediately, the gate is closing.")


# ---------------------------------------------------------------- snapshots


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat() if value is not None else None


def flight_payload(flight: Flight) -> dict[str, Any]:
    """The full snapshot every flight event carries."""
    return {
        "id": flight.id,
        "number": flight.number,
        "origin": flight.origin,
        "destination": flight.destination,
        "origin_time_zone": flight.origin_time_zone,
        "destination_time_zone": flight.destination_time_zone,
        "origin_city": flight.origin_city,
        "destination_city": flight.destination_city,
        "plane_id": flight.plane_id,
        "gate": flight.gate,
        "status": flight.status.value,
        "scheduled_departure": _iso(flight.scheduled_departure),
        "scheduled_arrival": _iso(flight.scheduled_arrival),
        "estimated_departure": _iso(flight.estimated_departure),
        "estimated_arrival": _iso(flight.estimated_arrival),
        "actual_departure": _iso(flight.actual_departure),
        "actual_arrival": _iso(flight.actual_arrival),
        "boarding_starts": _iso(flight.boarding_starts),
        "departure_local_date": flight.departure_local_date.isoformat(),
        "seats": [{"cabin_class": c.cabin_class.value, "capacity": c.capacity, "sold": c.sold,
                   "overbooking_percent": c.overbooking_percent, "seats_left": c.left} for c in flight.seats],
        "diverted_to": flight.diverted_to,
        "delay_code": flight.delay_code,
        "status_reason": flight.status_reason,
        "round_trip_id": flight.round_trip_id,
        "schedule_id": flight.schedule_id,
        "version": flight.version,
    }


# ---------------------------------------------------------------- fares


class PassengerType(StrEnum):
    ADULT = "adult"
    CHILD = "child"
    INFANT = "infant"


class TripType(StrEnum):
    ONE_WAY = "one_way"
    ROUND_TRIP = "round_trip"


def passenger_type(value: str) -> PassengerType:
    try:
        return PassengerType(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"passenger_type must be adult, child or infant, got {value!r}", field="passenger_type") from None


def trip_type(value: str) -> TripType:
    try:
        return TripType(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"trip_type must be one_way or round_trip, got {value!r}", field="trip_type") from None


def currency(value: str) -> str:
    code = value.strip()
    if not CURRENCY.fullmatch(code):
        raise ValidationFailed(f"currency must be an ISO 4217 code of 3 upper-case letters like SGD, got {value!r}", field="currency")
    return code


MAX_AMOUNT = 10**12  # minor units; far above any fare, far below bigint


@dataclass(frozen=True)
class Fare:
    origin: str
    destination: str
    cabin_class: CabinClass
    passenger_type: PassengerType
    trip_type: TripType
    amount: int
    currency: str

    @property
    def key(self) -> tuple[str, str, CabinClass, PassengerType, TripType]:
        return (self.origin, self.destination, self.cabin_class, self.passenger_type, self.trip_type)


@dataclass(frozen=True)
class FareRules:
    origin: str
    destination: str
    cabin_class: CabinClass
    refundable: bool
    change_fee: int
    currency: str
    checked_bags: int
    bag_weight_kg: int
    # a cancellation after departure (no-show) gives back nothing, or the taxes only; never the fare
    no_show_refund: str = "none"
    taxes: int = 0  # per passenger per flight, minor units; part of the fare

    @property
    def key(self) -> tuple[str, str, CabinClass]:
        return (self.origin, self.destination, self.cabin_class)

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin, "destination": self.destination, "cabin_class": self.cabin_class.value,
            "refundable": self.refundable, "change_fee": self.change_fee, "currency": self.currency,
            "checked_bags": self.checked_bags, "bag_weight_kg": self.bag_weight_kg,
            "no_show_refund": self.no_show_refund, "taxes": self.taxes,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "FareRules":
        # offers signed before the no-show rule existed carry none: the strictest rule
        return cls(d["origin"], d["destination"], CabinClass(d["cabin_class"]), bool(d["refundable"]),
                   int(d["change_fee"]), d["currency"], int(d["checked_bags"]), int(d["bag_weight_kg"]),
                   str(d.get("no_show_refund", "none")), int(d.get("taxes", 0)))


def _route(origin: str, destination: str, where: str) -> tuple[str, str]:
    o, d = airport_code(origin, f"{where}.origin"), airport_code(destination, f"{where}.destination")
    if o == d:
        raise ValidationFailed(f"{where}: origin and destination must differ", field=f"{where}.destination")
    return o, d


def new_fare(origin: str, destination: str, cls: str, ptype: str, ttype: str, amount: int, cur: str, where: str = "fare") -> Fare:
    o, d = _route(origin, destination, where)
    if not 0 <= amount <= MAX_AMOUNT:
        raise ValidationFailed(f"{where}: amount must be 0 to {MAX_AMOUNT} minor units, got {amount}", field=f"{where}.amount")
    return Fare(o, d, cabin_class(cls), passenger_type(ptype), trip_type(ttype), amount, currency(cur))


NO_SHOW_REFUNDS = ("none", "taxes")


def new_rules(
    origin: str, destination: str, cls: str, refundable: bool, change_fee: int, cur: str, bags: int, weight: int,
    where: str = "rules", no_show_refund: str = "", taxes: int = 0,
) -> FareRules:
    o, d = _route(origin, destination, where)
    if not 0 <= change_fee <= MAX_AMOUNT:
        raise ValidationFailed(f"{where}: change_fee must be 0 to {MAX_AMOUNT}", field=f"{where}.change_fee")
    if not 0 <= bags <= 10:
        raise ValidationFailed(f"{where}: checked_bags must be 0 to 10", field=f"{where}.checked_bags")
    if not 0 <= weight <= 50:
        raise ValidationFailed(f"{where}: bag_weight_kg must be 0 to 50", field=f"{where}.bag_weight_kg")
    if bags > 0 and weight == 0:
        raise ValidationFailed(f"{where}: bag_weight_kg is required when bags are included", field=f"{where}.bag_weight_kg")
    no_show = (no_show_refund or "none").strip().lower()
    if no_show not in NO_SHOW_REFUNDS:
        raise ValidationFailed(f"{where}: no_show_refund must be none or taxes, got {no_show_refund!r}",
                               field=f"{where}.no_show_refund")
    if not 0 <= taxes <= MAX_AMOUNT:
        raise ValidationFailed(f"{where}: taxes must be 0 to {MAX_AMOUNT} minor units, got {taxes}",
                               field=f"{where}.taxes")
    return FareRules(o, d, cabin_class(cls), refundable, change_fee, currency(cur), bags, weight, no_show, taxes)


def check_taxes_within_fares(fares: Sequence[Fare], rules: Sequence[FareRules]) -> None:
    """A fare includes its taxes: no rule's taxes may exceed a fare of its route and cabin."""
    lowest: dict[tuple[str, str, CabinClass], int] = {}
    for f in fares:
        k = (f.origin, f.destination, f.cabin_class)
        lowest[k] = min(lowest.get(k, f.amount), f.amount)
    for r in rules:
        low = lowest.get(r.key)
        if low is not None and r.taxes > low:
            raise ValidationFailed(
                f"the taxes of {r.origin}-{r.destination} {r.cabin_class.value} ({r.taxes}) exceed its lowest fare "
                f"({low}): taxes are part of the fare", field="rules.taxes",
            )


def check_fare_batch(fares: Sequence[Fare], rules: Sequence[FareRules]) -> None:
    if not fares and not rules:
        raise ValidationFailed("give at least one fare or fare rule", field="fares")
    seen: set[Any] = set()
    for f in fares:
        if f.key in seen:
            raise ValidationFailed(
                f"the fare {f.origin}-{f.destination} {f.cabin_class.value} {f.passenger_type.value} "
                f"{f.trip_type.value} is given twice", field="fares",
            )
        seen.add(f.key)
    for r in rules:
        if r.key in seen:
            raise ValidationFailed(f"the rules {r.origin}-{r.destination} {r.cabin_class.value} are given twice", field="rules")
        seen.add(r.key)
    check_route_currencies([(f.origin, f.destination, f.currency) for f in fares]
                           + [(r.origin, r.destination, r.currency) for r in rules])


def check_route_currencies(items: Iterable[tuple[str, str, str]]) -> None:
    by_route: dict[tuple[str, str], set[str]] = {}
    for o, d, cur in items:
        by_route.setdefault((o, d), set()).add(cur)
    for (o, d), currencies in sorted(by_route.items()):
        if len(currencies) > 1:
            raise ValidationFailed(
                f"all fares and rules of route {o}-{d} must use one currency, got {', '.join(sorted(currencies))}",
                field="currency",
            )


def default_rules(origin: str, destination: str, cls: CabinClass, cur: str) -> FareRules:
    if cls is CabinClass.VIP:
        return FareRules(origin, destination, cls, False, 0, cur, 2, 32)
    return FareRules(origin, destination, cls, False, 0, cur, 1, 23)


# ---------------------------------------------------------------- search and pricing


@dataclass(frozen=True)
class Passengers:
    adults: int
    children: int
    infants: int

    @property
    def seated(self) -> int:
        return self.adults + self.children  # infants sit on a lap

    def counts(self) -> list[tuple[PassengerType, int]]:
        return [(t, n) for t, n in ((PassengerType.ADULT, self.adults), (PassengerType.CHILD, self.children),
                                    (PassengerType.INFANT, self.infants)) if n > 0]


def passengers(adults: int, children: int, infants: int) -> Passengers:
    if adults < 1:
        raise ValidationFailed("at least one adult must travel", field="adults")
    if children < 0 or infants < 0:
        raise ValidationFailed("children and infants cannot be negative", field="children")
    if infants > adults:
        raise ValidationFailed(
            f"each infant travels on an adult's lap: {infants} infants need at least {infants} adults, got {adults}",
            field="infants",
        )
    total = adults + children + infants
    if total > MAX_PASSENGERS:
        raise ValidationFailed(f"at most {MAX_PASSENGERS} passengers per booking, got {total}", field="adults")
    return Passengers(adults, children, infants)


@dataclass(frozen=True)
class SearchQuery:
    origin: str
    destination: str
    departure_date: date
    flexible_days: int
    passengers: Passengers
    cabin_class: CabinClass
    trip_type: TripType
    return_date: date | None

    def outbound_dates(self) -> tuple[date, date]:
        f = timedelta(days=self.flexible_days)
        return self.departure_date - f, self.departure_date + f

    def return_dates(self) -> tuple[date, date]:
        assert self.return_date is not None
        f = timedelta(days=self.flexible_days)
        return self.return_date - f, self.return_date + f


def search_query(
    origin: str, destination: str, departure_date: str, flexible_days: int, adults: int, children: int,
    infants: int, cls: str, ttype: str, return_date: str,
) -> SearchQuery:
    o, d = airport_code(origin, "origin"), airport_code(destination, "destination")
    if o == d:
        raise ValidationFailed("origin and destination must differ", field="destination")
    if not 0 <= flexible_days <= MAX_FLEXIBLE_DAYS:
        raise ValidationFailed(f"flexible_days must be 0 to {MAX_FLEXIBLE_DAYS}, got {flexible_days}", field="flexible_days")
    pax = passengers(adults, children, infants)
    outbound = window_date(local_date(departure_date, "departure_date"), "departure_date")
    trip = trip_type(ttype or "one_way")
    back: date | None = None
    if trip is TripType.ROUND_TRIP:
        if not return_date.strip():
            raise ValidationFailed("return_date is required for a round trip", field="return_date")
        back = window_date(local_date(return_date, "return_date"), "return_date")
        if back < outbound:
            raise ValidationFailed("return_date must not be before departure_date", field="return_date")
    elif return_date.strip():
        raise ValidationFailed("return_date is only for round trips (trip_type round_trip)", field="return_date")
    return SearchQuery(o, d, outbound, flexible_days, pax, cabin_class(cls or "normal"), trip, back)


@dataclass(frozen=True)
class PriceLine:
    passenger_type: PassengerType
    count: int
    unit_amount: int
    amount: int


@dataclass(frozen=True)
class Price:
    lines: tuple[PriceLine, ...]
    total: int
    currency: str


def price(leg_fares: Sequence[Mapping[PassengerType, Fare]], pax: Passengers) -> Price | None:
    """Per passenger type: the sum over the legs of that leg's fare, times the count. None
    when a leg lacks a fare for a travelling passenger type, or the legs' currencies differ."""
    currencies = {f.currency for fares in leg_fares for t, _ in pax.counts() if (f := fares.get(t)) is not None}
    if len(currencies) != 1:
        return None
    lines: list[PriceLine] = []
    for ptype, count in pax.counts():
        unit = 0
        for fares in leg_fares:
            fare = fares.get(ptype)
            if fare is None:
                return None
            unit += fare.amount
        lines.append(PriceLine(ptype, count, unit, unit * count))
    return Price(tuple(lines), sum(line.amount for line in lines), currencies.pop())


def combine_round_trips(outbound: Sequence[Flight], returns: Sequence[Flight]) -> list[tuple[Flight, Flight]]:
    """Pairs where the return leaves at least MIN_RETURN_GAP after the outbound arrives."""
    return [
        (o, r) for o in outbound for r in returns if r.estimated_departure >= o.estimated_arrival + MIN_RETURN_GAP
    ]


@dataclass(frozen=True)
class OfferLegView:
    flight: Flight
    seats_left: int
    rules: FareRules


@dataclass(frozen=True)
class Offer:
    offer_id: str
    legs: tuple[OfferLegView, ...]
    cabin_class: CabinClass
    trip_type: TripType
    passengers: Passengers
    price: Price
    expires_at: datetime


def offer_claims(
    flights: Sequence[Flight], query_pax: Passengers, cls: CabinClass, trip: TripType, p: Price,
    rules: Sequence[FareRules], expires_at: datetime,
) -> dict[str, Any]:
    """What an offer id carries (signed): enough to give the offer back exactly as priced."""
    return {
        "flights": [f.id for f in flights],
        "pax": [query_pax.adults, query_pax.children, query_pax.infants],
        "cabin_class": cls.value,
        "trip_type": trip.value,
        "breakdown": [[line.passenger_type.value, line.count, line.unit_amount, line.amount] for line in p.lines],
        "total": p.total,
        "currency": p.currency,
        "rules": [r.to_dict() for r in rules],
        "exp": int(expires_at.timestamp()),
    }


@dataclass(frozen=True)
class PricedOffer:
    flight_ids: tuple[str, ...]
    passengers: Passengers
    cabin_class: CabinClass
    trip_type: TripType
    price: Price
    rules: tuple[FareRules, ...]
    expires_at: datetime


def offer_from_claims(claims: Mapping[str, Any]) -> PricedOffer:
    adults, children, infants = claims["pax"]
    lines = tuple(PriceLine(PassengerType(t), int(c), int(u), int(a)) for t, c, u, a in claims["breakdown"])
    return PricedOffer(
        flight_ids=tuple(claims["flights"]),
        passengers=Passengers(int(adults), int(children), int(infants)),
        cabin_class=CabinClass(claims["cabin_class"]),
        trip_type=TripType(claims["trip_type"]),
        price=Price(lines, int(claims["total"]), claims["currency"]),
        rules=tuple(FareRules.from_dict(r) for r in claims["rules"]),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), timezone.utc),
    )

