"""Airports, gates, the fleet and plane availability: pure rules, no I/O.

Seat layouts are in layouts.py; their names are importable from here too, where the
reservation service and older callers look for them.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from airline.airport.layouts import (  # noqa: F401  (re-exported: see the docstring)
    MAX_CABINS,
    MAX_ROW,
    SEAT_LABEL,
    SEAT_LETTERS,
    Cabin,
    CabinClass,
    CabinSpec,
    Seat,
    SeatLayout,
    SeatPosition,
    capacity,
    expand_seats,
    parse_layout,
)
from airline.platform.errors import ValidationFailed

# ---------------------------------------------------------------- airports and gates

AIRPORT_CODE = re.compile(r"^[A-Z]{3}$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
GATE_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
MAX_NAME = 120


class GateStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True)
class Airport:
    code: str
    name: str
    city: str
    country: str
    time_zone: str
    created_at: datetime | None = None
    # WGS 84 degrees (north and east positive); None until ops gives them. They make the
    # great-circle distance of a route, which compensation bands are based on.
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Gate:
    airport_code: str
    code: str
    status: GateStatus


def airport_code(value: str, field_name: str = "code") -> str:
    code = value.strip().upper()
    if not AIRPORT_CODE.fullmatch(code):
        raise ValidationFailed(f"{field_name} must be a 3-letter IATA airport code, got {value!r}", field=field_name)
    return code


def country_code(value: str) -> str:
    code = value.strip().upper()
    if not COUNTRY_CODE.fullmatch(code):
        raise ValidationFailed(
            f"country must be an ISO 3166-1 alpha-2 code (2 letters), got {value!r}", field="country"
        )
    return code


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone(value: str) -> str:
    # Checked against the tz database's list rather than by constructing a ZoneInfo, which
    # would also accept file-system paths and odd legacy aliases.
    zone = value.strip()
    if zone not in _zones():
        raise ValidationFailed(
            f"time_zone must be an IANA time zone such as Asia/Singapore, got {value!r}", field="time_zone"
        )
    return zone


def text(value: str, field_name: str, max_length: int = MAX_NAME) -> str:
    cleaned = " ".join(value.split())
    if not 1 <= len(cleaned) <= max_length:
        raise ValidationFailed(f"{field_name} must be 1 to {max_length} characters", field=field_name)
    # PostgreSQL cannot store NUL, and no name needs control characters
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise ValidationFailed(f"{field_name} must not contain control characters", field=field_name)
    return cleaned


def coordinate(value: float | None, field_name: str, limit: float) -> float | None:
    """A latitude (limit 90) or longitude (limit 180) in degrees; None means not known."""
    if value is None:
        return None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise ValidationFailed(f"{field_name} must be between -{limit:g} and {limit:g} degrees", field=field_name)
    return round(float(value), 6)  # about 0.1 m: more digits only pretend to precision


def coordinates(latitude: float | None, longitude: float | None) -> tuple[float | None, float | None]:
    lat, lon = coordinate(latitude, "latitude", 90), coordinate(longitude, "longitude", 180)
    if (lat is None) != (lon is None):
        raise ValidationFailed("give both latitude and longitude, or neither", field="latitude")
    return lat, lon


def new_airport(
    code: str,
    name: str,
    city: str,
    country: str,
    zone: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Airport:
    lat, lon = coordinates(latitude, longitude)
    return Airport(
        code=airport_code(code),
        name=text(name, "name"),
        city=text(city, "city"),
        country=country_code(country),
        time_zone=time_zone(zone),
        latitude=lat,
        longitude=lon,
    )


def change_airport(
    airport: Airport,
    name: str = "",
    city: str = "",
    country: str = "",
    zone: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Airport:
    """Empty values mean "leave unchanged" (the proto cannot tell empty from absent); the
    coordinates are changed together or not at all."""
    changed = replace(
        airport,
        name=text(name, "name") if name.strip() else airport.name,
        city=text(city, "city") if city.strip() else airport.city,
        country=country_code(country) if country.strip() else airport.country,
        time_zone=time_zone(zone) if zone.strip() else airport.time_zone,
    )
    if latitude is None and longitude is None:
        return changed
    lat, lon = coordinates(latitude, longitude)
    return replace(changed, latitude=lat, longitude=lon)


EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG), as distance calculators for EU261 use


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine distance between two points in degrees, on a spherical Earth."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def route_distance_km(origin: Airport, destination: Airport) -> float | None:
    """The great-circle distance of a route; None while an airport has no coordinates."""
    if origin.latitude is None or origin.longitude is None:
        return None
    if destination.latitude is None or destination.longitude is None:
        return None
    return great_circle_km(origin.latitude, origin.longitude, destination.latitude, destination.longitude)


def gate_code(value: str) -> str:
    code = value.strip().upper()
    if not GATE_CODE.fullmatch(code):
        raise ValidationFailed(f"gate code must be 1 to 8 letters or digits, got {value!r}", field="code")
    return code


def gate_status(value: str, default: GateStatus | None = GateStatus.OPEN) -> GateStatus:
    cleaned = value.strip().lower()
    if not cleaned and default is not None:
        return default
    try:
        return GateStatus(cleaned)
    except ValueError:
        raise ValidationFailed(
            f"gate status must be one of {', '.join(s.value for s in GateStatus)}, got {value!r}", field="status"
        ) from None


# ---------------------------------------------------------------- planes

PLANE_ID = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
REGISTRATION = re.compile(r"^(?=.{2,10}$)[A-Z0-9]+(-[A-Z0-9]+)?$")


class PlaneStatus(StrEnum):
    ACTIVE = "active"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


@dataclass(frozen=True)
class Plane:
    id: str
    registration: str
    aircraft_type: str
    status: PlaneStatus
    home_airport: str
    layout: SeatLayout
    created_at: datetime | None = None

    @property
    def capacity(self) -> dict[CabinClass, int]:
        return capacity(self.layout)


def plane_id(value: str) -> str:
    pid = value.strip().upper()
    if not PLANE_ID.fullmatch(pid):
        raise ValidationFailed(
            f"plane id must be a letter then up to 9 letters or digits, like P1, got {value!r}", field="id"
        )
    return pid


def registration(value: str) -> str:
    reg = value.strip().upper()
    if not REGISTRATION.fullmatch(reg):
        raise ValidationFailed(
            f"registration must be 2 to 10 letters or digits with at most one hyphen, like 9V-XAA, got {value!r}",
            field="registration",
        )
    return reg


def plane_status(value: str, default: PlaneStatus | None = PlaneStatus.ACTIVE) -> PlaneStatus:
    cleaned = value.strip().lower()
    if not cleaned and default is not None:
        return default
    try:
        return PlaneStatus(cleaned)
    except ValueError:
        raise ValidationFailed(
            f"plane status must be one of {', '.join(s.value for s in PlaneStatus)}, got {value!r}", field="status"
        ) from None


def new_plane(pid: str, reg: str, aircraft_type: str, status: str, home_airport: str, layout: SeatLayout) -> Plane:
    return Plane(
        id=plane_id(pid),
        registration=registration(reg),
        aircraft_type=text(aircraft_type, "aircraft_type", 40),
        status=plane_status(status),
        home_airport=airport_code(home_airport, "home_airport"),
        layout=layout,
    )


def change_plane(
    plane: Plane,
    reg: str = "",
    aircraft_type: str = "",
    status: str = "",
    home_airport: str = "",
    layout: SeatLayout | None = None,
) -> Plane:
    """Empty values (and no layout) mean "leave unchanged"."""
    return replace(
        plane,
        registration=registration(reg) if reg.strip() else plane.registration,
        aircraft_type=text(aircraft_type, "aircraft_type", 40) if aircraft_type.strip() else plane.aircraft_type,
        status=plane_status(status) if status.strip() else plane.status,
        home_airport=airport_code(home_airport, "home_airport") if home_airport.strip() else plane.home_airport,
        layout=layout if layout is not None else plane.layout,
    )


def plane_payload(plane: Plane) -> dict[str, Any]:
    return {
        "plane_id": plane.id,
        "registration": plane.registration,
        "aircraft_type": plane.aircraft_type,
        "status": plane.status.value,
        "home_airport": plane.home_airport,
        "layout": plane.layout.to_dict(),
        "capacity": {k.value: v for k, v in plane.capacity.items()},
    }


# ---------------------------------------------------------------- commitments and availability

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")
# Longer than any flight plus turnaround; a longer window is a caller's bug, not a flight.
MAX_COMMITMENT = timedelta(hours=72)


@dataclass(frozen=True)
class Commitment:
    """The plane flies origin -> destination over [starts_at, ends_at), turnaround included."""

    reference: str
    plane_id: str
    origin: str
    destination: str
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.starts_at < end and start < self.ends_at


def reference(value: str) -> str:
    ref = value.strip()
    if not REFERENCE.fullmatch(ref):
        raise ValidationFailed(
            "reference must be 1 to 64 letters, digits or . _ : / - (e.g. the flight id)", field="reference"
        )
    return ref


def window(start: datetime, end: datetime, *, max_length: timedelta | None = None) -> tuple[datetime, datetime]:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationFailed("times must carry a time zone", field="starts_at")
    if not start < end:
        raise ValidationFailed("the start must be before the end", field="ends_at")
    if max_length is not None and end - start > max_length:
        raise ValidationFailed(f"the window may be at most {max_length} long", field="ends_at")
    return start, end


def new_commitment(
    ref: str, pid: str, origin: str, destination: str, starts_at: datetime, ends_at: datetime
) -> Commitment:
    origin = airport_code(origin, "origin")
    destination = airport_code(destination, "destination")
    if origin == destination:
        raise ValidationFailed("origin and destination must differ", field="destination")
    starts_at, ends_at = window(starts_at, ends_at, max_length=MAX_COMMITMENT)
    return Commitment(reference(ref), plane_id(pid), origin, destination, starts_at, ends_at)


@dataclass(frozen=True)
class PlaneSchedule:
    """What availability needs to know about one plane around a window."""

    plane: Plane
    last_before: Commitment | None = None  # latest commitment ending at or before the window's start
    overlapping: tuple[Commitment, ...] = field(default_factory=tuple)


def location_at(home_airport: str, last_before: Commitment | None) -> str:
    return last_before.destination if last_before is not None else home_airport


def is_available(schedule: PlaneSchedule, airport: str, start: datetime, end: datetime) -> bool:
    """Active, at `airport` when the window starts, and free for all of [start, end)."""
    plane = schedule.plane
    if plane.status is not PlaneStatus.ACTIVE:
        return False
    if schedule.last_before is not None and schedule.last_before.ends_at > start:
        raise ValueError("last_before must end at or before the window's start")
    if location_at(plane.home_airport, schedule.last_before) != airport:
        return False
    return not any(c.overlaps(start, end) for c in schedule.overlapping)


def journey_conflicts(plane: Plane, existing: Sequence[Commitment], wanted: Sequence[Commitment]) -> list[str]:
    """Why `wanted` cannot join the plane's `existing` commitments (none sharing a reference
    with `wanted`); empty when it can. A plane flies one leg at a time, departs from where it
    is (its previous leg's destination, else its home airport), and its next leg departs from
    where this one lands. Only joints touching a wanted commitment are judged: an existing
    break (a diversion) does not block unrelated plans."""
    problems: list[str] = []
    if plane.status is not PlaneStatus.ACTIVE:
        problems.append(f"plane {plane.id} is {plane.status.value}, not active: it cannot be committed")
    new_refs = {w.reference for w in wanted}
    timeline = sorted([*existing, *wanted], key=lambda c: (c.starts_at, c.ends_at, c.reference))
    if timeline and timeline[0].reference in new_refs and timeline[0].origin != plane.home_airport:
        first = timeline[0]
        problems.append(
            f"plane {plane.id} is at its home airport {plane.home_airport}, not {first.origin}, "
            f"when {first.reference} departs at {first.starts_at.isoformat()}"
        )
    for before, after in zip(timeline, timeline[1:]):
        if before.reference not in new_refs and after.reference not in new_refs:
            continue
        if after.starts_at < before.ends_at:
            problems.append(
                f"plane {plane.id} is already committed to {before.reference} until "
                f"{before.ends_at.isoformat()}, overlapping {after.reference} from {after.starts_at.isoformat()}"
            )
        elif before.destination != after.origin:
            problems.append(
                f"plane {plane.id} will be at {before.destination} (after {before.reference}), "
                f"not {after.origin}, when {after.reference} departs at {after.starts_at.isoformat()}"
            )
    return problems
