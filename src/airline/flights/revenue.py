"""Revenue rules' use cases: ops set a cabin's booking classes (buckets) and the taxes per
airport; the sale of a confirmed booking records its bucket and fare revenue; ops read load
factor, revenue per flight and bookings per day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from airline.flights import domain
from airline.flights.domain import CabinClass, Flight
from airline.flights.domain.buckets import Bucket, BucketState, ladder_state, new_buckets
from airline.flights.domain.search import offer_from_claims
from airline.flights.domain.taxes import Tax, check_tax_batch
from airline.flights.revenue_metrics import observe_sale, publish_report
from airline.flights.revenue_store import RevenueRepository
from airline.flights.service_base import parse_flight_id
from airline.flights.store import FlightRepository
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.errors import NotFound, ValidationFailed

MAX_REPORT_DAYS = 93
MAX_REPORT_ROWS = 5000


@dataclass(frozen=True)
class CabinLadder:
    flight: Flight
    cabin_class: CabinClass
    states: tuple[BucketState, ...]


class RevenueService:
    def __init__(self, db: ServiceDatabase) -> None:
        self.db = db

    async def set_buckets(self, flight_id: str, cabin: str, items: Sequence[Bucket]) -> CabinLadder:
        """Replace one cabin's ladder (dearest first); an empty ladder removes it."""
        cls = domain.cabin_class(cabin)
        ladder = new_buckets(items)
        fid = parse_flight_id(flight_id)
        async with self.db.uow() as uow:
            flight = await FlightRepository(uow.conn).get(fid, lock=True)
            if flight is None:
                raise NotFound(f"no flight {flight_id}", field="flight_id")
            if flight.cabin(cls) is None:
                raise NotFound(f"flight {flight.number} has no {cls.value} cabin", field="cabin_class")
            await RevenueRepository(uow.conn).replace_ladder(fid, cls, ladder)
            out = await self._ladders(uow, flight)
            await uow.commit()
        return next(x for x in out if x.cabin_class is cls)

    async def buckets(self, flight_id: str) -> list[CabinLadder]:
        fid = parse_flight_id(flight_id)
        async with self.db.uow() as uow:
            flight = await FlightRepository(uow.conn).get(fid)
            if flight is None:
                raise NotFound(f"no flight {flight_id}", field="flight_id")
            return await self._ladders(uow, flight)

    async def _ladders(self, uow: UnitOfWork, flight: Flight) -> list[CabinLadder]:
        repo = RevenueRepository(uow.conn)
        ladders = await repo.ladders([flight.id])
        now = utcnow()
        sold, claimed = await repo.taken_by_bucket([flight.id], now)
        out: list[CabinLadder] = []
        for c in flight.seats:
            ladder = ladders.get((flight.id, c.cabin_class.value), [])
            states = ladder_state(
                ladder,
                sold.get((flight.id, c.cabin_class.value), {}),
                c.capacity,
                c.sold,
                c.left,
                flight.estimated_departure,
                now,
                claimed.get((flight.id, c.cabin_class.value), {}),
            )
            out.append(CabinLadder(flight, c.cabin_class, tuple(states)))
        return out

    async def forget_expired_claims(self, older_than: timedelta = timedelta(hours=1)) -> int:
        """Drafts' claims expired a while ago (a periodic job): they count for nothing already,
        this only keeps the table small."""
        async with self.db.uow() as uow:
            n = await RevenueRepository(uow.conn).forget_expired_claims(utcnow() - older_than)
            await uow.commit()
        return n

    # -- taxes

    async def set_taxes(self, items: Sequence[Tax], remove: Sequence[Tax] = ()) -> list[Tax]:
        check_tax_batch(items)
        async with self.db.uow() as uow:
            repo = RevenueRepository(uow.conn)
            await repo.delete_taxes([(t.airport, t.passenger_type.value, t.code, t.applies_on) for t in remove])
            await repo.upsert_taxes(items)
            airports = {t.airport for t in [*items, *remove]}
            out = await repo.taxes(airports)
            await uow.commit()
        return out

    async def taxes(self, airport: str) -> list[Tax]:
        code = domain.airport_code(airport, "airport") if airport.strip() else None
        async with self.db.uow() as uow:
            return await RevenueRepository(uow.conn).taxes([code] if code else None)

    # -- the report

    async def report(self, start: datetime | None, end: datetime | None) -> dict[str, Any]:
        now = utcnow()
        first = start or (now - timedelta(days=7))
        last = end or (first + timedelta(days=14))
        if last <= first:
            raise ValidationFailed("`to` must be after `from`", field="to")
        if last - first > timedelta(days=MAX_REPORT_DAYS):
            raise ValidationFailed(f"at most {MAX_REPORT_DAYS} days per report", field="to")
        async with self.db.uow() as uow:
            repo = RevenueRepository(uow.conn)
            flights = await repo.flights_report(first, last, MAX_REPORT_ROWS)
            days = await repo.bookings_per_day(first, last)
        return revenue_report(first.astimezone(UTC), last.astimezone(UTC), flights, days)

    async def refresh_metrics(self, days_ahead: int = 7) -> None:
        """The gauges: flights departing from a day ago to `days_ahead` days ahead, and today's
        bookings."""
        now = utcnow()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        report = await self.report(now - timedelta(days=1), now + timedelta(days=days_ahead))
        async with self.db.uow() as uow:
            days = await RevenueRepository(uow.conn).bookings_per_day(today, today + timedelta(days=1))
        publish_report(report["flights"], sum(int(d.bookings) for d in days))


