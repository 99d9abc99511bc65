"""The revenue rules' repository: booking classes (buckets) per flight and cabin, what each
bucket sold (from the seat ledger), taxes per airport, and the revenue report's reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.flights.domain import CabinClass, PassengerType
from airline.flights.domain.buckets import Bucket
from airline.flights.domain.taxes import Tax
from airline.flights.tables import airport_taxes, fare_buckets, flight_cabins, flights, seat_ledger, sellable_seats

_now = sa.func.now()


def _bucket(r: Any) -> Bucket:
    return Bucket(
        r.code,
        r.adult_amount,
        r.child_amount,
        r.infant_amount,
        r.currency,
        r.authorised,
        r.open,
        r.close_at_load_percent,
        r.close_days_before,
    )


class RevenueRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- buckets

    async def replace_ladder(self, flight_id: str, cabin: CabinClass, ladder: Sequence[Bucket]) -> None:
        where = sa.and_(fare_buckets.c.flight_id == flight_id, fare_buckets.c.cabin_class == cabin.value)
        await self.conn.execute(fare_buckets.delete().where(where))
        if ladder:
            await self.conn.execute(
                fare_buckets.insert(),
                [
                    {
                        "flight_id": flight_id,
                        "cabin_class": cabin.value,
                        "code": b.code,
                        "rank": rank,
                        "adult_amount": b.adult_amount,
                        "child_amount": b.child_amount,
                        "infant_amount": b.infant_amount,
                        "currency": b.currency,
                        "authorised": b.authorised,
                        "open": b.open,
                        "close_at_load_percent": b.close_at_load_percent,
                        "close_days_before": b.close_days_before,
                    }
                    for rank, b in enumerate(ladder)
                ],
            )

    async def ladders(
        self, flight_ids: Iterable[str], cabin: CabinClass | None = None
    ) -> dict[tuple[str, str], list[Bucket]]:
        """(flight id, cabin) -> the ladder, dearest first."""
        ids = sorted(set(flight_ids))
        if not ids:
            return {}
        q = sa.select(fare_buckets).where(fare_buckets.c.flight_id.in_(ids))
        if cabin is not None:
            q = q.where(fare_buckets.c.cabin_class == cabin.value)
        out: dict[tuple[str, str], list[Bucket]] = {}
        for r in (await self.conn.execute(q.order_by(fare_buckets.c.flight_id, fare_buckets.c.rank))).all():
            out.setdefault((r.flight_id, r.cabin_class), []).append(_bucket(r))
        return out

    async def sold_by_bucket(self, flight_ids: Iterable[str]) -> dict[tuple[str, str], dict[str, int]]:
        """(flight id, cabin) -> seats sold per bucket code ("" = sold outside any bucket)."""
        ids = sorted(set(flight_ids))
        if not ids:
            return {}
        q = (
            sa.select(
                seat_ledger.c.flight_id,
                seat_ledger.c.cabin_class,
                seat_ledger.c.bucket,
                sa.func.sum(seat_ledger.c.seats).label("seats"),
            )
            .where(seat_ledger.c.flight_id.in_(ids))
            .group_by(seat_ledger.c.flight_id, seat_ledger.c.cabin_class, seat_ledger.c.bucket)
        )
        out: dict[tuple[str, str], dict[str, int]] = {}
        for r in (await self.conn.execute(q)).all():
            out.setdefault((r.flight_id, r.cabin_class), {})[r.bucket] = int(r.seats)
        return out

    async def mark_sale(self, booking_id: str, legs: Mapping[str, tuple[str, int, str]]) -> None:
        """The booking class and fare revenue of a sale just recorded in the ledger (same
        transaction): flight id -> (bucket, amount, currency)."""
        for fid, (bucket, amount, cur) in legs.items():
            await self.conn.execute(
                seat_ledger.update()
                .where(seat_ledger.c.booking_id == booking_id, seat_ledger.c.flight_id == fid)
                .values(bucket=bucket, amount=amount, currency=cur)
            )

    async def carry_sale(self, booking_id: str, left: Sequence[str], joined: Sequence[str]) -> list[str]:
        """A moved booking's fare revenue goes with it: from the flights it `left` onto the ones
        it flies now that carry none yet (`joined`, in order: first left onto first joined, any
        rest onto the last). Idempotent: a repeat finds nothing left to carry. Returns the
        flights that took revenue."""
        if not left or not joined:
            return []
        q = sa.select(seat_ledger.c.flight_id, seat_ledger.c.amount, seat_ledger.c.currency).where(
            seat_ledger.c.booking_id == booking_id
        )
        rows = {r.flight_id: r for r in (await self.conn.execute(q)).all()}
        sources = [rows[f] for f in left if f in rows and rows[f].amount > 0]
        targets = [f for f in joined if f in rows and rows[f].amount == 0 and f not in left]
        if not sources or not targets:
            return []
        amounts = [0] * len(targets)
        for i, src in enumerate(sources):
            amounts[min(i, len(targets) - 1)] += src.amount
        cur = sources[0].currency
        for fid, amount in zip(targets, amounts):
            if amount:
                await self.conn.execute(
                    seat_ledger.update()
                    .where(seat_ledger.c.booking_id == booking_id, seat_ledger.c.flight_id == fid)
                    .values(amount=amount, currency=cur)
                )
        await self.conn.execute(
            seat_ledger.update()
            .where(seat_ledger.c.booking_id == booking_id, seat_ledger.c.flight_id.in_([s.flight_id for s in sources]))
            .values(amount=0)
        )
        return [f for f, a in zip(targets, amounts) if a]

    # -- taxes

    async def upsert_taxes(self, items: Sequence[Tax]) -> None:
        if not items:
            return
        stmt = insert(airport_taxes).values(
            [
                {
                    "airport": t.airport,
                    "passenger_type": t.passenger_type.value,
                    "code": t.code,
                    "applies_on": t.applies_on,
                    "name": t.name,
                    "amount": t.amount,
                    "currency": t.currency,
                }
                for t in items
            ]
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=list(airport_taxes.primary_key.columns),
            set_={"name": stmt.excluded.name, "amount": stmt.excluded.amount, "currency": stmt.excluded.currency}
            | {"updated_at": _now},
        )
        await self.conn.execute(stmt)

    async def delete_taxes(self, keys: Sequence[tuple[str, str, str, str]]) -> None:
        if keys:
            cols = airport_taxes.c
            await self.conn.execute(
                airport_taxes.delete().where(
                    sa.tuple_(cols.airport, cols.passenger_type, cols.code, cols.applies_on).in_(list(keys))
                )
            )

    async def taxes(self, airports: Iterable[str] | None = None) -> list[Tax]:
        q = sa.select(airport_taxes)
        if airports is not None:
            q = q.where(airport_taxes.c.airport.in_(sorted(set(airports))))
        rows = (await self.conn.execute(q.order_by(*airport_taxes.primary_key.columns))).all()
        return [
            Tax(r.airport, PassengerType(r.passenger_type), r.code, r.name, r.amount, r.currency, r.applies_on)
            for r in rows
        ]

    # -- the revenue report

    async def flights_report(self, start: datetime, end: datetime, limit: int) -> list[Any]:
        """Per flight departing in [start, end) and cabin: seats, sold, sellable, the fare
        revenue per currency of the sales still standing, and the bookings they come from."""
        c = flight_cabins
        sales = (
            sa.select(
                seat_ledger.c.flight_id,
                seat_ledger.c.cabin_class,
                seat_ledger.c.currency,
                sa.func.sum(seat_ledger.c.amount).label("revenue"),
                sa.func.count().label("bookings"),
            )
            .where(seat_ledger.c.seats > 0)
            .group_by(seat_ledger.c.flight_id, seat_ledger.c.cabin_class, seat_ledger.c.currency)
            .subquery()
        )
        q = (
            sa.select(
                flights.c.id,
                flights.c.number,
                flights.c.origin,
                flights.c.destination,
                flights.c.status,
                flights.c.scheduled_departure,
                c.c.cabin_class,
                c.c.capacity,
                c.c.sold,
                sellable_seats(c).label("sellable"),
                sales.c.currency,
                sa.func.coalesce(sales.c.revenue, 0).label("revenue"),
                sa.func.coalesce(sales.c.bookings, 0).label("bookings"),
            )
            .join(c, c.c.flight_id == flights.c.id)
            .outerjoin(sales, sa.and_(sales.c.flight_id == c.c.flight_id, sales.c.cabin_class == c.c.cabin_class))
            .where(flights.c.scheduled_departure >= start, flights.c.scheduled_departure < end)
            .order_by(flights.c.scheduled_departure, flights.c.number, c.c.cabin_class)
            .limit(limit)
        )
        return list((await self.conn.execute(q)).all())

    async def bookings_per_day(self, start: datetime, end: datetime) -> list[Any]:
        """Sales recorded in [start, end) per UTC day: bookings, seats, fare revenue."""
        day = sa.func.date(sa.func.timezone("UTC", seat_ledger.c.created_at)).label("day")
        q = (
            sa.select(
                day,
                seat_ledger.c.currency,
                sa.func.count(sa.distinct(seat_ledger.c.booking_id)).label("bookings"),
                sa.func.sum(seat_ledger.c.seats).label("seats"),
                sa.func.sum(seat_ledger.c.amount).label("revenue"),
            )
            .where(seat_ledger.c.created_at >= start, seat_ledger.c.created_at < end, seat_ledger.c.seats > 0)
            .group_by(day, seat_ledger.c.currency)
            .order_by(day, seat_ledger.c.currency)
        )
        return list((await self.conn.execute(q)).all())
