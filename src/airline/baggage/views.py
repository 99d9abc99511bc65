"""What baggage shows, with its access rules: a bag and its history, a booking's bags (its
owner, staff, or a guest with the PNR and a last name), and the staff views: search and a
flight's manifest."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from airline.baggage import domain
from airline.baggage.domain import Status
from airline.baggage.service_base import STAFF, Access, BaggageServiceBase, Detail
from airline.baggage.store import BaggageRepository
from airline.booking.v1 import booking_pb2 as bpb
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform.auth import Role, current_principal, require
from airline.platform.errors import NotFound, PermissionDenied, Unauthenticated, ValidationFailed


@dataclass
class Manifest:
    flight_id: str
    flight_number: str
    plane_id: str
    plane_registration: str
    bags: list[Mapping[str, Any]]
    count: int
    total_weight_g: int
    not_loaded: list[str]


def _page_token(row: Mapping[str, Any]) -> str:
    raw = f"{row['created_at'].isoformat()}|{row['id']}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(token: str) -> tuple[datetime, str] | None:
    if not token:
        return None
    try:
        at, _, bag_id = base64.urlsafe_b64decode(token.encode()).decode().partition("|")
        return datetime.fromisoformat(at), bag_id
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed("page_token is not one this service gave", field="page_token") from None


class BaggageViews(BaggageServiceBase):
    """The reads of BaggageService."""

    async def _may_see_booking(self, booking_id: str, access: Access) -> None:
        """Staff and services see every bag; a passenger only their booking's (signed in as
        its owner, or showing its PNR + a passenger's last name). Anyone else's is NOT_FOUND."""
        principal = current_principal.get()
        if principal is not None and principal.has(*STAFF, Role.SYSTEM):
            return
        if access.pnr and access.last_name:
            try:
                found = await self._rpc(
                    self.clients.booking.FindBooking,
                    bpb.FindBookingRequest(pnr=access.pnr.strip().upper(), last_name=access.last_name.strip()),
                    "the booking service",
                    idempotent=True,
                )
            except NotFound:
                found = None
            if found is not None and found.id == booking_id:
                return
            raise NotFound("no such bag for this PNR and last name")
        if principal is None:
            raise Unauthenticated("sign in, or give the booking's PNR and last name")
        if principal.role is Role.PASSENGER:
            try:  # with the caller's own token: the booking service decides whose booking it is
                await self._call(
                    self.clients.booking.GetBooking,
                    bpb.GetBookingRequest(access=bpb.Access(booking_id=booking_id)),
                    "the booking service",
                    idempotent=True,
                )
                return
            except (NotFound, PermissionDenied):
                raise NotFound("no such bag") from None
        raise PermissionDenied(f"this needs the role agent, ops or cs; you are {principal.role.value}")

    async def get(self, tag: str, bag_id: str, access: Access) -> Detail:
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            if tag:
                bag = await repo.by_tag(domain.tag(tag))
            elif bag_id:
                bag = await repo.get(bag_id.strip())
            else:
                raise ValidationFailed("give a tag or a bag id", field="tag")
            if bag is None:
                raise NotFound("no such bag", field="tag")
            history = await repo.history(bag["id"])
        await self._may_see_booking(bag["booking_id"], access)
        return Detail(bag, history)

    async def booking_bags(self, booking_id: str, access: Access) -> list[Mapping[str, Any]]:
        booking_id = booking_id.strip()
        if not booking_id and access.pnr and access.last_name:
            found = await self._rpc(
                self.clients.booking.FindBooking,
                bpb.FindBookingRequest(pnr=access.pnr.strip().upper(), last_name=access.last_name.strip()),
                "the booking service",
                idempotent=True,
            )
            booking_id = found.id
        if not booking_id:
            raise ValidationFailed("give the booking id, or its PNR and last name", field="booking_id")
        await self._may_see_booking(booking_id, access)
        async with self.db.uow() as uow:
            return list(reversed(await BaggageRepository(uow.conn).search(booking_id=booking_id, limit=500)))

    # ------------------------------------------------------------ staff views

    async def search(
        self, *, tag: str, name: str, flight_id: str, status: str, page_size: int, page_token: str
    ) -> tuple[list[Mapping[str, Any]], str]:
        require(*STAFF)
        tag = domain.tag(tag) if tag else ""
        name = domain.name_prefix(name) if name else ""
        status = domain.status(status).value if status else ""
        size = page_size or 50
        if not 1 <= size <= 200:
            raise ValidationFailed("page_size must be 1-200", field="page_size")
        async with self.db.uow() as uow:
            rows = await BaggageRepository(uow.conn).search(
                tag=tag, name=name, flight_id=flight_id.strip(), status=status, after=_after(page_token), limit=size + 1
            )
        more = len(rows) > size
        rows = rows[:size]
        return rows, _page_token(rows[-1]) if more else ""

    async def manifest(self, flight_id: str) -> Manifest:
        require(*STAFF)
        flight_id = flight_id.strip()
        if not flight_id:
            raise ValidationFailed("flight_id is required", field="flight_id")
        flight: fpb.Flight = await self._rpc(
            self.clients.flights.GetFlight, fpb.GetFlightRequest(id=flight_id), "the flights service", idempotent=True
        )
        async with self.db.uow() as uow:
            rows = await BaggageRepository(uow.conn).flight_bags(flight_id)
        registration = next((r["plane_registration"] for r in rows if r["plane_id"] == flight.plane_id), "")
        not_loaded = [r["tag"] for r in rows if Status(r["status"]) in domain.NOT_LOADED]
        return Manifest(
            flight_id,
            flight.number,
            flight.plane_id,
            registration,
            rows,
            len(rows),
            sum(r["weight_g"] for r in rows),
            not_loaded,
        )
