"""Bag drop at the counter: a bag weighed in against a confirmed booking, its excess fee
worked out from the allowance, accepted with a licence-plate tag at once when there is no fee;
a repeat with the same idempotency key replays the first drop.

The booking, flight and plane are asked for before the transaction starts, so no database
transaction waits on the network.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from airline.airport.v1 import airport_pb2 as apb
from airline.baggage import domain
from airline.baggage.domain import Allowance, Measure, Status
from airline.baggage.service_base import KEY, BaggageServiceBase, Detail
from airline.baggage.store import BaggageRepository, keys
from airline.booking.v1 import booking_pb2 as bpb
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform import flight_status
from airline.platform.auth import Role, require
from airline.platform.db import UnitOfWork, utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, ValidationFailed
from airline.platform.idempotency import request_hash


@dataclass(frozen=True)
class DropInput:
    booking_id: str
    passenger_id: str
    flight_id: str
    weight_kg: str
    length_cm: int
    width_cm: int
    height_cm: int
    idempotency_key: str = ""
    location: str = ""


def _cancelled() -> Conflict:
    return Conflict("the booking was cancelled: its bags are not accepted", code="booking_cancelled")


class BagDrop(BaggageServiceBase):
    """The drop use case of BaggageService."""

    async def drop(self, inp: DropInput) -> Detail:
        agent = require(Role.AGENT)
        grams = domain.grams(inp.weight_kg)
        length, width, height = domain.dimensions(inp.length_cm, inp.width_cm, inp.height_cm)
        location = domain.location(inp.location or "check-in counter")
        key = inp.idempotency_key.strip()
        if key and not KEY.fullmatch(key):
            raise ValidationFailed("the idempotency key is 1-255 visible ASCII characters", field="idempotency_key")
        booking_id, passenger_id, flight_id = (inp.booking_id.strip(), inp.passenger_id.strip(), inp.flight_id.strip())
        # the same key again replays the first drop; with another request it is refused
        scope, digest = (
            f"drop:{agent.subject}",
            request_hash(booking_id, passenger_id, flight_id, grams, length, width, height, location),
        )
        if key:
            async with self.db.uow() as uow:
                earlier = await self._earlier_drop(uow, agent.subject, scope, key, digest)
                if earlier is not None:
                    return await self._replay(uow, earlier)
        if not booking_id or not passenger_id or not flight_id:
            raise ValidationFailed("booking_id, passenger_id and flight_id are required", field="booking_id")
        booking: bpb.Booking = await self._rpc(
            self.clients.booking.GetBooking,
            bpb.GetBookingRequest(access=bpb.Access(booking_id=booking_id)),
            "the booking service",
        )
        if booking.state == "cancelled":
            raise _cancelled()
        if booking.state != "confirmed":
            raise Conflict(
                f"the booking is {booking.state}; only a confirmed booking checks bags", code="booking_not_confirmed"
            )
        passenger = next((p for p in booking.passengers if p.id == passenger_id), None)
        if passenger is None:
            raise NotFound(f"the booking has no passenger {passenger_id}", field="passenger_id")
        if passenger.cancelled:  # cancelled alone after the sale: no longer travelling
            raise Conflict(f"passenger {passenger_id} was cancelled: no bag for them", code="passenger_cancelled")
        leg = next((g for g in booking.legs if g.flight_id == flight_id), None)
        if leg is None:
            raise ValidationFailed("this flight is not one of the booking's", field="flight_id")
        flight: fpb.Flight = await self._rpc(
            self.clients.flights.GetFlight, fpb.GetFlightRequest(id=flight_id), "the flights service", idempotent=True
        )
        if not flight_status.bag_drop_allowed(flight.status):
            raise Conflict(
                f"flight {flight.number} is {flight.status}: bags are no longer accepted", code="flight_closed"
            )
        registration = ""
        if flight.plane_id:
            with contextlib.suppress(DomainError):  # the tag does not need it; the manifest shows it when known
                plane = await self._rpc(
                    self.clients.airport.GetPlane,
                    apb.GetPlaneRequest(id=flight.plane_id),
                    "the airport service",
                    idempotent=True,
                )
                registration = plane.registration
        allowance = self.allowance(booking, leg, passenger)
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            await repo.lock_booking(booking_id)
            if await repo.booking_cancelled(booking_id):  # cancelled since the booking service answered
                raise _cancelled()
            await repo.lock_passenger(booking_id, passenger_id, flight_id)
            if await repo.offloaded(flight_id, booking_id, passenger_id):
                raise Conflict(
                    f"passenger {passenger_id} was offloaded from flight {flight.number} at door close: no bag flies",
                    code="passenger_offloaded",
                )
            earlier = await repo.passenger_bags(booking_id, passenger_id, flight_id)
            measures = [Measure(b["weight_g"], b["length_cm"] + b["width_cm"] + b["height_cm"]) for b in earlier]
            charge = domain.charges(allowance, [*measures, Measure(grams, length + width + height)], self.rates)[-1]
            values = dict(
                id=str(uuid.uuid4()),
                status=Status.AWAITING_PAYMENT.value,
                booking_id=booking_id,
                pnr=booking.pnr,
                passenger_id=passenger_id,
                first_name=passenger.first_name,
                last_name=passenger.last_name,
                name_key=passenger.last_name.lower(),
                phone=booking.contact.phone,
                flight_id=flight_id,
                flight_number=flight.number,
                origin=flight.origin,
                destination=flight.destination,
                plane_id=flight.plane_id,
                plane_registration=registration,
                weight_g=grams,
                length_cm=length,
                width_cm=width,
                height_cm=height,
                fee=charge.fee,
                currency=booking.currency or "SGD",
                fee_reasons=charge.reasons,
                drop_key=key or None,
                dropped_by=agent.subject,
            )
            if charge.fee == 0:
                values |= dict(status=Status.CHECKED_IN.value, tag=await self._new_tag(repo), accepted_at=utcnow())
            try:
                bag = await repo.add(values)
            except IntegrityError:
                # the same key raced us: the first drop stands
                await uow.rollback()
                async with self.db.uow() as again:
                    first = await self._earlier_drop(again, agent.subject, scope, key, digest)
                    if first is None:
                        raise
                    return await self._replay(again, first)
            if key:
                await keys.remember(uow.conn, scope, key, digest, {"bag_id": bag["id"]})
            if charge.fee == 0:
                bag = await self._accepted(uow, repo, bag, agent, location)
            await uow.commit()
            return Detail(bag, await repo.history(bag["id"]) if bag["tag"] else [])

    @staticmethod
    def allowance(booking: bpb.Booking, leg: bpb.Leg, passenger: bpb.Passenger) -> Allowance:
        """The fare's pieces (none for an infant) plus what was bought while booking."""
        bought = next(
            (b for b in booking.bags if b.flight_id == leg.flight_id and b.passenger_id == passenger.id), None
        )
        if bought is not None and (bought.included_pieces or passenger.type == "infant"):
            pieces = bought.included_pieces
        else:
            pieces = 0 if passenger.type == "infant" else leg.checked_bags
        return Allowance(
            pieces=pieces,
            piece_kg=leg.bag_weight_kg,
            extra_pieces=bought.extra_pieces if bought else 0,
            overweight_kg=bought.overweight_kg if bought else 0,
        )

    async def forget_old_keys(self) -> int:
        """Drop idempotency keys past their retention (a periodic job)."""
        cutoff = utcnow() - timedelta(hours=self.settings.idempotency_retention_hours)
        async with self.db.uow() as uow:
            removed = await keys.forget_older_than(uow.conn, cutoff)
            await uow.commit()
        return removed

    @staticmethod
    async def _earlier_drop(uow: UnitOfWork, agent: str, scope: str, key: str, digest: str) -> Mapping[str, Any] | None:
        """The bag an earlier drop with this key made (IdempotencyKeyReused when that drop was
        another request). Drops from before the key table are found by the bag's own key."""
        repo = BaggageRepository(uow.conn)
        first = await keys.replay_or_none(uow.conn, scope, key, digest)
        if first is not None:
            return await repo.get(first["bag_id"])
        return await repo.by_drop_key(agent, key)
