"""Airport use cases; each runs in one unit of work and emits its events in it."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from airline.airport import domain
from airline.airport.domain import Airport, Commitment, Gate, Plane, PlaneStatus, SeatLayout
from airline.airport.store import NO_OVERLAP, REGISTRATION_TAKEN, AirportRepository, violated_constraint
from airline.platform.db import ServiceDatabase
from airline.platform.errors import AlreadyExists, Conflict, NotFound, ValidationFailed
from airline.platform.events import topic_name

AIRPORT_CREATED = topic_name("airport", "airport_created")
AIRPORT_UPDATED = topic_name("airport", "airport_updated")
GATE_CREATED = topic_name("airport", "gate_created")
GATE_CHANGED = topic_name("airport", "gate_changed")
PLANE_REGISTERED = topic_name("airport", "plane_registered")
PLANE_UPDATED = topic_name("airport", "plane_updated")
PLANE_STATUS_CHANGED = topic_name("airport", "plane_status_changed")
PLANE_COMMITTED = topic_name("airport", "plane_committed")
PLANE_COMMITMENT_CHANGED = topic_name("airport", "plane_commitment_changed")
PLANE_RELEASED = topic_name("airport", "plane_released")

TOPICS = (
    AIRPORT_CREATED,
    AIRPORT_UPDATED,
    GATE_CREATED,
    GATE_CHANGED,
    PLANE_REGISTERED,
    PLANE_UPDATED,
    PLANE_STATUS_CHANGED,
    PLANE_COMMITTED,
    PLANE_COMMITMENT_CHANGED,
    PLANE_RELEASED,
)


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


class AirportService:
    def __init__(self, db: ServiceDatabase) -> None:
        self.db = db

    # ------------------------------------------------------------ airports

    async def create_airport(self, code: str, name: str, city: str, country: str, zone: str) -> Airport:
        airport = domain.new_airport(code, name, city, country, zone)
        async with self.db.uow() as uow:
            created = await AirportRepository(uow.conn).add_airport(airport)
            if created is None:
                raise AlreadyExists(f"airport {airport.code} already exists", field="code")
            await uow.emit(AIRPORT_CREATED, created.code, "AirportCreated", _airport_payload(created))
            await uow.commit()
        return created

    async def update_airport(self, code: str, name: str, city: str, country: str, zone: str) -> Airport:
        code = domain.airport_code(code)
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            current = await repo.airport(code, lock=True)
            if current is None:
                raise NotFound(f"no airport {code}", field="code")
            changed = domain.change_airport(current, name, city, country, zone)
            if changed == current:
                return current
            saved = await repo.save_airport(changed)
            await uow.emit(AIRPORT_UPDATED, saved.code, "AirportUpdated", _airport_payload(saved))
            await uow.commit()
        return saved

    async def get_airport(self, code: str) -> Airport:
        code = domain.airport_code(code)
        async with self.db.uow() as uow:
            airport = await AirportRepository(uow.conn).airport(code)
        if airport is None:
            raise NotFound(f"no airport {code}", field="code")
        return airport

    async def list_airports(self, country: str) -> list[Airport]:
        wanted = domain.country_code(country) if country.strip() else None
        async with self.db.uow() as uow:
            return await AirportRepository(uow.conn).list_airports(wanted)

    # ------------------------------------------------------------ gates

    async def create_gate(self, airport_code: str, code: str, status: str) -> Gate:
        gate = Gate(domain.airport_code(airport_code, "airport_code"), domain.gate_code(code), domain.gate_status(status))
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            if not await repo.airport_exists(gate.airport_code):
                raise NotFound(f"no airport {gate.airport_code}", field="airport_code")
            created = await repo.add_gate(gate)
            if created is None:
                raise AlreadyExists(f"gate {gate.code} already exists at {gate.airport_code}", field="code")
            await uow.emit(
                GATE_CREATED,
                created.airport_code,
                "GateCreated",
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
            await uow.emit(
                GATE_CHANGED,
                saved.airport_code,
                "GateChanged",
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
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
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
            await uow.emit(PLANE_REGISTERED, created.id, "PlaneRegistered", domain.plane_payload(created))
            await uow.commit()
        return created

    async def update_plane(
        self,
        pid: str,
        registration: str,
        aircraft_type: str,
        status: str,
        home_airport: str,
        layout: SeatLayout | None,
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
                await uow.emit(
                    PLANE_STATUS_CHANGED,
                    saved.id,
                    "PlaneStatusChanged",
                    {"plane_id": saved.id, "status": saved.status.value, "previous_status": current.status.value},
                )
            if _without_status(saved) != _without_status(current):
                await uow.emit(PLANE_UPDATED, saved.id, "PlaneUpdated", domain.plane_payload(saved))
            await uow.commit()
        return saved

    async def get_plane(self, pid: str) -> Plane:
        pid = domain.plane_id(pid)
        async with self.db.uow() as uow:
            plane = await AirportRepository(uow.conn).plane(pid)
        if plane is None:
            raise NotFound(f"no plane {pid}", field="id")
        return plane

    async def list_planes(self, status: str, home_airport: str) -> list[Plane]:
        wanted_status = domain.plane_status(status, default=None) if status.strip() else None
        home = domain.airport_code(home_airport, "home_airport") if home_airport.strip() else None
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
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
        """Commit a plane to a flight; again with the same reference is a retry (same data) or a
        move of that commitment (new times or another plane, e.g. after a delay), never a second one."""
        wanted = domain.new_commitment(ref, pid, origin, destination, starts_at, ends_at)
        async with self.db.uow() as uow:
            repo = AirportRepository(uow.conn)
            # FOR SHARE: a concurrent status change waits for us, so "active" holds until commit
            plane = await repo.plane(wanted.plane_id, share=True)
            if plane is None:
                raise NotFound(f"no plane {wanted.plane_id}", field="plane_id")
            for code, field_name in ((wanted.origin, "origin"), (wanted.destination, "destination")):
                await self._require_airport(repo, code, field_name)
            for _ in range(2):  # a second round only after losing an insert race on the reference
                existing = await repo.commitment(wanted.reference, lock=True)
                if existing == wanted:
                    return existing
                if plane.status is not PlaneStatus.ACTIVE:
                    raise Conflict(
                        f"plane {plane.id} is {plane.status.value}, not active: it cannot be committed",
                        field="plane_id",
                    )
                try:
                    if existing is None:
                        saved = await repo.add_commitment(wanted)
                        if saved is None:
                            continue
                        await uow.emit(PLANE_COMMITTED, saved.plane_id, "PlaneCommitted", _commitment_payload(saved))
                    else:
                        saved = await repo.save_commitment(wanted)
                        await uow.emit(
                            PLANE_COMMITMENT_CHANGED,
                            saved.plane_id,
                            "PlaneCommitmentChanged",
                            {**_commitment_payload(saved), "previous": _commitment_payload(existing)},
                        )
                except IntegrityError as e:
                    if violated_constraint(e) == NO_OVERLAP:
                        raise Conflict(
                            f"plane {wanted.plane_id} is already committed during "
                            f"{wanted.starts_at.isoformat()} - {wanted.ends_at.isoformat()}",
                            field="plane_id",
                        ) from None
                    raise
                await uow.commit()
                return saved
        raise Conflict(f"commitment {wanted.reference} is being changed concurrently; retry", field="reference")

    async def release_plane(self, ref: str) -> bool:
        ref = domain.reference(ref)
        async with self.db.uow() as uow:
            removed = await AirportRepository(uow.conn).remove_commitment(ref)
            if removed is None:
                return False
            await uow.emit(PLANE_RELEASED, removed.plane_id, "PlaneReleased", _commitment_payload(removed))
            await uow.commit()
        return True

    # ------------------------------------------------------------ helpers

    @staticmethod
    async def _require_airport(repo: AirportRepository, code: str, field_name: str) -> None:
        if not await repo.airport_exists(code):
            raise ValidationFailed(f"{field_name} {code} is not a known airport", field=field_name)


def _without_status(plane: Plane) -> Plane:
    # a status change has its own event; PlaneUpdated is for everything else
    return replace(plane, status=PlaneStatus.ACTIVE)

