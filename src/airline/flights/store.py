"""The flight repository: flights and their cabins, the seat ledger the booking events move,
and the announcements. The tables are in `tables.py` (re-exported here, as are the fares'
repository and tables, for the callers that know them from here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.flights.domain import HOLDS_GATE, SELLING, CabinClass, CabinSeats, Flight, FlightStatus
from airline.flights.fare_store import FareRepository  # noqa: F401  (re-exported)
from airline.flights.tables import (  # noqa: F401  (re-exported)
    GATE_TAKEN,
    NUMBER_TAKEN,
    SCHEMA,
    announcements,
    cancelled_bookings,
    fare_rules,
    fares,
    flight_cabins,
    flights,
    metadata,
    seat_ledger,
    sellable_seats,
)
from airline.platform.db import any_of

_now = sa.func.now()


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
                (
                    CabinSeats(CabinClass(s.cabin_class), s.capacity, s.sold, s.overbooking_percent, s.show_up_rate_bp)
                    for s in seats
                ),
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
        cancelled_at=row.cancelled_at,
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
        "cancelled_at": f.cancelled_at,
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
        for s in (
            await self.conn.execute(sa.select(flight_cabins).where(any_of(flight_cabins.c.flight_id, ids)))
        ).all():
            seats.setdefault(s.flight_id, []).append(s)
        return [_flight(r, seats.get(r.id, ())) for r in rows]

    async def add_all(self, items: Sequence[Flight]) -> None:
        """Insert; raises IntegrityError on a gate or number collision."""
        await self.conn.execute(flights.insert(), [{"id": f.id, **_values(f)} for f in items])
        cabins = [
            {
                "flight_id": f.id,
                "cabin_class": c.cabin_class.value,
                "capacity": c.capacity,
                "sold": c.sold,
                "overbooking_percent": c.overbooking_percent,
                "show_up_rate_bp": c.show_up_rate_bp,
            }
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
        row = (
            await self.conn.execute(flights.update().where(flights.c.id == f.id).values(**values).returning(*flights.c))
        ).one()
        return (await self._with_seats([row]))[0]

    async def mark_scheduled(self, ids: Sequence[str]) -> list[Flight]:
        rows = (
            await self.conn.execute(
                flights.update()
                .where(flights.c.id.in_(list(ids)), flights.c.status == FlightStatus.PENDING.value)
                .values(status=FlightStatus.SCHEDULED.value, updated_at=_now)
                .returning(*flights.c)
            )
        ).all()
        return await self._with_seats(rows)

    async def delete_pending(self, ids: Sequence[str]) -> list[str]:
        rows = (
            await self.conn.execute(
                flights.delete()
                .where(flights.c.id.in_(list(ids)), flights.c.status == FlightStatus.PENDING.value)
                .returning(flights.c.id)
            )
        ).all()
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
        q = (
            sa.select(flights)
            .where(
                flights.c.origin == origin,
                flights.c.gate == gate,
                _HOLDS_GATE,
                flights.c.boarding_starts < end,
                flights.c.estimated_departure > start,
            )
            .order_by(flights.c.boarding_starts)
        )
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
        self,
        *,
        airport: str | None,
        arrivals: bool,
        start: datetime | None,
        end: datetime | None,
        number: str | None,
        limit: int,
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
        self,
        origin: str,
        destination: str,
        first: date,
        last: date,
        cabin: CabinClass,
        seats: int,
        sales_close_after: datetime,
    ) -> list[Flight]:
        """Flights open for sale on a route and local dates with `seats` left in `cabin` (one
        query): departing after `sales_close_after` (now + the sales close)."""
        c = flight_cabins
        q = (
            sa.select(flights, c.c.cabin_class, c.c.capacity, c.c.sold, c.c.overbooking_percent, c.c.show_up_rate_bp)
            .join(c, sa.and_(c.c.flight_id == flights.c.id, c.c.cabin_class == cabin.value))
            .where(
                flights.c.origin == origin,
                flights.c.destination == destination,
                flights.c.departure_local_date.between(first, last),
                flights.c.status.in_(sorted(s.value for s in SELLING)),
                flights.c.estimated_departure > sales_close_after,
                sellable_seats(c) - c.c.sold >= seats,
            )
            .order_by(flights.c.estimated_departure)
        )
        return [_flight(r, [r]) for r in (await self.conn.execute(q)).all()]

    async def set_cabins(self, f: Flight) -> None:
        """Size the flight's cabins as `f` says (an aircraft swap): capacity only, what was sold
        and the overbooking policy stay."""
        stmt = insert(flight_cabins).values(
            [
                {
                    "flight_id": f.id,
                    "cabin_class": c.cabin_class.value,
                    "capacity": c.capacity,
                    "sold": c.sold,
                    "overbooking_percent": c.overbooking_percent,
                }
                for c in f.seats
            ]
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[flight_cabins.c.flight_id, flight_cabins.c.cabin_class],
                set_={"capacity": stmt.excluded.capacity},
            )
        )

    async def set_overbooking(self, flight_id: str, cabin: CabinClass, percent: int, show_up_bp: int = 0) -> bool:
        row = (
            await self.conn.execute(
                flight_cabins.update()
                .where(flight_cabins.c.flight_id == flight_id, flight_cabins.c.cabin_class == cabin.value)
                .values(overbooking_percent=percent, show_up_rate_bp=show_up_bp)
                .returning(flight_cabins.c.flight_id)
            )
        ).first()
        return row is not None

    # -- the seat ledger (booking events)

    async def _lock_booking(self, booking_id: str) -> None:
        # a confirmation and a cancellation of one booking may be handled at once (two topics,
        # or two instances): one after the other
        await self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"seat-ledger:{booking_id}"))))

    async def _locked_cancelled(self, booking_id: str) -> bool:
        """Takes the booking's lock; whether its cancellation was recorded (a tombstone)."""
        await self._lock_booking(booking_id)
        tomb = (
            await self.conn.execute(
                sa.select(cancelled_bookings.c.booking_id).where(cancelled_bookings.c.booking_id == booking_id)
            )
        ).first()
        return tomb is not None

    async def record_sale(self, booking_id: str, cabin: CabinClass, flight_ids: Sequence[str], seats: int) -> list[str]:
        """A confirmed booking takes `seats` in `cabin` on each flight, once. Returns the
        flights whose `sold` moved (none when already recorded or the booking was cancelled)."""
        if await self._locked_cancelled(booking_id) or not flight_ids:
            return []
        rows = (
            await self.conn.execute(
                insert(seat_ledger)
                .values(
                    [
                        {"booking_id": booking_id, "flight_id": fid, "cabin_class": cabin.value, "seats": seats}
                        for fid in dict.fromkeys(flight_ids)
                    ]
                )
                .on_conflict_do_nothing()
                .returning(seat_ledger.c.flight_id)
            )
        ).all()
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
        rows = (
            await self.conn.execute(
                seat_ledger.delete()
                .where(seat_ledger.c.booking_id == booking_id)
                .returning(seat_ledger.c.flight_id, seat_ledger.c.cabin_class, seat_ledger.c.seats)
            )
        ).all()
        for r in rows:
            await self.conn.execute(
                flight_cabins.update()
                .where(flight_cabins.c.flight_id == r.flight_id, flight_cabins.c.cabin_class == r.cabin_class)
                .values(sold=sa.func.greatest(0, flight_cabins.c.sold - r.seats))
            )
        return [r.flight_id for r in rows]

    async def record_passengers_cancelled(self, booking_id: str, seats: int) -> list[str] | None:
        """Passengers of a confirmed booking cancelled alone give back their `seats` on each of
        its flights. None when the booking's sale is not recorded yet (its confirmation comes
        on another topic); [] when the booking was cancelled whole."""
        if await self._locked_cancelled(booking_id):
            return []
        rows = (
            await self.conn.execute(
                seat_ledger.update()
                .where(seat_ledger.c.booking_id == booking_id, seat_ledger.c.seats > 0)
                .values(seats=sa.func.greatest(0, seat_ledger.c.seats - seats))
                .returning(seat_ledger.c.flight_id, seat_ledger.c.cabin_class)
            )
        ).all()
        if not rows:
            return None
        for r in rows:
            await self.conn.execute(
                flight_cabins.update()
                .where(flight_cabins.c.flight_id == r.flight_id, flight_cabins.c.cabin_class == r.cabin_class)
                .values(sold=sa.func.greatest(0, flight_cabins.c.sold - seats))
            )
        return [r.flight_id for r in rows]

    async def record_move(
        self, booking_id: str, cabin: CabinClass, flight_ids: Sequence[str], left: Sequence[str], seats: int
    ) -> list[str]:
        """A confirmed booking the airline moved (re-accommodation): it takes `seats` in `cabin`
        on each of `flight_ids` (the whole booking after the move) and gives back what it took on
        the flights it `left`. A flight left keeps a ledger row of 0 seats, so a confirmation
        heard late does not take seats there again; a repeat finds the ledger as it leaves it
        and moves nothing. Returns the flights whose `sold` moved."""
        if await self._locked_cancelled(booking_id):
            return []
        wanted = {fid: (cabin.value, seats) for fid in flight_ids}
        wanted.update({fid: (cabin.value, 0) for fid in left if fid not in wanted})
        rows = (
            await self.conn.execute(
                sa.select(seat_ledger).where(
                    seat_ledger.c.booking_id == booking_id, seat_ledger.c.flight_id.in_(list(wanted))
                )
            )
        ).all()
        had = {r.flight_id: (r.cabin_class, r.seats) for r in rows}
        moved: list[str] = []
        for fid, (cls, n) in wanted.items():
            before = had.get(fid)
            if before == (cls, n) or (before is not None and before[1] == 0 and n == 0):
                continue
            if before is None:
                await self.conn.execute(
                    insert(seat_ledger).values(booking_id=booking_id, flight_id=fid, cabin_class=cls, seats=n)
                )
            else:
                await self.conn.execute(
                    seat_ledger.update()
                    .where(seat_ledger.c.booking_id == booking_id, seat_ledger.c.flight_id == fid)
                    .values(cabin_class=cls, seats=n)
                )
                await self._add_sold(fid, before[0], -before[1])
            await self._add_sold(fid, cls, n)
            if n or (before and before[1]):
                moved.append(fid)
        return moved

    async def _add_sold(self, flight_id: str, cabin_class: str, seats: int) -> None:
        if seats:
            await self.conn.execute(
                flight_cabins.update()
                .where(flight_cabins.c.flight_id == flight_id, flight_cabins.c.cabin_class == cabin_class)
                .values(sold=sa.func.greatest(0, flight_cabins.c.sold + seats))
            )

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
