"""Tables of the booking schema and the repository over them.

A booking is one row (its draft data as JSONB columns, its saga state and step as columns)
plus one row per flight leg (so that a flight's disruption finds its bookings by index).
The PNR is unique by constraint; e-ticket serials come from a sequence.

The repository maps rows to the `Booking` aggregate and back: nothing above it sees a row.
`save` writes only what changed since the booking was read (so a leg's status update does not
make a stuck payment look fresh to recovery).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking.domain import Booking, ExtraBag, Leg, PaymentRecord, PnrTaken, SeatChoice, State, Ticket
from airline.booking.fares import FareRules
from airline.booking.passengers import passenger_from_dict
from airline.platform.db import ServiceDatabase, UnitOfWork, flight_route_columns, service_metadata
from airline.platform.idempotency import IdempotencyKeys, idempotency_table

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
    # customer service's search (search.py, migration 0009): every passenger's name, unaccented
    # and lower case, computed by PostgreSQL from `passengers` (never written here)
    sa.Column("search_names", sa.Text, sa.Computed("booking.search_names(passengers)", persisted=True)),
    sa.CheckConstraint(
        "state in ('held','awaiting_payment','confirmed','cancelling','cancelled','expired')",
        name="bookings_state_known",
    ),
    sa.CheckConstraint("state <> 'confirmed' or pnr is not null", name="bookings_confirmed_has_pnr"),
    sa.Index("bookings_owner", "owner", "created_at"),
    sa.Index("bookings_client_key", "client_key", postgresql_where=sa.text("client_key <> ''")),
    sa.Index("bookings_open", "state", "updated_at", postgresql_where=sa.text("state in ('held','awaiting_payment')")),
    sa.Index(
        "bookings_search_names",
        "search_names",
        postgresql_using="gin",
        postgresql_ops={"search_names": "public.gin_trgm_ops"},
    ),
    sa.Index("bookings_contact_email", sa.text("lower(contact_email)")),
    sa.Index(
        "bookings_contact_phone",
        sa.text("regexp_replace(contact_phone, '[^0-9]', '', 'g')"),
        postgresql_where=sa.text("contact_phone <> ''"),
    ),
)

legs = sa.Table(
    "booking_legs",
    metadata,
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("flight_id", sa.Text, nullable=False),
    *flight_route_columns(),
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
    sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True),  # as reservation said
    sa.Index("booking_legs_flight", "flight_id"),
    sa.Index("booking_legs_number", "number", "scheduled_departure"),  # search by flight + date
)

# scope create:<caller> or pay:<booking id>; the result is {"booking_id": ...}
idempotency = idempotency_table(metadata)
_keys = IdempotencyKeys(idempotency)

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

# Passenger rights (rights.py): one row per (booking, passenger, flight), written as "pending"
# before any money moves, "paid" with the payout's reference after; the unique constraint is
# what makes a second claim, however concurrent, pay nothing.
compensations = sa.Table(
    "booking_compensations",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),  # the payout's idempotency key is derived from it
    sa.Column("booking_id", sa.Text, sa.ForeignKey("bookings.id"), nullable=False),
    sa.Column("passenger_id", sa.Text, nullable=False),
    sa.Column("flight_id", sa.Text, nullable=False),
    sa.Column("flight_number", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),  # cancelled | arrival_delay
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("policy", sa.Text, nullable=False),
    sa.Column("distance_km", sa.Float, nullable=False),
    sa.Column("delay_minutes", sa.Integer, nullable=False, server_default="0"),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("requested_by", sa.Text, nullable=False),  # "<role>:<subject>", or "guest" (manage token)
    sa.Column("payment_id", sa.Text, nullable=False, server_default=""),  # the original payment (refund)
    sa.Column("reference", sa.Text, nullable=False, server_default=""),  # the voucher code or the refund id
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("booking_id", "passenger_id", "flight_id", name="booking_compensations_once"),
    sa.CheckConstraint("method in ('voucher','refund')", name="booking_compensations_method"),
    sa.CheckConstraint("state in ('pending','paid')", name="booking_compensations_state"),
    sa.CheckConstraint("amount > 0", name="booking_compensations_amount"),
)


_LEG_STATE = ("status", "status_reason", "estimated_departure", "estimated_arrival", "hold_id", "hold_expires_at")


def booking_row(b: Booking) -> dict[str, Any]:
    return {
        "id": b.id,
        "owner": b.owner,
        "client_key": b.client_key,
        "state": b.state.value,
        "step": b.step,
        "offer_id": b.offer_id,
        **b.choice_and_money(),
        "passengers": [p.to_dict() for p in b.passengers],
        "contact_email": b.contact_email,
        "contact_phone": b.contact_phone,
        "seats": [s.to_dict() for s in b.seats],
        "bags": [x.to_dict() for x in b.bags],
        "tickets": [t.to_dict() for t in b.tickets],
        "payment": b.payment.to_dict(),
        "pay_attempt": b.pay_attempt,
        "pnr": b.pnr,
        "flight_cancelled": b.flight_cancelled,
        "disruption": b.disruption,
        "refunded_amount": b.refunded_amount,
        "cancel_reason": b.cancel_reason,
        "expires_at": b.expires_at,
    }


def leg_row(leg: Leg) -> dict[str, Any]:
    r = leg.rules
    return {
        "position": leg.position,
        "flight_id": leg.flight_id,
        "number": leg.number,
        "origin": leg.origin,
        "destination": leg.destination,
        "origin_time_zone": leg.origin_time_zone,
        "scheduled_departure": leg.scheduled_departure,
        "scheduled_arrival": leg.scheduled_arrival,
        "estimated_departure": leg.estimated_departure,
        "estimated_arrival": leg.estimated_arrival,
        "status": leg.status,
        "status_reason": leg.status_reason,
        "checked_bags": r.checked_bags,
        "bag_weight_kg": r.bag_weight_kg,
        "refundable": r.refundable,
        "change_fee": r.change_fee,
        "no_show_refund": r.no_show_refund,
        "taxes": r.taxes,
        "hold_id": leg.hold_id,
        "hold_expires_at": leg.hold_expires_at,
    }


def leg_of(r: Any) -> Leg:
    rules = FareRules(r.checked_bags, r.bag_weight_kg, r.refundable, r.change_fee, r.no_show_refund, r.taxes)
    return Leg(
        r.position,
        r.flight_id,
        r.number,
        r.origin,
        r.destination,
        r.origin_time_zone,
        r.scheduled_departure,
        r.scheduled_arrival,
        r.estimated_departure,
        r.estimated_arrival,
        r.status,
        r.status_reason,
        rules,
        r.hold_id,
        r.hold_expires_at,
    )


def booking_of(r: Any, leg_list: Sequence[Leg]) -> Booking:
    return Booking(
        id=r.id,
        owner=r.owner,
        client_key=r.client_key,
        state=State(r.state),
        step=r.step,
        offer_id=r.offer_id,
        cabin_class=r.cabin_class,
        trip_type=r.trip_type,
        adults=r.adults,
        children=r.children,
        infants=r.infants,
        currency=r.currency,
        fare_total=r.fare_total,
        expires_at=r.expires_at,
        legs=list(leg_list),
        bag_total=r.bag_total,
        passengers=[passenger_from_dict(p) for p in r.passengers],
        contact_email=r.contact_email,
        contact_phone=r.contact_phone,
        seats=[SeatChoice(s["flight_id"], s["passenger_id"], s["seat"]) for s in r.seats],
        bags=[
            ExtraBag(x["flight_id"], x["passenger_id"], int(x.get("extra_pieces", 0)), int(x.get("overweight_kg", 0)))
            for x in r.bags
        ],
        tickets=[Ticket(t["passenger_id"], t["flight_id"], t["number"]) for t in r.tickets],
        payment=PaymentRecord.from_dict(r.payment or {}),
        pay_attempt=r.pay_attempt,
        pnr=r.pnr,
        flight_cancelled=r.flight_cancelled,
        disruption=r.disruption,
        refunded_amount=r.refunded_amount,
        cancel_reason=r.cancel_reason,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


class BookingRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        # each booking as it was read (in its stored form): save writes only the difference
        self._seen: dict[str, tuple[dict[str, Any], dict[int, dict[str, Any]]]] = {}

    def _remember(self, b: Booking) -> Booking:
        self._seen[b.id] = (booking_row(b), {leg.position: leg_row(leg) for leg in b.legs})
        return b

    async def add(self, b: Booking) -> None:
        """Inserts the booking; `b` gets its stored times (no read afterwards)."""
        q = bookings.insert().values(**booking_row(b)).returning(bookings.c.created_at, bookings.c.updated_at)
        b.created_at, b.updated_at = (await self.conn.execute(q)).one()
        await self.conn.execute(legs.insert(), [dict(leg_row(leg), booking_id=b.id) for leg in b.legs])
        self._remember(b)
        from airline.booking import history  # (its table is on this module's metadata)

        await history.on_created(self.conn, booking_row(b), [leg.number for leg in b.legs])

    async def get(self, booking_id: str, *, lock: bool = False) -> Booking | None:
        q = sa.select(bookings).where(bookings.c.id == booking_id)
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return self._remember(booking_of(row, await self._legs(booking_id))) if row else None

    async def by_pnr(self, pnr: str) -> Booking | None:
        row = (await self.conn.execute(sa.select(bookings).where(bookings.c.pnr == pnr))).first()
        return self._remember(booking_of(row, await self._legs(row.id))) if row else None

    async def by_owner(self, owner: str, limit: int = 200) -> list[Booking]:
        q = sa.select(bookings).where(bookings.c.owner == owner).order_by(bookings.c.created_at.desc()).limit(limit)
        rows = (await self.conn.execute(q)).all()
        of_many = await self._legs_of_many([r.id for r in rows])
        return [self._remember(booking_of(r, of_many[r.id])) for r in rows]

    async def _legs(self, booking_id: str) -> list[Leg]:
        q = sa.select(legs).where(legs.c.booking_id == booking_id).order_by(legs.c.position)
        return [leg_of(r) for r in (await self.conn.execute(q)).all()]

    async def _legs_of_many(self, ids: Sequence[str]) -> dict[str, list[Leg]]:
        out: dict[str, list[Leg]] = {i: [] for i in ids}
        if ids:
            q = sa.select(legs).where(legs.c.booking_id.in_(list(ids))).order_by(legs.c.booking_id, legs.c.position)
            for r in (await self.conn.execute(q)).all():
                out[r.booking_id].append(leg_of(r))
        return out

    async def save(self, b: Booking) -> None:
        """Writes what changed since `b` was read (`b` gets the time of its change, no read
        afterwards); a PNR another booking has raises PnrTaken."""
        row, leg_rows = booking_row(b), {leg.position: leg_row(leg) for leg in b.legs}
        before, legs_before = self._seen.get(b.id, ({}, {}))
        changed = {k: v for k, v in row.items() if k != "id" and before.get(k, object()) != v}
        for position, values in leg_rows.items():
            delta = {k: values[k] for k in _LEG_STATE if legs_before.get(position, {}).get(k, object()) != values[k]}
            if delta:
                await self.conn.execute(
                    legs.update().where(legs.c.booking_id == b.id, legs.c.position == position).values(**delta)
                )
        if changed:
            try:
                q = bookings.update().where(bookings.c.id == b.id).values(updated_at=_now, **changed)
                b.updated_at = (await self.conn.execute(q.returning(bookings.c.updated_at))).scalar_one()
            except IntegrityError as e:
                if PNR_TAKEN in str(e.orig):
                    raise PnrTaken(b.pnr) from e
                raise
        self._seen[b.id] = (row, leg_rows)
        if changed:  # the step in the booking's history, in this transaction (history.py)
            from airline.booking import history

            await history.on_saved(self.conn, before, row, {leg.flight_id: leg.number for leg in b.legs})

    async def bookings_on(self, flight_id: str) -> list[str]:
        """The bookings with a leg on this flight, in a fixed order (so that locks queue up)."""
        q = sa.select(legs.c.booking_id).where(legs.c.flight_id == flight_id).distinct().order_by(legs.c.booking_id)
        return list((await self.conn.execute(q)).scalars())

    async def open_ids(
        self,
        older_than: datetime | None = None,
        states: Sequence[str] = ("held", "awaiting_payment"),
        expired_by: datetime | None = None,
        limit: int = 500,
    ) -> list[str]:
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
        q = (
            sa.select(sa.func.count())
            .select_from(bookings)
            .where(bookings.c.state.in_(("held", "awaiting_payment")), bookings.c.expires_at > now)
        )
        q = (
            q.where(bookings.c.owner == owner)
            if owner
            else q.where(bookings.c.owner == "", bookings.c.client_key == client_key)
        )
        return int((await self.conn.execute(q)).scalar_one())

    async def next_serials(self, n: int) -> list[int]:
        q = sa.select(eticket_serial.next_value()).select_from(sa.func.generate_series(1, n))
        return list((await self.conn.execute(q)).scalars())

    async def replay_key(self, scope: str, key: str, request_hash: str) -> str | None:
        """The booking that (scope, key) answered with, or None when the key is new.
        Raises IdempotencyKeyReused when the key was used for a different request."""
        found = await _keys.replay_or_none(self.conn, scope, key, request_hash)
        return None if found is None else str(found["booking_id"])

    async def remember_key(self, scope: str, key: str, request_hash: str, booking_id: str) -> str:
        """Record (scope, key) -> booking in this transaction; the booking that stands (another
        one when a concurrent request with the same key was first)."""
        first = await _keys.remember(self.conn, scope, key, request_hash, {"booking_id": booking_id})
        return str(first["booking_id"])

    async def notify(self, booking_id: str, kind: str, email: str, phone: str, message: str) -> None:
        await self.conn.execute(
            notifications.insert().values(booking_id=booking_id, kind=kind, email=email, phone=phone, message=message)
        )

    async def notifications(self, booking_id: str) -> list[dict[str, Any]]:
        q = sa.select(notifications).where(notifications.c.booking_id == booking_id).order_by(notifications.c.id)
        return [dict(r._mapping) for r in (await self.conn.execute(q)).all()]


class BookingUnitOfWork:
    """One transaction of the booking's database: its bookings and its outbox (events are
    written with the change that caused them)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.bookings = BookingRepository(uow.conn)

    async def emit(self, topic: str, key: str, type_: str, payload: dict[str, Any]) -> None:
        await self._uow.emit(topic, key, type_, payload)

    async def commit(self) -> None:
        await self._uow.commit()

    async def rollback(self) -> None:
        await self._uow.rollback()


@asynccontextmanager
async def unit_of_work(db: ServiceDatabase) -> AsyncIterator[BookingUnitOfWork]:
    async with db.uow() as uow:
        yield BookingUnitOfWork(uow)


class _ReadOnly:
    """A read outside any transaction: nothing to commit, and no BEGIN/COMMIT round trips."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.bookings = BookingRepository(conn)

    async def emit(self, topic: str, key: str, type_: str, payload: dict[str, Any]) -> None:
        raise RuntimeError("a read writes no events")

    async def commit(self) -> None:
        pass

    async def rollback(self) -> None:
        pass


@asynccontextmanager
async def reader(db: ServiceDatabase) -> AsyncIterator[_ReadOnly]:
    """Reads that need no transaction (one booking, a replayed key): autocommit, each
    statement on its own, so a plain read costs its statements only."""
    async with db.reading() as conn:
        yield _ReadOnly(conn)
