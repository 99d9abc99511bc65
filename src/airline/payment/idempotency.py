"""Charging once: authorise and refund run once per (caller, operation, Idempotency-Key).

The key is claimed by the key table's primary key in a transaction of its own; the claim fixes
the payment (or refund) id up front, and the work stores its answer with `finish` in the
transaction that makes its change. Concurrent identical requests wait for the stored answer; a
claim whose worker died is taken over once its lease runs out, under the same id (so the
provider, asked with the same ref, answers what it did the first time).

Why not platform/idempotency.py's IdempotencyKeys: that store remembers an answer inside the
transaction that does the work, so a key has no "in progress" state. Here the work is a call
to the card provider, outside any transaction, so the claim comes first and carries a lease
(status, resource_id, locked_until). The refusal of a reused key is the platform's one."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from airline.payment.settings import PaymentSettings
from airline.payment.store import PaymentRepository
from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from airline.platform.idempotency import IdempotencyKeyReused

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    scope: str
    key: str
    resource_id: str


class IdempotentRequests:
    def __init__(self, db: ServiceDatabase, settings: PaymentSettings, hash_key: bytes) -> None:
        self.db = db
        self.settings = settings
        self.hash_key = hash_key

    def request_hash(self, fields: dict[str, Any]) -> str:
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str).encode()
        return hmac.new(self.hash_key, canonical, hashlib.sha256).hexdigest()

    async def run(
        self, scope: str, key: str, request_hash: str, work: Callable[[Claim], Awaitable[dict[str, Any]]]
    ) -> tuple[dict[str, Any], bool]:
        """Run `work` once per (scope, key); the stored answer for every repeat. `work` must
        store its answer with `finish` in the transaction that makes its change."""
        lease = self.settings.idempotency_lease_seconds
        resource_id = str(uuid.uuid4())
        deadline = time.monotonic() + self.settings.idempotency_wait_seconds
        pause = 0.02
        while True:
            async with self.db.uow() as uow:
                repo = PaymentRepository(uow.conn)
                claimed = await repo.claim(scope, key, request_hash, resource_id, lease)
                row = None if claimed else await repo.idempotency_row(scope, key)
                took_over = False
                if row is not None and row.request_hash == request_hash and row.status == "in_progress" and row.expired:
                    took_over = await repo.take_over(scope, key, lease)
                await uow.commit()
            if claimed:
                break
            if row is None:
                continue  # released by a failed attempt in between: claim it again
            if not hmac.compare_digest(row.request_hash, request_hash):
                raise IdempotencyKeyReused(
                    "this Idempotency-Key was already used with a different request; use a new key",
                    field="idempotency_key",
                )
            if row.status == "done":
                return row.response, True
            if took_over:
                # the first worker died: finish its work under the same id (the provider
                # answers a repeated ref with what it did the first time)
                resource_id = row.resource_id
                break
            if time.monotonic() > deadline:
                raise Conflict(
                    "a request with this Idempotency-Key is still in progress; retry shortly",
                    code="idempotency_in_progress",
                )
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, 0.25)
        claim = Claim(scope, key, resource_id)
        try:
            return await work(claim), False
        except (ValidationFailed, NotFound, PermissionDenied):
            # bad input, refused before any money moved: the key is free again for a
            # corrected request
            await self._release(claim)
            raise
        except BaseException:
            # money may have moved (provider unreachable, refused half-way, crash): keep the
            # payment id so that the next retry re-asks the provider under the same ref
            await self._expire(claim)
            raise

    async def _release(self, claim: Claim) -> None:
        async with self.db.uow() as uow:
            await PaymentRepository(uow.conn).release_key(claim.scope, claim.key)
            await uow.commit()

    async def _expire(self, claim: Claim) -> None:
        """Let the next retry take over at once (under the same payment id)."""
        try:
            async with self.db.uow() as uow:
                await PaymentRepository(uow.conn).expire_lease(claim.scope, claim.key)
                await uow.commit()
        except Exception:  # the lease runs out by itself
            log.warning("could not expire the idempotency lease of %s; it runs out by itself", claim.resource_id)

    @staticmethod
    async def finish(uow: UnitOfWork, claim: Claim, response: dict[str, Any]) -> None:
        await PaymentRepository(uow.conn).finish_key(claim.scope, claim.key, response)

    async def forget_old(self) -> int:
        async with self.db.uow() as uow:
            n = await PaymentRepository(uow.conn).forget_keys_older_than(self.settings.idempotency_retention_hours)
            await uow.commit()
        return n
