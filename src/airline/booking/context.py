"""What every booking use case shares: settings, ports, the unit of work, the service's own
keys (manage links, keyed fingerprints), who may reach a booking, and the saga's test hook."""

from __future__ import annotations

import asyncio
import base64
import contextvars
import hashlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from airline.booking.domain import Booking, Leg
from airline.booking.fares import BagPrices
from airline.booking.passengers import last_name_matches
from airline.booking.ports import Ports, Transaction
from airline.booking.settings import BookingSettings
from airline.booking.views import booking_view
from airline.payment.client import PaymentMethod
from airline.platform import flight_status
from airline.platform.auth import Role, current_principal
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, DomainError, NotFound

log = logging.getLogger(__name__)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # an idempotency key: 1-255 visible ASCII characters

# Set per request by `load`: the caller reached the booking with a PNR and a last name only
# (printed on paper, so guessable by whoever saw it): its views mask the travel documents.
_PNR_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar("booking_pnr_only", default=False)


@dataclass(frozen=True)
class Access:
    booking_id: str = ""
    manage_token: str = ""
    pnr: str = ""
    last_name: str = ""


class Context:
    def __init__(
        self,
        settings: BookingSettings,
        ports: Ports,
        uow: Callable[[], AbstractAsyncContextManager[Transaction]],
        manage_key: bytes,
        fingerprint_key: bytes,
        reader: Callable[[], AbstractAsyncContextManager[Transaction]] | None = None,
    ) -> None:
        self.settings = settings
        self.ports = ports
        self.uow = uow
        # reads that need no transaction (the unit of work when no lighter reader is given)
        self.reader = reader or uow
        self._manage_key = manage_key
        self._fingerprint_key = fingerprint_key
        # Test hook: called with each saga step's name as the saga passes it.
        self.fault: Callable[[str], Awaitable[None]] | None = None

    @property
    def prices(self) -> BagPrices:
        s = self.settings
        return BagPrices(s.extra_bag_price, s.overweight_price_per_kg, s.max_extra_pieces, s.max_overweight_kg)

    async def step(self, name: str) -> None:
        if self.fault is not None:
            await self.fault(name)

    # --- keys

    def keyed(self, purpose: str, value: str) -> str:
        """HMAC-SHA256 under this service's own key: tells values apart without keeping them."""
        return hmac.new(self._fingerprint_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def method_fingerprint(self, method: PaymentMethod) -> str:
        raw = "|".join(
            str(v)
            for v in (
                method.card_number,
                method.card_exp_month,
                method.card_exp_year,
                method.card_cvc,
                method.card_holder,
                method.wallet_provider,
                method.wallet_account,
            )
        )
        if method.voucher_code:  # (a request without one keeps the fingerprint it always had)
            raw += f"|voucher:{method.voucher_code.strip().upper()}:{method.voucher_amount}"
        return self.keyed("pay-method", raw)

    def manage_token(self, booking_id: str) -> str:
        mac = hmac.new(self._manage_key, booking_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:32]

    # --- who reaches a booking

    def access_by(self, b: Booking, access: Access) -> str:
        """How the caller may reach this booking: "staff", "owner", "token", "pnr" or "" (not)."""
        principal = current_principal.get()
        if principal is not None:
            if principal.has(Role.CS, Role.SYSTEM):
                return "staff"
            if b.owner and b.owner == principal.subject:
                return "owner"
        if access.manage_token and hmac.compare_digest(access.manage_token.encode(), self.manage_token(b.id).encode()):
            return "token"
        if (
            access.pnr
            and access.last_name
            and b.pnr
            and b.pnr == access.pnr.strip().upper()
            and any(last_name_matches(access.last_name, p.last_name) for p in b.passengers)
        ):
            return "pnr"
        return ""

    async def load(self, tx: Transaction, access: Access, *, lock: bool = False) -> Booking:
        bid = access.booking_id.strip().lower()
        b = await tx.bookings.get(bid, lock=lock) if _UUID.fullmatch(bid) else None
        by = self.access_by(b, access) if b is not None else ""
        # someone else's booking is "not found": its existence is not the caller's business
        if b is None or not by:
            raise NotFound(f"no booking {access.booking_id}", field="booking_id")
        _PNR_ONLY.set(by == "pnr")
        return b

    async def peek(self, access: Access) -> Booking:
        """`load` without a transaction (nothing locked, nothing to commit)."""
        async with self.reader() as tx:
            return await self.load(tx, access)

    async def read(self, booking_id: str) -> Booking:
        async with self.reader() as tx:
            b = await tx.bookings.get(booking_id)
            assert b is not None
            return b

    def view(
        self, b: Booking, *, with_token: bool = False, replayed: bool = False, guest: bool | None = None
    ) -> dict[str, Any]:
        """The booking as the proto's field names; `guest` defaults to how this request reached it."""
        return booking_view(
            b,
            self.prices,
            manage_token=self.manage_token(b.id) if with_token else "",
            replayed=replayed,
            guest=_PNR_ONLY.get() if guest is None else guest,
        )

    async def view_of(self, booking_id: str) -> dict[str, Any]:
        return self.view(await self.read(booking_id))

    # --- the other services, as every use case needs them

    async def require_sellable(self, legs: Sequence[Leg]) -> None:
        """Ask flights (the owner of the status) about each leg now: no money for a flight that
        is cancelled, closed or gone."""
        now = utcnow()
        found = await asyncio.gather(*(self.ports.flights.flight(leg.flight_id) for leg in legs))  # at once
        for leg, f in zip(legs, found, strict=True):
            why = flight_status.why_not_sellable(f.number or leg.number, f.status, f.departure, now)
            if why is not None:
                raise Conflict(
                    f"{why}: it can no longer be booked or paid", code="flight_not_sellable", flight_id=leg.flight_id
                )

    async def release_hold(self, hold_id: str) -> None:
        try:
            await self.ports.reservation.release_hold(hold_id)
        except NotFound:
            pass  # expired or released already
        except DomainError as e:  # it expires by itself anyway
            log.warning("booking: could not release hold %s: %s", hold_id, e)
