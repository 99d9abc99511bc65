"""Re-accommodation runs (issue 14, item 1): the flight change recorded by the consumer (or ops'
"run now") becomes one proposal per affected booking, with its seats reserved.

A run, under the flight's advisory lock (the worker and ops' run never overlap):

1. proposals left `reserving` by a run that died are finished first: their seats are looked
   up (ListAssignments under the booking's id) before any are asked for, so none is taken twice;
2. the affected bookings: confirmed, on the flight, with no proposal for it yet, and moved by
   `reaccommodation.must_move` (from the flight's live facts); a run with a scope (an aircraft
   swap: the bookings `reaccommodation.excess` found no longer fit) moves those bookings only;
3. the candidates: flights from the disrupted leg's origin (and one connection on) within the
   window, with reservation's free seats per cabin; `reaccommodation.plan` serves the bookings
   in the documented priority order;
4. each proposal in that order: written `reserving` (unique per booking and flight), its seats
   assigned by the seat rules (AssignSeats with no seat: the party together), then `proposed`
   with a deadline, and the contact told once (fact `reaccommodation:<id>:proposed`). A
   `no_seats` refusal (someone bought meanwhile) re-plans that booking against fresh counts;
   no room at all makes it `unplaced`, and the contact is offered the refund or the voucher.

A diverted flight's passengers travel on from the airport it was diverted to, from now.

A delayed flight still flies: its passengers are only offered itineraries that arrive before
it; with none, they keep their flight and are offered the refund or the voucher (`unplaced`).

The deadline of a proposal: `AIRLINE_BOOKING_REACCOMMODATION_DEADLINE_HOURS` before its new
first flight departs, but never sooner than half the time left to that departure (at most an
hour): a passenger always has some time to answer. Past it, the worker applies the proposal.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from airline.booking import reaccommodation as rp
from airline.booking.context import Context
from airline.booking.domain import Booking, State
from airline.booking.ports import SeatRequest
from airline.booking.reaccommodation_ports import DisruptionPort, FlightFacts
from airline.booking.reaccommodation_store import Proposed, ReaccommodationRepository, Run
from airline.booking.reaccommodation_tell import tell
from airline.booking.store import BookingRepository
from airline.booking.views import iso
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, DomainError

log = logging.getLogger(__name__)

SELLING = ("scheduled", "delayed")
MAX_VIAS = 8  # connecting airports looked at per run


def policy_of(ctx: Context) -> rp.Policy:
    s = ctx.settings
    return rp.Policy(
        retime_threshold=timedelta(hours=s.reaccommodation_retime_hours),
        window=timedelta(hours=s.reaccommodation_window_hours),
    )


def segment_dict(s: rp.Segment) -> dict[str, Any]:
    return {
        "flight_id": s.flight_id,
        "number": s.number,
        "origin": s.origin,
        "destination": s.destination,
        "departure": iso(s.departure),
        "arrival": iso(s.arrival),
        "cabin_class": s.cabin,
    }


def deadline_for(departure: datetime, now: datetime, hours: float) -> datetime:
    floor = now + min(timedelta(hours=1), max(departure - now, timedelta(0)) / 2)
    return max(departure - timedelta(hours=hours), floor)


def change_of(f: FlightFacts, b: Booking) -> rp.LegChange | None:
    leg = b.leg(f.id)
    if leg is None:
        return None
    i = b.legs.index(leg)
    nxt = b.legs[i + 1].departure if i + 1 < len(b.legs) else None
    return rp.LegChange(f.status, f.scheduled_departure, f.departure, f.arrival, nxt)


def party_of(b: Booking, flight_id: str, now: datetime, policy: rp.Policy, stranded_at: str = "") -> rp.Party:
    """The booking as the planner serves it; `stranded_at`: the airport a diverted flight took
    its passengers to (they travel on from there, from now)."""
    leg = b.leg(flight_id)
    assert leg is not None
    i = b.legs.index(leg)
    nxt = b.legs[i + 1] if i + 1 < len(b.legs) else None
    cabin = b.cabin_class if b.cabin_class in rp.CABINS else rp.NORMAL
    return rp.Party(
        booking_id=b.id,
        cabin=cabin,
        adults=b.adults,
        children=b.children,
        infants=b.infants,
        booked_at=b.created_at or now,
        origin=stranded_at or leg.origin,
        destination=leg.destination,
        not_before=now if stranded_at else max(now, leg.scheduled_departure),
        arrive_by=nxt.departure - policy.min_connection if nxt else None,
        has_onward=nxt is not None,
    )


class Runner:
    def __init__(self, ctx: Context, db: ServiceDatabase, ports: DisruptionPort) -> None:
        self.ctx = ctx
        self.db = db
        self.ports = ports

    async def run_flight(self, flight_id: str, *, requested: bool = False) -> None:
        """Every pending run of the flight (ops' run now records one when none is pending)."""
        async with self.db.uow() as uow:
            repo = ReaccommodationRepository(uow.conn)
            if requested and not await repo.pending_runs(flight_id):
                await repo.record_run(flight_id, f"requested:{uuid.uuid4()}", "requested")
            await uow.commit()
        async with self.db.uow() as lock:
            repo = ReaccommodationRepository(lock.conn)
            await repo.lock_flight(flight_id)
            for run in await repo.pending_runs(flight_id):
                await self._execute(run)
            await lock.commit()

    async def pending(self) -> None:
        """The worker's part: every flight with a pending run."""
        async with self.db.reading() as conn:
            runs = await ReaccommodationRepository(conn).pending_runs(limit=50)
        for flight_id in dict.fromkeys(r.flight_id for r in runs):
            try:
                await self.run_flight(flight_id)
            except DomainError as e:
                log.warning("booking: re-accommodation of flight %s failed, will retry: %s", flight_id, e)

    async def _execute(self, run: Run) -> None:
        try:
            await self._plan_and_reserve(run)
        except DomainError as e:
            async with self.db.uow() as uow:
                await ReaccommodationRepository(uow.conn).finish_run(run.id, error=e.message or str(e))
                await uow.commit()
            raise
        async with self.db.uow() as uow:
            await ReaccommodationRepository(uow.conn).finish_run(run.id)
            await uow.commit()

    async def _read(self, flight_id: str) -> tuple[list[Booking], list[Proposed]]:
        async with self.db.reading() as conn:
            repo, bookings = ReaccommodationRepository(conn), BookingRepository(conn)
            existing = await repo.of_flight(flight_id)
            found = [await bookings.get(bid) for bid in await bookings.bookings_on(flight_id)]
        return [b for b in found if b is not None], existing

    async def _plan_and_reserve(self, run: Run) -> None:
        now, policy = utcnow(), policy_of(self.ctx)
        flight = await self.ports.flight(run.flight_id)
        found, existing = await self._read(run.flight_id)
        by_id = {b.id: b for b in found}
        for p in existing:
            if p.state == "reserving" and p.booking_id in by_id:
                await self._reserve_and_propose(by_id[p.booking_id], p, flight)
        done = {p.booking_id for p in existing}
        moving: dict[str, tuple[Booking, str]] = {}
        for b in found:
            change = change_of(flight, b)
            if b.id in done or b.state is not State.CONFIRMED or change is None:
                continue
            # an aircraft swap moves exactly the bookings that no longer fit (its run's scope)
            why = (run.reason if b.id in run.scope else "") if run.scope else rp.must_move(change, policy)
            if why:
                moving[b.id] = (b, why)
        if not moving:
            return
        stranded = (
            flight.diverted_to if flight.status == "diverted" and flight.diverted_to != flight.destination else ""
        )
        parties = [party_of(b, run.flight_id, now, policy, stranded) for b, _ in moving.values()]
        candidates = await self._candidates(parties, policy, exclude=run.flight_id)
        if (
            not run.scope
            and flight.status not in ("cancelled", "diverted")
            and flight.departure > flight.scheduled_departure
        ):
            # a delayed flight still flies: only an itinerary arriving before it is worth a move
            candidates = [c for c in candidates if c.arrival < flight.arrival]
        result = rp.plan(parties, candidates, policy, excluded=[run.flight_id])
        ranked: list[tuple[int, Any]] = [(p.rank, p) for p in result.proposals] + [(u.rank, u) for u in result.unplaced]
        for rank, item in sorted(ranked, key=lambda x: x[0]):
            b, why = moving[item.booking_id]
            p = Proposed(
                id=str(uuid.uuid4()),
                run_id=run.id,
                booking_id=b.id,
                flight_id=run.flight_id,
                flight_number=flight.number,
                reason=why,
                rank=rank,
                state="reserving",
            )
            if isinstance(item, rp.Proposal):
                p.options = [[segment_dict(s) for s in it.segments] for it in (item.itinerary, *item.alternatives)]
            else:
                p.state, p.unplaced_reason = "unplaced", item.reason
            async with self.db.uow() as uow:
                if not await ReaccommodationRepository(uow.conn).start(p):
                    continue  # a concurrent or earlier run made it
                if p.state == "unplaced":
                    await tell(uow, self.ctx, b, p, "unplaced")
                await uow.commit()
            if p.state == "reserving":
                await self._reserve_and_propose(b, p, flight, parties=parties, candidates=candidates, policy=policy)

    async def _candidates(self, parties: Sequence[rp.Party], policy: rp.Policy, exclude: str) -> list[rp.Candidate]:
        start = min(p.not_before for p in parties)
        end = max(p.not_before for p in parties) + policy.window
        origin, destination = parties[0].origin, parties[0].destination
        first = [f for f in await self.ports.departures(origin, start, end) if f.status in SELLING and f.id != exclude]
        found = [f for f in first if f.destination == destination]
        vias = sorted({f.destination for f in first if f.destination != destination})[:MAX_VIAS]
        onward = await asyncio.gather(*(self.ports.departures(v, start, end + policy.max_connection) for v in vias))
        seconds = [f for fs in onward for f in fs if f.destination == destination and f.status in SELLING]
        used_vias = {f.origin for f in seconds}
        found += [f for f in first if f.destination in used_vias] + [f for f in seconds if f.id != exclude]
        unique = list({f.id: f for f in found}.values())
        free = await asyncio.gather(*(self.ports.free_seats(f.id) for f in unique))
        return [
            rp.Candidate(f.id, f.number, f.origin, f.destination, f.departure, f.arrival, seats)
            for f, seats in zip(unique, free, strict=True)
        ]

    async def reserve(self, b: Booking, segments: Sequence[dict[str, Any]]) -> list[dict[str, str]] | None:
        """The booking's seated passengers on every segment (seats found first, else assigned by
        the seat rules); None, with what it took given back, when a flight has no room."""
        refs = {f"{b.id}-{p.id}": p for p in b.passengers if p.seated}
        seats: list[dict[str, str]] = []
        taken: list[str] = []
        for s in segments:
            have = await self.ports.assigned(s["flight_id"], b.id)
            if not all(ref in have for ref in refs):
                requests = [SeatRequest("", ref, p.type.value, s["cabin_class"]) for ref, p in refs.items()]
                try:
                    have = await self.ports.assign(s["flight_id"], b.id, requests)
                except Conflict as e:
                    log.info("booking: no seats for %s on %s (%s)", b.id, s["flight_id"], e.code)
                    for flight_id in taken:
                        await self.ports.release(b.id, flight_id)
                    return None
            taken.append(s["flight_id"])
            seats += [{"flight_id": s["flight_id"], "passenger_id": p.id, "seat": have[ref]} for ref, p in refs.items()]
        return seats

    async def _reserve_and_propose(
        self,
        b: Booking,
        p: Proposed,
        flight: FlightFacts,
        *,
        parties: Sequence[rp.Party] = (),
        candidates: Sequence[rp.Candidate] = (),
        policy: rp.Policy | None = None,
    ) -> None:
        seats = await self.reserve(b, p.options[0]) if p.options else None
        if seats is None and policy is not None:
            # someone bought meanwhile: this booking alone against the seats free now
            party = next(x for x in parties if x.booking_id == b.id)
            fresh = await asyncio.gather(*(self.ports.free_seats(c.flight_id) for c in candidates))
            again = rp.plan(
                [party],
                [
                    rp.Candidate(c.flight_id, c.number, c.origin, c.destination, c.departure, c.arrival, f)
                    for c, f in zip(candidates, fresh, strict=True)
                ],
                policy,
                excluded=[flight.id],
            ).proposal_for(b.id)
            if again is not None:
                p.options = [[segment_dict(s) for s in it.segments] for it in (again.itinerary, *again.alternatives)]
                seats = await self.reserve(b, p.options[0])
        async with self.db.uow() as uow:
            repo = ReaccommodationRepository(uow.conn)
            cur = await repo.get(p.id, lock=True)
            if cur is None or cur.state != "reserving":
                return
            if seats is None:
                p.state, p.unplaced_reason, p.seats = "unplaced", "no_seats_in_window", []
                await repo.update(p.id, state="unplaced", unplaced_reason=p.unplaced_reason, options=p.options)
            else:
                departure = datetime.fromisoformat(p.options[0][0]["departure"])
                p.deadline = deadline_for(departure, utcnow(), self.ctx.settings.reaccommodation_deadline_hours)
                p.state, p.seats = "proposed", seats
                await repo.update(p.id, state="proposed", seats=seats, options=p.options, deadline=p.deadline)
            await tell(uow, self.ctx, b, p, p.state)
            await uow.commit()
