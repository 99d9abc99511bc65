"""Roster generation: a set-covering MIP over candidate pairings, solved by HiGHS. No I/O.

1. Candidate duty periods from the open flights: every flight alone, and chains of flights of
   one aircraft type where each departs from where the previous one arrived after a ground time
   of at least `min_connection_minutes` and under `duty_break_hours` (up to `max_sectors`),
   with an FDP inside the limit for its report time.
2. Candidate tours: a duty period, extended by periods from where it ends after a rest away of
   `min_rest_away_hours`..`max_layover_hours`, until it is back where it started (a pairing) or
   has `max_tour_periods` periods. A tour that does not come back is allowed at a penalty (a
   one-way flight still gets a crew) and ends what its member can be given in this run.
3. Per role, binary x[member, tour] for every tour the legality engine accepts for that member
   against the duties they hold (fixed) and their absences; a member's tours may not overlap
   with the rest each one needs after it (an interval-graph clique per start), 7-day duty and
   28-day flight hours stay under the limits in every window starting or ending at a
   candidate period, and no more than `max_consecutive_duty_days` duty days in a row.
   Each open seat is covered by exactly one tour or counted uncovered.
4. Objective, lexicographic by weights: uncovered seats first, then the most duty hours any
   member of the role gets (min-max: a balanced roster; counting the held duties of the 7 days
   before the flights too), then nights away and tours that do not return. Two solves
   (`_lexicographic`): coverage alone, then the balance from that roster, so a time limit
   reached while balancing never leaves a seat uncovered.
Every chosen tour is checked again by the legality engine (with all the member's new duties);
one that fails is dropped and its seats reported uncovered.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import highspy
import numpy as np

from airline.crew.domain import CrewRole, Duty, FlightInfo, LegalityRules, MemberSchedule, duty_for, required_rest
from airline.crew.legality import DutyPeriod, build_periods, duty_days, fdp_limit, hours, violations

UNCOVERED_WEIGHT = 10_000.0
SPREAD_WEIGHT = 1.0
NIGHT_WEIGHT = 5.0  # more than ABS_GAP: a night away is never left in as "near enough"
ONE_WAY_WEIGHT = 40.0
FAR = timedelta(days=3650)
ABS_GAP = 4.0  # hours of the busiest member above the proven best; under NIGHT_WEIGHT
MIN_BALANCE_SECONDS = 0.5  # time left after the coverage solve under which the roster is not balanced
# the balancing solve's share of the time limit at most: coverage is what a roster is for, and a
# busy machine otherwise spent the whole limit (15 s) proving the last hours of balance
BALANCE_SHARE = 1 / 3


@dataclass(frozen=True)
class Tour:
    flights: tuple[FlightInfo, ...]
    periods: tuple[DutyPeriod, ...]

    @property
    def sectors(self) -> tuple[Duty, ...]:
        return tuple(s for p in self.periods for s in p.sectors)

    @property
    def origin(self) -> str:
        return self.periods[0].origin

    @property
    def destination(self) -> str:
        return self.periods[-1].destination

    @property
    def nights_away(self) -> int:
        return len(self.periods) - 1

    @property
    def duty_hours(self) -> float:
        return sum(hours(p.duty_time) for p in self.periods)


@dataclass
class RoleResult:
    picked: dict[str, list[Tour]] = field(default_factory=dict)  # member id -> tours
    uncovered: dict[str, int] = field(default_factory=dict)  # flight id -> seats
    reasons: dict[str, str] = field(default_factory=dict)  # flight id -> why
    status: str = ""


@dataclass
class RosterResult:
    roles: dict[CrewRole, RoleResult] = field(default_factory=dict)
    seconds: float = 0.0

    def assignments(self) -> list[tuple[str, CrewRole, FlightInfo]]:
        return [
            (m, role, f)
            for role, r in self.roles.items()
            for m, tours in sorted(r.picked.items())
            for t in tours
            for f in t.flights
        ]

    def uncovered(self) -> dict[str, dict[CrewRole, tuple[int, str]]]:
        out: dict[str, dict[CrewRole, tuple[int, str]]] = defaultdict(dict)
        for role, r in self.roles.items():
            for fid, n in r.uncovered.items():
                out[fid][role] = (n, r.reasons.get(fid, ""))
        return dict(out)


def candidate_periods(flights: Sequence[FlightInfo], rules: LegalityRules) -> list[tuple[FlightInfo, ...]]:
    ordered = sorted(flights, key=lambda f: (f.departure, f.id))
    low, high = timedelta(minutes=rules.min_connection_minutes), timedelta(hours=rules.duty_break_hours)
    chains: list[tuple[FlightInfo, ...]] = []

    def grow(chain: tuple[FlightInfo, ...]) -> None:
        sectors = [duty_for(f, rules) for f in chain]
        if DutyPeriod(tuple(sectors)).fdp > fdp_limit(sectors[0].report_at, len(sectors), rules):
            return
        chains.append(chain)
        if len(chain) >= rules.max_sectors:
            return
        last = chain[-1]
        for f in ordered:
            if f.origin == last.destination and f.aircraft_type == last.aircraft_type:
                if low <= f.departure - last.arrival < high:
                    grow((*chain, f))

    for f in ordered:
        grow((f,))
    return chains


def candidate_tours(flights: Sequence[FlightInfo], rules: LegalityRules, max_periods: int = 3) -> list[Tour]:
    periods = [
        (chain, DutyPeriod(tuple(duty_for(f, rules) for f in chain))) for chain in candidate_periods(flights, rules)
    ]
    low, high = timedelta(hours=rules.min_rest_away_hours), timedelta(hours=rules.max_layover_hours)
    tours: list[Tour] = []

    def grow(chains: tuple[tuple[FlightInfo, ...], ...], ps: tuple[DutyPeriod, ...]) -> None:
        tours.append(Tour(tuple(f for c in chains for f in c), ps))
        last = ps[-1]
        if last.destination == ps[0].origin or len(ps) >= max_periods:
            return
        need = max(low, required_rest(last, ps[0].origin, rules))
        for chain, p in periods:
            if p.origin == last.destination and need <= p.report_at - last.release_at <= high:
                grow((*chains, chain), (*ps, p))

    for chain, p in periods:
        grow((chain,), (p,))
    return tours


def legal_for(schedule: MemberSchedule, tour: Tour, rules: LegalityRules) -> bool:
    trial = replace(schedule, duties=(*schedule.duties, *tour.sectors))
    return all(
        not violations(trial, s, f.aircraft_type, rules) for s, f in zip(tour.sectors, tour.flights, strict=True)
    )


class _Model:
    """A thin builder over the HiGHS low-level API."""

    def __init__(self) -> None:
        self.h = highspy.Highs()  # type: ignore[no-untyped-call]
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("mip_rel_gap", 1e-4)
        # uncovered seats weigh 10 000: a gap under that proves their count optimal; the spread
        # and nights away are then good to within this many hours (or the time limit)
        self.h.setOptionValue("mip_abs_gap", ABS_GAP)
        self.n = 0

    def var(self, cost: float, lb: float = 0.0, ub: float = 1.0, integer: bool = False) -> int:
        self.h.addCol(cost, lb, ub, 0, np.array([], dtype=np.int32), np.array([], dtype=np.float64))
        if integer:
            self.h.changeColIntegrality(self.n, highspy.HighsVarType.kInteger)
        self.n += 1
        return self.n - 1

    def row(self, terms: dict[int, float], lb: float, ub: float) -> None:
        if not terms:
            return
        idx = np.array(list(terms), dtype=np.int32)
        self.h.addRow(lb, ub, len(idx), idx, np.array([terms[i] for i in terms], dtype=np.float64))

    def solve(self, time_limit: float, start: list[float] | None = None) -> tuple[str, list[float]]:
        """Run for at most `time_limit` seconds (wall clock), from `start` (a feasible solution,
        the incumbent to improve on) when given."""
        self.h.setOptionValue("time_limit", max(0.01, float(time_limit)))
        if start:
            given = highspy.HighsSolution()
            given.col_value = start
            self.h.setSolution(given)
        self.h.run()
        status = self.h.modelStatusToString(self.h.getModelStatus())
        values = list(self.h.getSolution().col_value) if self.h.getInfo().primal_solution_status else []
        return status, values


def _windows(
    member_tours: list[tuple[int, Tour]], fixed: Sequence[tuple[datetime, datetime, float]], span: timedelta, of: str
) -> list[tuple[dict[int, float], float]]:
    """(coefficients, fixed hours) of every window of length `span` starting at a candidate
    interval's start or ending at one's end: the sum inside a sliding window peaks there."""

    def parts(t: Tour) -> list[tuple[datetime, datetime]]:
        if of == "duty":
            return [(p.report_at, p.release_at) for p in t.periods]
        return [(s.departure, s.arrival) for s in t.sectors]

    starts = sorted(
        {a for _, t in member_tours for a, _ in parts(t)} | {b - span for _, t in member_tours for _, b in parts(t)}
    )
    out, seen = [], set()
    for w0 in starts:
        w1 = w0 + span
        coef = {}
        for col, t in member_tours:
            h = sum(hours(max(timedelta(0), min(w1, b) - max(w0, a))) for a, b in parts(t))
            if h > 0:
                coef[col] = round(h, 6)
        fixed_h = sum(hours(max(timedelta(0), min(w1, b) - max(w0, a))) for a, b, _ in fixed)
        key = tuple(sorted(coef.items()))
        if coef and key not in seen:
            seen.add(key)
            out.append((coef, fixed_h))
    return out


def _reason(role: CrewRole, flight: FlightInfo, qualified: int, able: int) -> str:
    name = role.value.replace("_", " ")
    if qualified == 0:
        return f"no {name} qualified on {flight.aircraft_type}"
    if able == 0:
        return (
            f"no legal {name}: all {qualified} {name}s qualified on {flight.aircraft_type} are on duty, "
            "resting, away, unavailable or declined it"
        )
    return (
        f"no legal {name} left: the {able} {name}s who could fly it are needed on other flights "
        "or would break the rest, 7-day, 28-day or days-off limits"
    )


def solve_role(
    role: CrewRole,
    flights: Sequence[FlightInfo],
    need: dict[str, int],
    members: Sequence[MemberSchedule],
    rules: LegalityRules,
    excluded: dict[str, set[str]] | None = None,
    time_limit: float = 20.0,
    max_tour_periods: int = 3,
) -> RoleResult:
    """Cover `need[flight id]` seats of `role` on `flights` with `members` (their duties fixed);
    `excluded[flight id]` are members who may not be given that flight (they declined it)."""
    excluded = excluded or {}
    open_flights = [f for f in flights if need.get(f.id, 0) > 0]
    pool = [s for s in members if s.member.role is role and s.member.active]
    result = RoleResult()
    if not open_flights:
        result.status = "nothing to cover"
        return result
    if not pool:
        result.status = "nobody to roster"
        for f in open_flights:
            result.uncovered[f.id] = need[f.id]
            result.reasons[f.id] = _reason(role, f, 0, 0)
        return result
    tours = candidate_tours(open_flights, rules, max_tour_periods)
    model = _Model()
    x: dict[tuple[str, int], int] = {}
    by_member: dict[str, list[tuple[int, Tour]]] = defaultdict(list)
    covering: dict[str, dict[int, float]] = defaultdict(dict)
    able: dict[str, set[str]] = defaultdict(set)
    for s in pool:
        m = s.member
        for k, t in enumerate(tours):
            if any(m.id in excluded.get(f.id, ()) for f in t.flights):
                continue
            if any(f.aircraft_type not in m.qualifications for f in t.flights) or not legal_for(s, t, rules):
                continue
            home = t.destination == m.home_base
            col = model.var(NIGHT_WEIGHT * t.nights_away + (0.0 if home else ONE_WAY_WEIGHT), integer=True)
            x[m.id, k] = col
            by_member[m.id].append((col, t))
            for f in t.flights:
                covering[f.id][col] = 1.0
                able[f.id].add(m.id)
    u = {f.id: model.var(UNCOVERED_WEIGHT, 0.0, float(need[f.id])) for f in open_flights}
    for f in open_flights:
        model.row({**covering[f.id], u[f.id]: 1.0}, need[f.id], need[f.id])
    # the most duty hours any member of the role gets (its LP bound, the average, is tight, so
    # the solver proves a balanced roster fast; max - min was not, symmetry rows neither); it
    # weighs nothing until the first solve has settled coverage
    most = model.var(0.0, 0.0, highspy.kHighsInf)
    start, end = min(f.departure for f in open_flights), max(f.arrival for f in open_flights)
    for s in pool:
        # the spread counts the duties held in the 7 days before too: a small re-solve (one
        # flight, a decline) prefers whoever worked least lately
        _member_rows(model, s, by_member.get(s.member.id, []), rules, (start - timedelta(days=7), end), most)
    status, values = _lexicographic(model, u, most, time_limit)
    result.status = status
    chosen = {key: values[col] > 0.5 for key, col in x.items()} if values else {}
    covered: dict[str, int] = defaultdict(int)
    for s in pool:
        mine = [tours[k] for (mid, k), on in chosen.items() if on and mid == s.member.id]
        mine.sort(key=lambda t: t.periods[0].report_at)
        kept: list[Tour] = []
        sched = s
        for t in mine:
            if legal_for(sched, t, rules):
                kept.append(t)
                sched = replace(sched, duties=(*sched.duties, *t.sectors))
        if kept:
            result.picked[s.member.id] = kept
            for t in kept:
                for f in t.flights:
                    covered[f.id] += 1
    qualified = defaultdict(int)
    for f in open_flights:
        qualified[f.id] = sum(1 for s in pool if f.aircraft_type in s.member.qualifications)
    for f in open_flights:
        missing = need[f.id] - covered[f.id]
        if missing > 0:
            result.uncovered[f.id] = missing
            result.reasons[f.id] = _reason(role, f, qualified[f.id], len(able[f.id]))
    return result


def _lexicographic(model: _Model, u: dict[str, int], most: int, budget: float) -> tuple[str, list[float]]:
    """Coverage first, then balance. One MIP with both in its objective (an uncovered seat
    weighs 10 000 hours) could spend its whole time limit on the spread when the machine was
    busy and stop with seats uncovered that a roster covers. So a first solve minimises the
    uncovered seats and nights away alone (fast: under a second for the seed week), and the
    second adds the busiest member's hours and starts from the first's roster: whatever it has
    when its time runs out costs no more, so it covers as many seats (one more uncovered seat
    outweighs any spread). The two solves share `budget` seconds (building the model is not
    counted), the second at most BALANCE_SHARE of them; with under MIN_BALANCE_SECONDS left,
    the first's roster stands."""
    began = time.perf_counter()
    status, values = model.solve(budget)
    left = min(budget - (time.perf_counter() - began), budget * BALANCE_SHARE)
    if not values or left < MIN_BALANCE_SECONDS:
        return status, values
    model.h.changeColCost(most, SPREAD_WEIGHT)
    balanced_status, balanced = model.solve(left, start=values)
    if not balanced or sum(balanced[col] for col in u.values()) > sum(values[col] for col in u.values()) + 0.5:
        return status, values
    return balanced_status, balanced


