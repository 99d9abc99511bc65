"""Rostering: the service's collaborators, and what every crew use case does to flights' crews
inside the caller's transaction (flight rows locked): solve the seats they lack with every held
duty fixed (solver.py, run off the event loop) and propose whom it picks, add one duty, release
one, and re-check every duty when the flight or a member's availability changes; plus the job
that proposes crews for the flights entering the horizon, in one solve.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from prometheus_client import Counter

from airline.contracts.events import crew as crew_events
from airline.crew import domain, solver
from airline.crew.domain import AssignmentState, FlightInfo, LegalityRules
from airline.crew.settings import CrewSettings
from airline.crew.store import CrewRepository, flight_of
from airline.platform import flight_status
from airline.platform.auth import Principal
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow


@dataclass
class Resolved:
    """What one solve did: the flights, their open seats before it, the solver's answer and the
    assignments it added."""

    flights: list[FlightInfo]
    need: dict[str, dict[domain.CrewRole, int]]
    result: solver.RosterResult = field(default_factory=solver.RosterResult)
    added: list[str] = field(default_factory=list)
    pool: list[Any] = field(default_factory=list)  # the member rows the solver chose from


T = TypeVar("T")
# How often a solve is made with nothing locked before one is made holding the locks, and how
# far back held duties count for legality (the 28-day flight-time limit, and a day before it).
OPTIMISTIC_TRIES = 3
log = logging.getLogger(__name__)

LEGALITY_LOOKBACK = timedelta(days=29)
ALL_ROLES = [r.value for r in domain.CrewRole]
STALE_SOLVES = Counter(
    "airline_crew_stale_solves_total",
    "Lock-free crew solves thrown away because the crew or the flights changed before they were written",
)

FlightLookup = Callable[[str], Awaitable[FlightInfo]]
PlaneLookup = Callable[[str], Awaitable[tuple[str, int]]]


class Rostering:
    """The collaborators, the auto-proposal job and the in-transaction rostering steps."""

    def __init__(
        self,
        db: ServiceDatabase,
        settings: CrewSettings,
        flight_lookup: FlightLookup,
        plane_lookup: PlaneLookup,
        acting_as_system: Callable[[], AbstractContextManager[Principal]],
    ) -> None:
        self.db = db
        self.settings = settings
        self.rules: LegalityRules = settings.rules()
        self.flight_lookup = flight_lookup
        self.plane_lookup = plane_lookup
        self.acting_as_system = acting_as_system
        # what the last auto-proposal solve left behind (flights in the horizon, crew digest)
        self._last_short_solve: tuple[Any, str] | None = None
        # solves started after a commit (a flight scheduled soon): kept until they end
        self._background: set[asyncio.Task[Any]] = set()

    # --- the job ---------------------------------------------------------------------------

    def _within_horizon(self, departure: datetime, hours: float | None = None) -> bool:
        now = utcnow()
        ahead = self.settings.auto_propose_horizon_hours if hours is None else hours
        return now <= departure < now + timedelta(hours=ahead)

    async def propose_due(self) -> int:
        """Propose crews for the seats open on flights departing within the horizon: one solve
        over all of them (so an out-and-back gets one crew), each flight row locked. A flight
        left short (nobody legal then) is tried again at the next run."""
        now = utcnow()
        async with self.db.uow() as uow:
            listed = await CrewRepository(uow.conn).flights_with_holding(
                now, now + timedelta(hours=self.settings.auto_propose_horizon_hours)
            )
        due = [f.id for f, held in listed if held < sum(domain.required_complement(f.seats, self.rules).values())]
        if not due:
            return 0
        # A solve that left seats open is not repeated every tick while nothing it reads has
        # changed (a flight nobody can crew would otherwise cost a solve per interval forever).
        async with self.db.uow() as uow:
            stamp = await CrewRepository(uow.conn).crew_stamp(now - LEGALITY_LOOKBACK)
        seen = (tuple((f.id, held, f.status, f.departure, f.updated_at) for f, held in listed), stamp)
        if seen == self._last_short_solve:
            return 0
        horizon = now + timedelta(hours=self.settings.auto_propose_horizon_hours)

        async def open_flights(repo: CrewRepository) -> list[str]:
            rows = await repo.lock_flights(due) if locked else await repo.flight_rows(due)
            return [f.id for f in rows if flight_status.crew_auto_proposal(f.status)]

        async def left_behind(repo: CrewRepository, _: Resolved) -> tuple[Any, str]:
            # read inside the writing transaction: a change committed after it shows next tick
            after = await repo.flights_with_holding(now, horizon)
            stamp = await repo.crew_stamp(now - LEGALITY_LOOKBACK)
            return tuple((f.id, held, f.status, f.departure, f.updated_at) for f, held in after), stamp

        locked = False
        seen_now = await self._solved_then_written(open_flights, now - LEGALITY_LOOKBACK, left_behind)
        if seen_now is None:  # the crew kept changing: solve holding the locks
            locked = True
            async with self.db.uow() as uow:
                repo = CrewRepository(uow.conn)
                await self._resolve(uow, repo, await open_flights(repo))
                seen_now = await left_behind(repo, Resolved([], {}))
                await uow.commit()
        self._last_short_solve = seen_now
        return len(due)

    async def _solved_then_written(
        self,
        flight_ids: Callable[[CrewRepository], Awaitable[list[str]]],
        since: datetime,
        then: Callable[[CrewRepository, Resolved], Awaitable[T]],
        *,
        layovers: bool = True,
    ) -> T | None:
        """Solve the open seats of the flights `flight_ids` picks with nothing locked (a week's
        solve takes seconds: a sick call or a decline meanwhile does not wait for it), then,
        holding the flight and member locks, write the answer only if the flights and the crew
        who could fly them (members, absences, duties: solve_stamp) are as the solve read them
        (a change to other crews does not count), and return `then`'s
        answer from that transaction. None when they changed under every try (the caller then
        solves holding the locks)."""
        for _ in range(OPTIMISTIC_TRIES):
            async with self.db.uow() as uow:
                repo = CrewRepository(uow.conn)
                ids = await flight_ids(repo)
                read = await repo.solve_stamp(ids, since)
                resolved = await self._solve(repo, ids, layovers=layovers, lock=False)
            async with self.db.uow() as uow:
                repo = CrewRepository(uow.conn)
                await repo.lock_flights(ids)
                if resolved.pool:
                    await repo.pool([f.aircraft_type for f in resolved.flights], ALL_ROLES)
                if await repo.solve_stamp(ids, since) == read:
                    await self._apply(uow, repo, resolved)
                    answer = await then(repo, resolved)
                    await uow.commit()
                    return answer
            STALE_SOLVES.inc()
        return None

    def _crew_after_commit(self, uow: UnitOfWork, flight: FlightInfo) -> None:
        """Once `uow` has committed, propose crew for `flight` (departing soon) and the uncrewed
        flights it may share a duty period with, solved with nothing locked and written only if
        nothing it read changed (as the roster job does): a solve on a loaded machine takes
        seconds, and holding the flights' and members' rows for it made every hand assignment
        wait. A crash before it ends leaves the flight to the auto-proposal job."""

        def start() -> None:
            task = asyncio.get_running_loop().create_task(self._crew_soon(flight))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

        uow.after_commit(start)

    async def _crew_soon(self, flight: FlightInfo) -> None:
        # without layovers: this small solve cannot see the rest of the week (the job and
        # POST /crew/roster solve whole ranges)
        window = timedelta(hours=self.rules.duty_break_hours + self.rules.max_fdp_hours)

        async def open_flights(repo: CrewRepository) -> list[str]:
            companions = await repo.lock_companions(flight, window, lock=False)
            rows = await repo.flight_rows([flight.id, *companions])
            return [f.id for f in rows if flight_status.crew_auto_proposal(f.status)]

        async def written(_: CrewRepository, __: Resolved) -> bool:
            return True

        try:
            done = await self._solved_then_written(open_flights, utcnow() - LEGALITY_LOOKBACK, written, layovers=False)
        except Exception:  # the job proposes for it later; never an unhandled task error
            log.exception("crew for flight %s not proposed at once; the auto-proposal job will", flight.id)
            return
        if done is None:
            log.info("crew for flight %s kept changing under the solve; the auto-proposal job will propose", flight.id)

    # --- inside a transaction --------------------------------------------------------------

    async def _propose(self, uow: UnitOfWork, repo: CrewRepository, flight: Any) -> list[Any]:
        """Fill the roles the flight still lacks with legal members (flight row locked)."""
        return (await self._resolve(uow, repo, [flight.id])).added

    async def _resolve(
        self,
        uow: UnitOfWork,
        repo: CrewRepository,
        flight_ids: Sequence[str],
        *,
        dry_run: bool = False,
        layovers: bool = True,
    ) -> Resolved:
        """Solve the open seats of these flights (rows locked by the caller) with every duty
        that is held kept fixed, and propose the members the solver picks (unless dry_run)."""
        out = await self._solve(repo, flight_ids, layovers=layovers, lock=True)
        if not dry_run:
            await self._apply(uow, repo, out)
        return out

    async def _solve(
        self, repo: CrewRepository, flight_ids: Sequence[str], *, layovers: bool = True, lock: bool = True
    ) -> Resolved:
        """The solver's answer for these flights' open seats; the member pool is locked unless
        `lock` is false (a solve whose inputs are checked again before it is written)."""
        infos = [flight_of(await repo.flight_row(fid)) for fid in sorted(set(flight_ids))]
        holders = await repo.holders([f.id for f in infos])
        need: dict[str, dict[domain.CrewRole, int]] = {}
        excluded: dict[str, set[str]] = {}
        for f in infos:
            complement = domain.required_complement(f.seats, self.rules)
            held = holders[f.id]
            missing = {r: n - sum(1 for a in held if a.role == r.value) for r, n in complement.items()}
            need[f.id] = {r: n for r, n in missing.items() if n > 0}
            excluded[f.id] = {a.member_id for a in held} | await repo.decliners(f.id)
        out = Resolved(infos, need)
        roles = sorted({r.value for n in need.values() for r in n})
        if not roles:
            return out
        out.pool = await repo.pool([f.aircraft_type for f in infos], roles, lock=lock)
        schedules = await repo.schedules(out.pool)
        out.result = await asyncio.to_thread(
            solver.solve,
            infos,
            need,
            schedules,
            self.rules,
            excluded,
            self.settings.solver_time_limit_seconds,
            3 if layovers else 1,
        )
        return out

    async def _apply(self, uow: UnitOfWork, repo: CrewRepository, out: Resolved) -> None:
        """Propose whom the solve picked."""
        by_id = {r.id: r for r in out.pool}
        by_flight = {f.id: f for f in out.flights}
        for member_id, _, f in out.result.assignments():
            out.added.append(await self._add(uow, repo, by_flight[f.id], by_id[member_id], source="auto"))

    async def _add(
        self,
        uow: UnitOfWork,
        repo: CrewRepository,
        info: FlightInfo,
        member: Any,
        *,
        source: str,
        override_reason: str = "",
        found: Sequence[domain.Violation] = (),
    ) -> str:
        duty = domain.duty_for(info, self.rules)
        assignment_id = str(uuid.uuid4())
        await repo.add_assignment(
            dict(
                id=assignment_id,
                flight_id=info.id,
                member_id=member.id,
                role=member.role,
                state=AssignmentState.PROPOSED.value,
                origin=duty.origin,
                destination=duty.destination,
                report_at=duty.report_at,
                departure=duty.departure,
                arrival=duty.arrival,
                release_at=duty.release_at,
                source=source,
                override_reason=override_reason,
                violations=[{"rule": v.rule, "message": v.message} for v in found],
            )
        )
        role = member.role.replace("_", " ")
        message = (
            f"You are proposed as {role} on flight {info.number} {info.origin}-{info.destination}, "
            f"report {duty.report_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC. Please accept or decline."
        )
        await repo.notify(member.id, assignment_id, "assigned", message)
        await uow.emit_event(
            crew_events.CREW_ASSIGNED,
            info.id,
            {
                "assignment_id": assignment_id,
                "member_id": member.id,
                "user_id": member.user_id,
                "name": member.name,
                "email": member.email,
                "phone": member.phone,
                "role": member.role,
                "flight": {
                    "id": info.id,
                    "number": info.number,
                    "origin": info.origin,
                    "destination": info.destination,
                    "departure": info.departure.isoformat(),
                    "arrival": info.arrival.isoformat(),
                },
                "report_at": duty.report_at.isoformat(),
                "source": source,
                "message": message,
            },
        )
        return assignment_id

    async def _release(
        self, uow: UnitOfWork, repo: CrewRepository, a: Any, flight: Any, why: str, message: str
    ) -> None:
        await repo.notify(a.member_id, a.id, why, message)
        await uow.emit_event(
            crew_events.CREW_UNASSIGNED,
            flight.id,
            {
                "assignment_id": a.id,
                "member_id": a.member_id,
                "flight_id": flight.id,
                "flight_number": flight.number,
                "role": a.role,
                "why": why,
                "message": message,
            },
        )

    async def _revalidate(self, uow: UnitOfWork, repo: CrewRepository, flight_id: str, *, propose: bool = True) -> int:
        """Move the flight's duties to its current times and re-check each member (flight row
        locked); withdraw those who can no longer fly it, then propose replacements (unless the
        caller re-solves several flights at once). Returns how many were withdrawn."""
        flight = await repo.flight_row(flight_id)
        info = flight_of(flight)
        duty = domain.duty_for(info, self.rules)
        holding = [a for a in await repo.flight_assignments(flight_id) if a.state in domain.HOLDING_STATES]
        rows = [await repo.member_row(m, lock=True) for m in sorted({a.member_id for a in holding})]
        schedules = {s.member.id: s for s in await repo.schedules(rows)}
        withdrawn = 0
        for a in holding:
            found = domain.violations(schedules[a.member_id], duty, info.aircraft_type, self.rules)
            moved = dict(
                origin=duty.origin,
                destination=duty.destination,
                report_at=duty.report_at,
                departure=duty.departure,
                arrival=duty.arrival,
                release_at=duty.release_at,
            )
            if found:
                withdrawn += 1
                await repo.update_assignment(
                    a.id,
                    state=AssignmentState.REMOVED.value,
                    needs_attention=True,
                    violations=[{"rule": v.rule, "message": v.message} for v in found],
                    answered_at=utcnow(),
                    **moved,
                )
                await self._release(
                    uow,
                    repo,
                    a,
                    flight,
                    "withdrawn",
                    f"Flight {info.number} changed and you can no longer fly it legally "
                    f"({'; '.join(v.message for v in found)}); your duty is released.",
                )
            else:
                changed = (a.report_at, a.release_at, a.destination) != (
                    duty.report_at,
                    duty.release_at,
                    duty.destination,
                )
                await repo.update_assignment(a.id, **moved)
                if changed:
                    await repo.notify(
                        a.member_id,
                        a.id,
                        "changed",
                        f"Flight {info.number} changed: report now "
                        f"{duty.report_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.",
                    )
        if propose and withdrawn and flight_status.crew_auto_proposal(info.status):
            await self._propose(uow, repo, flight)
        return withdrawn

    async def _withdraw_stranded(
        self, uow: UnitOfWork, repo: CrewRepository, member: Any, after: datetime
    ) -> list[str]:
        """After a member left a sector departing at `after` (declined, removed): withdraw the
        held sectors after it that they can no longer reach (e.g. the return of an out-and-back
        they no longer fly out on), up to the first one that starts where they are. Returns the
        flights withdrawn from; their rows get locked."""
        held = sorted((await repo.holding_duties([member.id]))[member.id], key=lambda a: a.departure)
        where = member.home_base
        for a in held:
            if a.departure < after:
                where = a.destination
        out = []
        for a in (a for a in held if a.departure >= after):
            if a.origin == where:
                break
            flight = await repo.flight_row(a.flight_id, lock=True)
            if not flight_status.crew_may_change(flight.status):
                break
            why = f"{member.name} will be at {where}, not at {a.origin}"
            await repo.update_assignment(
                a.id,
                state=AssignmentState.REMOVED.value,
                violations=[{"rule": "location", "message": why}],
                answered_at=utcnow(),
            )
            await self._release(
                uow,
                repo,
                a,
                flight,
                "withdrawn",
                f"Flight {flight.number} is no longer yours: you {why[len(member.name) + 1 :]}.",
            )
            out.append(a.flight_id)
        return out
