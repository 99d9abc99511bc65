"""Departure control's pure rules: the gate lists' priority, counts, the load sheet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from airline.checkin import departure_rules as rules
from airline.checkin import domain
from airline.platform.errors import Conflict

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def leg(pid: str, status: str = "checked_in", kind: str = "adult", minute: int | None = 0, **more: Any) -> dict:
    return {
        "booking_id": more.pop("booking", "b1"),
        "passenger_id": pid,
        "type": kind,
        "status": status,
        "cabin_class": more.pop("cabin", "normal"),
        "checked_in_at": None if minute is None or status == "booked" else T0 + timedelta(minutes=minute),
        "volunteer": more.pop("volunteer", False),
        "infant_of": more.pop("infant_of", ""),
        "meal": more.pop("meal", ""),
        "seat": more.pop("seat", "" if kind == "infant" else "1A"),
        **more,
    }


def test_an_overbooked_cabin_lists_volunteers_first_then_not_checked_in_then_latest_check_ins() -> None:
    legs = [
        leg("P1", minute=1),
        leg("P2", minute=5),
        leg("P3", minute=9),
        leg("P4", status="booked", minute=None),
        leg("P5", minute=2, volunteer=True),
        leg("P6", status="boarded", minute=0),
        leg("P7", kind="child", minute=20),
        leg("P8", minute=30, booking="b2"),  # travels with an infant
        leg("P9", kind="infant", minute=30, booking="b2", infant_of="P8"),
    ]
    [cabin] = rules.gate_lists(legs, {"normal": 4})
    assert (cabin.seats, cabin.passengers, cabin.over) == (4, 8, 4)  # the infant needs no seat
    assert [x["passenger_id"] for x in cabin.volunteers] == ["P5"]
    assert [x["passenger_id"] for x in cabin.candidates] == ["P5", "P4", "P3", "P2"]


def test_a_cabin_with_seats_to_spare_names_nobody_and_offloaded_passengers_do_not_count() -> None:
    legs = [leg("P1"), leg("P2", status="offloaded"), leg("P3", cabin="vip")]
    lists = {c.cabin_class: c for c in rules.gate_lists(legs, {"normal": 1, "vip": 2})}
    assert lists["normal"].over == 0 and lists["normal"].candidates == [] and lists["normal"].passengers == 1
    assert lists["vip"].passengers == 1


@given(st.lists(st.sampled_from(["booked", "checked_in", "boarded"]), max_size=12), st.integers(0, 12))
def test_the_gate_never_bumps_more_than_it_is_over_nor_a_boarded_passenger(statuses: list[str], seats: int) -> None:
    legs = [leg(f"P{i}", status=s, minute=i) for i, s in enumerate(statuses)]
    [cabin] = rules.gate_lists(legs, {"normal": seats})
    assert len(cabin.candidates) <= cabin.over == max(0, len(statuses) - seats)
    assert all(x["status"] != "boarded" for x in cabin.candidates)


def test_standby_passengers_are_listed_in_check_in_order() -> None:
    legs = [leg("P1", minute=9, seat=""), leg("P2", minute=3, seat=""), leg("P3", status="booked", seat="")]
    legs += [leg("P4", kind="infant", minute=1, infant_of="P2")]
    [cabin] = rules.gate_lists(legs, {"normal": 1})
    assert [x["passenger_id"] for x in cabin.standby] == ["P2", "P1"]  # not the unseated no-show nor the infant
    assert domain.on_standby(legs[0]) and not domain.on_standby(legs[2]) and not domain.on_standby(legs[3])


def test_standby_is_cleared_only_once_check_in_has_closed() -> None:
    departure = T0 + timedelta(hours=1)
    domain.require_checkin_closed(departure - timedelta(minutes=60), departure, 60, "XA1")
    try:
        domain.require_checkin_closed(departure - timedelta(minutes=61), departure, 60, "XA1")
    except Conflict as e:
        assert e.code == "checkin_open"
    else:
        raise AssertionError("standby cleared while check-in was open")


def test_counts_and_special_meals() -> None:
    legs = [leg("P1", meal="VGML"), leg("P2", kind="child", meal="CHML"), leg("P3", kind="infant"), leg("P4")]
    c = rules.counts(legs)
    assert (c.adults, c.children, c.infants, c.total) == (2, 1, 1, 4)
    assert rules.special_meals(legs) == [("CHML", 1), ("VGML", 1)]


def test_the_load_sheet_weighs_passengers_by_cabin_and_splits_bags_between_the_holds() -> None:
    legs = [
        leg("P1", compartment="Y"),
        leg("P2", kind="child", compartment="Y"),
        leg("P3", kind="infant", compartment="Y"),
        leg("P4", compartment="J"),
    ]
    sheet = rules.load_sheet(
        legs, [20_000, 10_000, 10_000, 500], rules.StandardWeights(), rules.HoldLimits(15, 100, 1000), 0.5
    )
    by = {c.name: c for c in sheet.compartments}
    assert [c.name for c in sheet.compartments] == ["J", "Y", "FWD", "AFT"]
    assert (by["Y"].passengers, by["Y"].passenger_kg, by["J"].passenger_kg) == (3, 84 + 35, 84)
    assert by["FWD"].bags + by["AFT"].bags == 4 and by["FWD"].bag_kg + by["AFT"].bag_kg == 41  # 40.5 kg up
    assert sheet.total_payload_kg == 84 * 2 + 35 + 41
    assert by["FWD"].over_limit and not sheet.within_limits and "FWD hold" in sheet.warnings[0]
    heavy = rules.load_sheet(legs, [], rules.StandardWeights(), rules.HoldLimits(0, 0, 100), 0.4)
    assert heavy.warnings == ["payload 203 kg over the maximum of 100 kg"]


def test_boarding_closes_with_the_gate() -> None:
    departure = T0 + timedelta(hours=1)
    domain.require_boarding_open(departure - timedelta(minutes=16), departure, 15, "XA1")
    try:
        domain.require_boarding_open(departure - timedelta(minutes=15), departure, 15, "XA1")
    except Conflict as e:
        assert e.code == "boarding_closed" and "gate close" in e.message
    else:
        raise AssertionError("a scan at gate close was accepted")


def test_the_travel_document_kept_for_apis() -> None:
    doc = {"type": "passport", "number": "K1", "issuing_country": "sg", "expiry": "2040-01-31"}
    assert domain.travel_document("1985-12-10", doc, "VGML") == {
        "date_of_birth": "1985-12-10",
        "document_type": "passport",
        "document_country": "SG",
        "document_expiry": "2040-01-31",
        "meal": "VGML",
    }
    assert domain.travel_document(None, None, None)["document_type"] == ""
