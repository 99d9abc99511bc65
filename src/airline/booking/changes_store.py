"""The voluntary changes' table (changes_service.py) and the repository over it.

One row per quote applied (its id is a digest of the signed quote, so the same quote sent again
finds its row instead of starting another change): `started` (seats being taken, the payment
under way; `attempt` names the payment's idempotency key, so a retry after an unknown outcome
gets the same payment), `declined` (the payment was refused: nothing changed; a new attempt may
follow), `applied` (legs, seats and e-tickets swapped, in the same transaction as the row) or
`abandoned` (the booking was cancelled or changed meanwhile: the payment given back, the seats
released). The residual voucher's code is written once it is issued (its key is the change's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking.store import metadata
from airline.platform.db import ServiceDatabase

STATES = ("started", "declined", "applied", "abandoned")

changes = sa.Table(
    "booking_changes",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False, index=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False, server_default="1"),
    sa.Column("quote", JSONB, nullable=False),  # the quote's content as signed
    sa.Column("seats", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),  # on the new flights
    sa.Column("payment_id", sa.Text, nullable=False, server_default=""),
    sa.Column("charged", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("voucher_code", sa.Text, nullable=False, server_default=""),
    sa.Column("voided_tickets", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint(f"state in ({', '.join(repr(s) for s in STATES)})", name="booking_changes_state"),
)


@dataclass
class Change:
    id: str
    booking_id: str
    state: str
    quote: dict[str, Any]
    attempt: int = 1
    seats: list[dict[str, str]] = field(default_factory=list)
    payment_id: str = ""
    charged: int = 0
    voucher_code: str = ""
    created_at: datetime | None = None


class ChangeRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, change_id: str, *, lock: bool = False) -> Change | None:
        q = sa.select(changes).where(changes.c.id == change_id)
        r = (await self.conn.execute(q.with_for_update() if lock else q)).one_or_none()
        if r is None:
            return None
        return Change(
            r.id,
            r.booking_id,
            r.state,
            r.quote,
            r.attempt,
            r.seats,
            r.payment_id,
            r.charged,
            r.voucher_code,
            r.created_at,
        )

    async def start(self, c: Change) -> None:
        """Writes the change `started` (a row that exists already is set back to started)."""
        values = {"id": c.id, "booking_id": c.booking_id, "state": "started", "attempt": c.attempt, "quote": c.quote}
        q = insert(changes).values(**values)
        await self.conn.execute(
            q.on_conflict_do_update(
                index_elements=[changes.c.id],
                set_={"state": "started", "attempt": c.attempt, "updated_at": sa.func.now()},
            )
        )

    async def update(self, change_id: str, **values: Any) -> None:
        await self.conn.execute(
            changes.update().where(changes.c.id == change_id).values(updated_at=sa.func.now(), **values)
        )

    async def lock_booking(self, booking_id: str) -> bool:
        """Takes the booking's change-or-cancel lock for this transaction (False: someone has it)."""
        q = sa.select(sa.func.pg_try_advisory_xact_lock(sa.func.hashtextextended(f"booking-change:{booking_id}", 0)))
        return bool((await self.conn.execute(q)).scalar_one())

    async def fare_of(self, booking_id: str, flight_id: str) -> int | None:
        """The fare the latest applied change of the booking priced this flight at (None: none did)."""
        q = (
            sa.select(changes.c.quote)
            .where(changes.c.booking_id == booking_id, changes.c.state == "applied")
            .order_by(changes.c.updated_at.desc())
        )
        for quote in (await self.conn.execute(q)).scalars():
            for leg in quote.get("legs", []):
                if leg.get("flight_id") == flight_id:
                    return int(leg["fare"])
        return None

    async def stale(self, before: datetime, limit: int = 50) -> list[Change]:
        """Changes a dead request left `started` (untouched since `before`), and applied ones
        whose residual voucher is not issued yet."""
        voucher_due = sa.and_(
            changes.c.state == "applied",
            changes.c.voucher_code == "",
            changes.c.quote["residual_voucher"].as_integer() > 0,
        )
        q = (
            sa.select(changes.c.id)
            .where(sa.or_(changes.c.state == "started", voucher_due), changes.c.updated_at < before)
            .order_by(changes.c.updated_at)
            .limit(limit)
        )
        found = [await self.get(cid) for cid in (await self.conn.execute(q)).scalars()]
        return [c for c in found if c is not None]

    async def payment_ids(self, booking_id: str) -> set[str]:
        q = sa.select(changes.c.payment_id).where(changes.c.booking_id == booking_id, changes.c.payment_id != "")
        return set((await self.conn.execute(q)).scalars())

    async def applied_and_paid(self, booking_id: str) -> list[Change]:
        """The booking's changes that were applied after a payment, oldest first (a cancellation
        refunds them by changes.refund_on_cancel)."""
        q = (
            sa.select(changes.c.id)
            .where(changes.c.booking_id == booking_id, changes.c.state == "applied", changes.c.payment_id != "")
            .order_by(changes.c.created_at, changes.c.id)
        )
        found = [await self.get(cid) for cid in (await self.conn.execute(q)).scalars()]
        return [c for c in found if c is not None]


async def applied_and_paid(db: ServiceDatabase, booking_id: str) -> list[Change]:
    """ChangeRepository.applied_and_paid, read outside any transaction."""
    async with db.reading() as conn:
        return await ChangeRepository(conn).applied_and_paid(booking_id)
