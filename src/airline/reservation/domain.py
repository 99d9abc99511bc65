"""Seat maps, seat rules and hold/assignment values: pure Python, no I/O.

The seats of a flight come from its plane's layout through the airport's own expansion
(`airline.airport.domain.expand_seats`), so both services agree on which seats exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from airline.airport.layouts import CabinClass, Seat, SeatLayout, expand_seats
from airline.platform.errors import Conflict, ValidationFailed

MAX_SEATS_PER_HOLD = 9
AUTO = ""  # a seat request's seat left for the service to choose (`choose_seats`)
SEAT_LABEL = re.compile(r"^0*([1-9][0-9]{0,2})([A-Z])$")
# An overbooking place: a passenger sold past the cabin's physical seats ("seat at the airport").
# Its label is "@<cabin><n>", n = 1..the cabin's allowance, so the labels themselves bound the
# places: holds and confirmations treat them like seats (airport_places.py).
PLACE_PREFIX = "@"
REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$")
ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@\[\]/-]{0,127}$")


class PassengerType(StrEnum):
    ADULT = "adult"
    CHILD = "child"
    INFANT = "infant"


class SeatState(StrEnum):
    FREE = "free"
    HELD = "held"
    TAKEN = "taken"


@dataclass(frozen=True)
class FlightSeat:
    """One seat of one flight, as stored (flight_seats)."""

    seat: str
    cabin_class: CabinClass
    row: int
    letter: str
    position: str
    exit_row: bool
    blocked: bool


@dataclass(frozen=True)
class SeatRequest:
    """A passenger asking for a seat, after its input was checked (see `check_seat_requests`)."""

    seat: str
    passenger_ref: str
    passenger_type: PassengerType
    cabin_class: CabinClass

    def to_dict(self) -> dict[str, str]:
        return {
            "seat": self.seat,
            "passenger_ref": self.passenger_ref,
            "passenger_type": self.passenger_type.value,
            "cabin_class": self.cabin_class.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SeatRequest:
        return cls(
            data["seat"], data["passenger_ref"], PassengerType(data["passenger_type"]), CabinClass(data["cabin_class"])
        )


@dataclass(frozen=True)
class Hold:
    hold_id: str
    flight_id: str
    owner: str
    seats: tuple[SeatRequest, ...]
    expires_at: datetime
    created_at: datetime
    not_after: datetime | None = None  # the hold and every extension end by then (the booking's expiry)

    @property
    def labels(self) -> list[str]:
        return [s.seat for s in self.seats]


@dataclass(frozen=True)
class Assignment:
    flight_id: str
    seat: str
    passenger_ref: str
    passenger_type: PassengerType
    cabin_class: CabinClass
    booking_ref: str
    hold_id: str | None
    assigned_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "flight_id": self.flight_id,
            "seat": self.seat,
            "passenger_ref": self.passenger_ref,
            "passenger_type": self.passenger_type.value,
            "cabin_class": self.cabin_class.value,
            "booking_ref": self.booking_ref,
            "hold_id": self.hold_id,
        }


@dataclass(frozen=True)
class CabinAvailability:
    cabin_class: CabinClass
    total: int
    free: int
    held: int
    taken: int


def flight_seats(layout: SeatLayout) -> list[FlightSeat]:
    """A flight's seats from its plane's layout."""
    return [_flight_seat(s) for s in expand_seats(layout)]


def _flight_seat(s: Seat) -> FlightSeat:
    return FlightSeat(s.label, s.cabin_class, s.row, s.letter, s.position.value, s.exit_row, s.blocked)


def seat_label(value: str) -> str:
    """'03a' and '3A' are the same seat."""
    match = SEAT_LABEL.fullmatch(value.strip().upper())
    if not match:
        raise ValidationFailed(f"seat {value!r} must look like 12C", field="seats.seat")
    return f"{int(match.group(1))}{match.group(2)}"


def reference(value: str, field_name: str) -> str:
    value = value.strip()
    if not REF.fullmatch(value):
        raise ValidationFailed(
            f"{field_name} must be 1-64 letters, digits or ._:@- (starting with a letter or digit), got {value!r}",
            field=field_name,
        )
    return value


def account_ref(value: str) -> str:
    """Whom held seats count against: a user id, or "guest:<client address>" (an IPv6 address
    has colons and may be long)."""
    value = value.strip()
    if not ACCOUNT.fullmatch(value):
        raise ValidationFailed(f"account must be 1-128 letters, digits or ._:@-[]/ , got {value!r}", field="account")
    return value


def passenger_type(value: str) -> PassengerType:
    try:
        return PassengerType((value or "adult").strip().lower())
    except ValueError:
        raise ValidationFailed(
            f"passenger_type must be adult, child or infant, got {value!r}", field="seats.passenger_type"
        ) from None


def cabin_class(value: str) -> CabinClass:
    try:
        return CabinClass(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"cabin_class must be vip or normal, got {value!r}", field="seats.cabin_class") from None


def parse_seat_requests(raw: Iterable[tuple[str, str, str, str]], *, allow_auto: bool = False) -> list[SeatRequest]:
    """(seat, passenger_ref, passenger_type, cabin_class) as they arrive -> checked values.
    Checks the input alone; `check_seat_requests` checks it against the flight's seats.

    With `allow_auto`, a request may leave its seat empty (`AUTO`): the service then chooses it
    by the seat rules (`choose_seats`)."""
    out: list[SeatRequest] = []
    for seat, ref, kind, cabin in raw:
        ptype = passenger_type(kind)
        pref = reference(ref, "seats.passenger_ref")
        if ptype is PassengerType.INFANT:
            raise ValidationFailed(
                f"passenger {pref} is an infant: infants sit on an adult's lap and get no seat",
                field="seats.passenger_type",
                passenger_ref=pref,
            )
        label = AUTO if allow_auto and not seat.strip() else seat_label(seat)
        out.append(SeatRequest(label, pref, ptype, cabin_class(cabin)))
    if not out:
        raise ValidationFailed("ask for at least one seat", field="seats")
    if len(out) > MAX_SEATS_PER_HOLD:
        raise ValidationFailed(f"at most {MAX_SEATS_PER_HOLD} seats at once, got {len(out)}", field="seats")
    seen_seats: set[str] = set()
    seen_passengers: set[str] = set()
    for r in out:
        if r.seat != AUTO and r.seat in seen_seats:
            raise ValidationFailed(f"seat {r.seat} is asked for twice", field="seats.seat", seat=r.seat)
        if r.passenger_ref in seen_passengers:
            raise ValidationFailed(
                f"passenger {r.passenger_ref} is given two seats: one seat per passenger",
                field="seats.passenger_ref",
                passenger_ref=r.passenger_ref,
            )
        seen_seats.add(r.seat)
        seen_passengers.add(r.passenger_ref)
    return out


def choose_seats(
    requests: Sequence[SeatRequest], seats: Mapping[str, FlightSeat], unavailable: set[str]
) -> list[SeatRequest]:
    """Seats for the requests whose seat is `AUTO`, by the seat rules, keeping the party together.

    Only free seats (not in `unavailable`: taken or held) of each passenger's cabin that are not
    blocked, and never an exit row for a child. Per cabin, the party's passengers sit in the
    fewest rows that have room for all of them, closest to the front, and side by side in a row
    where they can (letter order, so a family fills 3A, 3B, 3C before 4A). Children are seated
    before adults so an exit seat goes to an adult. Requests with a seat keep it. Raises
    Conflict(`no_seats`) when a cabin has too few suitable seats left.
    """
    chosen = {r.seat for r in requests if r.seat != AUTO}
    out = {r.passenger_ref: r for r in requests if r.seat != AUTO}
    by_cabin: dict[CabinClass, list[SeatRequest]] = {}
    for r in requests:
        if r.seat == AUTO:
            by_cabin.setdefault(r.cabin_class, []).append(r)
    for cabin, party in by_cabin.items():
        free = sorted(
            (
                s
                for s in seats.values()
                if s.cabin_class is cabin and not s.blocked and s.seat not in unavailable and s.seat not in chosen
            ),
            key=lambda s: (s.row, s.letter),
        )
        letters: dict[int, list[str]] = {}
        for seat in sorted(seats.values(), key=lambda s: (s.row, s.letter)):
            if seat.cabin_class is cabin:
                letters.setdefault(seat.row, []).append(seat.letter)
        picked = _seat_block(party, free, letters)
        if picked is None:
            raise Conflict(
                f"the {cabin.value} cabin has no {len(party)} suitable free seats left",
                code="no_seats",
                cabin_class=cabin.value,
            )
        for r, seat in picked:
            out[r.passenger_ref] = replace(r, seat=seat.seat)
            chosen.add(seat.seat)
    return [out[r.passenger_ref] for r in requests]


def _seat_block(
    party: Sequence[SeatRequest], free: Sequence[FlightSeat], letters: Mapping[int, Sequence[str]]
) -> list[tuple[SeatRequest, FlightSeat]] | None:
    """The party on a run of consecutive free seats (in row, letter order) spanning the fewest
    rows, then with the fewest other seats between them in a row, the frontmost among equals;
    children on non-exit seats."""
    n = len(party)
    children = [r for r in party if r.passenger_type is PassengerType.CHILD]
    adults = [r for r in party if r.passenger_type is not PassengerType.CHILD]
    best: list[tuple[SeatRequest, FlightSeat]] | None = None
    best_key: tuple[int, int, int] | None = None
    for start in range(len(free) - n + 1):
        block = free[start : start + n]
        safe = [s for s in block if not s.exit_row]
        if len(safe) < len(children):
            continue
        gaps = sum(
            letters[a.row].index(b.letter) - letters[a.row].index(a.letter) - 1
            for a, b in zip(block, block[1:], strict=False)
            if a.row == b.row
        )
        key = (block[-1].row - block[0].row, gaps, block[0].row)
        if best_key is not None and key >= best_key:
            continue
        kids = safe[: len(children)]
        rest = [s for s in block if s not in kids]
        best, best_key = list(zip(children, kids, strict=True)) + list(zip(adults, rest, strict=True)), key
    if best is None:  # no run fits (exit rows in every one): children on the first safe seats
        kids = [s for s in free if not s.exit_row][: len(children)]
        rest = [s for s in free if s not in kids][: len(adults)]
        if len(kids) == len(children) and len(rest) == len(adults):
            best = list(zip(children, kids, strict=True)) + list(zip(adults, rest, strict=True))
    return best


def check_seat_requests(requests: Sequence[SeatRequest], seats: Mapping[str, FlightSeat]) -> None:
    """The seat rules, against the flight's seats: every seat exists and is not blocked, its
    cabin is the passenger's fare class, and no child sits in an exit row."""
    for r in requests:
        seat = seats.get(r.seat)
        if seat is None:
            raise ValidationFailed(f"seat {r.seat} does not exist on this flight", field="seats.seat", seat=r.seat)
        if seat.blocked:
            raise ValidationFailed(f"seat {r.seat} is blocked and cannot be sold", field="seats.seat", seat=r.seat)
        if seat.cabin_class is not r.cabin_class:
            raise ValidationFailed(
                f"seat {r.seat} is in the {seat.cabin_class.value} cabin but passenger {r.passenger_ref} "
                f"has a {r.cabin_class.value} fare",
                field="seats.cabin_class",
                seat=r.seat,
            )
        if seat.exit_row and r.passenger_type is PassengerType.CHILD:
            raise ValidationFailed(
                f"seat {r.seat} is in an exit row: a child cannot sit there", field="seats.seat", seat=r.seat
            )


