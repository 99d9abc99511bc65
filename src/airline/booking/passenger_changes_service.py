"""After the sale, one passenger at a time (issue 15): cancel a passenger of several, refunded
their own share once; correct a misspelt name with new e-tickets. The rules are in
passenger_changes.py; this is the flow.

A passenger's cancellation runs like the whole booking's (manage.py): the decision (who
leaves, the refund) is recorded first under the booking's row lock, then the refund (its
idempotency key is the booking's and the passenger's), then their seats go back to
reservation, then the booking changes and the event is written. Each step is safe to repeat:
a retried request, a concurrent one, or one after a crash finishes the same decision and
refunds nothing twice."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from airline.booking import emd_refunds, history
from airline.booking import passenger_changes as rules
from airline.booking.context import Access, Context
from airline.booking.domain import Booking, State, ticket_number
from airline.booking.events import emit
from airline.booking.passenger_changes_store import (
    DONE,
    REFUNDING,
    Cancellation,
    booked_name,
    record_correction,
    transaction,
)
from airline.booking.passengers import clean_name
from airline.contracts.events import booking as booking_events
from airline.platform import flight_status
from airline.platform.auth import current_principal
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, DomainError, NotFound
from airline.platform.reason import current_reason

log = logging.getLogger(__name__)


def _who() -> str:
    p = current_principal.get()
    if p is None:
        return "guest"
    return f"{p.role.value}:{p.subject}"


class PassengerChanges:
    def __init__(self, ctx: Context, db: ServiceDatabase) -> None:
        self.ctx = ctx
        self.db = db

    async def _departed(self, b: Booking) -> list[str]:
        """The booking's flights that have left (asked of flights now)."""
        now = utcnow()
        out = []
        for leg in b.legs:
            f = await self.ctx.ports.flights.flight(leg.flight_id)
            if flight_status.flown(f.status, f.departure or leg.departure, now):
                out.append(leg.number)
        return out

    # --- cancel one passenger

    async def cancel(self, access: Access, passenger_id: str, reason: str = "") -> dict[str, Any]:
        ctx = self.ctx
        pid = passenger_id.strip().upper()
        # the passenger's own words, else the reason staff gave with the request (X-Airline-Reason)
        reason = " ".join((reason or current_reason.get()).split())[:500]
        b = await ctx.peek(access)
        await self.finish_pending(b.id)  # a decision left half-way (a crash, a concurrent request) first
        b = await ctx.read(b.id)
        p = b.passenger(pid)
        if p is None:
            raise NotFound(f"no passenger {passenger_id} in this booking", field="passenger_id")
        if p.cancelled:
            return ctx.view(b)  # cancelled already (this request made twice): nothing more to do
        b.require(State.CONFIRMED, action="cancel a passenger")
        rules.check_who_may_leave([x for x in b.passengers if not x.cancelled], pid)
        rules.require_not_departed(await self._departed(b))
        async with transaction(self.db) as (tx, repo):
            cur = await tx.bookings.get(b.id, lock=True)
            assert cur is not None
            cur.require(State.CONFIRMED, action="cancel a passenger")
            # passengers whose cancellation is decided but not applied yet count as gone already:
            # two at once can neither both leave the last one alone nor refund a lap infant twice
            deciding = {x for c in await repo.pending(b.id) for x in c.leaving}
            travelling = [x for x in cur.passengers if not x.cancelled and x.id not in deciding]
            if pid not in deciding and any(x.id == pid for x in travelling):
                leaving_ids = rules.check_who_may_leave(travelling, pid)
                share, refund = rules.passenger_refund(
                    leaving=[x for x in travelling if x.id in leaving_ids],
                    bags=cur.bags,
                    units=rules.unit_fares(cur.offer_id, cur.fare_total, cur.counts()),
                    prices=ctx.prices,
                    rules=[leg.rules for leg in cur.legs],
                    flight_cancelled=cur.flight_cancelled,
                    refundable_left=cur.total - cur.payment.refunds_before_cancel,  # decided ones included
                )
                decided = Cancellation(b.id, pid, leaving_ids, share, refund, reason, _who(), REFUNDING)
                if await repo.add(decided):
                    # their EMDs on unflown legs decided with it (emd_refunds.py), paid in finish
                    await emd_refunds.decide_for_passengers(repo.conn, cur, leaving_ids)
                    rules.settle(cur, share, refund)  # the decision, on the booking too (see settle)
                    await tx.bookings.save(cur)
                    await tx.commit()
        await self.finish(b.id, pid)
        return await ctx.view_of(b.id)

    async def recover(
        self, *, stale_after: float, now: datetime | None = None, only: Sequence[str] | None = None
    ) -> int:
        """The recovery pass: finishes the passengers' cancellations a request left half-way (a
        crash after the refund, a payment or reservation that did not answer); how many bookings."""
        now = now or utcnow()
        async with transaction(self.db) as (_, repo):
            stuck = await repo.stuck(now - timedelta(seconds=stale_after))
        finished = 0
        for bid in stuck if only is None else [b for b in stuck if b in only]:
            try:
                await self.finish_pending(bid)
                finished += 1
            except DomainError as e:
                log.warning("booking: finishing a passenger's cancellation of %s failed, will retry: %s", bid, e)
        return finished

    async def finish_pending(self, bid: str) -> None:
        async with transaction(self.db) as (_, repo):
            pending = await repo.pending(bid)
        for c in pending:
            await self.finish(bid, c.passenger_id)

    async def finish(self, bid: str, pid: str) -> None:
        """refund (recorded by payment, once by its key) -> seats released -> the booking
        changed and the event written, once (the row's state says whether it was)."""
        ctx = self.ctx
        async with transaction(self.db) as (tx, repo):
            c = await repo.get(bid, pid)
            b = await tx.bookings.get(bid)
        if c is None or c.state == DONE or b is None:
            return
        await ctx.step("passenger_cancel_refunding")
        if c.refund > 0:
            await ctx.ports.payment.refund(
                b.payment.payment_id,
                c.refund,
                c.reason or f"passenger {pid} cancelled",
                f"booking-{bid}-passenger-{pid}-cancel",
            )
        emds = await emd_refunds.pay_passengers(
            ctx, self.db, bid, c.leaving, c.reason or f"passenger {pid} cancelled: ancillaries"
        )
        await ctx.step("passenger_cancel_refunded")
        await ctx.ports.reservation.release_assignments(bid, [f"{bid}-{x}" for x in c.leaving])
        async with transaction(self.db) as (tx, repo):
            cur = await tx.bookings.get(bid, lock=True)
            c = await repo.get(bid, pid, lock=True)
            assert cur is not None and c is not None
            if c.state == DONE:
                return
            seats = [s for s in cur.seats if s.passenger_id in c.leaving]
            leaving = [x for x in cur.passengers if x.id in c.leaving]
            # the whole booking cancelled meanwhile counted this refund in its own already
            voided = rules.remove_passengers(cur, c.leaving, c.refund) if cur.state is State.CONFIRMED else []
            if cur.state is State.CONFIRMED:
                cur.refunded_amount += emds  # their EMDs (the receipt's total refunded)
            await tx.bookings.save(cur)
            await repo.done(bid, pid)
            await emit(
                tx,
                booking_events.PASSENGER_CANCELLED,
                bid,
                {
                    "booking_id": bid,
                    "pnr": cur.pnr or "",
                    "passenger_id": pid,
                    "passenger_ids": list(c.leaving),
                    "flights": [leg.flight_id for leg in cur.legs],
                    "cabin_class": cur.cabin_class,
                    "seated": sum(1 for x in leaving if x.type.value != "infant"),
                    "passengers": [{"id": x.id, "type": x.type.value, "meal": x.meal} for x in leaving],
                    "seats": [s.to_dict() for s in seats],
                    "voided_tickets": [t.to_dict() for t in voided],
                    "refunded_amount": c.refund,
                    "currency": cur.currency,
                    "reason": c.reason,
                },
            )
            if emds > 0:  # their EMDs' refunds, a step of their own (emd_refunds.py)
                details = {"passenger_id": pid, "passenger_ids": list(c.leaving), "amount": emds}
                await history.record(repo.conn, bid, "emds_refunded", {**details, "currency": cur.currency}, c.reason)
            await tx.commit()

    # --- correct a name

    async def correct_name(self, access: Access, passenger_id: str, first_name: str, last_name: str) -> dict[str, Any]:
        ctx = self.ctx
        pid = passenger_id.strip().upper()
        first = clean_name(first_name, "first_name")
        last = clean_name(last_name, "last_name")
        b = await ctx.peek(access)
        p = b.passenger(pid)
        if p is None or p.cancelled:
            raise NotFound(f"no passenger {passenger_id} travelling in this booking", field="passenger_id")
        b.require(State.CONFIRMED, action="correct a name")
        rules.check_name_correction(p.first_name, p.last_name, first, last)
        departed = await self._departed(b)
        if departed:
            raise Conflict(f"flight {', '.join(departed)} has left: its tickets can no longer change", code="departed")
        async with transaction(self.db) as (tx, repo):
            cur = await tx.bookings.get(b.id, lock=True)
            assert cur is not None
            now = cur.passenger(pid)
            assert now is not None
            if now.cancelled:
                raise NotFound(f"no passenger {passenger_id} travelling in this booking", field="passenger_id")
            # checked again under the lock, from the name as booked: corrections add up
            booked = await booked_name(repo.conn, b.id, pid)
            letters = rules.check_name_correction(now.first_name, now.last_name, first, last, booked)
            await record_correction(
                repo.conn,
                {
                    "booking_id": b.id,
                    "passenger_id": pid,
                    "booked_first_name": (booked or (now.first_name, now.last_name))[0],
                    "booked_last_name": (booked or (now.first_name, now.last_name))[1],
                    "first_name": first,
                    "last_name": last,
                    "letters": letters,
                    "requested_by": _who(),
                },
            )
            serials = await tx.bookings.next_serials(len(cur.legs))
            numbers = [ticket_number(ctx.settings.ticket_prefix, n) for n in serials]
            voided = rules.rename_passenger(cur, pid, first, last, numbers)
            await tx.bookings.save(cur)
            await emit(
                tx,
                booking_events.PASSENGER_RENAMED,
                b.id,
                {
                    "booking_id": b.id,
                    "pnr": cur.pnr or "",
                    "passenger_id": pid,
                    "first_name": first,
                    "last_name": last,
                    "previous_first_name": now.first_name,
                    "previous_last_name": now.last_name,
                    "tickets": [t.to_dict() for t in cur.tickets if t.passenger_id == pid],
                    "voided_tickets": [t.to_dict() for t in voided],
                },
            )
            await tx.commit()
        return await ctx.view_of(b.id)
