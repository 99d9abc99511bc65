"""A scratch service for the platform's outbox and consumer tests, against the real PostgreSQL
and broker: a schema of its own with an `effects` table a handler writes to, and topics each
test declares in the event catalogue and that leave it with the test.

Each test module takes its own schema: modules run on different xdist workers, and one shared
schema would be dropped under another module's tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
import sqlalchemy as sa

from airline.contracts.events import CATALOGUE, EventType, Payload, register
from airline.platform.db import ServiceDatabase, make_engine, service_metadata


class ThingHappened(Payload):
    n: int = 0


def effects_table(schema: str) -> sa.Table:
    """The scratch schema's `effects` table (key, applied), in metadata of its own."""
    return sa.Table(
        "effects",
        service_metadata(schema),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("applied", sa.Integer, nullable=False),
    )


@asynccontextmanager
async def scratch_database(database_url: str, effects: sa.Table, producer: str) -> AsyncIterator[ServiceDatabase]:
    """The schema of `effects` created afresh (with the outbox and processed_events tables every
    service has) and a ServiceDatabase on it; the engine is disposed of at the end."""
    schema = effects.schema
    assert schema is not None
    engine = make_engine(database_url, pool_size=5)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            await conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
            await conn.run_sync(effects.metadata.create_all)
        yield ServiceDatabase(engine, effects.metadata, producer=producer)
    finally:
        await engine.dispose()


@pytest.fixture(autouse=True)
def forget_test_topics() -> Iterator[None]:
    """The topics a test declares leave the catalogue with it (other tests check the catalogue).
    Autouse: a module that imports it gets it for every test."""
    before = dict(CATALOGUE)
    yield
    CATALOGUE.clear()
    CATALOGUE.update(before)


def new_topic() -> str:
    """A topic of its own for one test, declared first (the outbox takes catalogued topics only)."""
    event = EventType("test", f"thing_happened_{uuid.uuid4().hex[:8]}", "ThingHappened", ThingHappened)
    return register(event).topic
