"""Check-in's event handlers: confirmations issue the codes; cancellations and seat changes
keep them and the passes true. Booking events of different topics have no common order: a
cancellation may come before its confirmation (a tombstone), a seat change before either.
Mixed into CheckinService (its code key and settings)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from airline.checkin import bcbp, domain, upgrade_rules
from airline.checkin.domain import Status
from airline.checkin.store import CheckinRepository
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.events import Envelope

if TYPE_CHECKING:
    from airline.checkin.service import CheckinService

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


class CheckinConsumers:
    """The `on_*` handlers of CheckinService."""

    async def on_booking_confirmed(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        p = booking_events.BOOKING_CONFIRMED.parse(event)
        bid = p.booking_id
        repo = CheckinRepository(uow.conn)
        if await repo.confirm_booking(bid) == "cancelled":
            # its cancellation came first (another topic, no order between them): it stays cancelled
            log.info("booking %s confirmed after its cancellation: no check-in codes issued", bid)
            return
        await self._issue_codes(uow, repo, p)

    async def _issue_codes(
        self: CheckinService,
        uow: UnitOfWork,
        repo: CheckinRepository,
        p: booking_events.BookingConfirmed | booking_events.BookingReaccommodated,
    ) -> None:
        """Each passenger not known yet gets a code and a leg per flight (the code texted)."""
        bid, pnr = p.booking_id, p.pnr
        early = await repo.take_early_seats(bid)
        flights = {f.flight_id: f for f in p.flights}
        departures = [d for d in (parse_time(f.scheduled_departure) for f in flights.values()) if d]
        contact = p.contact
        # the upgrade list's priority (a re-accommodation carries no total: 0, listed last)
        total, currency = (p.total, p.currency) if isinstance(p, booking_events.BookingConfirmed) else (0, "")
        per_seat = upgrade_rules.fare_per_seat(total, (x.type for x in p.passengers), len(p.flights))
        for x in p.passengers:
            if await repo.passenger(bid, x.id) is not None:
                continue
            for _ in range(20):
                code = domain.new_code()
                added = await repo.add_passenger(
                    {
                        "booking_id": bid,
                        "passenger_id": x.id,
                        "pnr": pnr,
                        "type": x.type,
                        "first_name": x.first_name,
                        "last_name": x.last_name,
                        "document_number": (x.document or {}).get("number", ""),
                        **domain.travel_document(x.date_of_birth, x.document, x.meal),
                        "infant_of": x.infant_of or "",
                        "cabin_class": p.cabin_class,
                        "phone": contact.phone,
                        "email": contact.email,
                        "code_digest": domain.code_digest(self._key, code),
                        "last_departure": max(departures) if departures else None,
                        "fare_per_seat": per_seat,
                        "fare_currency": currency,
                    }
                )
                if added:
                    break  # else the code is active for someone else: draw again
            else:
                raise RuntimeError("could not draw a unique check-in code")
            mine = []
            for pf in x.flights:
                f = flights.get(pf.flight_id)
                number, origin, destination = (f.number, f.origin, f.destination) if f else ("", "", "")
                departure = f.scheduled_departure if f else None
                await repo.add_leg(
                    {
                        "booking_id": bid,
                        "passenger_id": x.id,
                        "flight_id": pf.flight_id,
                        "number": number,
                        "origin": origin,
                        "destination": destination,
                        "scheduled_departure": parse_time(departure),
                        "seat": early.get((x.id, pf.flight_id)) or pf.seat or "",
                        "e_ticket": pf.e_ticket or "",
                    }
                )
                mine.append(
                    {
                        "flight_id": pf.flight_id,
                        "number": number,
                        "origin": origin,
                        "destination": destination,
                        "scheduled_departure": departure,
                    }
                )
            # The plain code leaves only in this event (the notification service texts it);
            # the table keeps its HMAC.
            await uow.emit_event(
                checkin_events.CODE_ISSUED,
                bid,
                {
                    "booking_id": bid,
                    "pnr": pnr,
                    "passenger_id": x.id,
                    "first_name": x.first_name,
                    "last_name": x.last_name,
                    "phone": contact.phone,
                    "email": contact.email,
                    "code": code,
                    "flights": mine,
                },
            )

    async def on_booking_cancelled(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        """Codes and passes of the booking are void, boarding passes already issued included;
        a cancellation before the confirmation leaves a tombstone (repo.confirm_booking)."""
        bid = booking_events.BOOKING_CANCELLED.parse(event).booking_id
        repo = CheckinRepository(uow.conn)
        await repo.cancel_booking(bid)  # first: a check-in in flight holds this row, so it ends first
        await repo.take_early_seats(bid)
        await repo.revoke_booking(bid, utcnow())

    async def on_seat_changed(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        p = booking_events.SEAT_CHANGED.parse(event)
        repo = CheckinRepository(uow.conn)
        leg = await repo.leg(p.booking_id, p.passenger_id, p.flight_id, lock=True)
        if leg is None:
            if await repo.booking_state(p.booking_id) != "cancelled":
                # ahead of its booking's confirmation (another topic): applied when that arrives
                await repo.remember_early_seat(p.booking_id, p.passenger_id, p.flight_id, p.new_seat or "")
            return
        if leg["status"] == Status.CANCELLED.value or leg["revoked_at"] is not None:
            return  # the booking was cancelled: its void pass is not re-issued with a new seat
        values: dict[str, Any] = {"seat": p.new_seat or ""}
        if leg["bcbp"]:  # a pass already issued must show the new seat
            values["bcbp"] = bcbp.with_seat(leg["bcbp"], values["seat"])
        await repo.update_leg(p.booking_id, p.passenger_id, p.flight_id, **values)

    def handlers(self: CheckinService) -> dict[str, Handler]:
        return {
            booking_events.BOOKING_CONFIRMED.topic: self.on_booking_confirmed,
            booking_events.BOOKING_CANCELLED.topic: self.on_booking_cancelled,
            booking_events.SEAT_CHANGED.topic: self.on_seat_changed,
            booking_events.BOOKING_REACCOMMODATED.topic: self.on_booking_reaccommodated,
            # a voluntary change has the move's shape: the same handler (old passes stop, legs move)
            booking_events.BOOKING_CHANGED.topic: self.on_booking_reaccommodated,
            booking_events.PASSENGER_CANCELLED.topic: self.on_passenger_cancelled,
            booking_events.PASSENGER_RENAMED.topic: self.on_passenger_renamed,
        }
