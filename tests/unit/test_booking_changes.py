"""Voluntary changes priced by the fare rules kept at booking (booking/changes.py), pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.booking import changes
from airline.booking.fares import FareRules
from airline.booking.passengers import PassengerType
from airline.platform.errors import Conflict

FLEX = FareRules(checked_bags=1, bag_weight_kg=23, refundable=True, change_fee=5000)
SAVER = FareRules(checked_bags=0, bag_weight_kg=23, refundable=False, change_fee=7500)
FAMILY = changes.Party(adults=2, children=1, infants=1)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_the_change_fee_is_the_kept_rules_for_every_seated_passenger_and_none_for_an_infant() -> None:
    leg = changes.price_leg(FLEX, FAMILY, paid=40000, new_fare=40000)
    assert leg.change_fee == 3 * 5000  # two adults and a child; the infant on a lap pays none
    assert leg.fare_difference == 0


def test_a_dearer_flight_costs_the_fee_and_the_difference() -> None:
    p = changes.price([changes.price_leg(SAVER, FAMILY, paid=40000, new_fare=52000)], [SAVER])
    assert (p.change_fee, p.fare_difference, p.total_due, p.residual_voucher) == (22500, 12000, 34500, 0)


def test_a_cheaper_flight_leaves_a_voucher_when_the_kept_rule_is_refundable() -> None:
    p = changes.price([changes.price_leg(FLEX, FAMILY, paid=40000, new_fare=31000)], [FLEX])
    assert p.total_due == 15000  # the fee only: a negative difference is never charged
    assert p.residual == 9000 and p.residual_voucher == 9000


def test_a_cheaper_flight_forfeits_the_residual_when_the_kept_rule_is_not_refundable() -> None:
    p = changes.price([changes.price_leg(SAVER, FAMILY, paid=40000, new_fare=31000)], [SAVER])
    assert p.residual == 9000 and p.residual_voucher == 0
    # one non-refundable leg among the changed ones forfeits it too
    both = changes.price(
        [changes.price_leg(FLEX, FAMILY, 40000, 31000), changes.price_leg(SAVER, FAMILY, 40000, 39000)], [FLEX, SAVER]
    )
    assert both.residual == 10000 and both.residual_voucher == 0


def test_what_was_paid_for_a_leg_is_an_even_share_of_the_fare_total() -> None:
    assert [changes.leg_share(100001, 2, i) for i in range(2)] == [50001, 50000]
    with pytest.raises(ValueError):
        changes.leg_share(100, 2, 2)


def test_the_partys_fare_needs_a_fare_for_every_passenger_type_that_travels() -> None:
    unit = {PassengerType.ADULT: 10000, PassengerType.CHILD: 7500, PassengerType.INFANT: 1000}
    assert changes.party_fare(unit, FAMILY) == 2 * 10000 + 7500 + 1000
    assert changes.party_fare({PassengerType.ADULT: 10000}, FAMILY) is None
    assert changes.party_fare({PassengerType.ADULT: 10000}, changes.Party(1, 0, 0)) == 10000


def test_a_leg_closes_for_changes_inside_the_window_and_once_it_has_left() -> None:
    changes.require_open("XA1", NOW + timedelta(hours=3, minutes=1), False, NOW, 3)
    with pytest.raises(Conflict) as closed:
        changes.require_open("XA1", NOW + timedelta(hours=2, minutes=59), False, NOW, 3)
    assert closed.value.code == "change_closed"
    with pytest.raises(Conflict) as gone:
        changes.require_open("XA1", NOW + timedelta(hours=5), True, NOW, 3)
    assert gone.value.code == "departed"
    with pytest.raises(Conflict) as past:
        changes.require_open("XA1", NOW - timedelta(minutes=1), False, NOW, 3)
    assert past.value.code == "departed"
    assert changes.may_take(NOW + timedelta(hours=4), NOW, 3) and not changes.may_take(NOW + timedelta(hours=2), NOW, 3)


money = st.integers(min_value=0, max_value=10_000_000)
parties = st.builds(
    changes.Party, st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=8), st.integers(0, 4)
)
kept = st.builds(FareRules, st.just(1), st.just(23), st.booleans(), st.integers(min_value=0, max_value=100_000))


@given(st.lists(st.tuples(kept, money, money), min_size=1, max_size=4), parties)
def test_the_price_adds_up(legs: list[tuple[FareRules, int, int]], party: changes.Party) -> None:
    priced = [changes.price_leg(r, party, paid, new) for r, paid, new in legs]
    p = changes.price(priced, [r for r, _, _ in legs])
    difference = sum(new - paid for _, paid, new in legs)
    assert p.fare_difference == difference
    assert p.change_fee == sum(r.change_fee for r, _, _ in legs) * (party.adults + party.children)
    # what is due never goes below the fees, and a residual and a charged difference never coexist
    assert p.total_due == p.change_fee + max(0, difference) >= p.change_fee
    assert p.residual == max(0, -difference)
    assert p.residual_voucher in (0, p.residual)
    assert p.residual_voucher == (p.residual if all(r.refundable for r, _, _ in legs) else 0)


@given(money, st.integers(min_value=1, max_value=6))
def test_the_shares_of_the_legs_add_up_to_the_fare_total(total: int, legs: int) -> None:
    shares = [changes.leg_share(total, legs, i) for i in range(legs)]
    assert sum(shares) == total and max(shares) - min(shares) < legs


@given(
    charged=st.integers(min_value=0, max_value=10**7),
    fee=st.integers(min_value=0, max_value=10**6),
    in_full=st.booleans(),
    refundable=st.booleans(),
    no_show=st.booleans(),
)
def test_a_cancellation_gives_back_of_a_change_payment_at_most_what_it_charged(
    charged: int, fee: int, in_full: bool, refundable: bool, no_show: bool
) -> None:
    back = changes.refund_on_cancel(charged, fee, in_full=in_full, refundable=refundable, no_show=no_show)
    assert 0 <= back <= charged
    if in_full:
        assert back == charged  # the airline's cancellation: everything
    elif not refundable or no_show:
        assert back == 0
    else:
        assert back == max(0, charged - fee)  # the fare difference, never the fee
