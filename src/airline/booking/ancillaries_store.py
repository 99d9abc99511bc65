"""The paid ancillaries' tables (ancillaries_service.py) and the repository over them.

One purchase row per quote bought (its id a digest of the signed quote, so the same quote sent
again finds its row): `started` (the payment under way; `attempt` names the payment's
idempotency key, so a retry after an unknown outcome is the same payment), `declined` (refused:
nothing bought; a new attempt may follow), `bought` (the bags, meals and EMDs written in the
same transaction as the row) or `abandoned` (the booking was cancelled or changed meanwhile:
the payment given back). One EMD row per item bought; `refunded` is what a cancellation gave
back of the purchase, the sum of its EMDs' `refunded` (emd_refunds.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking.store import metadata
from airline.platform.db import ServiceDatabase

STATES = ("started", "declined", "bought", "abandoned")

emd_serial = sa.Sequence("emd_serial", metadata=metadata, start=1, minvalue=1, maxvalue=999_999_999)

purchases = sa.Table(
    "booking_ancillary_purchases",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False, index=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False, server_default="1"),
    sa.Column("quote", JSONB, nullable=False),  # the quote's content as signed
    sa.Column("payment_id", sa.Text, nullable=False, server_default=""),
    sa.Column("charged", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("refunded", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint(f"state in ({', '.join(repr(s) for s in STATES)})", name="booking_ancillary_purchases_state"),
)

emds = sa.Table(
    "booking_emds",
    metadata,
    sa.Column("number", sa.Text, primary_key=True),
    sa.Column("purchase_id", sa.Text, sa.ForeignKey("booking_ancillary_purchases.id"), nullable=False),
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("flight_id", sa.Text, nullable=False),
    sa.Column("passenger_id", sa.Text, nullable=False),
    sa.Column("code", sa.Text, nullable=False, server_default=""),  # the meal's code
    sa.Column("pieces", sa.Integer, nullable=False, server_default="0"),  # a bag's pieces
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    # what a cancellation gave back of this EMD, and the refund's idempotency key (decided once:
    # "" until a passenger's or the booking's cancellation decides it, 0 refunded or more)
    sa.Column("refunded", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("refund_key", sa.Text, nullable=False, server_default=""),
    sa.CheckConstraint("kind in ('bag', 'meal')", name="booking_emds_kind"),
    sa.CheckConstraint("amount >= 0", name="booking_emds_amount"),
)


@dataclass
class Purchase:
    id: str
    booking_id: str
    state: str
    quote: dict[str, Any]
    attempt: int = 1
    payment_id: str = ""
    charged: int = 0
    refunded: int = 0
    created_at: datetime | None = None


class AncillaryRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, purchase_id: str, *, lock: bool = False) -> Purchase | None:
        q = sa.select(purchases).where(purchases.c.id == purchase_id)
        r = (await self.conn.execute(q.with_for_update() if lock else q)).one_or_none()
        if r is None:
            return None
        return Purchase(
            r.id, r.booking_id, r.state, r.quote, r.attempt, r.payment_id, r.charged, r.refunded, r.created_at
        )

    async def start(self, p: Purchase) -> None:
        """Writes the purchase `started` (a row that exists already is set back to started)."""
        values = {"id": p.id, "booking_id": p.booking_id, "state": "started", "attempt": p.attempt, "quote": p.quote}
        await self.conn.execute(
            insert(purchases)
            .values(**values)
            .on_conflict_do_update(
                index_elements=[purchases.c.id],
                set_={"state": "started", "attempt": p.attempt, "updated_at": sa.func.now()},
            )
        )

    async def update(self, purchase_id: str, **values: Any) -> None:
        await self.conn.execute(
            purchases.update().where(purchases.c.id == purchase_id).values(updated_at=sa.func.now(), **values)
        )

    async def issue(self, purchase_id: str, booking_id: str, rows: list[dict[str, Any]]) -> None:
        await self.conn.execute(
            emds.insert(), [{**r, "purchase_id": purchase_id, "booking_id": booking_id} for r in rows]
        )

    async def follow_move(self, booking_id: str, moves: dict[str, str]) -> None:
        """The booking's EMDs on a flight it left name the flight that replaced it (old -> new;
        the first new one when several replaced it, as inventory moves paid meals), in the move's
        own transaction: the meal already ordered, the receipt and a later refund then see the
        flight the passenger flies, never a leg the booking no longer has."""
        for old, new in moves.items():
            await self.conn.execute(
                emds.update().where(emds.c.booking_id == booking_id, emds.c.flight_id == old).values(flight_id=new)
            )

    async def next_serials(self, n: int) -> list[int]:
        q = sa.select(emd_serial.next_value()).select_from(sa.func.generate_series(1, n))
        return list((await self.conn.execute(q)).scalars())

    async def emds(self, booking_id: str) -> list[dict[str, Any]]:
        q = sa.select(emds).where(emds.c.booking_id == booking_id).order_by(emds.c.issued_at, emds.c.number)
        return [dict(r) for r in (await self.conn.execute(q)).mappings()]

    async def bought(self, booking_id: str) -> list[Purchase]:
        """The booking's purchases that were bought, oldest first."""
        q = (
            sa.select(purchases.c.id)
            .where(purchases.c.booking_id == booking_id, purchases.c.state == "bought")
            .order_by(purchases.c.created_at, purchases.c.id)
        )
        found = [await self.get(pid) for pid in (await self.conn.execute(q)).scalars()]
        return [p for p in found if p is not None]

    async def stale(self, before: datetime, limit: int = 50) -> list[Purchase]:
        q = (
            sa.select(purchases.c.id)
            .where(purchases.c.state == "started", purchases.c.updated_at < before)
            .order_by(purchases.c.updated_at)
            .limit(limit)
        )
        found = [await self.get(pid) for pid in (await self.conn.execute(q)).scalars()]
        return [p for p in found if p is not None]

    async def payment_ids(self, booking_id: str) -> set[str]:
        q = sa.select(purchases.c.payment_id).where(purchases.c.booking_id == booking_id, purchases.c.payment_id != "")
        return set((await self.conn.execute(q)).scalars())


async def read(db: ServiceDatabase, booking_id: str) -> tuple[list[Purchase], list[dict[str, Any]]]:
    """The booking's bought purchases and its EMDs, read outside any transaction."""
    async with db.reading() as conn:
        repo = AncillaryRepository(conn)
        return await repo.bought(booking_id), await repo.emds(booking_id)
