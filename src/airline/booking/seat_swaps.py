"""Seats an aircraft swap gave (reservation's SeatsAssigned, reason `aircraft_swap`), and a seat
given to a passenger sold a seat at the airport (check-in found one): the booking's copy of its
passengers' seats follows; for a swap, a SeatChanged per passenger moved lets check-in
put the new seat on a pass already issued, and the contact is told the new seats once per swap
(fact `swap:<flight>:<sequence>`, the flight's version of the swap)."""

from __future__ import annotations

from airline.booking.domain import Booking, State
from airline.booking.events import emit
from airline.booking.store import BookingUnitOfWork
from airline.booking.values import SeatChoice
from airline.contracts.events import booking as booking_events
from airline.contracts.events import reservation as reservation_events
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope

SWAP = "aircraft_swap"
KIND = "seat_changed"


def moved_seats(b: Booking, flight_id: str, given: dict[str, str]) -> dict[str, tuple[str, str]]:
    """passenger id -> (seat before, seat now) for the passengers whose seat number changed;
    the booking's seats on the flight take the new numbers."""
    before = b.seats_on(flight_id)
    changed = {pid: (before.get(pid, ""), seat) for pid, seat in given.items() if before.get(pid) != seat}
    if changed:
        kept = [s for s in b.seats if not (s.flight_id == flight_id and s.passenger_id in given)]
        b.seats = kept + [SeatChoice(flight_id, pid, seat) for pid, seat in sorted(given.items())]
    return changed


def wording(b: Booking, flight_id: str, changed: dict[str, tuple[str, str]]) -> str:
    leg = b.leg(flight_id)
    number = leg.number if leg is not None else flight_id
    names = {p.id: f"{p.first_name} {p.last_name}".strip() for p in b.passengers}
    seats = "; ".join(
        f"{names.get(pid, pid)}: seat {now}" + (f" (was {was})" if was else "")
        for pid, (was, now) in sorted(changed.items(), key=lambda kv: names.get(kv[0], kv[0]))
    )
    return f"Booking {b.pnr}: your flight {number} now flies another aircraft. Your new seats: {seats}."


async def seated_from_the_airport(uow: UnitOfWork, event: reservation_events.SeatsAssigned) -> None:
    """A passenger sold a seat at the airport (an overbooking place) got a seat since (check-in
    found one free): the booking's copy shows it. Check-in, which asked for it, knows already,
    so nothing is told; a seat the booking chose itself is in its copy already (no write)."""
    if not event.assignments or event.hold_id:
        return  # a hold confirmed: the booking's own choice
    tx = BookingUnitOfWork(uow)
    b = await tx.bookings.get(event.booking_ref)
    if b is None or b.state is not State.CONFIRMED or b.leg(event.flight_id) is None:
        return
    at_airport = {pid for pid, seat in b.seats_on(event.flight_id).items() if not seat}
    given = {a.passenger_ref.removeprefix(f"{b.id}-"): a.seat for a in event.assignments}
    if not at_airport & set(given):
        return
    b = await tx.bookings.get(event.booking_ref, lock=True)
    if b is None:
        return
    at_airport = {pid for pid, seat in b.seats_on(event.flight_id).items() if not seat}  # still, under the lock
    if moved_seats(b, event.flight_id, {pid: seat for pid, seat in given.items() if pid in at_airport}):
        await tx.bookings.save(b)


def acts_on(envelope: Envelope) -> bool:
    """Whether on_seats_assigned may do anything with this event: an aircraft swap's seats, or
    seats given without a hold (at the airport). A hold the booking confirmed (every sale) is
    its own choice, in its copy already: turned down before any transaction (platform Selective)."""
    payload = envelope.payload
    return payload.get("reason") == SWAP or (bool(payload.get("assignments")) and not payload.get("hold_id"))


async def on_seats_assigned(uow: UnitOfWork, envelope: Envelope) -> None:
    event = reservation_events.SEATS_ASSIGNED.parse(envelope)
    if event.reason != SWAP:
        await seated_from_the_airport(uow, event)
        return
    tx = BookingUnitOfWork(uow)
    b = await tx.bookings.get(event.booking_ref, lock=True)
    if b is None or b.state is not State.CONFIRMED or b.leg(event.flight_id) is None:
        return
    # reservation knows a passenger as "<booking id>-<passenger id>"
    given = {a.passenger_ref.removeprefix(f"{b.id}-"): a.seat for a in event.assignments}
    changed = moved_seats(b, event.flight_id, given)
    if not changed:
        return
    await tx.bookings.save(b)
    for pid, (was, now) in sorted(changed.items()):
        # check-in follows a seat change: a pass already issued shows the new seat
        await emit(
            tx,
            booking_events.SEAT_CHANGED,
            b.id,
            {
                "booking_id": b.id,
                "pnr": b.pnr,
                "flight_id": event.flight_id,
                "passenger_id": pid,
                "old_seat": was,
                "new_seat": now,
            },
        )
    if not (b.contact_email or b.contact_phone):
        return
    message = wording(b, event.flight_id, changed)
    await tx.bookings.notify(b.id, KIND, b.contact_email, b.contact_phone, message)
    await emit(
        tx,
        booking_events.PASSENGERS_NOTIFIED,
        b.id,
        {
            "booking_id": b.id,
            "pnr": b.pnr,
            "flight_id": event.flight_id,
            "kind": KIND,
            "email": b.contact_email,
            "phone": b.contact_phone,
            "message": message,
            "fact": f"swap:{event.flight_id}:{event.sequence}",
        },
    )
