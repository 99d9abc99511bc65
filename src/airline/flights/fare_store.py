"""The fares' repository: fares and fare rules per route and cabin."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.flights.domain import CabinClass, Fare, FareRules, PassengerType, TripType
from airline.flights.tables import fare_rules, fares

_now = sa.func.now()


def _fare(row: Any) -> Fare:
    return Fare(
        row.origin,
        row.destination,
        CabinClass(row.cabin_class),
        PassengerType(row.passenger_type),
        TripType(row.trip_type),
        row.amount,
        row.currency,
    )


def _rules(row: Any) -> FareRules:
    return FareRules(
        row.origin,
        row.destination,
        CabinClass(row.cabin_class),
        row.refundable,
        row.change_fee,
        row.currency,
        row.checked_bags,
        row.bag_weight_kg,
        row.no_show_refund,
        row.taxes,
    )


class FareRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def lock_routes(self, routes: Iterable[tuple[str, str]]) -> None:
        # one writer per route at a time, so "one currency per route" holds under concurrency
        for o, d in sorted(set(routes)):
            await self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"fares:{o}-{d}"))))

    async def upsert_fares(self, items: Sequence[Fare]) -> None:
        if not items:
            return
        stmt = insert(fares).values([f.to_dict() for f in items])
        stmt = stmt.on_conflict_do_update(
            index_elements=[
                fares.c.origin,
                fares.c.destination,
                fares.c.cabin_class,
                fares.c.passenger_type,
                fares.c.trip_type,
            ],
            set_={"amount": stmt.excluded.amount, "currency": stmt.excluded.currency, "updated_at": _now},
        )
        await self.conn.execute(stmt)

    async def upsert_rules(self, items: Sequence[FareRules]) -> None:
        if not items:
            return
        stmt = insert(fare_rules).values(
            [
                {
                    "origin": r.origin,
                    "destination": r.destination,
                    "cabin_class": r.cabin_class.value,
                    "refundable": r.refundable,
                    "change_fee": r.change_fee,
                    "currency": r.currency,
                    "checked_bags": r.checked_bags,
                    "bag_weight_kg": r.bag_weight_kg,
                    "no_show_refund": r.no_show_refund,
                    "taxes": r.taxes,
                }
                for r in items
            ]
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[fare_rules.c.origin, fare_rules.c.destination, fare_rules.c.cabin_class],
            set_={
                k: stmt.excluded[k]
                for k in (
                    "refundable",
                    "change_fee",
                    "currency",
                    "checked_bags",
                    "bag_weight_kg",
                    "no_show_refund",
                    "taxes",
                )
            }
            | {"updated_at": _now},
        )
        await self.conn.execute(stmt)

    async def taxes_above_fares(self, routes: Iterable[tuple[str, str]]) -> list[tuple[str, str, str, int, int]]:
        """(origin, destination, cabin, taxes, lowest fare) where a rule's taxes exceed a fare of
        its route and cabin: taxes are part of every fare."""
        routes = list(set(routes))
        if not routes:
            return []
        lowest = (
            sa.select(
                fares.c.origin, fares.c.destination, fares.c.cabin_class, sa.func.min(fares.c.amount).label("lowest")
            )
            .where(sa.tuple_(fares.c.origin, fares.c.destination).in_(routes))
            .group_by(fares.c.origin, fares.c.destination, fares.c.cabin_class)
            .subquery()
        )
        q = (
            sa.select(
                fare_rules.c.origin,
                fare_rules.c.destination,
                fare_rules.c.cabin_class,
                fare_rules.c.taxes,
                lowest.c.lowest,
            )
            .join(
                lowest,
                sa.and_(
                    lowest.c.origin == fare_rules.c.origin,
                    lowest.c.destination == fare_rules.c.destination,
                    lowest.c.cabin_class == fare_rules.c.cabin_class,
                ),
            )
            .where(fare_rules.c.taxes > lowest.c.lowest)
        )
        return [(r.origin, r.destination, r.cabin_class, r.taxes, r.lowest) for r in (await self.conn.execute(q)).all()]

    async def currencies(self, routes: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
        routes = list(set(routes))
        if not routes:
            return []
        out: list[tuple[str, str, str]] = []
        for table in (fares, fare_rules):
            q = (
                sa.select(table.c.origin, table.c.destination, table.c.currency)
                .distinct()
                .where(sa.tuple_(table.c.origin, table.c.destination).in_(routes))
            )
            out += [(r.origin, r.destination, r.currency) for r in (await self.conn.execute(q)).all()]
        return out

    async def list(
        self,
        origin: str | None = None,
        destination: str | None = None,
        routes: Sequence[tuple[str, str]] | None = None,
        cabin: CabinClass | None = None,
    ) -> tuple[list[Fare], list[FareRules]]:
        out_fares: list[Fare] = []
        out_rules: list[FareRules] = []
        for table in (fares, fare_rules):
            q = sa.select(table)
            if origin:
                q = q.where(table.c.origin == origin)
            if destination:
                q = q.where(table.c.destination == destination)
            if routes is not None:
                q = q.where(sa.tuple_(table.c.origin, table.c.destination).in_(list(routes)))
            if cabin is not None:
                q = q.where(table.c.cabin_class == cabin.value)
            q = q.order_by(*table.primary_key.columns)
            rows = (await self.conn.execute(q)).all()
            if table is fares:
                out_fares = [_fare(r) for r in rows]
            else:
                out_rules = [_rules(r) for r in rows]
        return out_fares, out_rules
