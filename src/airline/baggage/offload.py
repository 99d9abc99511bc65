"""Door close and bag reconciliation (issue 18): when checkin reports the door closed, the bags
of every offloaded passenger are flagged to come off the flight (a flagged bag may not be
loaded again; a loaded one waits for an agent's "unloaded" scan), and the reconciliation tells
which flagged bags are still loaded: the flights service refuses "departed" while any is (a bag
never flies without its passenger). Mixed into BaggageService."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from airline.baggage.domain import Status
from airline.baggage.service_base import STAFF
from airline.baggage.store import BaggageRepository
from airline.contracts.events import checkin as checkin_events
from airline.platform.auth import Role, require
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.errors import ValidationFailed
from airline.platform.events import Envelope

if TYPE_CHECKING:
    from airline.baggage.service import BaggageService


@dataclass
class Reconciliation:
    flight_id: str
    flight_number: str
    door_closed: bool
    to_offload: list[Mapping[str, Any]]
    flying: list[Mapping[str, Any]]

    @property
    def still_loaded(self) -> list[str]:
        return [b["tag"] for b in self.to_offload if b["status"] == Status.LOADED.value]

    @property
    def loaded(self) -> int:
        """Bags in the hold, whoever's."""
        return sum(b["status"] == Status.LOADED.value for b in (*self.to_offload, *self.flying))

    @property
    def ready(self) -> bool:
        """Nothing of an offloaded passenger in the hold; and, while bags are loaded, the door
        closed: until then nobody knows who did not board, so any loaded bag may fly alone."""
        return not self.still_loaded and (self.door_closed or not self.loaded)


class BagOffload:
    """The DoorClosed handler and the reconciliation view of BaggageService."""

    async def on_door_closed(self: BaggageService, uow: UnitOfWork, event: Envelope) -> None:
        """Flags the offloaded passengers' bags; a repeat finds them flagged already."""
        p = checkin_events.DOOR_CLOSED.parse(event)
        repo = BaggageRepository(uow.conn)
        closed_at = datetime.fromisoformat(p.closed_at)
        await repo.record_door(p.flight_id, closed_at, [(x.booking_id, x.passenger_id) for x in p.offloaded])
        await self._flag_offloaded(repo, p.flight_id)

    async def _flag_offloaded(self: BaggageService, repo: BaggageRepository, flight_id: str) -> None:
        now = utcnow()
        for bag in await repo.bags_to_flag(flight_id):
            await repo.update(bag["id"], offload=True, offload_flagged_at=now)

    async def reconciliation(self: BaggageService, flight_id: str) -> Reconciliation:
        require(*STAFF, Role.SYSTEM)
        flight_id = flight_id.strip()
        if not flight_id:
            raise ValidationFailed("flight_id is required", field="flight_id")
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            await self._flag_offloaded(repo, flight_id)  # a bag dropped or moved here since
            door = await repo.door_closed(flight_id)
            rows = await repo.flight_bags(flight_id)
            await uow.commit()
        number = rows[0]["flight_number"] if rows else ""
        return Reconciliation(
            flight_id, number, door, [b for b in rows if b["offload"]], [b for b in rows if not b["offload"]]
        )
