"""Seat layouts: the one definition of "which seats does this plane have" (`parse_layout`,
`expand_seats`, `capacity`); the airport service keeps a plane's layout, the reservation
service builds its seat maps from it. Pure rules, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from airline.platform.errors import ValidationFailed

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
    def from_dict(cls, data: dict[str, Any]) -> SeatLayout:
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
            raise ValidationFailed(f"{where}: seat letter {ch!r} is not one of {SEAT_LETTERS}", field="layout.cabins")
        if ch in seen:
            raise ValidationFailed(
                f"{where}: duplicate seat {first_row}{ch}", field="layout.cabins", seat=f"{first_row}{ch}"
            )
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
        cabins=tuple(checked), exit_rows=tuple(exits), blocked_seats=tuple(sorted(blocked, key=_seat_order))
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
