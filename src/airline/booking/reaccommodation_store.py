"""Tables of re-accommodation (reaccommodating.py) and the repository over them.

A run is one flight change that may move passengers: unique per (flight, change), so the same
change told twice records one run. A proposal is one booking's answer to one disrupted flight:
unique per (booking, flight), so running again never proposes twice; it is written as
`reserving` before its seats are asked for, so a run taken up after a crash finds it and its
seats (reservation's assignments under the booking's id) instead of reserving again.

Proposal states: reserving -> proposed -> accepted -> applied (the move), or proposed /
unplaced -> declining -> refunded (refund or voucher); reserving -> unplaced when no seats;
proposed / unplaced -> kept (a retimed flight's passenger keeps it).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking.domain import Booking, Leg
from airline.booking.fares import FareRules
from airline.booking.store import leg_row, legs, metadata

_now = sa.func.now()

STATES = ("reserving", "proposed", "accepted", "applied", "declining", "refunded", "unplaced", "kept")
OPEN = ("proposed", "unplaced")  # the passenger may still choose

runs = sa.Table(
    "booking_reaccommodation_runs",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, nullable=False),
    sa.Column("change", sa.Text, nullable=False),  # names the flight change (its kind and the flight's version)
    sa.Column("reason", sa.Text, nullable=False),  # cancelled | diverted | retimed | requested | aircraft_swap
    # [] : every booking the change moves (reaccommodation.must_move); else only these booking ids
    sa.Column("scope", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("state", sa.Text, nullable=False, server_default="pending"),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("flight_id", "change", name="booking_reaccommodation_runs_once"),
    sa.CheckConstraint("state in ('pending','done')", name="booking_reaccommodation_runs_state"),
    sa.Index("booking_reaccommodation_runs_pending", "created_at", postgresql_where=sa.text("state = 'pending'")),
)

proposals = sa.Table(
    "booking_reaccommodations",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("run_id", sa.Text, nullable=False),
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False),
    sa.Column("flight_id", sa.Text, nullable=False),  # the disrupted flight
    sa.Column("flight_number", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    # option 0 (the proposal) then the alternatives: each a list of segments
    sa.Column("options", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    # the seats reserved for the proposal, or for the option chosen: [{flight_id, passenger_id, seat}]
    sa.Column("seats", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("unplaced_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
    sa.Column("chosen", sa.Integer, nullable=False, server_default="0"),
    sa.Column("taken", sa.Text, nullable=False, server_default=""),  # refund | voucher (declined)
    sa.Column("refund_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("voucher_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("voucher_code", sa.Text, nullable=False, server_default=""),
    sa.Column("voided_tickets", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    # the leg the move took the booking off (passenger rights still judge that flight)
    sa.Column("removed_leg", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.UniqueConstraint("booking_id", "flight_id", name="booking_reaccommodations_once"),
    sa.CheckConstraint(
        "state in ('reserving','proposed','accepted','applied','declining','refunded','unplaced','kept')",
        name="booking_reaccommodations_state",
    ),
    sa.Index("booking_reaccommodations_flight", "flight_id"),
    sa.Index("booking_reaccommodations_due", "deadline", postgresql_where=sa.text("state = 'proposed'")),
)


@dataclass
class Run:
    id: str
    flight_id: str
    change: str
    reason: str
    state: str
    last_error: str = ""
    scope: list[str] = field(default_factory=list)


def _run(r: Any) -> Run:
    return Run(r.id, r.flight_id, r.change, r.reason, r.state, r.last_error, list(r.scope or []))


@dataclass
class Proposed:
    id: str
    run_id: str
    booking_id: str
    flight_id: str
    flight_number: str
    reason: str
    rank: int
    state: str
    options: list[list[dict[str, Any]]] = field(default_factory=list)
    seats: list[dict[str, str]] = field(default_factory=list)
    unplaced_reason: str = ""
    deadline: datetime | None = None
    chosen: int = 0
    taken: str = ""
    refund_amount: int = 0
    voucher_amount: int = 0
    voucher_code: str = ""
    voided_tickets: list[dict[str, str]] = field(default_factory=list)
    removed_leg: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None


_FIELDS = tuple(Proposed.__dataclass_fields__)


def _proposed(r: Any) -> Proposed:
    return Proposed(**{k: getattr(r, k) for k in _FIELDS})


class ReaccommodationRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # --- runs

    async def record_run(self, flight_id: str, change: str, reason: str, scope: Sequence[str] = ()) -> bool:
        """A run for this flight change (once: False when it was recorded already); `scope`: the
        only bookings it moves (an aircraft swap), or every one the change moves when empty."""
        q = (
            insert(runs)
            .values(id=str(uuid.uuid4()), flight_id=flight_id, change=change, reason=reason, scope=list(scope))
            .on_conflict_do_nothing(constraint="booking_reaccommodation_runs_once")
        )
        return bool((await self.conn.execute(q)).rowcount)

    async def pending_runs(self, flight_id: str = "", limit: int = 20) -> list[Run]:
        q = sa.select(runs).where(runs.c.state == "pending").order_by(runs.c.created_at).limit(limit)
        if flight_id:
            q = q.where(runs.c.flight_id == flight_id)
        return [_run(r) for r in (await self.conn.execute(q)).all()]

    async def runs_of(self, flight_id: str) -> list[Run]:
        q = sa.select(runs).where(runs.c.flight_id == flight_id).order_by(runs.c.created_at)
        return [_run(r) for r in (await self.conn.execute(q)).all()]

    async def finish_run(self, run_id: str, error: str = "") -> None:
        values: dict[str, Any] = {"last_error": error[:500]}
        if not error:
            values.update(state="done", finished_at=_now)
        await self.conn.execute(runs.update().where(runs.c.id == run_id).values(**values))

    async def lock_flight(self, flight_id: str) -> None:
        """Serialise the runs of one flight (the worker and ops' run now) until commit."""
        key = f"reaccommodation:{flight_id}"
        await self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtextextended(key, 0))))

    # --- proposals

    async def start(self, p: Proposed) -> bool:
        """Writes a new proposal (False when the booking has one for this flight already)."""
        values = {k: getattr(p, k) for k in _FIELDS if k not in ("created_at", "updated_at")}
        q = insert(proposals).values(**values).on_conflict_do_nothing(constraint="booking_reaccommodations_once")
        return bool((await self.conn.execute(q)).rowcount)

    async def update(self, proposal_id: str, **values: Any) -> None:
        await self.conn.execute(
            proposals.update().where(proposals.c.id == proposal_id).values(updated_at=_now, **values)
        )

    async def get(self, proposal_id: str, *, lock: bool = False) -> Proposed | None:
        q = sa.select(proposals).where(proposals.c.id == proposal_id)
        row = (await self.conn.execute(q.with_for_update() if lock else q)).first()
        return _proposed(row) if row else None

    async def of_booking(self, booking_id: str) -> list[Proposed]:
        q = sa.select(proposals).where(proposals.c.booking_id == booking_id).order_by(proposals.c.created_at)
        return [_proposed(r) for r in (await self.conn.execute(q)).all()]

    async def of_flight(self, flight_id: str) -> list[Proposed]:
        q = sa.select(proposals).where(proposals.c.flight_id == flight_id).order_by(proposals.c.rank)
        return [_proposed(r) for r in (await self.conn.execute(q)).all()]

    async def in_states(
        self, states: Sequence[str], *, due_by: datetime | None = None, limit: int = 100
    ) -> list[Proposed]:
        q = sa.select(proposals).where(proposals.c.state.in_(list(states)))
        if due_by is not None:
            q = q.where(proposals.c.deadline < due_by)
        return [_proposed(r) for r in (await self.conn.execute(q.order_by(proposals.c.updated_at).limit(limit))).all()]

    async def stale(self, states: Sequence[str], older_than: datetime, limit: int = 100) -> list[Proposed]:
        q = sa.select(proposals).where(proposals.c.state.in_(list(states)), proposals.c.updated_at < older_than)
        return [_proposed(r) for r in (await self.conn.execute(q.limit(limit))).all()]

    async def moved_from(self, booking_id: str) -> list[Leg]:
        """The legs moves took the booking off, as they were (for passenger rights)."""
        out = []
        for p in await self.of_booking(booking_id):
            r = p.removed_leg
            if p.state == "applied" and r:
                departure, arrival = datetime.fromisoformat(r["departure"]), datetime.fromisoformat(r["arrival"])
                out.append(
                    Leg(
                        0,
                        r["flight_id"],
                        r["number"],
                        r["origin"],
                        r["destination"],
                        "",
                        departure,
                        arrival,
                        None,
                        None,
                        "",
                        "",
                        FareRules(0, 0, False, 0, "", 0),
                    )
                )
        return out

    async def replace_legs(self, b: Booking) -> None:
        """A move changes which flights the booking has: its leg rows are written again."""
        await self.conn.execute(legs.delete().where(legs.c.booking_id == b.id))
        await self.conn.execute(legs.insert(), [dict(leg_row(leg), booking_id=b.id) for leg in b.legs])
