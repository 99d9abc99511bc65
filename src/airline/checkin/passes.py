"""Writing a boarding pass onto a passenger's leg: its sequence number, its BCBP barcode and the
PassengerCheckedIn event, in the caller's transaction. One place for a check-in (online or at
the counter) and for a pass reissued when the airline moves a checked-in passenger to another
flight (re-accommodation)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from airline.checkin import bcbp, domain
from airline.checkin.domain import Status
from airline.checkin.store import CheckinRepository
from airline.contracts.events import checkin as checkin_events
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.errors import ValidationFailed


@dataclass(frozen=True)
class FlightNow:
    """The flight as the flights service sees it right now (departure times may have moved)."""

    id: str
    number: str
    origin: str
    destination: str
    status: str
    gate: str
    scheduled_departure: datetime
    departure: datetime  # estimated when delayed
    origin_time_zone: str


async def issue_pass(
    uow: UnitOfWork,
    repo: CheckinRepository,
    cur: Mapping[str, Any],
    f: FlightNow,
    seat: str,
    *,
    channel: str,
    by: str,
    carrier: str,
) -> Mapping[str, Any]:
    """Checks the (booked, locked) leg `cur` in on flight `f`; returns the leg with its pass.
    `carrier` is the airline's own code, for a flight number without a carrier prefix."""
    sequence = await repo.next_sequence(cur["flight_id"])
    try:
        carrier, number = bcbp.flight_field(f.number)
    except ValidationFailed:  # no carrier prefix in the number: the airline's own code
        digits = "".join(ch for ch in f.number if ch.isdigit())[-4:] or "0"
        number = f"{int(digits):04d} "
    local_day = f.scheduled_departure.astimezone(ZoneInfo(f.origin_time_zone)).date()
    text = bcbp.encode(
        bcbp.Pass(
            bcbp.passenger_name(cur["last_name"], cur["first_name"]),
            [
                bcbp.Leg(
                    pnr=cur["pnr"],
                    origin=f.origin,
                    destination=f.destination,
                    carrier=carrier.strip(),
                    flight_number=number,
                    julian_date=bcbp.julian_date(local_day),
                    compartment=domain.compartment(cur["cabin_class"]),
                    seat=seat or ("INF" if cur["type"] == "infant" else "STBY"),
                    sequence=sequence,
                )
            ],
        )
    )
    now = utcnow()
    await repo.update_leg(
        cur["booking_id"],
        cur["passenger_id"],
        cur["flight_id"],
        status=Status.CHECKED_IN.value,
        seat=seat,
        sequence=sequence,
        pass_id=str(uuid.uuid4()),
        bcbp=text,
        departure=f.departure,
        gate=f.gate,
        channel=channel,
        checked_in_at=now,
        checked_in_by=by,
        number=f.number,
    )
    await uow.emit_event(
        checkin_events.PASSENGER_CHECKED_IN,
        cur["flight_id"],
        {
            "booking_id": cur["booking_id"],
            "passenger_id": cur["passenger_id"],
            "flight_id": cur["flight_id"],
            "flight_number": f.number,
            "pnr": cur["pnr"],
            "seat": seat,
            "sequence": sequence,
            "passenger_type": cur["type"],
            "channel": channel,
            "checked_in_at": now.isoformat(),
        },
    )
    out = await repo.leg(cur["booking_id"], cur["passenger_id"], cur["flight_id"])
    assert out is not None
    return out
