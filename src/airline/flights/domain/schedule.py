"""Creating flights: legs checked in themselves, round trips, recurring schedules expanded
into legs at the airports' local times, and the gate conflicts within one request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from airline.flights.domain.flight import AirportInfo, CabinClass, CabinSeats, Flight
from airline.flights.domain.values import (
    airport_code,
    at_local,
    duration,
    flight_number,
    flight_time,
    gate_code,
    hhmm,
    local_date,
    local_time,
    plane_id,
    to_local,
    window_date,
)
from airline.platform import date_window
from airline.platform.errors import ValidationFailed
from airline.platform.flight_status import FlightStatus

MAX_SCHEDULE_DAYS = 366
MAX_LEGS = 500  # per request: what the airport commits in one batch


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
    number: str,
    origin: str,
    destination: str,
    departure: datetime,
    duration_minutes: int,
    pid: str,
    gate: str,
    *,
    prefix: str = "",
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
    number: str,
    origin: str,
    destination: str,
    pid: str,
    gate: str,
    departure_local_time: str,
    duration_minutes: int,
    first_date: str,
    days: int,
    weekdays: Sequence[int],
    return_number: str = "",
    return_gate: str = "",
    return_departure_local_time: str = "",
    return_duration_minutes: int = 0,
) -> ScheduleSpec:
    if not 1 <= days <= MAX_SCHEDULE_DAYS:
        raise ValidationFailed(f"days must be 1 to {MAX_SCHEDULE_DAYS}, got {days}", field="days")
    bad_days = [d for d in weekdays if not 1 <= d <= 7]
    if bad_days:
        raise ValidationFailed(
            f"weekdays are ISO numbers 1 (Monday) to 7 (Sunday), got {bad_days[0]}", field="weekdays"
        )
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
            return_duration=duration(
                return_duration_minutes or int(spec.duration.total_seconds() // 60), "return_duration_minutes"
            ),
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
        outbound = Leg(
            spec.number,
            spec.origin,
            spec.destination,
            at_local(day, spec.departure_local_time, origin_tz),
            spec.duration,
            spec.plane_id,
            spec.gate,
        )
        back: Leg | None = None
        if spec.return_departure_local_time is not None and spec.return_duration is not None:
            arrival_day = to_local(outbound.arrival, destination_tz).date()
            back = Leg(
                spec.return_number,
                spec.destination,
                spec.origin,
                at_local(arrival_day, spec.return_departure_local_time, destination_tz),
                spec.return_duration,
                spec.plane_id,
                spec.return_gate,
            )
            check_return_leg(outbound, back, turnaround)
        out.append((outbound, back))
    if not out:
        raise ValidationFailed(
            "the schedule has no flight: no date in the range falls on the weekdays given", field="weekdays"
        )
    legs = sum(1 if back is None else 2 for _, back in out)
    if legs > MAX_LEGS:
        raise ValidationFailed(
            f"a schedule may create at most {MAX_LEGS} flights at once, this one makes {legs}", field="days"
        )
    return out


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
            if (other.origin, other.gate) == (leg.origin, leg.gate) and overlaps(
                window, gate_window(other.departure, boarding)
            ):
                tz = tzs[other.origin]
                problems.append(
                    f"{leg.number} on {day.isoformat()}: gate {leg.gate} is taken by {other.number} "
                    f"{hhmm(other.departure - boarding, tz)}-{hhmm(other.departure, tz)} local (in this request)"
                )
    return problems


def flight_from_leg(
    leg: Leg,
    flight_id: str,
    origin: AirportInfo,
    destination: AirportInfo,
    capacity: Mapping[str, int],
    boarding: timedelta,
    *,
    round_trip_id: str = "",
    schedule_id: str = "",
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
        status=FlightStatus.PENDING,
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
