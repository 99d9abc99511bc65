"""Search keeps the cheapest offers without pricing every one: the same list, in the same order,
as pricing every flight (one way) or every outbound with every return (round trip) and sorting."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from airline.flights import domain
from airline.flights.domain import CabinClass, CabinSeats, Fare, Flight, PassengerType, TripType, search_query
from airline.flights.domain.buckets import Bucket
from airline.flights.domain.taxes import Tax
from airline.flights.fares import price_every
from airline.flights.pricing import Pricing
from tests.support.flights_domain import T0, M, flight

A, C, INF = PassengerType.ADULT, PassengerType.CHILD, PassengerType.INFANT
NOW = T0 - timedelta(days=30)


def leg(i: int, back: bool, depart_minutes: int, block_minutes: int) -> Flight:
    origin, destination = ("AOR", "XSP") if back else ("XSP", "AOR")
    dep = T0 + depart_minutes * M
    return replace(
        flight(),
        id=f"{'r' if back else 'o'}{i}",
        number=f"XA{200 + i}",
        origin=origin,
        destination=destination,
        scheduled_departure=dep,
        estimated_departure=dep,
        scheduled_arrival=dep + block_minutes * M,
        estimated_arrival=dep + block_minutes * M,
        seats=(CabinSeats(CabinClass.NORMAL, 150, 0),),
    )


def route_fares(amount: int, currency: str, o: str, d: str) -> dict[PassengerType, Fare]:
    return {
        t: Fare(o, d, CabinClass.NORMAL, t, TripType.ROUND_TRIP, amount * share // 100, currency)
        for t, share in ((A, 100), (C, 75), (INF, 10))
    }


K = 20


def brute(pricing: Pricing, outbound: list[Flight], returns: list[Flight], k: int = K) -> list[tuple[list[str], int]]:
    every = price_every(pricing, domain.combine_round_trips(outbound, returns))[:k]
    return [([f.id for f in combo], p.price.price.total) for combo, p in every]


# a flight: departure (minutes after T0, coarse so that ties happen), block time, its cabin's
# ladder (None: the route's fares price it) as (adult amount, seats, currency)
FLIGHTS = st.lists(
    st.tuples(
        st.integers(0, 40).map(lambda x: x * 60),
        st.sampled_from([60, 90, 150]),
        st.none()
        | st.tuples(
            st.sampled_from([9000, 12000, 12000, 30000]), st.integers(0, 4), st.sampled_from(["SGD", "SGD", "MYR"])
        ),
    ),
    min_size=0,
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    outs=FLIGHTS,
    rets=FLIGHTS,
    pax=st.sampled_from([(1, 0, 0), (2, 1, 0), (1, 0, 1), (3, 2, 1)]),
    back_fare=st.none() | st.sampled_from([(8000, "SGD"), (8000, "MYR")]),
    tax_currency=st.sampled_from(["SGD", "SGD", "MYR"]),
    k=st.sampled_from([1, 3, 20]),
)
def test_the_cheapest_round_trips_are_those_of_pricing_every_pair(
    outs: list[tuple[int, int, tuple[int, int, str] | None]],
    rets: list[tuple[int, int, tuple[int, int, str] | None]],
    pax: tuple[int, int, int],
    back_fare: tuple[int, str] | None,
    tax_currency: str,
    k: int,
) -> None:
    q = search_query("XSP", "AOR", "2027-03-01", 0, *pax, "normal", "round_trip", "2027-03-02")
    outbound = [leg(i, False, dep, block) for i, (dep, block, _) in enumerate(outs)]
    returns = [leg(i, True, dep + 120, block) for i, (dep, block, _) in enumerate(rets)]
    ladders = {}
    for f, (_, _, ladder) in zip([*outbound, *returns], [*outs, *rets]):
        if ladder is not None:
            amount, seats, currency = ladder
            ladders[(f.id, "normal")] = [
                Bucket("Y", amount * 2, amount * 3 // 2, amount // 5, currency, 150),
                Bucket("Q", amount, amount * 3 // 4, amount // 10, currency, seats),
            ]
    fares = {("XSP", "AOR"): route_fares(15000, "SGD", "XSP", "AOR")}
    if back_fare is not None:
        fares[("AOR", "XSP")] = route_fares(*back_fare, "AOR", "XSP")
    taxes = [
        Tax("XSP", A, "SG", "Passenger service charge", 6500, tax_currency),
        Tax("AOR", C, "MY", "Levy", 300, "SGD"),
    ]
    pricing = Pricing(q, fares, ladders, {}, taxes, NOW)

    fast = pricing.cheapest_round_trips(outbound, returns, k)
    one_way = pricing.cheapest_one_way(outbound, k)

    assert fast is not None
    assert [([f.id for f in combo], p.price.price.total) for combo, p in fast] == brute(pricing, outbound, returns, k)
    assert one_way is not None
    every = price_every(pricing, [(f,) for f in outbound])[:k]
    assert [(c[0].id, p.price.price.total) for c, p in one_way] == [(c[0].id, p.price.price.total) for c, p in every]


def test_a_large_schedule_prices_only_the_pairs_it_keeps() -> None:
    q = search_query("XSP", "AOR", "2027-03-01", 3, 2, 0, 0, "normal", "round_trip", "2027-03-04")
    outbound = [leg(i, False, i * 37, 90) for i in range(120)]
    returns = [leg(i, True, 4000 + i * 41, 90) for i in range(120)]
    ladders = {
        (f.id, "normal"): [Bucket("Y", 20000 + (i * 7919) % 5000, 15000, 2000, "SGD", 150)]
        for i, f in enumerate([*outbound, *returns])
    }
    pricing = Pricing(q, {}, ladders, {}, [], NOW)
    calls = 0
    price = pricing.price

    def counted(combo: tuple[Flight, ...]) -> object:
        nonlocal calls
        calls += 1
        return price(combo)

    pricing.price = counted  # type: ignore[method-assign,assignment]
    fast = pricing.cheapest_round_trips(outbound, returns, K)

    assert fast is not None and len(fast) == K
    assert calls == K  # not 120 x 120
    pricing.price = price  # type: ignore[method-assign]
    assert [([f.id for f in c], p.price.price.total) for c, p in fast] == brute(pricing, outbound, returns)


def test_legs_on_more_than_one_route_are_left_to_pricing_every_pair() -> None:
    q = search_query("XSP", "AOR", "2027-03-01", 0, 1, 0, 0, "normal", "round_trip", "2027-03-02")
    fares = {r: route_fares(10000, "SGD", *r) for r in (("XSP", "AOR"), ("AOR", "XSP"), ("BKK", "XSP"))}
    pricing = Pricing(q, fares, {}, {}, [], NOW)
    returns = [leg(0, True, 600, 90), replace(leg(1, True, 700, 90), origin="BKK")]
    assert pricing.cheapest_round_trips([leg(0, False, 0, 90)], returns, K) is None
    assert pricing.cheapest_round_trips([leg(0, False, 0, 90)], returns[:1], K) is not None
