"""Booking use cases: the draft booking the front end edits step by step, the payment saga,
manage/cancel, recovery and expiry, and reactions to flight disruptions.

The payment saga, and why in this order::

    held --Pay--> awaiting_payment/authorising --AuthorisePayment--> authorised
        --ConfirmHold (each flight)--> seats_confirmed --CapturePayment--> captured
        --> confirmed (PNR, e-tickets, BookingConfirmed event)

Every step is recorded in the booking row (state + step) before the next one starts, so a
process that dies anywhere leaves a booking in awaiting_payment that the recovery pass
(`recover`) finishes or compensates from what payment and reservation say (ListPayments by
the booking id; ConfirmHold is idempotent):

- money is captured only after the seats are assignments, so a capture never happens
  without seats; a booking whose seats cannot be confirmed gets its authorisation voided;
- seats held by an unpaid booking are released (ReleaseHold / ReleaseAssignments) when the
  payment is declined for good, abandoned or the booking expires; assignments written for a
  payment that then cannot be captured are released again. A booking becomes `confirmed`
  only once its payment is captured.
"""
from __future__ import annotations

import base64
import contextlib
import contextvars
import hashlib
import hmac
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, ContextManager, Mapping, Sequence
from zoneinfo import ZoneInfo

import grpc
from sqlalchemy.exc import IntegrityError

from airline.booking import domain
from airline.booking.domain import PassengerInput, PassengerType, State
from airline.booking.settings import BookingSettings
from airline.booking.store import PNR_TAKEN, BookingRepository
from airline.flights.v1 import flights_pb2 as fpb
from airline.payment.client import PaymentMethod
from airline.payment.v1 import payment_pb2 as ppb
from airline.platform import flight_status
from airline.platform.auth import Principal, Role, current_principal, require
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.grpc import domain_error_from
from airline.platform.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    ValidationFailed,
)
from airline.platform.events import Envelope, topic_name
from airline.reservation.v1 import reservation_pb2 as rpb

log = logging.getLogger(__name__)

BOOKING_CONFIRMED = topic_name("booking", "booking_confirmed")
BOOKING_CANCELLED = topic_name("booking", "booking_cancelled")
BOOKING_EXPIRED = topic_name("booking", "booking_expired")
SEAT_CHANGED = topic_name("booking", "seat_changed")
PASSENGERS_NOTIFIED = topic_name("booking", "passengers_notified")
FLIGHT_CANCELLED = topic_name("flights", "flight_cancelled")
FLIGHT_DELAYED = topic_name("flights", "flight_delayed")

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
CAPTURED = ("captured", "partially_refunded", "refunded")
LIVE_PAYMENT = ("authorised", "requires_action", "pending")
DECLINES = ("card_declined", "insufficient_funds", "authentication_failed")


# What a cancellation decided (kept beside the payment, for its retries), not shown.
_PLAN = ("cancel_refund", "no_show")


# Set per request by _load: the caller reached the booking with a PNR and a last name only
# (printed on paper, so guessable by whoever saw it): its views mask the travel documents.
_PNR_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar("booking_pnr_only", default=False)


class Crash(BaseException):
    """Test hook: what a process killed at a saga step looks like to the code after it."""


@dataclass(frozen=True)
class Access:
    booking_id: str = ""
    manage_token: str = ""
    pnr: str = ""
    last_name: str = ""




@dataclass
class Clients:
    """The stubs of the services the saga drives (each call runs as this service: system)."""

    fares: Any
    reservation: Any
    payment: Any
    flights: Any = None  # FlightService: is a flight still sellable at the moment of paying


# The origin the payment service gives the payments this service starts (its service name):
# only such a payment, the one the booking recorded, for its exact amount, confirms a booking.
OWN_ORIGIN = "booking"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def _ts(message: Any, name: str) -> datetime | None:
    if not message.HasField(name):
        return None
    return message.__getattribute__(name).ToDatetime(tzinfo=timezone.utc)  # type: ignore[no-any-return]


