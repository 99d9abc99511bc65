"""Tables of the booking schema and the repository over them.

A booking is one row (its draft data as JSONB columns, its saga state and step as columns)
plus one row per flight leg (so that a flight's disruption finds its bookings by index).
The PNR is unique by constraint; e-ticket serials come from a sequence.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.platform.db import service_metadata

SCHEMA = "booking"
metadata = service_metadata(SCHEMA)
_now = sa.func.now()

PNR_TAKEN = "bookings_pnr_key"

eticket_serial = sa.Sequence("eticket_serial", metadata=metadata, start=1, minvalue=1, maxvalue=9_999_999_999)

bookings = sa.Table(
    "bookings",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("owner", sa.Text, nullable=False),  # the signed-in subject; "" for a guest
    # a guest's client address as a keyed HMAC (never the address): counts its open bookings
    sa.Column("client_key", sa.Text, nullable=False, server_default=""),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("step", sa.Text, nullable=False, server_default=""),
    sa.Column("offer_id", sa.Text, nullable=False),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("trip_type", sa.Text, nullable=False),
    sa.Column("adults", sa.Integer, nullable=False),
    sa.Column("children", sa.Integer, nullable=False),
    sa.Column("infants", sa.Integer, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("fare_total", sa.BigInteger, nullable=False),
    sa.Column("bag_total", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("passengers", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("contact_email", sa.Text, nullable=False, server_default=""),
    sa.Column("contact_phone", sa.Text, nullable=False, server_default=""),
    sa.Column("seats", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("bags", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("tickets", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("payment", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("pay_attempt", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pnr", sa.Text, nullable=True, unique=True),
    sa.Column("flight_cancelled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("disruption", sa.Text, nullable=False, server_default=""),
    sa.Column("refunded_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("cancel_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint(
        "state in ('held','awaiting_payment','confirmed','cancelling','cancelled','expired')", name="bookings_state_known"
    ),
    sa.CheckConstraint("state <> 'confirmed' or pnr is not null", name="bookings_confirmed_has_pnr"),
    sa.Index("bookings_owner", "owner", "created_at"),
    sa.Index("bookings_client_key", "client_key", postgresql_where=sa.text("client_key <> ''")),
    sa.Index("bookings_open", "state", "updated_at", postgresql_where=sa.text("state in ('held','awaiting_payment')")),
)

legs = sa.Table(
    "booking_legs",
    metadata,
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("flight_id", sa.Text, nullable=False),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("destination", sa.Text, nullable=False),
    sa.Column("origin_time_zone", sa.Text, nullable=False),
    sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=False),
    sa.Column("scheduled_arrival", sa.DateTime(timezone=True), nullable=False),
    sa.Column("estimated_departure", sa.DateTime(timezone=True), nullable=True),
    sa.Column("estimated_arrival", sa.DateTime(timezone=True), nullable=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("status_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("checked_bags", sa.Integer, nullable=False),
    sa.Column("bag_weight_kg", sa.Integer, nullable=False),
    sa.Column("refundable", sa.Boolean, nullable=False),
    sa.Column("change_fee", sa.BigInteger, nullable=False),
    # the fare's no-show rule as booked: "taxes" (give back the taxes) or "" (nothing)
    sa.Column("no_show_refund", sa.Text, nullable=False, server_default=""),
    sa.Column("taxes", sa.BigInteger, nullable=False, server_default="0"),  # per passenger
    sa.Column("hold_id", sa.Text, nullable=False, server_default=""),
    sa.Index("booking_legs_flight", "flight_id"),
)

idempotency = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("scope", sa.Text, primary_key=True),  # create:<caller> or pay:<booking id>
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("request_hash", sa.Text, nullable=False),
    sa.Column("booking_id", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

notifications = sa.Table(
    "booking_notifications",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("phone", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)


class BookingRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, row: dict[str, Any], leg_rows: Sequence[dict[str, Any]]) -> None:
        await self.conn.execute(bookings.insert().values(**row))
        await self.conn.execute(legs.insert(), [dict(r, booking_id=row["id"]) for r in leg_rows])

    async def get(self, booking_id: str, *, lock: bool = False) -> dict[str, Any] | None:
        q = sa.select(bookings).where(bookings.c.id == booking_id)
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return dict(row._mapping) if row else None

    async def by_pnr(self, pnr: str) -> dict[str, Any] | None:
        row = (await self.conn.execute(sa.select(bookings).where(bookings.c.pnr == pnr))).first()
        return dict(row._mapping) if row else None

    async def legs(self, booking_id: str) -> list[dict[str, Any]]:
        q = sa.select(legs).where(legs.c.booking_id == booking_id).order_by(legs.c.position)
        return [dict(r._mapping) for r in (await self.conn.execute(q)).all()]

    async def legs_of_many(self, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        if ids:
            q = sa.select(legs).where(legs.c.booking_id.in_(list(ids))).order_by(legs.c.booking_id, legs.c.position)
            for r in (await self.conn.execute(q)).all():
                out[r.booking_id].append(dict(r._mapping))
        return out

    async def update(self, booking_id: str, **values: Any) -> None:
        await self.conn.execute(bookings.update().where(bookings.c.id == booking_id).values(updated_at=_now, **values))

    async def set_hold(self, booking_id: str, flight_id: str, hold_id: str) -> None:
        await self.conn.execute(
            legs.update().where(legs.c.booking_id == booking_id, legs.c.flight_id == flight_id).values(hold_id=hold_id)
        )

    async def by_owner(self, owner: str, limit: int = 200) -> list[dict[str, Any]]:
        q = (sa.select(bookings).where(bookings.c.owner == owner).order_by(bookings.c.created_at.desc())
             .limit(limit))
        return [dict(r._mapping) for r in (await self.conn.execute(q)).all()]

    async def open_ids(self, older_than: datetime | None = None, states: Sequence[str] = ("held", "awaiting_payment"),
                       expired_by: datetime | None = None, limit: int = 500) -> list[str]:
        q = sa.select(bookings.c.id).where(bookings.c.state.in_(list(states)))
        if older_than is not None:
            q = q.where(bookings.c.updated_at < older_than)
        if expired_by is not None:
            q = q.where(bookings.c.expires_at < expired_by)
        return list((await self.conn.execute(q.order_by(bookings.c.updated_at).limit(limit))).scalars())

    async def lock_key(self, key: str) -> None:
        """Serialise the transactions about one key (an account, an address) until commit."""
        await self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtextextended(key, 0))))

    async def count_open(self, now: datetime, *, owner: str = "", client_key: str = "") -> int:
        q = sa.select(sa.func.count()).select_from(bookings).where(
            bookings.c.state.in_(("held", "awaiting_payment")), bookings.c.expires_at > now)
        q = q.where(bookings.c.owner == owner) if owner else q.where(bookings.c.owner == "",
                                                                     bookings.c.client_key == client_key)
        return int((await self.conn.execute(q)).scalar_one())

    async def next_serials(self, n: int) -> list[int]:
        q = sa.select(eticket_serial.next_value()).select_from(sa.func.generate_series(1, n))
        return list((await self.conn.execute(q)).scalars())

    async def claim_key(self, scope: str, key: str, request_hash: str, booking_id: str) -> tuple[str, str] | None:
        """Record (scope, key) -> booking; if the key was used before, its (hash, booking id)."""
        inserted = (await self.conn.execute(
            insert(idempotency).values(scope=scope, key=key, request_hash=request_hash, booking_id=booking_id)
            .on_conflict_do_nothing().returning(idempotency.c.key)
        )).first()
        if inserted:
            return None
        row = (await self.conn.execute(
            sa.select(idempotency.c.request_hash, idempotency.c.booking_id)
            .where(idempotency.c.scope == scope, idempotency.c.key == key)
        )).one()
        return row.request_hash, row.booking_id

    async def flight_legs(self, flight_id: str) -> list[dict[str, Any]]:
        q = sa.select(legs).where(legs.c.flight_id == flight_id)
        return [dict(r._mapping) for r in (await self.conn.execute(q)).all()]

    async def update_leg(self, booking_id: str, position: int, **values: Any) -> None:
        await self.conn.execute(
            legs.update().where(legs.c.booking_id == booking_id, legs.c.position == position).values(**values)
        )

    async def notify(self, booking_id: str, kind: str, email: str, phone: str, message: str) -> None:
        await self.conn.execute(notifications.insert().values(
            booking_id=booking_id, kind=kind, email=email, phone=phone, message=message))

    async def notifications(self, booking_id: str) -> list[dict[str, Any]]:
        q = sa.select(notifications).where(notifications.c.booking_id == booking_id).order_by(notifications.c.id)
        return [dict(r._mapping) for r in (await self.conn.execute(q)).all()]
