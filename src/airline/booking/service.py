"""The booking's use cases behind one façade (what grpc_api, the recovery job and the tests
call). Each flow lives in its own module:

- drafts.py   create, passengers, seats, luggage (the draft the front end edits);
- saga.py     pay -> authorise -> confirm seats -> capture -> confirm (or seats -> one sale
              -> confirm), its compensation and CompletePayment; recovery.py the
              recovery / expiry pass;
- manage.py   get, find, list, cancel, change a seat;
- rights.py   passenger rights: the compensation owed, and its payout once;
- reaccommodating.py / reaccommodation_choices.py  re-accommodation: runs (proposals with their
              seats reserved), the passenger's answer, the move, the worker;
- consumers.py  flights' events; views.py what is shown; domain.py the Booking aggregate;
- ports.py / adapters.py  reservation, payment and flights, over gRPC.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from airline.booking.ancillaries_service import AncillarySales
from airline.booking.changes_ports import FaresPort
from airline.booking.changes_service import Changes
from airline.booking.context import Access, Context
from airline.booking.drafts import Drafts
from airline.booking.history import BookingHistory, on_event
from airline.booking.manage import Manage
from airline.booking.passenger_changes_service import PassengerChanges
from airline.booking.passengers import PassengerInput
from airline.booking.ports import Ports
from airline.booking.reaccommodating import Runner
from airline.booking.reaccommodation_choices import Choices
from airline.booking.reaccommodation_ports import DisruptionPort
from airline.booking.rights import Rights
from airline.booking.saga import Crash, PaymentSaga
from airline.booking.search import Search, criteria
from airline.booking.settings import BookingSettings
from airline.booking.store import reader, unit_of_work
from airline.payment.client import PaymentMethod
from airline.platform.db import ServiceDatabase

__all__ = ["Access", "BookingService", "Crash"]


class BookingService:
    def __init__(
        self,
        db: ServiceDatabase,
        settings: BookingSettings,
        ports: Ports,
        secret: str,
        fingerprint_key: bytes = b"",
        disruption: DisruptionPort | None = None,
        fares: FaresPort | None = None,
    ) -> None:
        self.db = db
        if db is not None:  # every event about a booking is a step of its history (history.py)
            db.on_emit = on_event
        manage_key = hashlib.sha256(("booking-manage:" + secret).encode()).digest()
        # keyed digests of what must not be kept in clear (card fields, client addresses)
        keyed = fingerprint_key or hashlib.sha256(("booking-fingerprint:" + secret).encode()).digest()
        self.ctx = Context(
            settings, ports, lambda: unit_of_work(self.db), manage_key, keyed, reader=lambda: reader(self.db)
        )
        self.drafts = Drafts(self.ctx)
        self.manage = Manage(self.ctx, db)
        self.rights = Rights(self.ctx, db)
        self.desk = Search(db)
        self.history = BookingHistory(self.ctx, db)
        self.saga = PaymentSaga(self.ctx, self.manage.finish_cancel)
        self.passenger_changes = PassengerChanges(self.ctx, db)
        self.reaccommodation: Choices | None = None
        # set to run the re-accommodation worker now (bootstrap.py: a flight change's consumer sets it)
        self.reaccommodation_wake = asyncio.Event()
        if disruption is not None:
            runner = Runner(self.ctx, db, disruption)
            self.reaccommodation = Choices(self.ctx, db, runner, self.rights.who, self.manage.finish_cancel)
        # voluntary changes (changes_service.py) move bookings with re-accommodation's runner
        self.changes: Changes | None = None
        if disruption is not None and fares is not None:
            self.changes = Changes(self.ctx, db, Runner(self.ctx, db, disruption), fares)
        # paid ancillaries after the sale (ancillaries_service.py)
        self.ancillaries: AncillarySales | None = AncillarySales(self.ctx, db) if db is not None else None

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

    async def select_seats(
        self, access: Access, flight_id: str, choices: Mapping[str, str], *, at_airport: bool = False
    ) -> dict[str, Any]:
        return await self.drafts.select_seats(access, flight_id, choices, at_airport=at_airport)

    async def set_luggage(self, access: Access, bags: Sequence[tuple[str, str, int, int]]) -> dict[str, Any]:
        return await self.drafts.set_luggage(access, bags)

    async def keep_draft(self, access: Access) -> dict[str, Any]:
        return await self.drafts.keep(access)

    # --- the payment saga

    async def pay(self, access: Access, idempotency_key: str, method: PaymentMethod) -> dict[str, Any]:
        return await self.saga.pay(access, idempotency_key, method)

    async def complete_payment(self, access: Access, code: str) -> dict[str, Any]:
        return await self.saga.complete_payment(access, code)

    async def recover(
        self, *, stale_after: float | None = None, now: datetime | None = None, only: Sequence[str] | None = None
    ) -> dict[str, int]:
        done = await self.saga.recover(stale_after=stale_after, now=now, only=only)
        stale = self.settings.stale_payment_seconds if stale_after is None else stale_after
        done["passenger_cancellations"] = await self.passenger_changes.recover(stale_after=stale, now=now, only=only)
        return done

    # --- manage

    async def get(self, access: Access) -> dict[str, Any]:
        view = await self.manage.get(access)
        return await self._with_proposal(view)

    async def _with_proposal(self, view: dict[str, Any]) -> dict[str, Any]:
        if self.ancillaries is not None:  # the EMDs of paid ancillaries (ancillaries_service.py)
            view = await self.ancillaries.with_emds(view)
        if self.reaccommodation is not None:
            view["reaccommodation"] = await self.reaccommodation.shown(view["id"], view["currency"])
        return view

    async def find(self, pnr: str, last_name: str) -> dict[str, Any]:
        return await self._with_proposal(await self.manage.find(pnr, last_name))

    async def search(
        self, query: str = "", email: str = "", phone: str = "", flight: str = "", day: str = "", page_size: int = 0
    ) -> list[dict[str, Any]]:
        """Customer service's search (search.py): cs and ops only."""
        return await self.desk.search(criteria(query, email, phone, flight, day, page_size))

    async def list_mine(self) -> list[dict[str, Any]]:
        return await self.manage.list_mine()

    async def cancel(self, access: Access, reason: str = "") -> dict[str, Any]:
        if self.changes is None:
            return await self.manage.cancel(access, reason)
        async with self.changes.exclusive(access.booking_id):  # never while a change is under way
            return await self.manage.cancel(access, reason)

    async def quote_cancel(self, access: Access) -> dict[str, Any]:
        return await self.manage.quote_cancel(access)

    async def change_seat(self, access: Access, flight_id: str, passenger_id: str, seat: str) -> dict[str, Any]:
        return await self.manage.change_seat(access, flight_id, passenger_id, seat)

    # --- one passenger after the sale (issue 15)

    async def cancel_passenger(self, access: Access, passenger_id: str, reason: str = "") -> dict[str, Any]:
        return await self._with_proposal(await self.passenger_changes.cancel(access, passenger_id, reason))

    async def correct_name(self, access: Access, passenger_id: str, first_name: str, last_name: str) -> dict[str, Any]:
        view = await self.passenger_changes.correct_name(access, passenger_id, first_name, last_name)
        return await self._with_proposal(view)

    # --- passenger rights

    async def compensation(self, access: Access) -> dict[str, Any]:
        return await self.rights.get(access)

    async def claim_compensation(self, access: Access, method: str) -> dict[str, Any]:
        return await self.rights.claim(access, method)

    # --- re-accommodation

    def _choices(self) -> Choices:
        if self.reaccommodation is None:
            raise RuntimeError("re-accommodation is not wired (no disruption port)")
        return self.reaccommodation

    async def run_reaccommodation(self, flight_id: str) -> dict[str, Any]:
        return await self._choices().run(flight_id)

    async def reaccommodation_status(self, flight_id: str) -> dict[str, Any]:
        return await self._choices().status(flight_id)

    async def accept_reaccommodation(self, access: Access, option: int) -> dict[str, Any]:
        bid = await self._choices().accept(access, option)
        return await self._with_proposal(await self.ctx.view_of(bid))

    async def decline_reaccommodation(self, access: Access, take: str) -> dict[str, Any]:
        bid = await self._choices().decline(access, take)
        return await self._with_proposal(await self.ctx.view_of(bid))

    # --- voluntary changes (changes_service.py)

    def _changes(self) -> Changes:
        if self.changes is None:
            raise RuntimeError("voluntary changes are not wired (no disruption or fares port)")
        return self.changes

    async def change_options(self, access: Access, leg: int, day: str) -> dict[str, Any]:
        return await self._changes().options(access, leg, day)

    async def quote_change(self, access: Access, legs: Sequence[tuple[int, str]]) -> dict[str, Any]:
        return await self._changes().quote(access, legs)

    async def change_flights(self, access: Access, quote_id: str, method: PaymentMethod) -> dict[str, Any]:
        return await self._with_proposal(await self._changes().change(access, quote_id, method))

    # --- paid ancillaries after the sale (ancillaries_service.py)

    def _ancillaries(self) -> AncillarySales:
        if self.ancillaries is None:
            raise RuntimeError("paid ancillaries are not wired (no database)")
        return self.ancillaries

    async def get_ancillaries(self, access: Access) -> dict[str, Any]:
        return await self._ancillaries().catalogue(access)

    async def quote_ancillaries(
        self, access: Access, bags: Sequence[tuple[str, str, int]], meals: Sequence[tuple[str, str, str]]
    ) -> dict[str, Any]:
        return await self._ancillaries().quote(access, bags, meals)

    async def buy_ancillaries(self, access: Access, quote_id: str, method: PaymentMethod) -> dict[str, Any]:
        return await self._with_proposal(await self._ancillaries().buy(access, quote_id, method))

    async def receipt(self, access: Access) -> dict[str, Any]:
        return await self._ancillaries().receipt(access)

    # --- the customer-service desk: history and resending the confirmation (history.py)

    async def booking_history(self, access: Access) -> dict[str, Any]:
        return await self.history.get(access)

    async def resend_confirmation(self, access: Access, resend_id: str = "") -> dict[str, Any]:
        return await self.history.resend(access, resend_id)
