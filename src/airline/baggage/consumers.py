"""Baggage's event handlers: a cancelled booking's bags are withdrawn. Mixed into
BaggageService (its tracking use case)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from airline.baggage import domain
from airline.baggage.domain import Status
from airline.baggage.store import BaggageRepository
from airline.contracts.events import booking as booking_events
from airline.platform.auth import Principal, Role
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.events import Envelope

if TYPE_CHECKING:
    from airline.baggage.service import BaggageService

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


class BaggageConsumers:
    """The `on_*` handlers of BaggageService."""

    async def on_booking_cancelled(self: BaggageService, uow: UnitOfWork, event: Envelope) -> None:
        """Bags of a cancelled booking are withdrawn (a loaded one is to be offloaded: its
        BagTracked event says so), and a later drop for the booking is refused."""
        bid = booking_events.BOOKING_CANCELLED.parse(event).booking_id
        repo = BaggageRepository(uow.conn)
        await repo.lock_booking(bid)
        await repo.mark_cancelled(bid)
        system = Principal("baggage", Role.SYSTEM)
        for bag in await repo.bags_of_booking(bid):
            if Status(bag["status"]) not in domain.WITHDRAWABLE:
                continue
            if bag["tag"] is None:  # never accepted: nothing to tell the tracking screens
                await repo.update(bag["id"], status=Status.WITHDRAWN.value)
                continue
            await self._track(
                uow,
                repo,
                bag,
                Status.WITHDRAWN,
                bag["origin"],
                "booking cancelled",
                utcnow(),
                f"withdrawn-{bag['id']}",
                system,
            )

    def handlers(self: BaggageService) -> dict[str, Handler]:
        return {booking_events.BOOKING_CANCELLED.topic: self.on_booking_cancelled}
