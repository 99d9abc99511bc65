"""Crew members: ops manage them (create, list, availability, the roster); a member sees their
own duties and notifications and answers each proposal (accept or decline)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from airline.contracts.events import crew as crew_events
from airline.crew import domain
from airline.crew.domain import AssignmentState
from airline.crew.inputs import clean_text
from airline.crew.rostering import Rostering
from airline.crew.store import CrewRepository
from airline.crew.views import MemberView
from airline.platform import flight_status
from airline.platform.auth import Role, require
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, NotFound, ValidationFailed

_CODE = re.compile(r"^[A-Z]{3}$")


class CrewMembers(Rostering):
    """The member use cases of CrewService."""

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
        quals = sorted({clean_text(q, "qualification", required=True, limit=40) for q in qualifications})
        if not quals:
            raise ValidationFailed(
                "a crew member needs at least one aircraft type qualification", field="qualifications"
            )
        values = dict(
            id=str(uuid.uuid4()),
            user_id=clean_text(user_id, "user_id", limit=100) or None,
            name=clean_text(name, "name", required=True, limit=120),
            role=crew_role.value,
            qualifications=quals,
            home_base=home,
            email=clean_text(email, "email", limit=200),
            phone=clean_text(phone, "phone", limit=40),
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
            parsed.append((domain.parse_absence(kind), start, end, clean_text(note, "note", limit=200)))
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
            withdrawn = [f for f in touched if await self._revalidate(uow, repo, f, propose=False)]
            # one solve for the flights the member left (an out-and-back gets one new crew)
            await self._resolve(uow, repo, [f for f in withdrawn if await self._may_propose(repo, f)])
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
        why = clean_text(reason, "reason", limit=500)
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
                # the sectors the decline strands go too; only those flights are solved again
                stranded = await self._withdraw_stranded(uow, repo, me, a.departure)
                touched = [f for f in (flight.id, *stranded) if await self._may_propose(repo, f)]
                await self._resolve(uow, repo, touched)
            out = await self._assignment(repo, assignment_id)
            await uow.commit()
        return out

    async def _may_propose(self, repo: CrewRepository, flight_id: str) -> bool:
        flight = await repo.flight_row(flight_id)
        return flight is not None and flight_status.crew_auto_proposal(flight.status)

    async def _assignment(self, repo: CrewRepository, assignment_id: str) -> Any:
        a = await repo.assignment_row(assignment_id)
        rows = [r for r in await repo.flight_assignments(a.flight_id) if r.id == assignment_id]
        return rows[0]
