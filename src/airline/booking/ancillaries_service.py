"""Paid ancillaries after the sale (issue 15, item 1): what may be bought (the bag grid, the meal
menu, the sales window), a signed quote bound to the booking as it is now, the purchase, the
receipt and the refund when the booking is cancelled. Priced by ancillaries.py.

The purchase, under the booking's change-or-cancel lock (changes_store.lock_booking: a purchase
racing a cancellation or a change ends with one winner, the other a 409 `change_in_progress`):

1. the booking is confirmed and as quoted, every leg of the quote still sold;
2. the purchase is written `started` (its id a digest of the quote: the same quote again finds
   it; a bought one answers the booking again, charging nothing);
3. one payment of the quote's total, a sale under `booking-<id>-ancillaries-<purchase>-<attempt>`
   (declined: the purchase `declined`, 409 `payment_declined` = REST 402, nothing bought);
4. one transaction under the booking's row lock: the booking's extra bags grow (so the bag
   drop's allowance, read from GetBooking, grows), one EMD per item, the purchase `bought`,
   the AncillariesPurchased event (contracts.events.booking) in the outbox (inventory counts
   the meals). A booking cancelled or changed meanwhile abandons the purchase with the money
   back.

Cancelling the booking later (manage.finish_cancel) refunds by ancillaries.refund_on_cancel,
per EMD: nothing for a flight flown; everything when the sale is refunded in full (the airline
cancelled, or a re-accommodation declined for the refund); on a refundable fare everything
unless a no-show; nothing on a non-refundable fare; each EMD once, a passenger cancelled alone
having had theirs refunded already (emd_refunds.py, which runs it).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any

from airline.booking import ancillaries as rules
from airline.booking import ancillaries_store as store
from airline.booking import charging
from airline.booking.ancillaries_store import AncillaryRepository, Purchase
from airline.booking.changes_store import ChangeRepository, applied_and_paid
from airline.booking.context import Access, Context
from airline.booking.domain import Booking, ExtraBag, Leg, State
from airline.booking.fares import included_pieces, offer_taxes
from airline.booking.passengers import PassengerType
from airline.booking.ports import CAPTURED, OWN_ORIGIN
from airline.booking.store import BookingRepository
from airline.booking.views import iso
from airline.contracts.events import booking as booking_events
from airline.payment.client import PaymentMethod
from airline.platform import flight_status
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, DomainError, PermissionDenied, ValidationFailed

log = logging.getLogger(__name__)
PURPOSE = "ancillary-quote"


def _held(b: Booking, flight_id: str, pid: str) -> int:
    return next((x.extra_pieces for x in b.bags if x.flight_id == flight_id and x.passenger_id == pid), 0)


def emd_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "emd_number": row["number"],
        "kind": row["kind"],
        "flight_id": row["flight_id"],
        "passenger_id": row["passenger_id"],
        "description": row["description"],
        "amount": int(row["amount"]),
        "currency": row["currency"],
        "issued_at": iso(row["issued_at"]),
    }


class AncillarySales:
    def __init__(self, ctx: Context, db: ServiceDatabase) -> None:
        self.ctx = ctx
        self.db = db

    @property
    def close_hours(self) -> float:
        return self.ctx.settings.change_close_hours

    def meals(self, b: Booking) -> dict[str, rules.Meal]:
        return rules.menu(self.ctx.settings.meal_menu, b.currency)

    async def _booking(self, access: Access) -> Booking:
        return await charging.reach(self.ctx, access)

    async def _windows(self, b: Booking) -> dict[str, tuple[Leg, bool, datetime]]:
        """Per leg: (leg, still sold, when its sales close), from flights' times now."""
        now, out = utcnow(), {}
        for leg in b.legs:
            f = await self.ctx.ports.flights.flight(leg.flight_id)
            departure = f.departure or leg.departure
            departed = flight_status.flown(f.status or leg.status, departure, now)
            is_open = rules.is_open(departure, departed, now, self.close_hours) and leg.status != "cancelled"
            out[leg.flight_id] = (leg, is_open, rules.closes_at(departure, self.close_hours))
        return out

    async def emds(self, booking_id: str) -> list[dict[str, Any]]:
        if self.db is None:
            return []
        return [emd_view(r) for r in (await store.read(self.db, booking_id))[1]]

    async def with_emds(self, view: dict[str, Any]) -> dict[str, Any]:
        view["ancillaries"] = await self.emds(view["id"])
        return view

    # --- what may be bought

    async def catalogue(self, access: Access) -> dict[str, Any]:
        b = await self._booking(access)
        windows = await self._windows(b) if b.state is State.CONFIRMED else {}
        travelling = [p for p in b.passengers if not p.cancelled]
        prices = self.ctx.prices
        bags = []
        for leg in b.legs:
            for p in travelling:
                held = _held(b, leg.flight_id, p.id)
                infant = p.type is PassengerType.INFANT
                bags.append(
                    {
                        "flight_id": leg.flight_id,
                        "passenger_id": p.id,
                        "included_pieces": included_pieces(p.type, leg.rules.checked_bags),
                        "extra_pieces": held,
                        "piece_price": prices.per_piece,
                        "max_extra_pieces": rules.max_more(held, prices, infant=infant),
                    }
                )
        emds = (await store.read(self.db, b.id))[1]
        still = sorted(closes for _, is_open, closes in windows.values() if is_open)
        return {
            "currency": b.currency,
            "bags": bags,
            "meals": [m.to_dict() for m in self.meals(b).values()],
            "meal_orders": [
                {"flight_id": r["flight_id"], "passenger_id": r["passenger_id"], "code": r["code"]}
                for r in emds
                if r["kind"] == rules.MEAL
            ],
            "open": bool(still),
            "closes_at": iso(still[0]) if still else None,
        }

    # --- the quote

    async def quote(
        self, access: Access, bags: Sequence[tuple[str, str, int]], meals: Sequence[tuple[str, str, str]]
    ) -> dict[str, Any]:
        b = await self._booking(access)
        b.require(State.CONFIRMED, action="buy ancillaries")
        if not bags and not meals:
            raise ValidationFailed("name at least one bag or meal", field="bags")
        windows = await self._windows(b)
        ordered = {
            (r["flight_id"], r["passenger_id"]) for r in (await store.read(self.db, b.id))[1] if r["kind"] == rules.MEAL
        }
        menu, items, seen = self.meals(b), [], set()
        for kind, flight_id, pid, what in [(rules.BAG, f, p, n) for f, p, n in bags] + [
            (rules.MEAL, f, p, c) for f, p, c in meals
        ]:
            flight_id, pid = flight_id.strip(), pid.strip().upper()
            field = f"{kind}s"
            if flight_id not in windows:
                raise ValidationFailed(f"flight {flight_id} is not part of this booking", field=f"{field}.flight_id")
            p = b.passenger(pid)
            if p is None or p.cancelled:
                raise ValidationFailed(f"no passenger {pid} in this booking", field=f"{field}.passenger_id")
            if (kind, flight_id, pid) in seen:
                raise ValidationFailed(f"{pid} appears twice for flight {flight_id}", field=field)
            seen.add((kind, flight_id, pid))
            leg, is_open, _ = windows[flight_id]
            if not is_open:
                rules.require_open(leg.number, leg.departure, True, utcnow(), self.close_hours)
            infant = p.type is PassengerType.INFANT
            if kind == rules.BAG:
                pieces = int(what)
                amount = rules.bag_price(pieces, _held(b, flight_id, pid), self.ctx.prices, infant=infant)
                item = {"pieces": pieces, "code": "", "description": rules.bag_description(pieces, leg.number)}
            else:
                meal = rules.meal_price(str(what), menu, infant=infant)
                if (flight_id, pid) in ordered:
                    raise ValidationFailed(
                        f"{pid} has a meal ordered on flight {leg.number} already", field="meals", code="meal_ordered"
                    )
                amount = meal.price
                item = {"pieces": 0, "code": meal.code, "description": rules.meal_description(meal, leg.number)}
            items.append({"kind": kind, "flight_id": flight_id, "passenger_id": pid, **item, "amount": amount})
        expires = utcnow() + timedelta(seconds=self.ctx.settings.change_quote_seconds)
        total = sum(i["amount"] for i in items)
        body = {
            "b": b.id,
            "v": iso(b.updated_at),
            "items": items,
            "total": total,
            "cur": b.currency,
            "exp": iso(expires),
        }
        return {
            "quote_id": charging.sign(self.ctx, PURPOSE, body),
            "items": [{k: i[k] for k in ("kind", "flight_id", "passenger_id", "description", "amount")} for i in items],
            "total": total,
            "currency": b.currency,
            "expires_at": iso(expires),
        }

    # --- the purchase

    def exclusive(self, booking_id: str) -> AbstractAsyncContextManager[None]:
        """The booking's change-or-cancel lock (the one changes and cancellations take)."""
        return charging.exclusive(self.db, booking_id)

    async def buy(self, access: Access, quote_id: str, method: PaymentMethod) -> dict[str, Any]:
        q = charging.verify(self.ctx, PURPOSE, quote_id)
        b = await self._booking(access)
        if q["b"] != b.id:
            raise ValidationFailed("this quote is for another booking", field="quote_id", code="quote_invalid")
        pid = hashlib.sha256(quote_id.strip().encode()).hexdigest()[:32]
        async with self.exclusive(b.id):
            p = await self._row(pid)
            if p is None or p.state != "bought":
                p = await self._start(b, pid, q, p)
                await self._take(b, p, method)
                await self.ctx.step("ancillaries_paid")  # the crash tests' hook
                await self._apply(p)
        return await self.ctx.view_of(b.id)  # the service adds the EMDs (BookingService._with_proposal)

    async def _row(self, pid: str) -> Purchase | None:
        async with self.db.reading() as conn:
            return await AncillaryRepository(conn).get(pid)

    async def _start(self, b: Booking, pid: str, q: dict[str, Any], p: Purchase | None) -> Purchase:
        cur = await self.ctx.read(b.id)
        cur.require(State.CONFIRMED, action="buy ancillaries")
        if iso(cur.updated_at) != q["v"]:
            raise Conflict("the booking changed since this quote: ask for a new one", code="quote_stale")
        windows = await self._windows(cur)
        for item in q["items"]:
            leg, is_open, _ = windows[item["flight_id"]]
            if not is_open:
                rules.require_open(leg.number, leg.departure, True, utcnow(), self.close_hours)
        # a new payment after one refused or given back; the same one (its key) after an unknown outcome
        attempt = (p.attempt + 1) if p is not None and p.state in ("declined", "abandoned") else (p.attempt if p else 1)
        p = Purchase(pid, b.id, "started", q, attempt)
        async with self.db.uow() as uow:
            await AncillaryRepository(uow.conn).start(p)
            await uow.commit()
        return p

    async def _take(self, b: Booking, p: Purchase, method: PaymentMethod) -> None:
        due = int(p.quote["total"])
        payment_id = ""
        if due > 0:
            key = f"booking-{b.id}-ancillaries-{p.id}-{p.attempt}"
            try:
                payment_id = await charging.charge(self.ctx, b, due, method, key, "an ancillary purchase")
            except (ValidationFailed, Conflict, PermissionDenied):
                await self._set(p.id, state="declined")
                raise
        await self._set(p.id, payment_id=payment_id, charged=due)
        p.payment_id, p.charged = payment_id, due

    async def _set(self, pid: str, **values: Any) -> None:
        async with self.db.uow() as uow:
            await AncillaryRepository(uow.conn).update(pid, **values)
            await uow.commit()

    async def _apply(self, p: Purchase) -> None:
        async with self.db.uow() as uow:
            bookings, repo = BookingRepository(uow.conn), AncillaryRepository(uow.conn)
            b = await bookings.get(p.booking_id, lock=True)
            cur = await repo.get(p.id, lock=True)
            assert b is not None and cur is not None
            if cur.state == "bought":
                return
            ok = b.state is State.CONFIRMED and iso(b.updated_at) == p.quote["v"]
            if ok:
                await self._write(uow, bookings, repo, b, p)
                await uow.commit()
        if not ok:
            why = "the booking was cancelled" if b.state is not State.CONFIRMED else "the booking changed"
            if p.payment_id:
                await self.ctx.ports.payment.refund(
                    p.payment_id,
                    p.charged,
                    f"ancillaries not bought: {why} meanwhile",
                    f"booking-{b.id}-ancillaries-{p.id}",
                )
            await self._set(p.id, state="abandoned")
            code = "booking_state" if b.state is not State.CONFIRMED else "quote_stale"
            raise Conflict(f"{why} while the ancillaries were being bought; nothing was charged", code=code)

    async def _write(
        self, uow: Any, bookings: BookingRepository, repo: AncillaryRepository, b: Booking, p: Purchase
    ) -> None:
        items = p.quote["items"]
        grid = {(x.flight_id, x.passenger_id): x for x in b.bags}
        for i in (i for i in items if i["kind"] == rules.BAG):
            key = (i["flight_id"], i["passenger_id"])
            old = grid.get(key)
            held, kg = (old.extra_pieces, old.overweight_kg) if old else (0, 0)
            grid[key] = ExtraBag(i["flight_id"], i["passenger_id"], held + int(i["pieces"]), kg)
        b.bags = list(grid.values())
        await bookings.save(b)
        numbers = [rules.emd_number(self.ctx.settings.ticket_prefix, n) for n in await repo.next_serials(len(items))]
        rows = [
            {
                "number": n,
                "kind": i["kind"],
                "flight_id": i["flight_id"],
                "passenger_id": i["passenger_id"],
                "code": i["code"],
                "pieces": int(i["pieces"]),
                "description": i["description"],
                "amount": int(i["amount"]),
                "currency": p.quote["cur"],
            }
            for n, i in zip(numbers, items, strict=True)
        ]
        await repo.issue(p.id, b.id, rows)
        await repo.update(p.id, state="bought")
        payload = booking_events.AncillariesPurchased(
            booking_id=b.id,
            pnr=b.pnr or "",
            purchase_id=p.id,
            cabin_class=b.cabin_class,
            currency=p.quote["cur"],
            total=int(p.quote["total"]),
            payment_id=p.payment_id,
            items=[
                booking_events.AncillaryItem(
                    emd_number=r["number"],
                    kind=r["kind"],
                    flight_id=r["flight_id"],
                    passenger_id=r["passenger_id"],
                    pieces=r["pieces"],
                    code=r["code"],
                    amount=r["amount"],
                )
                for r in rows
            ],
        )
        await uow.emit_event(booking_events.ANCILLARIES_PURCHASED, b.id, payload.model_dump(mode="json"))

    # --- recovery (the booking service's recovery job)

    async def recover(self, stale_after: float = 120.0) -> int:
        """A purchase a dead request left `started`: paid (its payment recorded) → bought, or
        abandoned with the money back when the booking changed meanwhile; not paid → abandoned
        (a retry of the same quote starts a new attempt)."""
        async with self.db.reading() as conn:
            found = await AncillaryRepository(conn).stale(utcnow() - timedelta(seconds=stale_after))
        done = 0
        for p in found:
            try:
                async with self.exclusive(p.booking_id):
                    cur = await self._row(p.id)
                    if cur is None or cur.state != "started":
                        continue
                    if cur.payment_id or int(cur.quote["total"]) == 0:
                        try:
                            await self._apply(cur)
                        except Conflict:
                            pass  # abandoned, the money back
                    else:
                        await self._abandon_unrecorded(cur)
                    done += 1
            except DomainError as e:
                log.warning("booking: ancillary purchase %s of %s not recovered yet: %s", p.id, p.booking_id, e)
        return done

    async def _abandon_unrecorded(self, p: Purchase) -> None:
        """A purchase whose payment was never recorded: a captured payment of its amount for the
        booking that no other payment of it accounts for is refunded; the purchase abandoned."""
        b = await self.ctx.read(p.booking_id)
        async with self.db.reading() as conn:
            known = await AncillaryRepository(conn).payment_ids(b.id) | await ChangeRepository(conn).payment_ids(b.id)
        due = int(p.quote["total"])
        for pay in await self.ctx.ports.payment.payments_for(b.id):
            if pay.origin == OWN_ORIGIN and pay.amount == due and pay.status in CAPTURED and pay.id not in known:
                if pay.id != b.payment.payment_id:
                    reason = "ancillaries not bought: the request died"
                    await self.ctx.ports.payment.refund(pay.id, due, reason, f"booking-{b.id}-ancillaries-{p.id}")
                    break
        await self._set(p.id, state="abandoned")

    # --- the receipt

    async def receipt(self, access: Access) -> dict[str, Any]:
        b = await self._booking(access)
        if not b.payment.payment_id and b.state is not State.CONFIRMED:
            raise Conflict("nothing was paid for this booking yet", code="booking_state")
        lines: list[dict[str, Any]] = []
        tickets = b.tickets or []
        taxes = offer_taxes(b.offer_id, b.fare_total)  # flights' tax lines, part of the fare paid
        base = b.fare_total - sum(t.amount for t in taxes)
        for n, t in enumerate(tickets):
            share = base // len(tickets) + (base % len(tickets) if n == 0 else 0)
            leg = b.leg(t.flight_id)
            where = f"{leg.number} {leg.origin}-{leg.destination}" if leg else t.flight_id
            lines.append(
                {
                    "kind": "fare",
                    "description": f"Fare {where}, passenger {t.passenger_id}",
                    "document": t.number,
                    "amount": share,
                }
            )
        if not tickets:
            lines.append({"kind": "fare", "description": "Fare", "document": "", "amount": base})
        for tax in taxes:
            what = f"{tax.name} ({tax.code}, {tax.airport}), {tax.passenger_type} x{tax.count}"
            lines.append({"kind": "tax", "description": what, "document": "", "amount": tax.amount})
        if b.bag_total:
            lines.append(
                {
                    "kind": "bag",
                    "description": "Extra bags bought with the booking",
                    "document": "",
                    "amount": b.bag_total,
                }
            )
        purchases, emds = await store.read(self.db, b.id)
        for r in emds:
            lines.append(
                {
                    "kind": r["kind"],
                    "description": r["description"],
                    "document": r["number"],
                    "amount": int(r["amount"]),
                }
            )
        for c in await applied_and_paid(self.db, b.id):
            lines.append({"kind": "change", "description": "Flight change", "document": "", "amount": int(c.charged)})
        # an EMD refunded (a passenger's or the booking's cancellation) shows as its own refund
        by_emd = [r for r in emds if int(r.get("refunded") or 0) > 0]
        for r in by_emd:
            what = f"Refunded: {r['description']}"
            lines.append(
                {"kind": "refund", "description": what, "document": r["number"], "amount": -int(r["refunded"])}
            )
        rest = b.refunded_amount - sum(int(r["refunded"]) for r in by_emd)
        if rest > 0:
            lines.append({"kind": "refund", "description": "Refunded", "document": "", "amount": -rest})
        paid = sum(x["amount"] for x in lines if x["kind"] != "refund")
        return {
            "booking_id": b.id,
            "pnr": b.pnr or "",
            "currency": b.currency,
            "lines": lines,
            "total_paid": paid,
            "total_refunded": b.refunded_amount,
        }
