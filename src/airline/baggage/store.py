"""Tables of the baggage schema and the repository over them.

Tag serials come from a PostgreSQL sequence (concurrent drops never share one) and the tag
column is unique as the final guard. A scan is recorded once per (bag, client event id).
Search indexes: the tag (unique), the flight, the status, and the lower-cased last name with
text_pattern_ops so that a case-insensitive prefix (LIKE 'abc%') uses the index.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.platform.db import service_metadata
from airline.platform.idempotency import IdempotencyKeys, idempotency_table

SCHEMA = "baggage"
metadata = service_metadata(SCHEMA)
_now = sa.func.now()

tag_serial = sa.Sequence("bag_tag_serial", minvalue=1, maxvalue=999_999, cycle=True, metadata=metadata)

bags = sa.Table(
    "bags",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("tag", sa.Text, nullable=True, unique=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("booking_id", sa.Text, nullable=False),
    sa.Column("pnr", sa.Text, nullable=False),
    sa.Column("passenger_id", sa.Text, nullable=False),
    sa.Column("first_name", sa.Text, nullable=False),
    sa.Column("last_name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),  # lower(last_name), for prefix search
    sa.Column("phone", sa.Text, nullable=False, server_default=""),
    sa.Column("flight_id", sa.Text, nullable=False),
    sa.Column("flight_number", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("destination", sa.Text, nullable=False),
    sa.Column("plane_id", sa.Text, nullable=False, server_default=""),
    sa.Column("plane_registration", sa.Text, nullable=False, server_default=""),
    sa.Column("weight_g", sa.Integer, nullable=False),
    sa.Column("length_cm", sa.Integer, nullable=False),
    sa.Column("width_cm", sa.Integer, nullable=False),
    sa.Column("height_cm", sa.Integer, nullable=False),
    sa.Column("fee", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("fee_reasons", JSONB, nullable=False, server_default="[]"),
    sa.Column("payment_id", sa.Text, nullable=False, server_default=""),
    sa.Column("payment_key", sa.Text, nullable=False, server_default=""),
    sa.Column("drop_key", sa.Text, nullable=True),
    sa.Column("dropped_by", sa.Text, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False, server_default="0"),  # last history entry
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    # its passenger was offloaded at door close: the bag must not fly (unloaded if loaded)
    sa.Column("offload", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("offload_flagged_at", sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("weight_g > 0", name="bags_weight_positive"),
    sa.CheckConstraint("fee >= 0", name="bags_fee_not_negative"),
    # a withdrawn bag may have been withdrawn before it was paid (no tag) or after (tagged)
    sa.CheckConstraint(
        "status = 'withdrawn' or (tag is null) = (status = 'awaiting_payment')", name="bags_tag_once_accepted"
    ),
    sa.UniqueConstraint("dropped_by", "drop_key", name="bags_drop_key_unique"),
)
sa.Index("bags_flight", bags.c.flight_id, bags.c.created_at)
sa.Index("bags_status", bags.c.status, bags.c.created_at)
sa.Index("bags_booking", bags.c.booking_id)
sa.Index("bags_passenger_flight", bags.c.booking_id, bags.c.passenger_id, bags.c.flight_id)
sa.Index("bags_name_prefix", bags.c.name_key, postgresql_ops={"name_key": "text_pattern_ops"})

bag_events = sa.Table(
    "bag_events",
    metadata,
    sa.Column("bag_id", sa.Text, sa.ForeignKey("bags.id"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("client_event_id", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("airport", sa.Text, nullable=False),
    sa.Column("location", sa.Text, nullable=False, server_default=""),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.UniqueConstraint("bag_id", "client_event_id", name="bag_events_client_event_unique"),
)

# Bookings whose cancellation this service has seen: a bag drop racing the cancellation is
# refused or withdrawn, whichever commits second (both hold the booking's advisory lock).
cancelled_bookings = sa.Table(
    "cancelled_bookings",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

# Door close as checkin reported it (DoorClosed): who was offloaded from which flight, so a bag
# of theirs found later (dropped, rerouted) is flagged too.
offloaded_passengers = sa.Table(
    "offloaded_passengers",
    metadata,
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("passenger_id", sa.Text, primary_key=True),
    sa.Column("door_closed_at", sa.DateTime(timezone=True), nullable=False),
)
closed_doors = sa.Table(
    "closed_doors",
    metadata,
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
)

NOT_PAID = "awaiting_payment"
WITHDRAWN = "withdrawn"

# A bag drop's Idempotency-Key: (drop:<agent>, key) -> the request's hash and the bag it made
idempotency_keys = idempotency_table(metadata)
keys = IdempotencyKeys(idempotency_keys)


class BaggageRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, values: dict[str, Any]) -> Mapping[str, Any]:
        row = (await self.conn.execute(bags.insert().values(**values).returning(*bags.c))).mappings().one()
        return row

    async def by_drop_key(self, dropped_by: str, key: str) -> Mapping[str, Any] | None:
        q = bags.select().where(bags.c.dropped_by == dropped_by, bags.c.drop_key == key)
        return (await self.conn.execute(q)).mappings().first()

    async def get(self, bag_id: str, *, lock: bool = False) -> Mapping[str, Any] | None:
        q = bags.select().where(bags.c.id == bag_id)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).mappings().first()

    async def by_tag(self, tag: str, *, lock: bool = False) -> Mapping[str, Any] | None:
        q = bags.select().where(bags.c.tag == tag)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).mappings().first()

    async def passenger_bags(self, booking_id: str, passenger_id: str, flight_id: str) -> list[Mapping[str, Any]]:
        """Every bag the passenger dropped for the flight, oldest first, locked: two agents
        dropping bags of one passenger at once price them one after the other."""
        q = (
            bags.select()
            .where(bags.c.booking_id == booking_id, bags.c.passenger_id == passenger_id, bags.c.flight_id == flight_id)
            .order_by(bags.c.created_at, bags.c.id)
            .with_for_update()
        )
        return list((await self.conn.execute(q)).mappings())

    async def lock_passenger(self, booking_id: str, passenger_id: str, flight_id: str) -> None:
        # Serialises drops of one passenger's bags for a flight, even before the first bag exists.
        key = f"baggage:{booking_id}:{passenger_id}:{flight_id}"
        await self.conn.execute(sa.text("select pg_advisory_xact_lock(hashtext(:k))"), {"k": key})

    async def lock_booking(self, booking_id: str) -> None:
        """Serialises a bag drop with the booking's cancellation."""
        await self.conn.execute(
            sa.text("select pg_advisory_xact_lock(hashtext(:k))"), {"k": f"baggage-booking:{booking_id}"}
        )

    async def booking_cancelled(self, booking_id: str) -> bool:
        q = sa.select(cancelled_bookings.c.booking_id).where(cancelled_bookings.c.booking_id == booking_id)
        return (await self.conn.execute(q)).first() is not None

    async def mark_cancelled(self, booking_id: str) -> None:
        await self.conn.execute(insert(cancelled_bookings).values(booking_id=booking_id).on_conflict_do_nothing())

    async def bags_of_booking(self, booking_id: str) -> list[Mapping[str, Any]]:
        q = bags.select().where(bags.c.booking_id == booking_id).order_by(bags.c.created_at, bags.c.id)
        return list((await self.conn.execute(q.with_for_update())).mappings())

    async def next_tag_serial(self) -> int:
        return int((await self.conn.execute(sa.select(tag_serial.next_value()))).scalar_one())

    async def update(self, bag_id: str, **values: Any) -> Mapping[str, Any]:
        q = bags.update().where(bags.c.id == bag_id).values(updated_at=_now, **values).returning(*bags.c)
        return (await self.conn.execute(q)).mappings().one()

    async def history(self, bag_id: str) -> list[Mapping[str, Any]]:
        q = bag_events.select().where(bag_events.c.bag_id == bag_id).order_by(bag_events.c.seq)
        return list((await self.conn.execute(q)).mappings())

    async def event_by_client_id(self, bag_id: str, client_event_id: str) -> Mapping[str, Any] | None:
        q = bag_events.select().where(bag_events.c.bag_id == bag_id, bag_events.c.client_event_id == client_event_id)
        return (await self.conn.execute(q)).mappings().first()

    async def add_event(
        self,
        bag_id: str,
        seq: int,
        client_event_id: str,
        status: str,
        airport: str,
        location: str,
        at: datetime,
        recorded_by: str,
        role: str,
    ) -> Mapping[str, Any]:
        q = (
            bag_events.insert()
            .values(
                bag_id=bag_id,
                seq=seq,
                client_event_id=client_event_id,
                status=status,
                airport=airport,
                location=location,
                at=at,
                recorded_by=recorded_by,
                role=role,
            )
            .returning(*bag_events.c)
        )
        return (await self.conn.execute(q)).mappings().one()

    async def search(
        self,
        *,
        tag: str = "",
        name: str = "",
        flight_id: str = "",
        status: str = "",
        booking_id: str = "",
        after: tuple[datetime, str] | None = None,
        limit: int = 50,
    ) -> list[Mapping[str, Any]]:
        """Newest first, keyset-paginated on (created_at, id)."""
        q = bags.select()
        if tag:
            q = q.where(bags.c.tag == tag)
        if name:
            escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            q = q.where(bags.c.name_key.like(escaped + "%", escape="\\"))
        if flight_id:
            q = q.where(bags.c.flight_id == flight_id)
        if status:
            q = q.where(bags.c.status == status)
        if booking_id:
            q = q.where(bags.c.booking_id == booking_id)
        if after is not None:
            q = q.where(sa.tuple_(bags.c.created_at, bags.c.id) < sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
        q = q.order_by(bags.c.created_at.desc(), bags.c.id.desc()).limit(limit)
        return list((await self.conn.execute(q)).mappings())

    async def flight_bags(self, flight_id: str) -> list[Mapping[str, Any]]:
        q = (
            bags.select()
            .where(bags.c.flight_id == flight_id, bags.c.status.not_in([NOT_PAID, WITHDRAWN]))
            .order_by(bags.c.tag)
        )
        return list((await self.conn.execute(q)).mappings())

    # -- door close

    async def record_door(self, flight_id: str, closed_at: datetime, passengers: list[tuple[str, str]]) -> None:
        await self.conn.execute(
            insert(closed_doors).values(flight_id=flight_id, closed_at=closed_at).on_conflict_do_nothing()
        )
        if passengers:
            await self.conn.execute(
                insert(offloaded_passengers)
                .values(
                    [
                        {"flight_id": flight_id, "booking_id": b, "passenger_id": p, "door_closed_at": closed_at}
                        for b, p in passengers
                    ]
                )
                .on_conflict_do_nothing()
            )

    async def offloaded(self, flight_id: str, booking_id: str, passenger_id: str) -> bool:
        op = offloaded_passengers
        q = sa.select(op.c.flight_id).where(
            op.c.flight_id == flight_id, op.c.booking_id == booking_id, op.c.passenger_id == passenger_id
        )
        return (await self.conn.execute(q)).first() is not None

    async def door_closed(self, flight_id: str) -> bool:
        q = sa.select(closed_doors.c.flight_id).where(closed_doors.c.flight_id == flight_id)
        return (await self.conn.execute(q)).first() is not None

    async def bags_to_flag(self, flight_id: str) -> list[Mapping[str, Any]]:
        """Bags on the flight of its offloaded passengers not flagged yet (locked)."""
        op = offloaded_passengers
        q = (
            bags.select()
            .where(
                bags.c.flight_id == flight_id,
                bags.c.offload.is_(False),
                bags.c.status.not_in([NOT_PAID, WITHDRAWN, "claimed"]),
                sa.exists().where(
                    op.c.flight_id == bags.c.flight_id,
                    op.c.booking_id == bags.c.booking_id,
                    op.c.passenger_id == bags.c.passenger_id,
                ),
            )
            .order_by(bags.c.tag)
            .with_for_update()
        )
        return list((await self.conn.execute(q)).mappings())
