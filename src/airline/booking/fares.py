"""What a leg's fare allows and what it costs, pure: the luggage allowance and the price of
extra bags, the refund of a cancellation by the fare rules, and the no-show rule. The Booking
aggregate (domain.py) applies them. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
