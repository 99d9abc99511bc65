"""The payment saga's recovery pass (saga.py draws the saga): finish or compensate payment
sagas nobody drives any more, from what payment says happened, and expire unpaid bookings past
their time. Every step it takes is safe to repeat (ConfirmHold, capture and release are
idempotent; the confirmation checks the booking's state under its lock)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from airline.booking.domain import State
from airline.booking.events import emit
from airline.booking.ports import CAPTURED, LIVE_PAYMENT, OWN_ORIGIN
from airline.contracts.events import booking as booking_events
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, DomainError

if TYPE_CHECKING:
    from airline.booking.saga import PaymentSaga

log = logging.getLogger(__name__)


class Recovery:
    def __init__(self, saga: PaymentSaga, finish_cancel: Callable[[str], Awaitable[None]]) -> None:
        self.saga = saga
        self.ctx = saga.ctx
        self.finish_cancel = finish_cancel  # manage's cancelling saga, finished by the recovery pass too

    async def recover(
        self, *, stale_after: float | None = None, now: datetime | None = None, only: Sequence[str] | None = None
    ) -> dict[str, int]:
        """One pass: finish or compensate payment sagas nobody is driving any more, then expire
        unpaid bookings past their time. Run as `system`."""
        now = now or utcnow()
        stale = self.ctx.settings.stale_payment_seconds if stale_after is None else stale_after
        done = {"recovered": 0, "expired": 0, "cancelled": 0}
        async with self.ctx.reader() as tx:
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
        """Take the saga up where payment says it is: captured or authorised -> seats (again,
        idempotent), capture, confirm; a challenge still open -> wait while the booking lives;
        nothing -> a draft again (seats a sale had assigned first are released)."""
        ctx, saga = self.ctx, self.saga
        b = await ctx.read(bid)
        if b.state is not State.AWAITING_PAYMENT:
            return
        payments = saga.own_payments(b, await ctx.ports.payment.payments_for(bid))
        captured = [p for p in payments if p.status in CAPTURED]
        authorised = [p for p in payments if p.status == "authorised"]
        waiting = [p for p in payments if p.status in ("requires_action", "pending")]
        if captured:
            with contextlib.suppress(Conflict):  # seats lost: compensated (refunded) inside
                await saga.finish(b, captured[0])
            for extra in authorised:  # a second authorisation of a retried attempt: never charge twice
                await ctx.ports.payment.void(extra.id)
            return
        if authorised:
            for extra in authorised[1:]:
                await ctx.ports.payment.void(extra.id)
            with contextlib.suppress(Conflict):
                await saga.finish(b, authorised[0])
            return
        if waiting and b.expires_at > now:
            return  # the passenger may still answer the challenge
        for p in waiting:
            await ctx.ports.payment.void(p.id)
        # no payment will come: the booking is a draft again (its holds expire with it); seats a
        # sale assigned before a crash are given back, and the passenger chooses seats again
        released = await ctx.ports.reservation.release_assignments(bid)
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(bid, lock=True)
            assert cur is not None
            if cur.back_to_held("payment_abandoned", replace(b.payment, status="abandoned")):
                if released:
                    cur.seats_lost("payment_abandoned", captured=False, paid=False)
                await tx.bookings.save(cur)
                await tx.commit()

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
