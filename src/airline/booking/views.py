"""What the booking shows: the booking as the proto's field names (grpc_api makes the message
with one ParseDict) and its luggage grid. Read models only: nothing here changes a booking."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airline.booking.domain import Booking
from airline.booking.fares import BagPrices, bag_fee, included_pieces
from airline.booking.passengers import guest_passenger


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def bag_grid(b: Booking, prices: BagPrices) -> list[dict[str, Any]]:
    """Every passenger on every flight: the fare's allowance and the extras bought."""
    extras = {(x.flight_id, x.passenger_id): x for x in b.bags}
    out = []
    for leg in b.legs:
        for p in (p for p in b.passengers if not p.cancelled):
            x = extras.get((leg.flight_id, p.id))
            pieces, kg = (x.extra_pieces, x.overweight_kg) if x is not None else (0, 0)
            out.append(
                {
                    "flight_id": leg.flight_id,
                    "passenger_id": p.id,
                    "extra_pieces": pieces,
                    "overweight_kg": kg,
                    "included_pieces": included_pieces(p.type, leg.rules.checked_bags),
                    "fee": bag_fee(pieces, kg, prices),
                }
            )
    return out


def booking_view(
    b: Booking, prices: BagPrices, *, manage_token: str = "", replayed: bool = False, guest: bool = False
) -> dict[str, Any]:
    """`guest`: reached with a PNR and a last name only: documents masked, no birth dates."""
    passengers = [p.to_dict() for p in b.passengers]
    return {
        "id": b.id,
        "state": b.state.value,
        "step": b.step,
        "pnr": b.pnr or "",
        **b.choice_and_money(),
        "total": b.total,
        "legs": [
            {
                "flight_id": leg.flight_id,
                "number": leg.number,
                "origin": leg.origin,
                "destination": leg.destination,
                "scheduled_departure": iso(leg.scheduled_departure),
                "scheduled_arrival": iso(leg.scheduled_arrival),
                "estimated_departure": iso(leg.estimated_departure),
                "estimated_arrival": iso(leg.estimated_arrival),
                "status": leg.status,
                "status_reason": leg.status_reason,
                "checked_bags": leg.rules.checked_bags,
                "bag_weight_kg": leg.rules.bag_weight_kg,
                "refundable": leg.rules.refundable,
                "change_fee": leg.rules.change_fee,
                "hold_id": leg.hold_id,
            }
            for leg in b.legs
        ],
        "passengers": [guest_passenger(p) for p in passengers] if guest else passengers,
        "contact": {"email": b.contact_email, "phone": b.contact_phone},
        # an empty seat is a seat at the airport (an overbooking place, drafts.py)
        "seats": [s.to_dict() | {"seat_at_airport": not s.seat} for s in b.seats],
        "bags": bag_grid(b, prices) if b.passengers else [],
        "tickets": [t.to_dict() for t in b.tickets],
        "payment": b.payment.shown(),
        "flight_cancelled": b.flight_cancelled,
        "disruption": b.disruption,
        "refunded_amount": b.refunded_amount,
        "cancel_reason": b.cancel_reason,
        "manage_token": manage_token,
        "expires_at": iso(b.expires_at),
        "created_at": iso(b.created_at),
        "updated_at": iso(b.updated_at),
        "replayed": replayed,
    }
