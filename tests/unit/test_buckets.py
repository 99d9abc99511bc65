"""Booking classes (buckets): the nested availability's invariants (Hypothesis), the rules that
close a bucket, the selling bucket, and the overbooking allowance from a show-up rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airline.flights.domain import CabinClass, CabinSeats, PassengerType
from airline.flights.domain.buckets import (
    Bucket,
    availability,
    check_still_sells,
    ladder_state,
    new_buckets,
    rule_open,
    selling_bucket,
)
from airline.flights.domain.flight import overbooking_allowance, show_up_rate_bp
from airline.platform.errors import Conflict, ValidationFailed

CODES = "YBMQVKLH"
NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


def bucket(code: str, amount: int, authorised: int, **kw: object) -> Bucket:
    return Bucket(code, amount, amount * 3 // 4, amount // 10, "SGD", authorised, **kw)  # type: ignore[arg-type]


@st.composite
def ladders(draw: st.DrawFn) -> tuple[list[Bucket], dict[str, int], int, list[bool]]:
    n = draw(st.integers(1, len(CODES)))
    limits = sorted(draw(st.lists(st.integers(0, 200), min_size=n, max_size=n)), reverse=True)
    ladder = [bucket(CODES[i], 1000 - 10 * i, limits[i]) for i in range(n)]
    sold = {b.code: draw(st.integers(0, 60)) for b in ladder}
    cabin_left = draw(st.integers(0, 250))
    opened = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return ladder, sold, cabin_left, opened


@given(ladders())
@settings(max_examples=300)
def test_a_cheaper_bucket_never_has_more_than_a_dearer_one(
    case: tuple[list[Bucket], dict[str, int], int, list[bool]],
) -> None:
    ladder, sold, left, opened = case
    avail = availability(ladder, sold, left, opened)
    assert all(0 <= a <= left for a in avail)
    assert all(hi >= lo for hi, lo in zip(avail, avail[1:]))
    # a closed bucket closes every cheaper one
    for k, o in enumerate(opened):
        if not o:
            assert all(a == 0 for a in avail[k:])


@given(ladders(), st.data())
@settings(max_examples=300)
def test_a_sale_consumes_exactly_its_seats_from_its_bucket_and_every_bucket_above(
    case: tuple[list[Bucket], dict[str, int], int, list[bool]], data: st.DataObject
) -> None:
    ladder, sold, left, _ = case
    opened = [True] * len(ladder)
    before = availability(ladder, sold, left, opened)
    k = data.draw(st.integers(0, len(ladder) - 1))
    if before[k] == 0:
        return
    x = data.draw(st.integers(1, before[k]))
    after = availability(ladder, {**sold, ladder[k].code: sold[ladder[k].code] + x}, left - x, opened)
    for i in range(k + 1):
        assert after[i] == before[i] - x
    for i in range(k + 1, len(ladder)):
        assert before[i] - x <= after[i] <= before[i]


@given(st.lists(st.integers(0, 50), min_size=1, max_size=6), st.integers(0, 120), st.data())
@settings(max_examples=200)
def test_selling_within_availability_keeps_every_nested_limit_and_the_cabin(
    limits: list[int], capacity: int, data: st.DataObject
) -> None:
    limits = sorted(limits, reverse=True)
    ladder = [bucket(CODES[i], 500 - i, limits[i]) for i in range(len(limits))]
    sold = {b.code: 0 for b in ladder}
    total = 0
    for _ in range(40):
        avail = availability(ladder, sold, capacity - total, [True] * len(ladder))
        k = data.draw(st.integers(0, len(ladder) - 1))
        if avail[k] == 0:
            continue
        x = data.draw(st.integers(1, avail[k]))
        sold[ladder[k].code] += x
        total += x
    assert total <= capacity
    for i, b in enumerate(ladder):
        assert sum(sold[x.code] for x in ladder[i:]) <= b.authorised


def test_the_cheapest_open_bucket_sells_and_the_next_one_follows_when_it_sells_out() -> None:
    ladder = [bucket("Y", 40000, 100), bucket("M", 20000, 30), bucket("Q", 10000, 2)]
    dep = NOW + timedelta(days=30)
    states = ladder_state(ladder, {}, 100, 0, 100, dep, NOW)
    assert [s.available for s in states] == [100, 30, 2]
    assert selling_bucket(states, 1) == ladder[2]
    assert selling_bucket(states, 3) == ladder[1]  # Q has 2: a party of 3 sells in M
    states = ladder_state(ladder, {"Q": 2}, 100, 2, 98, dep, NOW)
    assert [s.available for s in states] == [98, 28, 0]
    assert selling_bucket(states, 1) == ladder[1]


def test_rules_close_a_bucket_by_load_factor_and_by_days_to_departure() -> None:
    q = bucket("Q", 100, 50, close_at_load_percent=50, close_days_before=14)
    far = NOW + timedelta(days=30)
    assert rule_open(q, 100, 49, far, NOW)
    assert not rule_open(q, 100, 50, far, NOW)  # 50 % load
    assert not rule_open(q, 100, 0, NOW + timedelta(days=13, hours=23), NOW)  # < 14 days
    assert rule_open(q, 100, 0, NOW + timedelta(days=14), NOW)
    assert not rule_open(bucket("Q", 100, 50, open=False), 100, 0, far, NOW)
    # M closed by rule closes Q under it, even though Q's own rules would keep it open
    ladder = [bucket("Y", 300, 100), bucket("M", 200, 80, close_at_load_percent=75), bucket("Q", 100, 60)]
    states = ladder_state(ladder, {"Y": 75}, 100, 75, 25, far, NOW)
    assert [s.open for s in states] == [True, False, False]
    assert selling_bucket(states, 1) == ladder[0]


def test_a_ladder_is_checked_dearest_first_with_nested_limits() -> None:
    ok = new_buckets([bucket("y", 300, 100), bucket("Q", 100, 10)])
    assert [b.code for b in ok] == ["Y", "Q"]
    with pytest.raises(ValidationFailed, match="nested"):
        new_buckets([bucket("Y", 300, 10), bucket("Q", 100, 20)])
    with pytest.raises(ValidationFailed, match="dearest first"):
        new_buckets([bucket("Y", 100, 10), bucket("Q", 300, 5)])
    with pytest.raises(ValidationFailed, match="twice"):
        new_buckets([bucket("Y", 300, 10), bucket("Y", 100, 5)])
    with pytest.raises(ValidationFailed, match="one letter"):
        new_buckets([bucket("YY", 300, 10)])
    assert ladder_state([], {}, 10, 0, 10, NOW, NOW) == []
    assert bucket("Q", 1000, 1).amount(PassengerType.INFANT) == 100


@pytest.mark.parametrize(
    ("capacity", "show_up", "allowance"),
    [(100, 9000, 11), (100, 9500, 5), (100, 10000, 0), (100, 8000, 20), (150, 9200, 13), (7, 9000, 0)],
)
def test_the_allowance_is_floor_of_seats_times_one_over_show_up_less_one_capped_at_20_percent(
    capacity: int, show_up: int, allowance: int
) -> None:
    assert overbooking_allowance(capacity, 0, show_up) == allowance
    assert CabinSeats(CabinClass.NORMAL, capacity, 0, 0, show_up).sellable == capacity + allowance


@given(st.integers(0, 400), st.integers(5000, 10000))
def test_the_allowance_matches_the_formula_within_the_cap(capacity: int, bp: int) -> None:
    exact = capacity * (10_000 - bp) // bp  # floor(capacity * (1/r - 1)) with r = bp / 10000
    assert overbooking_allowance(capacity, 0, bp) == min(exact, capacity * 20 // 100)


def test_without_a_show_up_rate_the_percentage_decides_and_bad_rates_are_refused() -> None:
    assert overbooking_allowance(100, 10, 0) == 10
    assert show_up_rate_bp(0) == 0
    with pytest.raises(ValidationFailed):
        show_up_rate_bp(4999)
    with pytest.raises(ValidationFailed):
        show_up_rate_bp(10001)


def test_an_offer_in_a_bucket_books_only_while_that_bucket_sells_its_seats() -> None:
    ladder = [bucket("Y", 300, 100), bucket("Q", 100, 2)]
    dep = NOW + timedelta(days=30)
    check_still_sells(ladder_state(ladder, {"Q": 1}, 100, 1, 99, dep, NOW), "Q", 1, "XA101")
    with pytest.raises(Conflict, match="booking class Q of flight XA101") as e:
        check_still_sells(ladder_state(ladder, {"Q": 1}, 100, 1, 99, dep, NOW), "Q", 2, "XA101")
    assert e.value.code == "fare_bucket_closed"
    check_still_sells([], "Q", 9, "XA101")  # buckets removed since: the cabin's seats decide
