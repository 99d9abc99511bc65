"""Taxes and fees per airport and passenger type, pure: what ops set, and the lines an offer adds
on top of its base fares.

A tax applies to every leg that departs from (or, `applies_on` "arrival", arrives at) its
airport, once per travelling passenger of its type. The offer keeps its base fare per passenger
type and each tax as a line of its own; the total is their sum. Taxes are charged in the fare's
currency: a tax in another currency makes the combination unpriced (as fares in two currencies
do), so ops set an airport's taxes in the currency of the routes that leave it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from airline.flights.domain.fares import MAX_AMOUNT, PassengerType, currency, passenger_type
from airline.flights.domain.search import Price, PriceLine, TaxLine
from airline.flights.domain.values import airport_code
from airline.platform.errors import ValidationFailed

TAX_CODE = re.compile(r"^[A-Z0-9]{2,3}$")
APPLIES_ON = ("departure", "arrival")
MAX_TAXES = 500


@dataclass(frozen=True)
class Tax:
    airport: str
    passenger_type: PassengerType
    code: str  # e.g. "SG" (the airport's passenger service charge), "YQ" (a carrier fee)
    name: str
    amount: int  # per passenger per leg, minor units
    currency: str
    applies_on: str = "departure"

    @property
    def key(self) -> tuple[str, PassengerType, str, str]:
        return (self.airport, self.passenger_type, self.code, self.applies_on)


def new_tax(
    airport: str, ptype: str, code: str, name: str, amount: int, cur: str, applies_on: str, where: str = "tax"
) -> Tax:
    c = code.strip().upper()
    if not TAX_CODE.fullmatch(c):
        raise ValidationFailed(f"{where}: code must be 2-3 letters or digits, got {code!r}", field=f"{where}.code")
    label = " ".join(name.split())
    if not 1 <= len(label) <= 80:
        raise ValidationFailed(f"{where}: name must be 1-80 characters", field=f"{where}.name")
    if not 0 <= amount <= MAX_AMOUNT:
        raise ValidationFailed(f"{where}: amount must be 0 to {MAX_AMOUNT} minor units", field=f"{where}.amount")
    on = (applies_on or "departure").strip().lower()
    if on not in APPLIES_ON:
        raise ValidationFailed(
            f"{where}: applies_on must be departure or arrival, got {applies_on!r}", field=f"{where}.applies_on"
        )
    return Tax(airport_code(airport, f"{where}.airport"), passenger_type(ptype), c, label, amount, currency(cur), on)


def check_tax_batch(taxes: Sequence[Tax]) -> None:
    if len(taxes) > MAX_TAXES:
        raise ValidationFailed(f"at most {MAX_TAXES} taxes per request", field="taxes")
    seen: set[tuple[str, PassengerType, str, str]] = set()
    for t in taxes:
        if t.key in seen:
            raise ValidationFailed(
                f"the tax {t.code} of {t.airport} for {t.passenger_type.value} on {t.applies_on} is given twice",
                field="taxes",
            )
        seen.add(t.key)


def tax_lines(
    legs: Iterable[tuple[str, str]], counts: Iterable[tuple[PassengerType, int]], taxes: Iterable[Tax]
) -> list[TaxLine]:
    """The tax lines of an itinerary (legs as (origin, destination)) for the travelling party,
    one per tax, airport and passenger type (a tax met on two legs counts twice)."""
    travelling = dict(counts)
    by_airport: dict[tuple[str, str], list[Tax]] = {}
    for t in taxes:
        by_airport.setdefault((t.airport, t.applies_on), []).append(t)
    lines: dict[tuple[str, str, PassengerType, int], TaxLine] = {}
    for origin, destination in legs:
        for t in [*by_airport.get((origin, "departure"), []), *by_airport.get((destination, "arrival"), [])]:
            n = travelling.get(t.passenger_type, 0)
            if n <= 0:
                continue
            k = (t.code, t.airport, t.passenger_type, t.amount)
            was = lines.get(k)
            count = n + (was.count if was else 0)
            lines[k] = TaxLine(t.code, t.name, t.airport, t.passenger_type, count, t.amount, t.amount * count)
    return sorted(lines.values(), key=lambda x: (x.airport, x.code, x.passenger_type.value))


@dataclass(frozen=True)
class TaxedPrice:
    """What an offer charges: `price.lines` per passenger type all in (fare and taxes: what
    each passenger pays), `fare_lines` the base fares alone, `taxes` each tax on its own line;
    price.total = sum(fare_lines) + sum(taxes) = sum(price.lines)."""

    price: Price
    fare_lines: tuple[PriceLine, ...]
    taxes: tuple[TaxLine, ...]


def with_taxes(base: Price, lines: Sequence[TaxLine], tax_currencies: Iterable[str]) -> TaxedPrice | None:
    """None when a tax is in another currency than the fares."""
    if any(c != base.currency for c in tax_currencies):
        return None
    per_pax: dict[PassengerType, int] = {}
    for t in lines:
        per_pax[t.passenger_type] = per_pax.get(t.passenger_type, 0) + t.amount
    all_in = []
    for line in base.lines:
        extra = per_pax.get(line.passenger_type, 0)
        # a passenger's taxes over all legs; count > 0 always (a priced line has travellers)
        unit = line.unit_amount + extra // line.count
        all_in.append(replace(line, unit_amount=unit, amount=line.amount + extra))
    total = base.total + sum(t.amount for t in lines)
    return TaxedPrice(Price(tuple(all_in), total, base.currency), base.lines, tuple(lines))
