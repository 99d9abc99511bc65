"""How search prices a combination of flights: each flight at the cheapest open booking class
(bucket) of its cabin with seats for the party (the seats live drafts claimed are taken), or at
the route's fares when the cabin has no buckets; then the taxes of the airports on their own lines. Pure: the search use case reads
what it needs and hands it over."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from airline.flights import domain
from airline.flights.domain import Fare, Flight, PassengerType, SearchQuery
from airline.flights.domain.buckets import Bucket, ladder_state, selling_bucket
from airline.flights.domain.search import LegFare
from airline.flights.domain.taxes import Tax, TaxedPrice, tax_lines, with_taxes


@dataclass(frozen=True)
class PricedCombo:
    price: TaxedPrice
    legs: tuple[LegFare, ...]


class Pricing:
    def __init__(
        self,
        q: SearchQuery,
        route_fares: Mapping[tuple[str, str], Mapping[PassengerType, Fare]],
        ladders: Mapping[tuple[str, str], Sequence[Bucket]],
        sold: Mapping[tuple[str, str], Mapping[str, int]],
        taxes: Sequence[Tax],
        now: datetime,
        claimed: Mapping[tuple[str, str], Mapping[str, int]] | None = None,
    ) -> None:
        self.q = q
        self.route_fares = route_fares
        self.ladders = ladders
        self.sold = sold
        self.claimed = claimed or {}
        self.taxes = taxes
        self.now = now
        self._legs: dict[str, tuple[str, Mapping[PassengerType, Fare]] | None] = {}

    def leg(self, f: Flight) -> tuple[str, Mapping[PassengerType, Fare]] | None:
        """(bucket code, fare per passenger type) of one flight; None: its buckets are all
        closed or sold out for this party."""
        if f.id not in self._legs:
            self._legs[f.id] = self._leg(f)
        return self._legs[f.id]

    def _leg(self, f: Flight) -> tuple[str, Mapping[PassengerType, Fare]] | None:
        cls = self.q.cabin_class
        ladder = self.ladders.get((f.id, cls.value))
        cabin = f.cabin(cls)
        if not ladder or cabin is None:
            return "", self.route_fares.get((f.origin, f.destination), {})
        states = ladder_state(
            ladder,
            self.sold.get((f.id, cls.value), {}),
            cabin.capacity,
            cabin.sold,
            cabin.left,
            f.estimated_departure,
            self.now,
            self.claimed.get((f.id, cls.value), {}),
        )
        b = selling_bucket(states, self.q.passengers.seated)
        if b is None:
            return None
        return b.code, {
            t: Fare(f.origin, f.destination, cls, t, self.q.trip_type, b.amount(t), b.currency) for t in PassengerType
        }

    def price(self, combo: Sequence[Flight]) -> PricedCombo | None:
        legs = [self.leg(f) for f in combo]
        if any(leg is None for leg in legs):
            return None
        chosen = [leg for leg in legs if leg is not None]
        base = domain.price([fares for _, fares in chosen], self.q.passengers)
        if base is None:
            return None
        routes = [(f.origin, f.destination) for f in combo]
        applied = [
            t
            for t in self.taxes
            if (t.applies_on == "departure" and t.airport in {o for o, _ in routes})
            or (t.applies_on == "arrival" and t.airport in {d for _, d in routes})
        ]
        counts = self.q.passengers.counts()
        lines = tax_lines(routes, counts, applied)
        travelling = {t for t, _ in counts}
        taxed = with_taxes(base, lines, {t.currency for t in applied if t.passenger_type in travelling})
        if taxed is None:
            return None
        leg_fares = tuple(
            LegFare(f.id, code, tuple((t, fares[t].amount) for t, _ in counts if t in fares))
            for f, (code, fares) in zip(combo, chosen)
        )
        return PricedCombo(taxed, leg_fares)
