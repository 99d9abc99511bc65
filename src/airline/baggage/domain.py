"""Baggage rules, pure Python: measures, the allowance and what is charged beyond it, the IATA
licence-plate tag number, and the order a bag may be tracked in."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from airline.platform.errors import Conflict, ValidationFailed

# IATA / most airlines: one checked piece may weigh at most 32 kg (heavier goes as cargo),
# and a piece whose length + width + height exceeds 158 cm is oversize.
MAX_PIECE_GRAMS = 32_000
MAX_DIMENSION_SUM_CM = 300
OVERSIZE_ABOVE_CM = 158


class Status(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    CHECKED_IN = "checked_in"  # accepted at the counter, tag issued
    SCREENED = "screened"
    LOADED = "loaded"
    UNLOADED = "unloaded"
    ON_BELT = "on_belt"
    CLAIMED = "claimed"
    MISHANDLED = "mishandled"
    WITHDRAWN = "withdrawn"  # its booking was cancelled: the bag does not fly (offloaded if loaded)
    REROUTED = "rerouted"  # the airline moved its booking: it flies another flight (offloaded if loaded)


TRACKING = (Status.SCREENED, Status.LOADED, Status.UNLOADED, Status.ON_BELT, Status.CLAIMED, Status.MISHANDLED)

# Where a bag may go next. A mishandled bag that turns up again re-enters the flow where it is
# found; claimed is the end. Loaded again after unloaded covers a transfer or a re-load.
NEXT: dict[Status, frozenset[Status]] = {
    Status.AWAITING_PAYMENT: frozenset(),
    Status.CHECKED_IN: frozenset({Status.SCREENED, Status.MISHANDLED}),
    Status.SCREENED: frozenset({Status.LOADED, Status.MISHANDLED}),
    Status.LOADED: frozenset({Status.UNLOADED, Status.MISHANDLED}),
    Status.UNLOADED: frozenset({Status.ON_BELT, Status.LOADED, Status.MISHANDLED}),
    Status.ON_BELT: frozenset({Status.CLAIMED, Status.MISHANDLED}),
    Status.MISHANDLED: frozenset({Status.SCREENED, Status.LOADED, Status.UNLOADED, Status.ON_BELT}),
    Status.CLAIMED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.REROUTED: frozenset({Status.SCREENED, Status.LOADED, Status.UNLOADED, Status.MISHANDLED}),
}

# What a cancellation of the booking withdraws: every bag not yet back with its owner.
WITHDRAWABLE = frozenset(Status) - {Status.CLAIMED, Status.WITHDRAWN}


def withdrawn_refusal() -> Conflict:
    return Conflict("the bag was withdrawn: its booking was cancelled", code="bag_withdrawn")


def offload_refusal(tag: str) -> Conflict:
    """A bag never flies without its passenger: once its passenger was offloaded it stays off."""
    return Conflict(
        f"bag {tag} belongs to a passenger offloaded at door close: it must not be loaded", code="bag_offloaded"
    )


NOT_LOADED = frozenset({Status.CHECKED_IN, Status.SCREENED, Status.MISHANDLED, Status.REROUTED})

# What a re-accommodation moves to the booking's new flight: every bag still in the airline's
# hands (a bag not yet paid for moves too, silently: it has no tag to track).
REROUTABLE = frozenset(Status) - {Status.CLAIMED, Status.WITHDRAWN, Status.ON_BELT}


def reroute_flight(origin: str, destination: str, joined: list[tuple[str, str, str]]) -> str | None:
    """Which of the flights a moved booking joined (id, origin, destination) a bag of a flight it
    left goes on: the same route, else the same origin (where the bag is), else the same
    destination, else the first."""
    ranked = sorted(joined, key=lambda f: (f[1] != origin, f[2] != destination))  # stable: else in order
    return ranked[0][0] if ranked else None


def status(value: str) -> Status:
    try:
        return Status(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"unknown bag status {value!r}", field="status") from None


def tracking_status(value: str) -> Status:
    s = status(value)
    if s not in TRACKING:
        raise ValidationFailed(f"a tracking event is one of {', '.join(t.value for t in TRACKING)}", field="status")
    return s


def next_status(current: Status, wanted: Status) -> Status:
    """The bag's status after a scan of `wanted`; refuses a scan out of order."""
    if current is Status.WITHDRAWN:
        raise withdrawn_refusal()
    if current is Status.AWAITING_PAYMENT:
        raise Conflict("the bag is not accepted yet: its excess fee is unpaid", code="bag_not_accepted")
    if wanted not in NEXT[current]:
        raise Conflict(f"a bag that is {current.value} cannot be {wanted.value}", code="bag_out_of_order")
    return wanted


