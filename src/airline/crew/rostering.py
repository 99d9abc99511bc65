"""Rostering: the service's collaborators, and what every crew use case does to a flight's
crew inside the caller's transaction (flight row locked): propose legal members for the roles
it lacks, add one duty, release one, and re-check every duty when the flight or a member's
availability changes; plus the job that proposes crews for flights entering the horizon.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

from airline.contracts.events import crew as crew_events
from airline.crew import domain
from airline.crew.domain import AssignmentState, FlightInfo, LegalityRules
from airline.crew.settings import CrewSettings
from airline.crew.store import CrewRepository, flight_of
from airline.platform import flight_status
from airline.platform.auth import Principal
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow

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

    # --- the job ---------------------------------------------------------------------------

    def _within_horizon(self, departure: datetime) -> bool:
        now = utcnow()
        return now <= departure < now + timedelta(hours=self.settings.auto_propose_horizon_hours)

    async def propose_due(self) -> int:
        """Propose crews for flights departing within the horizon that have none yet."""
        now = utcnow()
        async with self.db.uow() as uow:
            due = await CrewRepository(uow.conn).flights_without_crew(
                now, now + timedelta(hours=self.settings.auto_propose_horizon_hours)
            )
        for flight_id in due:
            async with self.db.uow() as uow:
                repo = CrewRepository(uow.conn)
                flight = await repo.flight_row(flight_id, lock=True)
                if not flight_status.crew_auto_proposal(flight.status):
                    continue
                await self._propose(uow, repo, flight)
                await uow.commit()
        return len(due)

    # --- inside a transaction --------------------------------------------------------------

    async def _propose(self, uow: UnitOfWork, repo: CrewRepository, flight: Any) -> list[Any]:
        """Fill the roles the flight still lacks with legal members (flight row locked)."""
        info = flight_of(flight)
        complement = domain.required_complement(info.seats, self.rules)
        current = await repo.flight_assignments(info.id)
        holding = [a for a in current if a.state in domain.HOLDING_STATES]
        missing = {r: n - sum(1 for a in holding if a.role == r.value) for r, n in complement.items()}
        missing = {r: n for r, n in missing.items() if n > 0}
        if not missing:
            return []
        rows = await repo.lock_candidates(info.aircraft_type, [r.value for r in missing])
        excluded = {a.member_id for a in holding} | await repo.decliners(info.id)
        proposal = domain.propose(info, missing, await repo.schedules(rows), self.rules, excluded)
        by_id = {r.id: r for r in rows}
        added = []
        for role in domain.ROLE_ORDER:
            for member_id in proposal.picked.get(role, []):
                added.append(await self._add(uow, repo, info, by_id[member_id], source="auto"))
        return added

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

    async def _revalidate(self, uow: UnitOfWork, repo: CrewRepository, flight_id: str) -> None:
        """Move the flight's duties to its current times and re-check each member (flight row
        locked); withdraw those who can no longer fly it, then propose replacements."""
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
        if withdrawn and flight_status.crew_auto_proposal(info.status):
            await self._propose(uow, repo, flight)
