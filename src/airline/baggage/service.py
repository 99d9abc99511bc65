"""Baggage use cases behind one service (what grpc_api, the consumers and the composition root
call). The only place a transaction begins and commits. Each flow lives in its own module:

- bag_drop.py      bag drop against a confirmed booking, the allowance and the excess fee;
- excess_fee.py    paying that fee at the desk, then acceptance with a licence-plate tag;
- views.py         a bag, a booking's bags, search and manifests, with the access rules;
- consumers.py     a cancelled booking's bags are withdrawn;
- service_base.py  the collaborators, acceptance and the tracking write every flow shares;
here the tracking scans.

Other services are asked before a transaction starts (booking: the booking, its passenger,
leg and allowance; flights: the flight; airport: the plane's registration; payment: the fee),
so no database transaction waits on the network.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airline.baggage import domain
from airline.baggage.bag_drop import BagDrop, DropInput
from airline.baggage.consumers import BaggageConsumers
from airline.baggage.domain import Status
from airline.baggage.excess_fee import BagPayment
from airline.baggage.offload import BagOffload
from airline.baggage.service_base import STAFF, Access, Clients, Detail
from airline.baggage.store import BaggageRepository
from airline.baggage.views import BaggageViews, Manifest
from airline.platform.auth import Role, require
from airline.platform.db import utcnow
from airline.platform.errors import NotFound, ValidationFailed

__all__ = ["STAFF", "Access", "BaggageService", "Clients", "Detail", "DropInput", "Manifest"]


class BaggageService(BagDrop, BagPayment, BaggageViews, BaggageConsumers, BagOffload):
    """Every baggage use case, as the gRPC API, the consumers and the composition root know them."""

    async def record(
        self, tag: str, status: str, airport: str, location: str, at: datetime | None, event_id: str
    ) -> Detail:
        """A tracking scan (an agent's scanner or a system), in the order the domain allows; a
        repeat of the scanner's event id changes nothing."""
        who = require(Role.AGENT, Role.SYSTEM)
        tag = domain.tag(tag)
        wanted = domain.tracking_status(status)
        airport, location = domain.place(airport, location)
        event_id = domain.client_event_id(event_id)
        now = utcnow()
        at = at or now
        if at > now + timedelta(minutes=5):
            raise ValidationFailed("the scan time is in the future", field="at")
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            bag = await repo.by_tag(tag, lock=True)
            if bag is None:
                raise NotFound(f"no bag with tag {tag}", field="tag")
            if await repo.event_by_client_id(bag["id"], event_id) is not None:
                return await self._replay(uow, bag)
            domain.next_status(Status(bag["status"]), wanted)
            if bag["offload"] and wanted is Status.LOADED:
                raise domain.offload_refusal(bag["tag"])
            bag, _ = await self._track(uow, repo, bag, wanted, airport, location, at, event_id, who)
            await uow.commit()
            return Detail(bag, await repo.history(bag["id"]))
