"""A booking after the draft: read it (by access, by PNR + last name, the account's list),
cancel it (a draft given up, or a confirmed booking refunded by the fare rules or the no-show
rule), change a seat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airline.booking import changes
from airline.booking.changes_store import applied_and_paid
from airline.booking.context import Access, Context
from airline.booking.domain import Booking, Leg, State, normalise_pnr
from airline.booking.emd_refunds import refund_on_cancel as refund_ancillaries
from airline.booking.events import cancelled_payload, emit, seat_changed_payload
from airline.booking.passengers import last_name_matches
from airline.booking.ports import SeatRequest
from airline.contracts.events import booking as booking_events
from airline.platform import flight_status
from airline.platform.auth import Role, current_principal, require
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, NotFound, ValidationFailed


class Manage:
    def __init__(self, ctx: Context, db: ServiceDatabase | None = None) -> None:
        self.ctx = ctx
        self.db = db  # the voluntary changes' payments (refunded with a cancellation)

    # --- read

    async def get(self, access: Access) -> dict[str, Any]:
        return self.ctx.view(await self.ctx.peek(access))

    async def find(self, pnr: str, last_name: str) -> dict[str, Any]:
        pnr = normalise_pnr(pnr)
        if not last_name.strip():
            raise ValidationFailed("last_name is required", field="last_name")
        async with self.ctx.reader() as tx:
            b = await tx.bookings.by_pnr(pnr)
        # the PNR and the name both have to match, whoever asks (staff included)
        if b is None or not any(last_name_matches(last_name, p.last_name) for p in b.passengers):
            raise NotFound("no booking with this reference and last name")
        # a PNR and a last name are printed on paper: who knows them sees no full travel
        # document number and no date of birth (the owner and staff see them elsewhere)
        principal = current_principal.get()
        trusted = principal is not None and (
            principal.has(Role.CS, Role.SYSTEM) or (b.owner != "" and b.owner == principal.subject)
        )
        return self.ctx.view(b, guest=not trusted)

    async def list_mine(self) -> list[dict[str, Any]]:
        principal = require()
        async with self.ctx.reader() as tx:
            return [self.ctx.view(b) for b in await tx.bookings.by_owner(principal.subject)]

    # --- cancel

    async def cancel(self, access: Access, reason: str = "") -> dict[str, Any]:
        ctx = self.ctx
        reason = " ".join(reason.split())[:500]
        b = await ctx.peek(access)
        if b.state is State.HELD:
            for hold_id in b.holds():
                await ctx.release_hold(hold_id)
            async with ctx.uow() as tx:
                cur = await tx.bookings.get(b.id, lock=True)
                assert cur is not None
                cur.cancel_draft(reason)
                await tx.bookings.save(cur)
                await emit(
                    tx,
                    booking_events.BOOKING_CANCELLED,
                    b.id,
                    cancelled_payload(cur, 0, was_confirmed=False, no_show=False),
                )
                await tx.commit()
            return await ctx.view_of(b.id)
        if b.state is not State.CANCELLING:
            b.require(State.CONFIRMED, action="cancel")
            no_show = await self._left(b.legs)
            amount = b.refund_on_cancel(no_show)
            # the decision is recorded first (state cancelling): a refund that fails is retried
            # with the same amount and key, and the seats stay the passenger's until it is paid
            async with ctx.uow() as tx:
                cur = await tx.bookings.get(b.id, lock=True)
                assert cur is not None
                if cur.state is State.CONFIRMED:
                    cur.start_cancelling(reason, amount, no_show)
                    await tx.bookings.save(cur)
                    await tx.commit()
        await self.finish_cancel(b.id)
        return await ctx.view_of(b.id)

    async def _left(self, legs: Sequence[Leg]) -> bool:
        """Has a flight of the booking left, or its departure time passed without it being
        cancelled (asked of flights now)? Cancelling from then on is a no-show."""
        now = utcnow()
        for leg in legs:
            f = await self.ctx.ports.flights.flight(leg.flight_id)
            if flight_status.flown(f.status, f.departure or leg.departure, now):
                return True
        return False

    async def finish_cancel(self, bid: str) -> None:
        """cancelling -> refund (recorded by payment), then the seats, then cancelled. Each step
        is safe to repeat: the refund's idempotency key is the booking's, releasing is idempotent."""
        ctx = self.ctx
        b = await ctx.read(bid)
        if b.state is not State.CANCELLING:
            return
        amount = b.payment.cancel_refund or 0
        await ctx.step("cancel_refunding")
        if amount > 0:
            await ctx.ports.payment.refund(
                b.payment.payment_id, amount, b.cancel_reason or "booking cancelled", f"booking-{bid}-cancel"
            )
        extra = await self._refund_changes(b)
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(bid, lock=True)
            assert cur is not None
            cur.cancel_refunded(amount)
            await tx.bookings.save(cur)
            await tx.commit()
        await ctx.step("cancel_refunded")
        await ctx.ports.reservation.release_assignments(bid)
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(bid, lock=True)
            assert cur is not None
            if cur.state is not State.CANCELLING:
                return
            cur.finish_cancelling(amount)
            cur.refunded_amount += extra
            await tx.bookings.save(cur)
            await emit(
                tx,
                booking_events.BOOKING_CANCELLED,
                bid,
                cancelled_payload(cur, amount + extra, was_confirmed=True, no_show=cur.payment.no_show),
            )
            await tx.commit()

    async def _refund_changes(self, b: Booking) -> int:
        """Refunds, by changes.refund_on_cancel, what the booking's voluntary changes charged
        on their own payments; each under its own key, so a retried cancellation refunds once."""
        # the sale refunded in full (the airline cancelled, or a re-accommodation declined for
        # the refund): so is every change
        everything = self._in_full(b, b.payment.cancel_refund or 0)
        total = 0
        for c, amount in await self._change_refunds(b, everything, b.payment.no_show):
            if amount > 0:
                await self.ctx.ports.payment.refund(
                    c.payment_id, amount, b.cancel_reason or "booking cancelled", f"booking-{b.id}-change-{c.id}-cancel"
                )
                total += amount
        # and what paid ancillaries cost (emd_refunds.refund_on_cancel: by their flights' fares, each EMD once)
        return total + await refund_ancillaries(self.ctx, self.db, b, everything)

    @staticmethod
    def _in_full(b: Booking, sale_refund: int) -> bool:
        return b.flight_cancelled or sale_refund >= b.total - b.payment.refunds_before_cancel > 0

    async def _change_refunds(self, b: Booking, in_full: bool, no_show: bool) -> list[tuple[Any, int]]:
        """Each paid voluntary change with what cancelling gives back of it (changes.refund_on_cancel)."""
        out = []
        for c in await applied_and_paid(self.db, b.id) if self.db is not None else ():
            moved = {leg["flight_id"] for leg in c.quote.get("legs", ())}
            amount = changes.refund_on_cancel(
                c.charged,
                int(c.quote.get("change_fee", 0)),
                in_full=in_full,
                refundable=all(leg.rules.refundable for leg in b.legs if leg.flight_id in moved),
                no_show=no_show,
            )
            out.append((c, amount))
        return out

    async def quote_cancel(self, access: Access) -> dict[str, Any]:
        """What cancelling the confirmed booking now would refund: the sale by the fare rules (or
        the no-show rule) and the voluntary changes' payments, as `cancel` computes them.
        Paid extras (EMDs) are refunded by their own rules on top."""
        b = await self.ctx.peek(access)
        b.require(State.CONFIRMED, action="cancel")
        no_show = await self._left(b.legs)
        fare = b.refund_on_cancel(no_show)
        extra = sum(a for _, a in await self._change_refunds(b, self._in_full(b, fare), no_show))
        return {
            "booking_id": b.id,
            "refund_amount": fare + extra,
            "fare_refund": fare,
            "changes_refund": extra,
            "currency": b.currency,
            "no_show": no_show,
            "refundable": all(leg.rules.refundable for leg in b.legs),
        }

    # --- change a seat

    async def change_seat(self, access: Access, flight_id: str, passenger_id: str, seat: str) -> dict[str, Any]:
        ctx = self.ctx
        async with ctx.uow() as tx:
            b = await ctx.load(tx, access)
        b.require(State.CONFIRMED, action="change a seat")
        leg = b.leg(flight_id)
        if leg is None:
            raise ValidationFailed(f"flight {flight_id} is not part of this booking", field="flight_id")
        pid = passenger_id.strip().upper()
        p = b.passenger(pid)
        if p is None or not p.seated:
            raise ValidationFailed(f"no seated passenger {passenger_id} in this booking", field="passenger_id")
        await ctx.require_sellable([leg])  # no seat change once the flight is closed or gone
        given = await ctx.ports.reservation.assign_seat(
            leg.flight_id, b.id, SeatRequest(seat, f"{b.id}-{pid}", p.type.value, b.cabin_class)
        )
        new_seat = given or seat.strip().upper()
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(b.id, lock=True)
            assert cur is not None
            cancelled_meanwhile = cur.state is not State.CONFIRMED
            if not cancelled_meanwhile:
                old = cur.change_seat(leg.flight_id, pid, new_seat)
                await tx.bookings.save(cur)
                await emit(
                    tx, booking_events.SEAT_CHANGED, b.id, seat_changed_payload(cur, leg.flight_id, pid, old, new_seat)
                )
                await tx.commit()
        if cancelled_meanwhile:
            # the booking was cancelled while reservation assigned the new seat (the cancel
            # released the old one first): give the new one back too, so one state remains
            await ctx.ports.reservation.release_assignments(b.id)
            raise Conflict("the booking was cancelled while the seat was being changed", code="booking_cancelled")
        return await ctx.view_of(b.id)
