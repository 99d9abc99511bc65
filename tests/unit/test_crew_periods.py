"""Duty periods of several sectors and the legality engine on them (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airline.crew.domain import CrewRole, Duty, LegalityRules, Member, MemberSchedule, violations
from airline.crew.legality import build_pairings, build_periods, fdp_limit, hours

RULES = LegalityRules()  # base at UTC+8, EASA-like FDP table, 10 h ground time ends a period
DAY = datetime(2030, 1, 7, tzinfo=UTC)  # 08:00 at the base
H = timedelta(hours=1)
M = timedelta(minutes=1)


def local(day: int, hh: int, mm: int = 0) -> datetime:
    """`hh:mm` base local time (UTC+8) on day `day`."""
    return DAY + timedelta(days=day, hours=hh - 8, minutes=mm)


def sector(fid: str, origin: str, destination: str, dep: datetime, minutes: int) -> Duty:
    arr = dep + minutes * M
    return Duty(fid, origin, destination, dep - 60 * M, dep, arr, arr + 30 * M)


def out_and_back(day: int, fid: str = "a", dest: str = "AOR") -> tuple[Duty, Duty]:
    return (
        sector(f"{fid}-out-{day}", "XSP", dest, local(day, 8), 85),
        sector(f"{fid}-back-{day}", dest, "XSP", local(day, 15), 85),
    )


def captain(home: str = "XSP") -> Member:
    return Member("c1", "Captain One", CrewRole.CAPTAIN, frozenset({"A320-200"}), home)


def broken(held: tuple[Duty, ...], candidate: Duty, rules: LegalityRules = RULES) -> set[str]:
    return {v.rule for v in violations(MemberSchedule(captain(), held), candidate, "A320-200", rules)}


def test_an_out_and_back_is_one_duty_period_and_legal_the_same_day() -> None:
    out, back = out_and_back(0)
    assert broken((out,), back) == set()
    assert broken((back,), out) == set()
    (period,) = build_periods([out, back], RULES)
    assert period.sectors == (out, back)
    assert period.report_at == local(0, 7) and period.release_at == back.release_at
    assert hours(period.fdp) == 9 + 25 / 60  # report 07:00 to the last arrival 16:25


def test_a_long_ground_time_splits_the_periods_and_then_rest_rules_apply() -> None:
    out = sector("out", "XSP", "AOR", local(0, 8), 85)
    late = sector("late", "AOR", "XSP", out.arrival + 10 * H, 85)  # 10 h on the ground: a rest away
    assert len(build_periods([out, late], RULES)) == 2
    # release 30 min after arrival, report 60 min before departure: only 8.5 h of rest away
    assert broken((out,), late) == {"min_rest"}
    rested = sector("rested", "AOR", "XSP", out.arrival + 11.5 * H, 85)
    assert broken((out,), rested) == set()
    # 9 h 59 on the ground is still one period: 07:00 report to 20:49 arrival is over 13 h
    same = sector("same", "AOR", "XSP", out.arrival + 10 * H - M, 85)
    assert len(build_periods([out, same], RULES)) == 1
    assert broken((out,), same) == {"max_fdp"}
    shorter = sector("same", "AOR", "XSP", out.arrival + 8 * H, 85)  # arrives 18:50: 11 h 50
    assert broken((out,), shorter) == set()


def test_fdp_limit_by_report_time_and_sectors() -> None:
    assert fdp_limit(local(0, 6), 2, RULES) == 13 * H
    assert fdp_limit(local(0, 13, 29), 1, RULES) == 13 * H
    assert fdp_limit(local(0, 15), 2, RULES) == 12 * H
    assert fdp_limit(local(0, 18), 2, RULES) == 11 * H
    assert fdp_limit(local(0, 2), 2, RULES) == 11 * H
    assert fdp_limit(local(0, 8), 4, RULES) == 12 * H  # minus 30 min per sector beyond 2
    custom = LegalityRules(fdp_table=((0, 10.0), (7 * 60, 12.0)), base_utc_offset_hours=0)
    assert fdp_limit(DAY.replace(hour=6), 1, custom) == 10 * H


def test_a_night_report_gets_the_shorter_fdp() -> None:
    # report 18:00 local, a 10 h 45 FDP is legal at night only up to 11 h
    ok = sector("n1", "XSP", "BKK", local(0, 19), 9 * 60 + 45)
    over = sector("n2", "XSP", "BKK", local(0, 19), 10 * 60 + 1)
    assert broken((), ok) == set()
    assert broken((), over) == {"max_fdp"}
    # the same flight reported in the morning is legal (13 h)
    assert broken((), sector("d", "XSP", "BKK", local(0, 8), 10 * 60 + 1)) == set()


def test_extra_sectors_shorten_the_fdp() -> None:
    a = sector("a", "XSP", "AOR", local(0, 7), 120)  # report 06:00, 13 h for 2 sectors
    b = sector("b", "AOR", "XSP", local(0, 10), 120)
    c = sector("c", "XSP", "CGK", local(0, 13), 120)
    d = sector("d", "CGK", "XSP", local(0, 16), 120)  # arrives 18:00: FDP 12 h, 4 sectors allow 12 h
    assert broken((a, b, c), d) == set()
    late = sector("d", "CGK", "XSP", local(0, 16), 121)
    assert broken((a, b, c), late) == {"max_fdp"}


def test_rest_between_periods_is_12h_at_home_and_at_least_the_duty() -> None:
    out, back = out_and_back(0)  # released 16:55 local after a 9 h 55 duty
    nxt_ok = sector("n", "XSP", "AOR", back.release_at + 12 * H + 60 * M, 85)
    nxt_short = sector("n", "XSP", "AOR", back.release_at + 12 * H - M + 60 * M, 85)
    assert broken((out, back), nxt_ok) == set()
    assert broken((out, back), nxt_short) == {"min_rest"}


def test_location_inside_a_period() -> None:
    out = sector("out", "XSP", "AOR", local(0, 8), 85)
    wrong = sector("w", "BKK", "XSP", local(0, 15), 120)
    assert "location" in broken((out,), wrong)


def test_a_day_off_after_six_duty_days() -> None:
    def hop(day: int) -> Duty:  # a 2.5 h duty
        return sector(f"h{day}", "XSP", "XSP", local(day, 8), 60)

    six = tuple(hop(d) for d in range(6))
    assert broken(six, hop(6)) == {"days_off"}
    # with a free day (day 6) in between the run starts again
    assert broken(six, hop(7)) == set()
    assert broken(six, hop(6), LegalityRules(max_consecutive_duty_days=7)) == set()
    # filling the gap between two runs counts both
    assert broken((*six[:3], *(hop(d) for d in range(4, 8))), hop(3)) == {"days_off"}


def test_60_duty_hours_over_periods() -> None:
    # six out-and-backs of 9 h 55 duty = 59.5 h; a 7th period the same week is over 60 h
    six = tuple(s for d in range(6) for s in out_and_back(d))
    loose = LegalityRules(max_consecutive_duty_days=9)
    short = sector("s", "XSP", "XSP", local(6, 8), 30)
    assert broken(six, short, loose) == {"max_duty_7d"}


def test_pairings_start_and_end_at_home() -> None:
    out = sector("o", "XSP", "BKK", local(0, 9), 145)
    back = sector("b", "BKK", "XSP", local(1, 15), 150)  # a night in Bangkok
    trip = out_and_back(3)
    periods = build_periods([out, back, *trip], RULES)
    assert len(periods) == 3
    pairings = build_pairings(periods, "XSP")
    assert [len(p.periods) for p in pairings] == [2, 1]
    assert pairings[0].nights_away == 1 and pairings[0].returns_home and pairings[1].returns_home
    assert broken((out,), back) == set()
    open_ended = build_pairings(build_periods([out], RULES), "XSP")
    assert not open_ended[0].returns_home


def test_the_fdp_table_setting() -> None:
    from airline.crew.settings import CrewSettings, parse_fdp_table

    assert parse_fdp_table("17:00=11, 06:00=13") == ((360, 13.0), (1020, 11.0))
    rules = CrewSettings(fdp_table="00:00=10,08:00=12", base_utc_offset_hours=0).rules()
    assert fdp_limit(DAY.replace(hour=7), 1, rules) == 10 * H
    assert fdp_limit(DAY.replace(hour=9), 1, rules) == 12 * H
    assert LegalityRules().fdp_table == CrewSettings().rules().fdp_table  # one default, two spellings
