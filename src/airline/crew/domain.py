"""Crew: members, their duties, the legality engine and the proposal. Pure Python, no I/O.

A duty is one flight worked by one member: it starts at the report time (departure minus
`report_minutes`) and ends at the release time (arrival plus `release_minutes`); its flight
time is departure..arrival. The legality engine takes a member, the duties they already hold
and their unavailability windows, and a candidate duty, and lists every rule the candidate
would break. An empty list means legal. The proposal only ever picks members with an empty list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from airline.platform.errors import ValidationFailed
from airline.platform.flight_status import FlightStatus


class CrewRole(StrEnum):
    CAPTAIN = "captain"
    FIRST_OFFICER = "first_officer"
    PURSER = "purser"
    FLIGHT_ATTENDANT = "flight_attendant"


ROLE_ORDER = tuple(CrewRole)


class AbsenceKind(StrEnum):
    LEAVE = "leave"
    SICKNESS = "sickness"
    TRAINING = "training"


class AssignmentState(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REMOVED = "removed"  # by ops, or withdrawn because a delay made it illegal
    CANCELLED = "cancelled"  # the flight was cancelled


# The states in which a duty holds the member (counts for legality and for the flight's crew).
HOLDING_STATES = (AssignmentState.PROPOSED, AssignmentState.ACCEPTED)


@dataclass(frozen=True)
class LegalityRules:
    """Defaults after EASA FTL / FAA Part 117 (simplified: one flight per duty period)."""

    max_fdp_hours: float = 13
    min_rest_home_hours: float = 12
    min_rest_away_hours: float = 10
    max_duty_7d_hours: float = 60
    max_flight_28d_hours: float = 100
    report_minutes: int = 60
    release_minutes: int = 30
    attendant_per_seats: int = 50


@dataclass(frozen=True)
class FlightInfo:
    id: str
    number: str
    origin: str
    destination: str
    departure: datetime
    arrival: datetime
    aircraft_type: str
    seats: int
    status: str = FlightStatus.SCHEDULED.value


@dataclass(frozen=True)
class Duty:
    flight_id: str
    origin: str
    destination: str
    report_at: datetime
    departure: datetime
    arrival: datetime
    release_at: datetime

    @property
    def duty_time(self) -> timedelta:
        return self.release_at - self.report_at

    @property
    def flight_time(self) -> timedelta:
        return self.arrival - self.departure


def duty_for(flight: FlightInfo, rules: LegalityRules) -> Duty:
    return Duty(
        flight_id=flight.id,
        origin=flight.origin,
        destination=flight.destination,
        report_at=flight.departure - timedelta(minutes=rules.report_minutes),
        departure=flight.departure,
        arrival=flight.arrival,
        release_at=flight.arrival + timedelta(minutes=rules.release_minutes),
    )


@dataclass(frozen=True)
class Absence:
    kind: AbsenceKind
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: CrewRole
    qualifications: frozenset[str]
    home_base: str
    active: bool = True


@dataclass(frozen=True)
class MemberSchedule:
    """What the engine needs to know about one member."""

    member: Member
    duties: tuple[Duty, ...] = ()
    absences: tuple[Absence, ...] = ()


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


def _hours(t: timedelta) -> float:
    return t.total_seconds() / 3600


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> timedelta:
    return max(timedelta(0), min(a1, b1) - max(a0, b0))


def required_rest(previous: Duty, home_base: str, rules: LegalityRules) -> timedelta:
    """After a duty: at least as long as that duty, and 12 h at home base / 10 h away."""
    floor = rules.min_rest_home_hours if previous.destination == home_base else rules.min_rest_away_hours
    return max(previous.duty_time, timedelta(hours=floor))


def _max_window_sum(
    intervals: Sequence[tuple[datetime, datetime]], window: timedelta, touching: tuple[datetime, datetime]
) -> timedelta:
    """The largest total of `intervals` inside any window of length `window` that meets
    `touching` (edges included). The total is piecewise linear in the window's position and
    only turns downwards where a window's end passes an interval's end or its start passes an
    interval's start, so the maximum is at such a position or at either extreme position."""
    best = timedelta(0)
    lowest, highest = touching[0] - window, touching[1]
    starts = [e - window for _, e in intervals] + [s for s, _ in intervals] + [lowest, highest]
    for w0 in starts:
        if not lowest <= w0 <= highest:
            continue
        w1 = w0 + window
        total = sum((_overlap(w0, w1, s, e) for s, e in intervals), timedelta(0))
        best = max(best, total)
    return best


