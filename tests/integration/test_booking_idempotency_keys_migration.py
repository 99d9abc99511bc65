"""Booking's idempotency keys move to the platform's table shape (migration 0003) without losing
a key: one remembered before the upgrade still replays its booking and still refuses another
request; going down gives the booking id its own column again."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from airline.booking.store import BookingRepository
from airline.platform.db import make_engine
from airline.platform.idempotency import IdempotencyKeyReused
from airline.platform.migrations import downgrade, upgrade


async def test_a_key_remembered_before_0003_replays_after_it(scratch_database: str) -> None:
    await asyncio.to_thread(upgrade, "airline.booking", scratch_database, "booking", "0002")
    engine = make_engine(scratch_database, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "insert into booking.idempotency_keys (scope, key, request_hash, booking_id) "
                    "values ('create:guest', 'k-1', 'hash-1', 'b-1')"
                )
            )
        await asyncio.to_thread(upgrade, "airline.booking", scratch_database, "booking")
        async with engine.begin() as conn:
            repo = BookingRepository(conn)
            assert await repo.replay_key("create:guest", "k-1", "hash-1") == "b-1"
            with pytest.raises(IdempotencyKeyReused):
                await repo.replay_key("create:guest", "k-1", "hash-2")
            assert await repo.remember_key("create:guest", "k-1", "hash-1", "b-2") == "b-1"
            assert await repo.remember_key("pay:b-3", "k-1", "hash-3", "b-3") == "b-3"
        await asyncio.to_thread(downgrade, "airline.booking", scratch_database, "booking", "0002")
        async with engine.connect() as conn:
            rows = (
                await conn.execute(sa.text("select scope, booking_id from booking.idempotency_keys order by scope"))
            ).all()
        assert [tuple(r) for r in rows] == [("create:guest", "b-1"), ("pay:b-3", "b-3")]
    finally:
        await engine.dispose()
