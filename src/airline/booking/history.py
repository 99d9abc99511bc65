"""A booking's history: every step with who did it and why (issue 15, the customer-service desk).

One row per step in `booking.booking_history`, written IN THE TRANSACTION of the change (a
rolled-back change leaves no step behind), from three places that see every change:

- every event the booking writes about one booking (the database's emit hook, `on_event`):
  kind = the event's name (BookingConfirmed -> "confirmed"; an event not mapped
  here yet is named after its topic, so a new event shows up before its wording exists);
- the repository's writes of the booking itself (`on_created`, `on_saved`): what no event
  tells (the draft's passengers, seats and luggage, payment started / declined / captured,
  refunds), from the difference between the booking as read and as saved;
- explicit steps (`record`): a compensation claimed.

The actor is the caller (`current_principal`): a role and a subject; a call without a token is
a guest (manage token, PNR + last name); no call at all is the system (a consumer, a job). The
reason is the staff's `X-Airline-Reason` (platform/reason.py), else the passenger's own cancel
reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.booking.context import Access, Context
from airline.booking.domain import Booking, State
from airline.booking.events import confirmed_payload
from airline.booking.store import BookingRepository, metadata
from airline.contracts.events import booking as booking_events
from airline.platform.auth import Role, current_principal
from airline.platform.db import ServiceDatabase
from airline.platform.errors import Conflict, NotFound
from airline.platform.reason import current_reason, current_rpc

history = sa.Table(
    "booking_history",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("booking_id", sa.Text, nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.clock_timestamp()),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("actor_role", sa.Text, nullable=False),
    sa.Column("actor_subject", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("details", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
)

DOMAIN_PREFIX = "booking."
# the booking's events (topic name without domain and version) -> the history's kind
KIND_OF_EVENT = {
    "booking_confirmed": "confirmed",
    "booking_cancelled": "cancelled",
    "booking_expired": "expired",
    "seat_changed": "seat_changed",
    "passengers_notified": "message_sent",
    "booking_reaccommodated": "reaccommodated",
    "passenger_cancelled": "passenger_cancelled",
    "passenger_renamed": "name_corrected",
    "booking_changed": "flights_changed",
    "confirmation_resent": "confirmation_resent",
    "ancillaries_purchased": "ancillaries_purchased",
}
# payload fields never copied into an entry's details (large, or personal beyond the step)
_LEFT_OUT = frozenset({"passengers", "contact", "email", "phone", "bags", "meals", "document", "flight_change"})


def _money(details: dict[str, Any], key: str = "amount") -> str:
    amount = int(details.get(key) or 0)
    return f"{details.get('currency', '')} {amount / 100:,.2f}".strip()


def _pax(d: dict[str, Any]) -> str:
    return str(d.get("passenger_id") or "a passenger")


SUMMARIES: dict[str, Callable[[dict[str, Any]], str]] = {
    "created": lambda d: f"Booking started from an offer ({d.get('trip_type', '')}, {d.get('cabin_class', '')}).",
    "passengers_set": lambda d: f"Passenger details given ({d.get('count', 0)} passengers).",
    "seats_selected": lambda d: f"Seats chosen on flight {d.get('number') or d.get('flight_id', '')}.",
    "luggage_set": lambda d: f"Extra luggage set ({_money(d)}).",
    "draft_kept": lambda d: f"Seats kept longer, until {d.get('expires_at', '')}.",
    "payment_started": lambda d: f"Payment of {_money(d)} started (attempt {d.get('attempt', 1)}).",
    "payment_action_required": lambda d: "The card issuer asked for 3-D Secure authentication.",
    "payment_declined": lambda d: f"The payment did not go through ({d.get('step', 'declined')}).",
    "payment_captured": lambda d: f"Payment of {_money(d)} captured.",
    "confirmed": lambda d: f"Booking confirmed with reference {d.get('pnr', '')}; e-tickets issued.",
    "refunded": lambda d: f"{_money(d)} refunded to the card.",
    "payment_refunded": lambda d: f"{_money(d)} refunded by hand on payment {d.get('payment_id', '')}.",
    "cancelled": lambda d: f"Booking cancelled; {_money(d, 'refunded_amount')} refunded in total.",
    "expired": lambda d: "The unpaid booking expired.",
    "seat_changed": lambda d: f"{_pax(d)} moved from seat {d.get('old_seat') or '-'} to {d.get('new_seat', '')}.",
    "reaccommodated": lambda d: "Booking moved to other flights after a disruption.",
    "compensation_claimed": lambda d: f"Compensation of {_money(d)} claimed as {d.get('method', '')}.",
    "message_sent": lambda d: f"Message sent to the booking's contact: {str(d.get('message', ''))[:200]}",
    "confirmation_resent": lambda d: "Booking confirmation sent again to the booking's contact.",
    "passenger_cancelled": lambda d: f"Passenger {_pax(d)} cancelled; {_money(d, 'refunded_amount')} refunded.",
    "emds_refunded": lambda d: f"Ancillaries (EMDs) of passenger {_pax(d)} refunded: {_money(d)}.",
    "name_corrected": lambda d: (
        f"Name of passenger {_pax(d)} corrected to {d.get('first_name', '')} {d.get('last_name', '')}; "
        "new e-tickets issued."
    ),
    "flights_changed": lambda d: f"Flights changed ({_money(d, 'total_paid')} paid); new e-tickets issued.",
    "ancillaries_purchased": lambda d: (
        f"Ancillaries bought: {', '.join(str(i.get('kind', '')) for i in d.get('items', []))} "
        f"({_money(d, 'total')} paid); EMDs {', '.join(str(i.get('emd_number', '')) for i in d.get('items', []))}."
    ),
}


def summary(kind: str, details: dict[str, Any]) -> str:
    words = SUMMARIES.get(kind)
    if words is None:
        return f"{kind.replace('_', ' ').capitalize()}."
    try:
        return words(details)
    except (TypeError, ValueError):  # a payload of another shape: the kind still says what happened
        return f"{kind.replace('_', ' ').capitalize()}."


def actor() -> tuple[str, str]:
    principal = current_principal.get()
    if principal is not None:
        return principal.role.value, principal.subject
    if current_rpc.get():
        return "guest", "manage token or PNR"  # a call without a token reaches a booking by its token or PNR
    return "system", "booking"


async def record(conn: AsyncConnection, booking_id: str, kind: str, details: dict[str, Any], reason: str = "") -> None:
    """One step of `booking_id`, in the caller's transaction."""
    role, subject = actor()
    await conn.execute(
        history.insert().values(
            booking_id=booking_id,
            kind=kind,
            summary=summary(kind, details),
            actor_role=role,
            actor_subject=subject,
            reason=current_reason.get() or reason or None,
            details=details,
        )
    )