def seat_state(label: str, taken: set[str], held: Mapping[str, str]) -> SeatState:
    """PostgreSQL's assignment wins over any hold Redis may still show."""
    if label in taken:
        return SeatState.TAKEN
    if label in held:
        return SeatState.HELD
    return SeatState.FREE


def availability(seats: Iterable[FlightSeat], taken: set[str], held: Mapping[str, str]) -> list[CabinAvailability]:
    """Sellable seats per cabin (blocked excluded), VIP first."""
    counts: dict[CabinClass, list[int]] = {}
    for s in seats:
        if s.blocked:
            continue
        c = counts.setdefault(s.cabin_class, [0, 0, 0, 0])
        c[0] += 1
        c[{SeatState.FREE: 1, SeatState.HELD: 2, SeatState.TAKEN: 3}[seat_state(s.seat, taken, held)]] += 1
    order = list(CabinClass)
    return [CabinAvailability(k, *v) for k, v in sorted(counts.items(), key=lambda kv: order.index(kv[0]))]


def ttl_for(requested: int, default: int, field_name: str = "ttl_seconds") -> int:
    """A request may shorten a hold's time to think, never lengthen it beyond the default."""
    if requested < 0:
        raise ValidationFailed(f"{field_name} must not be negative", field=field_name)
    if requested == 0:
        return default
    return min(requested, default)


