"""Airport use cases; each runs in one unit of work and emits its events in it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from airline.airport import domain
from airline.airport.domain import Airport, Commitment, Gate, Plane, PlaneStatus, SeatLayout
from airline.airport.store import NO_OVERLAP, REGISTRATION_TAKEN, AirportRepository
from airline.contracts.events import airport as airport_events
from airline.platform.db import ServiceDatabase, UnitOfWork, violated_constraint
from airline.platform.errors import AlreadyExists, Conflict, NotFound, ValidationFailed


def _airport_payload(a: Airport) -> dict[str, Any]:
    return {"code": a.code, "name": a.name, "city": a.city, "country": a.country, "time_zone": a.time_zone}


def _commitment_payload(c: Commitment) -> dict[str, Any]:
    return {
        "reference": c.reference,
        "plane_id": c.plane_id,
        "origin": c.origin,
        "destination": c.destination,
        "starts_at": c.starts_at.isoformat(),
        "ends_at": c.ends_at.isoformat(),
    }


CommitmentInput = tuple[str, str, str, str, datetime, datetime]
"""reference, plane id, origin, destination, starts_at, ends_at"""
MAX_BATCH = 500  # a daily round trip for most of a year


class AirportService:
    def __init__(self, db: ServiceDatabase) -> None:
        self.db = db

    # ------------------------------------------------------------ airports

    async def create_airport(
        self,
        code: str,
        name: str,
        city: str,
        country: str,
        zone: str,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> Airport:
        airport = domain.new_airport(code, name, city, country, zone, latitude, longitude)
        async with self.db.uow() as uow:
            created = await AirportRepository(uow.conn).add_airport(airport)
            if created is None:
                raise AlreadyExists(f"airport {airport.code} already exists", field="code")
            await uow.emit_event(airport_events.AIRPORT_CREATED, created.code, _airport_payload(created))
            await uow.commit()
        return created

    async def update_airport(
        self,
        code: str,
        name: str,
        city: str,
        country: str,
        zone: str,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> Airport:
        code = domain.airport_code(code)
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            current = await repo.airport(code, lock=True)
            if current is None:
                raise NotFound(f"no airport {code}", field="code")
            changed = domain.change_airport(current, name, city, country, zone, latitude, longitude)
            if changed == current:
                return current
            saved = await repo.save_airport(changed)
            await uow.emit_event(airport_events.AIRPORT_UPDATED, saved.code, _airport_payload(saved))
            await uow.commit()
        return saved

    async def get_airport(self, code: str) -> Airport:
        code = domain.airport_code(code)
        async with self.db.reading() as conn:  # one read: no BEGIN/ROLLBACK round trips
            airport = await AirportRepository(conn).airport(code)
        if airport is None:
            raise NotFound(f"no airport {code}", field="code")
        return airport

    async def route_distance(self, origin: str, destination: str) -> tuple[str, str, float]:
        """(origin, destination, great-circle km): the one place a route's distance is computed."""
        a = await self.get_airport(domain.airport_code(origin, "origin"))
        b = await self.get_airport(domain.airport_code(destination, "destination"))
        km = domain.route_distance_km(a, b)
        if km is None:
            missing = ", ".join(x.code for x in (a, b) if x.latitude is None)
            raise Conflict(f"no coordinates for airport {missing}: set them first", code="coordinates_missing")
        return a.code, b.code, km

    async def list_airports(self, country: str) -> list[Airport]:
        wanted = domain.country_code(country) if country.strip() else None
        async with self.db.reading() as conn:
            return await AirportRepository(conn).list_airports(wanted)

    # ------------------------------------------------------------ gates

    async def create_gate(self, airport_code: str, code: str, status: str) -> Gate:
        gate = Gate(
            domain.airport_code(airport_code, "airport_code"), domain.gate_code(code), domain.gate_status(status)
        )
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            if not await repo.airport_exists(gate.airport_code):
                raise NotFound(f"no airport {gate.airport_code}", field="airport_code")
            created = await repo.add_gate(gate)
            if created is None:
                raise AlreadyExists(f"gate {gate.code} already exists at {gate.airport_code}", field="code")
            await uow.emit_event(
                airport_events.GATE_CREATED,
                created.airport_code,
                {"airport_code": created.airport_code, "gate": created.code, "status": created.status.value},
            )
            await uow.commit()
        return created

    async def update_gate(self, airport_code: str, code: str, status: str) -> Gate:
        airport_code = domain.airport_code(airport_code, "airport_code")
        code = domain.gate_code(code)
        new_status = domain.gate_status(status, default=None)
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            current = await repo.gate(airport_code, code, lock=True)
            if current is None:
                if not await repo.airport_exists(airport_code):
                    raise NotFound(f"no airport {airport_code}", field="airport_code")
                raise NotFound(f"no gate {code} at {airport_code}", field="code")
            if current.status is new_status:
                return current
            saved = await repo.save_gate(Gate(airport_code, code, new_status))
            await uow.emit_event(
                airport_events.GATE_CHANGED,
                saved.airport_code,
                {
                    "airport_code": saved.airport_code,
                    "gate": saved.code,
                    "status": saved.status.value,
                    "previous_status": current.status.value,
                },
            )
            await uow.commit()
        return saved

    async def list_gates(self, airport_code: str) -> list[Gate]:
        airport_code = domain.airport_code(airport_code, "airport_code")
        async with self.db.reading() as conn:  # reads that need not share a snapshot
            repo = AirportRepository(conn)
            if await repo.airport(airport_code) is None:
                raise NotFound(f"no airport {airport_code}", field="airport_code")
            return await repo.list_gates(airport_code)

    # ------------------------------------------------------------ planes

    async def create_plane(
        self, pid: str, registration: str, aircraft_type: str, status: str, home_airport: str, layout: SeatLayout
    ) -> Plane:
        plane = domain.new_plane(pid, registration, aircraft_type, status, home_airport, layout)
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            await self._require_airport(repo, plane.home_airport, "home_airport")
            created = await repo.add_plane(plane)
            if created is None:
                if await repo.plane_id_taken(plane.id):
                    raise AlreadyExists(f"plane {plane.id} already exists", field="id")
                raise AlreadyExists(f"registration {plane.registration} belongs to another plane", field="registration")
            await uow.emit_event(airport_events.PLANE_REGISTERED, created.id, domain.plane_payload(created))
            await uow.commit()
        return created

    async def update_plane(
        self, pid: str, registration: str, aircraft_type: str, status: str, home_airport: str, layout: SeatLayout | None
    ) -> Plane:
        pid = domain.plane_id(pid)
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            current = await repo.plane(pid, lock=True)
            if current is None:
                raise NotFound(f"no plane {pid}", field="id")
            changed = domain.change_plane(current, registration, aircraft_type, status, home_airport, layout)
            if changed == current:
                return current
            if changed.home_airport != current.home_airport:
                await self._require_airport(repo, changed.home_airport, "home_airport")
            try:
                saved = await repo.save_plane(changed)
            except IntegrityError as e:
                if violated_constraint(e) == REGISTRATION_TAKEN:
                    raise AlreadyExists(
                        f"registration {changed.registration} belongs to another plane", field="registration"
                    ) from None
                raise
            if saved.status is not current.status:
                await uow.emit_event(
                    airport_events.PLANE_STATUS_CHANGED,
                    saved.id,
                    {"plane_id": saved.id, "status": saved.status.value, "previous_status": current.status.value},
                )
            if _without_status(saved) != _without_status(current):
                await uow.emit_event(airport_events.PLANE_UPDATED, saved.id, domain.plane_payload(saved))
            await uow.commit()
        return saved

    async def get_plane(self, pid: str) -> Plane:
        pid = domain.plane_id(pid)
        async with self.db.reading() as conn:
            plane = await AirportRepository(conn).plane(pid)
        if plane is None:
            raise NotFound(f"no plane {pid}", field="id")
        return plane

    async def list_planes(self, status: str, home_airport: str) -> list[Plane]:
        wanted_status = domain.plane_status(status, default=None) if status.strip() else None
        home = domain.airport_code(home_airport, "home_airport") if home_airport.strip() else None
        async with self.db.reading() as conn:
            repo = AirportRepository(conn)
            if home is not None and await repo.airport(home) is None:
                raise NotFound(f"no airport {home}", field="home_airport")
            return await repo.list_planes(wanted_status, home)

    # ------------------------------------------------------------ availability and commitments

    async def available_planes(self, airport_code: str, start: datetime, end: datetime) -> list[Plane]:
        airport_code = domain.airport_code(airport_code, "airport_code")
        start, end = domain.window(start, end)
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            if await repo.airport(airport_code) is None:
                raise NotFound(f"no airport {airport_code}", field="airport_code")
            schedules = await repo.schedules(start, end)
        return [s.plane for s in schedules if domain.is_available(s, airport_code, start, end)]

    async def commit_plane(
        self, ref: str, pid: str, origin: str, destination: str, starts_at: datetime, ends_at: datetime
    ) -> Commitment:
        """Commit a plane to a flight (see commit_planes)."""
        return (await self.commit_planes([(ref, pid, origin, destination, starts_at, ends_at)]))[0]

    async def commit_planes(self, items: Sequence[CommitmentInput]) -> list[Commitment]:
        """Commit planes to flights, all or none. Again with the same reference is a retry (same
        data) or a move of that commitment (new times, another plane or destination, e.g. after
        a delay or a diversion), never a second one. Each leg must keep its plane's journey
        whole (domain.journey_conflicts); every problem found is named in one Conflict."""
        if not items:
            raise ValidationFailed("give at least one commitment", field="commitments")
        if len(items) > MAX_BATCH:
            raise ValidationFailed(f"at most {MAX_BATCH} commitments at once", field="commitments")
        wanted = [domain.new_commitment(*item) for item in items]
        refs = [w.reference for w in wanted]
        if len(set(refs)) != len(refs):
            raise ValidationFailed("each commitment needs its own reference", field="reference")
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            # Each plane locked (in a fixed order, so two plans cannot deadlock): one plan per
            # plane at a time, so what the journey check saw still holds at commit.
            planes: dict[str, Plane] = {}
            for pid in sorted({w.plane_id for w in wanted}):
                plane = await repo.plane(pid, lock=True)
                if plane is None:
                    raise NotFound(f"no plane {pid}", field="plane_id")
                planes[pid] = plane
            for code in sorted({code for w in wanted for code in (w.origin, w.destination)}):
                await self._require_airport(repo, code, "airport")
            existing = {ref: await repo.commitment(ref, lock=True) for ref in sorted(refs)}
            if all(existing[w.reference] == w for w in wanted):
                return [existing[w.reference] for w in wanted]  # a retry: nothing to do
            problems: list[str] = []
            for pid, plane in planes.items():
                legs = [w for w in wanted if w.plane_id == pid]
                around = await repo.journey(
                    pid, min(w.starts_at for w in legs), max(w.ends_at for w in legs), exclude=refs
                )
                problems += domain.journey_conflicts(plane, around, legs)
            if problems:
                raise Conflict("; ".join(problems), field="commitments")
            saved: list[Commitment] = []
            try:
                for w in wanted:
                    saved.append(await self._save_commitment(uow, repo, existing[w.reference], w))
            except IntegrityError as e:
                if violated_constraint(e) == NO_OVERLAP:  # only a concurrent plan on an unlocked old plane
                    raise Conflict("a plane's commitments changed concurrently; retry", field="commitments") from None
                raise
            await uow.commit()
        return saved

    @staticmethod
    async def _save_commitment(
        uow: UnitOfWork, repo: AirportRepository, before: Commitment | None, wanted: Commitment
    ) -> Commitment:
        if before == wanted:
            return before
        if before is None:
            saved = await repo.add_commitment(wanted)
            if saved is None:
                raise Conflict(f"commitment {wanted.reference} is being created concurrently; retry", field="reference")
            await uow.emit_event(airport_events.PLANE_COMMITTED, saved.plane_id, _commitment_payload(saved))
            return saved
        saved = await repo.save_commitment(wanted)
        await uow.emit_event(
            airport_events.PLANE_COMMITMENT_CHANGED,
            saved.plane_id,
            {**_commitment_payload(saved), "previous": _commitment_payload(before)},
        )
        return saved

    async def release_plane(self, ref: str) -> bool:
        return bool(await self.release_planes([ref]))

    async def release_planes(self, refs: Sequence[str]) -> list[str]:
        """Release commitments, all in one transaction; returns the references that existed
        (releasing one that does not is not an error: a retried release finds nothing)."""
        if len(refs) > MAX_BATCH:
            raise ValidationFailed(f"at most {MAX_BATCH} references at once", field="references")
        wanted = sorted({domain.reference(ref) for ref in refs})
        released: list[str] = []
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            for ref in wanted:
                removed = await repo.remove_commitment(ref)
                if removed is not None:
                    await uow.emit_event(airport_events.PLANE_RELEASED, removed.plane_id, _commitment_payload(removed))
                    released.append(ref)
            await uow.commit()
        return released

    # ------------------------------------------------------------ helpers

    @staticmethod
    async def _require_airport(repo: AirportRepository, code: str, field_name: str) -> None:
        if not await repo.airport_exists(code):
            raise ValidationFailed(f"{field_name} {code} is not a known airport", field=field_name)


def _without_status(plane: Plane) -> Plane:
    # a status change has its own event; PlaneUpdated is for everything else
    return replace(plane, status=PlaneStatus.ACTIVE)