def kind_of(topic: str) -> str:
    name = topic.removeprefix(DOMAIN_PREFIX).rsplit(".v", 1)[0]
    return KIND_OF_EVENT.get(name, name)


async def on_event(conn: AsyncConnection, topic: str, key: str, payload: dict[str, Any]) -> None:
    """The database's emit hook: an event about one booking becomes one step of its history."""
    booking_id = payload.get("booking_id")
    if not topic.startswith(DOMAIN_PREFIX) or not isinstance(booking_id, str) or not booking_id:
        return
    details = {k: v for k, v in payload.items() if k not in _LEFT_OUT}
    if "email" in payload or "phone" in payload:
        details["channels"] = [c for c, v in (("email", payload.get("email")), ("sms", payload.get("phone"))) if v]
    why = payload.get("reason") if isinstance(payload.get("reason"), str) else ""
    await record(conn, booking_id, kind_of(topic), details, why or "")


async def on_created(conn: AsyncConnection, row: dict[str, Any], numbers: list[str]) -> None:
    keys = ("offer_id", "trip_type", "cabin_class", "adults", "children", "infants", "currency", "fare_total")
    await record(conn, row["id"], "created", {**{k: row.get(k) for k in keys}, "flights": numbers})


async def on_saved(
    conn: AsyncConnection, before: dict[str, Any], after: dict[str, Any], numbers: dict[str, str]
) -> None:
    """What the booking's own columns say happened between `before` and `after` (stored rows),
    and no event tells: the draft, the payment's steps, refunds."""
    if not before:
        return
    bid, was, now = after["id"], before.get("state"), after["state"]
    money = {"currency": after.get("currency", "")}
    if was == "held" and now == "held":
        if before.get("passengers") != after["passengers"] or before.get("contact_email") != after["contact_email"]:
            count = len(after["passengers"] or [])
            await record(conn, bid, "passengers_set", {"count": count})
        old_seats = {(s["flight_id"], s["passenger_id"]): s["seat"] for s in before.get("seats") or []}
        new_seats = {(s["flight_id"], s["passenger_id"]): s["seat"] for s in after["seats"] or []}
        for flight_id in sorted({f for f, _ in new_seats}):
            mine = {p: s for (f, p), s in new_seats.items() if f == flight_id}
            if mine != {p: s for (f, p), s in old_seats.items() if f == flight_id}:
                seats = [{"passenger_id": p, "seat": s} for p, s in sorted(mine.items())]
                details = {"flight_id": flight_id, "number": numbers.get(flight_id, ""), "seats": seats}
                await record(conn, bid, "seats_selected", details)
        if before.get("expires_at") != after["expires_at"]:
            await record(conn, bid, "draft_kept", {"expires_at": _iso(after["expires_at"])})
        if before.get("bags") != after["bags"]:
            await record(conn, bid, "luggage_set", {**money, "amount": after.get("bag_total", 0)})
    if was == "held" and now == "awaiting_payment":
        amount = int(after.get("fare_total") or 0) + int(after.get("bag_total") or 0)
        await record(conn, bid, "payment_started", {**money, "amount": amount, "attempt": after.get("pay_attempt")})
    if was == "awaiting_payment" and now == "held":
        await record(conn, bid, "payment_declined", {"step": after.get("step", "")})
    paid_before, paid = before.get("payment") or {}, after.get("payment") or {}
    if paid.get("status") != paid_before.get("status"):
        if paid.get("status") == "requires_action":
            await record(conn, bid, "payment_action_required", {})
        if paid.get("status") == "captured" and now in ("awaiting_payment", "confirmed"):
            amount = int(after.get("fare_total") or 0) + int(after.get("bag_total") or 0)
            await record(
                conn, bid, "payment_captured", {**money, "amount": amount, "payment_id": paid.get("payment_id", "")}
            )
    refunded_before, refunded = int(before.get("refunded_amount") or 0), int(after.get("refunded_amount") or 0)
    if refunded > refunded_before:
        details = {**money, "amount": refunded - refunded_before, "refunded_amount": refunded}
        await record(conn, bid, "refunded", details)


