"""What a leg's fare allows and what it costs, pure: the luggage allowance and the price of
extra bags, the refund of a cancellation by the fare rules, and the no-show rule. The Booking
aggregate (domain.py) applies them. No I/O."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from airline.booking.passengers import PassengerType
from airline.platform.errors import ValidationFailed

# --- luggage --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BagPrices:
    per_piece: int
    per_overweight_kg: int
    max_pieces: int
    max_overweight_kg: int


def included_pieces(ptype: PassengerType, fare_pieces: int) -> int:
    """The fare's allowance per passenger; an infant gets none (fare rules)."""
    return 0 if ptype is PassengerType.INFANT else max(0, fare_pieces)


def bag_fee(extra_pieces: int, overweight_kg: int, prices: BagPrices) -> int:
    if not 0 <= extra_pieces <= prices.max_pieces:
        raise ValidationFailed(f"extra_pieces must be 0-{prices.max_pieces}", field="bags.extra_pieces")
    if not 0 <= overweight_kg <= prices.max_overweight_kg:
        raise ValidationFailed(f"overweight_kg must be 0-{prices.max_overweight_kg}", field="bags.overweight_kg")
    return extra_pieces * prices.per_piece + overweight_kg * prices.per_overweight_kg


# --- money ----------------------------------------------------------------------------------


def refund_amount(paid: int, refundable: Iterable[tuple[bool, int]], flight_cancelled: bool) -> int:
    """What a cancellation gives back, per the fare rules of each leg ((refundable, change_fee)).

    A flight the airline cancelled: everything. Otherwise, a booking whose legs are all
    refundable gets what was paid minus the change fees of its legs (never below 0); any
    non-refundable leg makes the whole booking non-refundable (the taxes are part of the fare
    here, so nothing is given back)."""
    if flight_cancelled:
        return paid
    legs = list(refundable)
    if not legs or not all(r for r, _ in legs):
        return 0
    return max(0, paid - sum(fee for _, fee in legs))


NO_SHOW_TAXES = "taxes"


def no_show_refund(legs: Iterable[tuple[str, int]], passengers: int, paid: int) -> int:
    """What a cancellation after departure (a no-show) gives back, per the no-show rule each
    leg's fare carried when it was booked ((no_show_refund, taxes per passenger)): "taxes"
    gives back that leg's taxes for every passenger, anything else nothing. Never the
    refundable fare, never more than was paid."""
    total = sum(taxes * passengers for rule, taxes in legs if rule.strip().lower() == NO_SHOW_TAXES and taxes > 0)
    return max(0, min(paid, total))


@dataclass(frozen=True)
class FareRules:
    """What a leg's fare allows, as it was when booked."""

    checked_bags: int
    bag_weight_kg: int
    refundable: bool
    change_fee: int
    no_show_refund: str = ""  # "taxes" (give back the taxes) or "" (nothing)
    taxes: int = 0  # per passenger


def cancellation_refund(
    paid: int, legs: Sequence[FareRules], passengers: int, flight_cancelled: bool, no_show: bool
) -> int:
    """The refund of cancelling a confirmed booking: a no-show by its no-show rule, else by the
    fare rules (a flight the airline cancelled: everything)."""
    if no_show and not flight_cancelled:
        return no_show_refund([(leg.no_show_refund, leg.taxes) for leg in legs], passengers, paid)
    return refund_amount(paid, [(leg.refundable, leg.change_fee) for leg in legs], flight_cancelled)


# --- the offer a booking was made from -------------------------------------------------------


def offer_claims(offer_id: str) -> dict[str, Any]:
    """The claims of the offer id a booking keeps (flights signed it and checked it when the
    booking was created; read here without the key). {} when it cannot be read."""
    parts = offer_id.strip().split(".")
    if len(parts) != 3:
        return {}
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw)
    except (ValueError, binascii.Error):
        return {}
    return claims if isinstance(claims, dict) else {}


@dataclass(frozen=True)
class TaxLine:
    code: str
    name: str
    airport: str
    passenger_type: str
    count: int
    amount: int


def offer_taxes(offer_id: str, fare_total: int) -> list[TaxLine]:
    """The taxes and fees flights priced into the booking's fare, each on its own line (the
    offer's `taxes` claim). None unless the offer's total is the fare paid (a booking whose fare
    moved since shows its fare whole)."""
    claims = offer_claims(offer_id)
    lines: list[TaxLine] = []
    try:
        if int(claims.get("total", -1)) != fare_total:
            return []
        for code, name, airport, ptype, count, _unit, amount in claims.get("taxes") or ():
            lines.append(TaxLine(str(code), str(name), str(airport), str(ptype), int(count), int(amount)))
    except (ValueError, TypeError):
        return []
    if sum(t.amount for t in lines) > fare_total or any(t.amount < 0 for t in lines):
        return []
    return lines
