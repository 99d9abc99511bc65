"""What the flights service learns from bookings: the seats each confirmed booking takes.

`flight_cabins.sold` moves only here, through the seat ledger (one row per booking and
flight): a confirmation takes the booking's seated passengers (infants sit on a lap) on each
of its flights, a cancellation gives them back and leaves a tombstone, a re-accommodation moves
them from the flights the booking left to the ones it joined. The seats the booking's draft
claimed in its booking class end with its sale or cancellation, in the same transaction (the
sale takes their place in the bucket's count: never both, never neither). The consumer records
the event id in the same transaction, and the ledger makes the effect idempotent by itself,
so a redelivered, repeated or out-of-order event moves `sold` at most once per flight.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from airline.contracts.events import booking as booking_events
from airline.flights.domain import PassengerType, cabin_class
from airline.flights.revenue import record_sale_fares
from airline.flights.revenue_store import RevenueRepository
from airline.flights.store import FlightRepository
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope

log = logging.getLogger(__name__)


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


OfferReader = Callable[[str], "dict[str, Any] | None"]


async def on_booking_confirmed(uow: UnitOfWork, event: Envelope, read_offer: OfferReader | None = None) -> None:
    # read loosely (not BOOKING_CONFIRMED.parse): only the seat count matters here, and a
    # confirmation missing fields this handler does not use still takes its seats
    p = event.payload
    cls = cabin_class(str(p.get("cabin_class") or "normal"))
    seats = seated(p.get("passengers") or [])
    moved = await FlightRepository(uow.conn).record_sale(
        str(p["booking_id"]), cls, flight_ids(p.get("flights") or []), seats
    )
    await RevenueRepository(uow.conn).release_claims(str(p["booking_id"]))
    # the booking class and fare revenue of each flight, from the offer it was sold on
    offer_id = str(p.get("offer_id") or "")
    claims = read_offer(offer_id) if read_offer is not None and offer_id else None
    await record_sale_fares(uow, str(p["booking_id"]), cls, moved, seats, claims)
    if not moved:
        log.info("booking %s: confirmation already counted or booking cancelled; seats unchanged", p["booking_id"])


async def on_booking_cancelled(uow: UnitOfWork, event: Envelope) -> None:
    booking_id = booking_events.BOOKING_CANCELLED.parse(event).booking_id
    await FlightRepository(uow.conn).record_cancellation(booking_id)
    await RevenueRepository(uow.conn).release_claims(booking_id)  # a draft given up: its seats sell again


async def on_booking_reaccommodated(uow: UnitOfWork, event: Envelope) -> None:
    """The seats move with the booking: off the flights it left, onto the ones it flies now
    (the event's whole booking is the truth; see FlightRepository.record_move)."""
    p = booking_events.BOOKING_REACCOMMODATED.parse(event)
    moved = await FlightRepository(uow.conn).record_move(
        p.booking_id,
        cabin_class(p.cabin_class or "normal"),
        [f.flight_id for f in p.flights],
        p.removed_flights,
        seated(x.model_dump() for x in p.passengers),
    )
    # its fare revenue follows it (the report counts a moved booking on the flight it flies)
    await RevenueRepository(uow.conn).carry_sale(p.booking_id, p.removed_flights, p.added_flights)
    log.info("booking %s moved (proposal %s): seats sold changed on %s", p.booking_id, p.proposal_id, moved or "none")


async def on_passenger_cancelled(uow: UnitOfWork, event: Envelope) -> None:
    """A passenger cancelled alone gives their seat back on each flight of the booking (once: the
    consumer records the event id)."""
    p = booking_events.PASSENGER_CANCELLED.parse(event)
    moved = await FlightRepository(uow.conn).record_passengers_cancelled(p.booking_id, p.seated)
    if moved is None:
        # not retried: the consumer handles its topics one event at a time, so waiting here would
        # hold back the very confirmation awaited (a cancellation this early is rare)
        log.warning("booking %s: passenger cancelled before its sale was counted; seats unchanged", p.booking_id)
        return
    log.info("booking %s: %d seat(s) given back on %s", p.booking_id, p.seated, moved or "none")


def handlers(read_offer: OfferReader | None = None) -> dict[str, Any]:
    """`read_offer`: an offer id's signed claims (expired ones too), None when not ours."""
    return {
        booking_events.BOOKING_CONFIRMED.topic: functools.partial(on_booking_confirmed, read_offer=read_offer),
        booking_events.BOOKING_CANCELLED.topic: on_booking_cancelled,
        booking_events.BOOKING_REACCOMMODATED.topic: on_booking_reaccommodated,
        booking_events.BOOKING_CHANGED.topic: on_booking_reaccommodated,  # a voluntary change: seats sold move
        booking_events.PASSENGER_CANCELLED.topic: on_passenger_cancelled,
    }
