"""Baggage use cases: bag drop against a confirmed booking, the excess fee and its payment,
acceptance with a licence-plate tag, tracking scans, manifests and search. The only place a
transaction begins and commits.

Other services are asked before a transaction starts (booking: the booking, its passenger,
leg and allowance; flights: the flight; airport: the plane's registration; payment: the fee),
so no database transaction waits on the network.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from airline.airport.v1 import airport_pb2 as apb
from airline.baggage import domain
from airline.baggage.consumers import BaggageConsumers
from airline.baggage.domain import Allowance, Measure, Rates, Status
from airline.baggage.settings import BaggageSettings
from airline.baggage.store import BaggageRepository, keys
from airline.booking.v1 import booking_pb2 as bpb
from airline.contracts.events import baggage as baggage_events
from airline.flights.v1 import flights_pb2 as fpb
from airline.payment.client import PaymentMethod
from airline.payment.v1 import payment_pb2 as ppb
from airline.platform import flight_status
from airline.platform.auth import Principal, Role, current_principal, require
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, PermissionDenied, Unauthenticated, ValidationFailed
from airline.platform.grpc import call
from airline.platform.idempotency import request_hash

log = logging.getLogger(__name__)

STAFF = (Role.AGENT, Role.OPS, Role.CS)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass
class Clients:
    booking: Any
    flights: Any
    airport: Any
    payment: Any


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


def _cancelled() -> Conflict:
    return Conflict("the booking was cancelled: its bags are not accepted", code="booking_cancelled")


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


class BaggageService(BaggageConsumers):
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

    # ------------------------------------------------------------ bag drop

    async def drop(self, inp: DropInput) -> Detail:
        agent = require(Role.AGENT)
        grams = domain.grams(inp.weight_kg)
        length, width, height = domain.dimensions(inp.length_cm, inp.width_cm, inp.height_cm)
        location = domain.location(inp.location or "check-in counter")
        key = inp.idempotency_key.strip()
        if key and not _KEY.fullmatch(key):
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

    # ------------------------------------------------------------ paying the excess

    async def pay(self, bag_id: str, idempotency_key: str, method: PaymentMethod) -> Detail:
        agent = require(Role.AGENT)
        key = (idempotency_key or "").strip()
        if not _KEY.fullmatch(key):
            raise ValidationFailed(
                "an idempotency key (1-255 visible ASCII characters) is required", field="idempotency_key"
            )
        if not method.given:
            raise ValidationFailed("a payment method is required: card or e_wallet", field="method")
        # Claim the bag for this key first: two agents paying one bag with different keys
        # would otherwise charge twice.
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            bag = await repo.get(bag_id.strip(), lock=True)
            if bag is None:
                raise NotFound("no such bag", field="bag_id")
            if bag["status"] == Status.WITHDRAWN.value:
                raise domain.withdrawn_refusal()
            if bag["status"] != Status.AWAITING_PAYMENT.value:
                if bag["payment_key"] == key:
                    return await self._replay(uow, bag)
                raise Conflict("this bag is paid and accepted already", code="bag_already_paid")
            if bag["payment_key"] not in ("", key):
                raise Conflict("another payment of this bag is in progress", code="payment_in_progress")
            await repo.update(bag["id"], payment_key=key)
            await uow.commit()
        request = ppb.AuthorisePaymentRequest(
            idempotency_key=f"bag-{bag['id']}-{key}",
            reference=bag["id"],
            amount=bag["fee"],
            currency=bag["currency"],
            capture=False,
        )
        method.into(request)
        try:
            reply = await self._rpc(self.clients.payment.AuthorisePayment, request, "the payment service")
            p = reply.payment
            if p.status == "requires_action":
                # no cardholder at the desk can answer a 3-D Secure challenge in this flow
                await self._rpc(
                    self.clients.payment.VoidPayment, ppb.VoidPaymentRequest(payment_id=p.id), "the payment service"
                )
                raise Conflict(
                    "this card needs 3-D Secure, which the desk cannot do; use another card or an e-wallet",
                    code="payment_declined",
                )
            if p.status == "failed":
                raise Conflict(
                    f"the payment was declined ({p.failure_code}): {p.failure_message}", code="payment_declined"
                )
            if p.status == "authorised":
                p = await self._rpc(
                    self.clients.payment.CapturePayment,
                    ppb.CapturePaymentRequest(payment_id=p.id),
                    "the payment service",
                )
            if p.status != "captured":
                raise Conflict(f"the payment could not be taken ({p.status})", code="payment_declined")
        except (ValidationFailed, Conflict, PermissionDenied) as e:
            await self._release_key(bag["id"], key)
            raise e
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            current = await repo.get(bag["id"], lock=True)
            assert current is not None
            withdrawn = current["status"] == Status.WITHDRAWN.value
            if current["status"] != Status.AWAITING_PAYMENT.value and not withdrawn:  # a repeat got here first
                return await self._replay(uow, current)
            if not withdrawn:
                current = await repo.update(
                    current["id"],
                    tag=await self._new_tag(repo),
                    accepted_at=utcnow(),
                    status=Status.CHECKED_IN.value,
                    payment_id=p.id,
                )
                current = await self._accepted(uow, repo, current, agent, "check-in counter")
                await uow.commit()
                return Detail(current, await repo.history(current["id"]))
        # the booking was cancelled while the fee was being taken: the money goes back
        await self._rpc(
            self.clients.payment.RefundPayment,
            ppb.RefundPaymentRequest(
                payment_id=p.id,
                amount=bag["fee"],
                reason="bag withdrawn: booking cancelled",
                idempotency_key=f"bag-{bag['id']}-withdrawn",
            ),
            "the payment service",
        )
        raise domain.withdrawn_refusal()

    async def _release_key(self, bag_id: str, key: str) -> None:
        """A refused payment frees the bag for another attempt (with another key)."""
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            bag = await repo.get(bag_id, lock=True)
            if bag is not None and bag["status"] == Status.AWAITING_PAYMENT.value and bag["payment_key"] == key:
                await repo.update(bag_id, payment_key="")
                await uow.commit()

    # ------------------------------------------------------------ reading, with access rules

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

    # ------------------------------------------------------------ tracking

    async def record(
        self, tag: str, status: str, airport: str, location: str, at: datetime | None, event_id: str
    ) -> Detail:
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
            bag, _ = await self._track(uow, repo, bag, wanted, airport, location, at, event_id, who)
            await uow.commit()
            return Detail(bag, await repo.history(bag["id"]))

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
