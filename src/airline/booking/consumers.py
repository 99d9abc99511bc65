"""What the booking does when flights tells it something (at least once: the platform's
consumer records each event's id with its effects): a cancelled flight marks its bookings and
tells the passengers of the confirmed ones; a delay or any other change updates the legs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from airline.booking.events import emit
from airline.booking.store import BookingUnitOfWork
from airline.contracts.events import booking as booking_events
from airline.contracts.events import flights as flight_events
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def on_flight_cancelled(uow: UnitOfWork, envelope: Envelope) -> None:
    event = flight_events.FLIGHT_CANCELLED.parse(envelope)
    flight = event.flight
    reason = event.reason or flight.status_reason or ""
    tx = BookingUnitOfWork(uow)
    for bid in await tx.bookings.bookings_on(flight.id):
        b = await tx.bookings.get(bid, lock=True)
        assert b is not None
        tell = b.flight_cancelled_by_airline(flight.id, flight.number, reason)
        await tx.bookings.save(b)
        if not tell:
            continue
        message = (
            f"Your flight {flight.number} {flight.origin}-{flight.destination} "
            f"(booking {b.pnr}) is cancelled{': ' + reason if reason else ''}. "
            "You may cancel for a full refund or contact us to rebook."
        )
        await tx.bookings.notify(b.id, "flight_cancelled", b.contact_email, b.contact_phone, message)
        await emit(
            tx,
            booking_events.PASSENGERS_NOTIFIED,
            b.id,
            {
                "booking_id": b.id,
                "pnr": b.pnr,
                "flight_id": flight.id,
                "kind": "flight_cancelled",
                "email": b.contact_email,
                "phone": b.contact_phone,
                "message": message,
            },
        )


async def on_flight_delayed(uow: UnitOfWork, envelope: Envelope) -> None:
    flight = flight_events.FLIGHT_DELAYED.parse(envelope).flight
    tx = BookingUnitOfWork(uow)
    for bid in await tx.bookings.bookings_on(flight.id):
        b = await tx.bookings.get(bid, lock=True)
        assert b is not None
        b.flight_changed(
            flight.id,
            flight.status,
            flight.status_reason or "",
            _when(flight.estimated_departure),
            _when(flight.estimated_arrival),
        )
        await tx.bookings.save(b)


def handlers() -> dict[str, Handler]:
    return {
        flight_events.FLIGHT_CANCELLED.topic: on_flight_cancelled,
        flight_events.FLIGHT_DELAYED.topic: on_flight_delayed,
    }
