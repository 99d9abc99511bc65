"""The passengers cancelled alone (table `booking_passenger_cancellations`, migration 0011): the
decision is inserted once per (booking, passenger) before the refund, and marked done when the
booking has been changed; the primary key is what makes a second request refund nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking.store import BookingUnitOfWork, metadata
from airline.platform.db import ServiceDatabase

REFUNDING, DONE = "refunding", "done"

cancellations = sa.Table(
    "booking_passenger_cancellations",
    metadata,
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False),
    sa.Column("passenger_id", sa.Text, nullable=False),
    sa.Column("leaving", JSONB, nullable=False),  # the passenger and their lap infant
    sa.Column("share", sa.BigInteger, nullable=False),  # what was paid for them
    sa.Column("refund", sa.BigInteger, nullable=False),  # what goes back (idempotency key per row)
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("requested_by", sa.Text, nullable=False),  # "<role>:<subject>" or "guest"
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("booking_id", "passenger_id", name="booking_passenger_cancellations_pkey"),
    sa.CheckConstraint("state in ('refunding','done')", name="booking_passenger_cancellations_state"),
    sa.CheckConstraint("refund >= 0 and refund <= share", name="booking_passenger_cancellations_refund"),
)


# every name correction, with the name as booked (the first correction's "before"): the limit
# counts against it, so corrections cannot add up to another person
name_corrections = sa.Table(
    "booking_name_corrections",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False),
    sa.Column("passenger_id", sa.Text, nullable=False),
    sa.Column("booked_first_name", sa.Text, nullable=False),
    sa.Column("booked_last_name", sa.Text, nullable=False),
    sa.Column("first_name", sa.Text, nullable=False),
    sa.Column("last_name", sa.Text, nullable=False),
    sa.Column("letters", sa.Integer, nullable=False),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("booking_name_corrections_passenger", "booking_id", "passenger_id"),
)


@dataclass(frozen=True)
class Cancellation:
    booking_id: str
    passenger_id: str
    leaving: tuple[str, ...]
    share: int
    refund: int
    reason: str
    requested_by: str
    state: str


class CancellationRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, c: Cancellation) -> bool:
        """False when this passenger's cancellation was decided already (that one stands)."""
        stmt = (
            insert(cancellations)
            .values(
                booking_id=c.booking_id,
                passenger_id=c.passenger_id,
                leaving=list(c.leaving),
                share=c.share,
                refund=c.refund,
                reason=c.reason,
                requested_by=c.requested_by,
                state=c.state,
            )
            .on_conflict_do_nothing()
        )
        return bool((await self.conn.execute(stmt)).rowcount)

    async def pending(self, booking_id: str, *, lock: bool = False) -> list[Cancellation]:
        q = sa.select(cancellations).where(cancellations.c.booking_id == booking_id, cancellations.c.state == REFUNDING)
        if lock:
            q = q.with_for_update()
        return [_of(r) for r in (await self.conn.execute(q.order_by(cancellations.c.created_at))).all()]

    async def stuck(self, older_than: datetime, limit: int = 200) -> list[str]:
        """Bookings with a passenger's cancellation decided before `older_than` and not done."""
        q = (
            sa.select(cancellations.c.booking_id)
            .where(cancellations.c.state == REFUNDING, cancellations.c.created_at < older_than)
            .distinct()
            .limit(limit)
        )
        return [str(r[0]) for r in (await self.conn.execute(q)).all()]

    async def get(self, booking_id: str, passenger_id: str, *, lock: bool = False) -> Cancellation | None:
        q = sa.select(cancellations).where(
            cancellations.c.booking_id == booking_id, cancellations.c.passenger_id == passenger_id
        )
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return _of(row) if row else None

    async def done(self, booking_id: str, passenger_id: str) -> None:
        await self.conn.execute(
            cancellations.update()
            .where(cancellations.c.booking_id == booking_id, cancellations.c.passenger_id == passenger_id)
            .values(state=DONE, done_at=sa.func.now())
        )


async def booked_name(conn: AsyncConnection, booking_id: str, passenger_id: str) -> tuple[str, str] | None:
    """The passenger's name as booked, when it was corrected since (None: never corrected)."""
    q = (
        sa.select(name_corrections.c.booked_first_name, name_corrections.c.booked_last_name)
        .where(name_corrections.c.booking_id == booking_id, name_corrections.c.passenger_id == passenger_id)
        .order_by(name_corrections.c.id)
        .limit(1)
    )
    row = (await conn.execute(q)).first()
    return (str(row[0]), str(row[1])) if row else None


async def record_correction(conn: AsyncConnection, values: dict[str, object]) -> None:
    await conn.execute(name_corrections.insert().values(**values))


def _of(r: sa.Row[tuple[object, ...]]) -> Cancellation:
    m = r._mapping
    return Cancellation(
        str(m["booking_id"]),
        str(m["passenger_id"]),
        tuple(m["leaving"]),
        int(m["share"]),
        int(m["refund"]),
        str(m["reason"]),
        str(m["requested_by"]),
        str(m["state"]),
    )


@asynccontextmanager
async def transaction(db: ServiceDatabase) -> AsyncIterator[tuple[BookingUnitOfWork, CancellationRepository]]:
    """One booking transaction with the cancellations beside its bookings."""
    async with db.uow() as uow:
        yield BookingUnitOfWork(uow), CancellationRepository(uow.conn)
