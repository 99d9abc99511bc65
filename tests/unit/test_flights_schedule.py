"""Flight creation rules without I/O: legs, round trips, recurring schedules and the window
of dates a flight may use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from airline.flights import domain
from airline.flights.domain import CabinClass
from airline.platform.errors import ValidationFailed
from tests.support.flights_domain import BOARDING, T0, TURNAROUND, H, M, S

# ---------------------------------------------------------------- legs


def test_leg_is_normalised_and_checked() -> None:
    leg = domain.new_leg(" xa101 ", "xsp", "aor", T0, 85, "p1", "x1")
    assert (leg.number, leg.origin, leg.destination, leg.plane_id, leg.gate) == ("XA101", "XSP", "AOR", "P1", "X1")
    assert leg.arrival == T0 + 85 * M
    assert domain.block_window(leg, TURNAROUND) == (T0, T0 + 130 * M)
    assert domain.gate_window(T0, BOARDING) == (T0 - BOARDING, T0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("XA101", "XSP", "XSP", T0, 85, "P1", "X1"), "differ"),
        (("XA101", "XS", "AOR", T0, 85, "P1", "X1"), "origin"),
        (("X", "XSP", "AOR", T0, 85, "P1", "X1"), "number"),
        (("XA12345", "XSP", "AOR", T0, 85, "P1", "X1"), "number"),
        (("XA101", "XSP", "AOR", T0.replace(tzinfo=None), 85, "P1", "X1"), "time zone"),
        (("XA101", "XSP", "AOR", T0, 0, "P1", "X1"), "duration"),
        (("XA101", "XSP", "AOR", T0, 20 * 60 + 1, "P1", "X1"), "duration"),
        (("XA101", "XSP", "AOR", T0, 85, "1P", "X1"), "plane_id"),
        (("XA101", "XSP", "AOR", T0, 85, "P1", "X-1"), "gate"),
    ],
)
def test_bad_legs(args: tuple, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationFailed, match=message):
        domain.new_leg(*args)


def test_departure_must_be_in_the_future() -> None:
    leg = domain.new_leg("XA101", "XSP", "AOR", T0, 85, "P1", "X1")
    domain.check_in_future([leg], T0 - M)
    with pytest.raises(ValidationFailed, match="future"):
        domain.check_in_future([leg], T0)


def test_return_leg_needs_the_turnaround() -> None:
    out = domain.new_leg("XA101", "XSP", "AOR", T0, 85, "P1", "X1")
    domain.check_return_leg(out, domain.new_leg("XA102", "AOR", "XSP", T0 + 130 * M, 85, "P1", "A1"), TURNAROUND)
    with pytest.raises(ValidationFailed, match="turnaround"):
        domain.check_return_leg(out, domain.new_leg("XA102", "AOR", "XSP", T0 + 129 * M, 85, "P1", "A1"), TURNAROUND)


def test_conflicts_within_one_request() -> None:
    tzs = {"XSP": "Asia/Singapore", "AOR": "Asia/Kuala_Lumpur"}
    a = domain.new_leg("XA101", "XSP", "AOR", T0, 85, "P1", "X1")
    same_number_day = domain.new_leg("XA101", "XSP", "AOR", T0 + 2 * H, 85, "P2", "X2")
    same_gate = domain.new_leg("XA201", "XSP", "AOR", T0 + 30 * M, 85, "P3", "X1")
    after = domain.new_leg("XA301", "XSP", "AOR", T0 + 40 * M, 85, "P4", "X1")  # boards as `a` leaves
    problems = domain.duplicates_in_request([a, same_number_day, same_gate, after], tzs, BOARDING)
    assert any("XA101 on 2027-03-01 appears twice" in p for p in problems)
    assert any(p.startswith("XA201 on 2027-03-01: gate X1 is taken by XA101 07:20-08:00 local") for p in problems)
    assert not any(p.startswith("XA301") and "XA101" in p for p in problems)


def test_flight_from_leg_copies_capacity_and_local_date() -> None:
    leg = domain.new_leg("XA101", "XSP", "AOR", datetime(2027, 3, 1, 17, 0, tzinfo=UTC), 85, "P1", "X1")
    f = domain.flight_from_leg(
        leg,
        "id",
        domain.AirportInfo("XSP", "Asia/Singapore", "Singapore"),
        domain.AirportInfo("AOR", "Asia/Kuala_Lumpur", "Alor Setar"),
        {"normal": 150, "vip": 8},
        BOARDING,
    )
    assert f.departure_local_date == date(2027, 3, 2)  # 01:00 the next day in Singapore
    assert [(c.cabin_class, c.capacity, c.sold) for c in f.seats] == [
        (CabinClass.VIP, 8, 0),
        (CabinClass.NORMAL, 150, 0),
    ]
    assert f.status is S.PENDING and f.boarding_starts == leg.departure - BOARDING
    assert f.seats_left(CabinClass.VIP) == 8


# ---------------------------------------------------------------- schedules


def spec(**kw: object) -> domain.ScheduleSpec:
    base: dict[str, object] = dict(
        number="XA101",
        origin="XSP",
        destination="AOR",
        pid="P1",
        gate="X1",
        departure_local_time="08:00",
        duration_minutes=85,
        first_date="2027-03-01",
        days=7,
        weekdays=[],
    )
    return domain.schedule_spec(**{**base, **kw})  # type: ignore[arg-type]


def test_daily_schedule_keeps_the_local_time() -> None:
    days = domain.expand_schedule(spec(), "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    assert len(days) == 7 and all(back is None for _, back in days)
    local = [d.departure.astimezone(ZoneInfo("Asia/Singapore")) for d, _ in days]
    assert [x.date() for x in local] == [date(2027, 3, 1) + timedelta(days=i) for i in range(7)]
    assert {x.strftime("%H:%M") for x in local} == {"08:00"}


def test_schedule_across_a_dst_change_keeps_the_wall_clock() -> None:
    days = domain.expand_schedule(
        spec(first_date="2027-03-26", days=4), "Europe/London", "Asia/Kuala_Lumpur", TURNAROUND
    )
    utc_hours = [d.departure.hour for d, _ in days]
    assert utc_hours == [8, 8, 7, 7]  # BST starts on 2027-03-28
    assert {d.departure.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") for d, _ in days} == {"08:00"}


def test_schedule_weekdays_and_return() -> None:
    s = spec(days=14, weekdays=[1, 3, 5], return_number="XA102", return_gate="A1", return_departure_local_time="15:00")
    days = domain.expand_schedule(s, "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    assert {d.departure.astimezone(ZoneInfo("Asia/Singapore")).isoweekday() for d, _ in days} == {1, 3, 5}
    assert len(days) == 6
    for out, back in days:
        assert back is not None and (back.origin, back.destination, back.gate, back.number) == (
            "AOR",
            "XSP",
            "A1",
            "XA102",
        )
        assert back.departure.astimezone(ZoneInfo("Asia/Kuala_Lumpur")).strftime("%H:%M") == "15:00"
        assert back.duration == out.duration  # defaults to the outbound's


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"days": 0}, "days"),
        ({"days": 367}, "days"),
        ({"weekdays": [0]}, "weekdays"),
        ({"departure_local_time": "24:00"}, "departure_local_time"),
        ({"first_date": "01/03/2027"}, "first_date"),
        ({"return_number": "XA101", "return_gate": "A1", "return_departure_local_time": "15:00"}, "differ"),
        ({"return_gate": "A1", "return_departure_local_time": "15:00"}, "return_number"),
    ],
)
def test_bad_schedules(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        spec(**kw)


def test_schedule_return_before_turnaround_and_too_many_legs() -> None:
    tight = spec(return_number="XA102", return_gate="A1", return_departure_local_time="09:30")
    with pytest.raises(ValidationFailed, match="turnaround"):
        domain.expand_schedule(tight, "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    long = spec(days=300, return_number="XA102", return_gate="A1", return_departure_local_time="15:00")
    with pytest.raises(ValidationFailed, match="at most 500"):
        domain.expand_schedule(long, "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    with pytest.raises(ValidationFailed, match="no flight"):
        domain.expand_schedule(spec(days=1, weekdays=[2]), "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)


def test_flight_dates_outside_the_window_are_validation_errors() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with pytest.raises(ValidationFailed, match="2100-12-31"):
        domain.new_leg("XA1", "XSP", "AOR", datetime(9999, 6, 1, tzinfo=UTC), 60, "P1", "X1")
    leg = domain.new_leg("XA1", "XSP", "AOR", now + timedelta(days=401), 60, "P1", "X1")
    with pytest.raises(ValidationFailed, match="more than 400 days"):
        domain.check_in_future([leg], now)
    domain.check_in_future([leg], now, max_days_ahead=500)
    with pytest.raises(ValidationFailed, match="first_date"):
        domain.schedule_spec("XA1", "XSP", "AOR", "P1", "X1", "08:00", 60, "9999-01-01", 3, [])
    with pytest.raises(ValidationFailed, match="departure_date"):
        domain.search_query("XSP", "AOR", "9999-12-31", 3, 1, 0, 0, "normal", "one_way", "")
