"""What the paid steps after the sale share (voluntary changes, paid ancillaries): who reaches
the booking (as every booking route, and ops), the booking's change-or-cancel lock, a quote
signed under the service's key and checked back, and one payment taken at once under an
idempotency key (a retry after an unknown outcome is the same payment).

`charge` answers the captured payment's id, or raises: ValidationFailed without a payment
method, Conflict `payment_declined` (REST 402) when refused or when the card asks for 3-D
Secure (a step after the sale cannot answer it: the authorisation is voided). The caller undoes
its own preparations on any error.
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from airline.booking.changes_store import ChangeRepository
from airline.booking.context import Access, Context
from airline.booking.domain import Booking
from airline.booking.ports import CAPTURED, Authorisation
from airline.payment.client import PaymentMethod
from airline.platform.auth import Role, current_principal
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, NotFound, ValidationFailed


async def reach(ctx: Context, access: Access) -> Booking:
    """The owner, the manage token, PNR + last name, and staff (ops too) reach the booking."""
    principal = current_principal.get()
    if principal is not None and principal.has(Role.OPS):
        async with ctx.reader() as tx:
            b = await tx.bookings.get(access.booking_id.strip().lower())
        if b is None:
            raise NotFound(f"no booking {access.booking_id}", field="booking_id")
        return b
    return await ctx.peek(access)


@asynccontextmanager
async def exclusive(db: ServiceDatabase, booking_id: str) -> AsyncIterator[None]:
    """One change, purchase or cancellation of a booking at a time (an advisory lock held for
    the block); the other one is refused (409 change_in_progress)."""
    async with db.uow() as uow:
        if not await ChangeRepository(uow.conn).lock_booking(booking_id.strip().lower()):
            raise Conflict(
                "a change or a cancellation of this booking is under way: try again in a moment",
                code="change_in_progress",
            )
        yield
        await uow.rollback()


def sign(ctx: Context, purpose: str, body: dict[str, Any]) -> str:
    raw = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":"), sort_keys=True).encode()).decode()
    return f"{raw.rstrip('=')}.{ctx.keyed(purpose, raw.rstrip('='))}"


def verify(ctx: Context, purpose: str, quote_id: str) -> dict[str, Any]:
    """The signed body (422 quote_invalid if not ours, 409 quote_expired once past `exp`)."""
    raw, _, mac = quote_id.strip().partition(".")
    if not raw or not hmac.compare_digest(mac.encode(), ctx.keyed(purpose, raw).encode()):
        raise ValidationFailed("this is not a quote of this service", field="quote_id", code="quote_invalid")
    body: dict[str, Any] = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    if datetime.fromisoformat(body["exp"]) <= utcnow():
        raise Conflict("the quote has expired: ask for a new one", code="quote_expired")
    return body


async def charge(ctx: Context, b: Booking, amount: int, method: PaymentMethod, key: str, what: str) -> str:
    """One sale of `amount` for the booking under `key`; the captured payment's id."""
    if not method.given:
        raise ValidationFailed(f"a payment method is required: {what} costs money", field="payment")
    request = Authorisation(
        idempotency_key=key,
        reference=b.id,
        amount=amount,
        currency=b.currency,
        on_behalf_of=b.owner or "guest",
        capture=True,
    )
    p = await ctx.ports.payment.authorise(request, method)
    if p.status == "authorised":
        p = await ctx.ports.payment.capture(p.id)
    if p.status not in CAPTURED:
        if p.status == "requires_action":
            await ctx.ports.payment.void(p.id)
        why = p.failure_message or (
            f"the card asks for 3-D Secure, which {what} cannot answer: use another card"
            if p.status == "requires_action"
            else "the payment was declined"
        )
        raise Conflict(why, code="payment_declined", payment_id=p.id)
    return p.id
