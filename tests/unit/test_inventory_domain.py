"""Inventory rules without I/O: what each passenger needs, special meals, infants, the buffer,
and the load plan (with hypothesis properties)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.inventory import domain
from airline.inventory.domain import Cabin, PassengerGroup, PassengerType, demand, group_passengers, load_plan
from airline.platform.errors import ValidationFailed

ADULT, CHILD, INFANT = PassengerType.ADULT, PassengerType.CHILD, PassengerType.INFANT


def test_acceptance_40_normal_6_vip_2_vegetarian() -> None:
    """The issue's example, the expected quantities worked out from the stated rules:
    normal passengers get a normal meal, a beverage pack and a headset; VIP passengers a VIP
    meal, a beverage pack, an amenity kit and a tablet; a special meal replaces the cabin's
    standard meal; the buffer is 5% rounded up, at least 1 on a standard meal line, and none
    on special meals (ordered per passenger)."""
    groups = [
        PassengerGroup(Cabin.NORMAL, ADULT, "", 38),
        PassengerGroup(Cabin.NORMAL, ADULT, "vegetarian", 2),
        PassengerGroup(Cabin.VIP, ADULT, "", 6),
    ]
    buffer = lambda n: math.ceil(n * 5 / 100)  # noqa: E731
    expected = {
        "meal-normal": 38 + max(1, buffer(38)),  # 38 + 2
        "meal-vegetarian": 2,
        "meal-vip": 6 + max(1, buffer(6)),  # 6 + 1
        "beverage-pack": 46 + buffer(46),  # 46 + 3
        "headset": 40 + buffer(40),  # 40 + 2
        "amenity-kit": 6 + buffer(6),  # 6 + 1
        "tablet": 6 + buffer(6),  # 6 + 1
    }
    assert load_plan(groups, buffer_percent=5) == expected
    assert expected == {
        "meal-normal": 40,
        "meal-vegetarian": 2,
        "meal-vip": 7,
        "beverage-pack": 49,
        "headset": 42,
        "amenity-kit": 7,
        "tablet": 7,
    }


def test_demand_without_buffer() -> None:
    groups = [PassengerGroup(Cabin.NORMAL, ADULT, "", 3), PassengerGroup(Cabin.VIP, ADULT, "kosher", 1)]
    assert demand(groups) == {
        "meal-normal": 3,
        "beverage-pack": 4,
        "headset": 3,
        "meal-kosher": 1,
        "amenity-kit": 1,
        "tablet": 1,
    }


def test_special_meal_replaces_the_standard_meal_in_either_cabin() -> None:
    assert domain.passenger_needs(Cabin.VIP, ADULT, "vegetarian") == {
        "meal-vegetarian": 1,
        "beverage-pack": 1,
        "amenity-kit": 1,
        "tablet": 1,
    }
    assert domain.passenger_needs(Cabin.NORMAL, CHILD, "child") == {"meal-child": 1, "beverage-pack": 1, "headset": 1}
    assert domain.passenger_needs(Cabin.NORMAL, ADULT, "gluten_free")["meal-gluten-free"] == 1


def test_infants_get_nothing_unless_a_baby_meal_is_asked_for() -> None:
    assert domain.passenger_needs(Cabin.NORMAL, INFANT, "") == {}
    assert domain.passenger_needs(Cabin.VIP, INFANT, "") == {}
    assert domain.passenger_needs(Cabin.NORMAL, INFANT, "infant") == {"meal-baby": 1}
    assert load_plan([PassengerGroup(Cabin.NORMAL, INFANT, "", 5)], 5) == {}


def test_buffer_rounds_up_with_a_minimum_on_standard_meals() -> None:
    assert domain.buffer_for("meal-normal", 1, 5) == 1
    assert domain.buffer_for("meal-normal", 100, 5) == 5
    assert domain.buffer_for("meal-normal", 101, 5) == 6
    assert domain.buffer_for("meal-normal", 10, 0) == 1  # the minimum still holds
    assert domain.buffer_for("meal-normal", 10, 0, min_meal_buffer=0) == 0
    assert domain.buffer_for("headset", 10, 0) == 0
    assert domain.buffer_for("meal-vegetarian", 100, 50) == 0
    assert domain.buffer_for("meal-vip", 0, 5) == 0


def test_group_passengers_from_a_booking_payload() -> None:
    groups = group_passengers(
        "VIP",
        [
            {"type": "adult", "meal": ""},
            {"type": "adult", "meal": ""},
            {"type": "child", "meal": "child"},
            {"type": "infant", "meal": "infant"},
            {"type": "adult", "meal": "martian"},
            {"type": "robot"},
        ],
    )
    assert groups == [
        PassengerGroup(Cabin.VIP, ADULT, "", 4),
        PassengerGroup(Cabin.VIP, CHILD, "child", 1),
        PassengerGroup(Cabin.VIP, INFANT, "infant", 1),
    ]
    assert group_passengers("first", [{"type": "adult"}])[0].cabin is Cabin.NORMAL


def test_plan_delta_after_loading() -> None:
    assert domain.plan_delta({"a": 5, "b": 2}, {"a": 3, "b": 2, "c": 1}) == {"a": 2, "c": -1}


@pytest.mark.parametrize("bad", ["", "Has Space", "x" * 41, "-lead", "ünïcode"])
def test_item_codes_are_checked(bad: str) -> None:
    with pytest.raises(ValidationFailed):
        domain.item_code(bad)


def test_kinds_airports_and_quantities_are_checked() -> None:
    assert domain.item_kind(" Special_Meal ") is domain.ItemKind.SPECIAL_MEAL
    assert domain.airport_code("xsp") == "XSP"
    for call in (
        lambda: domain.item_kind("toy"),
        lambda: domain.airport_code("XS1"),
        lambda: domain.positive(0, "q"),
        lambda: domain.non_negative(-1, "t"),
        lambda: domain.positive(10**7, "q"),
    ):
        with pytest.raises(ValidationFailed):
            call()


groups_st = st.lists(
    st.builds(
        PassengerGroup,
        st.sampled_from(list(Cabin)),
        st.sampled_from(list(PassengerType)),
        st.sampled_from(["", *domain.SPECIAL_MEALS]),
        st.integers(min_value=1, max_value=300),
    ),
    max_size=12,
)


@given(groups_st, st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=5))
def test_plan_is_never_below_demand(groups: list[PassengerGroup], pct: int, min_meal: int) -> None:
    plan, need = load_plan(groups, pct, min_meal), demand(groups)
    assert set(plan) == {i for i, q in need.items() if q > 0}
    for item, qty in need.items():
        assert plan[item] >= qty
        assert plan[item] - qty <= max(min_meal, math.ceil(qty * pct / 100))


@given(groups_st, groups_st, st.integers(min_value=0, max_value=100))
def test_plan_is_monotonic_in_passengers(groups: list[PassengerGroup], more: list[PassengerGroup], pct: int) -> None:
    smaller, bigger = load_plan(groups, pct), load_plan(groups + more, pct)
    for item, qty in smaller.items():
        assert bigger.get(item, 0) >= qty


@given(groups_st)
def test_every_seated_passenger_has_exactly_one_meal(groups: list[PassengerGroup]) -> None:
    """...and an infant one (a baby meal) only when asked for."""
    need = demand(groups)
    meals = sum(q for i, q in need.items() if i.startswith("meal-"))
    seated = sum(g.count for g in groups if g.passenger_type is not INFANT)
    babies = sum(g.count for g in groups if g.passenger_type is INFANT and g.meal == "infant")
    assert meals == seated + babies


def test_paid_meals_follow_a_moved_booking() -> None:
    paid = {"OLD": {"nasi-lemak": 1}, "BACK": {"chicken-rice": 2}, "GONE": {"nasi-lemak": 1}}
    # OLD replaced by NEW; BACK still flown; GONE replaced by nothing (fewer flights added: the last one)
    moved = domain.paid_meals_after_move(paid, {"NEW", "BACK"}, ["OLD", "GONE"], ["NEW"])
    assert moved == {"NEW": {"nasi-lemak": 2}, "BACK": {"chicken-rice": 2}}
    # a flight neither flown nor replaced loses its meals (the booking left it without a successor)
    assert domain.paid_meals_after_move({"X": {"a": 1}}, {"Y"}, [], ["Y"]) == {}
    # one removed, two added (a connection): served on the first
    assert domain.paid_meals_after_move({"X": {"a": 1}}, {"Y1", "Y2"}, ["X"], ["Y1", "Y2"]) == {"Y1": {"a": 1}}


@given(
    st.dictionaries(
        st.sampled_from(["A", "B", "C", "D"]),
        st.dictionaries(st.sampled_from(["m1", "m2"]), st.integers(min_value=1, max_value=5), min_size=1),
    ),
    st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True),
    st.lists(st.sampled_from(["E", "F"]), unique=True),
)
def test_a_move_never_creates_paid_meals(paid: dict[str, dict[str, int]], removed: list[str], added: list[str]) -> None:
    now = (set("ABCD") - set(removed)) | set(added)
    moved = domain.paid_meals_after_move(paid, now, removed, added)
    assert sum(sum(c.values()) for c in moved.values()) <= sum(sum(c.values()) for c in paid.values())
    assert set(moved) <= now
    if added or not removed:  # every meal has a flight to go to: none is lost
        assert sum(sum(c.values()) for c in moved.values()) == sum(sum(c.values()) for c in paid.values())
