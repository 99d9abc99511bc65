"""Airports, gates, the fleet, seat layouts and plane availability: pure rules, no I/O.

The seat-layout functions (`parse_layout`, `expand_seats`, `capacity`) are the one definition
of "which seats does this plane have"; the reservation service reuses them for seat maps.
"""
from __future__ import annotations

import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Iterable, Sequence

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


@dataclass(frozen=True)
class Gate:
    airport_code: str
    code: str
    status: GateStatus


def airport_code(value: str, field_name: str = "code") -> str:
    code = value.strip().upper()
    if not AIRPORT_CODE.fullmatch(code):
        raise ValidationFailed(
            f"{field_name} must be a 3-letter IATA airport code, got {value!r}", field=field_name
        )
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


def new_airport(code: str, name: str, city: str, country: str, zone: str) -> Airport:
    return Airport(
        code=airport_code(code),
        name=text(name, "name"),
        city=text(city, "city"),
        country=country_code(country),
        time_zone=time_zone(zone),
    )


def change_airport(airport: Airport, name: str = "", city: str = "", country: str = "", zone: str = "") -> Airport:
    """Empty values mean "leave unchanged" (the proto cannot tell empty from absent)."""
    return replace(
        airport,
        name=text(name, "name") if name.strip() else airport.name,
        city=text(city, "city") if city.strip() else airport.city,
        country=country_code(country) if country.strip() else airport.country,
        time_zone=time_zone(zone) if zone.strip() else airport.time_zone,
    )


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


# ---------------------------------------------------------------- seat layouts

SEAT_LETTERS = "ABCDEFGHJK"  # I is never used: it reads like 1
MAX_ROW = 99
MAX_CABINS = 10
SEAT_LABEL = re.compile(r"^([0-9]{1,2})([A-Z])$")


class CabinClass(StrEnum):
    VIP = "vip"
    NORMAL = "normal"


class SeatPosition(StrEnum):
    WINDOW = "window"
    MIDDLE = "middle"
    AISLE = "aisle"


@dataclass(frozen=True)
class Cabin:
    cabin_class: CabinClass
    first_row: int
    last_row: int
    seat_letters: str  # "ABC DEF": letters left to right, a space per aisle

    @property
    def rows(self) -> range:
        return range(self.first_row, self.last_row + 1)

    @property
    def letters(self) -> str:
        return self.seat_letters.replace(" ", "")


@dataclass(frozen=True)
class SeatLayout:
    cabins: tuple[Cabin, ...]
    exit_rows: tuple[int, ...] = ()
    blocked_seats: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "cabins": [
                {
                    "cabin_class": c.cabin_class.value,
                    "first_row": c.first_row,
                    "last_row": c.last_row,
                    "seat_letters": c.seat_letters,
                }
                for c in self.cabins
            ],
            "exit_rows": list(self.exit_rows),
            "blocked_seats": list(self.blocked_seats),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SeatLayout":
        return parse_layout(
            [
                CabinSpec(c["cabin_class"], c["first_row"], c["last_row"], c["seat_letters"])
                for c in data.get("cabins", [])
            ],
            data.get("exit_rows", []),
            data.get("blocked_seats", []),
        )


@dataclass(frozen=True)
class CabinSpec:
    """A cabin as it arrives from outside, before any rule is checked."""

    cabin_class: str
    first_row: int
    last_row: int
    seat_letters: str


@dataclass(frozen=True)
class Seat:
    row: int
    letter: str
    cabin_class: CabinClass
    position: SeatPosition
    exit_row: bool
    blocked: bool

    @property
    def label(self) -> str:
        return f"{self.row}{self.letter}"


def _cabin_class(value: str, index: int) -> CabinClass:
    try:
        return CabinClass(value.strip().lower())
    except ValueError:
        raise ValidationFailed(
            f"cabin {index + 1}: cabin_class must be vip or normal, got {value!r}", field="layout.cabins"
        ) from None


def _seat_letters(value: str, index: int, first_row: int) -> str:
    where = f"cabin {index + 1}"
    letters = value.upper()
    if not letters or letters != letters.strip() or "  " in letters:
        raise ValidationFailed(
            f"{where}: seat_letters must be letters with single spaces for aisles, like 'ABC DEF', got {value!r}",
            field="layout.cabins",
        )
    seen: set[str] = set()
    for ch in letters.replace(" ", ""):
        if ch not in SEAT_LETTERS:
            raise ValidationFailed(
                f"{where}: seat letter {ch!r} is not one of {SEAT_LETTERS}", field="layout.cabins"
            )
        if ch in seen:
            raise ValidationFailed(f"{where}: duplicate seat {first_row}{ch}", field="layout.cabins", seat=f"{first_row}{ch}")
        seen.add(ch)
    plain = letters.replace(" ", "")
    if list(plain) != sorted(plain, key=SEAT_LETTERS.index):
        raise ValidationFailed(
            f"{where}: seat letters must run left to right in order, got {value!r}", field="layout.cabins"
        )
    return letters


