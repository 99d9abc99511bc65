"""Seats a draft claimed in a booking class (issue 18 part 3): a live claim takes seats from the
bucket's nested limits, the cabin's seats left and its load factor exactly as a sale would, so
the last seats of a bucket are promised once; a claim turned into the sale moves nothing; and
search prices above a bucket whose last seats are in drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airline.flights.domain import search_query
from airline.flights.domain.buckets import Bucket, BucketState, check_still_sells, ladder_state, selling_bucket
from airline.flights.pricing import Pricing
from airline.platform.errors import Conflict
from tests.support.flights_domain import T0, flight

CODES = "YBMQV"
NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
DEP = NOW + timedelta(days=30)


def bucket(code: str, amount: int, authorised: int, **kw: object) -> Bucket:
    return Bucket(code, amount, amount * 3 // 4, amount // 10, "SGD", authorised, **kw)  # type: ignore[arg-type]


@st.composite
def cabins(draw: st.DrawFn) -> tuple[list[Bucket], dict[str, int], dict[str, int], int, int]:
    """A ladder, seats sold and claimed per bucket, the cabin's capacity and its seats sold."""
    n = draw(st.integers(1, len(CODES)))
    limits = sorted(draw(st.lists(st.integers(0, 120), min_size=n, max_size=n)), reverse=True)
    ladder = [
        bucket(CODES[i], 1000 - 10 * i, limits[i], close_at_load_percent=draw(st.sampled_from([0, 50, 80, 100])))
        for i in range(n)
    ]
    sold = {b.code: draw(st.integers(0, 30)) for b in ladder}
    claimed = {b.code: draw(st.integers(0, 30)) for b in ladder}
    capacity = draw(st.integers(0, 150))
    cabin_sold = sum(sold.values()) + draw(st.integers(0, 20))  # some sold outside any bucket
    return ladder, sold, claimed, capacity, cabin_sold


@given(cabins())
@settings(max_examples=300)
def test_a_live_claim_takes_seats_exactly_as_a_sale_of_the_same_seats_would(
    case: tuple[list[Bucket], dict[str, int], dict[str, int], int, int],
) -> None:
    ladder, sold, claimed, capacity, cabin_sold = case
    in_drafts = sum(claimed.values())
    with_claims = ladder_state(ladder, sold, capacity, cabin_sold, capacity - cabin_sold, DEP, NOW, claimed)
    as_sold = ladder_state(
        ladder,
        {c: sold[c] + claimed[c] for c in sold},
        capacity,
        cabin_sold + in_drafts,
        capacity - cabin_sold - in_drafts,
        DEP,
        NOW,
    )
    assert [(s.open, s.available) for s in with_claims] == [(s.open, s.available) for s in as_sold]
    # what was sold and what is only claimed stay apart (ops see both)
    assert [(s.sold, s.claimed) for s in with_claims] == [(sold[b.code], claimed[b.code]) for b in ladder]


@given(cabins(), st.data())
@settings(max_examples=300)
def test_a_claim_that_becomes_its_sale_moves_no_bucket(
    case: tuple[list[Bucket], dict[str, int], dict[str, int], int, int], data: st.DataObject
) -> None:
    ladder, sold, claimed, capacity, cabin_sold = case
    code = data.draw(st.sampled_from([b.code for b in ladder]))
    n = data.draw(st.integers(0, claimed[code]))
    before = ladder_state(ladder, sold, capacity, cabin_sold, capacity - cabin_sold, DEP, NOW, claimed)
    # the confirmation records the sale and ends the claim in one transaction
    after = ladder_state(
        ladder,
        {**sold, code: sold[code] + n},
        capacity,
        cabin_sold + n,
        capacity - cabin_sold - n,
        DEP,
        NOW,
        {**claimed, code: claimed[code] - n},
    )
    assert [(s.open, s.available) for s in after] == [(s.open, s.available) for s in before]


def test_the_last_two_seats_of_a_bucket_go_to_two_drafts_and_the_third_is_refused() -> None:
    ladder = [bucket("Y", 30000, 60), bucket("M", 20000, 40), bucket("Q", 10000, 2)]

    def states(claimed: dict[str, int]) -> list[BucketState]:
        return ladder_state(ladder, {}, 60, 0, 60, DEP, NOW, claimed)

    check_still_sells(states({}), "Q", 1, "XA101")
    check_still_sells(states({"Q": 1}), "Q", 1, "XA101")  # the second draft
    with pytest.raises(Conflict) as refused:
        check_still_sells(states({"Q": 2}), "Q", 1, "XA101")  # the third
    assert refused.value.code == "fare_bucket_closed"
    full = states({"Q": 2})
    assert [(x.bucket.code, x.available, x.claimed, x.sold) for x in full] == [
        ("Y", 58, 0, 0),
        ("M", 38, 0, 0),
        ("Q", 0, 2, 0),
    ]
    selling = selling_bucket(full, 1)
    assert selling is not None and selling.code == "M"  # the price rises while the drafts live


def test_claims_count_in_the_cabin_and_its_load_factor_and_nothing_is_taken_by_an_empty_claim() -> None:
    # a claim in a bucket ops removed since still holds a seat of the cabin
    ladder = [bucket("Y", 300, 10), bucket("Q", 100, 10, close_at_load_percent=50)]
    states = ladder_state(ladder, {}, 10, 4, 6, DEP, NOW, {"B": 1})
    assert [(s.open, s.available) for s in states] == [(True, 5), (False, 0)]  # 5 of 10 taken: Q closes
    assert ladder_state(ladder, {}, 10, 4, 6, DEP, NOW, {"B": 0, "Q": -3}) == ladder_state(
        ladder, {}, 10, 4, 6, DEP, NOW
    )


def test_search_sells_above_a_bucket_whose_last_seats_are_in_drafts() -> None:
    q = search_query("XSP", "AOR", "2027-03-01", 0, 1, 0, 0, "normal", "one_way", "")
    ladder = [Bucket("Y", 30000, 22000, 3000, "SGD", 150), Bucket("Q", 12000, 9000, 1200, "SGD", 2)]
    ladders = {("f1", "normal"): ladder}
    now = T0 - timedelta(days=30)
    free = Pricing(q, {}, ladders, {}, [], now).price((flight(),))
    assert free is not None and free.legs[0].bucket == "Q"
    one_left = Pricing(q, {}, ladders, {}, [], now, {("f1", "normal"): {"Q": 1}}).price((flight(),))
    assert one_left is not None and one_left.legs[0].bucket == "Q"
    in_drafts = Pricing(q, {}, ladders, {}, [], now, {("f1", "normal"): {"Q": 2}}).price((flight(),))
    assert in_drafts is not None and in_drafts.legs[0].bucket == "Y"
    assert in_drafts.price.price.total > free.price.price.total
