"""Check-in follows one passenger changed after the sale (issue 15):

- PassengerCancelled: the passenger (and the infant on their lap) no longer travels: their
  check-in code is revoked and their legs cancelled, so a boarding pass already issued is
  refused at the gate (`code_revoked`) and check-in refuses them.
- PassengerRenamed: a misspelt name corrected: the passenger's name and e-tickets change, and a
  boarding pass already issued is reissued with the new name (a new barcode and pass id: the
  old barcode no longer matches any pass, so it stops scanning).

Idempotent: the consumer records each event id with its effects; a cancellation applied twice
changes nothing more. Out of order: both are about a passenger the booking's confirmation
(another topic) creates here. A cancellation heard first leaves the passenger's row revoked
already (a tombstone: the late confirmation finds them known and issues them no code); a
rename heard first is logged and dropped (not retried: the consumer handles its topics one event
at a time, so waiting would hold back the very confirmation awaited; a name corrected within
moments of the sale is that rare)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from airline.checkin import bcbp
from airline.checkin.domain import Status
from airline.checkin.store import CheckinRepository
from airline.contracts.events import booking as booking_events
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.events import Envelope

if TYPE_CHECKING:
    from airline.checkin.service import CheckinService

log = logging.getLogger(__name__)


class PassengerChangesConsumer:
    """The PassengerCancelled and PassengerRenamed handlers of CheckinService."""

    async def on_passenger_cancelled(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        p = booking_events.PASSENGER_CANCELLED.parse(event)
        repo = CheckinRepository(uow.conn)
        now = utcnow()
        for pid in p.passenger_ids:
            pax = await repo.passenger(p.booking_id, pid)
            if pax is None:
                await repo.add_passenger(_tombstone(p, pid, now))
                continue
            if pax["revoked_at"] is not None:
                continue
            await repo.update_passenger(p.booking_id, pid, revoked_at=now)
            for leg in await repo.legs_of(p.booking_id, pid):
                await repo.update_leg(p.booking_id, pid, leg["flight_id"], status=Status.CANCELLED.value)

    async def on_passenger_renamed(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        p = booking_events.PASSENGER_RENAMED.parse(event)
        repo = CheckinRepository(uow.conn)
        if await repo.passenger(p.booking_id, p.passenger_id) is None:
            log.warning("booking %s: %s renamed before check-in knew them; not applied", p.booking_id, p.passenger_id)
            return
        bid, pid = p.booking_id, p.passenger_id
        await repo.update_passenger(bid, pid, first_name=p.first_name, last_name=p.last_name)
        tickets = {t.flight_id: t.number for t in p.tickets}
        name = bcbp.passenger_name(p.last_name, p.first_name)
        for leg in await repo.legs_of(bid, pid):
            values: dict[str, object] = {"e_ticket": tickets.get(leg["flight_id"], leg["e_ticket"])}
            void = leg["status"] == Status.CANCELLED.value or leg["revoked_at"] is not None
            if leg["bcbp"] and not void:
                old = bcbp.parse(leg["bcbp"])
                values["bcbp"] = bcbp.encode(bcbp.Pass(name, old.legs, old.electronic_ticket))
                values["pass_id"] = str(uuid.uuid4())  # the old pass's link no longer opens it
            await repo.update_leg(bid, pid, leg["flight_id"], **values)


def _tombstone(p: booking_events.PassengerCancelled, pid: str, now: datetime) -> dict[str, object]:
    """A passenger cancelled before check-in heard of the booking: known and revoked, with no code
    anyone holds (a digest no code hashes to) and no leg."""
    return {
        "booking_id": p.booking_id,
        "passenger_id": pid,
        "pnr": p.pnr,
        "type": next((str(x.get("type", "")) for x in p.passengers if x.get("id") == pid), ""),
        "first_name": "",
        "last_name": "",
        "cabin_class": p.cabin_class,
        "code_digest": f"cancelled:{p.booking_id}:{pid}",
        "revoked_at": now,
    }
