"""Idempotency keys: a retried request (same key, same request) gets the first one's answer; the
same key with a different request is refused with a clear error, never silently replayed.

A service adds `idempotency_table(metadata)` to its schema and keeps an IdempotencyKeys over it.
Within the transaction that performs the request it calls `remember(...)` with what a replay
needs (e.g. the id of the row it created); before doing the work it asks `replay_or_none(...)`.
Keys live in a `scope` (who asked, and for what: "drop:<agent>", "pay:<booking id>"), so two
callers' keys never meet. The primary key decides a race: the first remembered answer stands.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.platform.errors import ValidationFailed

TABLE = "idempotency_keys"


class IdempotencyKeyReused(ValidationFailed):
    """The key was used before for a different request (422)."""

    code = "idempotency_key_reused"


def idempotency_table(metadata: sa.MetaData) -> sa.Table:
    """The service's table of keys (in its own schema): scope + key -> request hash and result."""
    return sa.Table(
        TABLE,
        metadata,
        sa.Column("scope", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("request_hash", sa.Text, nullable=False),
        sa.Column("result", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Index(f"{TABLE}_created", "created_at"),
    )


def request_hash(*parts: Any) -> str:
    """A stable digest of a request's parts (JSON-able values: str, int, float, lists, dicts)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyKeys:
    """replay_or_none / remember over one service's idempotency_keys table."""

    def __init__(self, table: sa.Table) -> None:
        self.table = table

    async def replay_or_none(
        self, conn: AsyncConnection, scope: str, key: str, request_hash: str
    ) -> dict[str, Any] | None:
        """The result remembered for (scope, key), or None when the key is new.
        Raises IdempotencyKeyReused when it was remembered for a different request."""
        t = self.table
        row = (
            await conn.execute(sa.select(t.c.request_hash, t.c.result).where(t.c.scope == scope, t.c.key == key))
        ).first()
        if row is None:
            return None
        if row.request_hash != request_hash:
            raise IdempotencyKeyReused(
                "this idempotency key was used for a different request; use a new key for a new request",
                field="idempotency_key",
            )
        return dict(row.result)

    async def remember(
        self, conn: AsyncConnection, scope: str, key: str, request_hash: str, result: dict[str, Any]
    ) -> dict[str, Any]:
        """Remember `result` for (scope, key) in the caller's transaction. Returns the result
        that stands: `result`, or the one a concurrent request with the same key remembered
        first (then the caller should roll back its own work and answer with that one)."""
        inserted = (
            await conn.execute(
                insert(self.table)
                .values(scope=scope, key=key, request_hash=request_hash, result=result)
                .on_conflict_do_nothing()
                .returning(self.table.c.key)
            )
        ).first()
        if inserted is not None:
            return result
        first = await self.replay_or_none(conn, scope, key, request_hash)
        assert first is not None  # the conflicting row exists: rows are never updated
        return first

    async def forget_older_than(self, conn: AsyncConnection, cutoff: datetime) -> int:
        """Drop keys remembered before `cutoff` (a periodic job, after the retention period)."""
        result = await conn.execute(self.table.delete().where(self.table.c.created_at < cutoff))
        return int(result.rowcount or 0)
