"""Tables of the inventory schema and the repository over them.

Stock never goes negative: loading takes stock with a conditional UPDATE (quantity >= needed)
and a CHECK constraint is the final guard. At most one open alert per airport and item is a
partial unique index.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.inventory.domain import PAID_MEAL, Cabin, ItemKind, PassengerGroup, PassengerType
from airline.platform.db import service_metadata

SCHEMA = "inventory"
metadata = service_metadata(SCHEMA)

_now = sa.func.now()
_KINDS = ",".join(f"'{k.value}'" for k in ItemKind)

items = sa.Table(
    "items",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint(f"kind in ({_KINDS})", name="items_kind_known"),
)

stock = sa.Table(
    "stock",
    metadata,
    sa.Column("airport", sa.Text, primary_key=True),
    sa.Column("item", sa.Text, sa.ForeignKey("items.code"), primary_key=True),
    sa.Column("quantity", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("threshold", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("quantity >= 0", name="stock_quantity_not_negative"),
    sa.CheckConstraint("threshold >= 0", name="stock_threshold_not_negative"),
)

flights = sa.Table(
    "flights",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("number", sa.Text, nullable=False, server_default=""),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("destination", sa.Text, nullable=False, server_default=""),
    sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=True),
    sa.Column("status", sa.Text, nullable=False, server_default="scheduled"),
    sa.Column("plan_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("needs_unload", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("status in ('scheduled','cancelled')", name="flights_status_known"),
)

flight_passengers = sa.Table(
    "flight_passengers",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id"), primary_key=True),
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("passenger_type", sa.Text, primary_key=True),
    sa.Column("meal", sa.Text, primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.CheckConstraint("count > 0", name="flight_passengers_count_positive"),
)
sa.Index("flight_passengers_booking", flight_passengers.c.booking_id)

load_plans = sa.Table(
    "load_plans",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("items", JSONB, nullable=False),
    # after loading: the change against what was loaded
    sa.Column("delta", JSONB, nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

loadings = sa.Table(
    "loadings",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id"), primary_key=True),
    sa.Column("item", sa.Text, sa.ForeignKey("items.code"), primary_key=True),
    sa.Column("airport", sa.Text, nullable=False),
    sa.Column("plan_version", sa.Integer, nullable=False),
    sa.Column("quantity", sa.BigInteger, nullable=False),
    sa.Column("consumed", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("loaded_by", sa.Text, nullable=False),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("quantity > 0", name="loadings_quantity_positive"),
    sa.CheckConstraint("consumed >= 0 and consumed <= quantity", name="loadings_consumed_within_loaded"),
)

consumption = sa.Table(
    "consumption",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("flight_id", sa.Text, nullable=False),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("quantity", sa.BigInteger, nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.ForeignKeyConstraint(["flight_id", "item"], ["loadings.flight_id", "loadings.item"]),
    sa.CheckConstraint("quantity > 0", name="consumption_quantity_positive"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("airport", sa.Text, nullable=False),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("quantity", sa.BigInteger, nullable=False),
    sa.Column("threshold", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["airport", "item"], ["stock.airport", "stock.item"]),
)
# one open alert per stock line: a second crossing while it is open adds nothing
sa.Index(
    "alerts_one_open", alerts.c.airport, alerts.c.item, unique=True, postgresql_where=alerts.c.resolved_at.is_(None)
)


class InventoryRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- items

    async def items(self) -> list[Mapping[str, Any]]:
        return list((await self.conn.execute(sa.select(items).order_by(items.c.code))).mappings())

    async def item(self, code: str) -> Mapping[str, Any] | None:
        return (await self.conn.execute(sa.select(items).where(items.c.code == code))).mappings().first()

    async def add_item(self, code: str, name: str, kind: str) -> Mapping[str, Any] | None:
        return (
            (
                await self.conn.execute(
                    insert(items).values(code=code, name=name, kind=kind).on_conflict_do_nothing().returning(*items.c)
                )
            )
            .mappings()
            .first()
        )

    # -- stock

    async def stock(self, airport: str = "") -> list[Mapping[str, Any]]:
        q = sa.select(stock).order_by(stock.c.airport, stock.c.item)
        if airport:
            q = q.where(stock.c.airport == airport)
        return list((await self.conn.execute(q)).mappings())

    async def restock(self, airport: str, item: str, quantity: int) -> Mapping[str, Any]:
        stmt = insert(stock).values(airport=airport, item=item, quantity=quantity)
        stmt = stmt.on_conflict_do_update(
            index_elements=[stock.c.airport, stock.c.item],
            set_={"quantity": stock.c.quantity + quantity, "updated_at": _now},
        )
        return (await self.conn.execute(stmt.returning(*stock.c))).mappings().one()

    async def set_threshold(self, airport: str, item: str, threshold: int) -> Mapping[str, Any]:
        stmt = insert(stock).values(airport=airport, item=item, threshold=threshold)
        stmt = stmt.on_conflict_do_update(
            index_elements=[stock.c.airport, stock.c.item], set_={"threshold": threshold, "updated_at": _now}
        )
        return (await self.conn.execute(stmt.returning(*stock.c))).mappings().one()

    async def take(self, airport: str, item: str, quantity: int) -> Mapping[str, Any] | None:
        """Take `quantity` if that much is there; None (nothing changed) otherwise."""
        return (
            (
                await self.conn.execute(
                    stock.update()
                    .where(stock.c.airport == airport, stock.c.item == item, stock.c.quantity >= quantity)
                    .values(quantity=stock.c.quantity - quantity, updated_at=_now)
                    .returning(*stock.c)
                )
            )
            .mappings()
            .first()
        )

    # -- alerts

    async def open_alert(self, airport: str, item: str, quantity: int, threshold: int) -> Mapping[str, Any] | None:
        """A new open alert, or None when one is open already."""
        return (
            (
                await self.conn.execute(
                    insert(alerts)
                    .values(id=str(uuid.uuid4()), airport=airport, item=item, quantity=quantity, threshold=threshold)
                    .on_conflict_do_nothing(
                        index_elements=[alerts.c.airport, alerts.c.item], index_where=alerts.c.resolved_at.is_(None)
                    )
                    .returning(*alerts.c)
                )
            )
            .mappings()
            .first()
        )

    async def resolve_alerts(self, airport: str, item: str) -> None:
        await self.conn.execute(
            alerts.update()
            .where(alerts.c.airport == airport, alerts.c.item == item, alerts.c.resolved_at.is_(None))
            .values(resolved_at=_now)
        )

    async def alerts(self, airport: str = "", include_resolved: bool = False) -> list[Mapping[str, Any]]:
        q = sa.select(alerts).order_by(alerts.c.created_at.desc())
        if airport:
            q = q.where(alerts.c.airport == airport)
        if not include_resolved:
            q = q.where(alerts.c.resolved_at.is_(None))
        return list((await self.conn.execute(q)).mappings())

    # -- flights and passengers

    async def upsert_flight(self, values: Mapping[str, Any], *, overwrite: bool) -> None:
        stmt = insert(flights).values(**values)
        if overwrite:
            stmt = stmt.on_conflict_do_update(
                index_elements=[flights.c.id],
                set_={k: stmt.excluded[k] for k in values if k != "id"} | {"updated_at": _now},
            )
        else:
            stmt = stmt.on_conflict_do_nothing()
        await self.conn.execute(stmt)

    async def flight(self, flight_id: str, *, lock: bool = False) -> Mapping[str, Any] | None:
        q = sa.select(flights).where(flights.c.id == flight_id)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).mappings().first()

    async def update_flight(self, flight_id: str, **values: Any) -> None:
        await self.conn.execute(flights.update().where(flights.c.id == flight_id).values(updated_at=_now, **values))

    async def add_passengers(self, flight_id: str, booking_id: str, groups: Iterable[PassengerGroup]) -> None:
        rows = [
            {
                "flight_id": flight_id,
                "booking_id": booking_id,
                "cabin_class": g.cabin.value,
                "passenger_type": g.passenger_type.value,
                "meal": g.meal,
                "count": g.count,
            }
            for g in groups
        ]
        if rows:
            await self.conn.execute(insert(flight_passengers).values(rows).on_conflict_do_nothing())

    async def add_paid_meals(self, flight_id: str, booking_id: str, groups: Iterable[PassengerGroup]) -> None:
        """Meals bought after the sale (groups whose meal is PAID_MEAL + code): added to what the
        booking has on the flight already (the consumer sees each purchase once)."""
        for g in groups:
            row = {
                "flight_id": flight_id,
                "booking_id": booking_id,
                "cabin_class": g.cabin.value,
                "passenger_type": g.passenger_type.value,
                "meal": g.meal,
                "count": g.count,
            }
            q = insert(flight_passengers).values(row)
            await self.conn.execute(
                q.on_conflict_do_update(
                    index_elements=[fp for fp in flight_passengers.primary_key.columns],
                    set_={"count": flight_passengers.c.count + q.excluded.count},
                )
            )

    async def remove_booking(self, booking_id: str, flight_id: str | None = None) -> list[str]:
        """Forget a booking's passengers (on one flight, or on all); the flights they were on."""
        q = flight_passengers.delete().where(flight_passengers.c.booking_id == booking_id)
        if flight_id is not None:
            q = q.where(flight_passengers.c.flight_id == flight_id)
        rows = await self.conn.execute(q.returning(flight_passengers.c.flight_id))
        return sorted({r[0] for r in rows})

    async def remove_passengers(self, flight_id: str, booking_id: str, groups: Iterable[PassengerGroup]) -> bool:
        """Some of a booking's passengers leave a flight (cancelled alone); False when the
        booking is not counted there."""
        fp, found = flight_passengers, False
        for g in groups:
            key = (
                fp.c.flight_id == flight_id,
                fp.c.booking_id == booking_id,
                fp.c.cabin_class == g.cabin.value,
                fp.c.passenger_type == g.passenger_type.value,
                fp.c.meal == g.meal,
            )
            left = (
                await self.conn.execute(
                    fp.update().where(*key).values(count=fp.c.count - g.count).returning(fp.c.count)
                )
            ).scalar()
            found = found or left is not None
            if left is not None and left <= 0:
                await self.conn.execute(fp.delete().where(*key))
        return found

    async def paid_meals(self, booking_id: str) -> dict[str, dict[str, int]]:
        """A booking's meals bought after the sale: flight id -> menu code -> how many."""
        fp = flight_passengers
        rows = await self.conn.execute(
            sa.select(fp.c.flight_id, fp.c.meal, fp.c.count).where(
                fp.c.booking_id == booking_id, fp.c.meal.startswith(PAID_MEAL)
            )
        )
        out: dict[str, dict[str, int]] = {}
        for fid, meal, count in rows:
            codes = out.setdefault(fid, {})
            code = meal[len(PAID_MEAL) :]
            codes[code] = codes.get(code, 0) + count
        return out

    async def booking_flights(self, booking_id: str) -> list[str]:
        """The flights a booking's passengers are counted on."""
        rows = await self.conn.execute(
            sa.select(flight_passengers.c.flight_id)
            .where(flight_passengers.c.booking_id == booking_id, ~flight_passengers.c.meal.startswith(PAID_MEAL))
            .distinct()
        )
        return sorted(r[0] for r in rows)

    async def groups(self, flight_id: str) -> list[PassengerGroup]:
        fp = flight_passengers
        rows = await self.conn.execute(
            sa.select(fp.c.cabin_class, fp.c.passenger_type, fp.c.meal, sa.func.sum(fp.c.count))
            .where(fp.c.flight_id == flight_id)
            .group_by(fp.c.cabin_class, fp.c.passenger_type, fp.c.meal)
            .order_by(fp.c.cabin_class, fp.c.passenger_type, fp.c.meal)
        )
        return [PassengerGroup(Cabin(c), PassengerType(t), m, int(n)) for c, t, m, n in rows]

    # -- plans and loadings

    async def latest_plan(self, flight_id: str) -> Mapping[str, Any] | None:
        return (
            (
                await self.conn.execute(
                    sa.select(load_plans)
                    .where(load_plans.c.flight_id == flight_id)
                    .order_by(load_plans.c.version.desc())
                    .limit(1)
                )
            )
            .mappings()
            .first()
        )

    async def add_plan(
        self, flight_id: str, version: int, plan: dict[str, int], delta: dict[str, int] | None, reason: str
    ) -> None:
        await self.conn.execute(
            load_plans.insert().values(flight_id=flight_id, version=version, items=plan, delta=delta, reason=reason)
        )
        await self.update_flight(flight_id, plan_version=version)

    async def loaded(self, flight_id: str) -> list[Mapping[str, Any]]:
        return list(
            (
                await self.conn.execute(
                    sa.select(loadings).where(loadings.c.flight_id == flight_id).order_by(loadings.c.item)
                )
            ).mappings()
        )

    async def record_loading(
        self, flight_id: str, airport: str, version: int, plan: Mapping[str, int], by: str, at: datetime
    ) -> None:
        await self.conn.execute(
            loadings.insert().values(
                [
                    {
                        "flight_id": flight_id,
                        "item": item,
                        "airport": airport,
                        "plan_version": version,
                        "quantity": qty,
                        "loaded_by": by,
                        "loaded_at": at,
                    }
                    for item, qty in sorted(plan.items())
                ]
            )
        )
        await self.update_flight(flight_id, loaded_at=at)

    async def consume(self, flight_id: str, item: str, quantity: int, by: str) -> Mapping[str, Any] | None:
        """Count `quantity` as used if no more than loaded would be; None otherwise."""
        row = (
            (
                await self.conn.execute(
                    loadings.update()
                    .where(
                        loadings.c.flight_id == flight_id,
                        loadings.c.item == item,
                        loadings.c.consumed + quantity <= loadings.c.quantity,
                    )
                    .values(consumed=loadings.c.consumed + quantity)
                    .returning(*loadings.c)
                )
            )
            .mappings()
            .first()
        )
        if row is not None:
            await self.conn.execute(
                consumption.insert().values(flight_id=flight_id, item=item, quantity=quantity, recorded_by=by)
            )
        return row
