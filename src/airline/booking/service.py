"""The booking's use cases behind one façade (what grpc_api, the recovery job and the tests
call). Each flow lives in its own module:

- drafts.py   create, passengers, seats, luggage (the draft the front end edits);
- saga.py     pay -> authorise -> confirm seats -> capture -> confirm, its compensation,
              CompletePayment, and the recovery / expiry pass;
- manage.py   get, find, list, cancel, change a seat;
- consumers.py  flights' events; views.py what is shown; domain.py the Booking aggregate;
- ports.py / adapters.py  reservation, payment and flights, over gRPC.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from airline.booking.context import Access, Context
from airline.booking.drafts import Drafts
from airline.booking.manage import Manage
from airline.booking.passengers import PassengerInput
from airline.booking.ports import Ports
from airline.booking.saga import Crash, PaymentSaga
from airline.booking.settings import BookingSettings
from airline.booking.store import unit_of_work
from airline.payment.client import PaymentMethod
from airline.platform.db import ServiceDatabase

__all__ = ["Access", "BookingService", "Crash"]


class BookingService:
    def __init__(
        self, db: ServiceDatabase, settings: BookingSettings, ports: Ports, secret: str, fingerprint_key: bytes = b""
    ) -> None:
        self.db = db
        manage_key = hashlib.sha256(("booking-manage:" + secret).encode()).digest()
        # keyed digests of what must not be kept in clear (card fields, client addresses)
        keyed = fingerprint_key or hashlib.sha256(("booking-fingerprint:" + secret).encode()).digest()
        self.ctx = Context(settings, ports, lambda: unit_of_work(self.db), manage_key, keyed)
        self.drafts = Drafts(self.ctx)
        self.manage = Manage(self.ctx)
        self.saga = PaymentSaga(self.ctx, self.manage.finish_cancel)

    # what the tests and the composition root adjust at run time
    @property
    def settings(self) -> BookingSettings:
        return self.ctx.settings

    @settings.setter
    def settings(self, value: BookingSettings) -> None:
        self.ctx.settings = value

    @property
    def fault(self) -> Callable[[str], Awaitable[None]] | None:
        """Test hook: called with each saga step's name right after it is recorded."""
        return self.ctx.fault

    @fault.setter
    def fault(self, value: Callable[[str], Awaitable[None]] | None) -> None:
        self.ctx.fault = value

    def keyed(self, purpose: str, value: str) -> str:
        return self.ctx.keyed(purpose, value)

    def method_fingerprint(self, method: PaymentMethod) -> str:
        return self.ctx.method_fingerprint(method)

    def manage_token(self, booking_id: str) -> str:
        return self.ctx.manage_token(booking_id)

    # --- the draft

    async def create(self, offer_id: str, idempotency_key: str = "", client_address: str = "") -> dict[str, Any]:
        return await self.drafts.create(offer_id, idempotency_key, client_address)

    async def set_passengers(
        self, access: Access, raw: Sequence[PassengerInput], email: str, phone: str
    ) -> dict[str, Any]:
        return await self.drafts.set_passengers(access, raw, email, phone)

    async def select_seats(self, access: Access, flight_id: str, choices: Mapping[str, str]) -> dict[str, Any]:
        return await self.drafts.select_seats(access, flight_id, choices)

    async def set_luggage(self, access: Access, bags: Sequence[tuple[str, str, int, int]]) -> dict[str, Any]:
        return await self.drafts.set_luggage(access, bags)

    # --- the payment saga

    async def pay(self, access: Access, idempotency_key: str, method: PaymentMethod) -> dict[str, Any]:
        return await self.saga.pay(access, idempotency_key, method)

    async def complete_payment(self, access: Access, code: str) -> dict[str, Any]:
        return await self.saga.complete_payment(access, code)

    async def recover(
        self, *, stale_after: float | None = None, now: datetime | None = None, only: Sequence[str] | None = None
    ) -> dict[str, int]:
        return await self.saga.recover(stale_after=stale_after, now=now, only=only)

    # --- manage

    async def get(self, access: Access) -> dict[str, Any]:
        return await self.manage.get(access)

    async def find(self, pnr: str, last_name: str) -> dict[str, Any]:
        return await self.manage.find(pnr, last_name)

    async def list_mine(self) -> list[dict[str, Any]]:
        return await self.manage.list_mine()

    async def cancel(self, access: Access, reason: str = "") -> dict[str, Any]:
        return await self.manage.cancel(access, reason)

    async def change_seat(self, access: Access, flight_id: str, passenger_id: str, seat: str) -> dict[str, Any]:
        return await self.manage.change_seat(access, flight_id, passenger_id, seat)
