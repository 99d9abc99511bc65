"""What the booking does when flights tells it something (at least once: the platform's
consumer records each event's id with its effects): a cancelled flight marks its bookings; a
delay updates the legs. Every change a passenger must know (delay, gate change, diversion,
cancellation) is told to the contact of each confirmed booking on the flight, through one
PassengersNotified event per booking carrying the facts of the change; the notification
service words it, sends one SMS and one e-mail per change, and holds what may yet be undone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airline.booking import reaccommodation as rp
from airline.booking import seat_swaps, staff_refunds
from airline.booking.domain import Booking, State
from airline.booking.events import emit
from airline.booking.reaccommodating import party_of
from airline.booking.reaccommodation_store import ReaccommodationRepository
from airline.booking.settings import BookingSettings
from airline.booking.store import BookingUnitOfWork
from airline.contracts.events import booking as booking_events
from airline.contracts.events import flights as flight_events
from airline.contracts.events import payment as payment_events
from airline.contracts.events import reservation as reservation_events
from airline.platform.consumer import Selective
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


async def _reaccommodate(uow: UnitOfWork, flight: flight_events.FlightSnapshot, kind: str, reason: str) -> None:
    """Records the re-accommodation run of this flight change with its effects (once per change:
    the same change told twice records one run); the booking's worker executes it."""
    await ReaccommodationRepository(uow.conn).record_run(flight.id, f"{kind}:{flight.version}", reason)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _instant(value: str | None) -> str:
    """One spelling per instant (an offset or a Z must not make a time look changed)."""
    when = _when(value)
    return when.astimezone(UTC).isoformat() if when else ""


def _local(value: str | None, zone: str) -> str:
    """The time at the airport, its zone named ('17:30 +08' where the zone has no letters)."""
    when = _when(value)
    if when is None:
        return "to be confirmed"
    try:
        when = when.astimezone(ZoneInfo(zone)) if zone else when.astimezone(UTC)
    except (ZoneInfoNotFoundError, ValueError):
        when = when.astimezone(UTC)
    return f"{when:%d %b %Y %H:%M} {when.tzname()}"


def notice(
    event: flight_events.FlightChange, change: str, value: str, previous: str
) -> booking_events.FlightChangeNotice:
    """The facts of a flight change a passenger is told, as the notification service needs them."""
    f = event.flight
    # a change's own reason: the flight's status reason may be an older change's
    reason = getattr(event, "reason", None) or ""
    diverted_tz = event.diverted_to_time_zone if isinstance(event, flight_events.FlightDiverted) else ""
    return booking_events.FlightChangeNotice(
        change=change,
        sequence=f.version,
        value=value,
        previous=previous,
        flight_number=f.number,
        origin=f.origin,
        destination=f.destination,
        origin_time_zone=f.origin_time_zone,
        destination_time_zone=f.destination_time_zone,
        scheduled_departure=f.scheduled_departure,
        estimated_departure=f.estimated_departure,
        estimated_arrival=f.estimated_arrival,
        gate=f.gate,
        diverted_to=f.diverted_to,
        diverted_to_time_zone=diverted_tz,
        reason=reason,
    )


def english(b: Booking, facts: booking_events.FlightChangeNotice) -> str:
    """Booking's own record of what the passengers were told (the notification service words
    the messages themselves, in the booking's language)."""
    about = f"Your flight {facts.flight_number} {facts.origin}-{facts.destination} (booking {b.pnr})"
    why = f": {facts.reason}" if facts.reason else ""
    if facts.change == "delay":
        return f"{about} is delayed; new departure {_local(facts.estimated_departure, facts.origin_time_zone)}{why}."
    if facts.change == "gate":
        return f"{about} now departs from gate {facts.gate}."
    if facts.change == "diversion":
        return f"{about} is diverted to {facts.diverted_to}{why}."
    return f"{about} is cancelled{why}. You may cancel for a full refund or contact us to rebook."


async def tell(
    tx: BookingUnitOfWork, b: Booking, flight_id: str, kind: str, facts: booking_events.FlightChangeNotice
) -> None:
    """Record and announce one change to a confirmed booking's contact (no one else is told:
    a draft's passengers have no ticket yet)."""
    if b.state is not State.CONFIRMED:
        return
    message = english(b, facts)
    await tx.bookings.notify(b.id, kind, b.contact_email, b.contact_phone, message)
    await emit(
        tx,
        booking_events.PASSENGERS_NOTIFIED,
        b.id,
        {
            "booking_id": b.id,
            "pnr": b.pnr,
            "flight_id": flight_id,
            "kind": kind,
            "email": b.contact_email,
            "phone": b.contact_phone,
            "message": message,
            # bookings keep no language yet: "" asks for the default wording
            "language": "",
            "flight_change": facts.model_dump(),
        },
    )


async def on_flight_cancelled(uow: UnitOfWork, envelope: Envelope) -> None:
    event = flight_events.FLIGHT_CANCELLED.parse(envelope)
    flight = event.flight
    reason = event.reason or flight.status_reason or ""
    facts = notice(event, "cancellation", flight.status, event.previous_status or "").model_copy(
        update={"reason": reason}
    )
    tx = BookingUnitOfWork(uow)
    moving = False
    for bid in await tx.bookings.bookings_on(flight.id):
        b = await tx.bookings.get(bid, lock=True)
        assert b is not None
        told = b.flight_cancelled_by_airline(flight.id, flight.number, reason)
        await tx.bookings.save(b)
        if told:
            moving = True
            await tell(tx, b, flight.id, "flight_cancelled", facts)
    if moving:
        await _reaccommodate(uow, flight, "cancelled", "cancelled")


