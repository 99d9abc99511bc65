"""platform/idempotency.py against the real PostgreSQL: replay of a repeated request, refusal of
the same key with another request, the first of two racing requests standing, and cleanup;
and the bag drop, which uses it through the gateway."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from airline.platform.db import make_engine, utcnow
from airline.platform.idempotency import IdempotencyKeyReused, IdempotencyKeys, idempotency_table, request_hash
from airline.platform.settings import PlatformSettings
from tests.support.booking import bag_body, confirmed_booking
from tests.support.factories import key
from tests.support.http import assert_problem, auth


@pytest.fixture
async def store(settings: PlatformSettings) -> AsyncIterator[tuple[AsyncEngine, IdempotencyKeys]]:
    """The table in a scratch schema of its own."""
    schema = f"idem_{uuid.uuid4().hex[:8]}"
    metadata = sa.MetaData(schema=schema)
    table = idempotency_table(metadata)
    engine = make_engine(settings.database_url or "", pool_size=4)
    async with engine.begin() as conn:
        await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        await conn.run_sync(metadata.create_all)
    try:
        yield engine, IdempotencyKeys(table)
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


def test_the_request_hash_is_stable_and_tells_requests_apart() -> None:
    assert request_hash("b1", 20500, {"a": 1, "b": 2}) == request_hash("b1", 20500, {"b": 2, "a": 1})
    assert request_hash("b1", 20500) != request_hash("b1", 20501)
    assert request_hash("a", "bc") != request_hash("ab", "c")


async def test_a_new_key_is_remembered_and_replayed(store: tuple[AsyncEngine, IdempotencyKeys]) -> None:
    engine, keys = store
    h = request_hash("drop", 1)
    async with engine.begin() as conn:
        assert await keys.replay_or_none(conn, "drop:agent-1", "k1", h) is None
        assert await keys.remember(conn, "drop:agent-1", "k1", h, {"bag_id": "B1"}) == {"bag_id": "B1"}
    async with engine.connect() as conn:
        assert await keys.replay_or_none(conn, "drop:agent-1", "k1", h) == {"bag_id": "B1"}
        # scopes keep callers apart: another agent's same key is new
        assert await keys.replay_or_none(conn, "drop:agent-2", "k1", h) is None


async def test_the_same_key_with_another_request_is_refused(store: tuple[AsyncEngine, IdempotencyKeys]) -> None:
    engine, keys = store
    async with engine.begin() as conn:
        await keys.remember(conn, "s", "k", request_hash(1), {"id": "first"})
    async with engine.connect() as conn:
        with pytest.raises(IdempotencyKeyReused) as info:
            await keys.replay_or_none(conn, "s", "k", request_hash(2))
    assert info.value.code == "idempotency_key_reused" and "different request" in info.value.message
    async with engine.begin() as conn:
        with pytest.raises(IdempotencyKeyReused):
            await keys.remember(conn, "s", "k", request_hash(2), {"id": "second"})


async def test_a_rolled_back_request_leaves_the_key_free(store: tuple[AsyncEngine, IdempotencyKeys]) -> None:
    engine, keys = store
    async with engine.connect() as conn:
        async with conn.begin() as tx:
            await keys.remember(conn, "s", "k", request_hash(1), {"id": "lost"})
            await tx.rollback()
        assert await keys.replay_or_none(conn, "s", "k", request_hash(1)) is None


async def test_of_two_racing_requests_the_first_remembered_stands(store: tuple[AsyncEngine, IdempotencyKeys]) -> None:
    engine, keys = store
    h = request_hash("same")
    first_in = asyncio.Event()
    release = asyncio.Event()

    async def first() -> dict[str, str]:
        async with engine.begin() as conn:
            got = await keys.remember(conn, "s", "race", h, {"id": "first"})
            first_in.set()
            await release.wait()  # commits after the second one has tried
            return got  # type: ignore[return-value]

    async def second() -> dict[str, str]:
        await first_in.wait()
        async with engine.begin() as conn:
            waiter = asyncio.create_task(keys.remember(conn, "s", "race", h, {"id": "second"}))
            await asyncio.sleep(0.2)
            assert not waiter.done()  # waits on the first one's uncommitted row
            release.set()
            return await waiter  # type: ignore[return-value]

    a, b = await asyncio.gather(first(), second())
    assert a == b == {"id": "first"}


async def test_old_keys_are_forgotten(store: tuple[AsyncEngine, IdempotencyKeys]) -> None:
    engine, keys = store
    async with engine.begin() as conn:
        await keys.remember(conn, "s", "old", request_hash(1), {})
        await conn.execute(keys.table.update().values(created_at=utcnow() - timedelta(days=3)))
        await keys.remember(conn, "s", "new", request_hash(1), {})
        assert await keys.forget_older_than(conn, utcnow() - timedelta(days=2)) == 1
        assert await keys.replay_or_none(conn, "s", "old", request_hash(1)) is None
        assert await keys.replay_or_none(conn, "s", "new", request_hash(1)) == {}


@pytest.mark.usefixtures("seed_airports")
async def test_a_bag_drop_key_reused_for_another_bag_is_refused(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    trip = await confirmed_booking(api, tokens)
    agent = auth(tokens["agent"])
    k = key()
    r1 = await api.post("/api/v1/bags", json=bag_body(trip, "P2"), headers=agent | {"Idempotency-Key": k})
    assert r1.status_code == 201, r1.text
    r2 = await api.post("/api/v1/bags", json=bag_body(trip, "P2"), headers=agent | {"Idempotency-Key": k})
    assert r2.status_code == 200 and r2.json()["id"] == r1.json()["id"]
    # before, this replayed the first bag: a heavier bag would have been taken for the light one
    problem = assert_problem(
        await api.post("/api/v1/bags", json=bag_body(trip, "P2", kg="12.0"), headers=agent | {"Idempotency-Key": k}),
        422,
    )
    assert problem["code"] == "idempotency_key_reused"
    bags = await api.get(f"/api/v1/bookings/{trip['booking']['id']}/bags", headers=agent)
    assert bags.status_code == 200 and len([b for b in bags.json()["bags"] if b["passenger_id"] == "P2"]) == 1
