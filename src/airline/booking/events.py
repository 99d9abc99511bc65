"""The payloads the booking writes, and writing a catalogued event through a use case's
transaction. Topics, types and schemas are in the event catalogue
(`airline.contracts.events.booking`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airline.booking.domain import Booking
from airline.booking.fares import BagPrices
from airline.booking.views import bag_grid, iso
from airline.contracts.events import EventType

if TYPE_CHECKING:
    from airline.booking.ports import Transaction


async def emit(tx: Transaction, event: EventType[Any], key: str, payload: dict[str, Any]) -> None:
    """Write `event` to the transaction's outbox (topic, type and version from the catalogue)."""
    await tx.emit(event.topic, key, event.type, payload)


def confirmed_payload(b: Booking, prices: BagPrices) -> dict[str, Any]:
    seats = {(s.flight_id, s.passenger_id): s.seat for s in b.seats}
    tickets = {(t.flight_id, t.passenger_id): t.number for t in b.tickets}
    weights = {leg.flight_id: leg.rules.bag_weight_kg for leg in b.legs}
    return {
        "booking_id": b.id,
        "pnr": b.pnr,
        "cabin_class": b.cabin_class,
        "trip_type": b.trip_type,
        "total": b.total,
        "currency": b.currency,
        # the signed offer it was sold on: flights reads each flight's booking class from it
        "offer_id": b.offer_id,
        # how the total was paid (a receipt's lines): a voucher's part and the card's
        "voucher_amount": b.payment.voucher_amount,
        "card_amount": b.payment.card_amount,
        "flights": [
            {
                "flight_id": leg.flight_id,
                "number": leg.number,
                "origin": leg.origin,
                "destination": leg.destination,
                "scheduled_departure": iso(leg.scheduled_departure),
            }
            for leg in b.legs
        ],
        "passengers": [
            {
                "id": p.id,
                "type": p.type.value,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "date_of_birth": p.date_of_birth.isoformat(),
                "document": p.document.to_dict(),
                "infant_of": p.infant_of,
                "meal": p.meal,
                "flights": [
                    {
                        "flight_id": leg.flight_id,
                        "seat": seats.get((leg.flight_id, p.id), ""),
                        "e_ticket": tickets.get((leg.flight_id, p.id), ""),
                    }
                    for leg in b.legs
                ],
            }
            for p in b.passengers
            if not p.cancelled  # cancelled alone after the sale (passenger_changes.py): not travelling
        ],
        "bags": [dict(x, bag_weight_kg=weights[x["flight_id"]]) for x in bag_grid(b, prices)],
        "contact": {"email": b.contact_email, "phone": b.contact_phone},
        "meals": [{"passenger_id": p.id, "meal": p.meal} for p in b.passengers if p.meal and not p.cancelled],
    }


def cancelled_payload(b: Booking, refunded: int, *, was_confirmed: bool, no_show: bool) -> dict[str, Any]:
    return {
        "booking_id": b.id,
        "pnr": b.pnr,
        "refunded_amount": refunded,
        "currency": b.currency,
        "reason": b.cancel_reason,
        "flights": [leg.flight_id for leg in b.legs],
        "cabin_class": b.cabin_class,
        "seats": sum(1 for p in b.passengers if p.seated),
        "was_confirmed": was_confirmed,
        "no_show": no_show,
    }


def seat_changed_payload(b: Booking, flight_id: str, passenger_id: str, old: str, new: str) -> dict[str, Any]:
    return {
        "booking_id": b.id,
        "pnr": b.pnr,
        "flight_id": flight_id,
        "passenger_id": passenger_id,
        "old_seat": old,
        "new_seat": new,
    }
