"""Tables of the checkin schema and the repository over them.

Codes are stored as an HMAC digest; a partial unique index keeps ACTIVE codes unique (a
revoked code's digest may come back). Sequence numbers come from one counter row per flight,
incremented with an upsert (the row lock serializes concurrent check-ins), and a unique
(flight_id, sequence) is the final guard. Boarding is a conditional UPDATE (status
checked_in -> boarded), so two scans of one pass board once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.platform.db import service_metadata

SCHEMA = "checkin"
metadata = service_metadata(SCHEMA)
_now = sa.func.now()

passengers = sa.Table(
    "passengers",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("passenger_id", sa.Text, primary_key=True),
    sa.Column("pnr", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("first_name", sa.Text, nullable=False),
    sa.Column("last_name", sa.Text, nullable=False),
    sa.Column("document_number", sa.Text, nullable=False, server_default=""),
    sa.Column("infant_of", sa.Text, nullable=False, server_default=""),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("phone", sa.Text, nullable=False, server_default=""),
    sa.Column("email", sa.Text, nullable=False, server_default=""),
    sa.Column("code_digest", sa.Text, nullable=False),
    sa.Column("last_departure", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    # from the booking, for the final manifest and the APIS export (empty when unknown)
    sa.Column("date_of_birth", sa.Text, nullable=False, server_default=""),
    sa.Column("document_type", sa.Text, nullable=False, server_default=""),
    sa.Column("document_country", sa.Text, nullable=False, server_default=""),
    sa.Column("document_expiry", sa.Text, nullable=False, server_default=""),
    sa.Column("meal", sa.Text, nullable=False, server_default=""),
    # the booking's total over its seated passengers and flights (minor units): the upgrade
    # list's priority (0 when unknown: confirmed before it was kept)
    sa.Column("fare_per_seat", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("fare_currency", sa.Text, nullable=False, server_default=""),
)
sa.Index(
    "passengers_active_code", passengers.c.code_digest, unique=True, postgresql_where=passengers.c.revoked_at.is_(None)
)
sa.Index("passengers_code", passengers.c.code_digest)

legs = sa.Table(
    "legs",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("passenger_id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("destination", sa.Text, nullable=False),
    sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=True),
    sa.Column("seat", sa.Text, nullable=False, server_default=""),
    sa.Column("e_ticket", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.Text, nullable=False, server_default="booked"),
    sa.Column("sequence", sa.Integer, nullable=True),
    sa.Column("pass_id", sa.Text, nullable=True, unique=True),
    sa.Column("bcbp", sa.Text, nullable=True),
    sa.Column("departure", sa.DateTime(timezone=True), nullable=True),
    sa.Column("gate", sa.Text, nullable=False, server_default=""),
    sa.Column("channel", sa.Text, nullable=False, server_default=""),
    sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("checked_in_by", sa.Text, nullable=False, server_default=""),
    sa.Column("boarded_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("boarded_by", sa.Text, nullable=False, server_default=""),
    # the flight number(s) the airline moved this leg's booking to (re-accommodation): the leg
    # is cancelled and its pass answers "replaced"
    sa.Column("replaced_by", sa.Text, nullable=True),
    # door close: who did not board is offloaded; a volunteer offered their seat at the gate
    sa.Column("offloaded_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("volunteer", sa.Boolean, nullable=False, server_default=sa.false()),
    # the upgrade list (upgrades.py): listed by an agent for the next cabin up; once cleared at
    # the gate the leg flies in `upgraded_cabin` (over the booking's cabin) from its old seat
    sa.Column("upgrade_requested_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("upgrade_requested_by", sa.Text, nullable=False, server_default=""),
    sa.Column("upgraded_cabin", sa.Text, nullable=True),
    sa.Column("upgraded_from_seat", sa.Text, nullable=False, server_default=""),
    sa.Column("upgraded_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["booking_id", "passenger_id"], ["passengers.booking_id", "passengers.passenger_id"]),
    sa.UniqueConstraint("flight_id", "sequence", name="legs_sequence_unique"),
    sa.CheckConstraint("status in ('booked','checked_in','boarded','offloaded','cancelled')", name="legs_status_known"),
)
sa.Index("legs_flight", legs.c.flight_id)

# What check-in knows of each booking from the booking service's events. Confirmed and
# cancelled arrive on different topics, so in any order: a cancellation seen first stays as a
# tombstone and a late confirmation does not revive the booking (no codes, no passes).
booking_states = sa.Table(
    "booking_states",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("state in ('confirmed','cancelled')", name="booking_states_state_known"),
)

# A seat change that arrived before its booking's confirmation: applied when it comes.
early_seats = sa.Table(
    "early_seats",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("passenger_id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("seat", sa.Text, nullable=False),
)

# A flight's door, closed once (after gate close): its row is the idempotence of CloseDoor.
flight_doors = sa.Table(
    "flight_doors",
    metadata,
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_by", sa.Text, nullable=False),
)

flight_sequences = sa.Table(
    "flight_sequences",
    metadata,
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("last", sa.Integer, nullable=False),
)


class CheckinRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- passengers and codes

    async def passenger(self, booking_id: str, passenger_id: str) -> Mapping[str, Any] | None:
        return (
            (
                await self.conn.execute(
                    sa.select(passengers).where(
                        passengers.c.booking_id == booking_id, passengers.c.passenger_id == passenger_id
                    )
                )
            )
            .mappings()
            .first()
        )

    async def add_passenger(self, values: dict[str, Any]) -> bool:
        """False when the row exists already or the code's digest is active for someone else."""
        row = (
            await self.conn.execute(
                insert(passengers).values(**values).on_conflict_do_nothing().returning(passengers.c.passenger_id)
            )
        ).first()
        return row is not None

    async def by_code(self, digest: str) -> list[Mapping[str, Any]]:
        """Active holder first, then revoked ones (newest first)."""
        return list(
            (
                await self.conn.execute(
                    sa.select(passengers)
                    .where(passengers.c.code_digest == digest)
                    .order_by(passengers.c.revoked_at.is_(None).desc(), passengers.c.created_at.desc())
                )
            ).mappings()
        )

    async def booking_passengers(self, booking_id: str) -> list[Mapping[str, Any]]:
        return list(
            (
                await self.conn.execute(
                    sa.select(passengers)
                    .where(passengers.c.booking_id == booking_id)
                    .order_by(passengers.c.passenger_id)
                )
            ).mappings()
        )

    async def update_passenger(self, booking_id: str, passenger_id: str, **values: Any) -> None:
        await self.conn.execute(
            passengers.update()
            .where(passengers.c.booking_id == booking_id, passengers.c.passenger_id == passenger_id)
            .values(**values)
        )

    # -- the booking's state (tombstones)

    async def confirm_booking(self, booking_id: str) -> str:
        """Records the confirmation unless a cancellation came first; returns the state now.
        Takes the row's lock, so a concurrent cancellation waits for this transaction."""
        stmt = insert(booking_states).values(booking_id=booking_id, state="confirmed")
        stmt = stmt.on_conflict_do_update(
            index_elements=[booking_states.c.booking_id],
            set_={
                "state": sa.case((booking_states.c.state == "cancelled", "cancelled"), else_="confirmed"),
                "updated_at": sa.func.now(),
            },
        )
        return str((await self.conn.execute(stmt.returning(booking_states.c.state))).scalar_one())

    async def cancel_booking(self, booking_id: str) -> None:
        stmt = insert(booking_states).values(booking_id=booking_id, state="cancelled")
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[booking_states.c.booking_id], set_={"state": "cancelled", "updated_at": sa.func.now()}
            )
        )

    async def booking_state(self, booking_id: str, *, share: bool = False) -> str | None:
        """None for a booking confirmed before states were kept (its passengers' rows tell)."""
        q = sa.select(booking_states.c.state).where(booking_states.c.booking_id == booking_id)
        if share:  # a cancellation (an update of this row) waits until the caller commits
            q = q.with_for_update(read=True)
        return (await self.conn.execute(q)).scalar()

    async def remember_early_seat(self, booking_id: str, passenger_id: str, flight_id: str, seat: str) -> None:
        stmt = insert(early_seats).values(
            booking_id=booking_id, passenger_id=passenger_id, flight_id=flight_id, seat=seat
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[early_seats.c.booking_id, early_seats.c.passenger_id, early_seats.c.flight_id],
                set_={"seat": seat},
            )
        )

    async def take_early_seats(self, booking_id: str) -> dict[tuple[str, str], str]:
        rows = (
            await self.conn.execute(
                early_seats.delete()
                .where(early_seats.c.booking_id == booking_id)
                .returning(early_seats.c.passenger_id, early_seats.c.flight_id, early_seats.c.seat)
            )
        ).all()
        return {(r.passenger_id, r.flight_id): r.seat for r in rows}

    async def revoke_booking(self, booking_id: str, now: datetime) -> int:
        await self.conn.execute(legs.update().where(legs.c.booking_id == booking_id).values(status="cancelled"))
        r = await self.conn.execute(
            passengers.update()
            .where(passengers.c.booking_id == booking_id, passengers.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return r.rowcount or 0

    # -- legs

    async def add_leg(self, values: dict[str, Any]) -> None:
        await self.conn.execute(insert(legs).values(**values).on_conflict_do_nothing())

    def _joined(self) -> sa.Select[Any]:
        return sa.select(
            legs,
            passengers.c.pnr,
            passengers.c.type,
            passengers.c.first_name,
            passengers.c.last_name,
            passengers.c.document_number,
            passengers.c.infant_of,
            # the leg's cabin: the booking's, unless the gate upgraded this leg
            sa.func.coalesce(legs.c.upgraded_cabin, passengers.c.cabin_class).label("cabin_class"),
            passengers.c.cabin_class.label("booked_cabin"),
            passengers.c.fare_per_seat,
            passengers.c.fare_currency,
            passengers.c.revoked_at,
            passengers.c.date_of_birth,
            passengers.c.document_type,
            passengers.c.document_country,
            passengers.c.document_expiry,
            passengers.c.meal,
        ).join(
            passengers,
            sa.and_(passengers.c.booking_id == legs.c.booking_id, passengers.c.passenger_id == legs.c.passenger_id),
        )

    async def legs_of(self, booking_id: str, passenger_id: str | None = None) -> list[Mapping[str, Any]]:
        q = self._joined().where(legs.c.booking_id == booking_id)
        if passenger_id is not None:
            q = q.where(legs.c.passenger_id == passenger_id)
        return list((await self.conn.execute(q.order_by(legs.c.scheduled_departure, legs.c.passenger_id))).mappings())

    async def leg(
        self, booking_id: str, passenger_id: str, flight_id: str, *, lock: bool = False
    ) -> Mapping[str, Any] | None:
        q = self._joined().where(
            legs.c.booking_id == booking_id, legs.c.passenger_id == passenger_id, legs.c.flight_id == flight_id
        )
        if lock:
            q = q.with_for_update(of=legs)
        return (await self.conn.execute(q)).mappings().first()

    async def leg_by_pass(self, pass_id: str) -> Mapping[str, Any] | None:
        return (await self.conn.execute(self._joined().where(legs.c.pass_id == pass_id))).mappings().first()

    async def legs_by_barcode(self, pnr: str, sequence: int, bcbp: str) -> list[Mapping[str, Any]]:
        return list(
            (
                await self.conn.execute(
                    self._joined().where(passengers.c.pnr == pnr, legs.c.sequence == sequence, legs.c.bcbp == bcbp)
                )
            ).mappings()
        )

    async def flight_legs(self, flight_id: str) -> list[Mapping[str, Any]]:
        return list(
            (
                await self.conn.execute(
                    self._joined()
                    .where(legs.c.flight_id == flight_id, legs.c.status != "cancelled")
                    .order_by(passengers.c.last_name, passengers.c.first_name, legs.c.passenger_id)
                )
            ).mappings()
        )

    async def next_sequence(self, flight_id: str) -> int:
        stmt = insert(flight_sequences).values(flight_id=flight_id, last=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[flight_sequences.c.flight_id], set_={"last": flight_sequences.c.last + 1}
        )
        return int((await self.conn.execute(stmt.returning(flight_sequences.c.last))).scalar_one())

    async def update_leg(self, booking_id: str, passenger_id: str, flight_id: str, **values: Any) -> None:
        await self.conn.execute(
            legs.update()
            .where(legs.c.booking_id == booking_id, legs.c.passenger_id == passenger_id, legs.c.flight_id == flight_id)
            .values(**values)
        )

    async def board(self, booking_id: str, passenger_id: str, flight_id: str, by: str, now: datetime) -> bool:
        """Only a checked-in passenger boards, once: the loser of two concurrent scans gets False."""
        r = await self.conn.execute(
            legs.update()
            .where(
                legs.c.booking_id == booking_id,
                legs.c.passenger_id == passenger_id,
                legs.c.flight_id == flight_id,
                legs.c.status == "checked_in",
            )
            .values(status="boarded", boarded_at=now, boarded_by=by)
            .returning(legs.c.flight_id)
        )
        return r.first() is not None

    # -- departure control

    async def door(self, flight_id: str) -> Mapping[str, Any] | None:
        q = sa.select(flight_doors).where(flight_doors.c.flight_id == flight_id)
        return (await self.conn.execute(q)).mappings().first()

    async def close_door(self, flight_id: str, by: str, now: datetime) -> Mapping[str, Any] | None:
        """The door's row, or None when another closing got there first (it is the only one)."""
        stmt = insert(flight_doors).values(flight_id=flight_id, closed_at=now, closed_by=by)
        row = await self.conn.execute(stmt.on_conflict_do_nothing().returning(*flight_doors.c))
        return row.mappings().first()

    async def offload_not_boarded(self, flight_id: str, now: datetime) -> list[tuple[str, str, str]]:
        """Every passenger of the flight who did not board (checked in or not) is offloaded:
        (booking, passenger, status before)."""
        before = (
            sa.select(legs.c.booking_id, legs.c.passenger_id, legs.c.status)
            .where(legs.c.flight_id == flight_id, legs.c.status.in_(["booked", "checked_in"]))
            .with_for_update()
        )
        rows = [(r.booking_id, r.passenger_id, r.status) for r in await self.conn.execute(before)]
        if rows:
            await self.conn.execute(
                legs.update()
                .where(legs.c.flight_id == flight_id, legs.c.status.in_(["booked", "checked_in"]))
                .values(status="offloaded", offloaded_at=now)
            )
        return rows

    async def set_volunteer(self, booking_id: str, passenger_id: str, flight_id: str, volunteer: bool) -> bool:
        r = await self.conn.execute(
            legs.update()
            .where(
                legs.c.booking_id == booking_id,
                legs.c.passenger_id == passenger_id,
                legs.c.flight_id == flight_id,
                legs.c.status.in_(["booked", "checked_in"]),
            )
            .values(volunteer=volunteer)
            .returning(legs.c.flight_id)
        )
        return r.first() is not None

    async def list_for_upgrade(
        self, booking_id: str, passenger_id: str, flight_id: str, by: str | None, now: datetime
    ) -> bool:
        """On (by someone) or off (None) the upgrade list; a passenger listed already keeps their
        place (the first request's time). Only while checked in and not yet upgraded."""
        where = (
            legs.c.booking_id == booking_id,
            legs.c.passenger_id == passenger_id,
            legs.c.flight_id == flight_id,
            legs.c.status == "checked_in",
            legs.c.upgraded_cabin.is_(None),
        )
        if by is None:
            values: dict[str, Any] = {"upgrade_requested_at": None, "upgrade_requested_by": ""}
        else:
            values = {
                "upgrade_requested_at": sa.func.coalesce(legs.c.upgrade_requested_at, now),
                "upgrade_requested_by": sa.case(
                    (legs.c.upgrade_requested_at.is_(None), by), else_=legs.c.upgrade_requested_by
                ),
            }
        r = await self.conn.execute(legs.update().where(*where).values(**values).returning(legs.c.flight_id))
        return r.first() is not None

    async def upgrade(
        self, booking_id: str, passenger_id: str, flight_id: str, cabin: str, seat: str, bcbp: str | None, now: datetime
    ) -> None:
        """The leg now flies in `cabin`, seat `seat`, as reservation has it (the seat before the
        first upgrade kept as where it came from: two clearings at once move it twice)."""
        first = legs.c.upgraded_cabin.is_(None)
        await self.conn.execute(
            legs.update()
            .where(legs.c.booking_id == booking_id, legs.c.passenger_id == passenger_id, legs.c.flight_id == flight_id)
            .values(
                upgraded_cabin=cabin,
                upgraded_from_seat=sa.case((first, legs.c.seat), else_=legs.c.upgraded_from_seat),
                upgraded_at=sa.case((first, now), else_=legs.c.upgraded_at),
                seat=seat,
                bcbp=bcbp,
            )
        )
