"""Crew use cases; the only place a transaction begins and commits.

Lock order, everywhere: the flight row, then member rows in id order, then assignment rows.
Proposals judge legality only on locked members, and the exclusion constraint on duties is
the last guard against a member booked twice at once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from airline.contracts.events import crew as crew_events
from airline.crew import domain
from airline.crew.consumers import CrewConsumers
from airline.crew.domain import AssignmentState, CrewRole, FlightInfo, LegalityRules, RoleStatus
from airline.crew.settings import CrewSettings
from airline.crew.store import NO_DOUBLE_DUTY, CrewRepository, flight_of
from airline.platform import flight_status
from airline.platform.auth import Principal, Role, require
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.errors import Conflict, NotFound, ValidationFailed
from airline.platform.grpc import call

_CODE = re.compile(r"^[A-Z]{3}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
OPS = (Role.OPS, Role.SYSTEM)


def _text(value: str, name: str, *, required: bool = False, limit: int = 200) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationFailed(f"{name} is required", field=name)
    if len(value) > limit:
        raise ValidationFailed(f"{name} is longer than {limit} characters", field=name)
    if _CONTROL.search(value):
        raise ValidationFailed(f"{name} must not contain control characters", field=name)
    return value


@dataclass
class FlightCrewView:
    flight: Any
    readiness: str
    roles: list[RoleStatus]
    assignments: list[Any]

    @property
    def short_roles(self) -> list[str]:
        return [s.role.value for s in self.roles if s.short]


@dataclass
class MemberView:
    row: Any
    absences: list[Any]


FlightLookup = Callable[[str], Awaitable[FlightInfo]]
PlaneLookup = Callable[[str], Awaitable[tuple[str, int]]]


class CrewService(CrewConsumers):
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

    # --- members (ops) ---------------------------------------------------------------------

    async def create_member(
        self,
        name: str,
        role: str,
        qualifications: Sequence[str],
        home_base: str,
        email: str = "",
        phone: str = "",
        user_id: str = "",
    ) -> MemberView:
        require(Role.OPS)
        crew_role = domain.parse_role(role)
        home = home_base.strip().upper()
        if not _CODE.match(home):
            raise ValidationFailed("home_base must be an IATA airport code (3 letters)", field="home_base")
        quals = sorted({_text(q, "qualification", required=True, limit=40) for q in qualifications})
        if not quals:
            raise ValidationFailed(
                "a crew member needs at least one aircraft type qualification", field="qualifications"
            )
        values = dict(
            id=str(uuid.uuid4()),
            user_id=_text(user_id, "user_id", limit=100) or None,
            name=_text(name, "name", required=True, limit=120),
            role=crew_role.value,
            qualifications=quals,
            home_base=home,
            email=_text(email, "email", limit=200),
            phone=_text(phone, "phone", limit=40),
        )
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            if values["user_id"] and await repo.member_by_user(values["user_id"]) is not None:
                raise Conflict("that user is already linked to a crew member", code="user_taken")
            await repo.add_member(values)
            row = await repo.member_row(values["id"])
            await uow.commit()
        return MemberView(row, [])

    async def list_members(self, role: str = "", home_base: str = "") -> list[MemberView]:
        require(Role.OPS)
        if role:
            domain.parse_role(role)
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            rows = await repo.member_rows(role, home_base.strip().upper())
            absent = await repo.absences_of([r.id for r in rows])
        return [MemberView(r, absent[r.id]) for r in rows]

    async def get_member(self, member_id: str) -> MemberView:
        principal = require(Role.OPS, Role.CREW)
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            row = await repo.member_row(member_id)
            if row is None or (not principal.has(Role.OPS) and row.user_id != principal.subject):
                raise NotFound(f"no crew member {member_id}")
            absent = await repo.absences_of([row.id])
        return MemberView(row, absent[row.id])

    async def set_availability(
        self, member_id: str, windows: Sequence[tuple[str, datetime, datetime, str]]
    ) -> MemberView:
        """Replace the member's absences. Duties the new absences touch are withdrawn (the
        member will not be there) and replacements proposed."""
        require(Role.OPS)
        parsed = []
        for kind, start, end, note in windows:
            if end <= start:
                raise ValidationFailed("an availability window must end after it starts", field="absences")
            parsed.append((domain.parse_absence(kind), start, end, _text(note, "note", limit=200)))
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            row = await repo.member_row(member_id)
            if row is None:
                raise NotFound(f"no crew member {member_id}")
            touched = sorted(
                {
                    a.flight_id
                    for a in (await repo.holding_duties([member_id]))[member_id]
                    if any(s < a.release_at and a.report_at < e for _, s, e, _ in parsed)
                }
            )
            for flight_id in touched:
                await repo.flight_row(flight_id, lock=True)
            await repo.member_row(member_id, lock=True)
            await repo.replace_absences(member_id, parsed)
            for flight_id in touched:
                await self._revalidate(uow, repo, flight_id)
            absent = (await repo.absences_of([member_id]))[member_id]
            await uow.commit()
        return MemberView(row, absent)

    async def roster(self, start: datetime | None, end: datetime | None) -> list[tuple[MemberView, list[Any]]]:
        require(Role.OPS)
        if start and end and end <= start:
            raise ValidationFailed("`to` must be after `from`", field="to")
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            rows = await repo.member_rows()
            ids = [r.id for r in rows]
            absent = await repo.absences_of(ids)
            duties = await repo.member_assignments(ids, start, end)
        return [(MemberView(r, absent[r.id]), duties[r.id]) for r in rows]

    # --- flights ---------------------------------------------------------------------------

    async def _known_flight(self, flight_id: str) -> None:
        """Make sure the flight is in this service's copy (events may not have arrived yet)."""
        async with self.db.uow() as uow:
            if await CrewRepository(uow.conn).flight_row(flight_id) is not None:
                return
        with self.acting_as_system():
            info = await self.flight_lookup(flight_id)
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            if await repo.flight_row(flight_id) is None:
                await repo.upsert_flight(info)
                await uow.commit()

    async def propose_crew(self, flight_id: str) -> FlightCrewView:
        require(*OPS)
        await self._known_flight(flight_id)
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            flight = await repo.flight_row(flight_id, lock=True)
            assert flight is not None
            if not flight_status.crew_may_change(flight.status):
                raise Conflict(
                    f"flight {flight.number} is {flight.status}: no crew can be proposed", code="flight_closed"
                )
            await self._propose(uow, repo, flight)
            view = await self._view(repo, flight_id)
            await uow.commit()
        return view

    async def flight_crew(self, flight_id: str) -> FlightCrewView:
        require(*OPS)
        await self._known_flight(flight_id)
        async with self.db.uow() as uow:
            return await self._view(CrewRepository(uow.conn), flight_id)

    async def assign(self, flight_id: str, member_id: str, override_reason: str = "") -> FlightCrewView:
        require(Role.OPS)
        reason = _text(override_reason, "override_reason", limit=500)
        await self._known_flight(flight_id)
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            flight = await repo.flight_row(flight_id, lock=True)
            if not flight_status.crew_may_change(flight.status):
                raise Conflict(f"flight {flight.number} is {flight.status}", code="flight_closed")
            row = await repo.member_row(member_id, lock=True)
            if row is None:
                raise NotFound(f"no crew member {member_id}")
            if any(
                a.member_id == member_id and a.state in domain.HOLDING_STATES
                for a in await repo.flight_assignments(flight_id)
            ):
                raise Conflict(f"{row.name} is already on flight {flight.number}", code="already_assigned")
            info = flight_of(flight)
            (schedule,) = await repo.schedules([row])
            found = domain.violations(schedule, domain.duty_for(info, self.rules), info.aircraft_type, self.rules)
            if found and not reason:
                raise Conflict(
                    "the assignment breaks crew rules (give an override_reason to assign anyway): "
                    + "; ".join(v.message for v in found),
                    code="illegal_assignment",
                )
            try:
                async with uow.conn.begin_nested():
                    await self._add(uow, repo, info, row, source="manual", override_reason=reason, found=found)
            except IntegrityError as e:
                if NO_DOUBLE_DUTY in str(e.orig):
                    raise Conflict(
                        f"{row.name} is already on duty at that time; no override can double-book", code="double_duty"
                    ) from None
                raise
            view = await self._view(repo, flight_id)
            await uow.commit()
        return view

    async def remove(self, flight_id: str, member_id: str, reason: str = "") -> FlightCrewView:
        require(Role.OPS)
        why = _text(reason, "reason", limit=500)
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            flight = await repo.flight_row(flight_id, lock=True)
            if flight is None:
                raise NotFound(f"no flight {flight_id} known to crew")
            holding = [
                a
                for a in await repo.flight_assignments(flight_id)
                if a.member_id == member_id and a.state in domain.HOLDING_STATES
            ]
            if not holding:
                raise NotFound(f"crew member {member_id} is not on flight {flight.number}")
            for a in holding:
                await repo.update_assignment(
                    a.id, state=AssignmentState.REMOVED.value, answer_reason=why, answered_at=utcnow()
                )
                await self._release(
                    uow,
                    repo,
                    a,
                    flight,
                    "removed",
                    f"You were removed from flight {flight.number}" + (f": {why}" if why else "."),
                )
            view = await self._view(repo, flight_id)
            await uow.commit()
        return view

    # --- the member's own ------------------------------------------------------------------

    async def _me(self, repo: CrewRepository) -> Any:
        principal = require(Role.CREW)
        row = await repo.member_by_user(principal.subject)
        if row is None:
            raise NotFound("your account is not linked to a crew member", code="no_crew_member")
        return row

    async def my_assignments(self, include_past: bool = False) -> tuple[MemberView, list[Any]]:
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            me = await self._me(repo)
            start = None if include_past else utcnow() - timedelta(days=1)
            rows = (await repo.member_assignments([me.id], start))[me.id]
            absent = (await repo.absences_of([me.id]))[me.id]
        return MemberView(me, absent), rows

    async def my_notifications(self) -> list[Any]:
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            me = await self._me(repo)
            return await repo.notifications_of(me.id)

    async def answer(self, assignment_id: str, accept: bool, reason: str = "") -> Any:
        why = _text(reason, "reason", limit=500)
        if not accept and not why:
            raise ValidationFailed("say why you decline", field="reason")
        async with self.db.uow() as uow:
            repo = CrewRepository(uow.conn)
            me = await self._me(repo)
            seen = await repo.assignment_row(assignment_id)
            # another member's assignment is as invisible as one that does not exist
            if seen is None or seen.member_id != me.id:
                raise NotFound(f"no assignment {assignment_id} of yours")
            flight = await repo.flight_row(seen.flight_id, lock=True)
            a = await repo.assignment_row(assignment_id, lock=True)
            wanted = AssignmentState.ACCEPTED if accept else AssignmentState.DECLINED
            if a.state == wanted.value:
                return await self._assignment(repo, assignment_id)  # a repeated answer changes nothing
            if a.state != AssignmentState.PROPOSED.value:
                raise Conflict(f"this assignment is {a.state}: it cannot be {wanted.value} now", code="not_pending")
            await repo.update_assignment(a.id, state=wanted.value, answer_reason=why, answered_at=utcnow())
            if not accept:
                await uow.emit_event(
                    crew_events.CREW_UNASSIGNED,
                    flight.id,
                    {
                        "assignment_id": a.id,
                        "member_id": me.id,
                        "flight_id": flight.id,
                        "flight_number": flight.number,
                        "role": a.role,
                        "why": "declined",
                        "reason": why,
                    },
                )
                if flight_status.crew_auto_proposal(flight.status):
                    await self._propose(uow, repo, flight)
            out = await self._assignment(repo, assignment_id)
            await uow.commit()
        return out

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

    async def _assignment(self, repo: CrewRepository, assignment_id: str) -> Any:
        a = await repo.assignment_row(assignment_id)
        rows = [r for r in await repo.flight_assignments(a.flight_id) if r.id == assignment_id]
        return rows[0]

    async def _view(self, repo: CrewRepository, flight_id: str) -> FlightCrewView:
        flight = await repo.flight_row(flight_id)
        if flight is None:
            raise NotFound(f"no flight {flight_id}")
        rows = await repo.flight_assignments(flight_id)
        complement = domain.required_complement(flight.seats, self.rules)
        status, roles = domain.readiness(complement, [(CrewRole(a.role), AssignmentState(a.state)) for a in rows])
        return FlightCrewView(flight, status, roles, rows)


