"""Crew use cases; each begins and commits its own transaction.

Lock order, everywhere: the flight row, then member rows in id order, then assignment rows.
Proposals judge legality only on locked members, and the exclusion constraint on duties is
the last guard against a member booked twice at once.

One module per role: the collaborators and the rostering steps every use case shares, with the
auto-proposal job (`rostering.py`); the duty-period legality (`legality.py`) and the roster
solver (`solver.py`); roster runs and the member's pairings (`roster_gen.py`); crew members and
their own answers (`members.py`); the
event handlers (`consumers.py`); the read models (`views.py`); the flights and airport adapter
(`directory.py`). Here the service that gathers them, with the use cases on one flight's crew.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from airline.crew import domain
from airline.crew.consumers import CrewConsumers
from airline.crew.directory import Directory  # noqa: F401  (re-exported: the composition root wires it)
from airline.crew.domain import AssignmentState, CrewRole
from airline.crew.inputs import clean_text
from airline.crew.members import CrewMembers
from airline.crew.roster_gen import CrewRosterGeneration
from airline.crew.store import NO_DOUBLE_DUTY, CrewRepository, flight_of
from airline.crew.views import FlightCrewView, MemberView  # noqa: F401  (MemberView re-exported)
from airline.platform import flight_status
from airline.platform.auth import Role, require
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, NotFound

OPS = (Role.OPS, Role.SYSTEM)


class CrewService(CrewRosterGeneration, CrewMembers, CrewConsumers):
    """Every crew use case, as the gRPC API, the consumers and the composition root know them."""

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
        reason = clean_text(override_reason, "override_reason", limit=500)
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
        why = clean_text(reason, "reason", limit=500)
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
            # the sectors of the member's pairing they can no longer reach go too (the return)
            member = await repo.member_row(member_id, lock=True)
            await self._withdraw_stranded(uow, repo, member, min(a.departure for a in holding))
            view = await self._view(repo, flight_id)
            await uow.commit()
        return view

    async def _view(self, repo: CrewRepository, flight_id: str) -> FlightCrewView:
        flight = await repo.flight_row(flight_id)
        if flight is None:
            raise NotFound(f"no flight {flight_id}")
        rows = await repo.flight_assignments(flight_id)
        complement = domain.required_complement(flight.seats, self.rules)
        status, roles = domain.readiness(complement, [(CrewRole(a.role), AssignmentState(a.state)) for a in rows])
        return FlightCrewView(flight, status, roles, rows)
