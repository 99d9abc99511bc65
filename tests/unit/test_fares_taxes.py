"""Taxes and fees per airport and passenger type: the lines an offer adds and a total that is
their sum with the base fares; an offer's claims carry them back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.flights.domain import (
    CabinClass,
    CabinSeats,
    Fare,
    PassengerType,
    Price,
    PriceLine,
    TripType,
    offer_from_claims,
    search_query,
)
from airline.flights.domain.buckets import Bucket
from airline.flights.domain.search import LegFare, Passengers, TaxLine
from airline.flights.domain.taxes import Tax, check_tax_batch, new_tax, tax_lines, with_taxes
from airline.flights.pricing import Pricing
from airline.platform.errors import ValidationFailed
from tests.support.flights_domain import T0, flight

A, C, INF = PassengerType.ADULT, PassengerType.CHILD, PassengerType.INFANT


def taxes() -> list[Tax]:
    return [
        Tax("XSP", A, "SG", "Passenger service charge", 6500, "SGD"),
        Tax("XSP", C, "SG", "Passenger service charge", 3200, "SGD"),
        Tax("XSP", A, "OP", "Aviation levy", 800, "SGD"),
        Tax("BKK", A, "TS", "Passenger service charge", 4000, "SGD"),
        Tax("BKK", A, "E7", "Arrival fee", 500, "SGD", "arrival"),
    ]


def test_a_round_trip_gets_each_airports_taxes_per_passenger_type() -> None:
    lines = tax_lines([("XSP", "BKK"), ("BKK", "XSP")], [(A, 2), (C, 1)], taxes())
    got = {(t.airport, t.code, t.passenger_type): (t.count, t.unit_amount, t.amount) for t in lines}
    assert got == {
        ("XSP", "SG", A): (2, 6500, 13000),
        ("XSP", "SG", C): (1, 3200, 3200),
        ("XSP", "OP", A): (2, 800, 1600),
        ("BKK", "TS", A): (2, 4000, 8000),
        ("BKK", "E7", A): (2, 500, 1000),  # arriving at BKK on the outbound
    }


def test_the_total_is_the_base_fares_plus_every_tax_line_and_each_passenger_line_is_all_in() -> None:
    base = Price((PriceLine(A, 2, 20000, 40000), PriceLine(C, 1, 15000, 15000)), 55000, "SGD")
    lines = tax_lines([("XSP", "BKK")], [(A, 2), (C, 1)], taxes())
    taxed = with_taxes(base, lines, {"SGD"})
    assert taxed is not None
    assert taxed.price.total == sum(x.amount for x in taxed.fare_lines) + sum(t.amount for t in taxed.taxes)
    assert taxed.price.total == sum(x.amount for x in taxed.price.lines)
    assert taxed.price.lines[0].unit_amount == 20000 + 6500 + 800 + 500
    assert taxed.price.lines[1].unit_amount == 15000 + 3200
    assert with_taxes(base, lines, {"SGD", "THB"}) is None  # a tax in another currency: unpriced


@given(
    st.integers(1, 4),
    st.integers(0, 3),
    st.lists(st.integers(0, 20000), min_size=3, max_size=3),
    st.lists(st.integers(0, 9000), min_size=5, max_size=5),
)
def test_offer_total_equals_the_sum_of_its_lines(
    adults: int, children: int, fares: list[int], amounts: list[int]
) -> None:
    counts = [(A, adults), (C, children)] if children else [(A, adults)]
    base_lines = tuple(PriceLine(t, n, fares[i], fares[i] * n) for i, (t, n) in enumerate(counts))
    base = Price(base_lines, sum(x.amount for x in base_lines), "SGD")
    tx = [
        Tax(t.airport, t.passenger_type, t.code, t.name, amounts[i], "SGD", t.applies_on) for i, t in enumerate(taxes())
    ]
    lines = tax_lines([("XSP", "BKK"), ("BKK", "XSP")], counts, tx)
    taxed = with_taxes(base, lines, {"SGD"})
    assert taxed is not None
    assert taxed.price.total == sum(x.amount for x in base_lines) + sum(t.amount for t in lines)
    assert taxed.price.total == sum(x.amount for x in taxed.price.lines)


def test_taxes_are_checked() -> None:
    t = new_tax("xsp", "ADULT", "sg", " Passenger  service charge ", 6500, "SGD", "")
    assert (t.airport, t.passenger_type, t.code, t.name, t.applies_on) == (
        "XSP",
        A,
        "SG",
        "Passenger service charge",
        "departure",
    )
    with pytest.raises(ValidationFailed, match="applies_on"):
        new_tax("XSP", "adult", "SG", "x", 1, "SGD", "transit")
    with pytest.raises(ValidationFailed, match="code"):
        new_tax("XSP", "adult", "S", "x", 1, "SGD", "departure")
    with pytest.raises(ValidationFailed, match="twice"):
        check_tax_batch([t, t])


def test_an_offers_claims_carry_the_tax_lines_and_each_flights_bucket() -> None:
    claims = {
        "flights": ["f1"],
        "pax": [2, 0, 1],
        "cabin_class": "normal",
        "trip_type": "one_way",
        "breakdown": [["adult", 2, 27300, 54600], ["infant", 1, 2000, 2000]],
        "fare_lines": [["adult", 2, 20000, 40000], ["infant", 1, 2000, 2000]],
        "taxes": [["SG", "Passenger service charge", "XSP", "adult", 2, 7300, 14600]],
        "legs": [["f1", "Q", {"adult": 20000, "infant": 2000}]],
        "total": 56600,
        "currency": "SGD",
        "rules": [],
        "exp": int(datetime(2026, 12, 1, tzinfo=UTC).timestamp()),
    }
    o = offer_from_claims(claims)
    assert o.taxes == (TaxLine("SG", "Passenger service charge", "XSP", A, 2, 7300, 14600),)
    assert o.bucket("f1") == "Q" and o.bucket("f2") == ""
    assert o.legs == (LegFare("f1", "Q", ((A, 20000), (INF, 2000))),)
    assert o.legs[0].revenue(Passengers(2, 0, 1)) == 42000
    old = {k: v for k, v in claims.items() if k not in ("fare_lines", "taxes", "legs")}
    assert offer_from_claims(old).fare_lines == offer_from_claims(old).price.lines  # an offer from before taxes


def test_a_round_trip_prices_each_leg_at_its_own_bucket_or_route_fare_and_adds_each_airports_taxes() -> None:
    out = flight()
    back = replace(
        flight(),
        id="f2",
        number="XA102",
        origin="AOR",
        destination="XSP",
        estimated_departure=T0 + timedelta(days=3),
        seats=(CabinSeats(CabinClass.NORMAL, 150, 0),),
    )
    q = search_query("XSP", "AOR", "2027-03-01", 0, 2, 1, 0, "normal", "round_trip", "2027-03-04")
    route = {
        ("AOR", "XSP"): {
            t: Fare("AOR", "XSP", CabinClass.NORMAL, t, TripType.ROUND_TRIP, amount, "SGD")
            for t, amount in ((A, 9000), (C, 7000), (INF, 900))
        }
    }
    ladder = [Bucket("Y", 30000, 22000, 3000, "SGD", 150), Bucket("Q", 12000, 9000, 1200, "SGD", 2)]
    tx = [
        Tax("XSP", A, "SG", "Passenger service charge", 6500, "SGD"),
        Tax("AOR", C, "MY", "Departure levy", 300, "SGD"),
    ]
    pricing = Pricing(q, route, {("f1", "normal"): ladder}, {}, tx, T0 - timedelta(days=30))
    priced = pricing.price((out, back))
    assert priced is not None
    # a party of 3 seated does not fit in Q (2 seats): the outbound sells in Y, the return at the route's fare
    assert [(leg.flight_id, leg.bucket) for leg in priced.legs] == [("f1", "Y"), ("f2", "")]
    assert dict(priced.legs[0].units) == {A: 30000, C: 22000}
    assert {(t.airport, t.code, t.passenger_type, t.amount) for t in priced.price.taxes} == {
        ("XSP", "SG", A, 13000),
        ("AOR", "MY", C, 300),
    }
    fares = 2 * (30000 + 9000) + (22000 + 7000)
    assert priced.price.price.total == fares + 13000 + 300
    assert Pricing(q, {}, {("f1", "normal"): ladder}, {}, tx, T0).price((out, back)) is None  # no return fare
