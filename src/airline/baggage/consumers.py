"""Baggage's event handlers: a cancelled booking's bags are withdrawn; a booking moved by the
airline (re-accommodation) takes its checked bags to its new flights. Mixed into
BaggageService (its tracking use case)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from airline.baggage import domain
from airline.baggage.domain import Status
from airline.baggage.store import BaggageRepository
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform.auth import Principal, Role
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.errors import DomainError
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
        await self._withdraw(uow, repo, bid, "booking cancelled")

    async def on_passenger_cancelled(self: BaggageService, uow: UnitOfWork, event: Envelope) -> None:
        """Bags of passengers cancelled alone are withdrawn like a cancelled booking's (a loaded
        one is to be offloaded: no bag flies without its passenger)."""
        p = booking_events.PASSENGER_CANCELLED.parse(event)
        repo = BaggageRepository(uow.conn)
        await repo.lock_booking(p.booking_id)
        await self._withdraw(uow, repo, p.booking_id, "passenger cancelled", set(p.passenger_ids))

    async def _withdraw(
        self: BaggageService,
        uow: UnitOfWork,
        repo: BaggageRepository,
        bid: str,
        why: str,
        passengers: set[str] | None = None,
    ) -> None:
        system = Principal("baggage", Role.SYSTEM)
        for bag in await repo.bags_of_booking(bid):
            if passengers is not None and bag["passenger_id"] not in passengers:
                continue
            if Status(bag["status"]) not in domain.WITHDRAWABLE:
                continue
            if bag["tag"] is None:  # never accepted: nothing to tell the tracking screens
                await repo.update(bag["id"], status=Status.WITHDRAWN.value)
                continue
            await self._track(
                uow, repo, bag, Status.WITHDRAWN, bag["origin"], why, utcnow(), f"withdrawn-{bag['id']}", system
            )

    async def on_booking_reaccommodated(self: BaggageService, uow: UnitOfWork, event: Envelope) -> None:
        """The airline moved the booking: its bags on a flight it left go with their passenger
        to the flight that replaces it, each with a `rerouted` tracking event (the passenger's
        live tracker shows it). A rerouted bag is on its new flight, so a repeat finds nothing
        left to move."""
        p = booking_events.BOOKING_REACCOMMODATED.parse(event)
        bid = p.booking_id
        repo = BaggageRepository(uow.conn)
        await repo.lock_booking(bid)
        if await repo.booking_cancelled(bid):
            return
        flights = {f.flight_id: f for f in p.flights}
        left = set(p.removed_flights) - set(flights)
        joined = {x.id: [pf.flight_id for pf in x.flights if pf.flight_id in p.added_flights] for x in p.passengers}
        system = Principal("baggage", Role.SYSTEM)
        planes: dict[str, str] = {}
        for bag in await repo.bags_of_booking(bid):
            if bag["flight_id"] not in left or Status(bag["status"]) not in domain.REROUTABLE:
                continue
            ids = [fid for fid in joined.get(bag["passenger_id"]) or p.added_flights if fid in flights]
            target = domain.reroute_flight(
                bag["origin"], bag["destination"], [(fid, flights[fid].origin, flights[fid].destination) for fid in ids]
            )
            if target is None:
                continue
            if target not in planes:
                planes[target] = await self._plane_of(target)
            f = flights[target]
            moved = await repo.update(
                bag["id"],
                flight_id=f.flight_id,
                flight_number=f.number,
                origin=f.origin,
                destination=f.destination,
                plane_id=planes[target],
                plane_registration="",
                offload=False,  # offloaded from the old flight, it flies the new one with its passenger
            )
            if bag["tag"] is None:  # not accepted yet: nothing to tell the tracking screens
                continue
            await self._track(
                uow,
                repo,
                moved,
                Status.REROUTED,
                bag["origin"],
                f"rerouted from {bag['flight_number']} to {f.number}",
                utcnow(),
                f"rerouted-{p.proposal_id}-{bag['id']}",
                system,
            )

    async def _plane_of(self: BaggageService, flight_id: str) -> str:
        """The plane a bag's new flight flies, when the flights service says (the manifest shows it)."""
        with contextlib.suppress(DomainError):
            flight = await self._rpc(
                self.clients.flights.GetFlight,
                fpb.GetFlightRequest(id=flight_id),
                "the flights service",
                idempotent=True,
            )
            return str(flight.plane_id)
        return ""

    def handlers(self: BaggageService) -> dict[str, Handler]:
        return {
            booking_events.BOOKING_CANCELLED.topic: self.on_booking_cancelled,
            booking_events.BOOKING_REACCOMMODATED.topic: self.on_booking_reaccommodated,
            booking_events.PASSENGER_CANCELLED.topic: self.on_passenger_cancelled,
            booking_events.BOOKING_CHANGED.topic: self.on_booking_reaccommodated,  # a voluntary change: bags rerouted
            checkin_events.DOOR_CLOSED.topic: self.on_door_closed,  # offloaded passengers' bags come off
        }
