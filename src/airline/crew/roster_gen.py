"""Roster generation for a date range (ops) and the member's own pairings (crew)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from airline.crew import domain
from airline.crew.domain import AssignmentState, CrewRole, FlightInfo
from airline.crew.legality import DutyPeriod, Pairing, build_pairings, build_periods, fdp_limit
from airline.crew.rostering import LEGALITY_LOOKBACK, Resolved, Rostering
from airline.crew.store import CrewRepository, duty_of
from airline.crew.views import MemberView
from airline.platform import flight_status
from airline.platform.auth import Role, require
from airline.platform.db import utcnow
from airline.platform.errors import ValidationFailed

MAX_RANGE = timedelta(days=31)


@dataclass
class RosterFlight:
    flight: FlightInfo
    readiness: str
    kept: int  # members already holding a seat of it, left as they were
    picked: list[tuple[str, str, CrewRole]] = field(default_factory=list)  # member id, name, role
    uncovered: list[tuple[CrewRole, int, str]] = field(default_factory=list)  # role, seats, why


@dataclass
class RosterRun:
    flights: list[RosterFlight]
    dry_run: bool
    seconds: float
    status: str

    @property
    def proposed(self) -> int:
        return sum(len(f.picked) for f in self.flights)


@dataclass
class PeriodView:
    period: DutyPeriod
    fdp_limit: timedelta
    sectors: list[Any]  # assignment rows


@dataclass
class PairingView:
    pairing: Pairing
    periods: list[PeriodView]


class CrewRosterGeneration(Rostering):
    """GenerateRoster and MyPairings of CrewService."""

    async def generate_roster(
        self, start: datetime | None, end: datetime | None, dry_run: bool, base: str = ""
    ) -> RosterRun:
        """Crew every upcoming flight departing in [start, end) (from or to `base`, if given):
        the duties held now are kept, the open seats solved at once; proposals written in one
        transaction unless dry_run. The solve (seconds for a week) holds no lock: its answer is
        written under the flight and member locks only when the flights and the crew are as it
        read them, else it solves again (Rostering._solved_then_written)."""
        require(Role.OPS)
        if start is None or end is None:
            raise ValidationFailed("give the range: `from` and `to`", field="from" if start is None else "to")
        if end <= start:
            raise ValidationFailed("`to` must be after `from`", field="to")
        if end - start > MAX_RANGE:
            raise ValidationFailed(f"a roster run covers at most {MAX_RANGE.days} days", field="to")
        wanted = base.strip().upper()

        async def in_range(repo: CrewRepository) -> list[str]:
            listed = await repo.flights_between(start, end, wanted)
            return [f.id for f in listed if flight_status.crew_auto_proposal(f.status)]

        if dry_run:
            async with self.db.uow() as uow:
                repo = CrewRepository(uow.conn)
                return await self._run_of(repo, await self._solve(repo, await in_range(repo), lock=False), True)

        async def run_of(repo: CrewRepository, resolved: Resolved) -> RosterRun:
            return await self._run_of(repo, resolved, False)

        run = await self._solved_then_written(in_range, start - LEGALITY_LOOKBACK, run_of)
        if run is not None:
            return run
        async with self.db.uow() as uow:  # the crew kept changing: solve holding the locks
            repo = CrewRepository(uow.conn)
            ids = await in_range(repo)
            await repo.lock_flights(ids)
            run = await self._run_of(repo, await self._resolve(uow, repo, ids), False)
            await uow.commit()
        return run

    async def _run_of(self, repo: CrewRepository, resolved: Resolved, dry_run: bool) -> RosterRun:
        names = {r.id: r.name for r in await repo.member_rows()}
        picks: dict[str, list[tuple[str, str, CrewRole]]] = {f.id: [] for f in resolved.flights}
        for member_id, role, f in resolved.result.assignments():
            picks[f.id].append((member_id, names.get(member_id, ""), role))
        uncovered = resolved.result.uncovered()
        holders = await repo.holders([f.id for f in resolved.flights])
        out = []
        for f in sorted(resolved.flights, key=lambda f: (f.departure, f.number)):
            gaps = [(role, n, why) for role, (n, why) in sorted(uncovered.get(f.id, {}).items())]
            if dry_run:
                readiness = "short" if gaps else ("pending" if picks[f.id] or resolved.need[f.id] else "kept")
            else:
                complement = domain.required_complement(f.seats, self.rules)
                readiness, _ = domain.readiness(
                    complement, [(CrewRole(a.role), AssignmentState(a.state)) for a in holders[f.id]]
                )
            kept = len(holders[f.id]) - (0 if dry_run else len(picks[f.id]))
            out.append(RosterFlight(f, readiness, kept, picks[f.id], gaps))
        statuses = sorted({r.status for r in resolved.result.roles.values()})
        return RosterRun(out, dry_run, resolved.result.seconds, ", ".join(statuses) or "nothing to cover")

    async def my_pairings(self, include_past: bool = False) -> tuple[MemberView, list[PairingView]]:
        """The member's held sectors as duty periods and pairings (home base to home base)."""
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            me = await self._me(repo)  # type: ignore[attr-defined]  # CrewMembers, in CrewService
            start = None if include_past else utcnow() - timedelta(days=1)
            rows = [
                a
                for a in (await repo.member_assignments([me.id], start))[me.id]
                if a.state in (s.value for s in domain.HOLDING_STATES)
            ]
            absent = (await repo.absences_of([me.id]))[me.id]
        by_flight = {a.flight_id: a for a in rows}
        periods = build_periods([duty_of(a) for a in rows], self.rules)
        views = []
        for p in build_pairings(periods, me.home_base):
            views.append(
                PairingView(
                    p,
                    [
                        PeriodView(
                            d,
                            fdp_limit(d.report_at, len(d.sectors), self.rules),
                            [by_flight[s.flight_id] for s in d.sectors],
                        )
                        for d in p.periods
                    ],
                )
            )
        return MemberView(me, absent), views
