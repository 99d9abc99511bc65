"""What re-accommodation tells: the booking's contact, once per proposal and step (the
notification service sends one SMS and one e-mail per booking and `fact`), and the other
services, through BookingReaccommodated (the whole booking after the move)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from airline.booking.domain import Booking
from airline.booking.events import confirmed_payload
from airline.booking.store import BookingRepository
from airline.contracts.events import booking as booking_events
from airline.platform.db import UnitOfWork

if TYPE_CHECKING:
    from airline.booking.context import Context
    from airline.booking.reaccommodation_store import Proposed

KIND = "reaccommodation"
_WHY = {
    "cancelled": "is cancelled",
    "diverted": "is diverted",
    "retimed": "is retimed",
    "connection_broken": "no longer makes your connection",
    "aircraft_swap": "has fewer seats after an aircraft change",
}


def _when(value: str) -> str:
    return f"{datetime.fromisoformat(value):%d %b %Y %H:%M} UTC"


def _flights(segments: list[dict[str, Any]]) -> str:
    return ", then ".join(
        f"{s['number']} {s['origin']}-{s['destination']} at {_when(s['departure'])}" for s in segments
    )


def wording(ctx: Context, b: Booking, p: Proposed, step: str) -> str:
    about = f"Booking {b.pnr}: your flight {p.flight_number} {_WHY.get(p.reason, 'has changed')}."
    bonus = ctx.settings.reaccommodation_voucher_bonus_percent
    choice = f"a full refund or a voucher worth {bonus}% more"
    if step == "proposed":
        seats = ", ".join(f"{s['passenger_id']} {s['seat']}" for s in p.seats)
        by = f"{p.deadline:%d %b %Y %H:%M} UTC" if p.deadline else "the deadline"
        return (
            f"{about} We reserved seats for you on {_flights(p.options[0])} (seats {seats}). In Manage booking, "
            f"accept it, choose another flight or take {choice} by {by}; otherwise we move you then."
        )
    if step == "kept":
        return f"{about} You keep your seats on it at its new time; the seats we reserved elsewhere are released."
    if step == "unplaced" and p.reason == "retimed":
        return (
            f"{about} No other flight gets you there sooner: you keep your seats, or in Manage booking take {choice}."
        )
    if step == "unplaced":
        return f"{about} We found no seats on another flight in time for you: in Manage booking, take {choice}."
    if step == "applied":
        seats = ", ".join(f"{s['passenger_id']} {s['seat']}" for s in p.seats)
        return (
            f"{about} You are now booked on {_flights(p.options[p.chosen])} (seats {seats}); new e-tickets are issued."
        )
    if p.taken == "voucher":
        return f"{about} Your booking is cancelled and voucher {p.voucher_code} worth {b.currency} {p.voucher_amount / 100:,.2f} is issued."
    return f"{about} Your booking is cancelled and {b.currency} {p.refund_amount / 100:,.2f} is refunded to your card."


async def tell(uow: UnitOfWork, ctx: Context, b: Booking, p: Proposed, step: str) -> None:
    """Records and announces one step of a proposal to the booking's contact (once per step)."""
    if not (b.contact_email or b.contact_phone):
        return
    await notify_contact(uow, b, KIND, p.flight_id, wording(ctx, b, p, step), f"reaccommodation:{p.id}:{step}")


async def notify_contact(uow: UnitOfWork, b: Booking, kind: str, flight_id: str, message: str, fact: str) -> None:
    """Records a message to the booking's contact and hands it to the notification service
    (PassengersNotified: one SMS and one e-mail per booking, kind and `fact`)."""
    await BookingRepository(uow.conn).notify(b.id, kind, b.contact_email, b.contact_phone, message)
    await uow.emit(
        booking_events.PASSENGERS_NOTIFIED.topic,
        b.id,
        booking_events.PASSENGERS_NOTIFIED.type,
        dict(
            booking_id=b.id,
            pnr=b.pnr,
            flight_id=flight_id,
            kind=kind,
            email=b.contact_email,
            phone=b.contact_phone,
            message=message,
            fact=fact,
        ),
    )


def reaccommodated_payload(
    ctx: Context, b: Booking, p: Proposed, removed: list[str], added: list[str]
) -> dict[str, Any]:
    whole = confirmed_payload(b, ctx.prices)
    cabins = {s["cabin_class"] for s in p.options[p.chosen]}
    return {
        "booking_id": b.id,
        "pnr": b.pnr,
        "proposal_id": p.id,
        "reason": p.reason,
        "cabin_class": cabins.pop() if len(cabins) == 1 else b.cabin_class,
        "removed_flights": removed,
        "added_flights": added,
        "flights": whole["flights"],
        "passengers": whole["passengers"],
        "contact": whole["contact"],
        "bags": whole["bags"],
    }