def grams(weight_kg: str | Decimal) -> int:
    """Scale readings come as decimal kg; stored as whole grams."""
    try:
        kg = Decimal(str(weight_kg).strip())
    except InvalidOperation:
        raise ValidationFailed("weight_kg must be a decimal number of kilograms", field="weight_kg") from None
    if not kg.is_finite() or kg <= 0:
        raise ValidationFailed("weight_kg must be more than 0", field="weight_kg")
    g = int((kg * 1000).to_integral_value())
    if g <= 0:
        raise ValidationFailed("weight_kg must be at least 1 g", field="weight_kg")
    if g > MAX_PIECE_GRAMS:
        raise ValidationFailed(
            f"one piece may weigh at most {MAX_PIECE_GRAMS // 1000} kg; heavier goes as cargo", field="weight_kg"
        )
    return g


def dimensions(length: int, width: int, height: int) -> tuple[int, int, int]:
    for name, v in (("length_cm", length), ("width_cm", width), ("height_cm", height)):
        if not 1 <= v <= 250:
            raise ValidationFailed(f"{name} must be 1-250 cm", field=name)
    if length + width + height > MAX_DIMENSION_SUM_CM:
        raise ValidationFailed(f"length + width + height may be at most {MAX_DIMENSION_SUM_CM} cm", field="length_cm")
    return length, width, height


@dataclass(frozen=True)
class Allowance:
    """One passenger's on one flight: the fare's pieces of `piece_kg` each, plus what was bought
    while booking (extra pieces of the same weight, and a pool of overweight kilos)."""

    pieces: int
    piece_kg: int
    extra_pieces: int = 0
    overweight_kg: int = 0

    @property
    def total_pieces(self) -> int:
        return self.pieces + self.extra_pieces


@dataclass(frozen=True)
class Rates:
    """Minor units of the booking's currency; the piece and kilo prices are the booking
    service's (what the same excess costs when bought online)."""

    extra_piece: int
    overweight_per_kg: int
    oversize: int


@dataclass(frozen=True)
class Measure:
    grams: int
    dimension_sum_cm: int


@dataclass(frozen=True)
class Charge:
    fee: int
    extra_piece: bool
    overweight_kg: int  # charged kilos (beyond the bought pool)
    oversize: bool

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.extra_piece:
            out.append("extra_piece")
        if self.overweight_kg:
            out.append(f"overweight_{self.overweight_kg}kg")
        if self.oversize:
            out.append("oversize")
        return out


def charges(allowance: Allowance, bags: list[Measure], rates: Rates) -> list[Charge]:
    """What each bag costs beyond the allowance, the bags taken in the order they were dropped:
    the first `total_pieces` are within the piece count; each kilo over `piece_kg` (rounded up)
    first uses the bought overweight pool, then is charged; oversize is charged per bag."""
    pool = allowance.overweight_kg
    out = []
    for i, bag in enumerate(bags):
        extra = i >= allowance.total_pieces
        over = max(0, math.ceil((bag.grams - allowance.piece_kg * 1000) / 1000))
        used = min(pool, over)
        pool -= used
        charged_kg = over - used
        oversize = bag.dimension_sum_cm > OVERSIZE_ABOVE_CM
        fee = (
            (rates.extra_piece if extra else 0)
            + charged_kg * rates.overweight_per_kg
            + (rates.oversize if oversize else 0)
        )
        out.append(Charge(fee, extra, charged_kg, oversize))
    return out


def licence_plate(airline_code: str, serial: int) -> str:
    """The 10-digit IATA licence plate of an airline-issued tag: 0, the 3-digit airline
    accounting code, a 6-digit serial."""
    if not re.fullmatch(r"[0-9]{3}", airline_code):
        raise ValueError("the airline code is 3 digits")
    if not 1 <= serial <= 999_999:
        raise ValueError("the serial is 1-999999")
    return f"0{airline_code}{serial:06d}"


def is_tag(value: str) -> bool:
    return bool(re.fullmatch(r"0[0-9]{9}", value or ""))


def tag(value: str) -> str:
    value = (value or "").strip()
    if not is_tag(value):
        raise ValidationFailed("a bag tag is 10 digits starting with 0", field="tag")
    return value


def location(value: str) -> str:
    """The free part of a place: "X2 hold", "belt 3"."""
    value = " ".join((value or "").split())
    if len(value) > 60 or not value.isprintable():
        raise ValidationFailed("location must be at most 60 printable characters", field="location")
    return value


def place(airport: str, where: str) -> tuple[str, str]:
    airport = (airport or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", airport):
        raise ValidationFailed("airport must be a 3-letter IATA code", field="airport")
    return airport, location(where)


def client_event_id(value: str) -> str:
    value = (value or "").strip()
    if not re.fullmatch(r"[\x21-\x7e]{1,100}", value):
        raise ValidationFailed("event_id (1-100 visible ASCII characters) identifies the scan", field="event_id")
    return value


def name_prefix(value: str) -> str:
    """What a passenger-name search matches: the lower-cased last name's start."""
    value = " ".join((value or "").split()).lower()
    if not 1 <= len(value) <= 60:
        raise ValidationFailed("name must be 1-60 characters", field="name")
    return value