async def entries(conn: AsyncConnection, booking_id: str) -> list[dict[str, Any]]:
    """The booking's steps, oldest first, as the proto's HistoryEntry fields."""
    q = sa.select(history).where(history.c.booking_id == booking_id).order_by(history.c.id)
    return [
        {
            "at": _iso(r.at),
            "kind": r.kind,
            "summary": r.summary,
            "actor": {"role": r.actor_role, "subject": r.actor_subject},
            "reason": r.reason or "",
            "details": r.details or {},
        }
        for r in (await conn.execute(q)).all()
    ]


async def resent(conn: AsyncConnection, booking_id: str, resend_id: str) -> bool:
    """Whether this resend (its id: the request's idempotency key) was recorded already."""
    q = sa.select(sa.literal(1)).where(
        history.c.booking_id == booking_id,
        history.c.kind == "confirmation_resent",
        history.c.details["resend_id"].astext == resend_id,
    )
    return (await conn.execute(q)).first() is not None


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


class BookingHistory:
    """The use cases: read a booking's history; send its confirmation again."""

    def __init__(self, ctx: Context, db: ServiceDatabase) -> None:
        self.ctx = ctx
        self.db = db

    async def _reach(self, access: Access) -> Booking:
        """cs and ops reach any booking (admin too); anyone else as GetBooking lets them."""
        principal = current_principal.get()
        if principal is not None and principal.has(Role.CS, Role.OPS):
            async with self.ctx.reader() as tx:
                b = await tx.bookings.get(access.booking_id.strip().lower()) if access.booking_id.strip() else None
            if b is None:
                raise NotFound(f"no booking {access.booking_id}", field="booking_id")
            return b
        return await self.ctx.peek(access)

    async def get(self, access: Access) -> dict[str, Any]:
        b = await self._reach(access)
        async with self.db.engine.connect() as conn:
            steps = await entries(conn, b.id)
        return {"booking_id": b.id, "pnr": b.pnr or "", "entries": steps}

    async def resend(self, access: Access, resend_id: str = "") -> dict[str, Any]:
        """The confirmation again to the booking's contact: one message per `resend_id` (a
        retried request with the same idempotency key records and sends nothing more)."""
        b = await self._reach(access)
        resend_id = resend_id.strip()[:255] or str(uuid.uuid4())
        async with self.db.uow() as uow:
            cur = await BookingRepository(uow.conn).get(b.id, lock=True)
            assert cur is not None
            if cur.state is not State.CONFIRMED:
                raise Conflict(
                    f"only a confirmed booking has a confirmation to send (it is {cur.state.value})",
                    code="booking_state",
                )
            if not cur.contact_email:
                raise Conflict("the booking has no contact e-mail to send the confirmation to", code="no_contact")
            if not await resent(uow.conn, cur.id, resend_id):
                payload = dict(confirmed_payload(cur, self.ctx.prices), resend_id=resend_id)
                await uow.emit_event(booking_events.CONFIRMATION_RESENT, cur.id, payload)
                await uow.commit()
        return {"booking_id": b.id, "resent": True}
