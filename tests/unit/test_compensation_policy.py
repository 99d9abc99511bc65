"""Passenger rights: the compensation policy's rules (bands, thresholds, currencies, the
shipped policies), and the great-circle distance of a route, without I/O."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import airline.booking
from airline.airport.domain import Airport, change_airport, great_circle_km, new_airport, route_distance_km
from airline.booking.compensation import FlightFacts, Reason, entitlement, load_policy, method, parse_policy
from airline.platform.errors import Conflict, ValidationFailed

EU = load_policy("eu261")
NONE = load_policy("none")
DEPARTS = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
ARRIVES = DEPARTS + timedelta(hours=2)


def facts(
    status: str = "scheduled",
    km: float | None = 1000.0,
    late: timedelta | None = None,
    *,
    actual: bool = False,
    cancelled_at: datetime | None = None,
) -> FlightFacts:
    arrival = None if late is None else ARRIVES + late
    return FlightFacts(
        "f1",
        "XA1",
        status,
        DEPARTS,
        ARRIVES,
        arrival if actual else None,
        None if actual else arrival,
        km,
        cancelled_at,
    )


def test_a_cancellation_is_owed_the_band_amount_in_the_bookings_currency() -> None:
    for km, eur, sgd in ((800, 25000, 36300), (2000, 40000, 58000), (5300, 60000, 87000)):
        e = entitlement(EU, facts("cancelled", km), "EUR")
        assert e is not None and e.reason is Reason.CANCELLED and e.amount == eur
        assert entitlement(EU, facts("cancelled", km), "SGD").amount == sgd  # type: ignore[union-attr]


def test_the_none_policy_owes_nothing() -> None:
    assert entitlement(NONE, facts("cancelled", 5000), "EUR") is None
    assert entitlement(NONE, facts("delayed", 5000, timedelta(hours=9)), "EUR") is None


@given(st.floats(min_value=0, max_value=20_000, allow_nan=False))
def test_bands_are_inclusive_at_their_upper_bound(km: float) -> None:
    e = entitlement(EU, facts("cancelled", km), "EUR")
    assert e is not None
    assert e.amount == (25000 if km <= 1500 else 40000 if km <= 3500 else 60000)


def test_exactly_1500_km_is_the_short_band_and_just_over_is_not() -> None:
    assert entitlement(EU, facts("cancelled", 1500.0), "EUR").amount == 25000  # type: ignore[union-attr]
    assert entitlement(EU, facts("cancelled", 1500.001), "EUR").amount == 40000  # type: ignore[union-attr]


@given(st.integers(min_value=-120, max_value=24 * 60), st.booleans())
def test_an_arrival_delay_is_owed_from_three_hours(minutes: int, actual: bool) -> None:
    e = entitlement(EU, facts("delayed", 1000, timedelta(minutes=minutes), actual=actual), "EUR")
    if minutes >= 180:
        assert e is not None and e.reason is Reason.ARRIVAL_DELAY and e.delay_minutes == minutes
    else:
        assert e is None


def test_exactly_three_hours_late_is_owed_a_second_less_is_not() -> None:
    assert entitlement(EU, facts("delayed", 1000, timedelta(hours=3)), "EUR") is not None
    assert entitlement(EU, facts("delayed", 1000, timedelta(hours=3) - timedelta(seconds=1)), "EUR") is None


def test_four_hours_late_is_owed_two_hours_is_not() -> None:
    e = entitlement(EU, facts("arrived", 2000, timedelta(hours=4), actual=True), "EUR")
    assert e is not None and e.amount == 40000 and "4 h 00 min late" in e.explanation
    assert entitlement(EU, facts("arrived", 2000, timedelta(hours=2), actual=True), "EUR") is None


def test_the_actual_arrival_wins_over_an_announced_one() -> None:
    f = FlightFacts(
        "f1", "XA1", "arrived", DEPARTS, ARRIVES, ARRIVES + timedelta(hours=1), ARRIVES + timedelta(hours=5), 900
    )
    assert entitlement(EU, f, "EUR") is None


def test_a_policy_may_count_only_actual_arrivals() -> None:
    strict = parse_policy({**json.loads(json.dumps(_raw("eu261"))), "count_estimated_arrival": False})
    assert entitlement(strict, facts("delayed", 1000, timedelta(hours=5)), "EUR") is None
    assert entitlement(strict, facts("arrived", 1000, timedelta(hours=5), actual=True), "EUR") is not None


def test_a_cancellation_announced_14_days_ahead_is_not_owed() -> None:
    assert entitlement(EU, facts("cancelled", 900, cancelled_at=DEPARTS - timedelta(days=14)), "EUR") is None
    late_notice = DEPARTS - timedelta(days=13, hours=23)
    assert entitlement(EU, facts("cancelled", 900, cancelled_at=late_notice), "EUR") is not None


def test_an_unknown_currency_or_distance_is_a_clear_refusal() -> None:
    with pytest.raises(Conflict) as e:
        entitlement(EU, facts("cancelled", 900), "JPY")
    assert e.value.code == "compensation_currency"
    with pytest.raises(Conflict) as e:
        entitlement(EU, facts("cancelled", None), "EUR")
    assert e.value.code == "distance_unknown"
    assert entitlement(EU, facts("scheduled", None), "EUR") is None  # nothing owed: no distance needed


def test_method_is_voucher_or_refund() -> None:
    assert method(" Voucher ") == "voucher" and method("refund") == "refund"
    with pytest.raises(ValidationFailed):
        method("cash")


@pytest.mark.parametrize(
    "broken",
    [
        {"name": "Bad Name"},
        {"name": "x", "bands": [{"up_to_km": 10, "amounts": {"EUR": 1}}, {"up_to_km": 5, "amounts": {"EUR": 1}}]},
        {"name": "x", "bands": [{"up_to_km": None, "amounts": {}}, {"up_to_km": 5, "amounts": {}}]},
        {"name": "x", "bands": [{"up_to_km": 10, "amounts": {"eur": 1}}]},
        {"name": "x", "bands": [{"up_to_km": 10, "amounts": {"EUR": -1}}]},
        {"name": "x", "arrival_delay_minutes": -5},
    ],
)
def test_a_broken_policy_file_is_refused_with_its_reason(broken: dict[str, object], tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match="compensation policy"):
        load_policy(str(path))


def test_a_policy_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({**_raw("eu261"), "name": "mine", "arrival_delay_minutes": 120}), encoding="utf-8")
    mine = load_policy(str(path))
    assert mine.name == "mine"
    assert entitlement(mine, facts("delayed", 1000, timedelta(hours=2)), "EUR") is not None


def _raw(name: str) -> dict[str, object]:
    folder = Path(airline.booking.__file__).parent / "policies"
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --- distance ---------------------------------------------------------------------------------

XSP = new_airport("XSP", "Seletar", "Singapore", "SG", "Asia/Singapore", 1.4169, 103.8678)
BKK = new_airport("BKK", "Suvarnabhumi", "Bangkok", "TH", "Asia/Bangkok", 13.69, 100.7501)
CGK = new_airport("CGK", "Soekarno-Hatta", "Jakarta", "ID", "Asia/Jakarta", -6.1256, 106.6559)


def test_seeded_routes_have_their_known_distances() -> None:
    assert route_distance_km(XSP, BKK) == pytest.approx(1411, abs=5)
    assert route_distance_km(XSP, CGK) == pytest.approx(893, abs=5)


def test_no_coordinates_no_distance() -> None:
    bare = Airport("AAA", "A", "A", "SG", "Asia/Singapore")
    assert route_distance_km(bare, XSP) is None and route_distance_km(XSP, bare) is None


coords = st.tuples(st.floats(-90, 90), st.floats(-180, 180))


@given(coords, coords)
def test_great_circle_is_symmetric_and_bounded(a: tuple[float, float], b: tuple[float, float]) -> None:
    d = great_circle_km(*a, *b)
    assert d == pytest.approx(great_circle_km(*b, *a), abs=1e-6)
    assert 0 <= d <= 20_016  # half the Earth's circumference
    assert great_circle_km(*a, *a) == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize(("lat", "lon"), [(90.01, 0), (-91, 0), (0, 180.5), (0, -181), (float("nan"), 0), (1.0, None)])
def test_coordinates_off_the_globe_or_alone_are_refused(lat: float, lon: float | None) -> None:
    with pytest.raises(ValidationFailed):
        new_airport("ZZZ", "Z", "Z", "SG", "Asia/Singapore", lat, lon)


def test_coordinates_change_together_and_are_kept_otherwise() -> None:
    moved = change_airport(XSP, latitude=1.0, longitude=2.0)
    assert (moved.latitude, moved.longitude) == (1.0, 2.0)
    assert change_airport(moved, name="Renamed").latitude == 1.0
    with pytest.raises(ValidationFailed):
        change_airport(XSP, latitude=1.0)