def parse_layout(
    cabins: Sequence[CabinSpec], exit_rows: Iterable[int] = (), blocked_seats: Iterable[str] = ()
) -> SeatLayout:
    """Check every rule of a seat layout; the result is normalised (sorted, upper case)."""
    if not cabins:
        raise ValidationFailed("a seat layout needs at least one cabin", field="layout.cabins")
    if len(cabins) > MAX_CABINS:
        raise ValidationFailed(f"a seat layout has at most {MAX_CABINS} cabins", field="layout.cabins")
    checked: list[Cabin] = []
    for i, spec in enumerate(cabins):
        if not 1 <= spec.first_row <= spec.last_row <= MAX_ROW:
            raise ValidationFailed(
                f"cabin {i + 1}: rows must satisfy 1 <= first_row <= last_row <= {MAX_ROW}, "
                f"got {spec.first_row}-{spec.last_row}",
                field="layout.cabins",
            )
        checked.append(
            Cabin(
                _cabin_class(spec.cabin_class, i),
                spec.first_row,
                spec.last_row,
                _seat_letters(spec.seat_letters, i, spec.first_row),
            )
        )
    checked.sort(key=lambda c: c.first_row)
    for before, after in zip(checked, checked[1:]):
        if after.first_row <= before.last_row:
            row = after.first_row
            common = [ch for ch in after.letters if ch in before.letters]
            detail = f": duplicate seat {row}{common[0]}" if common else ""
            raise ValidationFailed(
                f"cabins overlap at row {row}{detail}",
                field="layout.cabins",
                **({"seat": f"{row}{common[0]}"} if common else {}),
            )
    existing_rows = {r for c in checked for r in c.rows}
    exits = sorted(set(exit_rows))
    for row in exits:
        if row not in existing_rows:
            raise ValidationFailed(f"exit row {row} is not a row of this layout", field="layout.exit_rows")
    seats = {f"{r}{ch}" for c in checked for r in c.rows for ch in c.letters}
    blocked: set[str] = set()
    for raw in blocked_seats:
        label = raw.strip().upper()
        if not SEAT_LABEL.fullmatch(label):
            raise ValidationFailed(f"blocked seat {raw!r} must look like 27A", field="layout.blocked_seats")
        label = f"{int(label[:-1])}{label[-1]}"  # "03A" and "3A" are the same seat
        if label not in seats:
            raise ValidationFailed(f"blocked seat {label} is not a seat of this layout", field="layout.blocked_seats")
        blocked.add(label)
    return SeatLayout(
        cabins=tuple(checked),
        exit_rows=tuple(exits),
        blocked_seats=tuple(sorted(blocked, key=_seat_order)),
    )


def _seat_order(label: str) -> tuple[int, int]:
    return int(label[:-1]), SEAT_LETTERS.index(label[-1])


def _positions(seat_letters: str) -> dict[str, SeatPosition]:
    groups = seat_letters.split(" ")
    out: dict[str, SeatPosition] = {}
    for g, group in enumerate(groups):
        for i, letter in enumerate(group):
            at_wall = (g == 0 and i == 0) or (g == len(groups) - 1 and i == len(group) - 1)
            at_aisle = (i == 0 and g > 0) or (i == len(group) - 1 and g < len(groups) - 1)
            out[letter] = SeatPosition.WINDOW if at_wall else SeatPosition.AISLE if at_aisle else SeatPosition.MIDDLE
    return out


def expand_seats(layout: SeatLayout) -> list[Seat]:
    """Every seat of the layout, front to back and left to right."""
    exits = set(layout.exit_rows)
    blocked = set(layout.blocked_seats)
    seats: list[Seat] = []
    for cabin in layout.cabins:
        positions = _positions(cabin.seat_letters)
        for row in cabin.rows:
            for letter in cabin.letters:
                seats.append(
                    Seat(row, letter, cabin.cabin_class, positions[letter], row in exits, f"{row}{letter}" in blocked)
                )
    return seats


def capacity(layout: SeatLayout) -> dict[CabinClass, int]:
    """Sellable seats per cabin class (blocked seats excluded), VIP first."""
    out = {c: 0 for c in CabinClass if any(cab.cabin_class is c for cab in layout.cabins)}
    for seat in expand_seats(layout):
        if not seat.blocked:
            out[seat.cabin_class] += 1
    return out


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


def new_plane(
    pid: str, reg: str, aircraft_type: str, status: str, home_airport: str, layout: SeatLayout
) -> Plane:
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
