"""Seat holds: hold seats for a while (all or none, per-account limit), look a hold up, extend
it, release it, and tell live seat maps about holds that ran out. The Redis scripts behind them
are in holds.py."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from redis.exceptions import RedisError

from airline.platform.auth import Principal, Role, require
from airline.platform.errors import Conflict, NotFound, PermissionDenied, TooManyRequests
from airline.reservation import domain
from airline.reservation.domain import Hold, SeatRequest
from airline.reservation.holds import HoldOutcome
from airline.reservation.service_base import STAFF, ReservationServiceBase, redis_guard, seats_text
from airline.reservation.store import ReservationRepository


class SeatHolds(ReservationServiceBase):
    """The hold use cases of ReservationService."""

    # ------------------------------------------------------------ holds

    def _owner(self, principal: Principal, owner: str) -> str:
        if not owner.strip():
            return principal.subject
        owner = domain.reference(owner, "owner")
        if owner != principal.subject and not principal.has(*STAFF):
            raise PermissionDenied("you can only hold seats for yourself")
        return owner

    @staticmethod
    def _may_touch(principal: Principal, hold: Hold) -> None:
        if hold.owner != principal.subject and not principal.has(*STAFF):
            raise PermissionDenied("this hold belongs to someone else")

    def _account(self, principal: Principal, owner: str, account: str) -> str:
        """Whom the held seats count against: the owner, unless a service names the account
        (the booking's user, or a guest's client address)."""
        if not account.strip():
            return owner
        account = domain.account_ref(account)
        if account != principal.subject and not principal.has(*STAFF):
            raise PermissionDenied("only services name the account a hold counts against")
        return account

    async def hold_seats(
        self,
        flight_id: str,
        raw: Sequence[tuple[str, str, str, str]],
        owner: str = "",
        hold_id: str = "",
        ttl_seconds: int = 0,
        account: str = "",
        not_after: datetime | None = None,
    ) -> Hold:
        principal = require()
        owner = self._owner(principal, owner)
        account = self._account(principal, owner, account)
        requests = domain.parse_seat_requests(raw)
        hold_id = domain.reference(hold_id, "hold_id") if hold_id.strip() else str(uuid.uuid4())
        ttl = domain.ttl_for(ttl_seconds, self.hold_ttl_seconds())
        flight = await self.recent_flight(flight_id)
        self._sellable(flight)
        domain.check_seat_requests(requests, flight.seats)
        labels = [r.seat for r in requests]
        # Redis decides first, in one script: a lost race answers 409 without touching PostgreSQL.
        outcome = await self._hold_in_redis(hold_id, flight.flight_id, owner, account, requests, ttl, not_after)
        if outcome.status == "exists":
            if (await self._assigned(flight.flight_id, [], hold_id))[1]:
                raise Conflict(f"hold {hold_id} was already confirmed", code="hold_confirmed")
            with redis_guard():
                return await self._same_hold(hold_id, flight.flight_id, owner, requests)
        if outcome.status == "busy":
            raise Conflict(
                f"{seats_text(outcome.busy)} already held by someone else", code="seat_held", seats=list(outcome.busy)
            )
        assert outcome.now is not None and outcome.expires_at is not None
        hold = Hold(hold_id, flight.flight_id, owner, tuple(requests), outcome.expires_at, outcome.now, not_after)
        # One look at PostgreSQL now that the seats are ours in Redis: a seat confirmed earlier
        # (its Redis key freed) is assigned there, and a confirmation writes its assignment
        # before it frees its Redis keys, so one that raced us is in PostgreSQL by now, and any
        # later one cannot start (we hold the keys). PostgreSQL's unique constraint stays the
        # final guard at confirmation.
        try:
            taken, confirmed = await self._assigned(flight.flight_id, labels, hold_id)
        except BaseException:
            with contextlib.suppress(RedisError):
                await self.holds.release(hold)
            raise
        if taken or confirmed:
            with redis_guard():
                await self.holds.release(hold)
            if confirmed:
                raise Conflict(f"hold {hold_id} was already confirmed", code="hold_confirmed")
            raise Conflict(f"{seats_text(taken)} already taken", code="seat_taken", seats=sorted(taken))
        self._publish_later(hold.flight_id, "SeatsHeld", labels)
        return hold

    async def _hold_in_redis(
        self,
        hold_id: str,
        flight_id: str,
        owner: str,
        account: str,
        requests: Sequence[SeatRequest],
        ttl: int,
        not_after: datetime | None,
    ) -> HoldOutcome:
        """The hold script (all labels or none); refusals other than `exists` and `busy` raised."""
        limit = self.settings.max_seats_per_account
        with redis_guard():
            outcome = await self.holds.hold(
                hold_id,
                flight_id,
                owner,
                requests,
                ttl * 1000,
                self._keep_ms,
                account=account,
                account_limit=limit,
                not_after=not_after,
            )
        if outcome.status == "limit":
            raise TooManyRequests(
                f"at most {limit} seats can be held at once on one flight by one account; "
                f"{outcome.account_held} are held already: book or release them first",
                code="seat_hold_limit",
                limit=limit,
                held=outcome.account_held,
            )
        if outcome.status == "late":
            raise Conflict(
                "the hold would end before it starts: its not_after (the booking's expiry) has passed",
                code="hold_not_after_passed",
            )
        return outcome

    async def _assigned(self, flight_id: str, labels: Sequence[str], hold_id: str) -> tuple[set[str], bool]:
        """One statement outside a transaction (no BEGIN/ROLLBACK round trips): the seats of
        `labels` assigned already, and whether `hold_id` was confirmed."""
        async with self.db.reading() as conn:
            return await ReservationRepository(conn).taken_or_confirmed(flight_id, labels, hold_id)

    async def _same_hold(self, hold_id: str, flight_id: str, owner: str, requests: Sequence[SeatRequest]) -> Hold:
        """A repeated HoldSeats with a hold id already in use: the same request gets the same hold."""
        stored = await self.holds.get(hold_id)
        if stored is None:
            raise Conflict(f"hold {hold_id} has just ended; ask again with a new hold id", code="hold_gone")
        hold = stored.hold
        if hold.owner != owner or hold.flight_id != flight_id or set(hold.seats) != set(requests):
            raise Conflict(f"hold id {hold_id} is already used for another request", code="hold_id_reused")
        if not stored.active:
            raise Conflict(f"hold {hold_id} has expired", code="hold_expired")
        return hold

    async def _stored(self, hold_id: str) -> Any:
        hold_id = domain.reference(hold_id, "hold_id")
        with redis_guard():
            stored = await self.holds.get(hold_id)
        if stored is None:
            raise NotFound(f"hold {hold_id} does not exist or has ended")
        return stored

    async def get_hold(self, hold_id: str) -> Hold:
        principal = require()
        stored = await self._stored(hold_id)
        self._may_touch(principal, stored.hold)
        if not stored.active:
            raise NotFound(f"hold {stored.hold.hold_id} has expired")
        return stored.hold  # type: ignore[no-any-return]

    async def extend_hold(self, hold_id: str, ttl_seconds: int = 0, not_after: datetime | None = None) -> Hold:
        """Another TTL from now, within the hold's bound and its maximum lifetime. `not_after`
        (services only: the booking that owns the hold was kept longer) moves the bound later,
        and the hold lasts until it."""
        principal = require()
        stored = await self._stored(hold_id)
        hold: Hold = stored.hold
        self._may_touch(principal, hold)
        if not_after is not None and not principal.has(Role.SYSTEM):
            raise PermissionDenied("only the service that owns a hold's bound may move it")
        ttl_ms = domain.ttl_for(ttl_seconds, self.hold_ttl_seconds()) * 1000
        if not_after is not None:  # its booking was kept longer: the hold lasts as long (within its lifetime)
            ttl_ms = max(ttl_ms, int((not_after - datetime.now(UTC)).total_seconds() * 1000))
        self._sellable(await self.flight(hold.flight_id))
        with redis_guard():
            status, expires = await self.holds.extend(
                hold, ttl_ms, self.settings.max_hold_extension_seconds * 1000, self._keep_ms, not_after
            )
        if status == "missing":
            raise NotFound(f"hold {hold.hold_id} does not exist or has ended")
        if status in ("expired", "lost"):
            raise Conflict(f"hold {hold.hold_id} has expired: its seats are free again", code="hold_expired")
        assert expires is not None
        if not_after is not None and hold.not_after is not None and not_after > hold.not_after:
            return replace(hold, expires_at=expires, not_after=not_after)
        return replace(hold, expires_at=expires)

    async def release_hold(self, hold_id: str) -> list[str]:
        principal = require()
        stored = await self._stored(hold_id)
        self._may_touch(principal, stored.hold)
        with redis_guard():
            freed = await self.holds.release(stored.hold)
        await self._publish(stored.hold.flight_id, "SeatsReleased", freed, reason="released")
        return sorted(freed, key=domain.seat_order)

    async def sweep(self) -> int:
        """Tell live seat maps about holds whose time ran out (Redis freed their seats already)."""
        expired = await self.holds.sweep()
        for e in expired:
            if e.freed:
                await self._publish(e.flight_id, "SeatsReleased", e.freed, reason="expired")
        return len(expired)