def seat_event(kind: str, flight_id: str, seats: Iterable[str], at: datetime, reason: str = "") -> dict[str, Any]:
    """The live seat-map message (Redis channel live:seatmap:<flight>); it never names a holder."""
    state = {"SeatsHeld": SeatState.HELD, "SeatsReleased": SeatState.FREE, "SeatsAssigned": SeatState.TAKEN}[kind]
    message: dict[str, Any] = {
        "type": kind,
        "flight_id": flight_id,
        "seats": sorted(seats, key=seat_order),
        "state": state.value,
        "at": at.isoformat(),
    }
    if reason:
        message["reason"] = reason
    return message


def seat_order(label: str) -> tuple[int, str]:
    """Row, then letter; an overbooking place ("@normal2") after every seat, by its number."""
    if is_place(label):
        return 10_000 + int(label.lstrip("@abcdefghijklmnopqrstuvwxyz") or 0), label
    return int(label[:-1]), label[-1]


def live_channel(flight_id: str) -> str:
    return f"live:seatmap:{flight_id}"


def place_labels(cabin: CabinClass, allowance: int) -> list[str]:
    """The overbooking places of a cabin with `allowance` of them, in the order they are sold."""
    return [f"{PLACE_PREFIX}{cabin.value}{n}" for n in range(1, max(allowance, 0) + 1)]


def is_place(label: str) -> bool:
    """True for an overbooking place's label (not a seat of the seat map)."""
    return label.startswith(PLACE_PREFIX)
