"""Refunds staff make by hand on a booking's fare payment (customer service's
`POST /payments/{id}/refund`): payment tells them through PaymentRefunded, and the booking's
total refunded, its history and a later cancellation follow, so the receipt and the money agree.

The booking's own refunds (its cancellation, a passenger cancelled alone, extras) are recorded
where it asks for them: their events (`refunded_by` "system") are not counted again, nor are
events from before the field existed (""). A refund by hand of another payment of the booking
(an extra's, a change's) is written into the history only."""

from __future__ import annotations

from airline.booking import history
from airline.booking.store import BookingUnitOfWork
from airline.contracts.events import payment as payment_events
from airline.platform.auth import Principal, Role, current_principal
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope
from airline.platform.ids import is_uuid
from airline.platform.reason import current_reason


async def on_payment_refunded(uow: UnitOfWork, envelope: Envelope) -> None:
    event = payment_events.PAYMENT_REFUNDED.parse(envelope)
    if event.refunded_by in ("", Role.SYSTEM.value) or not is_uuid(event.reference):
        return
    tx = BookingUnitOfWork(uow)
    b = await tx.bookings.get(event.reference, lock=True)
    if b is None:  # a payment for something else
        return
    try:
        by = Principal(event.refunded_by_subject or "unknown", Role(event.refunded_by))
    except ValueError:
        by = None
    # the history's actor and reason are the staff member's, not this consumer's
    who, why = current_principal.set(by), current_reason.set(event.refund_reason)
    try:
        if event.payment_id == b.payment.payment_id:
            b.refunded_by_staff(event.refund_amount)
            await tx.bookings.save(b)  # the history's "refunded" step, in this transaction
        else:
            details = {"payment_id": event.payment_id, "amount": event.refund_amount, "currency": event.currency}
            await history.record(uow.conn, b.id, "payment_refunded", details)
    finally:
        current_principal.reset(who)
        current_reason.reset(why)
