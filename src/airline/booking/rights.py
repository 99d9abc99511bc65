"""Passenger rights: what each passenger of a booking is owed for a flight the airline
cancelled or that arrived late (compensation.py's policy), and its payout on request, once.

Who: the booking's owner, a guest with its manage token, customer service and ops. Not a PNR
and a last name: those are printed on paper, and this moves money.

What is owed is judged now, from the owner of each fact: the flight's status and times from
flights (booking does not keep actual arrivals), the route's distance from airport (the one
place it is computed, from the airports' coordinates). A booking that was confirmed is owed
for its flights; one cancelled because the airline cancelled its flight is owed for that
cancellation; a draft, an expired booking or one the passenger cancelled is owed nothing.

Paying once, also after a crash: the claim is first recorded as "pending" (one row per
passenger and flight, unique, under the booking's row lock so that concurrent claims queue),
then each pending claim is paid under its own row lock with the idempotency key
`compensation-<claim id>`, then marked "paid". A retry, or a second claim, finds the rows and
completes a pending payout with the same key (payment answers it with the first result); it
never creates a second payout; the recovery job completes a claim left pending a minute. A voucher is a voucher from payment (IssueVoucher); a refund
goes to the card of the booking's payment (RefundPayment), which can never give back more
than was captured: a compensation bigger than what is left to refund is refused (409) before
anything is recorded, with the voucher as the way to take it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from airline.booking import compensation, history
from airline.booking.compensation import Entitlement, FlightFacts, Method, Policy
from airline.booking.compensation_store import PENDING, Claim, CompensationRepository
from airline.booking.context import Access, Context
from airline.booking.domain import Booking, State
from airline.booking.passengers import Passenger, PassengerType
from airline.booking.reaccommodation_store import ReaccommodationRepository
from airline.booking.store import BookingRepository
from airline.contracts.events import booking as booking_events
from airline.platform.auth import Principal, Role, current_principal
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, PermissionDenied, Unavailable, ValidationFailed
from airline.platform.ids import is_uuid

log = logging.getLogger(__name__)

# Definitive refusals of a payout (nothing moved): the pending claim is dropped, so the
# passenger can claim again another way.
_REFUSED = (Conflict, ValidationFailed, NotFound, PermissionDenied)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


class Rights:
    def __init__(self, ctx: Context, db: ServiceDatabase) -> None:
        self.ctx = ctx
        self.db = db

    @property
    def policy(self) -> Policy:
        return compensation.load_policy(self.ctx.settings.compensation_policy)

    # --- who asks

    async def who(self, access: Access) -> tuple[Booking, str]:
        """The booking and who asks for it ("<role>:<subject>", or "guest" with the manage token)."""
        principal: Principal | None = current_principal.get()
        bid = access.booking_id.strip().lower()
        if principal is not None and principal.has(Role.OPS):
            b = None
            if is_uuid(bid):
                async with self.ctx.reader() as tx:
                    b = await tx.bookings.get(bid)
            if b is None:
                raise NotFound(f"no booking {access.booking_id}", field="booking_id")
            return b, f"{principal.role.value}:{principal.subject}"
        # no PNR + last name here: only the owner, the manage token's holder and staff
        b = await self.ctx.peek(Access(booking_id=access.booking_id, manage_token=access.manage_token))
        by = self.ctx.access_by(b, Access(booking_id=b.id, manage_token=access.manage_token))
        if by in ("staff", "owner") and principal is not None:
            return b, f"{principal.role.value}:{principal.subject}"
        return b, "guest"

    # --- what is owed

    async def _facts(self, b: Booking) -> list[FlightFacts]:
        ports = self.ctx.ports
        async with self.db.reading() as conn:  # flights a re-accommodation took it off count too
            legs = [*b.legs, *await ReaccommodationRepository(conn).moved_from(b.id)]
        now = await asyncio.gather(*(ports.flights.flight(leg.flight_id) for leg in legs))
        facts = []
        for leg, f in zip(legs, now, strict=True):
            scheduled_arrival = f.scheduled_arrival or leg.scheduled_arrival
            arrival = f.actual_arrival or f.estimated_arrival
            distance = None
            if f.status == "cancelled" or (arrival is not None and arrival > scheduled_arrival):
                if ports.airport is None:
                    raise Unavailable("the airport service is not configured")
                distance = await ports.airport.distance_km(leg.origin, leg.destination)
            facts.append(
                FlightFacts(
                    leg.flight_id,
                    f.number or leg.number,
                    f.status,
                    leg.scheduled_departure,
                    scheduled_arrival,
                    f.actual_arrival,
                    f.estimated_arrival,
                    distance,
                    f.cancelled_at,
                )
            )
        return facts

    def _who_is_owed(self, b: Booking, policy: Policy) -> list[Passenger]:
        if b.state is State.CONFIRMED or (b.state in (State.CANCELLING, State.CANCELLED) and b.flight_cancelled):
            # a passenger cancelled alone (passenger_changes.py) no longer flies: nothing is owed
            return [
                p for p in b.passengers if not p.cancelled and (policy.infants or p.type is not PassengerType.INFANT)
            ]
        return []

    async def _owed(self, b: Booking, policy: Policy) -> list[tuple[Passenger, Entitlement]]:
        passengers = self._who_is_owed(b, policy)
        if not passengers:
            return []
        owed = []
        for f in await self._facts(b):
            if f.status != "cancelled" and b.state is not State.CONFIRMED:
                continue  # a cancelled booking flew none of its other flights
            e = compensation.entitlement(policy, f, b.currency)
            if e is not None:
                owed += [(p, e) for p in passengers]
        return owed

    # --- read

    async def get(self, access: Access) -> dict[str, Any]:
        b, _ = await self.who(access)
        policy = self.policy
        owed = await self._owed(b, policy)
        return self._view(b, policy, owed, await self._claims(b.id))

    async def _claims(self, booking_id: str) -> list[Claim]:
        async with self.db.reading() as conn:
            return await CompensationRepository(conn).of_booking(booking_id)

    def _view(
        self, b: Booking, policy: Policy, owed: list[tuple[Passenger, Entitlement]], claims: list[Claim]
    ) -> dict[str, Any]:
        names = {p.id: f"{p.first_name} {p.last_name}" for p in b.passengers}
        items: list[dict[str, Any]] = []
        claimed = {c.key for c in claims}
        for c in claims:
            items.append(
                {
                    "passenger_id": c.passenger_id,
                    "passenger_name": names.get(c.passenger_id, ""),
                    "flight_id": c.flight_id,
                    "flight_number": c.flight_number,
                    "reason": c.reason,
                    "explanation": c.explanation,
                    "policy": c.policy,
                    "distance_km": c.distance_km,
                    "delay_minutes": c.delay_minutes,
                    "amount": c.amount,
                    "currency": c.currency,
                    "status": c.state,
                    "method": c.method,
                    "reference": c.reference,
                    "requested_by": c.requested_by,
                    "claim_id": c.id,
                    "claimed_at": _iso(c.created_at),
                    "paid_at": _iso(c.paid_at),
                }
            )
        for p, e in owed:
            if (p.id, e.flight_id) in claimed:
                continue
            items.append(
                {
                    "passenger_id": p.id,
                    "passenger_name": names[p.id],
                    "flight_id": e.flight_id,
                    "flight_number": e.number,
                    "reason": e.reason.value,
                    "explanation": e.explanation,
                    "policy": policy.name,
                    "distance_km": e.distance_km,
                    "delay_minutes": e.delay_minutes,
                    "amount": e.amount,
                    "currency": e.currency,
                    "status": "due",
                }
            )
        items.sort(key=lambda i: (i["flight_id"], i["passenger_id"]))
        return {
            "booking_id": b.id,
            "policy": policy.name,
            "policy_description": policy.description,
            "currency": b.currency,
            "items": [{k: v for k, v in i.items() if v is not None} for i in items],
            "total_due": sum(i["amount"] for i in items if i["status"] == "due"),
            "total_paid": sum(i["amount"] for i in items if i["status"] == "paid"),
        }

    # --- claim

    async def claim(self, access: Access, method_name: str) -> dict[str, Any]:
        chosen = compensation.method(method_name)
        b, who = await self.who(access)
        policy = self.policy
        owed = await self._owed(b, policy)
        async with self.db.uow() as uow:
            # the booking's row lock queues concurrent claims of one booking: the second one
            # sees the first one's rows (and the refund room they took)
            cur = await BookingRepository(uow.conn).get(b.id, lock=True)
            assert cur is not None
            repo = CompensationRepository(uow.conn)
            existing = {c.key: c for c in await repo.of_booking(b.id)}
            new = [
                Claim(
                    id=str(uuid.uuid4()),
                    booking_id=b.id,
                    passenger_id=p.id,
                    flight_id=e.flight_id,
                    flight_number=e.number,
                    reason=e.reason.value,
                    explanation=e.explanation,
                    policy=policy.name,
                    distance_km=e.distance_km,
                    delay_minutes=e.delay_minutes,
                    amount=e.amount,
                    currency=e.currency,
                    method=chosen.value,
                    state=PENDING,
                    requested_by=who,
                    payment_id=cur.payment.payment_id if chosen is Method.REFUND else "",
                )
                for p, e in owed
                if (p.id, e.flight_id) not in existing
            ]
            if not new and not existing:
                raise Conflict(
                    f"no compensation is owed for this booking under the policy {policy.name}",
                    code="no_compensation_due",
                )
            if chosen is Method.REFUND and new:
                self._check_refund_room(cur, list(existing.values()), new)
            await repo.add_new(new)
            if new:  # a step of the booking's history (history.py), with this claim
                claimed = {"amount": sum(c.amount for c in new), "currency": new[0].currency, "method": chosen.value}
                await history.record(uow.conn, b.id, "compensation_claimed", claimed)
            await uow.commit()
        for c in await self._claims(b.id):
            if c.state == PENDING:
                await self._pay(c)
        return self._view(b, policy, owed, await self._claims(b.id))

    @staticmethod
    def _check_refund_room(b: Booking, existing: list[Claim], new: list[Claim]) -> None:
        if not b.payment.payment_id or b.payment.status not in ("captured", "partially_refunded"):
            raise Conflict(
                "this booking has no card payment left to refund to: take the compensation as a voucher",
                code="refund_not_possible",
            )
        taken = b.refunded_amount + sum(c.amount for c in existing if c.method == Method.REFUND.value)
        room = b.total - taken
        asked = sum(c.amount for c in new)
        if asked > room:
            raise Conflict(
                f"a refund to the card can give back at most what is left of the payment ({room} "
                f"{b.currency}), and {asked} is owed: take the compensation as a voucher",
                code="refund_exceeds_payment",
                left=room,
                owed=asked,
            )

    async def finish_pending(self, stale_after: float = 60.0) -> int:
        """The recovery job's part: pays the claims a dead request left pending (same key, so a
        payout that happened is answered, not repeated); how many were paid."""
        async with self.db.reading() as conn:
            stale = await CompensationRepository(conn).pending(utcnow() - timedelta(seconds=stale_after))
        paid = 0
        for c in stale:
            try:
                await self._pay(c)
                paid += 1
            except DomainError as e:  # refused (dropped: claim again) or still unreachable (next pass)
                log.warning("booking: compensation %s not paid: %s", c.id, e.message)
        return paid

    async def _pay(self, c: Claim) -> None:
        """Pays one pending claim under its row lock (a concurrent payer waits, then finds it paid)."""
        payment = self.ctx.ports.payment
        key = f"compensation-{c.id}"
        reason = f"compensation ({c.policy}): {c.explanation}"[:500]
        async with self.db.uow() as uow:
            repo = CompensationRepository(uow.conn)
            cur = await repo.lock(c.id)
            if cur is None or cur.state != PENDING:
                return
            try:
                if cur.method == Method.VOUCHER.value:
                    reference = await payment.issue_voucher(cur.amount, cur.currency, reason, key)
                else:
                    reference = await payment.refund(cur.payment_id, cur.amount, reason, key) or key
            except _REFUSED as e:
                if e.code == "idempotency_in_progress":
                    raise  # an earlier attempt may still pay: the claim stays pending for a retry
                await repo.drop(cur.id)
                await uow.commit()
                raise Conflict(
                    f"payment refused the compensation {cur.method}: {e.message}; nothing was paid, claim again",
                    code="compensation_refused",
                ) from e
            await repo.paid(cur.id, reference)
            await self._tell_paid(uow, cur, reference)
            await uow.commit()

    async def _tell_paid(self, uow: UnitOfWork, c: Claim, reference: str) -> None:
        """The booking's contact is told of the payout once (per claim: `fact`), with the claim."""
        b = await BookingRepository(uow.conn).get(c.booking_id)
        if b is None or not (b.contact_email or b.contact_phone):
            return
        who = b.passenger(c.passenger_id)
        name = f"{who.first_name} {who.last_name}" if who is not None else "a passenger"
        how = f"as voucher {reference}" if c.method == Method.VOUCHER.value else "to the card you paid with"
        message = (
            f"Booking {b.pnr}: compensation of {c.currency} {c.amount / 100:,.2f} for {name} on flight "
            f"{c.flight_number} ({c.explanation}) is paid {how}."
        )
        await BookingRepository(uow.conn).notify(b.id, "compensation", b.contact_email, b.contact_phone, message)
        await uow.emit(
            booking_events.PASSENGERS_NOTIFIED.topic,
            b.id,
            booking_events.PASSENGERS_NOTIFIED.type,
            {
                "booking_id": b.id,
                "pnr": b.pnr,
                "flight_id": c.flight_id,
                "kind": "compensation",
                "email": b.contact_email,
                "phone": b.contact_phone,
                "message": message,
                "fact": f"compensation:{c.id}",
            },
        )
