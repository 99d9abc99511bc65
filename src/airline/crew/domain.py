"""Crew: members, their duties, the legality engine and the proposal. Pure Python, no I/O.

A `Duty` is one sector (one flight) worked by one member, stored with its own report
(departure minus `report_minutes`) and release (arrival plus `release_minutes`). A member's
sectors form duty periods (legality.py): sectors with a short ground time between them are one
period, reported before its first sector and released after its last. The legality engine
takes a member, the sectors they already hold and their unavailability windows, and a
candidate sector, and lists every rule the period it falls in would break. An empty list means
legal. The greedy per-flight `propose` is kept for reference; rosters come from solver.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

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


# Max flight duty period (hours) by the report time at the base, local (minutes after midnight,
# from that minute on): EASA-like for 1-2 sectors, 13 h by day, 11 h at night.
EASA_FDP_TABLE: tuple[tuple[int, float], ...] = (
    (0, 11.0),
    (5 * 60, 12.0),
    (5 * 60 + 30, 12.5),
    (6 * 60, 13.0),
    (13 * 60 + 30, 12.5),
    (15 * 60, 12.0),
    (16 * 60, 11.5),
    (17 * 60, 11.0),
)


@dataclass(frozen=True)
class LegalityRules:
    """Defaults after EASA FTL (simplified). A duty period is the member's consecutive sectors
    whose ground time between them is under `duty_break_hours`: report before the first,
    release after the last; its FDP runs from report to the last arrival."""

    max_fdp_hours: float = 13  # the cap of any FDP, whatever the table says
    min_rest_home_hours: float = 12
    min_rest_away_hours: float = 10
    max_duty_7d_hours: float = 60
    max_flight_28d_hours: float = 100
    report_minutes: int = 60
    release_minutes: int = 30
    attendant_per_seats: int = 50
    fdp_table: tuple[tuple[int, float], ...] = EASA_FDP_TABLE
    fdp_sector_reduction_minutes: int = 30  # per sector beyond 2
    min_fdp_hours: float = 9
    base_utc_offset_hours: float = 8  # the local time of the table and of duty days
    duty_break_hours: float = 10  # a ground time this long or longer ends a duty period
    min_connection_minutes: int = 30  # the shortest ground time between two sectors
    max_consecutive_duty_days: int = 6  # then at least one local day free of duty
    max_sectors: int = 4  # per duty period (roster generation)
    max_layover_hours: float = 36  # the longest rest away inside a pairing (roster generation)


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


class _Ending(Protocol):
    @property
    def destination(self) -> str: ...

    @property
    def duty_time(self) -> timedelta: ...


def required_rest(previous: _Ending, home_base: str, rules: LegalityRules) -> timedelta:
    """After a duty (period): at least as long as that duty, and 12 h at home base / 10 h away."""
    floor = rules.min_rest_home_hours if previous.destination == home_base else rules.min_rest_away_hours
    return max(previous.duty_time, timedelta(hours=floor))


def violations(schedule: MemberSchedule, candidate: Duty, aircraft_type: str, rules: LegalityRules) -> list[Violation]:
    """Every rule `candidate` would break for this member (empty: legal), judged on the duty
    periods the member's sectors form (see legality.py)."""
    from airline.crew.legality import violations as on_periods  # noqa: PLC0415  (legality imports this module)

    return on_periods(schedule, candidate, aircraft_type, rules)


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
