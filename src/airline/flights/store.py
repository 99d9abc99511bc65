"""Tables of the flights schema and the repositories over them.

"No two flights at one gate at once" and "one flight number per local date" are decided by
PostgreSQL constraints, so they hold under any concurrency; the services turn their
violations into domain errors.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ExcludeConstraint, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.flights.domain import (
    HOLDS_GATE,
    CabinClass,
    CabinSeats,
    Fare,
    FareRules,
    Flight,
    FlightStatus,
    PassengerType,
    TripType,
)
from airline.platform.db import service_metadata

SCHEMA = "flights"
metadata = service_metadata(SCHEMA)

_now = sa.func.now()
GATE_TAKEN = "flights_gate_free"
NUMBER_TAKEN = "flights_number_per_local_date"
_STATUSES = ", ".join(f"'{s.value}'" for s in FlightStatus)
_HOLDING = ", ".join(f"'{s.value}'" for s in sorted(HOLDS_GATE))

flights = sa.Table(
    "flights",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("destination", sa.Text, nullable=False),
    sa.Column("origin_time_zone", sa.Text, nullable=False),
    sa.Column("destination_time_zone", sa.Text, nullable=False),
    sa.Column("origin_city", sa.Text, nullable=False, server_default=""),
    sa.Column("destination_city", sa.Text, nullable=False, server_default=""),
    sa.Column("plane_id", sa.Text, nullable=False),
    sa.Column("gate", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=False),
    sa.Column("scheduled_arrival", sa.DateTime(timezone=True), nullable=False),
    sa.Column("estimated_departure", sa.DateTime(timezone=True), nullable=False),
    sa.Column("estimated_arrival", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actual_departure", sa.DateTime(timezone=True), nullable=True),
    sa.Column("actual_arrival", sa.DateTime(timezone=True), nullable=True),
    sa.Column("boarding_starts", sa.DateTime(timezone=True), nullable=False),
    sa.Column("departure_local_date", sa.Date, nullable=False),
    sa.Column("diverted_to", sa.Text, nullable=False, server_default=""),
    sa.Column("delay_code", sa.Text, nullable=False, server_default=""),
    sa.Column("status_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("round_trip_id", sa.Text, nullable=False, server_default=""),
    sa.Column("schedule_id", sa.Text, nullable=False, server_default=""),
    # set when the flight no longer needs its plane but the airport has not confirmed the
    # release yet; the recovery job retries until it has
    sa.Column("plane_release_pending", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint(f"status in ({_STATUSES})", name="flights_status_known"),
    sa.CheckConstraint("origin <> destination", name="flights_route"),
    sa.CheckConstraint("scheduled_departure < scheduled_arrival", name="flights_scheduled_times"),
    sa.CheckConstraint("estimated_departure < estimated_arrival", name="flights_estimated_times"),
    sa.CheckConstraint("boarding_starts < estimated_departure", name="flights_boarding_before_departure"),
    # needs btree_gist (created by the migration) for the text equality parts
    ExcludeConstraint(
        ("origin", "="),
        ("gate", "="),
        (sa.func.tstzrange(sa.column("boarding_starts"), sa.column("estimated_departure")), "&&"),
        using="gist",
        name=GATE_TAKEN,
        where=sa.text(f"status IN ({_HOLDING})"),
    ),
    sa.Index(NUMBER_TAKEN, "number", "departure_local_date", unique=True,
             postgresql_where=sa.text("status <> 'cancelled'")),
    sa.Index("flights_route_date", "origin", "destination", "departure_local_date"),
    sa.Index("flights_origin_departure", "origin", "scheduled_departure"),
    sa.Index("flights_destination_arrival", "destination", "scheduled_arrival"),
    sa.Index("flights_pending", "created_at", postgresql_where=sa.text("status = 'pending' OR plane_release_pending")),
)

flight_cabins = sa.Table(
    "flight_cabins",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("capacity", sa.Integer, nullable=False),
    # seats of confirmed bookings, moved only through seat_ledger (one row per booking and
    # flight); may exceed capacity under overbooking, so it is not capped here
    sa.Column("sold", sa.Integer, nullable=False, server_default="0"),
    sa.Column("overbooking_percent", sa.Integer, nullable=False, server_default="0"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="flight_cabins_class_known"),
    sa.CheckConstraint("capacity >= 0 and sold >= 0", name="flight_cabins_not_negative"),
    sa.CheckConstraint("overbooking_percent between 0 and 20", name="flight_cabins_overbooking_range"),
)

# What each confirmed booking took on each flight: a booking moves `sold` once per flight,
# however often its events arrive.
seat_ledger = sa.Table(
    "seat_ledger",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("seats", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("seats >= 0", name="seat_ledger_seats_not_negative"),
    sa.Index("seat_ledger_flight", "flight_id"),
)

# Tombstones: a cancellation seen (perhaps before its confirmation, events come in any
# order) so that a late confirmation of a cancelled booking takes no seat.
cancelled_bookings = sa.Table(
    "cancelled_bookings",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

announcements = sa.Table(
    "announcements",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    sa.Column("flight_number", sa.Text, nullable=False),
    sa.Column("airport", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint(
        "kind in ('delay','cancellation','diversion','gate_change','boarding','go_to_gate','final_call','free_text')",
        name="announcements_kind_known",
    ),
    sa.Index("announcements_airport_created", "airport", "created_at"),
    sa.Index("announcements_flight_created", "flight_id", "created_at"),
)

fares = sa.Table(
    "fares",
    metadata,
    sa.Column("origin", sa.Text, primary_key=True),
    sa.Column("destination", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("passenger_type", sa.Text, primary_key=True),
    sa.Column("trip_type", sa.Text, primary_key=True),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("amount >= 0", name="fares_amount_not_negative"),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="fares_currency_iso"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="fares_class_known"),
    sa.CheckConstraint("passenger_type in ('adult','child','infant')", name="fares_passenger_type_known"),
    sa.CheckConstraint("trip_type in ('one_way','round_trip')", name="fares_trip_type_known"),
)

fare_rules = sa.Table(
    "fare_rules",
    metadata,
    sa.Column("origin", sa.Text, primary_key=True),
    sa.Column("destination", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("refundable", sa.Boolean, nullable=False),
    sa.Column("change_fee", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("checked_bags", sa.Integer, nullable=False),
    sa.Column("bag_weight_kg", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("no_show_refund", sa.Text, nullable=False, server_default="none"),
    sa.Column("taxes", sa.BigInteger, nullable=False, server_default="0"),
    sa.CheckConstraint("change_fee >= 0 and checked_bags >= 0 and bag_weight_kg >= 0", name="fare_rules_not_negative"),
    sa.CheckConstraint("no_show_refund in ('none','taxes')", name="fare_rules_no_show_refund_known"),
    sa.CheckConstraint("taxes >= 0", name="fare_rules_taxes_not_negative"),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="fare_rules_currency_iso"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="fare_rules_class_known"),
)



def _flight(row: Any, seats: Iterable[Any] = ()) -> Flight:
    return Flight(
        id=row.id,
        number=row.number,
        origin=row.origin,
        destination=row.destination,
        origin_time_zone=row.origin_time_zone,
        destination_time_zone=row.destination_time_zone,
        origin_city=row.origin_city,
        destination_city=row.destination_city,
        plane_id=row.plane_id,
        gate=row.gate,
        status=FlightStatus(row.status),
        scheduled_departure=row.scheduled_departure,
        scheduled_arrival=row.scheduled_arrival,
        estimated_departure=row.estimated_departure,
        estimated_arrival=row.estimated_arrival,
        actual_departure=row.actual_departure,
        actual_arrival=row.actual_arrival,
        boarding_starts=row.boarding_starts,
        departure_local_date=row.departure_local_date,
        seats=tuple(
            sorted(
                (CabinSeats(CabinClass(s.cabin_class), s.capacity, s.sold, s.overbooking_percent) for s in seats),
                key=lambda c: c.cabin_class is not CabinClass.VIP,
            )
        ),
        diverted_to=row.diverted_to,
        delay_code=row.delay_code,
        status_reason=row.status_reason,
        round_trip_id=row.round_trip_id,
        schedule_id=row.schedule_id,
        version=row.version,
        created_at=row.created_at,
    )


def _values(f: Flight) -> dict[str, Any]:
    return {
        "number": f.number,
        "origin": f.origin,
        "destination": f.destination,
        "origin_time_zone": f.origin_time_zone,
        "destination_time_zone": f.destination_time_zone,
        "origin_city": f.origin_city,
        "destination_city": f.destination_city,
        "plane_id": f.plane_id,
        "gate": f.gate,
        "status": f.status.value,
        "scheduled_departure": f.scheduled_departure,
        "scheduled_arrival": f.scheduled_arrival,
        "estimated_departure": f.estimated_departure,
        "estimated_arrival": f.estimated_arrival,
        "actual_departure": f.actual_departure,
        "actual_arrival": f.actual_arrival,
        "boarding_starts": f.boarding_starts,
        "departure_local_date": f.departure_local_date,
        "diverted_to": f.diverted_to,
        "delay_code": f.delay_code,
        "status_reason": f.status_reason,
        "round_trip_id": f.round_trip_id,
        "schedule_id": f.schedule_id,
        "version": f.version,
    }


_VISIBLE = flights.c.status != FlightStatus.PENDING.value
_HOLDS_GATE = flights.c.status.in_([s.value for s in HOLDS_GATE])


class FlightRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _with_seats(self, rows: Sequence[Any]) -> list[Flight]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        seats: dict[str, list[Any]] = {}
        for s in (await self.conn.execute(sa.select(flight_cabins).where(flight_cabins.c.flight_id.in_(ids)))).all():
            seats.setdefault(s.flight_id, []).append(s)
        return [_flight(r, seats.get(r.id, ())) for r in rows]

    async def add_all(self, items: Sequence[Flight]) -> None:
        """Insert; raises IntegrityError on a gate or number collision."""
        await self.conn.execute(flights.insert(), [{"id": f.id, **_values(f)} for f in items])
        cabins = [
            {"flight_id": f.id, "cabin_class": c.cabin_class.value, "capacity": c.capacity, "sold": c.sold,
             "overbooking_percent": c.overbooking_percent}
            for f in items
            for c in f.seats
        ]
        if cabins:
            await self.conn.execute(flight_cabins.insert(), cabins)

    async def get(self, flight_id: str, *, lock: bool = False, visible_only: bool = True) -> Flight | None:
        q = sa.select(flights).where(flights.c.id == flight_id)
        if visible_only:
            q = q.where(_VISIBLE)
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return (await self._with_seats([row]))[0] if row else None

    async def get_many(self, ids: Sequence[str]) -> dict[str, Flight]:
        rows = (await self.conn.execute(sa.select(flights).where(flights.c.id.in_(list(ids)), _VISIBLE))).all()
        return {f.id: f for f in await self._with_seats(rows)}

    async def save(self, f: Flight) -> Flight:
        """Write a changed flight (its version already bumped by the domain)."""
        values = _values(f)
        values["updated_at"] = _now
        row = (await self.conn.execute(
            flights.update().where(flights.c.id == f.id).values(**values).returning(*flights.c)
        )).one()
        return (await self._with_seats([row]))[0]

    async def mark_scheduled(self, ids: Sequence[str]) -> list[Flight]:
        rows = (await self.conn.execute(
            flights.update()
            .where(flights.c.id.in_(list(ids)), flights.c.status == FlightStatus.PENDING.value)
            .values(status=FlightStatus.SCHEDULED.value, updated_at=_now)
            .returning(*flights.c)
        )).all()
        return await self._with_seats(rows)

    async def delete_pending(self, ids: Sequence[str]) -> list[str]:
        rows = (await self.conn.execute(
            flights.delete()
            .where(flights.c.id.in_(list(ids)), flights.c.status == FlightStatus.PENDING.value)
            .returning(flights.c.id)
        )).all()
        return [r.id for r in rows]

    async def stale_pending(self, older_than: datetime, limit: int = 500) -> list[str]:
        q = (
            sa.select(flights.c.id)
            .where(flights.c.status == FlightStatus.PENDING.value, flights.c.created_at < older_than)
            .order_by(flights.c.created_at)
            .limit(limit)
        )
        return [r.id for r in (await self.conn.execute(q)).all()]

    async def release_pending(self, limit: int = 500) -> list[str]:
        q = sa.select(flights.c.id).where(flights.c.plane_release_pending).limit(limit)
        return [r.id for r in (await self.conn.execute(q)).all()]

    async def set_release_pending(self, ids: Sequence[str], pending: bool) -> None:
        if ids:
            await self.conn.execute(
                flights.update().where(flights.c.id.in_(list(ids))).values(plane_release_pending=pending)
            )

    async def gate_holders(
        self, origin: str, gate: str, start: datetime, end: datetime, exclude: Sequence[str] = ()
    ) -> list[Flight]:
        """Flights holding `gate` at `origin` at some time in [start, end)."""
        q = sa.select(flights).where(
            flights.c.origin == origin,
            flights.c.gate == gate,
            _HOLDS_GATE,
            flights.c.boarding_starts < end,
            flights.c.estimated_departure > start,
        ).order_by(flights.c.boarding_starts)
        if exclude:
            q = q.where(flights.c.id.not_in(list(exclude)))
        return await self._with_seats((await self.conn.execute(q)).all())

    async def numbers_taken(self, keys: Iterable[tuple[str, date]]) -> set[tuple[str, date]]:
        keys = list(keys)
        if not keys:
            return set()
        numbers = sorted({k[0] for k in keys})
        dates = sorted({k[1] for k in keys})
        q = sa.select(flights.c.number, flights.c.departure_local_date).where(
            flights.c.number.in_(numbers),
            flights.c.departure_local_date.in_(dates),
            flights.c.status != FlightStatus.CANCELLED.value,
        )
        found = {(r.number, r.departure_local_date) for r in (await self.conn.execute(q)).all()}
        return found & set(keys)

    async def list(
        self, *, airport: str | None, arrivals: bool, start: datetime | None, end: datetime | None,
        number: str | None, limit: int,
    ) -> list[Flight]:
        q = sa.select(flights).where(_VISIBLE)
        time_col = flights.c.scheduled_arrival if arrivals else flights.c.scheduled_departure
        if airport:
            q = q.where((flights.c.destination if arrivals else flights.c.origin) == airport)
        if number:
            q = q.where(flights.c.number == number)
        if start is not None:
            q = q.where(time_col >= start)
        if end is not None:
            q = q.where(time_col < end)
        q = q.order_by(time_col, flights.c.number).limit(limit)
        return await self._with_seats((await self.conn.execute(q)).all())

    async def sellable(
        self, origin: str, destination: str, first: date, last: date, cabin: CabinClass, seats: int,
        sales_close_after: datetime,
    ) -> list[Flight]:
        """Flights open for sale on a route and local dates with `seats` left in `cabin` (one
        query): departing after `sales_close_after` (now + the sales close)."""
        c = flight_cabins
        sellable_capacity = (c.c.capacity * (100 + c.c.overbooking_percent)) / 100  # integers: floor
        q = (
            sa.select(flights, c.c.cabin_class, c.c.capacity, c.c.sold, c.c.overbooking_percent)
            .join(c, sa.and_(c.c.flight_id == flights.c.id, c.c.cabin_class == cabin.value))
            .where(
                flights.c.origin == origin,
                flights.c.destination == destination,
                flights.c.departure_local_date.between(first, last),
                flights.c.status.in_([FlightStatus.SCHEDULED.value, FlightStatus.DELAYED.value]),
                flights.c.estimated_departure > sales_close_after,
                sellable_capacity - c.c.sold >= seats,
            )
            .order_by(flights.c.estimated_departure)
        )
        return [_flight(r, [r]) for r in (await self.conn.execute(q)).all()]

    async def set_overbooking(self, flight_id: str, cabin: CabinClass, percent: int) -> bool:
        row = (await self.conn.execute(
            flight_cabins.update()
            .where(flight_cabins.c.flight_id == flight_id, flight_cabins.c.cabin_class == cabin.value)
            .values(overbooking_percent=percent)
            .returning(flight_cabins.c.flight_id)
        )).first()
        return row is not None

    # -- the seat ledger (booking events)

    async def _lock_booking(self, booking_id: str) -> None:
        # a confirmation and a cancellation of one booking may be handled at once (two topics,
        # or two instances): one after the other
        await self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"seat-ledger:{booking_id}"))))

    async def record_sale(self, booking_id: str, cabin: CabinClass, flight_ids: Sequence[str], seats: int) -> list[str]:
        """A confirmed booking takes `seats` in `cabin` on each flight, once. Returns the
        flights whose `sold` moved (none when already recorded or the booking was cancelled)."""
        await self._lock_booking(booking_id)
        tomb = (await self.conn.execute(
            sa.select(cancelled_bookings.c.booking_id).where(cancelled_bookings.c.booking_id == booking_id)
        )).first()
        if tomb is not None or not flight_ids:
            return []
        rows = (await self.conn.execute(
            insert(seat_ledger)
            .values([{"booking_id": booking_id, "flight_id": fid, "cabin_class": cabin.value, "seats": seats}
                     for fid in dict.fromkeys(flight_ids)])
            .on_conflict_do_nothing()
            .returning(seat_ledger.c.flight_id)
        )).all()
        moved = [r.flight_id for r in rows]
        if moved and seats:
            await self.conn.execute(
                flight_cabins.update()
                .where(flight_cabins.c.flight_id.in_(moved), flight_cabins.c.cabin_class == cabin.value)
                .values(sold=flight_cabins.c.sold + seats)
            )
        return moved

    async def record_cancellation(self, booking_id: str) -> list[str]:
        """A cancelled booking gives back what it took (once) and leaves a tombstone so that a
        late or repeated confirmation takes nothing. Returns the flights whose `sold` moved."""
        await self._lock_booking(booking_id)
        await self.conn.execute(insert(cancelled_bookings).values(booking_id=booking_id).on_conflict_do_nothing())
        rows = (await self.conn.execute(
            seat_ledger.delete().where(seat_ledger.c.booking_id == booking_id)
            .returning(seat_ledger.c.flight_id, seat_ledger.c.cabin_class, seat_ledger.c.seats)
        )).all()
        for r in rows:
            await self.conn.execute(
                flight_cabins.update()
                .where(flight_cabins.c.flight_id == r.flight_id, flight_cabins.c.cabin_class == r.cabin_class)
                .values(sold=sa.func.greatest(0, flight_cabins.c.sold - r.seats))
            )
        return [r.flight_id for r in rows]

    # -- announcements

    async def add_announcement(self, values: dict[str, Any]) -> Any:
        return (await self.conn.execute(announcements.insert().values(**values).returning(*announcements.c))).one()

    async def announcements(
        self, airport: str | None, flight_id: str | None, since: datetime | None, limit: int
    ) -> list[Any]:
        q = sa.select(announcements)
        if airport:
            q = q.where(announcements.c.airport == airport)
        if flight_id:
            q = q.where(announcements.c.flight_id == flight_id)
        if since is not None:
            q = q.where(announcements.c.created_at >= since)
        q = q.order_by(announcements.c.created_at.desc(), announcements.c.id).limit(limit)
        return list((await self.conn.execute(q)).all())


def _fare(row: Any) -> Fare:
    return Fare(row.origin, row.destination, CabinClass(row.cabin_class), PassengerType(row.passenger_type),
                TripType(row.trip_type), row.amount, row.currency)


def _rules(row: Any) -> FareRules:
    return FareRules(row.origin, row.destination, CabinClass(row.cabin_class), row.refundable, row.change_fee,
                     row.currency, row.checked_bags, row.bag_weight_kg, row.no_show_refund, row.taxes)


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
        stmt = insert(fares).values([
            {"origin": f.origin, "destination": f.destination, "cabin_class": f.cabin_class.value,
             "passenger_type": f.passenger_type.value, "trip_type": f.trip_type.value, "amount": f.amount,
             "currency": f.currency}
            for f in items
        ])
        stmt = stmt.on_conflict_do_update(
            index_elements=[fares.c.origin, fares.c.destination, fares.c.cabin_class, fares.c.passenger_type,
                            fares.c.trip_type],
            set_={"amount": stmt.excluded.amount, "currency": stmt.excluded.currency, "updated_at": _now},
        )
        await self.conn.execute(stmt)

    async def upsert_rules(self, items: Sequence[FareRules]) -> None:
        if not items:
            return
        stmt = insert(fare_rules).values([
            {"origin": r.origin, "destination": r.destination, "cabin_class": r.cabin_class.value,
             "refundable": r.refundable, "change_fee": r.change_fee, "currency": r.currency,
             "checked_bags": r.checked_bags, "bag_weight_kg": r.bag_weight_kg,
             "no_show_refund": r.no_show_refund, "taxes": r.taxes}
            for r in items
        ])
        stmt = stmt.on_conflict_do_update(
            index_elements=[fare_rules.c.origin, fare_rules.c.destination, fare_rules.c.cabin_class],
            set_={k: stmt.excluded[k] for k in ("refundable", "change_fee", "currency", "checked_bags", "bag_weight_kg",
                                              "no_show_refund", "taxes")}
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
            sa.select(fares.c.origin, fares.c.destination, fares.c.cabin_class,
                      sa.func.min(fares.c.amount).label("lowest"))
            .where(sa.tuple_(fares.c.origin, fares.c.destination).in_(routes))
            .group_by(fares.c.origin, fares.c.destination, fares.c.cabin_class)
            .subquery()
        )
        q = sa.select(fare_rules.c.origin, fare_rules.c.destination, fare_rules.c.cabin_class, fare_rules.c.taxes,
                      lowest.c.lowest).join(lowest, sa.and_(
                          lowest.c.origin == fare_rules.c.origin, lowest.c.destination == fare_rules.c.destination,
                          lowest.c.cabin_class == fare_rules.c.cabin_class,
                      )).where(fare_rules.c.taxes > lowest.c.lowest)
        return [(r.origin, r.destination, r.cabin_class, r.taxes, r.lowest) for r in (await self.conn.execute(q)).all()]

    async def currencies(self, routes: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
        routes = list(set(routes))
        if not routes:
            return []
        out: list[tuple[str, str, str]] = []
        for table in (fares, fare_rules):
            q = sa.select(table.c.origin, table.c.destination, table.c.currency).distinct().where(
                sa.tuple_(table.c.origin, table.c.destination).in_(routes)
            )
            out += [(r.origin, r.destination, r.currency) for r in (await self.conn.execute(q)).all()]
        return out

    async def list(
        self, origin: str | None = None, destination: str | None = None,
        routes: Sequence[tuple[str, str]] | None = None, cabin: CabinClass | None = None,
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