def violations(schedule: MemberSchedule, candidate: Duty, aircraft_type: str, rules: LegalityRules) -> list[Violation]:
    """Every rule `candidate` would break for this member (empty: legal)."""
    m = schedule.member
    out: list[Violation] = []
    if not m.active:
        out.append(Violation("inactive", f"{m.name} is not active"))
    if aircraft_type not in m.qualifications:
        out.append(Violation("qualification", f"{m.name} is not qualified on {aircraft_type}"))
    for a in schedule.absences:
        if _overlap(a.starts_at, a.ends_at, candidate.report_at, candidate.release_at) > timedelta(0):
            out.append(
                Violation(
                    "unavailable",
                    f"{m.name} is unavailable ({a.kind.value}) {a.starts_at.isoformat()}..{a.ends_at.isoformat()}",
                )
            )
    others = sorted((d for d in schedule.duties if d.flight_id != candidate.flight_id), key=lambda d: d.report_at)
    for d in others:
        if _overlap(d.report_at, d.release_at, candidate.report_at, candidate.release_at) > timedelta(0):
            out.append(Violation("overlap", f"{m.name} is on duty for another flight at that time"))
    if candidate.duty_time > timedelta(hours=rules.max_fdp_hours):
        out.append(
            Violation(
                "max_fdp", f"the duty lasts {_hours(candidate.duty_time):.2f} h, more than {rules.max_fdp_hours:g} h"
            )
        )
    before = [d for d in others if d.release_at <= candidate.report_at]
    after = [d for d in others if d.report_at >= candidate.release_at]
    previous = before[-1] if before else None
    following = after[0] if after else None
    where = previous.destination if previous else m.home_base
    if where != candidate.origin:
        out.append(Violation("location", f"{m.name} will be at {where}, not at {candidate.origin}"))
    if previous is not None:
        rest, need = candidate.report_at - previous.release_at, required_rest(previous, m.home_base, rules)
        if rest < need:
            out.append(
                Violation("min_rest", f"only {_hours(rest):.2f} h rest before the duty, {_hours(need):.2f} h needed")
            )
    if following is not None:
        rest, need = following.report_at - candidate.release_at, required_rest(candidate, m.home_base, rules)
        if rest < need:
            out.append(
                Violation(
                    "min_rest", f"only {_hours(rest):.2f} h rest before the next duty, {_hours(need):.2f} h needed"
                )
            )
        if following.origin != candidate.destination:
            out.append(
                Violation(
                    "location", f"the next duty starts at {following.origin}, this one ends at {candidate.destination}"
                )
            )
    all_duties = [*others, candidate]
    span = (candidate.report_at, candidate.release_at)
    duty_7d = _max_window_sum([(d.report_at, d.release_at) for d in all_duties], timedelta(days=7), span)
    if duty_7d > timedelta(hours=rules.max_duty_7d_hours):
        out.append(
            Violation(
                "max_duty_7d", f"{_hours(duty_7d):.2f} duty hours in 7 days, more than {rules.max_duty_7d_hours:g}"
            )
        )
    flight_span = (candidate.departure, candidate.arrival)
    flight_28d = _max_window_sum([(d.departure, d.arrival) for d in all_duties], timedelta(days=28), flight_span)
    if flight_28d > timedelta(hours=rules.max_flight_28d_hours):
        out.append(
            Violation(
                "max_flight_28d",
                f"{_hours(flight_28d):.2f} flight hours in 28 days, more than {rules.max_flight_28d_hours:g}",
            )
        )
    return out


