"""How search prices a combination of flights: each flight at the cheapest open booking class
(bucket) of its cabin with seats for the party (the seats live drafts claimed are taken), or at
the route's fares when the cabin has no buckets; then the taxes of the airports on their own lines. Pure: the search use case reads
what it needs and hands it over."""

from __future__ import annotations

from bisect import insort
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from airline.flights import domain
from airline.flights.domain import Fare, Flight, PassengerType, SearchQuery
from airline.flights.domain.buckets import Bucket, ladder_state, selling_bucket
from airline.flights.domain.search import MIN_RETURN_GAP, LegFare
from airline.flights.domain.taxes import Tax, TaxedPrice, tax_lines, with_taxes

C = TypeVar("C", bound=tuple[Flight, ...])


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

    def leg_cost(self, f: Flight) -> tuple[str, int] | None:
        """(currency, what the whole party pays for this flight before taxes); None: no priced
        combination can hold it (no selling booking class, a travelling type without a fare, or
        fares in two currencies). A combination's base total is the sum of its legs' costs."""
        leg = self.leg(f)
        if leg is None:
            return None
        fares = leg[1]
        currencies: set[str] = set()
        amount = 0
        for t, n in self.q.passengers.counts():
            fare = fares.get(t)
            if fare is None:
                return None
            currencies.add(fare.currency)
            amount += fare.amount * n
        return (currencies.pop(), amount) if len(currencies) == 1 else None

    def _tax_currencies(self, routes: Sequence[tuple[str, str]]) -> tuple[list[Tax], set[str]]:
        """The taxes met on these legs and the currencies of those the party pays."""
        origins, destinations = {o for o, _ in routes}, {d for _, d in routes}
        applied = [
            t
            for t in self.taxes
            if (t.applies_on == "departure" and t.airport in origins)
            or (t.applies_on == "arrival" and t.airport in destinations)
        ]
        travelling = {t for t, _ in self.q.passengers.counts()}
        return applied, {t.currency for t in applied if t.passenger_type in travelling}

    def price(self, combo: Sequence[Flight]) -> PricedCombo | None:
        legs = [self.leg(f) for f in combo]
        if any(leg is None for leg in legs):
            return None
        chosen = [leg for leg in legs if leg is not None]
        base = domain.price([fares for _, fares in chosen], self.q.passengers)
        if base is None:
            return None
        routes = [(f.origin, f.destination) for f in combo]
        applied, currencies = self._tax_currencies(routes)
        counts = self.q.passengers.counts()
        lines = tax_lines(routes, counts, applied)
        taxed = with_taxes(base, lines, currencies)
        if taxed is None:
            return None
        leg_fares = tuple(
            LegFare(f.id, code, tuple((t, fares[t].amount) for t, _ in counts if t in fares))
            for f, (code, fares) in zip(combo, chosen)
        )
        return PricedCombo(taxed, leg_fares)

    def cheapest_round_trips(
        self, outbound: Sequence[Flight], returns: Sequence[Flight], k: int
    ) -> list[tuple[tuple[Flight, Flight], PricedCombo]] | None:
        """The first k of every pair `domain.combine_round_trips` gives, priced and sorted by
        (total, outbound departure, return departure), ties in that function's order: the same
        list as pricing every pair and sorting, without pricing every pair.

        Every outbound shares one route and every return the other, so the taxes are the same
        for every pair and a pair's total is its legs' costs plus that constant. For each
        outbound only its k cheapest returns that leave late enough can be among the first k:
        a sweep over the outbounds by arrival, latest first, keeps those k while the returns it
        may pair with grow. Work: (outbounds + returns) x log + outbounds x k, not outbounds x
        returns. None when the legs do not share their routes (the caller prices every pair)."""
        if k <= 0 or not outbound or not returns:
            return []
        routes = {(f.origin, f.destination) for f in outbound}, {(f.origin, f.destination) for f in returns}
        if len(routes[0]) != 1 or len(routes[1]) != 1:
            return None
        _, tax_currencies = self._tax_currencies([*routes[0], *routes[1]])
        by_currency: dict[str, tuple[list[tuple[int, Flight, int]], list[tuple[int, datetime, int]]]] = {}
        for i, f in enumerate(outbound):
            if (cost := self.leg_cost(f)) is not None:
                by_currency.setdefault(cost[0], ([], []))[0].append((cost[1], f, i))
        for j, f in enumerate(returns):
            if (cost := self.leg_cost(f)) is not None:
                by_currency.setdefault(cost[0], ([], []))[1].append((cost[1], f.estimated_departure, j))
        # (base total, outbound departure, return departure, outbound index, return index)
        candidates: list[tuple[int, datetime, datetime, int, int]] = []
        for currency, (outs, rets) in by_currency.items():
            if tax_currencies - {currency}:
                continue  # a tax in another currency than the fares: no pair of them is priced
            outs.sort(key=lambda o: o[1].estimated_arrival, reverse=True)
            rets.sort(key=lambda r: r[1], reverse=True)
            best: list[tuple[int, datetime, int]] = []  # the k cheapest returns open to this outbound
            n = 0
            for amount, o, i in outs:
                earliest = o.estimated_arrival + MIN_RETURN_GAP
                while n < len(rets) and rets[n][1] >= earliest:
                    insort(best, rets[n])
                    if len(best) > k:
                        best.pop()
                    n += 1
                candidates.extend((amount + r_amount, o.estimated_departure, dep, i, j) for r_amount, dep, j in best)
        candidates.sort()
        kept = candidates[:k]
        return self._priced_in_order([(outbound[i], returns[j]) for _, _, _, i, j in kept], [c[0] for c in kept])

    def cheapest_one_way(self, flights: Sequence[Flight], k: int) -> list[tuple[tuple[Flight], PricedCombo]] | None:
        """The first k of the flights priced and sorted by (total, departure), ties in the
        given order, pricing only those k in full: the flights share one route, so the taxes
        are the same for each and a flight's total is its cost plus that constant. None when
        they do not share their route (the caller prices every flight)."""
        if k <= 0 or not flights:
            return []
        if len({(f.origin, f.destination) for f in flights}) != 1:
            return None
        _, tax_currencies = self._tax_currencies([(flights[0].origin, flights[0].destination)])
        candidates = [
            (cost[1], f.estimated_departure, i)
            for i, f in enumerate(flights)
            if (cost := self.leg_cost(f)) is not None and not tax_currencies - {cost[0]}
        ]
        candidates.sort()
        kept = candidates[:k]
        return self._priced_in_order([(flights[i],) for _, _, i in kept], [c[0] for c in kept])

    def _priced_in_order(self, combos: Sequence[C], bases: Sequence[int]) -> list[tuple[C, PricedCombo]] | None:
        """The combinations priced in full, in the order given. None (the caller prices every
        combination instead) when one has no price or their totals are not their legs' costs
        plus one same constant: the shortcut's premise no longer holds."""
        out: list[tuple[C, PricedCombo]] = []
        added: set[int] = set()
        for combo, base in zip(combos, bases, strict=True):
            p = self.price(combo)
            if p is None:
                return None
            added.add(p.price.price.total - base)
            out.append((combo, p))
        return out if len(added) <= 1 else None
