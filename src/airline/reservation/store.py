"""Tables of the reservation schema and the repository over them.

`seat_assignments` is the final guard of seat inventory: its primary key (flight, seat) makes
two assignments of one seat impossible and (flight, passenger) gives each passenger one seat,
whatever Redis (the holds) says or forgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.airport.domain import CabinClass
from airline.platform import flight_status
from airline.platform.db import service_metadata
from airline.reservation.domain import Assignment, FlightSeat, PassengerType

SCHEMA = "reservation"
metadata = service_metadata(SCHEMA)
_now = sa.func.now()

SEAT_TAKEN = "seat_assignments_pkey"
PASSENGER_SEATED = "seat_assignments_one_seat_per_passenger"
SEAT_GONE = "seat_assignments_seat_exists"  # an aircraft swap removed the seat
PLACE_TAKEN = "unseated_places_pkey"
PASSENGER_PLACED = "unseated_places_one_per_passenger"

flights = sa.Table(
    "flights",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("plane_id", sa.Text, nullable=True),  # unknown while only a cancellation was heard of
    sa.Column("cancelled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("seats_loaded", sa.Boolean, nullable=False, server_default=sa.false()),
    # A copy of the flight's status from the flights events (or asked for), newest version wins:
    # holds and seat changes follow it (platform/flight_status.py). Null until first heard of.
    sa.Column("number", sa.Text, nullable=True),
    sa.Column("status", sa.Text, nullable=True),
    sa.Column("departure", sa.DateTime(timezone=True), nullable=True),  # the expected (estimated) departure
    sa.Column("status_version", sa.BigInteger, nullable=True),
    # the flight version whose plane the seats come from (an aircraft swap reloads them once)
    sa.Column("plane_version", sa.BigInteger, nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

flight_seats = sa.Table(
    "flight_seats",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id"), primary_key=True),
    sa.Column("seat", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("row", sa.Integer, nullable=False),
    sa.Column("letter", sa.Text, nullable=False),
    sa.Column("position", sa.Text, nullable=False),
    sa.Column("exit_row", sa.Boolean, nullable=False),
    sa.Column("blocked", sa.Boolean, nullable=False),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="flight_seats_cabin_known"),
    sa.CheckConstraint("position in ('window','middle','aisle')", name="flight_seats_position_known"),
)

assignments = sa.Table(
    "seat_assignments",
    metadata,
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("seat", sa.Text, primary_key=True),
    sa.Column("passenger_ref", sa.Text, nullable=False),
    sa.Column("passenger_type", sa.Text, nullable=False),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("booking_ref", sa.Text, nullable=False),
    sa.Column("hold_id", sa.Text, nullable=True),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.PrimaryKeyConstraint("flight_id", "seat", name=SEAT_TAKEN),
    sa.UniqueConstraint("flight_id", "passenger_ref", name=PASSENGER_SEATED),
    sa.ForeignKeyConstraint(["flight_id", "seat"], ["flight_seats.flight_id", "flight_seats.seat"], name=SEAT_GONE),
    sa.CheckConstraint("passenger_type in ('adult','child')", name="seat_assignments_no_infant"),
    sa.Index("seat_assignments_hold", "hold_id"),
    sa.Index("seat_assignments_booking", "booking_ref"),
)

# Overbooking places sold (airport_places.py): a passenger confirmed past the cabin's seats, seated
# at the airport if a seat frees up. The primary key (flight, place) is the final guard of the
# allowance, as seat_assignments' is of the seats: a place label exists once per allowance unit.
unseated = sa.Table(
    "unseated_places",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id"), nullable=False),
    sa.Column("place", sa.Text, nullable=False),
    sa.Column("passenger_ref", sa.Text, nullable=False),
    sa.Column("passenger_type", sa.Text, nullable=False),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("booking_ref", sa.Text, nullable=False),
    sa.Column("hold_id", sa.Text, nullable=True),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.PrimaryKeyConstraint("flight_id", "place", name=PLACE_TAKEN),
    sa.UniqueConstraint("flight_id", "passenger_ref", name=PASSENGER_PLACED),
    sa.CheckConstraint("passenger_type in ('adult','child')", name="unseated_places_no_infant"),
    sa.Index("unseated_places_hold", "hold_id"),
    sa.Index("unseated_places_booking", "booking_ref"),
)

# Passengers an aircraft swap left without a seat (the new plane had no room for their party):
# reseated by the seat rules as soon as seats free up on the flight (reservation/plane_changes.py).
displaced = sa.Table(
    "displaced_passengers",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id"), nullable=False),
    sa.Column("passenger_ref", sa.Text, nullable=False),
    sa.Column("passenger_type", sa.Text, nullable=False),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("booking_ref", sa.Text, nullable=False),
    sa.Column("previous_seat", sa.Text, nullable=False, server_default=""),
    sa.Column("displaced_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.PrimaryKeyConstraint("flight_id", "passenger_ref", name="displaced_passengers_pkey"),
    sa.CheckConstraint("passenger_type in ('adult','child')", name="displaced_passengers_no_infant"),
    sa.Index("displaced_passengers_booking", "booking_ref"),
)


def _seat(row: Any) -> FlightSeat:
    return FlightSeat(
        row.seat, CabinClass(row.cabin_class), row.row, row.letter, row.position, row.exit_row, row.blocked
    )


def _assignment(row: Any) -> Assignment:
    return Assignment(
        row.flight_id,
        row.seat if "seat" in row._fields else row.place,
        row.passenger_ref,
        PassengerType(row.passenger_type),
        CabinClass(row.cabin_class),
        row.booking_ref,
        row.hold_id,
        row.assigned_at,
    )


class ReservationRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- flights and their seats

    async def flight(self, flight_id: str) -> Any | None:
        return (await self.conn.execute(sa.select(flights).where(flights.c.id == flight_id))).first()

    async def save_flight_seats(
        self, flight_id: str, plane_id: str, cancelled: bool, seats: Sequence[FlightSeat]
    ) -> None:
        """Record a flight and its seats once (a second load of the same flight changes nothing
        but the cancelled flag, which only ever turns on)."""
        await self.conn.execute(
            insert(flights)
            .values(id=flight_id, plane_id=plane_id, cancelled=cancelled, seats_loaded=False)
            .on_conflict_do_update(
                index_elements=[flights.c.id],
                set_={
                    "plane_id": sa.func.coalesce(flights.c.plane_id, plane_id),
                    "cancelled": flights.c.cancelled | cancelled,
                    "updated_at": _now,
                },
            )
        )
        loaded = (
            await self.conn.execute(
                sa.select(flights.c.seats_loaded).where(flights.c.id == flight_id).with_for_update()
            )
        ).scalar_one()
        if loaded:
            return
        if seats:
            await self.conn.execute(
                insert(flight_seats).on_conflict_do_nothing(),
                [
                    {
                        "flight_id": flight_id,
                        "seat": s.seat,
                        "cabin_class": s.cabin_class.value,
                        "row": s.row,
                        "letter": s.letter,
                        "position": s.position,
                        "exit_row": s.exit_row,
                        "blocked": s.blocked,
                    }
                    for s in seats
                ],
            )
        await self.conn.execute(flights.update().where(flights.c.id == flight_id).values(seats_loaded=True))

    async def save_status(
        self, flight_id: str, number: str, status: str, departure: datetime | None, version: int
    ) -> None:
        """Keep the newest status of a flight: an older or repeated event changes nothing, so
        events may arrive in any order, or twice. A cancellation is final."""
        values = {"number": number, "status": status, "departure": departure, "status_version": version}
        cancelled = flight_status.is_cancelled(status)
        await self.conn.execute(
            insert(flights)
            .values(id=flight_id, cancelled=cancelled, **values)
            .on_conflict_do_update(
                index_elements=[flights.c.id],
                set_={**values, "cancelled": flights.c.cancelled | cancelled, "updated_at": _now},
                where=flights.c.status_version.is_(None) | (flights.c.status_version < version),
            )
        )

    async def mark_cancelled(self, flight_id: str) -> None:
        await self.conn.execute(
            insert(flights)
            .values(id=flight_id, cancelled=True)
            .on_conflict_do_update(index_elements=[flights.c.id], set_={"cancelled": True, "updated_at": _now})
        )

    async def seats(self, flight_id: str) -> list[FlightSeat]:
        q = (
            sa.select(flight_seats)
            .where(flight_seats.c.flight_id == flight_id)
            .order_by(flight_seats.c.row, flight_seats.c.letter)
        )
        return [_seat(r) for r in (await self.conn.execute(q)).all()]

    # -- assignments

    async def taken(self, flight_id: str, seats: Iterable[str] | None = None) -> set[str]:
        q = sa.select(assignments.c.seat).where(assignments.c.flight_id == flight_id)
        if seats is not None:
            q = q.where(assignments.c.seat.in_(list(seats)))
        return set((await self.conn.execute(q)).scalars())

    async def add_assignments(self, rows: Sequence[Assignment]) -> list[Assignment]:
        """Insert; raises IntegrityError when a seat is taken or a passenger already seated."""
        return await self._insert(assignments, "seat", rows)

    async def taken_or_confirmed(self, flight_id: str, seats: Iterable[str], hold_id: str) -> tuple[set[str], bool]:
        """One statement for a new hold: which of `seats` are assigned already, and whether the
        hold id was confirmed before (its seats are someone's booking now)."""
        q = sa.select(assignments.c.seat, assignments.c.hold_id).where(
            sa.or_(
                sa.and_(assignments.c.flight_id == flight_id, assignments.c.seat.in_(list(seats))),
                assignments.c.hold_id == hold_id,
            )
        )
        rows = (await self.conn.execute(q)).all()
        confirmed = any(r.hold_id == hold_id for r in rows)
        return {r.seat for r in rows if r.hold_id != hold_id}, confirmed

    async def by_hold(self, hold_id: str) -> list[Assignment]:
        """What a confirmed hold made: seats, or overbooking places."""
        q = sa.select(assignments).where(assignments.c.hold_id == hold_id).order_by(assignments.c.seat)
        found = [_assignment(r) for r in (await self.conn.execute(q)).all()]
        q = sa.select(unseated).where(unseated.c.hold_id == hold_id).order_by(unseated.c.place)
        return found + [_assignment(r) for r in (await self.conn.execute(q)).all()]

    # -- overbooking places

    async def places_taken(self, flight_id: str, places: Iterable[str] | None = None) -> set[str]:
        q = sa.select(unseated.c.place).where(unseated.c.flight_id == flight_id)
        if places is not None:
            q = q.where(unseated.c.place.in_(list(places)))
        return set((await self.conn.execute(q)).scalars())

    async def add_places(self, rows: Sequence[Assignment]) -> list[Assignment]:
        """Insert; raises IntegrityError when a place is sold or a passenger already has one."""
        return await self._insert(unseated, "place", rows)

    async def _insert(self, table: sa.Table, label: str, rows: Sequence[Assignment]) -> list[Assignment]:
        """Seats and places are written alike; `label` names the column that holds `a.seat`."""
        result = await self.conn.execute(
            insert(table).returning(*table.c),
            [
                {
                    "flight_id": a.flight_id,
                    label: a.seat,
                    "passenger_ref": a.passenger_ref,
                    "passenger_type": a.passenger_type.value,
                    "cabin_class": a.cabin_class.value,
                    "booking_ref": a.booking_ref,
                    "hold_id": a.hold_id,
                }
                for a in rows
            ],
        )
        return sorted((_assignment(r) for r in result.all()), key=lambda a: a.seat)

    async def list(self, flight_id: str | None, booking_ref: str | None) -> list[Assignment]:
        q = sa.select(assignments).order_by(assignments.c.flight_id, assignments.c.seat)
        if flight_id:
            q = q.where(assignments.c.flight_id == flight_id)
        if booking_ref:
            q = q.where(assignments.c.booking_ref == booking_ref)
        return [_assignment(r) for r in (await self.conn.execute(q)).all()]

    async def remove_passengers(self, flight_id: str, passenger_refs: Sequence[str]) -> list[Assignment]:
        """Their seats and overbooking places on the flight (a seat given at check-in ends the place)."""
        refs = list(passenger_refs)
        stmt = (
            assignments.delete()
            .where(assignments.c.flight_id == flight_id, assignments.c.passenger_ref.in_(refs))
            .returning(*assignments.c)
        )
        places = (
            unseated.delete()
            .where(unseated.c.flight_id == flight_id, unseated.c.passenger_ref.in_(refs))
            .returning(*unseated.c)
        )
        found = [_assignment(r) for r in (await self.conn.execute(stmt)).all()]
        return found + [_assignment(r) for r in (await self.conn.execute(places)).all()]

    async def remove_booking(
        self, booking_ref: str, flight_id: str | None, passenger_refs: Sequence[str] = ()
    ) -> list[Assignment]:
        """The booking's seats and overbooking places (on one flight, of some passengers)."""
        found: list[Assignment] = []
        for table in (assignments, unseated):
            stmt = table.delete().where(table.c.booking_ref == booking_ref)
            if flight_id:
                stmt = stmt.where(table.c.flight_id == flight_id)
            if passenger_refs:
                stmt = stmt.where(table.c.passenger_ref.in_(list(passenger_refs)))
            found += [_assignment(r) for r in (await self.conn.execute(stmt.returning(*table.c))).all()]
        return found

    # -- aircraft swaps (plane_changes.py)

    async def lock_flight(self, flight_id: str) -> Any | None:
        q = sa.select(flights).where(flights.c.id == flight_id).with_for_update()
        return (await self.conn.execute(q)).first()

    async def set_plane(self, flight_id: str, plane_id: str, version: int) -> None:
        await self.conn.execute(
            flights.update()
            .where(flights.c.id == flight_id)
            .values(plane_id=plane_id, plane_version=version, updated_at=_now)
        )

    async def replace_seats(self, flight_id: str, seats: Sequence[FlightSeat]) -> None:
        """The flight's seats become `seats` (no assignment may be left on a seat that goes)."""
        labels = [s.seat for s in seats]
        await self.conn.execute(
            flight_seats.delete().where(flight_seats.c.flight_id == flight_id, flight_seats.c.seat.not_in(labels))
        )
        stmt = insert(flight_seats).values(
            [
                {
                    "flight_id": flight_id,
                    "seat": s.seat,
                    "cabin_class": s.cabin_class.value,
                    "row": s.row,
                    "letter": s.letter,
                    "position": s.position,
                    "exit_row": s.exit_row,
                    "blocked": s.blocked,
                }
                for s in seats
            ]
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[flight_seats.c.flight_id, flight_seats.c.seat],
                set_={k: stmt.excluded[k] for k in ("cabin_class", "row", "letter", "position", "exit_row", "blocked")},
            )
        )

    async def displaced_of(self, flight_id: str) -> list[Assignment]:
        """Who waits for a seat on the flight (`seat` is their former seat)."""
        q = sa.select(displaced).where(displaced.c.flight_id == flight_id).order_by(displaced.c.displaced_at)
        return [
            Assignment(
                r.flight_id,
                r.previous_seat,
                r.passenger_ref,
                PassengerType(r.passenger_type),
                CabinClass(r.cabin_class),
                r.booking_ref,
                None,
                r.displaced_at,
            )
            for r in (await self.conn.execute(q)).all()
        ]

    async def add_displaced(self, rows: Sequence[Assignment]) -> None:
        if rows:
            await self.conn.execute(
                insert(displaced).on_conflict_do_nothing(),
                [
                    {
                        "flight_id": a.flight_id,
                        "passenger_ref": a.passenger_ref,
                        "passenger_type": a.passenger_type.value,
                        "cabin_class": a.cabin_class.value,
                        "booking_ref": a.booking_ref,
                        "previous_seat": a.seat,
                    }
                    for a in rows
                ],
            )

    async def remove_displaced(self, flight_id: str, passenger_refs: Sequence[str] | None = None) -> None:
        stmt = displaced.delete().where(displaced.c.flight_id == flight_id)
        if passenger_refs is not None:
            stmt = stmt.where(displaced.c.passenger_ref.in_(list(passenger_refs)))
        await self.conn.execute(stmt)

    async def remove_displaced_booking(
        self, booking_ref: str, flight_id: str | None, passenger_refs: Sequence[str] = ()
    ) -> None:
        stmt = displaced.delete().where(displaced.c.booking_ref == booking_ref)
        if flight_id:
            stmt = stmt.where(displaced.c.flight_id == flight_id)
        if passenger_refs:
            stmt = stmt.where(displaced.c.passenger_ref.in_(list(passenger_refs)))
        await self.conn.execute(stmt)