class Directory:
    """What crew asks the flights and airport services (reads: retried when unanswered)."""

    def __init__(self, flights_stub: Any, airport_stub: Any, deadline: float = 5.0) -> None:
        self.flights = flights_stub
        self.airport = airport_stub
        self.deadline = deadline

    async def plane(self, plane_id: str) -> tuple[str, int]:
        from airline.airport.v1 import airport_pb2 as apb

        p = await call(
            self.airport.GetPlane,
            apb.GetPlaneRequest(id=plane_id),
            deadline=self.deadline,
            idempotent=True,
            who="the airport service",
            not_found=f"unknown plane {plane_id}",
        )
        return p.aircraft_type, sum(c.seats for c in p.capacity)

    async def flight(self, flight_id: str) -> FlightInfo:
        from airline.flights.v1 import flights_pb2 as fpb

        f = await call(
            self.flights.GetFlight,
            fpb.GetFlightRequest(id=flight_id),
            deadline=self.deadline,
            idempotent=True,
            who="the flights service",
            not_found=f"no flight {flight_id}",
        )
        aircraft_type, seats = await self.plane(f.plane_id)
        utc = UTC
        return FlightInfo(
            f.id,
            f.number,
            f.origin,
            f.diverted_to or f.destination,
            f.estimated_departure.ToDatetime(tzinfo=utc),
            f.estimated_arrival.ToDatetime(tzinfo=utc),
            aircraft_type,
            seats,
            f.status,
        )
