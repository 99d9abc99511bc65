"""What every baggage use case shares: the service's collaborators, calls to other services,
and the writes that go with a bag's life (a new tag, acceptance, a tracking scan, each with its
event in the caller's transaction)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from airline.baggage import domain
from airline.baggage.domain import Rates, Status
from airline.baggage.settings import BaggageSettings
from airline.baggage.store import BaggageRepository
from airline.contracts.events import baggage as baggage_events
from airline.platform.auth import Principal, Role
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.grpc import call

STAFF = (Role.AGENT, Role.OPS, Role.CS)
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass
class Clients:
    booking: Any
    flights: Any
    airport: Any
    payment: Any


@dataclass(frozen=True)
class Access:
    """A guest shows the booking's PNR and a passenger's last name."""

    pnr: str = ""
    last_name: str = ""


@dataclass
class Detail:
    bag: Mapping[str, Any]
    history: list[Mapping[str, Any]]
    replayed: bool = False


class BaggageServiceBase:
    """The collaborators and helpers every baggage use case shares."""

    def __init__(
        self,
        db: ServiceDatabase,
        settings: BaggageSettings,
        clients: Clients,
        system: Callable[[], AbstractContextManager[Principal]],
    ) -> None:
        self.db = db
        self.settings = settings
        self.clients = clients
        self.system = system
        self.rates = Rates(settings.extra_piece_price, settings.overweight_price_per_kg, settings.oversize_price)

    async def _call(self, method: Any, request: Any, who: str, *, idempotent: bool = False) -> Any:
        """Another service, as the caller, through platform.grpc.call (deadline, retries of
        reads and of keyed writes, errors mapped)."""
        return await call(method, request, deadline=self.settings.call_timeout_seconds, idempotent=idempotent, who=who)

    async def _rpc(self, method: Any, request: Any, who: str, *, idempotent: bool = False) -> Any:
        with self.system():
            return await self._call(method, request, who, idempotent=idempotent)

    async def _replay(self, uow: UnitOfWork, bag: Mapping[str, Any]) -> Detail:
        return Detail(bag, await BaggageRepository(uow.conn).history(bag["id"]), replayed=True)

    async def _new_tag(self, repo: BaggageRepository) -> str:
        return domain.licence_plate(self.settings.airline_code, await repo.next_tag_serial())

    async def _accepted(
        self, uow: UnitOfWork, repo: BaggageRepository, bag: Mapping[str, Any], who: Principal, location: str
    ) -> Mapping[str, Any]:
        """The automatic first scan (checked in at the origin) and the acceptance event."""
        bag, _ = await self._track(
            uow, repo, bag, Status.CHECKED_IN, bag["origin"], location, utcnow(), f"accepted-{bag['id']}", who
        )
        await uow.emit_event(
            baggage_events.BAG_ACCEPTED,
            bag["id"],
            {
                "bag_id": bag["id"],
                "tag": bag["tag"],
                "booking_id": bag["booking_id"],
                "pnr": bag["pnr"],
                "passenger_id": bag["passenger_id"],
                "passenger_name": f"{bag['first_name']} {bag['last_name']}",
                "flight_id": bag["flight_id"],
                "flight_number": bag["flight_number"],
                "origin": bag["origin"],
                "destination": bag["destination"],
                "plane_id": bag["plane_id"],
                "weight_g": bag["weight_g"],
                "fee": bag["fee"],
                "currency": bag["currency"],
                "payment_id": bag["payment_id"],
                "accepted_at": bag["accepted_at"].isoformat(),
            },
        )
        return bag

    async def _track(
        self,
        uow: UnitOfWork,
        repo: BaggageRepository,
        bag: Mapping[str, Any],
        status: Status,
        airport: str,
        location: str,
        at: datetime,
        client_event_id: str,
        who: Principal,
    ) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
        seq = bag["seq"] + 1
        event = await repo.add_event(
            bag["id"], seq, client_event_id, status.value, airport, location, at, who.subject, who.role.value
        )
        bag = await repo.update(bag["id"], status=status.value, seq=seq)
        await uow.emit_event(
            baggage_events.BAG_TRACKED,
            bag["id"],
            {
                "bag_id": bag["id"],
                "tag": bag["tag"],
                "status": status.value,
                "place": {"airport": airport, "location": location},
                "at": at.astimezone(UTC).isoformat(),
                "booking_id": bag["booking_id"],
                "pnr": bag["pnr"],
                "passenger_id": bag["passenger_id"],
                "passenger_name": f"{bag['first_name']} {bag['last_name']}",
                "flight_id": bag["flight_id"],
                "flight_number": bag["flight_number"],
                "phone": bag["phone"],
                "seq": seq,
                "event_id": client_event_id,
                "recorded_by": who.subject,
                "role": who.role.value,
            },
        )
        return bag, event