class BookingService:
    def __init__(self, db: ServiceDatabase, settings: BookingSettings, clients: Clients,
                 system: Callable[[], ContextManager[Principal]], secret: str,
                 fingerprint_key: bytes = b"") -> None:
        self.db = db
        self.settings = settings
        self.clients = clients
        self.system = system
        self._secret = hashlib.sha256(("booking-manage:" + secret).encode()).digest()
        # keyed digests of what must not be kept in clear (card fields, client addresses)
        self._fingerprint_key = fingerprint_key or hashlib.sha256(("booking-fingerprint:" + secret).encode()).digest()
        # Test hook: called with each saga step's name right after it is recorded.
        self.fault: Callable[[str], Awaitable[None]] | None = None
        self.prices = domain.BagPrices(settings.extra_bag_price, settings.overweight_price_per_kg,
                                       settings.max_extra_pieces, settings.max_overweight_kg)

    # ------------------------------------------------------------ plumbing

    async def _rpc(self, method: Any, request: Any, timeout: float | None = None) -> Any:
        with self.system():
            try:
                return await method(request, timeout=timeout or self.settings.call_timeout_seconds)
            except grpc.aio.AioRpcError as e:
                raise domain_error_from(e, "a service the booking needs") from None

    async def _step(self, name: str) -> None:
        if self.fault is not None:
            await self.fault(name)

    def keyed(self, purpose: str, value: str) -> str:
        """HMAC-SHA256 under this service's own key: tells values apart without keeping them."""
        return hmac.new(self._fingerprint_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def method_fingerprint(self, method: PaymentMethod) -> str:
        raw = "|".join(str(v) for v in (method.card_number, method.card_exp_month, method.card_exp_year,
                                          method.card_cvc, method.card_holder, method.wallet_provider,
                                          method.wallet_account))
        return self.keyed("pay-method", raw)

    async def _require_sellable(self, legs: Sequence[Mapping[str, Any]]) -> None:
        """Ask flights (the owner of the status) about each leg now: no money for a flight that
        is cancelled, closed or gone."""
        if self.clients.flights is None:
            return
        now = utcnow()
        for leg in legs:
            f: fpb.Flight = await self._rpc(self.clients.flights.GetFlight, fpb.GetFlightRequest(id=leg["flight_id"]))
            departure = _ts(f, "estimated_departure") or _ts(f, "scheduled_departure")
            why = flight_status.why_not_sellable(f.number or leg["number"], f.status, departure, now)
            if why is not None:
                raise Conflict(f"{why}: it can no longer be booked or paid", code="flight_not_sellable",
                               flight_id=leg["flight_id"])

    def manage_token(self, booking_id: str) -> str:
        mac = hmac.new(self._secret, booking_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:32]

    def _access_by(self, b: Mapping[str, Any], access: Access) -> str:
        """How the caller may reach this booking: "staff", "owner", "token", "pnr" or "" (not)."""
        principal = current_principal.get()
        if principal is not None:
            if principal.has(Role.CS, Role.SYSTEM):
                return "staff"
            if b["owner"] and b["owner"] == principal.subject:
                return "owner"
        if access.manage_token and hmac.compare_digest(access.manage_token.encode(),
                                                       self.manage_token(b["id"]).encode()):
            return "token"
        if access.pnr and access.last_name and b["pnr"] and b["pnr"] == access.pnr.strip().upper():
            if any(domain.last_name_matches(access.last_name, p["last_name"]) for p in b["passengers"]):
                return "pnr"
        return ""

    async def _load(self, uow: UnitOfWork, access: Access, *, lock: bool = False) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        bid = access.booking_id.strip().lower()
        repo = BookingRepository(uow.conn)
        b = await repo.get(bid, lock=lock) if _UUID.fullmatch(bid) else None
        by = self._access_by(b, access) if b is not None else ""
        # someone else's booking is "not found": its existence is not the caller's business
        if b is None or not by:
            raise NotFound(f"no booking {access.booking_id}", field="booking_id")
        _PNR_ONLY.set(by == "pnr")
        return b, await repo.legs(bid)

    async def _read(self, booking_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            b = await repo.get(booking_id)
            assert b is not None
            return b, await repo.legs(booking_id)

    # ------------------------------------------------------------ views

    def bag_grid(self, b: Mapping[str, Any], legs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        extras = {(x["flight_id"], x["passenger_id"]): x for x in b["bags"]}
        out = []
        for leg in legs:
            for p in b["passengers"]:
                x = extras.get((leg["flight_id"], p["id"]), {})
                pieces, kg = int(x.get("extra_pieces", 0)), int(x.get("overweight_kg", 0))
                out.append({
                    "flight_id": leg["flight_id"], "passenger_id": p["id"], "extra_pieces": pieces,
                    "overweight_kg": kg,
                    "included_pieces": domain.included_pieces(PassengerType(p["type"]), leg["checked_bags"]),
                    "fee": domain.bag_fee(pieces, kg, self.prices),
                })
        return out

    def view(self, b: Mapping[str, Any], legs: Sequence[Mapping[str, Any]], *, with_token: bool = False,
             replayed: bool = False, guest: bool | None = None) -> dict[str, Any]:
        """The booking as the proto's field names (json_format.ParseDict makes the message).
        `guest`: documents masked, no birth dates (default: as this request reached it)."""
        if guest is None:
            guest = _PNR_ONLY.get()
        return {
            "id": b["id"], "state": b["state"], "step": b["step"], "pnr": b["pnr"] or "",
            "cabin_class": b["cabin_class"], "trip_type": b["trip_type"], "adults": b["adults"],
            "children": b["children"], "infants": b["infants"], "currency": b["currency"],
            "fare_total": b["fare_total"], "bag_total": b["bag_total"], "total": b["fare_total"] + b["bag_total"],
            "legs": [{
                "flight_id": leg["flight_id"], "number": leg["number"], "origin": leg["origin"],
                "destination": leg["destination"], "scheduled_departure": _iso(leg["scheduled_departure"]),
                "scheduled_arrival": _iso(leg["scheduled_arrival"]),
                "estimated_departure": _iso(leg["estimated_departure"]),
                "estimated_arrival": _iso(leg["estimated_arrival"]), "status": leg["status"],
                "status_reason": leg["status_reason"], "checked_bags": leg["checked_bags"],
                "bag_weight_kg": leg["bag_weight_kg"], "refundable": leg["refundable"],
                "change_fee": leg["change_fee"], "hold_id": leg["hold_id"],
            } for leg in legs],
            "passengers": [domain.guest_passenger(p) for p in b["passengers"]] if guest else b["passengers"],
            "contact": {"email": b["contact_email"], "phone": b["contact_phone"]},
            "seats": b["seats"], "bags": self.bag_grid(b, legs) if b["passengers"] else [], "tickets": b["tickets"],
            "payment": {k: v for k, v in (b["payment"] or {}).items() if k not in _PLAN},
            "flight_cancelled": b["flight_cancelled"], "disruption": b["disruption"],
            "refunded_amount": b["refunded_amount"], "cancel_reason": b["cancel_reason"],
            "manage_token": self.manage_token(b["id"]) if with_token else "",
            "expires_at": _iso(b["expires_at"]), "created_at": _iso(b["created_at"]),
            "updated_at": _iso(b["updated_at"]), "replayed": replayed,
        }

    # ------------------------------------------------------------ create and read

    async def create(self, offer_id: str, idempotency_key: str = "", client_address: str = "") -> dict[str, Any]:
        principal = current_principal.get()
        owner = principal.subject if principal is not None else ""
        if not offer_id.strip():
            raise ValidationFailed("offer_id is required", field="offer_id")
        if idempotency_key and not _KEY.fullmatch(idempotency_key):
            raise ValidationFailed("the idempotency key must be 1-255 visible ASCII characters",
                                   field="idempotency_key")
        scope = f"create:{owner or 'guest'}"
        request_hash = hashlib.sha256(offer_id.strip().encode()).hexdigest()
        if idempotency_key:
            replay = await self._replay(scope, idempotency_key, request_hash)
            if replay is not None:
                return replay
        offer: fpb.Offer = await self._rpc(self.clients.fares.GetOffer, fpb.GetOfferRequest(offer_id=offer_id.strip()))
        if not offer.legs:
            raise ValidationFailed("the offer has no flights", field="offer_id")
        now = utcnow()
        for leg in offer.legs:
            departure = _ts(leg.flight, "estimated_departure") or _ts(leg.flight, "scheduled_departure")
            why = flight_status.why_not_sellable(leg.flight.number, leg.flight.status, departure, now)
            if why is not None:
                raise Conflict(f"{why}: this offer is no longer sold, search again", code="flight_not_sellable")
        bid = str(uuid.uuid4())
        client_key = "" if owner or not client_address.strip() else self.keyed("client-address", client_address.strip())
        row = {
            "id": bid, "owner": owner, "state": State.HELD.value, "step": "created", "offer_id": offer_id.strip(),
            "cabin_class": offer.cabin_class, "trip_type": offer.trip_type, "adults": offer.adults,
            "children": offer.children, "infants": offer.infants, "currency": offer.currency,
            "fare_total": offer.total, "expires_at": now + timedelta(seconds=self.settings.booking_ttl_seconds),
            "client_key": client_key,
        }
        leg_rows = [{
            "position": i, "flight_id": leg.flight.id, "number": leg.flight.number, "origin": leg.flight.origin,
            "destination": leg.flight.destination, "origin_time_zone": leg.flight.origin_time_zone or "UTC",
            "scheduled_departure": _ts(leg.flight, "scheduled_departure"),
            "scheduled_arrival": _ts(leg.flight, "scheduled_arrival"),
            "estimated_departure": _ts(leg.flight, "estimated_departure"),
            "estimated_arrival": _ts(leg.flight, "estimated_arrival"), "status": leg.flight.status,
            "status_reason": leg.flight.status_reason, "checked_bags": leg.rules.checked_bags,
            "bag_weight_kg": leg.rules.bag_weight_kg, "refundable": leg.rules.refundable,
            "change_fee": leg.rules.change_fee, "no_show_refund": leg.rules.no_show_refund.strip().lower(),
            "taxes": max(0, leg.rules.taxes),
        } for i, leg in enumerate(offer.legs)]
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            if idempotency_key:
                earlier = await repo.claim_key(scope, idempotency_key, request_hash, bid)
                if earlier is not None:
                    await uow.rollback()
                    replay = await self._replay(scope, idempotency_key, request_hash)
                    assert replay is not None
                    return replay
            await self._within_open_limit(repo, owner, client_key, now)
            await repo.add(row, leg_rows)
            await uow.commit()
        b, legs = await self._read(bid)
        return self.view(b, legs, with_token=True)

    async def _within_open_limit(self, repo: BookingRepository, owner: str, client_key: str, now: datetime) -> None:
        """At most N open unpaid bookings per account (per client address for guests), counted
        under a transaction-level advisory lock on that key, so concurrent creates queue up
        and cannot both see room for one more."""
        if owner:
            key, limit, who = f"booking-open:account:{owner}", self.settings.max_open_per_account, "this account"
        elif client_key:
            key, limit, who = f"booking-open:address:{client_key}", self.settings.max_open_per_address, "this address"
        else:
            return  # a guest without a known address (a service's own call): nothing to count by
        await repo.lock_key(key)
        if await repo.count_open(now, owner=owner, client_key=client_key) >= limit:
            raise TooManyRequests(
                f"{who} already has {limit} unpaid bookings open: pay for or cancel one, or wait until one expires",
                code="open_bookings_limit", limit=limit)

    async def _replay(self, scope: str, key: str, request_hash: str) -> dict[str, Any] | None:
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            found = await repo.claim_key(scope, key, request_hash, "")
            if found is None:
                return None  # rolled back on leaving: nothing was claimed
            stored_hash, bid = found
            if stored_hash != request_hash:
                raise ValidationFailed("this Idempotency-Key was used for a different request",
                                       code="idempotency_key_reused", field="idempotency_key")
            b = await repo.get(bid)
            assert b is not None
            return self.view(b, await repo.legs(bid), with_token=True, replayed=True)

    async def get(self, access: Access) -> dict[str, Any]:
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access)
            return self.view(b, legs)

    async def find(self, pnr: str, last_name: str) -> dict[str, Any]:
        pnr = domain.normalise_pnr(pnr)
        if not last_name.strip():
            raise ValidationFailed("last_name is required", field="last_name")
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            b = await repo.by_pnr(pnr)

            # the PNR and the name both have to match, whoever asks (staff included)
            if b is None or not any(domain.last_name_matches(last_name, p["last_name"]) for p in b["passengers"]):
                raise NotFound("no booking with this reference and last name")
            # a PNR and a last name are printed on paper: who knows them sees no full travel
            # document number and no date of birth (the owner and staff see them elsewhere)
            principal = current_principal.get()
            trusted = principal is not None and (principal.has(Role.CS, Role.SYSTEM)
                                                 or (b["owner"] != "" and b["owner"] == principal.subject))
            return self.view(b, await repo.legs(b["id"]), guest=not trusted)

    async def list_mine(self) -> list[dict[str, Any]]:
        principal = require()
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            rows = await repo.by_owner(principal.subject)
            legs = await repo.legs_of_many([b["id"] for b in rows])
            return [self.view(b, legs[b["id"]]) for b in rows]

    # ------------------------------------------------------------ the draft, step by step

    @staticmethod
    def _travel_days(legs: Sequence[Mapping[str, Any]]) -> tuple[Any, Any]:
        def local(leg: Mapping[str, Any]) -> Any:
            try:
                zone = ZoneInfo(leg["origin_time_zone"])
            except Exception:
                zone = ZoneInfo("UTC")
            return leg["scheduled_departure"].astimezone(zone).date()

        return local(legs[0]), local(legs[-1])

    async def set_passengers(self, access: Access, raw: Sequence[PassengerInput], email: str, phone: str) -> dict[str, Any]:
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access, lock=True)
            domain.require_state(State(b["state"]), State.HELD, action="change passengers")
            first, last = self._travel_days(legs)
            counts = {PassengerType.ADULT: b["adults"], PassengerType.CHILD: b["children"],
                      PassengerType.INFANT: b["infants"]}
            passengers = domain.validate_passengers(raw, counts, first, last)
            email, phone = domain.validate_contact(email, phone)
            before = {p["id"]: p["type"] for p in b["passengers"]}
            if b["seats"] and any(before.get(p.id) != p.type.value for p in passengers):
                raise Conflict("seats are chosen for the passengers as they were: keep each passenger's type "
                               "in the same place, or start a new booking", code="seats_chosen")
            await BookingRepository(uow.conn).update(
                b["id"], passengers=[p.to_dict() for p in passengers], contact_email=email, contact_phone=phone,
                step="passengers",
            )
            await uow.commit()
        await self._keep_holds(legs)
        return self.view(*await self._read(b["id"]))

    async def select_seats(self, access: Access, flight_id: str, choices: Mapping[str, str]) -> dict[str, Any]:
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access)
        domain.require_state(State(b["state"]), State.HELD, action="choose seats")
        if not b["passengers"]:
            raise Conflict("give the passengers' details before choosing seats", code="passengers_missing")
        leg = next((leg for leg in legs if leg["flight_id"] == flight_id.strip()), None)
        if leg is None:
            raise ValidationFailed(f"flight {flight_id} is not part of this booking", field="flight_id")
        passengers = [domain.passenger_from_dict(p) for p in b["passengers"]]
        seats = domain.seats_for_flight(passengers, {k.strip().upper(): v for k, v in choices.items()})
        await self._require_sellable([leg])
        types = {p.id: p.type.value for p in passengers}
        current = {s["passenger_id"]: s["seat"] for s in b["seats"] if s["flight_id"] == leg["flight_id"]}
        if leg["hold_id"] and current == seats:
            # the same seats again (a retry, a page reload): keep the hold, and keep it alive
            with contextlib.suppress(NotFound, Conflict):
                await self._rpc(self.clients.reservation.ExtendHold, rpb.ExtendHoldRequest(hold_id=leg["hold_id"]))
                return self.view(b, legs)
        hold_id = str(uuid.uuid4())
        request = rpb.HoldSeatsRequest(
            flight_id=leg["flight_id"], owner=b["id"], hold_id=hold_id,
            seats=[rpb.SeatRequest(seat=seat, passenger_ref=f"{b['id']}-{pid}", passenger_type=types[pid],
                                   cabin_class=b["cabin_class"]) for pid, seat in seats.items()],
            # the seats count against the account (the guest's keyed address) for reservation's
            # per-account limit, and no hold outlives the booking
            account=b["owner"] or (f"guest:{b['client_key']}" if b["client_key"] else ""),
        )
        request.not_after.FromDatetime(b["expires_at"].astimezone(timezone.utc).replace(tzinfo=None))
        try:
            hold = await self._rpc(self.clients.reservation.HoldSeats, request)
        except TooManyRequests as e:
            # this booking's own old hold on the flight counts against the limit too: give it
            # back and ask once more (its seats may go to someone else meanwhile)
            if not leg["hold_id"] or e.code != "seat_hold_limit":
                raise
            await self._drop_hold(b["id"], leg["flight_id"], leg["hold_id"])
            hold = await self._rpc(self.clients.reservation.HoldSeats, request)
        except Conflict as e:
            # some of the wanted seats are held by this booking's own hold: a hold cannot be
            # changed, so give it back and ask again (its other seats may go to someone else)
            if not leg["hold_id"] or e.code != "seat_held" or not set(seats.values()) & set(current.values()):
                raise
            await self._drop_hold(b["id"], leg["flight_id"], leg["hold_id"])
            hold = await self._rpc(self.clients.reservation.HoldSeats, request)
        labels = {s.passenger_ref.rsplit("-", 1)[1]: s.seat for s in hold.seats}
        replaced = ""
        try:
            async with self.db.uow() as uow:
                repo = BookingRepository(uow.conn)
                current = await repo.get(b["id"], lock=True)
                assert current is not None
                domain.require_state(State(current["state"]), State.HELD, action="choose seats")
                replaced = next((x["hold_id"] for x in await repo.legs(b["id"]) if x["flight_id"] == leg["flight_id"]), "")
                others = [s for s in current["seats"] if s["flight_id"] != leg["flight_id"]]
                mine = [{"flight_id": leg["flight_id"], "passenger_id": pid, "seat": labels.get(pid, seat)}
                        for pid, seat in seats.items()]
                await repo.update(b["id"], seats=others + sorted(mine, key=lambda s: s["passenger_id"]), step="seats")
                await repo.set_hold(b["id"], leg["flight_id"], hold_id)
                await uow.commit()
        except BaseException:
            await self._release_hold(hold_id)
            raise
        if replaced:
            await self._release_hold(replaced)
        return self.view(*await self._read(b["id"]))

    async def _drop_hold(self, bid: str, flight_id: str, hold_id: str) -> None:
        """Give back this booking's hold on one flight and forget its seats there."""
        await self._release_hold(hold_id)
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            cur = await repo.get(bid, lock=True)
            assert cur is not None
            await repo.update(bid, seats=[s for s in cur["seats"] if s["flight_id"] != flight_id])
            await repo.set_hold(bid, flight_id, "")
            await uow.commit()

    async def _release_hold(self, hold_id: str) -> None:
        try:
            await self._rpc(self.clients.reservation.ReleaseHold, rpb.ReleaseHoldRequest(hold_id=hold_id))
        except NotFound:
            pass  # expired or released already
        except DomainError as e:  # it expires by itself anyway
            log.warning("booking: could not release hold %s: %s", hold_id, e)

    async def set_luggage(self, access: Access, bags: Sequence[tuple[str, str, int, int]]) -> dict[str, Any]:
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access, lock=True)
            domain.require_state(State(b["state"]), State.HELD, action="change luggage")
            if not b["passengers"]:
                raise Conflict("give the passengers' details before luggage", code="passengers_missing")
            flights = {leg["flight_id"] for leg in legs}
            pids = {p["id"] for p in b["passengers"]}
            chosen: dict[tuple[str, str], dict[str, Any]] = {}
            total = 0
            for flight_id, pid, pieces, kg in bags:
                flight_id, pid = flight_id.strip(), pid.strip().upper()
                if flight_id not in flights:
                    raise ValidationFailed(f"flight {flight_id} is not part of this booking", field="bags.flight_id")
                if pid not in pids:
                    raise ValidationFailed(f"no passenger {pid} in this booking", field="bags.passenger_id")
                if (flight_id, pid) in chosen:
                    raise ValidationFailed(f"{pid} appears twice for flight {flight_id}", field="bags")
                total += domain.bag_fee(pieces, kg, self.prices)
                if pieces or kg:
                    chosen[(flight_id, pid)] = {"flight_id": flight_id, "passenger_id": pid, "extra_pieces": pieces,
                                                "overweight_kg": kg}
            await BookingRepository(uow.conn).update(b["id"], bags=list(chosen.values()), bag_total=total,
                                                     step="luggage")
            await uow.commit()
        await self._keep_holds(legs)
        return self.view(*await self._read(b["id"]))

    async def _keep_holds(self, legs: Sequence[Mapping[str, Any]]) -> None:
        """Each step of an active draft keeps its seat holds alive (within reservation's limit);
        a hold that ran out anyway is noticed at payment."""
        for leg in legs:
            if leg["hold_id"]:
                with contextlib.suppress(DomainError):
                    await self._rpc(self.clients.reservation.ExtendHold, rpb.ExtendHoldRequest(hold_id=leg["hold_id"]))

    # ------------------------------------------------------------ pay: the saga

    async def pay(self, access: Access, idempotency_key: str, method: PaymentMethod) -> dict[str, Any]:
        if not _KEY.fullmatch(idempotency_key or ""):
            raise ValidationFailed("an idempotency key (1-255 visible ASCII characters) is required",
                                   field="idempotency_key")
        request_hash = self.method_fingerprint(method)
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access)
        if b["state"] == State.HELD.value:
            await self._require_sellable(legs)  # before any money moves
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access, lock=True)
            repo = BookingRepository(uow.conn)
            earlier = await repo.claim_key(f"pay:{b['id']}", idempotency_key, request_hash, b["id"])
            if earlier is not None:
                if earlier[0] != request_hash:
                    raise ValidationFailed("this Idempotency-Key was used for a different payment request",
                                           code="idempotency_key_reused", field="idempotency_key")
                return self.view(b, legs, replayed=True)
            domain.require_state(State(b["state"]), State.HELD, action="pay")
            if b["expires_at"] <= utcnow():
                raise Conflict("this booking has expired; start again from the search", code="booking_expired")
            if not b["passengers"] or not b["contact_email"]:
                raise Conflict("give the passengers' details before paying", code="passengers_missing")
            seated = {p["id"] for p in b["passengers"] if p["type"] != PassengerType.INFANT.value}
            for leg in legs:
                have = {s["passenger_id"] for s in b["seats"] if s["flight_id"] == leg["flight_id"]}
                if have != seated or not leg["hold_id"]:
                    raise Conflict(f"choose seats on flight {leg['number']} before paying", code="seats_missing")
            attempt = b["pay_attempt"] + 1
            await repo.update(b["id"], state=State.AWAITING_PAYMENT.value, step="authorising", pay_attempt=attempt,
                              payment={})
            await uow.commit()
        bid = b["id"]
        await self._step("authorising")
        # the seats must outlive the payment: a hold that ran out sends the passenger back
        for leg in legs:
            try:
                await self._rpc(self.clients.reservation.ExtendHold, rpb.ExtendHoldRequest(hold_id=leg["hold_id"]))
            except (NotFound, Conflict):
                await self._back_to_held(bid, "hold_expired", {}, clear_seats_of=leg["flight_id"])
                raise Conflict(f"the seats held on flight {leg['number']} were released; choose seats again",
                               code="hold_expired") from None
        request = ppb.AuthorisePaymentRequest(
            idempotency_key=f"booking-{bid}-{attempt}", reference=bid, amount=b["fare_total"] + b["bag_total"],
            currency=b["currency"], capture=False, on_behalf_of=b["owner"] or "guest",
        )
        if not method.given:
            await self._back_to_held(bid, "payment_invalid", {})
            raise ValidationFailed("a payment method is required: card or e_wallet", field="method")
        method.into(request)
        try:
            reply = await self._rpc(self.clients.payment.AuthorisePayment, request, timeout=20)
        except (ValidationFailed, Conflict, PermissionDenied) as e:
            await self._back_to_held(bid, "payment_refused", {"status": "failed", "failure_code": e.code,
                                                              "failure_message": e.message})
            raise
        # Unavailable: the payment may or may not exist; recovery asks payment and decides
        return await self._after_authorise(bid, reply.payment)

    async def _after_authorise(self, bid: str, p: ppb.Payment) -> dict[str, Any]:
        state = {"payment_id": p.id, "status": p.status, "next_action": p.next_action,
                 "failure_code": p.failure_code, "failure_message": p.failure_message}
        if p.status == "failed":
            await self._back_to_held(bid, "declined", state)
            return self.view(*await self._read(bid))
        if p.status == "requires_action":
            await self._record(bid, "requires_action", payment=state)
            return self.view(*await self._read(bid))
        if p.status not in ("authorised", *CAPTURED):
            await self._record(bid, f"payment_{p.status}", payment=state)
            return self.view(*await self._read(bid))
        await self._record(bid, "authorised", payment=state)
        await self._step("authorised")
        return await self._finish(bid, p.id, captured=p.status in CAPTURED)

    async def _finish(self, bid: str, payment_id: str, *, captured: bool) -> dict[str, Any]:
        """Authorised (or captured): seats become assignments, then the money is taken, then
        the booking is confirmed. Every step is safe to repeat."""
        b, legs = await self._read(bid)
        try:
            for leg in legs:
                await self._rpc(self.clients.reservation.ConfirmHold,
                                rpb.ConfirmHoldRequest(hold_id=leg["hold_id"], booking_ref=bid))
        except (Conflict, NotFound, ValidationFailed) as e:
            log.warning("booking %s: the seats could not be confirmed (%s): compensating", bid, e.message)
            await self._compensate(bid, payment_id, captured, reason=f"seats_lost: {e.message}")
            raise Conflict("the seats could not be kept for this booking (their hold ran out and someone else "
                           "took them); the payment was cancelled: choose seats again", code="seats_lost") from None
        await self._record(bid, "seats_confirmed")
        await self._step("seats_confirmed")
        if not captured:
            try:
                p = await self._rpc(self.clients.payment.CapturePayment, ppb.CapturePaymentRequest(payment_id=payment_id))
            except (Conflict, NotFound, ValidationFailed) as e:
                await self._compensate(bid, payment_id, False, reason=f"capture_refused: {e.message}")
                raise Conflict("the payment could not be captured; the seats were released",
                               code="capture_refused") from None
            if p.status not in CAPTURED:
                await self._compensate(bid, payment_id, False, reason=f"capture_{p.status}")
                raise Conflict("the payment could not be captured; the seats were released", code="capture_refused")
        await self._step("captured")
        return await self._confirm(bid, payment_id)

    async def _confirm(self, bid: str, payment_id: str) -> dict[str, Any]:
        for _ in range(10):
            try:
                async with self.db.uow() as uow:
                    repo = BookingRepository(uow.conn)
                    b = await repo.get(bid, lock=True)
                    assert b is not None
                    legs = await repo.legs(bid)
                    if b["state"] == State.CONFIRMED.value:
                        return self.view(b, legs)
                    domain.transition(State(b["state"]), State.CONFIRMED)
                    pnr = domain.new_pnr()
                    pairs = [(p["id"], leg["flight_id"]) for leg in legs for p in b["passengers"]]
                    serials = await repo.next_serials(len(pairs))
                    tickets = [{"passenger_id": pid, "flight_id": fid,
                                "number": domain.ticket_number(self.settings.ticket_prefix, n)}
                               for (pid, fid), n in zip(pairs, serials)]
                    payment = dict(b["payment"], payment_id=payment_id, status="captured", next_action="")
                    await repo.update(bid, state=State.CONFIRMED.value, step="done", pnr=pnr, tickets=tickets,
                                      payment=payment)
                    b = await repo.get(bid)
                    assert b is not None
                    await uow.emit(BOOKING_CONFIRMED, bid, "BookingConfirmed", self.confirmed_payload(b, legs))
                    await uow.commit()
                    return self.view(b, legs)
            except IntegrityError as e:
                if PNR_TAKEN not in str(e.orig):
                    raise
                # another booking drew the same PNR: draw again
        raise Conflict("could not allocate a booking reference; retry", code="pnr_exhausted")

    def confirmed_payload(self, b: Mapping[str, Any], legs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        seats = {(s["flight_id"], s["passenger_id"]): s["seat"] for s in b["seats"]}
        tickets = {(t["flight_id"], t["passenger_id"]): t["number"] for t in b["tickets"]}
        return {
            "booking_id": b["id"], "pnr": b["pnr"], "cabin_class": b["cabin_class"], "trip_type": b["trip_type"],
            "total": b["fare_total"] + b["bag_total"], "currency": b["currency"],
            "flights": [{"flight_id": leg["flight_id"], "number": leg["number"], "origin": leg["origin"],
                         "destination": leg["destination"],
                         "scheduled_departure": _iso(leg["scheduled_departure"])} for leg in legs],
            "passengers": [{
                "id": p["id"], "type": p["type"], "first_name": p["first_name"], "last_name": p["last_name"],
                "date_of_birth": p["date_of_birth"], "document": p["document"], "infant_of": p["infant_of"],
                "meal": p["meal"],
                "flights": [{"flight_id": leg["flight_id"], "seat": seats.get((leg["flight_id"], p["id"]), ""),
                             "e_ticket": tickets.get((leg["flight_id"], p["id"]), "")} for leg in legs],
            } for p in b["passengers"]],
            "bags": [dict(x, bag_weight_kg=next(leg["bag_weight_kg"] for leg in legs
                                                if leg["flight_id"] == x["flight_id"]))
                     for x in self.bag_grid(b, legs)],
            "contact": {"email": b["contact_email"], "phone": b["contact_phone"]},
            "meals": [{"passenger_id": p["id"], "meal": p["meal"]} for p in b["passengers"] if p["meal"]],
        }

    async def _record(self, bid: str, step: str, **values: Any) -> None:
        async with self.db.uow() as uow:
            await BookingRepository(uow.conn).update(bid, step=step, **values)
            await uow.commit()

    async def _back_to_held(self, bid: str, step: str, payment: dict[str, Any], clear_seats_of: str = "") -> None:
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            b = await repo.get(bid, lock=True)
            assert b is not None
            if b["state"] != State.AWAITING_PAYMENT.value:
                return
            values: dict[str, Any] = {}
            if clear_seats_of:
                values["seats"] = [s for s in b["seats"] if s["flight_id"] != clear_seats_of]
                await repo.set_hold(bid, clear_seats_of, "")
            await repo.update(bid, state=State.HELD.value, step=step, payment=payment, **values)
            await uow.commit()

    async def _compensate(self, bid: str, payment_id: str, captured: bool, reason: str) -> None:
        """The seats cannot be kept (or the money not taken): give both back; the booking
        returns to `held` without seats, so the passenger may choose again while it lives."""
        b, legs = await self._read(bid)
        await self._rpc(self.clients.reservation.ReleaseAssignments, rpb.ReleaseAssignmentsRequest(booking_ref=bid))
        for leg in legs:
            if leg["hold_id"]:
                await self._release_hold(leg["hold_id"])
        if captured:
            await self._rpc(self.clients.payment.RefundPayment, ppb.RefundPaymentRequest(
                payment_id=payment_id, reason="the seats could not be kept", idempotency_key=f"booking-{bid}-lost"))
        else:
            await self._rpc(self.clients.payment.VoidPayment, ppb.VoidPaymentRequest(payment_id=payment_id))
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            for leg in legs:
                await repo.set_hold(bid, leg["flight_id"], "")
            await repo.update(bid, state=State.HELD.value, step=reason[:200], seats=[],
                              payment=dict(b["payment"], status="refunded" if captured else "voided"))
            await uow.commit()

    async def complete_payment(self, access: Access, code: str) -> dict[str, Any]:
        async with self.db.uow() as uow:
            b, _ = await self._load(uow, access)
        if b["state"] != State.AWAITING_PAYMENT.value or b["step"] != "requires_action":
            raise Conflict("this booking has no payment waiting for a 3-D Secure code", code="no_challenge")
        p = await self._rpc(self.clients.payment.CompleteChallenge,
                            ppb.CompleteChallengeRequest(payment_id=b["payment"]["payment_id"], code=code))
        return await self._after_authorise(b["id"], p)

    # ------------------------------------------------------------ manage

    async def cancel(self, access: Access, reason: str = "") -> dict[str, Any]:
        reason = " ".join(reason.split())[:500]
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access)
        state = State(b["state"])
        if state is State.HELD:
            for leg in legs:
                if leg["hold_id"]:
                    await self._release_hold(leg["hold_id"])
            async with self.db.uow() as uow:
                repo = BookingRepository(uow.conn)
                cur = await repo.get(b["id"], lock=True)
                assert cur is not None
                domain.transition(State(cur["state"]), State.CANCELLED)
                await repo.update(b["id"], state=State.CANCELLED.value, step="cancelled", cancel_reason=reason)
                await uow.emit(BOOKING_CANCELLED, b["id"], "BookingCancelled",
                               self.cancelled_payload(dict(cur, cancel_reason=reason), legs, 0,
                                                      was_confirmed=False, no_show=False))
                await uow.commit()
            return self.view(*await self._read(b["id"]))
        if state is not State.CANCELLING:
            domain.require_state(state, State.CONFIRMED, action="cancel")
            no_show = await self._left(legs)
            paid = b["fare_total"] + b["bag_total"]
            amount = domain.cancellation_refund(paid, legs, len(b["passengers"]), b["flight_cancelled"], no_show)
            # the decision is recorded first (state cancelling): a refund that fails is retried
            # with the same amount and key, and the seats stay the passenger's until it is paid
            async with self.db.uow() as uow:
                repo = BookingRepository(uow.conn)
                cur = await repo.get(b["id"], lock=True)
                assert cur is not None
                if cur["state"] == State.CONFIRMED.value:
                    domain.transition(State.CONFIRMED, State.CANCELLING)
                    await repo.update(b["id"], state=State.CANCELLING.value, step="cancelling", cancel_reason=reason,
                                      payment=dict(cur["payment"], cancel_refund=amount, no_show=no_show))
                    await uow.commit()
        await self._finish_cancel(b["id"])
        return self.view(*await self._read(b["id"]))

    async def _left(self, legs: Sequence[Mapping[str, Any]]) -> bool:
        """Has a flight of the booking left, or its departure time passed without it being
        cancelled (asked of flights now; the booking's own copy when flights is not wired)?
        Cancelling from then on is a no-show."""
        now = utcnow()
        for leg in legs:
            status, departure = leg["status"], leg["estimated_departure"] or leg["scheduled_departure"]
            if self.clients.flights is not None:
                f = await self._rpc(self.clients.flights.GetFlight, fpb.GetFlightRequest(id=leg["flight_id"]))
                status = f.status
                departure = _ts(f, "estimated_departure") or _ts(f, "scheduled_departure") or departure
            if flight_status.flown(status, departure, now):
                return True
        return False

    async def _finish_cancel(self, bid: str) -> None:
        """cancelling -> refund (recorded by payment), then the seats, then cancelled. Each step
        is safe to repeat: the refund's idempotency key is the booking's, releasing is idempotent."""
        b, legs = await self._read(bid)
        if b["state"] != State.CANCELLING.value:
            return
        plan = b["payment"] or {}
        amount = int(plan.get("cancel_refund", 0))
        paid = b["fare_total"] + b["bag_total"]
        await self._step("cancel_refunding")
        if amount > 0:
            await self._rpc(self.clients.payment.RefundPayment, ppb.RefundPaymentRequest(
                payment_id=plan["payment_id"], amount=amount, reason=b["cancel_reason"] or "booking cancelled",
                idempotency_key=f"booking-{bid}-cancel"))
        await self._record(bid, "cancel_refunded", refunded_amount=amount)
        await self._step("cancel_refunded")
        await self._rpc(self.clients.reservation.ReleaseAssignments, rpb.ReleaseAssignmentsRequest(booking_ref=bid))
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            cur = await repo.get(bid, lock=True)
            assert cur is not None
            if cur["state"] != State.CANCELLING.value:
                return
            payment = dict(cur["payment"], status="refunded" if amount == paid else
                           ("partially_refunded" if amount else cur["payment"].get("status", "captured")))
            domain.transition(State.CANCELLING, State.CANCELLED)
            await repo.update(bid, state=State.CANCELLED.value, step="cancelled", refunded_amount=amount,
                              payment=payment)
            await uow.emit(BOOKING_CANCELLED, bid, "BookingCancelled",
                           self.cancelled_payload(cur, legs, amount, was_confirmed=True,
                                                  no_show=bool(plan.get("no_show"))))
            await uow.commit()

    @staticmethod
    def cancelled_payload(b: Mapping[str, Any], legs: Sequence[Mapping[str, Any]], refunded: int, *,
                          was_confirmed: bool, no_show: bool) -> dict[str, Any]:
        return {
            "booking_id": b["id"], "pnr": b["pnr"], "refunded_amount": refunded, "currency": b["currency"],
            "reason": b["cancel_reason"], "flights": [leg["flight_id"] for leg in legs],
            "cabin_class": b["cabin_class"],
            "seats": sum(1 for p in b["passengers"] if p["type"] != PassengerType.INFANT.value),
            "was_confirmed": was_confirmed, "no_show": no_show,
        }

    async def change_seat(self, access: Access, flight_id: str, passenger_id: str, seat: str) -> dict[str, Any]:
        async with self.db.uow() as uow:
            b, legs = await self._load(uow, access)
        domain.require_state(State(b["state"]), State.CONFIRMED, action="change a seat")
        leg = next((x for x in legs if x["flight_id"] == flight_id.strip()), None)
        if leg is None:
            raise ValidationFailed(f"flight {flight_id} is not part of this booking", field="flight_id")
        pid = passenger_id.strip().upper()
        p = next((x for x in b["passengers"] if x["id"] == pid), None)
        if p is None or p["type"] == PassengerType.INFANT.value:
            raise ValidationFailed(f"no seated passenger {passenger_id} in this booking", field="passenger_id")
        await self._require_sellable([leg])  # no seat change once the flight is closed or gone
        reply = await self._rpc(self.clients.reservation.AssignSeats, rpb.AssignSeatsRequest(
            flight_id=leg["flight_id"], booking_ref=b["id"],
            seats=[rpb.SeatRequest(seat=seat, passenger_ref=f"{b['id']}-{pid}", passenger_type=p["type"],
                                   cabin_class=b["cabin_class"])]))
        new_seat = reply.assignments[0].seat if reply.assignments else seat.strip().upper()
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            cur = await repo.get(b["id"], lock=True)
            assert cur is not None
            cancelled_meanwhile = cur["state"] != State.CONFIRMED.value
            if not cancelled_meanwhile:
                old = next((s["seat"] for s in cur["seats"]
                            if s["flight_id"] == leg["flight_id"] and s["passenger_id"] == pid), "")
                seats = [dict(s, seat=new_seat) if (s["flight_id"], s["passenger_id"]) == (leg["flight_id"], pid)
                         else s for s in cur["seats"]]
                await repo.update(b["id"], seats=seats)
                await uow.emit(SEAT_CHANGED, b["id"], "SeatChanged", {
                    "booking_id": b["id"], "pnr": cur["pnr"], "flight_id": leg["flight_id"], "passenger_id": pid,
                    "old_seat": old, "new_seat": new_seat})
                await uow.commit()
        if cancelled_meanwhile:
            # the booking was cancelled while reservation assigned the new seat (the cancel
            # released the old one first): give the new one back too, so one state remains
            await self._rpc(self.clients.reservation.ReleaseAssignments,
                            rpb.ReleaseAssignmentsRequest(booking_ref=b["id"]))
            raise Conflict("the booking was cancelled while the seat was being changed", code="booking_cancelled")
        return self.view(*await self._read(b["id"]))

    # ------------------------------------------------------------ recovery and expiry

    async def recover(self, *, stale_after: float | None = None, now: datetime | None = None,
                      only: Sequence[str] | None = None) -> dict[str, int]:
        """One pass: finish or compensate payment sagas nobody is driving any more, then expire
        unpaid bookings past their time. Run as `system`."""
        now = now or utcnow()
        stale = self.settings.stale_payment_seconds if stale_after is None else stale_after
        done = {"recovered": 0, "expired": 0, "cancelled": 0}
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            stuck = await repo.open_ids(older_than=now - timedelta(seconds=stale), states=("awaiting_payment",))
            old = await repo.open_ids(expired_by=now)
            cancelling = await repo.open_ids(older_than=now - timedelta(seconds=stale), states=("cancelling",))
        if only is not None:
            stuck = [i for i in stuck if i in only]
            old = [i for i in old if i in only]
            cancelling = [i for i in cancelling if i in only]
        for bid in cancelling:  # a cancellation whose refund or release failed: finish it
            try:
                await self._finish_cancel(bid)
                done["cancelled"] += 1
            except DomainError as e:
                log.warning("booking: finishing the cancellation of %s failed, will retry: %s", bid, e)
        for bid in stuck:
            try:
                await self._recover_one(bid, now)
                done["recovered"] += 1
            except DomainError as e:
                log.warning("booking: recovery of %s failed, will retry: %s", bid, e)
        for bid in old:
            try:
                if await self._expire_one(bid, now):
                    done["expired"] += 1
            except DomainError as e:
                log.warning("booking: expiry of %s failed, will retry: %s", bid, e)
        return done

    async def _recover_one(self, bid: str, now: datetime) -> None:
        b, legs = await self._read(bid)
        if b["state"] != State.AWAITING_PAYMENT.value:
            return
        payments = self._own_payments(b, (await self._rpc(
            self.clients.payment.ListPayments, ppb.ListPaymentsRequest(reference=bid))).payments)
        captured = [p for p in payments if p.status in CAPTURED]
        authorised = [p for p in payments if p.status == "authorised"]
        waiting = [p for p in payments if p.status in ("requires_action", "pending")]
        if captured:
            with contextlib.suppress(Conflict):  # seats lost: compensated (refunded) inside
                await self._finish(bid, captured[0].id, captured=True)
            for extra in authorised:  # a second authorisation of a retried attempt: never charge twice
                await self._rpc(self.clients.payment.VoidPayment, ppb.VoidPaymentRequest(payment_id=extra.id))
            return
        if authorised:
            for extra in authorised[1:]:
                await self._rpc(self.clients.payment.VoidPayment, ppb.VoidPaymentRequest(payment_id=extra.id))
            with contextlib.suppress(Conflict):
                await self._finish(bid, authorised[0].id, captured=False)
            return
        if waiting and b["expires_at"] > now:
            return  # the passenger may still answer the challenge
        for p in waiting:
            await self._rpc(self.clients.payment.VoidPayment, ppb.VoidPaymentRequest(payment_id=p.id))
        # no payment will come: the booking is a draft again (its holds expire with it)
        await self._back_to_held(bid, "payment_abandoned", dict(b["payment"], status="abandoned"))

    @staticmethod
    def _own_payments(b: Mapping[str, Any], payments: Sequence[ppb.Payment]) -> list[ppb.Payment]:
        """The payments this booking's own saga started: made by this service, for exactly the
        booking's amount and currency, and the one the booking recorded once it has recorded
        one. Anything else carrying the booking's id as reference is not its payment."""
        recorded = (b["payment"] or {}).get("payment_id", "")
        total = b["fare_total"] + b["bag_total"]
        return [p for p in payments
                if p.origin == OWN_ORIGIN and p.amount == total and p.currency == b["currency"]
                and (not recorded or p.id == recorded)]

    async def _expire_one(self, bid: str, now: datetime) -> bool:
        b, legs = await self._read(bid)
        if b["state"] == State.AWAITING_PAYMENT.value:
            await self._recover_one(bid, now)
            b, legs = await self._read(bid)
        if b["state"] != State.HELD.value or b["expires_at"] > now:
            return False
        # an authorisation that answered after its booking gave up waiting is never captured
        payments = (await self._rpc(self.clients.payment.ListPayments, ppb.ListPaymentsRequest(reference=bid))).payments
        for p in payments:
            if p.origin != OWN_ORIGIN:
                continue
            if p.status in LIVE_PAYMENT:
                await self._rpc(self.clients.payment.VoidPayment, ppb.VoidPaymentRequest(payment_id=p.id))
        await self._rpc(self.clients.reservation.ReleaseAssignments, rpb.ReleaseAssignmentsRequest(booking_ref=bid))
        for leg in legs:
            if leg["hold_id"]:
                await self._release_hold(leg["hold_id"])
        async with self.db.uow() as uow:
            repo = BookingRepository(uow.conn)
            cur = await repo.get(bid, lock=True)
            assert cur is not None
            if cur["state"] != State.HELD.value:
                return False
            await repo.update(bid, state=State.EXPIRED.value, step="expired")
            await uow.emit(BOOKING_EXPIRED, bid, "BookingExpired", {"booking_id": bid})
            await uow.commit()
        return True

    # ------------------------------------------------------------ flight disruptions (events in)

    async def on_flight_cancelled(self, uow: UnitOfWork, envelope: Envelope) -> None:
        flight = envelope.payload["flight"]
        reason = envelope.payload.get("reason") or flight.get("status_reason") or ""
        repo = BookingRepository(uow.conn)
        for leg in await repo.flight_legs(flight["id"]):
            await repo.update_leg(leg["booking_id"], leg["position"], status="cancelled", status_reason=reason)
            b = await repo.get(leg["booking_id"], lock=True)
            assert b is not None
            if b["state"] not in (State.CONFIRMED.value, State.HELD.value, State.AWAITING_PAYMENT.value):
                continue
            await repo.update(b["id"], flight_cancelled=True, disruption=f"flight {flight['number']} cancelled"
                              + (f": {reason}" if reason else ""))
            if b["state"] != State.CONFIRMED.value:
                continue
            message = (f"Your flight {flight['number']} {flight['origin']}-{flight['destination']} "
                       f"(booking {b['pnr']}) is cancelled{': ' + reason if reason else ''}. "
                       "You may cancel for a full refund or contact us to rebook.")
            await repo.notify(b["id"], "flight_cancelled", b["contact_email"], b["contact_phone"], message)
            await uow.emit(PASSENGERS_NOTIFIED, b["id"], "PassengersNotified", {
                "booking_id": b["id"], "pnr": b["pnr"], "flight_id": flight["id"], "kind": "flight_cancelled",
                "email": b["contact_email"], "phone": b["contact_phone"], "message": message,
            })

    async def on_flight_delayed(self, uow: UnitOfWork, envelope: Envelope) -> None:
        flight = envelope.payload["flight"]

        def when(key: str) -> datetime | None:
            value = flight.get(key)
            return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

        repo = BookingRepository(uow.conn)
        for leg in await repo.flight_legs(flight["id"]):
            await repo.update_leg(leg["booking_id"], leg["position"], status=flight.get("status", "delayed"),
                                  status_reason=flight.get("status_reason") or "",
                                  estimated_departure=when("estimated_departure"),
                                  estimated_arrival=when("estimated_arrival"))
