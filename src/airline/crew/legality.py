"""Duty periods and the legality engine on them. Pure Python, no I/O.

A member's sectors (one `Duty` per flight) form duty periods: sorted by departure, a sector
whose ground time after the previous one is under `duty_break_hours` belongs to the same
period. A period reports with its first sector and is released with its last; its flight duty
period (FDP) runs from report to the last arrival, and its limit comes from the report time at
the base (local) less `fdp_sector_reduction_minutes` per sector beyond two. Between periods the
member rests at least as long as the preceding period's duty, and 12 h at home / 10 h away.
Over any 7 days at most 60 duty hours, over any 28 days at most 100 flight hours, and no more
than `max_consecutive_duty_days` local days in a row with duty.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from airline.crew.domain import Duty, LegalityRules, MemberSchedule, Violation, required_rest


@dataclass(frozen=True)
class DutyPeriod:
    sectors: tuple[Duty, ...]

    @property
    def report_at(self) -> datetime:
        return self.sectors[0].report_at

    @property
    def release_at(self) -> datetime:
        return self.sectors[-1].release_at

    @property
    def origin(self) -> str:
        return self.sectors[0].origin

    @property
    def destination(self) -> str:
        return self.sectors[-1].destination

    @property
    def fdp(self) -> timedelta:
        return self.sectors[-1].arrival - self.report_at

    @property
    def duty_time(self) -> timedelta:
        return self.release_at - self.report_at

    @property
    def flight_time(self) -> timedelta:
        return sum((s.flight_time for s in self.sectors), timedelta(0))


@dataclass(frozen=True)
class Pairing:
    """Duty periods from the home base back to it (`returns_home` false while it has not)."""

    periods: tuple[DutyPeriod, ...]
    returns_home: bool

    @property
    def report_at(self) -> datetime:
        return self.periods[0].report_at

    @property
    def release_at(self) -> datetime:
        return self.periods[-1].release_at

    @property
    def nights_away(self) -> int:
        return len(self.periods) - 1


def hours(t: timedelta) -> float:
    return t.total_seconds() / 3600


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> timedelta:
    return max(timedelta(0), min(a1, b1) - max(a0, b0))


def build_periods(sectors: Iterable[Duty], rules: LegalityRules) -> list[DutyPeriod]:
    ordered = sorted(sectors, key=lambda d: (d.departure, d.flight_id))
    groups: list[list[Duty]] = []
    for s in ordered:
        if groups and s.departure - groups[-1][-1].arrival < timedelta(hours=rules.duty_break_hours):
            groups[-1].append(s)
        else:
            groups.append([s])
    return [DutyPeriod(tuple(g)) for g in groups]


def build_pairings(periods: Sequence[DutyPeriod], home_base: str) -> list[Pairing]:
    out: list[list[DutyPeriod]] = []
    for p in periods:
        if not out or out[-1][-1].destination == home_base:
            out.append([p])
        else:
            out[-1].append(p)
    return [Pairing(tuple(ps), ps[-1].destination == home_base) for ps in out]


def local_minutes(at: datetime, rules: LegalityRules) -> int:
    local = at + timedelta(hours=rules.base_utc_offset_hours)
    return local.hour * 60 + local.minute


def fdp_limit(report_at: datetime, sectors: int, rules: LegalityRules) -> timedelta:
    minute = local_minutes(report_at, rules)
    table = sorted(rules.fdp_table) or [(0, rules.max_fdp_hours)]
    base = table[-1][1]  # before the first entry of the day: the last one (the night) still holds
    for start, limit in table:
        if minute >= start:
            base = limit
    reduced = base - max(0, sectors - 2) * rules.fdp_sector_reduction_minutes / 60
    return timedelta(hours=max(rules.min_fdp_hours, min(rules.max_fdp_hours, reduced)))


def duty_days(period: DutyPeriod, rules: LegalityRules) -> set[date]:
    shift = timedelta(hours=rules.base_utc_offset_hours)
    first, last = (period.report_at + shift).date(), (period.release_at - timedelta(microseconds=1) + shift).date()
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def _max_window_sum(
    intervals: Sequence[tuple[datetime, datetime]], window: timedelta, touching: tuple[datetime, datetime]
) -> timedelta:
    """The largest total of `intervals` inside any window of length `window` that meets
    `touching` (edges included). The total is piecewise linear in the window's position and
    only turns downwards where a window's end passes an interval's end or its start passes an
    interval's start, so the maximum is at such a position or at either extreme position.

    The total inside [w0, w1] is covered(w1) - covered(w0), where covered(t) is how much of
    every interval lies before t: with the starts and the ends sorted and summed once, each
    position costs two binary searches (n log n for a member's schedule, not n x n)."""
    lowest, highest = touching[0] - window, touching[1]
    spans = [(_us(s), _us(e)) for s, e in intervals if e > s]  # an empty interval adds nothing
    starts, ends = sorted(s for s, _ in spans), sorted(e for _, e in spans)
    before_start, before_end = list(accumulate(starts, initial=0)), list(accumulate(ends, initial=0))

    def covered(t: int) -> int:
        k, j = bisect_left(starts, t), bisect_left(ends, t)
        return (k * t - before_start[k]) - (j * t - before_end[j])

    w = _us(window)
    lo, hi = _us(lowest), _us(highest)
    best = 0
    for w0 in [*(e - w for e in ends), *starts, lo, hi]:
        if lo <= w0 <= hi:
            best = max(best, covered(w0 + w) - covered(w0))
    return timedelta(microseconds=best)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _us(t: datetime | timedelta) -> int:
    """Microseconds (since the epoch for an aware datetime): exact integer arithmetic."""
    return (t - _EPOCH if isinstance(t, datetime) else t) // timedelta(microseconds=1)


def _run_through(days: set[date], around: set[date]) -> int:
    """The longest run of consecutive `days` that contains one of `around`."""
    best = 0
    for d in around:
        lo = d
        while lo - timedelta(days=1) in days:
            lo -= timedelta(days=1)
        hi = d
        while hi + timedelta(days=1) in days:
            hi += timedelta(days=1)
        best = max(best, (hi - lo).days + 1)
    return best


def _sequence_rules(
    schedule: MemberSchedule, others: list[Duty], candidate: Duty, rules: LegalityRules
) -> list[Violation]:
    """Overlap, connection and location: the candidate against the sectors next to it."""
    m = schedule.member
    out: list[Violation] = []
    for d in others:
        if _overlap(d.departure, d.arrival, candidate.departure, candidate.arrival) > timedelta(0):
            out.append(Violation("overlap", f"{m.name} is on duty for another flight at that time"))
    before = [d for d in others if d.arrival <= candidate.departure]
    after = [d for d in others if d.departure >= candidate.arrival]
    previous = max(before, key=lambda d: d.arrival) if before else None
    following = min(after, key=lambda d: d.departure) if after else None
    connection = timedelta(minutes=rules.min_connection_minutes)
    for a, b in ((previous, candidate), (candidate, following)):
        if a is not None and b is not None and timedelta(0) <= b.departure - a.arrival < connection:
            out.append(
                Violation("connection", f"{hours(b.departure - a.arrival) * 60:.0f} min between sectors, too short")
            )
    where = previous.destination if previous else m.home_base
    if where != candidate.origin:
        out.append(Violation("location", f"{m.name} will be at {where}, not at {candidate.origin}"))
    if following is not None and following.origin != candidate.destination:
        out.append(
            Violation(
                "location", f"the next duty starts at {following.origin}, this one ends at {candidate.destination}"
            )
        )
    return out


def violations(schedule: MemberSchedule, candidate: Duty, aircraft_type: str, rules: LegalityRules) -> list[Violation]:
    """Every rule `candidate` would break for this member (empty: legal), on the duty period
    the candidate falls in once added to the member's sectors."""
    m = schedule.member
    out: list[Violation] = []
    if not m.active:
        out.append(Violation("inactive", f"{m.name} is not active"))
    if aircraft_type not in m.qualifications:
        out.append(Violation("qualification", f"{m.name} is not qualified on {aircraft_type}"))
    others = [d for d in schedule.duties if d.flight_id != candidate.flight_id]
    periods = build_periods([*others, candidate], rules)
    i = next(k for k, p in enumerate(periods) if candidate in p.sectors)
    period = periods[i]
    for a in schedule.absences:
        if _overlap(a.starts_at, a.ends_at, period.report_at, period.release_at) > timedelta(0):
            out.append(
                Violation(
                    "unavailable",
                    f"{m.name} is unavailable ({a.kind.value}) {a.starts_at.isoformat()}..{a.ends_at.isoformat()}",
                )
            )
    out += _sequence_rules(schedule, others, candidate, rules)
    limit = fdp_limit(period.report_at, len(period.sectors), rules)
    if period.fdp > limit:
        out.append(
            Violation(
                "max_fdp",
                f"the flight duty period lasts {hours(period.fdp):.2f} h over {len(period.sectors)} sector(s), "
                f"more than the {hours(limit):g} h allowed for that report time",
            )
        )
    if i > 0:
        rest, need = period.report_at - periods[i - 1].release_at, required_rest(periods[i - 1], m.home_base, rules)
        if rest < need:
            out.append(
                Violation("min_rest", f"only {hours(rest):.2f} h rest before the duty, {hours(need):.2f} h needed")
            )
    if i + 1 < len(periods):
        rest, need = periods[i + 1].report_at - period.release_at, required_rest(period, m.home_base, rules)
        if rest < need:
            out.append(
                Violation("min_rest", f"only {hours(rest):.2f} h rest before the next duty, {hours(need):.2f} h needed")
            )
    span = (period.report_at, period.release_at)
    duty_7d = _max_window_sum([(p.report_at, p.release_at) for p in periods], timedelta(days=7), span)
    if duty_7d > timedelta(hours=rules.max_duty_7d_hours):
        out.append(
            Violation(
                "max_duty_7d", f"{hours(duty_7d):.2f} duty hours in 7 days, more than {rules.max_duty_7d_hours:g}"
            )
        )
    flight_span = (candidate.departure, candidate.arrival)
    flight_28d = _max_window_sum(
        [(d.departure, d.arrival) for d in [*others, candidate]], timedelta(days=28), flight_span
    )
    if flight_28d > timedelta(hours=rules.max_flight_28d_hours):
        out.append(
            Violation(
                "max_flight_28d",
                f"{hours(flight_28d):.2f} flight hours in 28 days, more than {rules.max_flight_28d_hours:g}",
            )
        )
    worked: set[date] = set()
    for p in periods:
        worked |= duty_days(p, rules)
    run = _run_through(worked, duty_days(period, rules))
    if run > rules.max_consecutive_duty_days:
        out.append(
            Violation(
                "days_off",
                f"{run} days in a row with duty, more than {rules.max_consecutive_duty_days} without a day off",
            )
        )
    return out
