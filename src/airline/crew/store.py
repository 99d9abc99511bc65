"""Tables of the crew schema and the repository over them.

"A member never flies two sectors at once" is decided by PostgreSQL (an exclusion constraint
over each sector's flight time, for the assignments that hold the member; the sectors of one
duty period share its report..release, so their own windows may overlap), so it holds under any
concurrency; proposals also lock the candidates' member rows in id order, so two proposals
never judge legality on the same member from stale duties.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, ExcludeConstraint, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.crew.domain import HOLDING_STATES, Absence, AbsenceKind, CrewRole, Duty, FlightInfo, Member, MemberSchedule
from airline.platform import flight_status
from airline.platform.db import flight_route_columns, service_metadata

SCHEMA = "crew"
metadata = service_metadata(SCHEMA)

_now = sa.func.now()
NO_DOUBLE_DUTY = "assignments_no_double_duty"
HOLDING = tuple(s.value for s in HOLDING_STATES)

members = sa.Table(
    "members",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Text, nullable=True, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("qualifications", ARRAY(sa.Text), nullable=False),
    sa.Column("home_base", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False, server_default=""),
    sa.Column("phone", sa.Text, nullable=False, server_default=""),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("role in ('captain','first_officer','purser','flight_attendant')", name="members_role_known"),
)

absences = sa.Table(
    "absences",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("member_id", sa.Text, sa.ForeignKey("members.id"), nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.CheckConstraint("kind in ('leave','sickness','training')", name="absences_kind_known"),
    sa.CheckConstraint("starts_at < ends_at", name="absences_window"),
)

# Crew's own copy of the flights it rosters, kept from the flights events: its columns are a
# subset of the flights service's table by nature (one fact each, in two services' stores).
flights = sa.Table(  # pylint: disable=duplicate-code
    "flights",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    *flight_route_columns(),
    sa.Column("departure", sa.DateTime(timezone=True), nullable=False),
    sa.Column("arrival", sa.DateTime(timezone=True), nullable=False),
    sa.Column("aircraft_type", sa.Text, nullable=False),
    sa.Column("seats", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id"), nullable=False, index=True),
    sa.Column("member_id", sa.Text, sa.ForeignKey("members.id"), nullable=False, index=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("destination", sa.Text, nullable=False),
    sa.Column("report_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("departure", sa.DateTime(timezone=True), nullable=False),
    sa.Column("arrival", sa.DateTime(timezone=True), nullable=False),
    sa.Column("release_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("override_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("violations", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("answer_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("needs_attention", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(
        "state in ('proposed','accepted','declined','removed','cancelled')", name="assignments_state_known"
    ),
    sa.CheckConstraint("report_at < release_at", name="assignments_window"),
    # needs the btree_gist extension (created by the migration) for the text equality part
    ExcludeConstraint(
        ("member_id", "="),
        (sa.func.tstzrange(sa.column("departure"), sa.column("arrival")), "&&"),
        using="gist",
        name=NO_DOUBLE_DUTY,
        where=sa.text("state in ('proposed','accepted')"),
    ),
)

notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("member_id", sa.Text, sa.ForeignKey("members.id"), nullable=False, index=True),
    sa.Column("assignment_id", sa.Text, nullable=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)


def member_of(row: Any) -> Member:
    return Member(row.id, row.name, CrewRole(row.role), frozenset(row.qualifications), row.home_base, row.active)


def duty_of(row: Any) -> Duty:
    return Duty(row.flight_id, row.origin, row.destination, row.report_at, row.departure, row.arrival, row.release_at)


def flight_of(row: Any) -> FlightInfo:
    return FlightInfo(
        row.id,
        row.number,
        row.origin,
        row.destination,
        row.departure,
        row.arrival,
        row.aircraft_type,
        row.seats,
        row.status,
    )


class CrewRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- members

    async def add_member(self, values: dict[str, Any]) -> None:
        await self.conn.execute(members.insert().values(**values))

    async def member_row(self, member_id: str, *, lock: bool = False) -> Any:
        q = sa.select(members).where(members.c.id == member_id)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).first()

    async def member_by_user(self, user_id: str) -> Any:
        return (await self.conn.execute(sa.select(members).where(members.c.user_id == user_id))).first()

    async def member_rows(self, role: str = "", home_base: str = "") -> Sequence[Any]:
        q = sa.select(members).order_by(members.c.role, members.c.name, members.c.id)
        if role:
            q = q.where(members.c.role == role)
        if home_base:
            q = q.where(members.c.home_base == home_base)
        return (await self.conn.execute(q)).all()

    async def lock_candidates(self, aircraft_type: str, roles: Iterable[str]) -> list[Any]:
        """The members who could fly this type in these roles, locked in id order (so two
        proposals running at once wait for each other instead of deadlocking)."""
        q = (
            sa.select(members)
            .where(
                members.c.active,
                sa.literal(aircraft_type) == sa.any_(members.c.qualifications),
                members.c.role.in_(list(roles)),
            )
            .order_by(members.c.id)
            .with_for_update()
        )
        return list((await self.conn.execute(q)).all())

    async def pool(self, aircraft_types: Iterable[str], roles: Iterable[str], *, lock: bool = True) -> list[Any]:
        """The active members of these roles qualified on any of these types, in id order
        (locked, unless `lock` is false)."""
        q = (
            sa.select(members)
            .where(
                members.c.active,
                members.c.qualifications.overlap(sa.cast(sorted(set(aircraft_types)), ARRAY(sa.Text))),
                members.c.role.in_(list(roles)),
            )
            .order_by(members.c.id)
        )
        return list((await self.conn.execute(q.with_for_update() if lock else q)).all())

    async def absences_of(self, member_ids: Sequence[str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {m: [] for m in member_ids}
        if not member_ids:
            return out
        rows = await self.conn.execute(
            sa.select(absences).where(absences.c.member_id.in_(member_ids)).order_by(absences.c.starts_at)
        )
        for r in rows:
            out[r.member_id].append(r)
        return out

    async def replace_absences(
        self, member_id: str, windows: Sequence[tuple[AbsenceKind, datetime, datetime, str]]
    ) -> None:
        await self.conn.execute(absences.delete().where(absences.c.member_id == member_id))
        for kind, start, end, note in windows:
            await self.conn.execute(
                absences.insert().values(member_id=member_id, kind=kind.value, starts_at=start, ends_at=end, note=note)
            )

    async def schedules(self, rows: Sequence[Any]) -> list[MemberSchedule]:
        ids = [r.id for r in rows]
        held = await self.holding_duties(ids)
        absent = await self.absences_of(ids)
        return [
            MemberSchedule(
                member_of(r),
                tuple(duty_of(a) for a in held[r.id]),
                tuple(Absence(AbsenceKind(a.kind), a.starts_at, a.ends_at) for a in absent[r.id]),
            )
            for r in rows
        ]

    # -- flights

    async def upsert_flight(self, f: FlightInfo) -> None:
        values = dict(
            id=f.id,
            number=f.number,
            origin=f.origin,
            destination=f.destination,
            departure=f.departure,
            arrival=f.arrival,
            aircraft_type=f.aircraft_type,
            seats=f.seats,
            status=f.status,
        )
        stmt = insert(flights).values(**values)
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[flights.c.id],
                set_={**{k: stmt.excluded[k] for k in values if k != "id"}, "updated_at": _now},
            )
        )

    async def flight_row(self, flight_id: str, *, lock: bool = False) -> Any:
        q = sa.select(flights).where(flights.c.id == flight_id)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).first()

    async def update_flight(self, flight_id: str, **values: Any) -> None:
        await self.conn.execute(flights.update().where(flights.c.id == flight_id).values(**values, updated_at=_now))

    async def flights_between(self, start: datetime, end: datetime, base: str = "") -> list[Any]:
        """The upcoming flights departing in [start, end) (from or to `base`, if given), in id
        order (the order to lock them)."""
        q = (
            sa.select(flights)
            .where(
                flights.c.departure >= start,
                flights.c.departure < end,
                flights.c.status.in_(sorted(flight_status.UPCOMING)),
            )
            .order_by(flights.c.id)
        )
        if base:
            q = q.where(sa.or_(flights.c.origin == base, flights.c.destination == base))
        return list(await self.conn.execute(q))

    async def lock_companions(self, f: FlightInfo, window: timedelta, *, lock: bool = True) -> list[str]:
        """The upcoming flights of f's aircraft type from or to its airports departing within
        `window` of it that hold no crew at all, locked (when `lock`) unless another transaction
        holds them (skipped then: this never waits for, nor deadlocks with, another proposal)."""
        any_holding = (
            sa.select(assignments.c.id)
            .where(assignments.c.flight_id == flights.c.id, assignments.c.state.in_(HOLDING))
            .exists()
        )
        airports = [f.origin, f.destination]
        q = (
            sa.select(flights.c.id)
            .where(
                flights.c.id != f.id,
                flights.c.aircraft_type == f.aircraft_type,
                flights.c.departure >= f.departure - window,
                flights.c.departure <= f.departure + window,
                flights.c.status.in_(sorted(flight_status.UPCOMING)),
                sa.or_(flights.c.origin.in_(airports), flights.c.destination.in_(airports)),
                ~any_holding,
            )
            .order_by(flights.c.id)
        )
        rows = await self.conn.execute(q.with_for_update(skip_locked=True) if lock else q)
        return [r.id for r in rows]

    async def lock_flights(self, flight_ids: Iterable[str]) -> list[Any]:
        return await self.flight_rows(flight_ids, lock=True)

    async def flight_rows(self, flight_ids: Iterable[str], *, lock: bool = False) -> list[Any]:
        """These flights' rows in id order (locked in that order when `lock`)."""
        q = sa.select(flights).where(flights.c.id.in_(sorted(set(flight_ids)))).order_by(flights.c.id)
        return list(await self.conn.execute(q.with_for_update() if lock else q))

    async def flights_with_holding(self, start: datetime, end: datetime) -> list[tuple[Any, int]]:
        """The upcoming flights departing in [start, end), each with how many members it holds."""
        held = (
            sa.select(sa.func.count())
            .where(assignments.c.flight_id == flights.c.id, assignments.c.state.in_(HOLDING))
            .scalar_subquery()
        )
        rows = await self.conn.execute(
            sa.select(flights, held.label("held"))
            .where(
                flights.c.departure >= start,
                flights.c.departure < end,
                flights.c.status.in_(sorted(flight_status.UPCOMING)),
            )
            .order_by(flights.c.departure, flights.c.id)
        )
        return [(r, r.held) for r in rows]

    async def solve_stamp(self, flight_ids: Sequence[str], since: datetime) -> str:
        """A digest of what a solve of these flights reads: their rows, and of every member who
        could fly their types (in any role) the member row, the absences and the duties released
        after `since`, with every duty on these flights (decliners included). Equal digests mean
        the solve would see the same; a change elsewhere in the crew does not count."""
        row = await self.conn.execute(
            sa.text(
                "with f as (select * from crew.flights where id = any(:ids)),"
                " m as (select * from crew.members where qualifications && (select array_agg(distinct aircraft_type) from f))"
                " select md5(coalesce((select string_agg(f::text, ',' order by f.id) from f), '')"
                " || coalesce((select string_agg(m::text, ',' order by m.id) from m), '')"
                " || coalesce((select string_agg(a::text, ',' order by a.id) from crew.absences a"
                " where a.member_id in (select id from m)), '')"
                " || coalesce((select string_agg(s::text, ',' order by s.id) from crew.assignments s"
                " where (s.member_id in (select id from m) and s.release_at > :since) or s.flight_id = any(:ids)), ''))"
            ),
            {"ids": sorted(set(flight_ids)), "since": since},
        )
        return str(row.scalar_one())

    async def crew_stamp(self, since: datetime) -> str:
        """A digest of everything a solve reads besides the flights themselves: every member,
        every absence and every assignment that still counts for legality (released after
        `since`). Equal digests mean a solve would see the same crew as before."""
        row = await self.conn.execute(
            sa.text(
                "select md5(coalesce((select string_agg(m::text, ',' order by m.id) from crew.members m), '')"
                " || coalesce((select string_agg(a::text, ',' order by a.id) from crew.absences a), '')"
                " || coalesce((select string_agg(s::text, ',' order by s.id) from crew.assignments s"
                " where s.release_at > :since), ''))"
            ),
            {"since": since},
        )
        return str(row.scalar_one())

    # -- assignments

    async def holding_duties(self, member_ids: Sequence[str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {m: [] for m in member_ids}
        if not member_ids:
            return out
        rows = await self.conn.execute(
            sa.select(assignments)
            .where(assignments.c.member_id.in_(member_ids), assignments.c.state.in_(HOLDING))
            .order_by(assignments.c.report_at)
        )
        for r in rows:
            out[r.member_id].append(r)
        return out

    async def add_assignment(self, values: dict[str, Any]) -> None:
        await self.conn.execute(assignments.insert().values(**values))

    async def assignment_row(self, assignment_id: str, *, lock: bool = False) -> Any:
        q = sa.select(assignments).where(assignments.c.id == assignment_id)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).first()

    async def update_assignment(self, assignment_id: str, **values: Any) -> None:
        await self.conn.execute(assignments.update().where(assignments.c.id == assignment_id).values(**values))

    async def flight_assignments(self, flight_id: str) -> list[Any]:
        rows = await self.conn.execute(
            sa.select(assignments, members.c.name.label("member_name"), flights.c.number.label("flight_number"))
            .join(members, members.c.id == assignments.c.member_id)
            .join(flights, flights.c.id == assignments.c.flight_id)
            .where(assignments.c.flight_id == flight_id)
            .order_by(assignments.c.created_at, assignments.c.id)
        )
        return list(rows)

    async def member_assignments(
        self, member_ids: Sequence[str], start: datetime | None = None, end: datetime | None = None
    ) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {m: [] for m in member_ids}
        if not member_ids:
            return out
        q = (
            sa.select(assignments, members.c.name.label("member_name"), flights.c.number.label("flight_number"))
            .join(members, members.c.id == assignments.c.member_id)
            .join(flights, flights.c.id == assignments.c.flight_id)
            .where(assignments.c.member_id.in_(member_ids))
            .order_by(assignments.c.report_at, assignments.c.id)
        )
        if start is not None:
            q = q.where(assignments.c.release_at > start)
        if end is not None:
            q = q.where(assignments.c.report_at < end)
        for r in await self.conn.execute(q):
            out[r.member_id].append(r)
        return out

    async def holders(self, flight_ids: Sequence[str]) -> dict[str, list[Any]]:
        """The assignments holding a member on each flight."""
        out: dict[str, list[Any]] = {f: [] for f in flight_ids}
        rows = await self.conn.execute(
            sa.select(assignments).where(
                assignments.c.flight_id.in_(list(flight_ids)), assignments.c.state.in_(HOLDING)
            )
        )
        for r in rows:
            out[r.flight_id].append(r)
        return out

    async def decliners(self, flight_id: str) -> set[str]:
        rows = await self.conn.execute(
            sa.select(assignments.c.member_id).where(
                assignments.c.flight_id == flight_id, assignments.c.state.in_(("declined", "removed"))
            )
        )
        return {r.member_id for r in rows}

    # -- notifications

    async def notify(self, member_id: str, assignment_id: str | None, kind: str, message: str) -> None:
        await self.conn.execute(
            notifications.insert().values(member_id=member_id, assignment_id=assignment_id, kind=kind, message=message)
        )

    async def notifications_of(self, member_id: str) -> list[Any]:
        rows = await self.conn.execute(
            sa.select(notifications)
            .where(notifications.c.member_id == member_id)
            .order_by(notifications.c.created_at.desc(), notifications.c.id.desc())
            .limit(200)
        )
        return list(rows)
