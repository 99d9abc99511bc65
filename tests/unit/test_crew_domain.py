"""Crew legality and proposal, without I/O.

The property tests check every proposal against `legal_by_hand` below: a deliberately plain
re-statement of the rules (brute force over every window position on the time grid the
generated schedules live on), not the engine's own code.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from airline.crew.domain import (
    Absence,
    AbsenceKind,
    AssignmentState,
    CrewRole,
    Duty,
    FlightInfo,
    LegalityRules,
    Member,
    MemberSchedule,
    propose,
    readiness,
    required_complement,
    violations,
)

# One sector per duty period and a flat 13 h FDP, no days-off rule: the rules of one flight at a
# time, which these tests state by hand (duty periods of several sectors: test_crew_periods.py).
RULES = LegalityRules(duty_break_hours=0, fdp_table=((0, 13.0),), max_consecutive_duty_days=99)
T0 = datetime(2030, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)
GRID = timedelta(minutes=30)
AIRPORTS = ("XSP", "AAA", "BBB")
TYPES = ("A320-200", "A321neo")


def member(
    role: CrewRole = CrewRole.CAPTAIN,
    home: str = "XSP",
    quals: tuple[str, ...] = ("A320-200",),
    mid: str = "m1",
    active: bool = True,
) -> Member:
    return Member(mid, f"Member {mid}", role, frozenset(quals), home, active)


def flight(
    dep: datetime,
    hours: float = 2,
    origin: str = "XSP",
    destination: str = "AAA",
    fid: str = "f",
    seats: int = 150,
    type_: str = "A320-200",
) -> FlightInfo:
    return FlightInfo(fid, fid.upper(), origin, destination, dep, dep + timedelta(hours=hours), type_, seats)


def duty(dep: datetime, hours: float = 2, origin: str = "XSP", destination: str = "AAA", fid: str = "d") -> Duty:
    """A duty with the default report (60 min) and release (30 min)."""
    arr = dep + timedelta(hours=hours)
    return Duty(fid, origin, destination, dep - 60 * M, dep, arr, arr + 30 * M)


def rules_broken(schedule: MemberSchedule, candidate: Duty, type_: str = "A320-200") -> set[str]:
    return {v.rule for v in violations(schedule, candidate, type_, RULES)}


# --- each rule at its boundary -------------------------------------------------------------


def test_a_fresh_member_at_home_is_legal() -> None:
    assert rules_broken(MemberSchedule(member()), duty(T0)) == set()


def test_qualification_and_inactive() -> None:
    assert rules_broken(MemberSchedule(member()), duty(T0), "A321neo") == {"qualification"}
    assert rules_broken(MemberSchedule(member(active=False)), duty(T0)) == {"inactive"}


def test_rest_at_home_base_exactly_12h_is_enough_11h59_is_not() -> None:
    back = duty(T0, 2, "AAA", "XSP", "back")  # ends at home: report T0-1h, release T0+2h30
    for gap, broken in ((12 * H, set()), (12 * H - M, {"min_rest"})):
        nxt = duty(back.release_at + gap + 60 * M, 2, "XSP", "AAA", "next")
        assert nxt.report_at - back.release_at == gap
        assert rules_broken(MemberSchedule(member(), (back,)), nxt) == broken


def test_rest_away_exactly_10h_is_enough_9h59_is_not() -> None:
    out = duty(T0, 2, "XSP", "AAA", "out")
    for gap, broken in ((10 * H, set()), (10 * H - M, {"min_rest"})):
        nxt = duty(out.release_at + gap + 60 * M, 2, "AAA", "XSP", "back")
        assert rules_broken(MemberSchedule(member(), (out,)), nxt) == broken


def test_rest_is_at_least_the_previous_duty() -> None:
    long_out = duty(T0, 10.5, "XSP", "AAA", "long")  # a 12 h duty away: 12 h rest, not 10 h
    assert long_out.duty_time == 12 * H
    ok = duty(long_out.release_at + 12 * H + 60 * M, 2, "AAA", "XSP", "b")
    short = duty(long_out.release_at + 12 * H - M + 60 * M, 2, "AAA", "XSP", "b")
    assert rules_broken(MemberSchedule(member(), (long_out,)), ok) == set()
    assert rules_broken(MemberSchedule(member(), (long_out,)), short) == {"min_rest"}


def test_rest_before_a_later_duty_counts_too() -> None:
    later = duty(T0 + 20 * H, 2, "AAA", "XSP", "later")
    cand = duty(T0, 2, "XSP", "AAA", "cand")  # released at T0+2h30, away: 10 h rest needed
    assert later.report_at - cand.release_at == 16 * H + 30 * M
    assert rules_broken(MemberSchedule(member(), (later,)), cand) == set()
    too_close = duty(cand.release_at + 10 * H - M + 60 * M, 2, "AAA", "XSP", "later")
    assert rules_broken(MemberSchedule(member(), (too_close,)), cand) == {"min_rest"}


def test_max_flight_duty_period_13h() -> None:
    # the FDP runs from report (60 min before) to arrival: a 12 h flight is exactly 13 h
    assert rules_broken(MemberSchedule(member()), duty(T0, 12)) == set()
    assert rules_broken(MemberSchedule(member()), duty(T0, 12 + 1 / 60)) == {"max_fdp"}


def test_start_where_you_are() -> None:
    assert rules_broken(MemberSchedule(member(home="BBB")), duty(T0)) == {"location"}
    out = duty(T0, 2, "XSP", "AAA", "out")
    assert rules_broken(MemberSchedule(member(), (out,)), duty(T0 + 24 * H, 2, "XSP", "BBB", "x")) == {"location"}
    # inserting before a duty that starts elsewhere would strand the member
    later = duty(T0 + 48 * H, 2, "XSP", "AAA", "later")
    assert rules_broken(MemberSchedule(member(), (later,)), duty(T0, 2, "XSP", "BBB", "x")) == {"location"}


def test_overlap_and_absence() -> None:
    other = duty(T0, 2, "XSP", "XSP", "other")
    assert "overlap" in rules_broken(MemberSchedule(member(), (other,)), duty(T0 + H, 1, "XSP", "AAA", "c"))
    cand = duty(T0, 2)
    for kind in AbsenceKind:
        touching = Absence(kind, cand.release_at - M, cand.release_at + 24 * H)
        assert rules_broken(MemberSchedule(member(), absences=(touching,)), cand) == {"unavailable"}
        # a window that ends when the duty starts does not touch it
        before = Absence(kind, cand.report_at - 24 * H, cand.report_at)
        assert rules_broken(MemberSchedule(member(), absences=(before,)), cand) == set()


def _round_trips(days: int, first: datetime, flight_hours: float) -> list[Duty]:
    out = []
    for i in range(days):
        day = first + timedelta(days=i)
        out.append(duty(day, flight_hours, "XSP", "XSP", f"d{i}"))
    return out


def test_60_duty_hours_in_7_days() -> None:
    # six 10 h duties (8.5 h flight) on consecutive days = 60 h; a seventh of 1.5 h... is over
    six = _round_trips(6, T0, 8.5)
    assert sum((d.duty_time for d in six), timedelta(0)) == 60 * H
    seventh = duty(T0 + timedelta(days=6), 0.5, "XSP", "XSP", "d7")  # 2 h duty
    assert rules_broken(MemberSchedule(member(), tuple(six)), seventh) == {"max_duty_7d"}
    # a week later the first ones have left the window
    assert (
        rules_broken(MemberSchedule(member(), tuple(six)), duty(T0 + timedelta(days=13), 0.5, "XSP", "XSP", "x"))
        == set()
    )
    # exactly 60 h is allowed: five of 10 h + one of 10 h
    five = six[:5]
    sixth = duty(T0 + timedelta(days=5), 8.5, "XSP", "XSP", "d6")
    assert rules_broken(MemberSchedule(member(), tuple(five)), sixth) == set()


def test_100_flight_hours_in_28_days() -> None:
    # 20 duties of 5 h flight over 28 days = 100 h; one more minute of flying is too much
    duties = tuple(duty(T0 + timedelta(days=i), 5, "XSP", "XSP", f"d{i}") for i in range(0, 27) if i % 7 not in (5, 6))
    assert len(duties) == 20
    last = duties[-1]
    assert sum((d.flight_time for d in duties), timedelta(0)) == 100 * H
    nxt = duty(last.departure + timedelta(days=1), 1, "XSP", "XSP", "n")
    broken = rules_broken(MemberSchedule(member(), duties), nxt)
    assert "max_flight_28d" in broken
    # with one flight hour less in the window the same duty is fine
    trimmed = duties[:-1] + (duty(last.departure, 4, "XSP", "XSP", last.flight_id),)
    assert "max_flight_28d" not in rules_broken(MemberSchedule(member(), trimmed), nxt)


def test_complement() -> None:
    assert required_complement(150, RULES) == {
        CrewRole.CAPTAIN: 1,
        CrewRole.FIRST_OFFICER: 1,
        CrewRole.PURSER: 1,
        CrewRole.FLIGHT_ATTENDANT: 3,
    }
    assert required_complement(151, RULES)[CrewRole.FLIGHT_ATTENDANT] == 4
    assert required_complement(50, RULES)[CrewRole.FLIGHT_ATTENDANT] == 1


def test_proposal_prefers_home_base_then_fewest_hours_and_reports_short_roles() -> None:
    busy = MemberSchedule(member(mid="busy"), (duty(T0 - timedelta(days=3), 8, "XSP", "XSP", "old"),))
    idle = MemberSchedule(member(mid="idle"))
    away_based = MemberSchedule(member(mid="away", home="AAA"), (duty(T0 - timedelta(days=2), 2, "AAA", "XSP", "pos"),))
    f = flight(T0, seats=40)
    p = propose(f, {CrewRole.CAPTAIN: 1, CrewRole.PURSER: 1}, [away_based, busy, idle], RULES)
    assert p.picked[CrewRole.CAPTAIN] == ["idle"]
    assert p.short == {CrewRole.PURSER: 1}
    p = propose(f, {CrewRole.CAPTAIN: 3}, [away_based, busy, idle], RULES, excluded=["idle"])
    assert p.picked[CrewRole.CAPTAIN] == ["busy", "away"] and p.short == {CrewRole.CAPTAIN: 1}


def test_readiness() -> None:
    comp = {CrewRole.CAPTAIN: 1, CrewRole.FIRST_OFFICER: 1, CrewRole.PURSER: 0, CrewRole.FLIGHT_ATTENDANT: 0}
    A, P = AssignmentState.ACCEPTED, AssignmentState.PROPOSED
    assert readiness(comp, [(CrewRole.CAPTAIN, A), (CrewRole.FIRST_OFFICER, A)])[0] == "complete"
    assert readiness(comp, [(CrewRole.CAPTAIN, A), (CrewRole.FIRST_OFFICER, P)])[0] == "pending"
    status, roles = readiness(comp, [(CrewRole.CAPTAIN, A)])
    assert status == "short" and [r.role for r in roles if r.short] == [CrewRole.FIRST_OFFICER]


# --- property: no proposal ever breaks a rule ---------------------------------------------


def _ov(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> timedelta:
    return max(timedelta(0), min(a1, b1) - max(a0, b0))


def legal_by_hand(m: Member, duties: list[Duty], absences: list[Absence], c: Duty, type_: str) -> bool:
    """The rules, written out plainly; schedules live on a 30-minute grid, so checking every
    grid position of a window is exhaustive."""
    if not m.active or type_ not in m.qualifications:
        return False
    for a in absences:
        if a.starts_at < c.release_at and c.report_at < a.ends_at:
            return False
    others = [d for d in duties if d.flight_id != c.flight_id]
    for d in others:
        if d.report_at < c.release_at and c.report_at < d.release_at:
            return False
    if c.arrival - c.report_at > timedelta(hours=13):
        return False
    timeline = sorted([*others, c], key=lambda d: d.report_at)
    i = timeline.index(c)
    location = timeline[i - 1].destination if i > 0 else m.home_base
    if location != c.origin:
        return False
    pairs = []
    if i > 0:
        pairs.append((timeline[i - 1], c))
    if i + 1 < len(timeline):
        pairs.append((c, timeline[i + 1]))
        if timeline[i + 1].origin != c.destination:
            return False
    for prev, nxt in pairs:
        floor = timedelta(hours=12 if prev.destination == m.home_base else 10)
        if nxt.report_at - prev.release_at < max(floor, prev.release_at - prev.report_at):
            return False
    w0 = c.report_at - timedelta(days=7)
    while w0 <= c.release_at:
        if sum((_ov(w0, w0 + timedelta(days=7), d.report_at, d.release_at) for d in timeline), timedelta(0)) > 60 * H:
            return False
        w0 += GRID
    w0 = c.departure - timedelta(days=28)
    while w0 <= c.arrival:
        if sum((_ov(w0, w0 + timedelta(days=28), d.departure, d.arrival) for d in timeline), timedelta(0)) > 100 * H:
            return False
        w0 += GRID
    return True


grid_time = st.integers(min_value=0, max_value=20 * 48).map(lambda n: T0 + n * GRID)
duration = st.integers(min_value=1, max_value=30).map(lambda n: n * GRID)  # 30 min .. 15 h


@st.composite
def a_duty(draw: st.DrawFn, fid: str) -> Duty:
    dep, length = draw(grid_time), draw(duration)
    return duty(dep, length / H, draw(st.sampled_from(AIRPORTS)), draw(st.sampled_from(AIRPORTS)), fid)


@st.composite
def a_member(draw: st.DrawFn, index: int) -> tuple[Member, list[Duty], list[Absence]]:
    m = Member(
        f"m{index:02d}",
        f"Member {index}",
        draw(st.sampled_from(list(CrewRole))),
        frozenset(draw(st.sets(st.sampled_from(TYPES), min_size=0, max_size=2))),
        draw(st.sampled_from(AIRPORTS)),
        draw(st.sampled_from([True, True, True, False])),
    )
    duties: list[Duty] = []
    # the duties a member already holds never overlap (the store refuses a double duty), so the
    # hand-written single-duty oracle and the engine's duty periods judge the same world
    for d in sorted(
        (draw(a_duty(f"old-{index}-{j}")) for j in range(draw(st.integers(0, 6)))), key=lambda d: d.report_at
    ):
        if all(d.report_at >= k.release_at for k in duties):
            duties.append(d)
    absences = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(grid_time)
        absences.append(Absence(draw(st.sampled_from(list(AbsenceKind))), start, start + draw(duration) * 8))
    return m, duties, absences


@st.composite
def a_world(draw: st.DrawFn) -> tuple[list[tuple[Member, list[Duty], list[Absence]]], list[FlightInfo]]:
    roster = [draw(a_member(i)) for i in range(draw(st.integers(1, 14)))]
    flights = []
    for k in range(draw(st.integers(1, 5))):
        dep, length = draw(grid_time), draw(duration)
        flights.append(
            FlightInfo(
                f"f{k}",
                f"F{k}",
                draw(st.sampled_from(AIRPORTS)),
                draw(st.sampled_from(AIRPORTS)),
                dep,
                dep + length,
                draw(st.sampled_from(TYPES)),
                draw(st.integers(0, 200)),
            )
        )
    return roster, flights


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a_world(), st.data())
def test_no_proposal_ever_breaks_a_rule(world, data) -> None:  # type: ignore[no-untyped-def]
    roster, flights = world
    members = {m.id: m for m, _, _ in roster}
    duties = {m.id: list(d) for m, d, _ in roster}
    absences = {m.id: list(a) for m, _, a in roster}
    added: list[tuple[str, Duty, str]] = []
    for f in flights:
        excluded = data.draw(st.sets(st.sampled_from(sorted(members))), label="declined")
        candidates = [MemberSchedule(members[i], tuple(duties[i]), tuple(absences[i])) for i in sorted(members)]
        need = required_complement(f.seats, RULES)
        p = propose(f, need, candidates, RULES, excluded)
        c = Duty(f.id, f.origin, f.destination, f.departure - 60 * M, f.departure, f.arrival, f.arrival + 30 * M)
        picked_ids = [i for ids in p.picked.values() for i in ids]
        assert len(picked_ids) == len(set(picked_ids))
        for role, ids in p.picked.items():
            assert len(ids) + p.short.get(role, 0) == need[role]
            for i in ids:
                assert members[i].role is role and i not in excluded
                assert legal_by_hand(members[i], duties[i], absences[i], c, f.aircraft_type), (i, f)
            if p.short.get(role):
                # short only when nobody else of that role was legal
                for i, m in members.items():
                    if m.role is role and i not in ids and i not in excluded:
                        assert not legal_by_hand(m, duties[i], absences[i], c, f.aircraft_type)
        event("someone proposed" if picked_ids else "nobody proposed")
        for i in picked_ids:
            duties[i].append(c)
            added.append((i, c, f.aircraft_type))
    # and the roster as it ends up still keeps every rule around every proposed duty
    for i, c, type_ in added:
        assert legal_by_hand(members[i], duties[i], absences[i], c, type_)


def test_hand_checker_agrees_with_boundaries() -> None:
    back = duty(T0, 2, "AAA", "XSP", "back")
    ok = duty(back.release_at + 13 * H, 2, "XSP", "AAA", "ok")
    tight = duty(back.release_at + 13 * H - M, 2, "XSP", "AAA", "tight")
    assert legal_by_hand(member(), [back], [], ok, "A320-200")
    assert not legal_by_hand(member(), [back], [], tight, "A320-200")
    assert math.isclose((ok.report_at - back.release_at) / H, 12)
