"""Paid ancillaries' pure rules (booking/ancillaries.py) and inventory's paid-meal lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.booking import ancillaries as rules
from airline.booking.domain import ticket_number
from airline.booking.fares import BagPrices
from airline.inventory import domain as inventory
from airline.platform.errors import Conflict, ValidationFailed

PRICES = BagPrices(per_piece=4500, per_overweight_kg=1000, max_pieces=5, max_overweight_kg=32)
NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


@given(held=st.integers(0, 5), pieces=st.integers(1, 8))
def test_a_bag_costs_the_piece_price_until_the_maximum_per_passenger_and_flight(held: int, pieces: int) -> None:
    if held + pieces <= PRICES.max_pieces:
        assert rules.bag_price(pieces, held, PRICES, infant=False) == pieces * 4500
        assert rules.max_more(held, PRICES, infant=False) >= pieces
    else:
        with pytest.raises(ValidationFailed) as e:
            rules.bag_price(pieces, held, PRICES, infant=False)
        assert e.value.code == "too_many_pieces"
        assert rules.max_more(held, PRICES, infant=False) < pieces


def test_no_bag_or_meal_for_a_lap_infant_and_no_zero_pieces() -> None:
    with pytest.raises(ValidationFailed):
        rules.bag_price(1, 0, PRICES, infant=True)
    with pytest.raises(ValidationFailed):
        rules.bag_price(0, 0, PRICES, infant=False)
    assert rules.max_more(0, PRICES, infant=True) == 0
    meals = rules.menu(rules.DEFAULT_MENU, "SGD")
    with pytest.raises(ValidationFailed):
        rules.meal_price("chicken-rice", meals, infant=True)


def test_the_menu_is_per_currency_and_unknown_codes_are_refused() -> None:
    sgd = rules.menu(rules.DEFAULT_MENU, "sgd")
    assert rules.meal_price(" Chicken-Rice ", sgd, infant=False).price == 1600
    assert rules.menu(rules.DEFAULT_MENU, "JPY") == {}
    with pytest.raises(ValidationFailed) as e:
        rules.meal_price("caviar", sgd, infant=False)
    assert e.value.code == "unknown_meal"
    with pytest.raises(ValueError):
        rules.menu({"SGD": [{"code": "x", "name": "X", "price": 0}]}, "SGD")


@given(hours_before=st.integers(-10, 100), close=st.integers(0, 48))
def test_sales_close_the_change_window_before_departure_and_never_reopen(hours_before: int, close: int) -> None:
    departure = NOW + timedelta(hours=hours_before)
    is_open = rules.is_open(departure, False, NOW, close)
    assert is_open == (hours_before > close)
    assert not rules.is_open(departure, True, NOW, close)  # departed
    if not is_open:
        with pytest.raises(Conflict) as e:
            rules.require_open("XA1", departure, False, NOW, close)
        assert e.value.code == "sales_closed"


@given(serial=st.integers(1, 10**9 - 1), ticket=st.integers(1, 8 * 10**9 - 1))
def test_emd_numbers_are_13_digits_and_never_an_e_ticket_number(serial: int, ticket: int) -> None:
    n = rules.emd_number("738", serial)
    assert len(n) == 13 and n.isdigit() and n.startswith("7388")
    assert n != ticket_number("738", ticket)


def test_emd_serial_out_of_range_is_refused() -> None:
    for bad in (0, 10**9):
        with pytest.raises(ValueError):
            rules.emd_number("738", bad)


@given(
    amount=st.integers(0, 10**6), flown=st.booleans(), full=st.booleans(), refundable=st.booleans(), ns=st.booleans()
)
def test_a_cancellation_refunds_an_emd_all_or_nothing(
    amount: int, flown: bool, full: bool, refundable: bool, ns: bool
) -> None:
    back = rules.refund_on_cancel(amount, flown=flown, in_full=full, refundable=refundable, no_show=ns)
    assert back in (0, amount)
    if flown:
        assert back == 0
    elif full and amount:
        assert back == amount
    elif not refundable:
        assert back == 0


def test_inventory_counts_a_paid_meal_as_one_item_without_passenger_extras() -> None:
    groups = inventory.paid_meal_groups("normal", {"chicken-rice": 2, "none": 0})
    assert [(g.meal, g.count) for g in groups] == [("+chicken-rice", 2)]
    plan = inventory.load_plan(groups, buffer_percent=10)
    assert plan == {"meal-paid-chicken-rice": 2}  # ordered per passenger: no buffer, no headsets
