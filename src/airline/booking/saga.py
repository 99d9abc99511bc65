"""The payment saga: a draft becomes a confirmed booking only once its seats are its own and
its money is taken; and its recovery, for a process that died half way.

::

    held ──Pay──▶ awaiting_payment / authorising
      1. keep the seat holds alive           (hold ran out ──▶ held, seats to choose again)
      2. AuthorisePayment (no capture)       (declined / refused ──▶ held)
           │ requires_action ──CompletePayment (3-D Secure code)──▶ back to 2's answer
           ▼
         authorised
      3. ConfirmHold on each flight          (seats lost ──▶ compensate: void ──▶ held)
           ▼
         seats_confirmed
      4. CapturePayment                      (refused ──▶ compensate: release seats, void ──▶ held)
           ▼
         captured
      5. confirmed: PNR, e-tickets, BookingConfirmed (outbox)

Every step is recorded in the booking (state + step) before the next one starts, so a process
that dies anywhere leaves a booking in awaiting_payment that `recover` finishes or compensates
from what payment says (its payments for the booking) and reservation allows (ConfirmHold is
idempotent):

- money is captured only after the seats are assignments, so a capture never happens without
  seats; a booking whose seats cannot be confirmed gets its authorisation voided (or its
  capture refunded);
- seats held by an unpaid booking are released when the payment is declined for good,
  abandoned or the booking expires; assignments written for a payment that then cannot be
  captured are released again. A booking becomes `confirmed` only once its payment is captured.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from airline.booking.context import KEY, Access, Context
from airline.booking.domain import Booking, PaymentRecord, PnrTaken, State, new_pnr, ticket_number, transition
from airline.booking.events import confirmed_payload, emit
from airline.booking.ports import CAPTURED, LIVE_PAYMENT, Authorisation, Payment
from airline.contracts.events import booking as booking_events
from airline.payment.client import PaymentMethod
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed

log = logging.getLogger(__name__)

# The origin the payment service gives the payments this service starts (its service name):
# only such a payment, the one the booking recorded, for its exact amount, confirms a booking.
OWN_ORIGIN = "booking"


class Crash(BaseException):
    """Test hook: what a process killed at a saga step looks like to the code after it."""


def _record_of(p: Payment) -> PaymentRecord:
    return PaymentRecord(p.id, p.status, p.next_action, p.failure_code, p.failure_message)


class PaymentSaga:
    def __init__(self, ctx: Context, finish_cancel: Callable[[str], Awaitable[None]]) -> None:
        self.ctx = ctx
        self.finish_cancel = finish_cancel  # manage's cancelling saga, finished by the recovery pass too

    # --- Pay: held -> awaiting_payment, then 1 (holds) and 2 (authorise)

    async def pay(self, access: Access, idempotency_key: str, method: PaymentMethod) -> dict[str, Any]:
        ctx = self.ctx
        if not KEY.fullmatch(idempotency_key or ""):
            raise ValidationFailed(
                "an idempotency key (1-255 visible ASCII characters) is required", field="idempotency_key"
            )
        request_hash = ctx.method_fingerprint(method)
        async with ctx.uow() as tx:
            b = await ctx.load(tx, access)
        if b.state is State.HELD:
            await ctx.require_sellable(b.legs)  # before any money moves
        async with ctx.uow() as tx:
            b = await ctx.load(tx, access, lock=True)
            # the booking's row lock serialises pays of one booking: no other one remembers this key meanwhile
            if await tx.bookings.replay_key(f"pay:{b.id}", idempotency_key, request_hash) is not None:
                return ctx.view(b, replayed=True)
            await tx.bookings.remember_key(f"pay:{b.id}", idempotency_key, request_hash, b.id)
            attempt = b.start_payment(utcnow())
            await tx.bookings.save(b)
            await tx.commit()
        bid = b.id
        await ctx.step("authorising")
        # 1. the seats must outlive the payment: a hold that ran out sends the passenger back
        for leg in b.legs:
            try:
                await ctx.ports.reservation.extend_hold(leg.hold_id)
            except (NotFound, Conflict):
                await self._back_to_held(bid, "hold_expired", PaymentRecord(), clear_seats_of=leg.flight_id)
                raise Conflict(
                    f"the seats held on flight {leg.number} were released; choose seats again", code="hold_expired"
                ) from None
        # 2. authorise (the key makes a retried attempt the same payment)
        request = Authorisation(
            idempotency_key=f"booking-{bid}-{attempt}",
            reference=bid,
            amount=b.total,
            currency=b.currency,
            on_behalf_of=b.owner or "guest",
        )
        if not method.given:
            await self._back_to_held(bid, "payment_invalid", PaymentRecord())
            raise ValidationFailed("a payment method is required: card or e_wallet", field="method")
        try:
            payment = await ctx.ports.payment.authorise(request, method)
        except (ValidationFailed, Conflict, PermissionDenied) as e:
            await self._back_to_held(
                bid, "payment_refused", PaymentRecord(status="failed", failure_code=e.code, failure_message=e.message)
            )
            raise
        # Unavailable: the payment may or may not exist; recovery asks payment and decides
        return await self._authorised(bid, payment)

    async def _authorised(self, bid: str, p: Payment) -> dict[str, Any]:
        """What payment answered to 2 (or to the 3-D Secure code): on to 3, wait, or back to held."""
        record = _record_of(p)
        if p.status == "failed":
            await self._back_to_held(bid, "declined", record)
            return await self.ctx.view_of(bid)
        if p.status == "requires_action":
            await self._record(bid, "requires_action", record)
            return await self.ctx.view_of(bid)
        if p.status not in ("authorised", *CAPTURED):
            await self._record(bid, f"payment_{p.status}", record)
            return await self.ctx.view_of(bid)
        await self._record(bid, "authorised", record)
        await self.ctx.step("authorised")
        return await self._finish(bid, p.id, captured=p.status in CAPTURED)

    async def _finish(self, bid: str, payment_id: str, *, captured: bool) -> dict[str, Any]:
        """Authorised (or captured): 3, 4, 5. Every step is safe to repeat."""
        await self._confirm_seats(bid, payment_id, captured=captured)
        if not captured:
            await self._capture(bid, payment_id)
        await self.ctx.step("captured")
        return await self._confirm(bid, payment_id)

    # --- 3. the held seats become the booking's assignments

    async def _confirm_seats(self, bid: str, payment_id: str, *, captured: bool) -> None:
        b = await self.ctx.read(bid)
        try:
            for leg in b.legs:
                await self.ctx.ports.reservation.confirm_hold(leg.hold_id, bid)
        except (Conflict, NotFound, ValidationFailed) as e:
            log.warning("booking %s: the seats could not be confirmed (%s): compensating", bid, e.message)
            await self._compensate(bid, payment_id, captured=captured, reason=f"seats_lost: {e.message}")
            raise Conflict(
                "the seats could not be kept for this booking (their hold ran out and someone else "
                "took them); the payment was cancelled: choose seats again",
                code="seats_lost",
            ) from None
        await self._record(bid, "seats_confirmed")
        await self.ctx.step("seats_confirmed")

    # --- 4. the money is taken

    async def _capture(self, bid: str, payment_id: str) -> None:
        try:
            p = await self.ctx.ports.payment.capture(payment_id)
        except (Conflict, NotFound, ValidationFailed) as e:
            await self._compensate(bid, payment_id, captured=False, reason=f"capture_refused: {e.message}")
            raise Conflict(
                "the payment could not be captured; the seats were released", code="capture_refused"
            ) from None
        if p.status not in CAPTURED:
            await self._compensate(bid, payment_id, captured=False, reason=f"capture_{p.status}")
            raise Conflict("the payment could not be captured; the seats were released", code="capture_refused")

    # --- 5. confirmed: PNR, e-tickets, BookingConfirmed

    async def _confirm(self, bid: str, payment_id: str) -> dict[str, Any]:
        ctx = self.ctx
        for _ in range(10):
            try:
                async with ctx.uow() as tx:
                    b = await tx.bookings.get(bid, lock=True)
                    assert b is not None
                    if b.state is State.CONFIRMED:
                        return ctx.view(b)
                    transition(b.state, State.CONFIRMED)
                    serials = await tx.bookings.next_serials(len(b.ticket_pairs()))
                    b.confirm(payment_id, new_pnr(), [ticket_number(ctx.settings.ticket_prefix, n) for n in serials])
                    await tx.bookings.save(b)
                    stored = await tx.bookings.get(bid)  # with the time of its change
                    assert stored is not None
                    await emit(tx, booking_events.BOOKING_CONFIRMED, bid, confirmed_payload(stored, ctx.prices))
                    await tx.commit()
                    return ctx.view(stored)
            except PnrTaken:
                pass  # another booking drew the same PNR: draw again
        raise Conflict("could not allocate a booking reference; retry", code="pnr_exhausted")

    # --- compensation and the steps' records

    async def _compensate(self, bid: str, payment_id: str, *, captured: bool, reason: str) -> None:
        """The seats cannot be kept (or the money not taken): give both back; the booking
        returns to `held` without seats, so the passenger may choose again while it lives."""
        ctx = self.ctx
        b = await ctx.read(bid)
        await ctx.ports.reservation.release_assignments(bid)
        for hold_id in b.holds():
            await ctx.release_hold(hold_id)
        if captured:
            await ctx.ports.payment.refund(payment_id, 0, "the seats could not be kept", f"booking-{bid}-lost")
        else:
            await ctx.ports.payment.void(payment_id)
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(bid, lock=True)
            assert cur is not None
            cur.seats_lost(reason, captured=captured)
            await tx.bookings.save(cur)
            await tx.commit()

    async def _record(self, bid: str, step: str, payment: PaymentRecord | None = None) -> None:
        async with self.ctx.uow() as tx:
            b = await tx.bookings.get(bid, lock=True)
            assert b is not None
            b.record(step, payment)
            await tx.bookings.save(b)
            await tx.commit()

    async def _back_to_held(self, bid: str, step: str, payment: PaymentRecord, clear_seats_of: str = "") -> None:
        async with self.ctx.uow() as tx:
            b = await tx.bookings.get(bid, lock=True)
            assert b is not None
            if b.back_to_held(step, payment, clear_seats_of=clear_seats_of):
                await tx.bookings.save(b)
                await tx.commit()

    # --- CompletePayment: the 3-D Secure code, then 2's answer again

    async def complete_payment(self, access: Access, code: str) -> dict[str, Any]:
        async with self.ctx.uow() as tx:
            b = await self.ctx.load(tx, access)
        if b.state is not State.AWAITING_PAYMENT or b.step != "requires_action":
            raise Conflict("this booking has no payment waiting for a 3-D Secure code", code="no_challenge")
        p = await self.ctx.ports.payment.complete_challenge(b.payment.payment_id, code)
        return await self._authorised(b.id, p)

    # --- recovery and expiry

    async def recover(
        self, *, stale_after: float | None = None, now: datetime | None = None, only: Sequence[str] | None = None
    ) -> dict[str, int]:
        """One pass: finish or compensate payment sagas nobody is driving any more, then expire
        unpaid bookings past their time. Run as `system`."""
        now = now or utcnow()
        stale = self.ctx.settings.stale_payment_seconds if stale_after is None else stale_after
        done = {"recovered": 0, "expired": 0, "cancelled": 0}
        async with self.ctx.uow() as tx:
            stuck = await tx.bookings.open_ids(older_than=now - timedelta(seconds=stale), states=("awaiting_payment",))
            old = await tx.bookings.open_ids(expired_by=now)
            cancelling = await tx.bookings.open_ids(older_than=now - timedelta(seconds=stale), states=("cancelling",))
        if only is not None:
            stuck = [i for i in stuck if i in only]
            old = [i for i in old if i in only]
            cancelling = [i for i in cancelling if i in only]
        for bid in cancelling:  # a cancellation whose refund or release failed: finish it
            try:
                await self.finish_cancel(bid)
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
        """Take the saga up where payment says it is: captured or authorised -> 3..5; a
        challenge still open -> wait while the booking lives; nothing -> a draft again."""
        ctx = self.ctx
        b = await ctx.read(bid)
        if b.state is not State.AWAITING_PAYMENT:
            return
        payments = self._own_payments(b, await ctx.ports.payment.payments_for(bid))
        captured = [p for p in payments if p.status in CAPTURED]
        authorised = [p for p in payments if p.status == "authorised"]
        waiting = [p for p in payments if p.status in ("requires_action", "pending")]
        if captured:
            with contextlib.suppress(Conflict):  # seats lost: compensated (refunded) inside
                await self._finish(bid, captured[0].id, captured=True)
            for extra in authorised:  # a second authorisation of a retried attempt: never charge twice
                await ctx.ports.payment.void(extra.id)
            return
        if authorised:
            for extra in authorised[1:]:
                await ctx.ports.payment.void(extra.id)
            with contextlib.suppress(Conflict):
                await self._finish(bid, authorised[0].id, captured=False)
            return
        if waiting and b.expires_at > now:
            return  # the passenger may still answer the challenge
        for p in waiting:
            await ctx.ports.payment.void(p.id)
        # no payment will come: the booking is a draft again (its holds expire with it)
        await self._back_to_held(bid, "payment_abandoned", replace(b.payment, status="abandoned"))

    @staticmethod
    def _own_payments(b: Booking, payments: Sequence[Payment]) -> list[Payment]:
        """The payments this booking's own saga started: made by this service, for exactly the
        booking's amount and currency, and the one the booking recorded once it has recorded
        one. Anything else carrying the booking's id as reference is not its payment."""
        recorded = b.payment.payment_id
        return [
            p
            for p in payments
            if p.origin == OWN_ORIGIN
            and p.amount == b.total
            and p.currency == b.currency
            and (not recorded or p.id == recorded)
        ]

    async def _expire_one(self, bid: str, now: datetime) -> bool:
        ctx = self.ctx
        b = await ctx.read(bid)
        if b.state is State.AWAITING_PAYMENT:
            await self._recover_one(bid, now)
            b = await ctx.read(bid)
        if b.state is not State.HELD or b.expires_at > now:
            return False
        # an authorisation that answered after its booking gave up waiting is never captured
        for p in await ctx.ports.payment.payments_for(bid):
            if p.origin == OWN_ORIGIN and p.status in LIVE_PAYMENT:
                await ctx.ports.payment.void(p.id)
        await ctx.ports.reservation.release_assignments(bid)
        for hold_id in b.holds():
            await ctx.release_hold(hold_id)
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(bid, lock=True)
            assert cur is not None
            if cur.state is not State.HELD:
                return False
            cur.expire()
            await tx.bookings.save(cur)
            await emit(tx, booking_events.BOOKING_EXPIRED, bid, {"booking_id": bid})
            await tx.commit()
        return True
