"""Overbooking places ("seat at the airport"): a cabin sells past its physical seats by the
allowance the flights service sets (from a show-up rate or ops' percentage), and reservation,
which owns seats, owns these places too, with the same machinery as seats so that every
guarantee of a seat holds for a place:

- A cabin with an allowance of N has N places, labelled "@<cabin>1".."@<cabin>N"
  (`domain.place_labels`). The labels bound the allowance: there is no N+1st to hold.
- Holding places is a seat hold on place labels (holds.py's one Lua script: all or none, the
  per-account limit, the TTL, the booking's not_after): two parties racing for the last place
  both pick it, Redis gives it to one, the other chooses again and finds none (409
  `overbooking_full`). An unpaid hold expires like a seat hold and frees its places.
- Confirming the hold (ConfirmHold, the booking saga's step) claims the labels and writes them
  to `unseated_places`, whose primary key (flight, place) is PostgreSQL's final guard as
  seat_assignments' is for seats; a repeated confirmation answers what the first one wrote.
- Releasing a booking's assignments (cancellation, compensation) frees its places too, and a
  passenger given a seat later (check-in's AssignSeats: a seat freed up) leaves their place in
  the same transaction.
- Places are offered only when the cabin has no free physical seat for the whole party (409
  `seats_available` otherwise: pick seats). That check is advisory: a seat freed meanwhile is
  given at check-in. The allowance is asked of the flights service at hold time (GetFlight's
  cabin `overbooking_allowance`), so an ops change applies at once; lowering it below the
  places already sold takes no one's place away, it only stops further sales.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Sequence
from datetime import datetime

from redis.exceptions import RedisError

from airline.platform.auth import require
from airline.platform.errors import Conflict, ValidationFailed
from airline.reservation import domain
from airline.reservation.domain import Hold, SeatRequest
from airline.reservation.flight_source import flight_id_of
from airline.reservation.seat_holds import SeatHolds
from airline.reservation.service_base import redis_guard
from airline.reservation.store import ReservationRepository

# parties choosing places at once all pick the lowest free label; the losers choose again
PLACE_ATTEMPTS = 8


class AirportPlaces(SeatHolds):
    """The overbooking-place use cases of ReservationService."""

    async def hold_places(
        self,
        flight_id: str,
        raw: Sequence[tuple[str, str, str, str]],
        owner: str = "",
        hold_id: str = "",
        ttl_seconds: int = 0,
        account: str = "",
        not_after: datetime | None = None,
    ) -> Hold:
        """Hold one overbooking place per passenger of `raw` (seats left empty), all or none."""
        principal = require()
        owner = self._owner(principal, owner)
        account = self._account(principal, owner, account)
        asked = domain.parse_seat_requests(raw, allow_auto=True)
        if any(r.seat != domain.AUTO for r in asked):
            raise ValidationFailed("a seat at the airport is asked for without a seat label", field="seats.seat")
        cabins = {r.cabin_class for r in asked}
        if len(cabins) != 1:
            raise ValidationFailed("places at the airport are held in one cabin at a time", field="seats.cabin_class")
        cabin = cabins.pop()
        flight_id = flight_id_of(flight_id)
        hold_id = domain.reference(hold_id, "hold_id") if hold_id.strip() else ""
        if hold_id:
            same = await self._same_places(hold_id, flight_id, owner, asked)
            if same is not None:
                return same
        flight = await self.recent_flight(flight_id)
        self._sellable(flight)
        await self._cabin_full(flight.flight_id, [s for s in flight.seats.values() if s.cabin_class == cabin], asked)
        labels = domain.place_labels(cabin, await self.source.overbooking_allowance(flight.flight_id, cabin.value))
        for attempt in range(PLACE_ATTEMPTS):
            if attempt:
                await asyncio.sleep(random.uniform(0, 0.01 * attempt))
            async with self.db.uow() as uow:
                sold = await ReservationRepository(uow.conn).places_taken(flight.flight_id)
            with redis_guard():
                held = set(await self.holds.holders(flight.flight_id, labels))
            free = [label for label in labels if label not in sold | held]
            if len(free) < len(asked):
                raise Conflict(
                    f"no seat and no overbooking place left in {cabin.value} for {len(asked)} "
                    f"passenger(s) ({len(free)} place(s) free)",
                    code="overbooking_full",
                    places_free=len(free),
                )
            requests = [SeatRequest(p, r.passenger_ref, r.passenger_type, r.cabin_class) for p, r in zip(free, asked)]
            hold = await self._try_places(flight.flight_id, owner, account, requests, hold_id, ttl_seconds, not_after)
            if hold is not None:
                return hold
        raise Conflict("the overbooking places keep changing hands; try again", code="seat_held")

    async def _cabin_full(
        self, flight_id: str, cabin_seats: Sequence[domain.FlightSeat], asked: Sequence[SeatRequest]
    ) -> None:
        """Places only when the cabin has no free seats for the whole party (advisory)."""
        usable = [s.seat for s in cabin_seats if not s.blocked]
        async with self.db.uow() as uow:
            taken = await ReservationRepository(uow.conn).taken(flight_id)
        with redis_guard():
            held = set(await self.holds.holders(flight_id, usable))
        free = [s for s in usable if s not in taken | held]
        if len(free) >= len(asked):
            raise Conflict(
                f"{len(free)} seat(s) are still free in this cabin: choose seats instead of a seat at the airport",
                code="seats_available",
                seats_free=len(free),
            )

    async def _same_places(self, hold_id: str, flight_id: str, owner: str, asked: Sequence[SeatRequest]) -> Hold | None:
        """A repeated request with a hold id in use: the same passengers get the same hold."""
        if (await self._assigned(flight_id, [], hold_id))[1]:
            raise Conflict(f"hold {hold_id} was already confirmed", code="hold_confirmed")
        with redis_guard():
            stored = await self.holds.get(hold_id)
        if stored is None:
            return None
        hold: Hold = stored.hold
        if (
            hold.owner != owner
            or hold.flight_id != flight_id
            or {(s.passenger_ref, s.passenger_type, s.cabin_class) for s in hold.seats}
            != {(s.passenger_ref, s.passenger_type, s.cabin_class) for s in asked}
        ):
            raise Conflict(f"hold id {hold_id} is already used for another request", code="hold_id_reused")
        if not stored.active:
            raise Conflict(f"hold {hold_id} has expired", code="hold_expired")
        return hold

    async def _try_places(
        self,
        flight_id: str,
        owner: str,
        account: str,
        requests: Sequence[SeatRequest],
        hold_id: str,
        ttl_seconds: int,
        not_after: datetime | None,
    ) -> Hold | None:
        """One attempt at the chosen places: the hold, or None when someone took one first."""
        hold_id = hold_id or f"places-{random.getrandbits(64):016x}"
        ttl = domain.ttl_for(ttl_seconds, self.hold_ttl_seconds())
        outcome = await self._hold_in_redis(hold_id, flight_id, owner, account, requests, ttl, not_after)
        if outcome.status == "exists":  # a twin of this request got there first
            return await self._same_places(hold_id, flight_id, owner, requests)
        if outcome.status == "busy":
            return None  # another party's hold got a place first: choose again
        assert outcome.now is not None and outcome.expires_at is not None
        hold = Hold(hold_id, flight_id, owner, tuple(requests), outcome.expires_at, outcome.now, not_after)
        # as for seats: a confirmation writes its places before it frees their Redis keys, so a
        # place sold meanwhile is in PostgreSQL by now
        try:
            async with self.db.uow() as uow:
                sold = await ReservationRepository(uow.conn).places_taken(flight_id, hold.labels)
        except BaseException:
            with contextlib.suppress(RedisError):
                await self.holds.release(hold)
            raise
        if sold:
            with redis_guard():
                await self.holds.release(hold)
            return None
        return hold
