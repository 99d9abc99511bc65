"""The compensation claims of the booking schema (table `booking_compensations` in store.py):
insert once per (booking, passenger, flight), lock one to pay it, mark it paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking.store import compensations

PENDING, PAID = "pending", "paid"


@dataclass(frozen=True)
class Claim:
    id: str
    booking_id: str
    passenger_id: str
    flight_id: str
    flight_number: str
    reason: str
    explanation: str
    policy: str
    distance_km: float
    delay_minutes: int
    amount: int
    currency: str
    method: str
    state: str
    requested_by: str
    payment_id: str = ""
    reference: str = ""
    created_at: datetime | None = None
    paid_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.passenger_id, self.flight_id

    def row(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.__dict__.items()
            if k not in ("created_at", "paid_at") and not (k in ("payment_id", "reference") and not v)
        }


def _claim(r: Any) -> Claim:
    return Claim(**{c.name: getattr(r, c.name) for c in compensations.columns})


class CompensationRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def of_booking(self, booking_id: str) -> list[Claim]:
        q = (
            sa.select(compensations)
            .where(compensations.c.booking_id == booking_id)
            .order_by(compensations.c.flight_id, compensations.c.passenger_id)
        )
        return [_claim(r) for r in (await self.conn.execute(q)).all()]

    async def add_new(self, claims: list[Claim]) -> list[Claim]:
        """Inserts those not claimed yet (the others stand as they are); the ones inserted."""
        if not claims:
            return []
        q = (
            insert(compensations)
            .values([c.row() for c in claims])
            .on_conflict_do_nothing(constraint="booking_compensations_once")
            .returning(compensations)
        )
        return [_claim(r) for r in (await self.conn.execute(q)).all()]

    async def pending(self, older_than: datetime, limit: int = 100) -> list[Claim]:
        q = (
            sa.select(compensations)
            .where(compensations.c.state == PENDING, compensations.c.created_at < older_than)
            .order_by(compensations.c.created_at)
            .limit(limit)
        )
        return [_claim(r) for r in (await self.conn.execute(q)).all()]

    async def lock(self, claim_id: str) -> Claim | None:
        q = sa.select(compensations).where(compensations.c.id == claim_id).with_for_update()
        row = (await self.conn.execute(q)).first()
        return _claim(row) if row else None

    async def paid(self, claim_id: str, reference: str) -> None:
        await self.conn.execute(
            compensations.update()
            .where(compensations.c.id == claim_id, compensations.c.state == PENDING)
            .values(state=PAID, reference=reference, paid_at=sa.func.now())
        )

    async def drop(self, claim_id: str) -> None:
        """A pending claim whose payout was refused before any money moved: the passenger may
        claim again another way."""
        await self.conn.execute(
            compensations.delete().where(compensations.c.id == claim_id, compensations.c.state == PENDING)
        )
