"""The gate's upgrade list, pure rules: the next cabin up, the fare per seat, who may be listed and
the priority order (fare paid first, then who was listed first)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.checkin import departure_rules as rules
from airline.checkin import upgrade_rules as up
from airline.platform.errors import Conflict

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def leg(pid: str, *, fare: int = 10000, listed: int | None = 0, **more: Any) -> dict[str, Any]:
    kind = more.pop("kind", "adult")
    return {
        "booking_id": more.pop("booking", f"b-{pid}"),
        "passenger_id": pid,
        "first_name": pid,
        "last_name": "Upg",
        "type": kind,
        "status": more.pop("status", "checked_in"),
        "cabin_class": more.pop("cabin", "normal"),
        "seat": more.pop("seat", "" if kind == "infant" else "20A"),
        "infant_of": more.pop("infant_of", ""),
        "checked_in_at": T0,
        "volunteer": False,
        "fare_per_seat": fare,
        "upgrade_requested_at": None if listed is None else T0 + timedelta(minutes=listed),
        "upgraded_cabin": more.pop("upgraded", None),
        **more,
    }


def test_the_next_cabin_up_is_business_from_economy_and_none_from_the_top() -> None:
    assert (up.next_cabin("normal"), up.next_cabin("vip"), up.next_cabin("first")) == ("vip", None, None)


def test_the_fare_per_seat_is_the_total_over_seated_passengers_and_flights() -> None:
    # two adults and a lap infant on a round trip: 4 seat-flights
    assert up.fare_per_seat(40_000, ["adult", "adult", "infant"], 2) == 10_000
    assert up.fare_per_seat(5, [], 0) == 5  # never a division by zero
    assert up.fare_per_seat(-3, ["adult"], 1) == 0


def test_the_higher_fare_goes_first_whoever_asked_first() -> None:
    legs = [leg("ANN", fare=10_000, listed=0), leg("BEN", fare=30_000, listed=5), leg("CY", fare=10_000, listed=2)]
    assert [x["passenger_id"] for x in up.upgrade_list(legs, "vip")] == ["BEN", "ANN", "CY"]


def test_the_list_leaves_out_who_is_not_listed_upgraded_boarded_or_already_in_the_top_cabin() -> None:
    legs = [
        leg("ANN"),
        leg("NOT", listed=None),
        leg("UP", upgraded="vip"),
        leg("BRD", status="boarded"),
        leg("OFF", status="offloaded"),
        leg("VIP", cabin="vip"),
    ]
    assert [x["passenger_id"] for x in up.upgrade_list(legs, "vip")] == ["ANN"]
    assert up.upgrade_list(legs, "normal") == []


def test_the_gate_lists_show_each_cabins_upgrade_list() -> None:
    legs = [leg("ANN", fare=1), leg("BEN", fare=2), leg("VAL", cabin="vip", listed=None)]
    lists = {c.cabin_class: c for c in rules.gate_lists(legs, {"vip": 2, "normal": 3})}
    assert [x["passenger_id"] for x in lists["vip"].upgrades] == ["BEN", "ANN"]
    assert lists["normal"].upgrades == []
    assert "highest fare paid" in rules.PRIORITY


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (leg("X", status="booked"), "not_checked_in"),
        (leg("X", status="boarded"), "already_boarded"),
        (leg("X", status="offloaded"), "offloaded"),
        (leg("X", upgraded="vip"), "already_upgraded"),
        (leg("X", seat=""), "on_standby"),
        (leg("X", cabin="vip"), "top_cabin"),
        (leg("X", kind="child"), "not_upgradable"),
        (leg("X", kind="infant", infant_of="P9"), "not_upgradable"),
    ],
)
def test_who_cannot_be_listed_is_told_why(who: dict[str, Any], code: str) -> None:
    with pytest.raises(Conflict) as e:
        up.require_listable(who, [who])
    assert e.value.code == code


def test_an_adult_with_a_lap_infant_is_never_listed_one_without_goes_up_to_business() -> None:
    mum = leg("P1", booking="fam")
    baby = leg("P2", booking="fam", kind="infant", infant_of="P1")
    other = leg("P1", booking="other")
    with pytest.raises(Conflict) as e:
        up.require_listable(mum, [mum, baby, other])
    assert e.value.code == "travels_with_infant"
    assert up.require_listable(other, [mum, baby, other]) == "vip"


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 50)), min_size=1, max_size=12))
def test_the_order_is_by_fare_descending_then_by_listing_time(entries: list[tuple[int, int]]) -> None:
    legs = [leg(f"P{i}", fare=fare * 1000, listed=minute) for i, (fare, minute) in enumerate(entries)]
    order = up.upgrade_list(legs, "vip")
    assert sorted(x["passenger_id"] for x in order) == sorted(x["passenger_id"] for x in legs)
    keys = [(-x["fare_per_seat"], x["upgrade_requested_at"]) for x in order]
    assert keys == sorted(keys)
