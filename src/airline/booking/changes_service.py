"""Voluntary changes (issue 15, item 1): the flights a leg may move to, a signed quote, and the
change itself. Priced by changes.py (the fare rules kept at booking); the moves reuse
re-accommodation's pieces: its port (departures, free seats, AssignSeats by the seat rules,
one flight's seats given back), `Runner.reserve` (seats found before any are asked for, so a
retry takes none twice), the aggregate's `Booking.reaccommodate` (legs, seats, bags and new
e-tickets swapped) and the BookingReaccommodated shape of the event.

A quote is signed (HMAC under the service's key) and bound to the booking as it was quoted
(its `updated_at`: any later change of the booking makes it `quote_stale`); it expires after
AIRLINE_BOOKING_CHANGE_QUOTE_SECONDS. The change, under the booking's change-or-cancel lock
(an advisory lock a cancellation takes too, so a change racing a cancel ends with one winner
and a 409 `change_in_progress` for the other):

1. the booking is confirmed and as quoted, the changed legs outside their closing window;
2. the change is written `started` (its id a digest of the quote: the same quote again finds it;
   an applied one answers the booking again, charging and moving nothing);
3. seats on the new flights (the party together, the booking's cabin);
4. the payment of `total_due`, a sale under the key `booking-<id>-change-<change>-<attempt>`
   (a retry after an unknown outcome is the same payment; declined: the new seats given back,
   the change `declined`, 409 `payment_declined` = REST 402, nothing changed);
5. one transaction under the booking's row lock: legs, seats and e-tickets swapped, the change
   `applied`, BookingChanged and the contact's message in the outbox. A booking cancelled or
   changed meanwhile (a path that takes no lock, e.g. the worker) abandons the change: the
   payment refunded, the new seats released;
6. the old flights' seats released; the residual voucher issued (its key is the change's: once).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airline.booking import changes as rules
from airline.booking import charging
from airline.booking.ancillaries_store import AncillaryRepository
from airline.booking.changes_ports import FaresPort
from airline.booking.changes_store import Change, ChangeRepository
from airline.booking.changes_tell import changed_payload, tell
from airline.booking.context import Access, Context
from airline.booking.domain import Booking, Leg, State, ticket_number
from airline.booking.passengers import PassengerType
from airline.booking.ports import CAPTURED, OWN_ORIGIN
from airline.booking.reaccommodating import SELLING, Runner
from airline.booking.reaccommodation_ports import FlightFacts, leg_of
from airline.booking.reaccommodation_store import ReaccommodationRepository
from airline.booking.store import BookingRepository
from airline.booking.values import SeatChoice
from airline.booking.views import iso
from airline.contracts.events import booking as booking_events
from airline.payment.client import PaymentMethod
from airline.platform import flight_status
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed

log = logging.getLogger(__name__)


def _party(b: Booking) -> rules.Party:
    travelling = [p for p in b.passengers if not getattr(p, "cancelled", False)]
    if not travelling:
        return rules.Party(b.adults, b.children, b.infants)
    count = {t: sum(1 for p in travelling if p.type is t) for t in PassengerType}
    return rules.Party(count[PassengerType.ADULT], count[PassengerType.CHILD], count[PassengerType.INFANT])


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed("date is YYYY-MM-DD", field="date") from None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class Changes:
    def __init__(self, ctx: Context, db: ServiceDatabase, runner: Runner, fares: FaresPort) -> None:
        self.ctx = ctx
        self.db = db
        self.runner = runner
        self.fares = fares

    @property
    def close_hours(self) -> float:
        return self.ctx.settings.change_close_hours

    # --- who

    async def _booking(self, access: Access) -> Booking:
        """The owner, the manage token, PNR + last name, and staff (ops too) reach the booking."""
        return await charging.reach(self.ctx, access)

    # --- prices

    async def _unit_fares(self, b: Booking, leg: Leg) -> dict[PassengerType, int]:
        found = await self.fares.fares(leg.origin, leg.destination)
        return {
            PassengerType(f.passenger_type): f.amount
            for f in found
            if f.cabin_class == b.cabin_class and f.trip_type == b.trip_type and f.currency == b.currency
        }

    async def _paid(self, b: Booking, leg: Leg) -> int:
        """What the leg is worth now: the fare of the change that put it there, else its share."""
        async with self.db.reading() as conn:
            fare = await ChangeRepository(conn).fare_of(b.id, leg.flight_id)
        return fare if fare is not None else rules.leg_share(b.fare_total, len(b.legs), b.legs.index(leg))

    async def _open_leg(self, b: Booking, position: int) -> Leg:
        b.require(State.CONFIRMED, action="change flights")
        if not 0 <= position < len(b.legs):
            raise ValidationFailed(f"leg must be between 0 and {len(b.legs) - 1}", field="leg")
        leg = b.legs[position]
        now = await self.ctx.ports.flights.flight(leg.flight_id)
        departed = flight_status.flown(now.status, now.departure or leg.departure, utcnow())
        rules.require_open(leg.number, now.departure or leg.departure, departed, utcnow(), self.close_hours)
        return leg

    def _takeable(self, b: Booking, leg: Leg, f: FlightFacts) -> bool:
        return (
            f.origin == leg.origin
            and f.destination == leg.destination
            and f.status in SELLING
            and b.leg(f.id) is None
            and rules.may_take(f.departure, utcnow(), self.close_hours)
        )

    async def _seats_left(self, b: Booking, flight_id: str) -> int:
        return (await self.runner.ports.free_seats(flight_id)).get(b.cabin_class, 0)

    # --- options

    async def options(self, access: Access, position: int, day: str) -> dict[str, Any]:
        b = await self._booking(access)
        leg = await self._open_leg(b, position)
        local = _day(day)
        zone = _zone(leg.origin_time_zone)
        start = datetime.combine(local, time(0), zone).astimezone(UTC)
        found = await self.runner.ports.departures(leg.origin, start, start + timedelta(days=1))
        flights = sorted((f for f in found if self._takeable(b, leg, f)), key=lambda f: f.departure)
        party = _party(b)
        unit, paid = await self._unit_fares(b, leg), await self._paid(b, leg)
        fare = rules.party_fare(unit, party)
        if fare is None:
            return {"leg": position, "options": []}
        free = await asyncio.gather(*(self._seats_left(b, f.id) for f in flights))
        out = []
        for f, left in zip(flights, free, strict=True):
            if left < party.fee_payers:
                continue
            p = rules.price([rules.price_leg(leg.rules, party, paid, fare)], [leg.rules])
            out.append(
                {
                    "flight_id": f.id,
                    "number": f.number,
                    "scheduled_departure": iso(f.scheduled_departure),
                    "scheduled_arrival": iso(f.scheduled_arrival),
                    "seats_left": left,
                    "change_fee": p.change_fee,
                    "fare_difference": p.fare_difference,
                    "total_due": p.total_due,
                    "residual": p.residual_voucher,
                    "currency": b.currency,
                }
            )
        return {"leg": position, "options": out}

    # --- quote

    def _sign(self, body: dict[str, Any]) -> str:
        return charging.sign(self.ctx, "change-quote", body)

    def _verify(self, quote_id: str) -> dict[str, Any]:
        return charging.verify(self.ctx, "change-quote", quote_id)

    async def quote(self, access: Access, wanted: Sequence[tuple[int, str]]) -> dict[str, Any]:
        b = await self._booking(access)
        if not wanted:
            raise ValidationFailed("name at least one leg to change", field="legs")
        positions = [p for p, _ in wanted]
        if len(set(positions)) != len(positions):
            raise ValidationFailed("a leg appears twice", field="legs")
        party, prices, kept, legs = _party(b), [], [], []
        for position, flight_id in sorted(wanted):
            leg = await self._open_leg(b, position)
            f = await self._facts(flight_id.strip())
            if not self._takeable(b, leg, f):
                raise ValidationFailed(
                    f"flight {f.number} is not a flight this leg may change to "
                    f"({leg.origin}-{leg.destination}, sold, leaving after the closing window)",
                    field="legs.flight_id",
                )
            if await self._seats_left(b, f.id) < party.fee_payers:
                raise Conflict(f"flight {f.number} has no seats for the whole booking", code="no_seats")
            fare = rules.party_fare(await self._unit_fares(b, leg), party)
            if fare is None:
                raise Conflict(f"flight {f.number} has no fare for this booking's cabin", code="no_fare")
            prices.append(rules.price_leg(leg.rules, party, await self._paid(b, leg), fare))
            kept.append(leg.rules)
            legs.append(
                {
                    "leg": position,
                    "from_flight_id": leg.flight_id,
                    "flight_id": f.id,
                    "number": f.number,
                    "scheduled_departure": iso(f.scheduled_departure),
                    "fare": fare,
                }
            )
        p = rules.price(prices, kept)
        expires = utcnow() + timedelta(seconds=self.ctx.settings.change_quote_seconds)
        body = {"b": b.id, "v": iso(b.updated_at), "legs": legs, **p.as_dict(), "cur": b.currency, "exp": iso(expires)}
        return self._quote_view(self._sign(body), body)

    @staticmethod
    def _quote_view(quote_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "quote_id": quote_id,
            "legs": [{k: v for k, v in leg.items() if k != "fare"} for leg in body["legs"]],
            "change_fee": body["change_fee"],
            "fare_difference": body["fare_difference"],
            "total_due": body["total_due"],
            "residual_voucher": body["residual_voucher"],
            "currency": body["cur"],
            "expires_at": body["exp"],
        }

    async def _facts(self, flight_id: str) -> FlightFacts:
        try:
            return await self.runner.ports.flight(flight_id)
        except NotFound:
            raise ValidationFailed(f"no flight {flight_id}", field="legs.flight_id") from None

    # --- the change-or-cancel lock

    def exclusive(self, booking_id: str) -> AbstractAsyncContextManager[None]:
        """One change, purchase or cancellation of a booking at a time (charging.exclusive)."""
        return charging.exclusive(self.db, booking_id)

    # --- the change

    async def change(self, access: Access, quote_id: str, method: PaymentMethod) -> dict[str, Any]:
        q = self._verify(quote_id)
        b = await self._booking(access)
        if q["b"] != b.id:
            raise ValidationFailed("this quote is for another booking", field="quote_id", code="quote_invalid")
        cid = hashlib.sha256(quote_id.strip().encode()).hexdigest()[:32]
        async with self.exclusive(b.id):
            c = await self._row(cid)
            if c is None or c.state != "applied":
                c = await self._start(b, cid, q, c)
                await self._take(b, c, method)
                await self.ctx.step("change_paid")  # the crash tests' hook
                await self._swap(c)
            await self._finish(c.id)
        return await self.ctx.view_of(b.id)

    async def _row(self, cid: str) -> Change | None:
        async with self.db.reading() as conn:
            return await ChangeRepository(conn).get(cid)

    async def _start(self, b: Booking, cid: str, q: dict[str, Any], c: Change | None) -> Change:
        cur = await self.ctx.read(b.id)
        cur.require(State.CONFIRMED, action="change flights")
        if iso(cur.updated_at) != q["v"]:
            raise Conflict("the booking changed since this quote: ask for a new one", code="quote_stale")
        for leg in q["legs"]:
            await self._open_leg(cur, leg["leg"])
        attempt = (c.attempt + 1) if c is not None and c.state == "declined" else (c.attempt if c else 1)
        c = Change(cid, b.id, "started", q, attempt)
        async with self.db.uow() as uow:
            await ChangeRepository(uow.conn).start(c)
            await uow.commit()
        return c

    async def _take(self, b: Booking, c: Change, method: PaymentMethod) -> None:
        """Seats on the new flights, then the money (declined: the seats back, nothing changed)."""
        segments = [{"flight_id": leg["flight_id"], "cabin_class": b.cabin_class} for leg in c.quote["legs"]]
        seats = await self.runner.reserve(b, segments)
        if seats is None:
            raise Conflict("a new flight has no seats for the whole booking any more", code="no_seats")
        c.seats = seats
        due = int(c.quote["total_due"])
        payment_id = ""
        if due > 0:
            key = f"booking-{b.id}-change-{c.id}-{c.attempt}"
            try:
                payment_id = await charging.charge(self.ctx, b, due, method, key, "the change")
            except (ValidationFailed, Conflict, PermissionDenied):
                await self._undo(c, "declined")
                raise
        async with self.db.uow() as uow:
            await ChangeRepository(uow.conn).update(c.id, seats=seats, payment_id=payment_id, charged=due)
            await uow.commit()
        c.payment_id, c.charged = payment_id, due

    async def _undo(self, c: Change, state: str, refund_reason: str = "") -> None:
        """The new flights' seats back (never a flight the booking still flies), the money back."""
        if refund_reason and c.payment_id:
            amount = c.charged or int(c.quote["total_due"])
            await self.ctx.ports.payment.refund(
                c.payment_id, amount, refund_reason, f"booking-{c.booking_id}-change-{c.id}"
            )
        b = await self.ctx.read(c.booking_id)
        for leg in c.quote["legs"]:
            if b.leg(leg["flight_id"]) is None:
                await self.runner.ports.release(c.booking_id, leg["flight_id"])
        async with self.db.uow() as uow:
            await ChangeRepository(uow.conn).update(c.id, state=state)
            await uow.commit()

    async def _swap(self, c: Change) -> None:
        facts = {leg["flight_id"]: await self.runner.ports.flight(leg["flight_id"]) for leg in c.quote["legs"]}
        async with self.db.uow() as uow:
            bookings, repo = BookingRepository(uow.conn), ChangeRepository(uow.conn)
            b = await bookings.get(c.booking_id, lock=True)
            cur = await repo.get(c.id, lock=True)
            assert b is not None and cur is not None
            if cur.state == "applied":
                return
            moved = b.state is State.CONFIRMED and iso(b.updated_at) == c.quote["v"]
            if moved:
                await self._apply(uow, bookings, b, c, facts)
                await uow.commit()
        if not moved:
            why = "the booking was cancelled" if b.state is not State.CONFIRMED else "the booking changed"
            await self._undo(c, "abandoned", refund_reason=f"flight change not made: {why} meanwhile")
            code = "booking_state" if b.state is not State.CONFIRMED else "quote_stale"
            raise Conflict(f"{why} while the change was being made; nothing was charged", code=code)

    async def _apply(
        self, uow: Any, bookings: BookingRepository, b: Booking, c: Change, facts: dict[str, FlightFacts]
    ) -> None:
        before = (b.flight_cancelled, b.disruption)
        voided, removed, added = [], [], []
        travelling = sum(1 for p in b.passengers if not getattr(p, "cancelled", False))
        for leg in c.quote["legs"]:
            old = b.leg(leg["from_flight_id"])
            assert old is not None
            serials = await bookings.next_serials(travelling)
            numbers = [ticket_number(self.ctx.settings.ticket_prefix, n) for n in serials]
            seats = [SeatChoice(s["flight_id"], s["passenger_id"], s["seat"]) for s in c.seats]
            voided += b.reaccommodate(
                old.flight_id, [leg_of(facts[leg["flight_id"]], old.rules, old.position)], seats, numbers
            )
            removed.append(old.flight_id)
            added.append(leg["flight_id"])
        # a change the passenger asked for is no disruption (one left on another leg stays)
        b.flight_cancelled = before[0] and any(leg.status == "cancelled" for leg in b.legs)
        b.disruption = before[1]
        await bookings.save(b)
        await ReaccommodationRepository(uow.conn).replace_legs(b)
        await AncillaryRepository(uow.conn).follow_move(b.id, dict(zip(removed, added, strict=True)))
        await ChangeRepository(uow.conn).update(c.id, state="applied", voided_tickets=[t.to_dict() for t in voided])
        await tell(uow, b, c, "")
        await uow.emit(
            booking_events.BOOKING_CHANGED.topic,
            b.id,
            booking_events.BOOKING_CHANGED.type,
            changed_payload(self.ctx, b, c, removed, added),
        )

    async def _finish(self, cid: str) -> None:
        """After the move (also when the same change is asked again): the old flights' seats
        back, the residual voucher issued once and the contact told once."""
        c = await self._row(cid)
        assert c is not None and c.state == "applied"
        b = await self.ctx.read(c.booking_id)
        for leg in c.quote["legs"]:
            if b.leg(leg["from_flight_id"]) is None:
                await self.runner.ports.release(b.id, leg["from_flight_id"])
        amount = int(c.quote["residual_voucher"])
        if amount > 0 and not c.voucher_code:
            code = await self.ctx.ports.payment.issue_voucher(
                amount,
                b.currency,
                f"flight change of booking {b.pnr} (cheaper fare)",
                f"booking-{b.id}-change-{c.id}-voucher",
            )
            async with self.db.uow() as uow:
                repo = ChangeRepository(uow.conn)
                cur = await repo.get(c.id, lock=True)
                if cur is not None and not cur.voucher_code:
                    await repo.update(c.id, voucher_code=code)
                    await tell(uow, b, c, code)
                    await uow.commit()

    # --- recovery (the booking service's recovery job)

    async def recover(self, stale_after: float = 120.0) -> int:
        """Finishes what a dead request left: a change paid for (its payment recorded) is made,
        or abandoned with the money back when the booking changed meanwhile; one whose payment
        was never recorded is abandoned (a payment of its amount found for the booking, that no
        other payment of it accounts for, is refunded); a residual voucher not issued yet is."""
        async with self.db.reading() as conn:
            found = await ChangeRepository(conn).stale(utcnow() - timedelta(seconds=stale_after))
        done = 0
        for c in found:
            try:
                async with self.exclusive(c.booking_id):
                    cur = await self._row(c.id)
                    if cur is None:
                        continue
                    if cur.state == "started":
                        await self._recover_started(cur)
                    if (await self._row(c.id) or cur).state == "applied":
                        await self._finish(c.id)
                    done += 1
            except DomainError as e:  # busy, or a service away: the next run tries again
                log.warning("booking: change %s of %s not recovered yet: %s", c.id, c.booking_id, e)
        return done

    async def _recover_started(self, c: Change) -> None:
        if c.payment_id or int(c.quote["total_due"]) == 0:
            try:
                await self._swap(c)
            except Conflict:
                pass  # abandoned: the money back, the seats released
            return
        b = await self.ctx.read(c.booking_id)
        async with self.db.reading() as conn:
            known = await ChangeRepository(conn).payment_ids(b.id) | {b.payment.payment_id}
        due = int(c.quote["total_due"])
        for p in await self.ctx.ports.payment.payments_for(b.id):
            if p.origin == OWN_ORIGIN and p.amount == due and p.status in CAPTURED and p.id not in known:
                c.payment_id = p.id
                break
        await self._undo(c, "abandoned", refund_reason="flight change not finished")