def revenue_report(start: datetime, end: datetime, flights: Sequence[Any], days: Sequence[Any]) -> dict[str, Any]:
    """The report's shape: one row per flight and cabin (a cabin sold in two currencies gives a
    revenue line per currency), the days, and totals per currency."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    totals: dict[str, int] = {}
    for r in flights:
        row = rows.setdefault(
            (r.id, r.cabin_class),
            {
                "flight_id": r.id,
                "number": r.number,
                "origin": r.origin,
                "destination": r.destination,
                "status": r.status,
                "scheduled_departure": r.scheduled_departure,
                "cabin_class": r.cabin_class,
                "capacity": r.capacity,
                "sold": r.sold,
                "sellable": int(r.sellable),
                "load_factor_percent": round(100 * r.sold / r.capacity, 1) if r.capacity else 0.0,
                "bookings": 0,
                "revenue": [],
            },
        )
        if r.currency is not None and int(r.revenue) >= 0 and int(r.bookings) > 0:
            row["bookings"] += int(r.bookings)
            row["revenue"].append({"currency": r.currency, "amount": int(r.revenue)})
            totals[r.currency] = totals.get(r.currency, 0) + int(r.revenue)
    return {
        "from": start,
        "to": end,
        "flights": list(rows.values()),
        "days": [
            {
                "day": d.day.isoformat(),
                "currency": d.currency,
                "bookings": int(d.bookings),
                "seats": int(d.seats),
                "revenue": int(d.revenue),
            }
            for d in days
        ],
        "totals": [{"currency": c, "amount": a} for c, a in sorted(totals.items())],
    }


async def record_sale_fares(
    uow: UnitOfWork, booking_id: str, cabin: CabinClass, moved: Sequence[str], seats: int, claims: dict[str, Any] | None
) -> None:
    """On a confirmed booking's sale (the seat ledger just took it, same transaction): the
    booking class each flight sold in and its fare revenue, from the offer the booking was made
    from (flights signed it). A booking without a readable offer sells outside any bucket."""
    if not moved:
        return
    legs: dict[str, tuple[str, int, str]] = {}
    if claims:
        try:
            offer = offer_from_claims(claims)
        except (KeyError, ValueError, TypeError):
            offer = None
        if offer is not None:
            for leg in offer.legs:
                if leg.flight_id in moved:
                    legs[leg.flight_id] = (leg.bucket, leg.revenue(offer.passengers), offer.price.currency)
    if legs:
        await RevenueRepository(uow.conn).mark_sale(booking_id, legs)
    for fid in moved:
        bucket, amount, cur = legs.get(fid, ("", 0, ""))
        observe_sale(cabin.value, bucket, seats, amount, cur)
