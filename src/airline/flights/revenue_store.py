"""The revenue rules' repository: booking classes (buckets) per flight and cabin, what each
bucket sold (from the seat ledger) and what live drafts claimed in it, taxes per airport, and the
revenue report's reads."""

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
from airline.flights.tables import (
    airport_taxes,
    bucket_claims,
    fare_buckets,
    flight_cabins,
    flights,
    seat_ledger,
    sellable_seats,
)
from airline.platform.db import any_of

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
        q = sa.select(fare_buckets).where(any_of(fare_buckets.c.flight_id, ids))
        if cabin is not None:
            q = q.where(fare_buckets.c.cabin_class == cabin.value)
        out: dict[tuple[str, str], list[Bucket]] = {}
        for r in (await self.conn.execute(q.order_by(fare_buckets.c.flight_id, fare_buckets.c.rank))).all():
            out.setdefault((r.flight_id, r.cabin_class), []).append(_bucket(r))
        return out

    async def taken_by_bucket(
        self, flight_ids: Iterable[str], now: datetime, except_booking: str = ""
    ) -> tuple[dict[tuple[str, str], dict[str, int]], dict[tuple[str, str], dict[str, int]]]:
        """(flight id, cabin) -> seats sold per bucket code ("" = sold outside any bucket), and
        (flight id, cabin) -> seats claimed per bucket by drafts live at `now` (but
        `except_booking`'s own), in one statement."""
        ids = sorted(set(flight_ids))
        if not ids:
            return {}, {}
        led, cl = seat_ledger.c, bucket_claims.c
        sold = (
            sa.select(led.flight_id, led.cabin_class, led.bucket, sa.func.sum(led.seats).label("seats"))
            .add_columns(sa.literal(False).label("claim"))
            .where(any_of(led.flight_id, ids))
            .group_by(led.flight_id, led.cabin_class, led.bucket)
        )
        claimed = (
            sa.select(cl.flight_id, cl.cabin_class, cl.bucket, sa.func.sum(cl.seats).label("seats"))
            .add_columns(sa.literal(True).label("claim"))
            .where(any_of(cl.flight_id, ids), cl.expires_at > now, cl.booking_id != except_booking)
            .group_by(cl.flight_id, cl.cabin_class, cl.bucket)
        )
        out: tuple[dict[tuple[str, str], dict[str, int]], dict[tuple[str, str], dict[str, int]]] = ({}, {})
        for r in (await self.conn.execute(sa.union_all(sold, claimed))).all():
            out[1 if r.claim else 0].setdefault((r.flight_id, r.cabin_class), {})[r.bucket] = int(r.seats)
        return out

    # -- claims: a draft's seats in its booking class, until it is paid or expires

    async def lock_bucket_sales(self, keys: Iterable[tuple[str, str]]) -> None:
        """Claims in one flight's cabin, one after the other (a transaction lock per flight and
        cabin, taken in one order so that two drafts of a round trip cannot deadlock)."""
        locks = [
            sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"bucket-sales:{fid}:{cabin}"))
            for fid, cabin in sorted(set(keys))
        ]
        if locks:
            await self.conn.execute(sa.select(*locks))

    async def claim(self, booking_id: str, legs: Sequence[tuple[str, str, str, int]], expires_at: datetime) -> None:
        """This booking's claim, (flight id, cabin, bucket, seats) per flight, until
        `expires_at`: the same booking asking again has the same claim (replaced, not added)."""
        if not legs:
            return
        stmt = insert(bucket_claims).values(
            [
                {
                    "booking_id": booking_id,
                    "flight_id": fid,
                    "cabin_class": cabin,
                    "bucket": bucket,
                    "seats": seats,
                    "expires_at": expires_at,
                }
                for fid, cabin, bucket, seats in legs
            ]
        )
        ex = stmt.excluded
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=list(bucket_claims.primary_key.columns),
                set_={
                    "cabin_class": ex.cabin_class,
                    "bucket": ex.bucket,
                    "seats": ex.seats,
                    "expires_at": ex.expires_at,
                },
            )
        )

    async def release_claims(self, booking_id: str) -> int:
        """The booking's claims end (its sale took their place, or the draft is gone)."""
        result = await self.conn.execute(bucket_claims.delete().where(bucket_claims.c.booking_id == booking_id))
        return int(result.rowcount or 0)

    async def extend_claims(self, booking_id: str, until: datetime, now: datetime) -> int:
        """The booking's live claims last until `until` (never shortened; an ended one stays ended)."""
        c = bucket_claims.c
        result = await self.conn.execute(
            bucket_claims.update()
            .where(c.booking_id == booking_id, c.expires_at > now, c.expires_at < until)
            .values(expires_at=until)
        )
        return int(result.rowcount or 0)

    async def forget_expired_claims(self, before: datetime) -> int:
        """Claims that expired before `before`: they count for nothing already."""
        result = await self.conn.execute(bucket_claims.delete().where(bucket_claims.c.expires_at < before))
        return int(result.rowcount or 0)

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
