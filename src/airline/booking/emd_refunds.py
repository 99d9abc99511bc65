"""Refunds per EMD (the paid ancillaries' documents, ancillaries_store.emds): each EMD's refund is
decided once, by whichever cancellation reaches it first, and recorded on its row (`refunded`,
`refund_key`) with the purchase's `refunded` kept the sum of its EMDs'.

- A passenger cancelled alone (passenger_changes_service): the EMDs of the leaving passengers
  (they and a lap infant leaving with them) are decided in the same transaction as the
  passenger's cancellation, under the booking's row lock, by ancillaries.refund_on_cancel
  (in_full=False, the leg's fare deciding refundable, no_show from the booking); then each is
  refunded to its purchase's payment under `booking-<id>-emd-<number>-cancel`, a call the
  cancellation's `finish` repeats until the cancellation is done (payment de-duplicates by key).
- The whole booking cancelled (manage.finish_cancel): per purchase, the EMDs not decided yet,
  by the same rule, in one refund under `booking-<id>-ancillaries-<purchase>-cancel` (the key of
  old) when nothing of the purchase was refunded before, else `...-cancel-rest`; then recorded.
  Never more than the purchase charged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking import ancillaries as rules
from airline.booking import ancillaries_store as store
from airline.booking.ancillaries_store import emds, purchases
from airline.booking.context import Context
from airline.booking.domain import Booking
from airline.platform import flight_status
from airline.platform.db import ServiceDatabase, utcnow

# --- pure


def passenger_key(booking_id: str, number: str) -> str:
    return f"booking-{booking_id}-emd-{number}-cancel"


def booking_key(booking_id: str, purchase_id: str, refunded_before: int) -> str:
    """The booking cancellation's key for a purchase: the old one when nothing of it was refunded
    before (a retry finds the same refund), another for the rest of a purchase partly refunded."""
    rest = "-rest" if refunded_before > 0 else ""
    return f"booking-{booking_id}-ancillaries-{purchase_id}-cancel{rest}"


def capped(dues: Sequence[int], room: int) -> list[int]:
    """The dues in order, their sum never above `room` (what the purchase has left to refund)."""
    out, left = [], max(0, room)
    for due in dues:
        part = min(max(0, due), left)
        out.append(part)
        left -= part
    return out


def due(row: dict[str, Any], b: Booking, now: datetime, *, in_full: bool) -> int:
    """What cancelling gives back of one EMD row (ancillaries.refund_on_cancel)."""
    leg = b.leg(row["flight_id"])
    flown = leg is not None and flight_status.flown(leg.status, leg.departure, now)
    refundable = leg is not None and leg.rules.refundable
    return rules.refund_on_cancel(
        int(row["amount"]), flown=flown, in_full=in_full, refundable=refundable, no_show=b.payment.no_show
    )


# --- the records


async def _record(conn: AsyncConnection, purchase_id: str, decided: dict[str, tuple[int, str]]) -> None:
    """Each EMD not decided yet decided (number -> (refunded, key)); the purchase's sum kept."""
    for number, (amount, key) in decided.items():
        await conn.execute(
            emds.update()
            .where(emds.c.number == number, emds.c.refund_key == "")
            .values(refunded=amount, refund_key=key)
        )
    total = sa.select(sa.func.coalesce(sa.func.sum(emds.c.refunded), 0)).where(emds.c.purchase_id == purchase_id)
    await conn.execute(
        purchases.update()
        .where(purchases.c.id == purchase_id)
        .values(refunded=total.scalar_subquery(), updated_at=sa.func.now())
    )


async def decide_for_passengers(conn: AsyncConnection, b: Booking, leaving: Collection[str]) -> int:
    """In the passenger's decision transaction (the booking's row locked): the leaving
    passengers' EMDs not decided yet, decided and recorded; gives what they refund."""
    q = (
        sa.select(emds, purchases.c.charged, purchases.c.refunded.label("purchase_refunded"))
        .join(purchases, purchases.c.id == emds.c.purchase_id)
        .where(
            emds.c.booking_id == b.id,
            emds.c.passenger_id.in_(list(leaving)),
            emds.c.refund_key == "",
            purchases.c.state == "bought",
            purchases.c.payment_id != "",
        )
        .order_by(emds.c.purchase_id, emds.c.number)
        .with_for_update(of=purchases)
    )
    rows = [dict(r) for r in (await conn.execute(q)).mappings()]
    now, total = utcnow(), 0
    for pid in dict.fromkeys(r["purchase_id"] for r in rows):
        mine = [r for r in rows if r["purchase_id"] == pid]
        room = int(mine[0]["charged"]) - int(mine[0]["purchase_refunded"])
        parts = capped([due(r, b, now, in_full=False) for r in mine], room)
        await _record(conn, pid, {r["number"]: (a, passenger_key(b.id, r["number"])) for r, a in zip(mine, parts)})
        total += sum(parts)
    return total


async def pay_passengers(ctx: Context, db: ServiceDatabase, bid: str, leaving: Collection[str], reason: str) -> int:
    """The leaving passengers' EMD refunds decided by their cancellation, each paid (again: the
    same key and amount, so payment refunds once); gives their sum."""
    q = (
        sa.select(emds.c.number, emds.c.refunded, emds.c.refund_key, purchases.c.payment_id)
        .join(purchases, purchases.c.id == emds.c.purchase_id)
        .where(emds.c.booking_id == bid, emds.c.passenger_id.in_(list(leaving)), emds.c.refunded > 0)
        .order_by(emds.c.number)
    )
    async with db.engine.connect() as conn:
        rows = list((await conn.execute(q)).mappings())
    total = 0
    for r in rows:
        if r["refund_key"] != passenger_key(bid, r["number"]):
            continue  # decided by the booking's cancellation, paid there
        await ctx.ports.payment.refund(r["payment_id"], int(r["refunded"]), reason, r["refund_key"])
        total += int(r["refunded"])
    return total


async def refund_on_cancel(ctx: Context, db: ServiceDatabase | None, b: Booking, in_full: bool) -> int:
    """The whole booking cancelled: refunds per purchase what its EMDs not decided yet give back
    (manage.py calls it with the changes' refunds); gives all the purchases have refunded."""
    if db is None:
        return 0
    bought, rows = await store.read(db, b.id)
    now, total = utcnow(), 0
    for p in bought:
        open_ = [r for r in rows if r["purchase_id"] == p.id and not r["refund_key"]]
        if not p.payment_id or not open_:
            total += p.refunded
            continue
        parts = capped([due(r, b, now, in_full=in_full) for r in open_], p.charged - p.refunded)
        key = booking_key(b.id, p.id, p.refunded)
        if sum(parts) > 0:
            await ctx.ports.payment.refund(p.payment_id, sum(parts), b.cancel_reason or "booking cancelled", key)
        async with db.uow() as uow:
            await _record(uow.conn, p.id, {r["number"]: (a, key) for r, a in zip(open_, parts)})
            await uow.commit()
        async with db.engine.connect() as conn:
            done = await conn.execute(sa.select(purchases.c.refunded).where(purchases.c.id == p.id))
            total += int(done.scalar_one())
    return total
