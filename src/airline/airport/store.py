"""Tables of the airport schema and the repository over them.

Uniqueness (airport code, gate per airport, plane id, registration) and "a plane is never
committed twice at once" are decided by PostgreSQL constraints, so they hold under any
concurrency; the repository turns their violations into domain errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint, distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.airport.domain import Airport, Commitment, Gate, GateStatus, Plane, PlaneSchedule, PlaneStatus, SeatLayout
from airline.platform.db import service_metadata

SCHEMA = "airport"
metadata = service_metadata(SCHEMA)

_now = sa.func.now()
NO_OVERLAP = "plane_commitments_no_overlap"
REGISTRATION_TAKEN = "planes_registration_key"

# both or neither, and on the globe
COORDINATES_CHECK = (
    "(latitude is null and longitude is null) or (latitude between -90 and 90 and longitude between -180 and 180)"
)

airports = sa.Table(
    "airports",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("city", sa.Text, nullable=False),
    sa.Column("country", sa.Text, nullable=False),
    sa.Column("time_zone", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.CheckConstraint("code ~ '^[A-Z]{3}$'", name="airports_code_iata"),
    sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name="airports_country_alpha2"),
    sa.CheckConstraint(COORDINATES_CHECK, name="airports_coordinates"),
)

gates = sa.Table(
    "gates",
    metadata,
    sa.Column("airport_code", sa.Text, sa.ForeignKey("airports.code"), primary_key=True),
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("status in ('open','closed','maintenance')", name="gates_status_known"),
)

planes = sa.Table(
    "planes",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("registration", sa.Text, nullable=False),
    sa.Column("aircraft_type", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("home_airport", sa.Text, sa.ForeignKey("airports.code"), nullable=False),
    # A value object of the plane, always read and written whole.
    sa.Column("layout", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("status in ('active','maintenance','retired')", name="planes_status_known"),
    sa.UniqueConstraint("registration", name=REGISTRATION_TAKEN),
)

commitments = sa.Table(
    "plane_commitments",
    metadata,
    sa.Column("reference", sa.Text, primary_key=True),
    sa.Column("plane_id", sa.Text, sa.ForeignKey("planes.id"), nullable=False),
    sa.Column("origin", sa.Text, sa.ForeignKey("airports.code"), nullable=False),
    sa.Column("destination", sa.Text, sa.ForeignKey("airports.code"), nullable=False),
    sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("starts_at < ends_at", name="plane_commitments_window"),
    # needs the btree_gist extension (created by the migration) for the text equality part
    ExcludeConstraint(
        ("plane_id", "="),
        (sa.func.tstzrange(sa.column("starts_at"), sa.column("ends_at")), "&&"),
        using="gist",
        name=NO_OVERLAP,
    ),
    sa.Index("plane_commitments_plane_ends", "plane_id", "ends_at"),
)


def _airport(row: sa.Row[Any]) -> Airport:
    return Airport(
        row.code, row.name, row.city, row.country, row.time_zone, row.created_at, row.latitude, row.longitude
    )


def _gate(row: sa.Row[Any]) -> Gate:
    return Gate(row.airport_code, row.code, GateStatus(row.status))


def _plane(row: sa.Row[Any]) -> Plane:
    return Plane(
        id=row.id,
        registration=row.registration,
        aircraft_type=row.aircraft_type,
        status=PlaneStatus(row.status),
        home_airport=row.home_airport,
        layout=SeatLayout.from_dict(row.layout),
        created_at=row.created_at,
    )


def _commitment(row: Any) -> Commitment:
    return Commitment(row.reference, row.plane_id, row.origin, row.destination, row.starts_at, row.ends_at)


class AirportRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- airports

    async def add_airport(self, a: Airport) -> Airport | None:
        """Insert; None when the code is taken."""
        stmt = (
            insert(airports)
            .values(
                code=a.code,
                name=a.name,
                city=a.city,
                country=a.country,
                time_zone=a.time_zone,
                latitude=a.latitude,
                longitude=a.longitude,
            )
            .on_conflict_do_nothing(index_elements=[airports.c.code])
            .returning(*airports.c)
        )
        row = (await self.conn.execute(stmt)).first()
        return _airport(row) if row else None

    async def airport(self, code: str, *, lock: bool = False) -> Airport | None:
        q = sa.select(airports).where(airports.c.code == code)
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return _airport(row) if row else None

    async def airport_exists(self, code: str) -> bool:
        # FOR SHARE: the airport cannot vanish before the referencing row commits
        q = sa.select(airports.c.code).where(airports.c.code == code).with_for_update(read=True)
        return (await self.conn.execute(q)).first() is not None

    async def save_airport(self, a: Airport) -> Airport:
        stmt = (
            airports.update()
            .where(airports.c.code == a.code)
            .values(
                name=a.name,
                city=a.city,
                country=a.country,
                time_zone=a.time_zone,
                latitude=a.latitude,
                longitude=a.longitude,
                updated_at=_now,
            )
            .returning(*airports.c)
        )
        return _airport((await self.conn.execute(stmt)).one())

    async def list_airports(self, country: str | None) -> list[Airport]:
        q = sa.select(airports).order_by(airports.c.code)
        if country:
            q = q.where(airports.c.country == country)
        return [_airport(r) for r in (await self.conn.execute(q)).all()]

    # -- gates

    async def add_gate(self, g: Gate) -> Gate | None:
        stmt = (
            insert(gates)
            .values(airport_code=g.airport_code, code=g.code, status=g.status.value)
            .on_conflict_do_nothing(index_elements=[gates.c.airport_code, gates.c.code])
            .returning(*gates.c)
        )
        row = (await self.conn.execute(stmt)).first()
        return _gate(row) if row else None

    async def gate(self, airport_code: str, code: str, *, lock: bool = False) -> Gate | None:
        q = sa.select(gates).where(gates.c.airport_code == airport_code, gates.c.code == code)
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return _gate(row) if row else None

    async def save_gate(self, g: Gate) -> Gate:
        stmt = (
            gates.update()
            .where(gates.c.airport_code == g.airport_code, gates.c.code == g.code)
            .values(status=g.status.value, updated_at=_now)
            .returning(*gates.c)
        )
        return _gate((await self.conn.execute(stmt)).one())

    async def list_gates(self, airport_code: str) -> list[Gate]:
        q = (
            sa.select(gates)
            .where(gates.c.airport_code == airport_code)
            .order_by(sa.func.length(gates.c.code), gates.c.code)
        )
        return [_gate(r) for r in (await self.conn.execute(q)).all()]

    # -- planes

    async def add_plane(self, p: Plane) -> Plane | None:
        """Insert; None when the id or the registration is taken."""
        stmt = (
            insert(planes)
            .values(
                id=p.id,
                registration=p.registration,
                aircraft_type=p.aircraft_type,
                status=p.status.value,
                home_airport=p.home_airport,
                layout=p.layout.to_dict(),
            )
            .on_conflict_do_nothing()
            .returning(*planes.c)
        )
        row = (await self.conn.execute(stmt)).first()
        return _plane(row) if row else None

    async def plane(self, pid: str, *, lock: bool = False, share: bool = False) -> Plane | None:
        q = sa.select(planes).where(planes.c.id == pid)
        if lock or share:
            q = q.with_for_update(read=share and not lock)
        row = (await self.conn.execute(q)).first()
        return _plane(row) if row else None

    async def plane_id_taken(self, pid: str) -> bool:
        return (await self.conn.execute(sa.select(planes.c.id).where(planes.c.id == pid))).first() is not None

    async def save_plane(self, p: Plane) -> Plane:
        stmt = (
            planes.update()
            .where(planes.c.id == p.id)
            .values(
                registration=p.registration,
                aircraft_type=p.aircraft_type,
                status=p.status.value,
                home_airport=p.home_airport,
                layout=p.layout.to_dict(),
                updated_at=_now,
            )
            .returning(*planes.c)
        )
        return _plane((await self.conn.execute(stmt)).one())

    async def list_planes(self, status: PlaneStatus | None, home_airport: str | None) -> list[Plane]:
        q = sa.select(planes).order_by(sa.func.length(planes.c.id), planes.c.id)
        if status is not None:
            q = q.where(planes.c.status == status.value)
        if home_airport:
            q = q.where(planes.c.home_airport == home_airport)
        return [_plane(r) for r in (await self.conn.execute(q)).all()]

    # -- commitments

    async def commitment(self, ref: str, *, lock: bool = False) -> Commitment | None:
        q = sa.select(commitments).where(commitments.c.reference == ref)
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return _commitment(row) if row else None

    async def add_commitment(self, c: Commitment) -> Commitment | None:
        """Insert; None when the reference exists. Raises IntegrityError on an overlap."""
        stmt = (
            insert(commitments)
            .values(
                reference=c.reference,
                plane_id=c.plane_id,
                origin=c.origin,
                destination=c.destination,
                starts_at=c.starts_at,
                ends_at=c.ends_at,
            )
            .on_conflict_do_nothing(index_elements=[commitments.c.reference])
            .returning(*commitments.c)
        )
        row = (await self.conn.execute(stmt)).first()
        return _commitment(row) if row else None

    async def save_commitment(self, c: Commitment) -> Commitment:
        stmt = (
            commitments.update()
            .where(commitments.c.reference == c.reference)
            .values(
                plane_id=c.plane_id,
                origin=c.origin,
                destination=c.destination,
                starts_at=c.starts_at,
                ends_at=c.ends_at,
            )
            .returning(*commitments.c)
        )
        return _commitment((await self.conn.execute(stmt)).one())

    async def remove_commitment(self, ref: str) -> Commitment | None:
        stmt = commitments.delete().where(commitments.c.reference == ref).returning(*commitments.c)
        row = (await self.conn.execute(stmt)).first()
        return _commitment(row) if row else None

    async def journey(self, pid: str, start: datetime, end: datetime, exclude: Iterable[str]) -> list[Commitment]:
        """The plane's commitments touching [start, end), plus its last one before and its
        first one after: what judging new legs in that window needs (see journey_conflicts)."""
        c = commitments.c
        mine = sa.and_(c.plane_id == pid, c.reference.not_in(list(exclude)))
        inside = sa.select(commitments).where(mine, c.starts_at < end, c.ends_at > start)
        before = sa.select(commitments).where(mine, c.ends_at <= start).order_by(c.ends_at.desc()).limit(1)
        after = sa.select(commitments).where(mine, c.starts_at >= end).order_by(c.starts_at).limit(1)
        rows = []
        for q in (before, inside, after):
            rows += (await self.conn.execute(q)).all()
        return [_commitment(r) for r in rows]

    async def schedules(self, start: datetime, end: datetime) -> list[PlaneSchedule]:
        """Every active plane with its latest commitment ending by `start` and those overlapping [start, end)."""
        active = await self.list_planes(PlaneStatus.ACTIVE, None)
        if not active:
            return []
        ids = [p.id for p in active]
        last = (
            sa.select(commitments)
            .where(commitments.c.plane_id.in_(ids), commitments.c.ends_at <= start)
            .order_by(commitments.c.plane_id, commitments.c.ends_at.desc())
            .ext(distinct_on(commitments.c.plane_id))
        )
        overlapping = sa.select(commitments).where(
            commitments.c.plane_id.in_(ids), commitments.c.starts_at < end, commitments.c.ends_at > start
        )
        last_by_plane = {r.plane_id: _commitment(r) for r in (await self.conn.execute(last)).all()}
        overlap_by_plane: dict[str, list[Commitment]] = {}
        for r in (await self.conn.execute(overlapping)).all():
            overlap_by_plane.setdefault(r.plane_id, []).append(_commitment(r))
        return [PlaneSchedule(p, last_by_plane.get(p.id), tuple(overlap_by_plane.get(p.id, ()))) for p in active]