def _must_move(b: Booking, flight_id: str, policy: rp.Policy) -> bool:
    """A confirmed booking whose retimed leg moves it (threshold, or a broken connection)."""
    leg = b.leg(flight_id)
    if b.state is not State.CONFIRMED or leg is None:
        return False
    i = b.legs.index(leg)
    nxt = b.legs[i + 1].departure if i + 1 < len(b.legs) else None
    arrival = leg.estimated_arrival or leg.scheduled_arrival
    return bool(rp.must_move(rp.LegChange(leg.status, leg.scheduled_departure, leg.departure, arrival, nxt), policy))


async def _on_flight_delayed(uow: UnitOfWork, envelope: Envelope, policy: rp.Policy) -> None:
    event = flight_events.FLIGHT_DELAYED.parse(envelope)
    flight = event.flight
    facts = notice(event, "delay", _instant(flight.estimated_departure), _instant(event.previous_estimated_departure))
    tx = BookingUnitOfWork(uow)
    moving = False
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
        await tell(tx, b, flight.id, "flight_delayed", facts)
        moving = moving or _must_move(b, flight.id, policy)
    if moving:
        await _reaccommodate(uow, flight, "retimed", "retimed")


async def on_flight_delayed(uow: UnitOfWork, envelope: Envelope) -> None:
    await _on_flight_delayed(uow, envelope, rp.Policy())


async def _tell_all(uow: UnitOfWork, flight_id: str, kind: str, facts: booking_events.FlightChangeNotice) -> None:
    tx = BookingUnitOfWork(uow)
    for bid in await tx.bookings.bookings_on(flight_id):
        b = await tx.bookings.get(bid)
        assert b is not None
        await tell(tx, b, flight_id, kind, facts)


async def on_flight_gate_changed(uow: UnitOfWork, envelope: Envelope) -> None:
    event = flight_events.FLIGHT_GATE_CHANGED.parse(envelope)
    facts = notice(event, "gate", event.flight.gate or "", event.previous_gate or "")
    await _tell_all(uow, event.flight.id, "flight_gate_changed", facts)


async def on_flight_diverted(uow: UnitOfWork, envelope: Envelope) -> None:
    event = flight_events.FLIGHT_DIVERTED.parse(envelope)
    facts = notice(event, "diversion", event.diverted_to, "")
    await _tell_all(uow, event.flight.id, "flight_diverted", facts)
    await _reaccommodate(uow, event.flight, "diverted", "diverted")


async def on_flight_plane_changed(uow: UnitOfWork, envelope: Envelope) -> None:
    """An aircraft swap: the confirmed bookings that no longer fit the new plane's cabins, by the
    documented priority (`reaccommodation.excess`), get a re-accommodation run of their own
    (reason aircraft_swap); nobody else moves. Once per swap (the run is unique per change)."""
    event = flight_events.FLIGHT_PLANE_CHANGED.parse(envelope)
    flight = event.flight
    tx = BookingUnitOfWork(uow)
    now, policy = datetime.now(UTC), rp.Policy()
    parties: list[rp.Party] = []
    for bid in await tx.bookings.bookings_on(flight.id):
        b = await tx.bookings.get(bid)
        if b is not None and b.state is State.CONFIRMED and b.leg(flight.id) is not None:
            parties.append(party_of(b, flight.id, now, policy))
    moving = rp.excess(parties, event.seats)
    if moving:
        await ReaccommodationRepository(uow.conn).record_run(
            flight.id, f"plane:{flight.version}", "aircraft_swap", scope=[p.booking_id for p in moving]
        )


def _waking(handler: Handler, wake: asyncio.Event | None) -> Handler:
    """The handler, then the re-accommodation worker woken once its transaction committed (a
    run it recorded starts now, not at the worker's next look)."""
    if wake is None:
        return handler

    async def run(uow: UnitOfWork, envelope: Envelope) -> None:
        await handler(uow, envelope)
        uow.after_commit(wake.set)

    return run


def handlers(settings: BookingSettings | None = None, wake: asyncio.Event | None = None) -> dict[str, Handler]:
    """`settings` give the re-accommodation threshold (AIRLINE_BOOKING_REACCOMMODATION_RETIME_HOURS);
    `wake` is set after a flight change that may have recorded a re-accommodation run commits."""
    hours = settings.reaccommodation_retime_hours if settings is not None else 3.0
    policy = rp.Policy(retime_threshold=timedelta(hours=hours))

    async def delayed(uow: UnitOfWork, envelope: Envelope) -> None:
        await _on_flight_delayed(uow, envelope, policy)

    return {
        flight_events.FLIGHT_CANCELLED.topic: _waking(on_flight_cancelled, wake),
        flight_events.FLIGHT_DELAYED.topic: _waking(delayed, wake),
        flight_events.FLIGHT_GATE_CHANGED.topic: on_flight_gate_changed,
        flight_events.FLIGHT_DIVERTED.topic: _waking(on_flight_diverted, wake),
        flight_events.FLIGHT_PLANE_CHANGED.topic: _waking(on_flight_plane_changed, wake),
        # the seats an aircraft swap gave: the booking's copy follows, the contact is told once
        reservation_events.SEATS_ASSIGNED.topic: Selective(seat_swaps.on_seats_assigned, seat_swaps.acts_on),
        # a refund staff made by hand on a booking's payment: its total refunded and history follow
        payment_events.PAYMENT_REFUNDED.topic: staff_refunds.on_payment_refunded,
    }