def required_complement(seats: int, rules: LegalityRules) -> dict[CrewRole, int]:
    """1 captain, 1 first officer, 1 purser and one attendant per `attendant_per_seats` seats."""
    return {
        CrewRole.CAPTAIN: 1,
        CrewRole.FIRST_OFFICER: 1,
        CrewRole.PURSER: 1,
        CrewRole.FLIGHT_ATTENDANT: math.ceil(max(seats, 0) / rules.attendant_per_seats),
    }


def flight_hours_28d(schedule: MemberSchedule, at: datetime) -> float:
    start = at - timedelta(days=28)
    return _hours(sum((_overlap(start, at, d.departure, d.arrival) for d in schedule.duties), timedelta(0)))


@dataclass
class Proposal:
    picked: dict[CrewRole, list[str]] = field(default_factory=dict)
    short: dict[CrewRole, int] = field(default_factory=dict)


def propose(
    flight: FlightInfo,
    missing: dict[CrewRole, int],
    candidates: Iterable[MemberSchedule],
    rules: LegalityRules,
    excluded: Iterable[str] = (),
) -> Proposal:
    """Greedy: for each role, the legal, qualified members not excluded, preferring those based
    at the origin, then the fewest flight hours in the last 28 days (then id, to be stable)."""
    duty = duty_for(flight, rules)
    skip = set(excluded)
    by_role: dict[CrewRole, list[MemberSchedule]] = {r: [] for r in CrewRole}
    for c in candidates:
        if c.member.id in skip:
            continue
        by_role[c.member.role].append(c)
    out = Proposal()
    for role in ROLE_ORDER:
        need = missing.get(role, 0)
        if need <= 0:
            continue
        legal = [c for c in by_role[role] if not violations(c, duty, flight.aircraft_type, rules)]
        legal.sort(
            key=lambda c: (c.member.home_base != flight.origin, flight_hours_28d(c, duty.report_at), c.member.id)
        )
        chosen = [c.member.id for c in legal[:need]]
        out.picked[role] = chosen
        if len(chosen) < need:
            out.short[role] = need - len(chosen)
    return out


@dataclass(frozen=True)
class RoleStatus:
    role: CrewRole
    required: int
    accepted: int
    proposed: int

    @property
    def short(self) -> int:
        return max(0, self.required - self.accepted - self.proposed)


def readiness(
    complement: dict[CrewRole, int], holding: Iterable[tuple[CrewRole, AssignmentState]]
) -> tuple[str, list[RoleStatus]]:
    """`complete` (every seat accepted), `short` (some role lacks anyone), else `pending` answers."""
    counts = {r: [0, 0] for r in CrewRole}
    for role, state in holding:
        if state is AssignmentState.ACCEPTED:
            counts[role][0] += 1
        elif state is AssignmentState.PROPOSED:
            counts[role][1] += 1
    statuses = [RoleStatus(r, complement.get(r, 0), counts[r][0], counts[r][1]) for r in ROLE_ORDER]
    if any(s.short for s in statuses):
        return "short", statuses
    if all(s.accepted >= s.required for s in statuses):
        return "complete", statuses
    return "pending", statuses


def parse_role(value: str) -> CrewRole:
    try:
        return CrewRole(value)
    except ValueError:
        raise ValidationFailed(
            f"unknown crew role {value!r}: one of {', '.join(r.value for r in CrewRole)}", field="role"
        ) from None


def parse_absence(value: str) -> AbsenceKind:
    try:
        return AbsenceKind(value)
    except ValueError:
        raise ValidationFailed(
            f"unknown availability kind {value!r}: one of {', '.join(k.value for k in AbsenceKind)}", field="kind"
        ) from None
