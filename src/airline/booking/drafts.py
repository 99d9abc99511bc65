"""The draft booking the front end edits step by step: create it from an offer, then the
passengers, the seats (held in reservation), the luggage. Each step of a draft keeps its seat
holds alive; paying is the saga's (saga.py)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from airline.booking.context import KEY, Access, Context
from airline.booking.domain import Booking, State
from airline.booking.passengers import PassengerInput, validate_contact, validate_passengers
from airline.booking.ports import Bookings, Offer, SeatHoldRequest, SeatRequest
from airline.platform import flight_status
from airline.platform.auth import current_principal
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, TooManyRequests, Unavailable, ValidationFailed

log = logging.getLogger(__name__)


def kept_until(b: Booking, now: datetime, keep_seconds: int, max_lifetime_seconds: int) -> datetime:
    """When a draft kept now would expire, or why it cannot be kept."""
    if b.state is State.EXPIRED or (b.state is State.HELD and b.expires_at <= now):
        raise Conflict(
            "this booking has expired: its seats are free again, start from the search", code="booking_expired"
        )
    b.require(State.HELD, action="keep the seats")
    assert b.created_at is not None  # a stored booking has its time
    limit = b.created_at + timedelta(seconds=max_lifetime_seconds)
    until = min(b.expires_at + timedelta(seconds=keep_seconds), limit)
    if until - b.expires_at < timedelta(seconds=60):  # less than a minute more is no keeping
        raise Conflict(
            f"these seats cannot be held any longer: a booking must be paid within {max_lifetime_seconds // 60} "
            "minutes of its start",
            code="keep_limit",
            expires_at=b.expires_at.isoformat(),
        )
    return until


class Drafts:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # --- create

    async def create(self, offer_id: str, idempotency_key: str = "", client_address: str = "") -> dict[str, Any]:
        ctx = self.ctx
        principal = current_principal.get()
        owner = principal.subject if principal is not None else ""
        if not offer_id.strip():
            raise ValidationFailed("offer_id is required", field="offer_id")
        if idempotency_key and not KEY.fullmatch(idempotency_key):
            raise ValidationFailed(
                "the idempotency key must be 1-255 visible ASCII characters", field="idempotency_key"
            )
        scope = f"create:{owner or 'guest'}"
        request_hash = hashlib.sha256(offer_id.strip().encode()).hexdigest()
        if idempotency_key:
            replay = await self._replay(scope, idempotency_key, request_hash)
            if replay is not None:
                return replay
        bid = str(uuid.uuid4())
        expires_at = utcnow() + timedelta(seconds=ctx.settings.booking_ttl_seconds)
        # flights claims the offer's booking-class seats for this draft as it checks them, so
        # concurrent drafts cannot all take a bucket's last seats; the claim outlasts the draft
        # by the time a payment begun just before its expiry may take
        claim_until = expires_at + timedelta(seconds=ctx.settings.hold_margin_seconds)
        made: dict[str, Any] | None = None
        try:
            offer = await ctx.ports.flights.offer(offer_id.strip(), booking_id=bid, claim_until=claim_until)
        except BaseException as e:
            if not isinstance(e, DomainError) or isinstance(e, Unavailable):  # unanswered: it may have claimed
                await self._release_claims(bid)
            raise  # a refusal claimed nothing
        try:
            booking = self._draft(offer, bid, offer_id.strip(), expires_at, owner, client_address)
            made = await self._add(booking, (scope, idempotency_key, request_hash) if idempotency_key else None)
            return made
        finally:
            if made is None or made["id"] != bid:  # refused, failed, or a concurrent retry made it first
                await self._release_claims(bid)

    def _draft(
        self, offer: Offer, bid: str, offer_id: str, expires_at: datetime, owner: str, client_address: str
    ) -> Booking:
        ctx = self.ctx
        if not offer.legs:
            raise ValidationFailed("the offer has no flights", field="offer_id")
        now = utcnow()
        for leg in offer.legs:
            why = flight_status.why_not_sellable(leg.number, leg.status, leg.departure, now)
            if why is not None:
                raise Conflict(f"{why}: this offer is no longer sold, search again", code="flight_not_sellable")
        client_key = "" if owner or not client_address.strip() else ctx.keyed("client-address", client_address.strip())
        return Booking(
            id=bid,
            owner=owner,
            client_key=client_key,
            state=State.HELD,
            step="created",
            offer_id=offer_id,
            cabin_class=offer.cabin_class,
            trip_type=offer.trip_type,
            adults=offer.adults,
            children=offer.children,
            infants=offer.infants,
            currency=offer.currency,
            fare_total=offer.total,
            expires_at=expires_at,
            legs=list(offer.legs),
        )

    async def _add(self, booking: Booking, key: tuple[str, str, str] | None) -> dict[str, Any]:
        """Store the new draft, within the open-bookings limit; `key`: (scope, idempotency key,
        request hash) when the request has one."""
        ctx = self.ctx
        async with ctx.uow() as tx:
            if key is not None:
                first = await tx.bookings.remember_key(*key, booking.id)
                if first != booking.id:  # a concurrent request with this key was first: its booking, read here
                    earlier = await tx.bookings.get(first)
                    assert earlier is not None
                    return ctx.view(earlier, with_token=True, replayed=True)
            await self._within_open_limit(tx.bookings, booking.owner, booking.client_key, utcnow())
            await tx.bookings.add(booking)  # with its stored times: no read afterwards
            await tx.commit()
        return ctx.view(booking, with_token=True)

    async def _release_claims(self, bid: str) -> None:
        """Best effort: a claim not given back here ends at its expiry anyway."""
        try:
            await self.ctx.ports.flights.release_claims(bid)
        except Exception:  # noqa: BLE001 - the draft's own outcome is what the caller gets
            log.warning("draft %s: its booking-class claim could not be given back; it ends at its expiry", bid)

    async def _within_open_limit(self, repo: Bookings, owner: str, client_key: str, now: datetime) -> None:
        """At most N open unpaid bookings per account (per client address for guests), counted
        under a transaction-level advisory lock on that key, so concurrent creates queue up
        and cannot both see room for one more."""
        settings = self.ctx.settings
        if owner:
            key, limit, who = f"booking-open:account:{owner}", settings.max_open_per_account, "this account"
        elif client_key:
            key, limit, who = f"booking-open:address:{client_key}", settings.max_open_per_address, "this address"
        else:
            return  # a guest without a known address (a service's own call): nothing to count by
        await repo.lock_key(key)
        if await repo.count_open(now, owner=owner, client_key=client_key) >= limit:
            raise TooManyRequests(
                f"{who} already has {limit} unpaid bookings open: pay for or cancel one, or wait until one expires",
                code="open_bookings_limit",
                limit=limit,
            )

    async def _replay(self, scope: str, key: str, request_hash: str) -> dict[str, Any] | None:
        async with self.ctx.reader() as tx:
            bid = await tx.bookings.replay_key(scope, key, request_hash)
            if bid is None:
                return None
            b = await tx.bookings.get(bid)
            assert b is not None
            return self.ctx.view(b, with_token=True, replayed=True)

    # --- keep my seats

    async def keep(self, access: Access) -> dict[str, Any]:
        """ "Keep my seats": the draft lives `draft_keep_seconds` longer, never past
        `draft_max_lifetime_seconds` after its creation. Its booking-class claim (flights) and
        its seat holds (reservation) move first, the draft's own expiry last: a claim or hold
        that outlives a draft which then did not move is given back when the draft expires,
        while a draft that outlived its seats would be paid for seats nobody holds."""
        ctx = self.ctx
        b = await ctx.peek(access)
        until = kept_until(b, utcnow(), ctx.settings.draft_keep_seconds, ctx.settings.draft_max_lifetime_seconds)
        await ctx.ports.flights.extend_claims(b.id, until + timedelta(seconds=ctx.settings.hold_margin_seconds))
        ends: dict[str, datetime | None] = {}
        for leg in b.legs:
            if not leg.hold_id:
                continue
            try:
                ends[leg.hold_id] = await ctx.ports.reservation.extend_hold(leg.hold_id, not_after=until)
            except (NotFound, Conflict) as e:
                if isinstance(e, Conflict) and e.code != "hold_expired":
                    raise
                raise Conflict(
                    f"your seats on {leg.number} were released when their hold ran out: choose seats again",
                    code="hold_expired",
                    flight_id=leg.flight_id,
                ) from None
        async with ctx.uow() as tx:
            cur = await tx.bookings.get(b.id, lock=True)
            assert cur is not None
            kept_until(cur, utcnow(), ctx.settings.draft_keep_seconds, ctx.settings.draft_max_lifetime_seconds)
            cur.expires_at = max(cur.expires_at, until)
            for hold_id, end in ends.items():
                if end is not None:
                    cur.hold_extended(hold_id, end)
            await tx.bookings.save(cur)
            await tx.commit()
        return ctx.view(cur)

    # --- passengers

    async def set_passengers(
        self, access: Access, raw: Sequence[PassengerInput], email: str, phone: str
    ) -> dict[str, Any]:
        async with self.ctx.uow() as tx:
            b = await self.ctx.load(tx, access, lock=True)
            b.require(State.HELD, action="change passengers")
            first, last = b.travel_days()
            passengers = validate_passengers(raw, b.counts(), first, last)
            email, phone = validate_contact(email, phone)
            b.set_passengers(passengers, email, phone)
            await tx.bookings.save(b)  # b gets the time of its change
            await tx.commit()
        await self._keep_holds(b)
        return self.ctx.view(b)

    # --- seats

    async def select_seats(
        self, access: Access, flight_id: str, choices: Mapping[str, str], *, at_airport: bool = False
    ) -> dict[str, Any]:
        """Seats on one flight, held; or, `at_airport`, a seat at the airport for every seated
        passenger: reservation holds overbooking places instead (only when the cabin has no free
        seat for the party), kept here as empty seats, so paying, confirming (the hold becomes
        places), cancelling and check-in (a seatless passenger) need nothing else."""
        ctx = self.ctx
        b = await ctx.peek(access)
        if at_airport and choices:
            raise ValidationFailed("give seats or ask for a seat at the airport, not both", field="seats")
        leg, seats = b.airport_choice(flight_id) if at_airport else b.seat_choice(flight_id, choices)
        # no sellability check here: reservation holds seats only on a flight that sells, and
        # paying asks flights again before any money moves
        types = {p.id: p.type.value for p in b.passengers}
        current = b.seats_on(leg.flight_id)
        if leg.hold_id and current == seats:
            # the same seats again (a retry, a page reload): keep the hold, and keep it alive
            if not leg.hold_ends_before(utcnow() + timedelta(seconds=ctx.settings.hold_refresh_seconds)):
                return ctx.view(b)
            with contextlib.suppress(NotFound, Conflict):
                await ctx.ports.reservation.extend_hold(leg.hold_id)
                return ctx.view(b)
        hold_id = str(uuid.uuid4())
        request = SeatHoldRequest(
            flight_id=leg.flight_id,
            owner=b.id,
            hold_id=hold_id,
            seats=[SeatRequest(seat, f"{b.id}-{pid}", types[pid], b.cabin_class) for pid, seat in seats.items()],
            # the seats count against the account (the guest's keyed address) for reservation's
            # per-account limit, and no hold outlives the booking
            account=b.owner or (f"guest:{b.client_key}" if b.client_key else ""),
            not_after=b.expires_at,
            seat_at_airport=at_airport,
        )
        try:
            held = await ctx.ports.reservation.hold_seats(request)
        except TooManyRequests as e:
            # this booking's own old hold on the flight counts against the limit too: give it
            # back and ask once more (its seats may go to someone else meanwhile)
            if not leg.hold_id or e.code != "seat_hold_limit":
                raise
            await self._drop_hold(b.id, leg.flight_id, leg.hold_id)
            held = await ctx.ports.reservation.hold_seats(request)
        except Conflict as e:
            # some of the wanted seats are held by this booking's own hold: a hold cannot be
            # changed, so give it back and ask again (its other seats may go to someone else)
            if not leg.hold_id or e.code != "seat_held" or not set(seats.values()) & set(current.values()):
                raise
            await self._drop_hold(b.id, leg.flight_id, leg.hold_id)
            held = await ctx.ports.reservation.hold_seats(request)
        # a place's label ("@normal1") is reservation's: the booking keeps no seat for it
        labels = {} if at_airport else {ref.rsplit("-", 1)[1]: seat for ref, seat in held.labels.items()}
        replaced = ""
        try:
            async with ctx.uow() as tx:
                cur = await tx.bookings.get(b.id, lock=True)
                assert cur is not None
                replaced = cur.place_seats(
                    leg.flight_id, {pid: labels.get(pid, s) for pid, s in seats.items()}, hold_id, held.expires_at
                )
                await tx.bookings.save(cur)
                await tx.commit()
        except BaseException:
            await ctx.release_hold(hold_id)
            raise
        if replaced:
            await ctx.release_hold(replaced)
        return ctx.view(cur)

    async def _drop_hold(self, bid: str, flight_id: str, hold_id: str) -> None:
        """Give back this booking's hold on one flight and forget its seats there."""
        await self.ctx.release_hold(hold_id)
        async with self.ctx.uow() as tx:
            cur = await tx.bookings.get(bid, lock=True)
            assert cur is not None
            cur.drop_seats(flight_id)
            await tx.bookings.save(cur)
            await tx.commit()

    # --- luggage

    async def set_luggage(self, access: Access, bags: Sequence[tuple[str, str, int, int]]) -> dict[str, Any]:
        async with self.ctx.uow() as tx:
            b = await self.ctx.load(tx, access, lock=True)
            b.set_luggage(bags, self.ctx.prices)
            await tx.bookings.save(b)
            await tx.commit()
        await self._keep_holds(b)
        return self.ctx.view(b)

    async def _keep_holds(self, b: Booking) -> None:
        """Each step of an active draft keeps its seat holds alive (within reservation's limit)
        when they would end soon; a hold that ran out anyway is noticed at payment."""
        soon = utcnow() + timedelta(seconds=self.ctx.settings.hold_refresh_seconds)
        for hold_id in b.holds_ending_before(soon):
            with contextlib.suppress(DomainError):
                await self.ctx.ports.reservation.extend_hold(hold_id)
