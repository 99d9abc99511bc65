"""What the flights service learns from bookings: the seats each confirmed booking takes.

`flight_cabins.sold` moves only here, through the seat ledger (one row per booking and
flight): a confirmation takes the booking's seated passengers (infants sit on a lap) on each
of its flights, a cancellation gives them back and leaves a tombstone. The consumer records
the event id in the same transaction, and the ledger makes the effect idempotent by itself,
so a redelivered, repeated or out-of-order event moves `sold` at most once per flight.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable, Mapping

from airline.flights.domain import PassengerType, cabin_class
from airline.flights.store import FlightRepository
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope, topic_name

log = logging.getLogger(__name__)

# the booking service's topics (its catalogue: booking/service.py)
BOOKING_CONFIRMED = topic_name("booking", "booking_confirmed")
BOOKING_CANCELLED = topic_name("booking", "booking_cancelled")


def seated(passengers: Iterable[Mapping[str, Any]]) -> int:
    """Passengers who take a seat: everyone but infants."""
    return sum(1 for p in passengers if str(p.get("type", "")).lower() != PassengerType.INFANT.value)


def flight_ids(flights: Iterable[Any]) -> list[str]:
    """A booking's flights, as the confirmation (objects) or cancellation (ids) lists them."""
    out: list[str] = []
    for f in flights:
        fid = f.get("flight_id") if isinstance(f, Mapping) else f
        if fid:
            out.append(str(fid))
    return out


async def on_booking_confirmed(uow: UnitOfWork, event: Envelope) -> None:
    p = event.payload
    moved = await FlightRepository(uow.conn).record_sale(
        str(p["booking_id"]), cabin_class(str(p.get("cabin_class") or "normal")),
        flight_ids(p.get("flights") or []), seated(p.get("passengers") or []),
    )
    if not moved:
        log.info("booking %s: confirmation already counted or booking cancelled; seats unchanged", p["booking_id"])


async def on_booking_cancelled(uow: UnitOfWork, event: Envelope) -> None:
    await FlightRepository(uow.conn).record_cancellation(str(event.payload["booking_id"]))


def handlers() -> dict[str, Any]:
    return {BOOKING_CONFIRMED: on_booking_confirmed, BOOKING_CANCELLED: on_booking_cancelled}
