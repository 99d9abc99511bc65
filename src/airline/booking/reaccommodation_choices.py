"""A proposal answered (issue 14, item 1): the passenger accepts it or another offered flight,
or declines for a full refund or a bonus voucher; the worker applies what is left unanswered
past its deadline; ops and customer service see a flight's proposals.

Every answer takes the booking's row lock first, so an accept racing a decline ends in one
state: the second one finds the first one's state (the same answer again is answered the same
way, a different one is refused 409). Each step after the decision is safe to repeat: seats are
looked up before any are asked for, releases are idempotent, the refund's and the voucher's
keys are the booking's and the proposal's, and the move itself happens once, under the lock,
from `accepted` to `applied`; the worker finishes a decision a dead request left half way.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from airline.booking.ancillaries_store import AncillaryRepository
from airline.booking.context import Access, Context
from airline.booking.domain import Booking, State, ticket_number
from airline.booking.reaccommodating import SELLING, Runner
from airline.booking.reaccommodation_ports import leg_of
from airline.booking.reaccommodation_store import Proposed, ReaccommodationRepository
from airline.booking.reaccommodation_tell import reaccommodated_payload, tell
from airline.booking.store import BookingRepository
from airline.booking.values import SeatChoice
from airline.booking.views import iso
from airline.contracts.events import booking as booking_events
from airline.platform.auth import Role, require
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, ValidationFailed

log = logging.getLogger(__name__)

TAKES = ("refund", "voucher", "keep")
_LIVE = ("reserving", "proposed", "accepted", "applied", "declining", "refunded", "unplaced", "kept")


def proposal_view(p: Proposed, currency: str = "") -> dict[str, Any]:
    def option(n: int, segments: list[dict[str, Any]]) -> dict[str, Any]:
        mine = n == p.chosen and p.state not in ("unplaced", "refunded", "declining")
        return {"option": n, "flights": segments, "seats": p.seats if mine else []}

    view = {
        "id": p.id,
        "booking_id": p.booking_id,
        "flight_id": p.flight_id,
        "flight_number": p.flight_number,
        "reason": p.reason,
        "rank": p.rank,
        "state": p.state,
        "options": [option(n, s) for n, s in enumerate(p.options)],
        "unplaced_reason": p.unplaced_reason,
        "deadline": iso(p.deadline),
        "chosen_option": p.chosen,
        "taken": p.taken,
        "refund_amount": p.refund_amount,
        "voucher_amount": p.voucher_amount,
        "voucher_code": p.voucher_code,
        "currency": currency,
    }
    return {k: v for k, v in view.items() if v is not None}


class Choices:
    def __init__(
        self,
        ctx: Context,
        db: ServiceDatabase,
        runner: Runner,
        who: Callable[[Access], Awaitable[tuple[Booking, str]]],
        finish_cancel: Callable[[str], Awaitable[None]],
    ) -> None:
        self.ctx = ctx
        self.db = db
        self.runner = runner
        self.who = who
        self.finish_cancel = finish_cancel

    async def _proposals(self, booking_id: str) -> list[Proposed]:
        async with self.db.reading() as conn:
            return await ReaccommodationRepository(conn).of_booking(booking_id)

    async def shown(self, booking_id: str, currency: str) -> dict[str, Any] | None:
        """The booking's latest proposal, as Manage booking shows it (None: none)."""
        found = [p for p in await self._proposals(booking_id) if p.state != "reserving"]
        return proposal_view(found[-1], currency) if found else None

    # --- ops and customer service

    async def run(self, flight_id: str) -> dict[str, Any]:
        require(Role.OPS)
        await self.runner.run_flight(flight_id.strip(), requested=True)
        return await self._status(flight_id.strip())

    async def status(self, flight_id: str) -> dict[str, Any]:
        require(Role.OPS, Role.CS)
        return await self._status(flight_id.strip())

    async def _status(self, flight_id: str) -> dict[str, Any]:
        async with self.db.reading() as conn:
            repo = ReaccommodationRepository(conn)
            runs, rows = await repo.runs_of(flight_id), await repo.of_flight(flight_id)
            pnrs = {}
            for p in rows:
                b = await BookingRepository(conn).get(p.booking_id)
                pnrs[p.booking_id] = (
                    (b.pnr or "", b.currency, b.adults + b.children, b.infants) if b else ("", "", 0, 0)
                )
        counts = Counter(p.state for p in rows)
        return {
            "flight_id": flight_id,
            "run_state": "none" if not runs else "pending" if any(r.state == "pending" for r in runs) else "done",
            "last_error": next((r.last_error for r in reversed(runs) if r.last_error), ""),
            "counts": {s: counts.get(s, 0) for s in _LIVE},
            "bookings": [
                proposal_view(p, pnrs[p.booking_id][1])
                | {
                    "pnr": pnrs[p.booking_id][0],
                    "seats_needed": pnrs[p.booking_id][2],
                    "infants": pnrs[p.booking_id][3],
                }
                for p in rows
            ],
        }

    # --- the passenger's answer

    def _current(self, rows: list[Proposed]) -> Proposed:
        live = [p for p in rows if p.state != "reserving"]
        if not live:
            raise NotFound("this booking has no re-accommodation proposal", field="booking_id")
        return live[-1]

    async def _answerer(self, access: Access, take: str = "") -> Booking:
        """Who may answer: the owner, the manage token, cs and ops (`who`), and a guest with the
        PNR and a last name for what needs no new instrument (accept, keep, the refund to the
        card they paid with, as cancelling allows); a voucher (a bearer instrument) never on
        the strength of a PNR and a name printed on paper."""
        try:
            b, _ = await self.who(access)
            return b
        except NotFound:
            if take == "voucher" or not (access.pnr and access.last_name):
                raise
        return await self.ctx.peek(access)

    async def accept(self, access: Access, option: int) -> str:
        b = await self._answerer(access)
        async with self.db.uow() as uow:
            await BookingRepository(uow.conn).get(b.id, lock=True)
            p = self._current(await ReaccommodationRepository(uow.conn).of_booking(b.id))
        if p.state in ("accepted", "applied"):
            if p.chosen != option:
                raise Conflict(f"option {p.chosen} was accepted already", code="reaccommodation_answered")
        elif p.state != "proposed":
            raise Conflict(
                "this proposal can no longer be accepted" + (" (declined)" if p.taken else ""),
                code="reaccommodation_answered" if p.taken else "reaccommodation_not_open",
            )
        elif not 0 <= option < len(p.options):
            raise ValidationFailed(f"option must be between 0 and {len(p.options) - 1}", field="option")
        else:
            await self._choose(b, p, option)
        await self.apply(p.id)
        return b.id

    async def _choose(self, b: Booking, p: Proposed, option: int) -> None:
        """proposed -> accepted (option `option`: an alternative's seats assigned now, the
        proposal's given back)."""
        await self._still_flying(b, p, option)
        seats = p.seats
        if option:
            got = await self.runner.reserve(b, p.options[option])
            if got is None:
                raise Conflict("that flight has no seats for the whole booking any more", code="no_seats")
            seats = got
        kept = {s["flight_id"] for s in p.options[option]}
        async with self.db.uow() as uow:
            await BookingRepository(uow.conn).get(b.id, lock=True)
            repo = ReaccommodationRepository(uow.conn)
            cur = await repo.get(p.id, lock=True)
            assert cur is not None
            won = cur.state == "proposed"
            if won:
                await repo.update(p.id, state="accepted", chosen=option, seats=seats)
                await uow.commit()
        same = cur.state in ("accepted", "applied") and cur.chosen == option
        if won:
            dropped = {s["flight_id"] for s in p.options[0]} - kept
        elif option and not same:
            dropped = kept - {
                s["flight_id"] for s in cur.options[cur.chosen if cur.state in ("accepted", "applied") else 0]
            }
        else:
            dropped = set()
        for flight_id in sorted(dropped):
            await self.runner.ports.release(b.id, flight_id)
        if not won and not same:
            raise Conflict("this proposal was answered meanwhile", code="reaccommodation_answered")

    async def _still_flying(self, b: Booking, p: Proposed, option: int) -> None:
        """A proposed flight ops changed since (cancelled, diverted, gone): the proposal is
        withdrawn (unplaced: the refund or the voucher; its seats go back) instead of applied."""
        facts = await asyncio.gather(*(self.runner.ports.flight(s["flight_id"]) for s in p.options[option]))
        if all(f.status in SELLING for f in facts):
            return
        if option == 0:
            async with self.db.uow() as uow:
                cur = await BookingRepository(uow.conn).get(b.id, lock=True)
                repo = ReaccommodationRepository(uow.conn)
                now = await repo.get(p.id, lock=True)
                if cur is not None and now is not None and now.state == "proposed":
                    await repo.update(p.id, state="unplaced", unplaced_reason="proposed_flight_changed")
                    now.state, now.unplaced_reason = "unplaced", "proposed_flight_changed"
                    await tell(uow, self.ctx, cur, now, "unplaced")
                    await uow.commit()
                    for flight_id in sorted({s["flight_id"] for s in p.seats}):
                        await self.runner.ports.release(b.id, flight_id)
        raise Conflict("the proposed flight has changed since: choose another option or the refund", code="no_seats")

    async def apply(self, proposal_id: str) -> None:
        """accepted -> applied: the booking moves (domain), the old flight's seats go back,
        BookingReaccommodated and the contact told. Nothing happens twice."""
        async with self.db.reading() as conn:
            p = await ReaccommodationRepository(conn).get(proposal_id)
        if p is None or p.state != "accepted":
            return
        segments = p.options[p.chosen]
        facts = await asyncio.gather(*(self.runner.ports.flight(s["flight_id"]) for s in segments))
        await self.runner.ports.release(p.booking_id, p.flight_id)
        async with self.db.uow() as uow:
            bookings, repo = BookingRepository(uow.conn), ReaccommodationRepository(uow.conn)
            b = await bookings.get(p.booking_id, lock=True)
            cur = await repo.get(p.id, lock=True)
            if b is None or cur is None or cur.state != "accepted":
                return
            if b.state is not State.CONFIRMED:
                await repo.update(p.id, state="refunded", taken="cancelled")
                await uow.commit()
                return
            old = b.leg(p.flight_id)
            assert old is not None
            new_legs = [leg_of(f, old.rules) for f in facts]
            serials = await bookings.next_serials(len(new_legs) * sum(1 for p in b.passengers if not p.cancelled))
            numbers = [ticket_number(self.ctx.settings.ticket_prefix, n) for n in serials]
            seats = [SeatChoice(s["flight_id"], s["passenger_id"], s["seat"]) for s in cur.seats]
            voided = b.reaccommodate(p.flight_id, new_legs, seats, numbers)
            await bookings.save(b)
            await repo.replace_legs(b)
            await AncillaryRepository(uow.conn).follow_move(b.id, {p.flight_id: facts[0].id})
            removed = {
                "flight_id": old.flight_id,
                "number": old.number,
                "origin": old.origin,
                "destination": old.destination,
                "departure": iso(old.scheduled_departure),
                "arrival": iso(old.scheduled_arrival),
            }
            await repo.update(p.id, state="applied", voided_tickets=[t.to_dict() for t in voided], removed_leg=removed)
            cur.state = "applied"
            added = [f.id for f in facts]
            await uow.emit(
                booking_events.BOOKING_REACCOMMODATED.topic,
                b.id,
                booking_events.BOOKING_REACCOMMODATED.type,
                reaccommodated_payload(self.ctx, b, cur, [p.flight_id], added),
            )
            await tell(uow, self.ctx, b, cur, "applied")
            await uow.commit()

    async def decline(self, access: Access, take: str) -> str:
        if take not in TAKES:
            raise ValidationFailed("take is refund, voucher or keep", field="take")
        b = await self._answerer(access, take)
        if take == "keep":
            await self._keep(b)
            return b.id
        bonus = self.ctx.settings.reaccommodation_voucher_bonus_percent
        async with self.db.uow() as uow:
            bookings, repo = BookingRepository(uow.conn), ReaccommodationRepository(uow.conn)
            cur = await bookings.get(b.id, lock=True)
            assert cur is not None
            p = self._current(await repo.of_booking(b.id))
            if p.state in ("declining", "refunded"):
                if p.taken != take:
                    raise Conflict(
                        f"the {p.taken or 'cancellation'} was chosen already", code="reaccommodation_answered"
                    )
            elif p.state not in ("proposed", "unplaced"):
                raise Conflict("this proposal was accepted already", code="reaccommodation_answered")
            else:
                cur.require(State.CONFIRMED, action="decline the re-accommodation")
                refund = max(cur.total - cur.refunded_amount, 0) if take == "refund" else 0
                voucher = -(-cur.total * (100 + bonus) // 100) if take == "voucher" else 0
                cur.start_cancelling(f"re-accommodation declined: {take}", refund, no_show=False)
                await bookings.save(cur)
                await repo.update(p.id, state="declining", taken=take, refund_amount=refund, voucher_amount=voucher)
                await uow.commit()
        await self.finish_decline(p.id)
        return b.id

    async def _keep(self, b: Booking) -> None:
        """A retimed flight still flies: its passenger may keep it (the reserved seats go back)."""
        async with self.db.uow() as uow:
            repo = ReaccommodationRepository(uow.conn)
            cur = await BookingRepository(uow.conn).get(b.id, lock=True)
            assert cur is not None
            p = self._current(await repo.of_booking(b.id))
            if p.state != "kept":
                if p.reason != "retimed" or p.state not in ("proposed", "unplaced"):
                    raise Conflict(
                        "only a retimed flight can be kept, before the proposal is answered",
                        code="reaccommodation_answered" if p.reason == "retimed" else "flight_not_kept",
                    )
                await repo.update(p.id, state="kept")
                p.state = "kept"
                await tell(uow, self.ctx, cur, p, "kept")
                await uow.commit()
        own = {leg.flight_id for leg in b.legs}
        for flight_id in sorted({s["flight_id"] for s in p.seats} - own):
            await self.runner.ports.release(b.id, flight_id)

    async def finish_decline(self, proposal_id: str) -> None:
        async with self.db.reading() as conn:
            p = await ReaccommodationRepository(conn).get(proposal_id)
        if p is None or p.state != "declining":
            return
        b = await self.ctx.read(p.booking_id)
        if p.taken == "voucher" and not p.voucher_code:
            reason = f"re-accommodation declined (booking {b.pnr}, flight {p.flight_number})"
            p.voucher_code = await self.ctx.ports.payment.issue_voucher(
                p.voucher_amount, b.currency, reason, f"reaccommodation-{p.id}-voucher"
            )
        await self.finish_cancel(b.id)  # refund (its own key), every seat back, cancelled
        async with self.db.uow() as uow:
            repo = ReaccommodationRepository(uow.conn)
            cur = await repo.get(p.id, lock=True)
            if cur is None or cur.state != "declining":
                return
            await repo.update(p.id, state="refunded", voucher_code=p.voucher_code)
            cur.voucher_code = p.voucher_code
            await tell(uow, self.ctx, await self.ctx.read(b.id), cur, "refunded")
            await uow.commit()

    # --- the worker

    async def work(self, now: datetime | None = None) -> None:
        """Pending runs; proposals past their deadline applied; decisions a dead request left."""
        now = now or utcnow()
        await self.runner.pending()
        async with self.db.reading() as conn:
            repo = ReaccommodationRepository(conn)
            due = await repo.in_states(("proposed",), due_by=now)
            stale = await repo.stale(("accepted", "declining"), now - timedelta(seconds=30))
        for p in due:
            try:
                b = await self.ctx.read(p.booking_id)
                if b.state is not State.CONFIRMED:  # cancelled meanwhile (its seats went with it)
                    async with self.db.uow() as uow:
                        await ReaccommodationRepository(uow.conn).update(p.id, state="refunded", taken="cancelled")
                        await uow.commit()
                    continue
                await self._choose(b, p, 0)
                await self.apply(p.id)
            except DomainError as e:
                log.warning("booking: applying proposal %s failed, will retry: %s", p.id, e)
        for p in stale:
            try:
                await (self.apply(p.id) if p.state == "accepted" else self.finish_decline(p.id))
            except DomainError as e:
                log.warning("booking: finishing proposal %s failed, will retry: %s", p.id, e)
