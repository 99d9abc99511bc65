"""What a voluntary change tells: the other services, through BookingChanged (the whole
booking after the move, in BookingReaccommodated's shape, plus the change's money), and the
booking's contact (once per change and step: the notification service keys them by `fact`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airline.booking.changes_store import Change
from airline.booking.domain import Booking
from airline.booking.events import confirmed_payload
from airline.booking.reaccommodation_tell import notify_contact

if TYPE_CHECKING:
    from airline.booking.context import Context

REASON = "voluntary_change"
KIND = "change"


def changed_payload(ctx: Context, b: Booking, c: Change, removed: list[str], added: list[str]) -> dict[str, Any]:
    whole, q = confirmed_payload(b, ctx.prices), c.quote
    return {
        "booking_id": b.id,
        "pnr": b.pnr,
        "proposal_id": c.id,  # the move's key for the consumers (BookingReaccommodated's shape)
        "change_id": c.id,
        "reason": REASON,
        "cabin_class": b.cabin_class,
        "removed_flights": removed,
        "added_flights": added,
        "flights": whole["flights"],
        "passengers": whole["passengers"],
        "contact": whole["contact"],
        "bags": whole["bags"],
        "change_fee": q["change_fee"],
        "fare_difference": q["fare_difference"],
        "total_paid": c.charged,
        "residual_voucher": q["residual_voucher"],
        "currency": b.currency,
    }


async def tell(uow: Any, b: Booking, c: Change, voucher: str) -> None:
    """Tells the booking's contact of the change (or, afterwards, of its voucher) once."""
    if not (b.contact_email or b.contact_phone):
        return
    worth = f"{b.currency} {int(c.quote['residual_voucher']) / 100:,.2f}"
    if voucher:
        message = f"Booking {b.pnr}: for the cheaper fare of your flight change, voucher {voucher} worth {worth}."
    else:
        flights = ", ".join(f"{leg['number']} at {leg['scheduled_departure']}" for leg in c.quote["legs"])
        message = f"Booking {b.pnr}: your flights are changed to {flights}; new e-tickets are issued."
        if c.charged:
            message += f" {b.currency} {c.charged / 100:,.2f} was charged."
    step = "voucher" if voucher else "applied"
    await notify_contact(uow, b, KIND, c.quote["legs"][0]["flight_id"], message, f"change:{c.id}:{step}")
