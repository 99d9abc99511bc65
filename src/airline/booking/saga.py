"""The payment saga: a draft becomes a confirmed booking only once its seats are its own and
its money is taken; its recovery (recovery.py) finishes it for a process that died half way.

Two orders, one rule: **money is captured only once the seats are the booking's assignments.**

Authorise, then seats, then capture (the default; any method, 3-D Secure included)::

    held ──Pay──▶ awaiting_payment          (one transaction: lock, idempotency key, attempt)
      0. flights: is each flight still sold?   (asked before Pay's transaction; no ──▶ 409, nothing changed)
         holds ending within hold_margin_seconds are extended   (ran out ──▶ held, seats to choose again)
      1. AuthorisePayment (no capture)          (declined / refused ──▶ held, seats kept for another try)
           │ requires_action ──CompletePayment (3-D Secure code)──▶ back to 1's answer
           ▼  step "authorised"
      2. ConfirmHold on every leg, at once      (seats lost ──▶ compensate: release, void ──▶ held)
           ▼  step "seats_confirmed"
      3. CapturePayment                         (refused ──▶ compensate: release seats, void ──▶ held)
           ▼  step "captured"
      4. confirmed: PNR, e-tickets, BookingConfirmed (outbox), one transaction

Seats, then one sale (`sale = true`: cards and e-wallets, two calls after Pay's transaction)::

    held ──Pay──▶ awaiting_payment
      1. ConfirmHold on every leg, at once      (reservation refuses a flight no longer sold;
           ▼  step "seats_confirmed"              seats lost ──▶ held, nothing was charged)
      2. AuthorisePayment with capture (a sale) (declined / refused ──▶ release the seats ──▶ held)
           │ requires_action: the seats stay assigned while the code is awaited; CompletePayment
           │ captures; recovery or expiry release them if no code comes
           ▼  step "authorised", "captured"
      3. confirmed (as 4 above)

A clean pay writes two transactions (Pay's and the confirmation); the steps between are not
recorded, because recovery needs none of them: it asks payment (ListPayments) what happened and
reservation confirms a hold idempotently. A booking left in awaiting_payment is taken up from
what payment says: captured ──▶ ConfirmHold ──▶ confirm (seats lost: refund); authorised ──▶
ConfirmHold ──▶ capture ──▶ confirm (seats lost: void); a challenge still open ──▶ wait while the
booking lives; nothing ──▶ release any assignments ──▶ held. `Context.step` is called with each
step's name as the saga passes it (the crash tests' hook).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from airline.booking.context import KEY, Access, Context
from airline.booking.domain import Booking, PaymentRecord, PnrTaken, State, new_pnr, ticket_number, transition
from airline.booking.events import confirmed_payload, emit
from airline.booking.ports import CAPTURED, OWN_ORIGIN, Authorisation, Payment
from airline.booking.recovery import Recovery
from airline.contracts.events import booking as booking_events
from airline.payment.client import PaymentMethod
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, NotFound, PermissionDenied, Unavailable, ValidationFailed

log = logging.getLogger(__name__)


class Crash(BaseException):
    """Test hook: what a process killed at a saga step looks like to the code after it."""


def _record_of(p: Payment) -> PaymentRecord:
    record = PaymentRecord(p.id, p.status, p.next_action, p.failure_code, p.failure_message)
    return record.paid_with(p.amount, p.voucher_amount, p.voucher_code) if p.amount else record


async def _settled(calls: Sequence[Awaitable[Any]]) -> list[Any]:
    """Runs the calls at once and waits for every one (a failed one does not leave the others
    running behind a compensation); their results or exceptions, in order."""
    return list(await asyncio.gather(*calls, return_exceptions=True))


class PaymentSaga:
    def __init__(self, ctx: Context, finish_cancel: Callable[[str], Awaitable[None]]) -> None:
        self.ctx = ctx
        self.recovery = Recovery(self, finish_cancel)

    # --- Pay: held -> awaiting_payment, then the calls

    async def pay(self, access: Access, idempotency_key: str, method: PaymentMethod) -> dict[str, Any]:
        ctx = self.ctx
        if not KEY.fullmatch(idempotency_key or ""):
            raise ValidationFailed(
                "an idempotency key (1-255 visible ASCII characters) is required", field="idempotency_key"
            )
        request_hash = ctx.method_fingerprint(method)
        sale = ctx.settings.sale
        if not sale:
            seen = await ctx.peek(access)  # no transaction: a plain read
            if seen.state is State.HELD:
                await ctx.require_sellable(seen.legs)  # before any money moves
        async with ctx.uow() as tx:
            b = await ctx.load(tx, access, lock=True)
            # the booking's row lock serialises pays of one booking: no other one remembers this key meanwhile
            if await tx.bookings.replay_key(f"pay:{b.id}", idempotency_key, request_hash) is not None:
                return ctx.view(b, replayed=True)
            await tx.bookings.remember_key(f"pay:{b.id}", idempotency_key, request_hash, b.id)
            attempt = b.start_payment(utcnow())
            await tx.bookings.save(b)
            await tx.commit()
        await ctx.step("authorising")
        await self._keep_holds(b)
        if not method.given:
            await self._back_to_held(b.id, "payment_invalid", PaymentRecord())
            raise ValidationFailed(
                "a payment method is required: card, e_wallet, or a voucher covering the total", field="method"
            )
        if sale:
            await self._confirm_seats(b, "", captured=False)
            await ctx.step("seats_confirmed")
        # the key makes a retried attempt the same payment
        request = Authorisation(
            idempotency_key=f"booking-{b.id}-{attempt}",
            reference=b.id,
            amount=b.total,
            currency=b.currency,
            on_behalf_of=b.owner or "guest",
            capture=sale,
        )
        try:
            payment = await ctx.ports.payment.authorise(request, method)
        except (ValidationFailed, Conflict, PermissionDenied) as e:
            refused = PaymentRecord(status="failed", failure_code=e.code, failure_message=e.message)
            await self._give_back(b, "payment_refused", refused, seats_assigned=sale)
            raise
        # Unavailable: the payment may or may not exist; recovery asks payment and decides
        return await self._authorised(b, payment, seats_assigned=sale, seats_confirmed=sale)

    async def _keep_holds(self, b: Booking) -> None:
        """The seats must outlive the payment: holds that would end within the margin are
        extended (all at once); one that ran out sends the passenger back to choose seats."""
        soon = utcnow() + timedelta(seconds=self.ctx.settings.hold_margin_seconds)
        legs = [leg for leg in b.legs if leg.hold_ends_before(soon)]
        results = await _settled([self.ctx.ports.reservation.extend_hold(leg.hold_id) for leg in legs])
        for leg, result in zip(legs, results, strict=True):
            if isinstance(result, NotFound | Conflict):
                await self._back_to_held(b.id, "hold_expired", PaymentRecord(), clear_seats_of=leg.flight_id)
                raise Conflict(
                    f"the seats held on flight {leg.number} were released; choose seats again", code="hold_expired"
                ) from None
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _authorised(
        self, b: Booking, p: Payment, *, seats_assigned: bool, seats_confirmed: bool
    ) -> dict[str, Any]:
        """What payment answered (to the authorisation or to the 3-D Secure code): on, wait, or
        back to held (`seats_assigned`: releasing the assignments a sale made first)."""
        record = _record_of(p)
        if p.status == "failed":
            return self.ctx.view(await self._give_back(b, "declined", record, seats_assigned=seats_assigned))
        if p.status not in ("authorised", *CAPTURED):
            # requires_action (the seats stay as they are while the code is awaited), pending...
            step = "requires_action" if p.status == "requires_action" else f"payment_{p.status}"
            return self.ctx.view(await self._record(b.id, step, record))
        await self.ctx.step("authorised")  # not recorded: recovery asks payment
        return await self.finish(b, p, seats_confirmed=seats_confirmed)

    async def finish(self, b: Booking, p: Payment, *, seats_confirmed: bool = False) -> dict[str, Any]:
        """Authorised (or captured): seats, capture, confirm. Every step is safe to repeat."""
        captured = p.status in CAPTURED
        if not seats_confirmed:
            await self._confirm_seats(b, p.id, captured=captured)
            await self.ctx.step("seats_confirmed")
        if not captured:
            try:
                await self._capture(b, p.id)
            except Unavailable:
                # the outcome is unknown: show how far it got; recovery asks payment
                await self._record(b.id, "seats_confirmed", _record_of(p))
                raise
        await self.ctx.step("captured")
        return await self._confirm(b.id, p)

    # --- the held seats become the booking's assignments

    async def _confirm_seats(self, b: Booking, payment_id: str, *, captured: bool) -> None:
        """ConfirmHold on every leg at once (reservation refuses a flight no longer sold). Seats
        lost: what was confirmed is released, the money (if any) given back, the booking held."""
        confirm = self.ctx.ports.reservation.confirm_hold
        results = await _settled([confirm(hold_id, b.id) for hold_id in b.holds()])
        failed = [r for r in results if isinstance(r, BaseException)]
        refusals = [r for r in failed if isinstance(r, Conflict | NotFound | ValidationFailed)]
        if failed and len(refusals) < len(failed):
            raise next(r for r in failed if r not in refusals)  # unknown outcome: recovery decides
        if refusals:
            why = refusals[0]
            log.warning("booking %s: the seats could not be confirmed (%s): compensating", b.id, why.message)
            if why.code == "flight_not_sellable":
                await self._compensate(b, payment_id, captured=captured, reason="flight_not_sellable")
                raise Conflict(
                    f"{why.message}: it can no longer be booked or paid", code="flight_not_sellable"
                ) from None
            await self._compensate(b, payment_id, captured=captured, reason=f"seats_lost: {why.message}")
            cancelled = "; the payment was cancelled" if payment_id else ""
            raise Conflict(
                "the seats could not be kept for this booking (their hold ran out and someone else "
                f"took them){cancelled}: choose seats again",
                code="seats_lost",
            ) from None

    # --- the money is taken

    async def _capture(self, b: Booking, payment_id: str) -> None:
        try:
            p = await self.ctx.ports.payment.capture(payment_id)
        except (Conflict, NotFound, ValidationFailed) as e:
            await self._compensate(b, payment_id, captured=False, reason=f"capture_refused: {e.message}")
            raise Conflict(
                "the payment could not be captured; the seats were released", code="capture_refused"
            ) from None
        if p.status not in CAPTURED:
            await self._compensate(b, payment_id, captured=False, reason=f"capture_{p.status}")
            raise Conflict("the payment could not be captured; the seats were released", code="capture_refused")

    # --- confirmed: PNR, e-tickets, BookingConfirmed

    async def _confirm(self, bid: str, p: Payment) -> dict[str, Any]:
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
                    b.confirm(p.id, new_pnr(), [ticket_number(ctx.settings.ticket_prefix, n) for n in serials])
                    b.payment = b.payment.paid_with(b.total, p.voucher_amount, p.voucher_code)
                    await tx.bookings.save(b)  # b gets the time of its change (RETURNING)
                    await emit(tx, booking_events.BOOKING_CONFIRMED, bid, confirmed_payload(b, ctx.prices))
                    await tx.commit()
                    return ctx.view(b)
            except PnrTaken:
                pass  # another booking drew the same PNR: draw again
        raise Conflict("could not allocate a booking reference; retry", code="pnr_exhausted")

    # --- compensation and the steps' records

    async def _compensate(self, b: Booking, payment_id: str, *, captured: bool, reason: str) -> None:
        """The seats cannot be kept (or the money not taken): give both back; the booking
        returns to `held` without seats, so the passenger may choose again while it lives."""
        ctx = self.ctx
        await ctx.ports.reservation.release_assignments(b.id)
        for hold_id in b.holds():
            await ctx.release_hold(hold_id)
        if payment_id and captured:
            await ctx.ports.payment.refund(payment_id, 0, "the seats could not be kept", f"booking-{b.id}-lost")
        elif payment_id:
            await ctx.ports.payment.void(payment_id)
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(b.id, lock=True)
            assert cur is not None
            cur.seats_lost(reason, captured=captured, paid=bool(payment_id))
            await tx.bookings.save(cur)
            await tx.commit()

    async def _give_back(self, b: Booking, step: str, payment: PaymentRecord, *, seats_assigned: bool) -> Booking:
        """No money will come from this attempt: held again. Seats it had already made the
        booking's assignments (a sale) are released: the passenger chooses seats again."""
        if not seats_assigned:
            return await self._back_to_held(b.id, step, payment)
        await self.ctx.ports.reservation.release_assignments(b.id)
        async with self.ctx.uow() as tx:
            cur = await tx.bookings.get(b.id, lock=True)
            assert cur is not None
            if cur.back_to_held(step, payment):
                cur.seats_lost(step, captured=False, paid=False)
                await tx.bookings.save(cur)
                await tx.commit()
            return cur

    async def _record(self, bid: str, step: str, payment: PaymentRecord | None = None) -> Booking:
        async with self.ctx.uow() as tx:
            b = await tx.bookings.get(bid, lock=True)
            assert b is not None
            b.record(step, payment)
            await tx.bookings.save(b)
            await tx.commit()
            return b

    async def _back_to_held(self, bid: str, step: str, payment: PaymentRecord, clear_seats_of: str = "") -> Booking:
        async with self.ctx.uow() as tx:
            b = await tx.bookings.get(bid, lock=True)
            assert b is not None
            if b.back_to_held(step, payment, clear_seats_of=clear_seats_of):
                await tx.bookings.save(b)
                await tx.commit()
            return b

    # --- CompletePayment: the 3-D Secure code, then the authorisation's answer again

    async def complete_payment(self, access: Access, code: str) -> dict[str, Any]:
        b = await self.ctx.peek(access)
        if b.state is not State.AWAITING_PAYMENT or b.step != "requires_action":
            raise Conflict("this booking has no payment waiting for a 3-D Secure code", code="no_challenge")
        p = await self.ctx.ports.payment.complete_challenge(b.payment.payment_id, code)
        # a sale's seats were assigned before its authorisation: released if it is declined, and
        # confirmed again (idempotent) before anything else when it went through
        return await self._authorised(b, p, seats_assigned=self.ctx.settings.sale, seats_confirmed=False)

    # --- recovery and expiry (recovery.py)

    async def recover(
        self, *, stale_after: float | None = None, now: datetime | None = None, only: Sequence[str] | None = None
    ) -> dict[str, int]:
        return await self.recovery.recover(stale_after=stale_after, now=now, only=only)

    @staticmethod
    def own_payments(b: Booking, payments: Sequence[Payment]) -> list[Payment]:
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