def _member_rows(
    model: _Model,
    s: MemberSchedule,
    mine: list[tuple[int, Tour]],
    rules: LegalityRules,
    span: tuple[datetime, datetime],
    most: int,
) -> None:
    m = s.member
    fixed_periods = build_periods(s.duties, rules)
    in_range = sum(
        hours(max(timedelta(0), min(span[1], p.release_at) - max(span[0], p.report_at))) for p in fixed_periods
    )
    total = {col: t.duty_hours for col, t in mine}
    # the member's duty hours (held and new) stay under `most`
    model.row({**total, most: -1.0}, -highspy.kHighsInf, -in_range)
    if not mine:
        return
    # one tour at a time, with the rest it needs after it (for ever after one that does not return)
    blocks = []
    for col, t in mine:
        last = t.periods[-1]
        after = required_rest(last, m.home_base, rules) if t.destination == m.home_base else FAR
        blocks.append((t.periods[0].report_at, last.release_at + after, col))
    for b0, _, _ in blocks:
        model.row({col: 1.0 for a, b, col in blocks if a <= b0 < b}, 0.0, 1.0)
    fixed_duty = [(p.report_at, p.release_at, 0.0) for p in fixed_periods]
    for coef, fixed_h in _windows(mine, fixed_duty, timedelta(days=7), "duty"):
        if sum(coef.values()) + fixed_h > rules.max_duty_7d_hours:
            model.row(coef, -highspy.kHighsInf, rules.max_duty_7d_hours - fixed_h)
    fixed_flight = [(d.departure, d.arrival, 0.0) for d in s.duties]
    for coef, fixed_h in _windows(mine, fixed_flight, timedelta(days=28), "flight"):
        if sum(coef.values()) + fixed_h > rules.max_flight_28d_hours:
            model.row(coef, -highspy.kHighsInf, rules.max_flight_28d_hours - fixed_h)
    # days off: w[day] >= x for every tour on that day; any max+1 days in a row hold at most max
    worked_fixed: set[date] = set().union(*(duty_days(p, rules) for p in fixed_periods))
    day_cols: dict[date, int] = {}
    for col, t in mine:
        for d in set().union(*(duty_days(p, rules) for p in t.periods)):
            if d in worked_fixed:
                continue
            if d not in day_cols:
                day_cols[d] = model.var(0.0)
            model.row({day_cols[d]: 1.0, col: -1.0}, 0.0, highspy.kHighsInf)
    run = rules.max_consecutive_duty_days + 1
    days = sorted(day_cols)
    if not days:
        return
    first = min(days) - timedelta(days=run - 1)
    for i in range((max(days) - first).days + 1):
        window = [first + timedelta(days=i + j) for j in range(run)]
        terms = {day_cols[d]: 1.0 for d in window if d in day_cols}
        fixed_n = sum(1 for d in window if d in worked_fixed)
        if terms and len(terms) + fixed_n > rules.max_consecutive_duty_days:
            model.row(terms, 0.0, rules.max_consecutive_duty_days - fixed_n)


def solve(
    flights: Sequence[FlightInfo],
    need: dict[str, dict[CrewRole, int]],
    members: Iterable[MemberSchedule],
    rules: LegalityRules,
    excluded: dict[str, set[str]] | None = None,
    time_limit: float = 20.0,
    max_tour_periods: int = 3,
) -> RosterResult:
    """Every role's MIP in turn: `need[flight id][role]` seats still open; `max_tour_periods` 1
    gives single duty periods only (no layovers: a small solve that cannot see the rest of
    the week does not send a crew away overnight)."""
    began = time.perf_counter()
    pool = list(members)
    out = RosterResult()
    for role in CrewRole:
        seats = {fid: n.get(role, 0) for fid, n in need.items()}
        if any(seats.values()):
            out.roles[role] = solve_role(role, flights, seats, pool, rules, excluded, time_limit, max_tour_periods)
    out.seconds = time.perf_counter() - began
    return out
