"""Issue 19 item 7: the seed flies today too, so that a platform started at any hour has
departures to show and sell (the timetable's still ahead, else the spare out-and-back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from airline.flights import seed

SGT = ZoneInfo(seed.HOME_TZ)


def at(hh: int, mm: int) -> datetime:
    return datetime(2026, 12, 7, hh, mm, tzinfo=SGT)


def test_before_dawn_the_whole_timetable_of_today_is_flown() -> None:
    plan = seed.plan_today(at(1, 0).astimezone(UTC))
    assert plan.timetable == ("XA101", "XA201", "XA301") and plan.spare_departure is None


def test_a_departure_less_than_an_hour_ahead_is_left_out() -> None:
    assert seed.plan_today(at(7, 30)).timetable == ("XA201", "XA301")  # 08:00 is 30 min away
    assert seed.plan_today(at(8, 0)).timetable == ("XA201", "XA301")  # 09:00 exactly an hour
    assert seed.plan_today(at(8, 1)).timetable == ("XA301",)


def test_once_the_timetable_has_gone_the_spare_plane_flies_an_hour_ahead_on_a_quarter_hour() -> None:
    plan = seed.plan_today(at(13, 7))
    assert plan.timetable == () and plan.spare_departure == at(14, 15)
    assert seed.plan_today(at(13, 0)).spare_departure == at(14, 0)


def test_late_at_night_nothing_more_leaves_today() -> None:
    assert seed.plan_today(at(23, 0)) == seed.TodayPlan((), None)  # 00:00 is tomorrow's


@given(st.integers(min_value=0, max_value=24 * 60 - 1))
def test_whatever_the_hour_everything_planned_leaves_today_at_least_an_hour_ahead(minute: int) -> None:
    now = at(0, 0) + timedelta(minutes=minute)
    plan = seed.plan_today(now)
    departures = {n: dep for _, _, n, _, dep, *_ in seed.SCHEDULES}
    for number in plan.timetable:
        hh, mm = map(int, departures[number].split(":"))
        assert at(hh, mm) >= now + seed.TODAY_LEAD
    if plan.spare_departure is not None:
        assert not plan.timetable
        assert plan.spare_departure.date() == now.date()
        assert now + seed.TODAY_LEAD <= plan.spare_departure < now + seed.TODAY_LEAD + timedelta(minutes=15)
    # something leaves today unless it is too late in the day for anything to
    assert plan.timetable or plan.spare_departure or now + seed.TODAY_LEAD > at(23, 45)
