"""Creating flights: one flight, a round trip or a recurring schedule, as a saga across this
service and the airport's plane commitments, and the recovery of creations that died half-way.

Creation is all-or-none across both services: flights are first written `pending` (which
already holds their gates, by the database's exclusion constraint), then the airport commits
the plane for every leg at once, then the flights become `scheduled` and their events go
out. A failure at any step undoes the earlier ones; a process that dies half-way leaves
`pending` rows that the recovery job (`recover`) cleans up, releasing their planes.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from airline.contracts.events import flights as flight_events
from airline.flights import domain
from airline.flights.domain import AirportInfo, Flight, Leg
from airline.flights.service_base import FlightServiceBase, required_time
from airline.flights.store import GATE_TAKEN, NUMBER_TAKEN, FlightRepository
from airline.platform.db import utcnow, violated_constraint
from airline.platform.errors import AlreadyExists, Conflict, DomainError, Unavailable, ValidationFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Created:
    flights: list[Flight]
    round_trip_id: str = ""
    schedule_id: str = ""


class FlightCreation(FlightServiceBase):
    """Creating flights (the saga above) and recovering the creations that died half-way."""

    async def create_flight(
        self,
        number: str,
        origin: str,
        destination: str,
        departure: datetime | None,
        duration_minutes: int,
        plane: str,
        gate: str,
    ) -> Flight:
        leg = domain.new_leg(
            number, origin, destination, required_time(departure, "departure"), duration_minutes, plane, gate
        )
        return (await self._create([leg]))[0]

    async def create_round_trip(
        self,
        number: str,
        origin: str,
        destination: str,
        departure: datetime | None,
        duration_minutes: int,
        plane: str,
        gate: str,
        return_number: str,
        return_departure: datetime | None,
        return_duration_minutes: int,
        return_gate: str,
    ) -> Created:
        outbound = domain.new_leg(
            number,
            origin,
            destination,
            required_time(departure, "outbound.departure"),
            duration_minutes,
            plane,
            gate,
            prefix="outbound.",
        )
        back = domain.new_leg(
            return_number,
            outbound.destination,
            outbound.origin,
            required_time(return_departure, "return_departure"),
            return_duration_minutes or int(outbound.duration.total_seconds() // 60),
            plane,
            return_gate,
            prefix="return_",
        )
        if back.number == outbound.number:
            raise ValidationFailed("return_number must differ from the outbound number", field="return_number")
        domain.check_return_leg(outbound, back, self.turnaround)
        round_trip_id = str(uuid.uuid4())
        created = await self._create([outbound, back], round_trip_id=round_trip_id)
        return Created(created, round_trip_id=round_trip_id)

    async def create_schedule(self, spec: domain.ScheduleSpec) -> Created:
        origin, destination = await self._airports([spec.origin, spec.destination])
        days = domain.expand_schedule(spec, origin.time_zone, destination.time_zone, self.turnaround)
        legs = [leg for pair in days for leg in pair if leg is not None]
        schedule_id = str(uuid.uuid4())
        created = await self._create(legs, schedule_id=schedule_id)
        return Created(created, schedule_id=schedule_id)

    async def _airports(self, codes: Iterable[str]) -> list[AirportInfo]:
        codes = list(codes)
        unique = sorted(set(codes))
        found = dict(zip(unique, await asyncio.gather(*(self.airport.airport(c) for c in unique))))
        return [found[c] for c in codes]

    async def _create(self, legs: Sequence[Leg], *, round_trip_id: str = "", schedule_id: str = "") -> list[Flight]:
        # 1. everything that can be checked before writing anything
        domain.check_in_future(legs, utcnow(), self.settings.max_days_ahead)
        codes = sorted({c for leg in legs for c in (leg.origin, leg.destination)})
        airports = {a.code: a for a in await self._airports(codes)}
        tzs = {c: a.time_zone for c, a in airports.items()}
        problems = domain.duplicates_in_request(legs, tzs, self.boarding)
        if problems:
            raise Conflict("; ".join(problems), conflicts=problems)
        origins = sorted({leg.origin for leg in legs})
        gates = dict(zip(origins, await asyncio.gather(*(self.airport.gates(o) for o in origins))))
        for leg in legs:
            status = gates[leg.origin].get(leg.gate)
            if status is None:
                raise ValidationFailed(f"{leg.number}: gate {leg.gate} is not a gate of {leg.origin}", field="gate")
            if status != "open":
                raise Conflict(f"{leg.number}: gate {leg.gate} at {leg.origin} is {status}, not open", field="gate")
        plane_ids = sorted({leg.plane_id for leg in legs})
        planes = dict(zip(plane_ids, await asyncio.gather(*(self.airport.plane(p) for p in plane_ids))))
        for p in planes.values():
            if p.status != "active":
                raise Conflict(f"plane {p.id} is {p.status}, not active: it cannot fly", field="plane_id")
        flights = [
            domain.flight_from_leg(
                leg,
                str(uuid.uuid4()),
                airports[leg.origin],
                airports[leg.destination],
                planes[leg.plane_id].capacity,
                self.boarding,
                round_trip_id=round_trip_id,
                schedule_id=schedule_id,
            )
            for leg in legs
        ]
        ids = [f.id for f in flights]

        # 2. the flights, pending: their gates and numbers are taken from here on
        await self._insert_pending(flights)

        # 3. the plane, for every leg at once
        try:
            await self.airport.commit_planes([self._block(f) for f in flights])
        except BaseException as e:
            await self._undo_pending(ids, release=isinstance(e, (Unavailable, asyncio.CancelledError)))
            if isinstance(e, Conflict):
                raise Conflict(await self._readable(e.message, flights), field="plane_id") from None
            raise

        # 4. scheduled, with their events
        try:
            async with self.db.uow() as uow:
                repo = FlightRepository(uow.conn)
                scheduled = await repo.mark_scheduled(ids)
                if len(scheduled) != len(ids):
                    raise Conflict("the creation took too long and was rolled back; nothing was created, try again")
                for f in scheduled:
                    await self._emit(uow, flight_events.FLIGHT_SCHEDULED, f, None)
                await uow.commit()
        except BaseException:
            await self._undo_pending(ids, release=True)
            raise
        by_id = {f.id: f for f in scheduled}
        return [by_id[i] for i in ids]

    async def _insert_pending(self, flights: list[Flight]) -> None:
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            # duplicates first: re-sending a request should say "exists", not "gate taken by itself"
            taken = await repo.numbers_taken((f.number, f.departure_local_date) for f in flights)
            if taken:
                names = [f"{n} on {d.isoformat()} already exists" for n, d in sorted(taken)]
                raise AlreadyExists("; ".join(names), field="number", conflicts=names)
            gate_problems = await self._gate_conflicts(repo, flights)
            if gate_problems:
                raise Conflict("; ".join(gate_problems), field="gate", conflicts=gate_problems)
            try:
                await repo.add_all(flights)
                await uow.commit()
                return
            except IntegrityError as e:
                constraint = violated_constraint(e)
        # lost a race with a concurrent creation: name what we lost to, from a fresh look
        if constraint == NUMBER_TAKEN:
            raise AlreadyExists("a flight with this number on this date was just created", field="number")
        if constraint == GATE_TAKEN:
            async with self.db.uow() as uow:
                problems = await self._gate_conflicts(FlightRepository(uow.conn), flights)
            message = "; ".join(problems) or "the gate was just taken by another flight"
            raise Conflict(message, field="gate", conflicts=problems)
        raise RuntimeError(f"unexpected constraint violation {constraint}")

    async def _undo_pending(self, ids: Sequence[str], *, release: bool) -> None:
        """Compensate a failed creation. Shielded: it must finish even if the caller gave up."""

        async def undo() -> None:
            if release:
                try:
                    await self.airport.release_planes(ids)
                except DomainError as e:
                    # the rows stay pending: the recovery job releases and deletes them later
                    log.warning("could not release planes of a failed creation yet: %s", e)
                    return
            async with self.db.uow() as uow:
                await FlightRepository(uow.conn).delete_pending(ids)
                await uow.commit()

        try:
            await asyncio.shield(undo())
        except Exception:
            log.exception("compensating a failed flight creation failed; the recovery job will retry")

    # ------------------------------------------------------------ recovery

    async def recover(self) -> tuple[list[str], list[str]]:
        """One pass: delete flights stuck `pending` (releasing their planes), and retry plane
        releases of cancelled flights. Call it acting as the system. Returns (deleted, released)."""
        cutoff = utcnow() - timedelta(seconds=self.settings.pending_timeout_seconds)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            stale = await repo.stale_pending(cutoff)
            to_release = await repo.release_pending()
        deleted: list[str] = []
        if stale:
            await self.airport.release_planes(stale)
            async with self.db.uow() as uow:
                deleted = await FlightRepository(uow.conn).delete_pending(stale)
                await uow.commit()
            log.info("removed %d flights left pending by an interrupted creation", len(deleted))
        if to_release:
            await self.airport.release_planes(to_release)
            async with self.db.uow() as uow:
                await FlightRepository(uow.conn).set_release_pending(to_release, False)
                await uow.commit()
        return deleted, to_release
