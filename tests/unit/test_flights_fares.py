"""Fares, search input, pricing and offer tokens without I/O."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.flights import domain
from airline.flights import seed as flights_seed
from airline.flights.domain import CabinClass, Fare, PassengerType, TripType
from airline.flights.fares import OfferCodec
from airline.platform.errors import Conflict, ValidationFailed
from tests.support.flights_domain import T0, H, M, S, flight

# ---------------------------------------------------------------- fares and search input


def test_fares_are_checked() -> None:
    f = domain.new_fare("xsp", "aor", "VIP", "Adult", "round_trip", 31000, "SGD")
    assert f.key == ("XSP", "AOR", CabinClass.VIP, PassengerType.ADULT, TripType.ROUND_TRIP)
    for args, message in [
        (("XSP", "AOR", "vip", "adult", "one_way", -1, "SGD"), "amount"),
        (("XSP", "AOR", "vip", "adult", "one_way", 1, "SG"), "currency"),
        (("XSP", "AOR", "vip", "adult", "one_way", 1, "sgd"), "currency"),
        (("XSP", "XSP", "vip", "adult", "one_way", 1, "SGD"), "differ"),
        (("XSP", "AOR", "first", "adult", "one_way", 1, "SGD"), "cabin_class"),
        (("XSP", "AOR", "vip", "senior", "one_way", 1, "SGD"), "passenger_type"),
        (("XSP", "AOR", "vip", "adult", "open_jaw", 1, "SGD"), "trip_type"),
    ]:
        with pytest.raises(ValidationFailed, match=message):
            domain.new_fare(*args)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed, match="twice"):
        domain.check_fare_batch([f, f], [])
    other = domain.new_fare("XSP", "AOR", "vip", "child", "round_trip", 1, "MYR")
    with pytest.raises(ValidationFailed, match="one currency"):
        domain.check_fare_batch([f, other], [])
    with pytest.raises(ValidationFailed, match="bag_weight_kg"):
        domain.new_rules("XSP", "AOR", "vip", True, 0, "SGD", 2, 0)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"adults": 0}, "at least one adult"),
        ({"adults": 1, "infants": 2}, "lap"),
        ({"adults": 4, "children": 4, "infants": 2}, "at most 9"),
        ({"children": -1}, "negative"),
        ({"cls": "first"}, "cabin_class"),
        ({"ttype": "multi_city"}, "trip_type"),
        ({"ttype": "round_trip"}, "return_date is required"),
        ({"ttype": "round_trip", "return_date": "2027-02-28"}, "not be before"),
        ({"return_date": "2027-03-05"}, "only for round trips"),
        ({"departure_date": "2027-3-1"}, "departure_date"),
        ({"flexible_days": 4}, "flexible_days"),
        ({"flexible_days": -1}, "flexible_days"),
        ({"destination": "XSP"}, "differ"),
        ({"max_offers": 201}, "max_offers must be 1 to 200"),
        ({"max_offers": -1}, "max_offers"),
    ],
)
def test_bad_searches(kw: dict[str, object], message: str) -> None:
    base: dict[str, object] = dict(
        origin="XSP",
        destination="AOR",
        departure_date="2027-03-01",
        flexible_days=0,
        adults=2,
        children=0,
        infants=0,
        cls="vip",
        ttype="one_way",
        return_date="",
    )
    with pytest.raises(ValidationFailed, match=message):
        domain.search_query(**{**base, **kw})  # type: ignore[arg-type]


def test_search_defaults_and_date_ranges() -> None:
    q = domain.search_query("xsp", "aor", "2027-03-01", 2, 2, 1, 1, "", "round_trip", "2027-03-05")
    assert (q.cabin_class, q.passengers.seated) == (CabinClass.NORMAL, 3)
    assert q.outbound_dates() == (date(2027, 2, 27), date(2027, 3, 3))
    assert q.return_dates() == (date(2027, 3, 3), date(2027, 3, 7))
    assert q.max_offers == domain.DEFAULT_OFFERS == 50  # 0 (the proto's unset) asks for the default
    assert domain.search_query("XSP", "AOR", "2027-03-01", 0, 1, 0, 0, "", "", "", 7).max_offers == 7


# ---------------------------------------------------------------- pricing


def fares_for(amounts: dict[PassengerType, int], currency: str = "SGD") -> dict[PassengerType, Fare]:
    return {t: Fare("XSP", "AOR", CabinClass.VIP, t, TripType.ROUND_TRIP, a, currency) for t, a in amounts.items()}


amount = st.integers(min_value=0, max_value=10**7)
leg_fares = st.fixed_dictionaries({t: amount for t in PassengerType})


@given(
    legs=st.lists(leg_fares, min_size=1, max_size=2),
    adults=st.integers(1, 9),
    children=st.integers(0, 8),
    infants=st.integers(0, 9),
)
def test_price_is_the_sum_over_legs_times_counts(
    legs: list[dict[PassengerType, int]], adults: int, children: int, infants: int
) -> None:
    infants = min(infants, adults)
    if adults + children + infants > 9:
        return
    pax = domain.passengers(adults, children, infants)
    p = domain.price([fares_for(leg) for leg in legs], pax)
    assert p is not None and p.currency == "SGD"
    counts = dict(pax.counts())
    assert [line.passenger_type for line in p.lines] == list(counts)
    for line in p.lines:
        assert line.unit_amount == sum(leg[line.passenger_type] for leg in legs)
        assert line.amount == line.unit_amount * counts[line.passenger_type]
    assert p.total == sum(line.amount for line in p.lines)


def test_price_needs_every_travelling_fare_and_one_currency() -> None:
    pax = domain.passengers(2, 1, 1)
    full = {PassengerType.ADULT: 30000, PassengerType.CHILD: 22000, PassengerType.INFANT: 3000}
    p = domain.price([fares_for(full), fares_for(full)], pax)
    assert p is not None and p.total == 2 * 60000 + 44000 + 6000
    no_infant = {PassengerType.ADULT: 30000, PassengerType.CHILD: 22000}
    assert domain.price([fares_for(full), fares_for(no_infant)], pax) is None
    # an infant fare missing does not matter when no infant travels
    assert domain.price([fares_for(no_infant)], domain.passengers(1, 1, 0)) is not None
    assert domain.price([fares_for(full), fares_for(full, "MYR")], pax) is None


def test_round_trip_combinations_need_an_hour_on_the_ground() -> None:
    out = flight()
    ok = flight(id="r1", estimated_departure=out.estimated_arrival + H, estimated_arrival=out.estimated_arrival + 3 * H)
    tight = flight(
        id="r2", estimated_departure=out.estimated_arrival + 59 * M, estimated_arrival=out.estimated_arrival + 3 * H
    )
    assert domain.combine_round_trips([out], [ok, tight]) == [(out, ok)]


# ---------------------------------------------------------------- offers


def test_offer_token_round_trips_and_cannot_be_altered() -> None:
    codec = OfferCodec("s" * 48, 1800)
    pax = domain.passengers(2, 1, 1)
    full = {PassengerType.ADULT: 30000, PassengerType.CHILD: 22000, PassengerType.INFANT: 3000}
    p = domain.price([fares_for(full)], pax)
    assert p is not None
    rules = [domain.default_rules("XSP", "AOR", CabinClass.VIP, "SGD")]
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    token = codec.encode(domain.offer_claims([flight()], pax, CabinClass.VIP, TripType.ONE_WAY, p, rules, expires))
    back = domain.offer_from_claims(codec.decode(token))
    assert (back.flight_ids, back.passengers, back.price, back.rules, back.expires_at) == (
        ("f1",),
        pax,
        p,
        tuple(rules),
        expires,
    )
    assert rules[0].checked_bags == 2 and rules[0].bag_weight_kg == 32 and not rules[0].refundable

    header, body, sig = token.split(".")
    with pytest.raises(ValidationFailed, match="not a valid offer"):
        codec.decode(f"{header}.{body[:-2]}AA.{sig}")
    with pytest.raises(ValidationFailed, match="not a valid offer"):
        OfferCodec("t" * 48, 1800).decode(token)
    import jwt

    stale = jwt.encode({"aud": "flights-offer", "exp": int(time.time()) - 5}, "s" * 48, algorithm="HS256")
    with pytest.raises(ValidationFailed, match="expired"):
        codec.decode(stale)
    other_audience = jwt.encode({"aud": "something-else", "exp": int(time.time()) + 60}, "s" * 48, algorithm="HS256")
    with pytest.raises(ValidationFailed, match="not a valid offer"):
        codec.decode(other_audience)


# ---------------------------------------------------------------- seed fares


def test_seed_fares_are_realistic_and_complete() -> None:
    request = flights_seed.seed_fares()
    assert len(request.fares) == 3 * 2 * 2 * 3 * 2 and len(request.rules) == 3 * 2 * 2
    by_key = {(f.origin, f.destination, f.cabin_class, f.passenger_type, f.trip_type): f.amount for f in request.fares}
    for dest, _ in flights_seed.ROUTES:
        one_way = by_key[("XSP", dest, "normal", "adult", "one_way")]
        assert 12000 <= one_way <= 25000
        assert 0.85 <= by_key[("XSP", dest, "normal", "adult", "round_trip")] / one_way <= 0.9
        assert by_key[("XSP", dest, "normal", "child", "one_way")] == pytest.approx(0.75 * one_way, abs=100)
        assert by_key[("XSP", dest, "vip", "adult", "one_way")] == pytest.approx(2.5 * one_way, abs=100)
        assert by_key[(dest, "XSP", "normal", "adult", "one_way")] == one_way
    assert {f.currency for f in request.fares} == {"SGD"}
    vip = [r for r in request.rules if r.cabin_class == "vip"]
    assert all(r.refundable and r.change_fee == 0 and (r.checked_bags, r.bag_weight_kg) == (2, 32) for r in vip)
    normal = [r for r in request.rules if r.cabin_class == "normal"]
    assert all(
        not r.refundable and r.change_fee == 5000 and (r.checked_bags, r.bag_weight_kg) == (1, 23) for r in normal
    )


# ---------------------------------------------------------------- bookable offers and fare rules


def test_an_offer_is_bookable_only_while_its_flights_sell_and_have_the_seats() -> None:
    now = T0 - 2 * H
    domain.check_bookable([flight()], CabinClass.VIP, 6, now, 60)
    with pytest.raises(Conflict) as info:
        domain.check_bookable([flight()], CabinClass.VIP, 7, now, 60)
    assert info.value.code == "not_enough_seats" and "6 vip seat(s) left" in info.value.message
    for status, words in ((S.DEPARTED, "has departed"), (S.CANCELLED, "is cancelled"), (S.BOARDING, "boarding")):
        with pytest.raises(Conflict) as info:
            domain.check_bookable([flight(status)], CabinClass.NORMAL, 1, now, 60)
        assert info.value.code == "flight_not_sellable" and words in info.value.message
    with pytest.raises(Conflict) as info:  # 50 minutes before departure: sales closed
        domain.check_bookable([flight()], CabinClass.NORMAL, 1, T0 - 50 * M, 60)
    assert info.value.code == "flight_not_sellable"


def test_fare_rules_no_show_refund_and_taxes() -> None:
    rules = domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23, no_show_refund="taxes", taxes=2500)
    assert (rules.no_show_refund, rules.taxes) == ("taxes", 2500)
    assert domain.FareRules.from_dict(rules.to_dict()) == rules
    old = {k: v for k, v in rules.to_dict().items() if k not in ("no_show_refund", "taxes")}
    assert (domain.FareRules.from_dict(old).no_show_refund, domain.FareRules.from_dict(old).taxes) == ("none", 0)
    assert domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23).no_show_refund == "none"
    with pytest.raises(ValidationFailed, match="none or taxes"):
        domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23, no_show_refund="fare")
    with pytest.raises(ValidationFailed, match="taxes"):
        domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23, taxes=-1)
    cheap = domain.new_fare("XSP", "AOR", "normal", "infant", "one_way", 2000, "SGD")
    with pytest.raises(ValidationFailed, match="lowest fare"):
        domain.check_taxes_within_fares([cheap], [rules])
