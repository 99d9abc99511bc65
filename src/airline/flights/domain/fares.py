"""Fares and fare rules: what ops set per route, cabin and passenger type, checked as a batch."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from airline.flights.domain.flight import CabinClass, cabin_class
from airline.flights.domain.values import airport_code
from airline.platform.errors import ValidationFailed

CURRENCY = re.compile(r"^[A-Z]{3}$")


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
        raise ValidationFailed(
            f"passenger_type must be adult, child or infant, got {value!r}", field="passenger_type"
        ) from None


def trip_type(value: str) -> TripType:
    try:
        return TripType(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"trip_type must be one_way or round_trip, got {value!r}", field="trip_type") from None


def currency(value: str) -> str:
    code = value.strip()
    if not CURRENCY.fullmatch(code):
        raise ValidationFailed(
            f"currency must be an ISO 4217 code of 3 upper-case letters like SGD, got {value!r}", field="currency"
        )
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

    def to_dict(self) -> dict[str, str | int]:
        """The fare as a row and as an event's item (enums by value)."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "cabin_class": self.cabin_class.value,
            "passenger_type": self.passenger_type.value,
            "trip_type": self.trip_type.value,
            "amount": self.amount,
            "currency": self.currency,
        }


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
            "origin": self.origin,
            "destination": self.destination,
            "cabin_class": self.cabin_class.value,
            "refundable": self.refundable,
            "change_fee": self.change_fee,
            "currency": self.currency,
            "checked_bags": self.checked_bags,
            "bag_weight_kg": self.bag_weight_kg,
            "no_show_refund": self.no_show_refund,
            "taxes": self.taxes,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FareRules:
        # offers signed before the no-show rule existed carry none: the strictest rule
        return cls(
            d["origin"],
            d["destination"],
            CabinClass(d["cabin_class"]),
            bool(d["refundable"]),
            int(d["change_fee"]),
            d["currency"],
            int(d["checked_bags"]),
            int(d["bag_weight_kg"]),
            str(d.get("no_show_refund", "none")),
            int(d.get("taxes", 0)),
        )


def _route(origin: str, destination: str, where: str) -> tuple[str, str]:
    o, d = airport_code(origin, f"{where}.origin"), airport_code(destination, f"{where}.destination")
    if o == d:
        raise ValidationFailed(f"{where}: origin and destination must differ", field=f"{where}.destination")
    return o, d


def new_fare(
    origin: str, destination: str, cls: str, ptype: str, ttype: str, amount: int, cur: str, where: str = "fare"
) -> Fare:
    o, d = _route(origin, destination, where)
    if not 0 <= amount <= MAX_AMOUNT:
        raise ValidationFailed(
            f"{where}: amount must be 0 to {MAX_AMOUNT} minor units, got {amount}", field=f"{where}.amount"
        )
    return Fare(o, d, cabin_class(cls), passenger_type(ptype), trip_type(ttype), amount, currency(cur))


NO_SHOW_REFUNDS = ("none", "taxes")


def new_rules(
    origin: str,
    destination: str,
    cls: str,
    refundable: bool,
    change_fee: int,
    cur: str,
    bags: int,
    weight: int,
    where: str = "rules",
    no_show_refund: str = "",
    taxes: int = 0,
) -> FareRules:
    o, d = _route(origin, destination, where)
    if not 0 <= change_fee <= MAX_AMOUNT:
        raise ValidationFailed(f"{where}: change_fee must be 0 to {MAX_AMOUNT}", field=f"{where}.change_fee")
    if not 0 <= bags <= 10:
        raise ValidationFailed(f"{where}: checked_bags must be 0 to 10", field=f"{where}.checked_bags")
    if not 0 <= weight <= 50:
        raise ValidationFailed(f"{where}: bag_weight_kg must be 0 to 50", field=f"{where}.bag_weight_kg")
    if bags > 0 and weight == 0:
        raise ValidationFailed(
            f"{where}: bag_weight_kg is required when bags are included", field=f"{where}.bag_weight_kg"
        )
    no_show = (no_show_refund or "none").strip().lower()
    if no_show not in NO_SHOW_REFUNDS:
        raise ValidationFailed(
            f"{where}: no_show_refund must be none or taxes, got {no_show_refund!r}", field=f"{where}.no_show_refund"
        )
    if not 0 <= taxes <= MAX_AMOUNT:
        raise ValidationFailed(
            f"{where}: taxes must be 0 to {MAX_AMOUNT} minor units, got {taxes}", field=f"{where}.taxes"
        )
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
                f"({low}): taxes are part of the fare",
                field="rules.taxes",
            )


def check_fare_batch(fares: Sequence[Fare], rules: Sequence[FareRules]) -> None:
    if not fares and not rules:
        raise ValidationFailed("give at least one fare or fare rule", field="fares")
    seen: set[Any] = set()
    for f in fares:
        if f.key in seen:
            raise ValidationFailed(
                f"the fare {f.origin}-{f.destination} {f.cabin_class.value} {f.passenger_type.value} "
                f"{f.trip_type.value} is given twice",
                field="fares",
            )
        seen.add(f.key)
    for r in rules:
        if r.key in seen:
            raise ValidationFailed(
                f"the rules {r.origin}-{r.destination} {r.cabin_class.value} are given twice", field="rules"
            )
        seen.add(r.key)
    check_route_currencies(
        [(f.origin, f.destination, f.currency) for f in fares] + [(r.origin, r.destination, r.currency) for r in rules]
    )


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
