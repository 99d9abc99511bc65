"""Check-in's event handlers: confirmations issue the codes; cancellations and seat changes
keep them and the passes true. Booking events of different topics have no common order: a
cancellation may come before its confirmation (a tombstone), a seat change before either.
Mixed into CheckinService (its code key and settings)."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from airline.checkin import bcbp, domain
from airline.checkin.domain import Status
from airline.checkin.store import CheckinRepository
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.events import Envelope, topic_name

if TYPE_CHECKING:
    from airline.checkin.service import CheckinService

log = logging.getLogger(__name__)

CODE_ISSUED = topic_name("checkin", "code_issued")
BOOKING_CONFIRMED = topic_name("booking", "booking_confirmed")
BOOKING_CANCELLED = topic_name("booking", "booking_cancelled")
SEAT_CHANGED = topic_name("booking", "seat_changed")

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


class CheckinConsumers:
    """The `on_*` handlers of CheckinService."""

    async def on_booking_confirmed(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        p = event.payload
        bid, pnr = p["booking_id"], p.get("pnr") or ""
        repo = CheckinRepository(uow.conn)
        if await repo.confirm_booking(bid) == "cancelled":
            # its cancellation came first (another topic, no order between them): it stays cancelled
            log.info("booking %s confirmed after its cancellation: no check-in codes issued", bid)
            return
        early = await repo.take_early_seats(bid)
        flights = {f["flight_id"]: f for f in p.get("flights", [])}
        departures = [d for d in (_time(f.get("scheduled_departure")) for f in flights.values()) if d]
        contact = p.get("contact") or {}
        for x in p.get("passengers", []):
            if await repo.passenger(bid, x["id"]) is not None:
                continue
            for _ in range(20):
                code = domain.new_code()
                added = await repo.add_passenger({
                    "booking_id": bid, "passenger_id": x["id"], "pnr": pnr, "type": x.get("type", "adult"),
                    "first_name": x.get("first_name", ""), "last_name": x.get("last_name", ""),
                    "document_number": (x.get("document") or {}).get("number", ""),
                    "infant_of": x.get("infant_of") or "", "cabin_class": p.get("cabin_class", "normal"),
                    "phone": contact.get("phone", ""), "email": contact.get("email", ""),
                    "code_digest": domain.code_digest(self._key, code),
                    "last_departure": max(departures) if departures else None,
                })
                if added:
                    break  # else the code is active for someone else: draw again
            else:
                raise RuntimeError("could not draw a unique check-in code")
            mine = []
            for pf in x.get("flights", []):
                f = flights.get(pf["flight_id"], {})
                await repo.add_leg({
                    "booking_id": bid, "passenger_id": x["id"], "flight_id": pf["flight_id"],
                    "number": f.get("number", ""), "origin": f.get("origin", ""),
                    "destination": f.get("destination", ""),
                    "scheduled_departure": _time(f.get("scheduled_departure")),
                    "seat": early.get((x["id"], pf["flight_id"])) or pf.get("seat") or "",
                    "e_ticket": pf.get("e_ticket") or "",
                })
                mine.append({"flight_id": pf["flight_id"], "number": f.get("number", ""),
                             "origin": f.get("origin", ""), "destination": f.get("destination", ""),
                             "scheduled_departure": f.get("scheduled_departure")})
            # The plain code leaves only in this event (the notification service texts it);
            # the table keeps its HMAC.
            await uow.emit(CODE_ISSUED, bid, "CheckinCodeIssued", {
                "booking_id": bid, "pnr": pnr, "passenger_id": x["id"], "first_name": x.get("first_name", ""),
                "last_name": x.get("last_name", ""), "phone": contact.get("phone", ""),
                "email": contact.get("email", ""), "code": code, "flights": mine,
            })

    async def on_booking_cancelled(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        """Codes and passes of the booking are void, boarding passes already issued included;
        a cancellation before the confirmation leaves a tombstone (repo.confirm_booking)."""
        bid = event.payload["booking_id"]
        repo = CheckinRepository(uow.conn)
        await repo.cancel_booking(bid)  # first: a check-in in flight holds this row, so it ends first
        await repo.take_early_seats(bid)
        await repo.revoke_booking(bid, utcnow())

    async def on_seat_changed(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        p = event.payload
        repo = CheckinRepository(uow.conn)
        leg = await repo.leg(p["booking_id"], p["passenger_id"], p["flight_id"], lock=True)
        if leg is None:
            if await repo.booking_state(p["booking_id"]) != "cancelled":
                # ahead of its booking's confirmation (another topic): applied when that arrives
                await repo.remember_early_seat(p["booking_id"], p["passenger_id"], p["flight_id"],
                                               p.get("new_seat") or "")
            return
        if leg["status"] == Status.CANCELLED.value or leg["revoked_at"] is not None:
            return  # the booking was cancelled: its void pass is not re-issued with a new seat
        values: dict[str, Any] = {"seat": p.get("new_seat") or ""}
        if leg["bcbp"]:
            # a pass already issued must show the new seat
            old = bcbp.parse(leg["bcbp"])
            values["bcbp"] = bcbp.encode(bcbp.Pass(old.name, [
                bcbp.Leg(**{**leg_.__dict__, "seat": values["seat"]}) for leg_ in old.legs]))
        await repo.update_leg(p["booking_id"], p["passenger_id"], p["flight_id"], **values)

    def handlers(self: CheckinService) -> dict[str, Handler]:
        return {BOOKING_CONFIRMED: self.on_booking_confirmed, BOOKING_CANCELLED: self.on_booking_cancelled,
                SEAT_CHANGED: self.on_seat_changed}
