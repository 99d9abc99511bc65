"""How the idempotent consumer talks to the broker and the database per batch, against the real
PostgreSQL and broker (issue 16): one offset commit per partition per fetched batch, and no
transaction for an event a Selective handler turns down."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer, TopicPartition
from prometheus_client import REGISTRY

from airline.platform.consumer import EventConsumer, Selective
from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.events import Envelope
from airline.platform.kafka import make_consumer
from tests.support.scratch_events import effects_table, forget_test_topics, new_topic, scratch_database

__all__ = ["forget_test_topics"]  # autouse: each test's topic leaves the catalogue

SCHEMA = "platform_batch_test"
effects = effects_table(SCHEMA)


@pytest.fixture(scope="module")
async def db(stack: dict[str, str]) -> AsyncIterator[ServiceDatabase]:
    async with scratch_database(stack["DATABASE_URL"], effects, "platform-batch-test") as database:
        yield database


async def test_offsets_are_committed_once_per_fetched_batch_and_a_restart_starts_after_them(
    db: ServiceDatabase, stack: dict[str, str]
) -> None:
    """Twenty events waiting on one partition come in one fetch: each is applied in its own
    transaction, and the consumer commits their offset once (not twenty round trips to the
    broker); the group's committed offset is past the last one, so the consumer started again
    in the same group reads none of them a second time."""
    bootstrap = stack["KAFKA_BOOTSTRAP_SERVERS"]
    topic = new_topic()
    keys = [f"batch-{uuid.uuid4().hex[:8]}" for _ in range(20)]

    async def count_it(uow: UnitOfWork, envelope: Envelope) -> None:
        await uow.conn.execute(sa.insert(effects).values(key=envelope.key, applied=1))

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for key in keys:  # one partition key: one partition, in order
            env = Envelope(type="ThingHappened", version=1, producer="test", key=key, payload={})
            await producer.send_and_wait(topic, env.to_json(), key=b"one-partition")
    finally:
        await producer.stop()
    name = f"test-batch-{uuid.uuid4().hex[:6]}"

    def sample(metric: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(metric, {"consumer": name, **labels}) or 0.0

    async def applied() -> int:
        async with db.engine.connect() as conn:
            return int(await conn.scalar(sa.select(sa.func.count()).where(effects.c.key.in_(keys))) or 0)

    async def consume_until(done: Callable[[], Awaitable[bool]]) -> None:
        consumer = EventConsumer(db, name, bootstrap, {topic: count_it}, session_timeout_ms=6000)
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        try:
            async with asyncio.timeout(30):
                while not await done():
                    await asyncio.sleep(0.1)
        finally:
            stop.set()
            await task

    await consume_until(lambda: _at_least(applied, len(keys)))
    commits = sample("airline_consumer_offset_commits_total")
    assert sample("airline_events_consumed_total", topic=topic, outcome="applied") == len(keys)
    assert 1 <= commits < len(keys) / 2, commits  # per batch, not per event

    # the group's committed offset, as a member of it would fetch it (no join needed)
    reader = make_consumer(bootstrap, name, session_timeout_ms=6000)
    await reader.start()
    try:
        partitions = [p for p in (reader.partitions_for_topic(topic) or set())]
        if not partitions:
            await reader._client.force_metadata_update()  # noqa: SLF001 - a topic this client never asked for
            partitions = list(reader.partitions_for_topic(topic) or set())
        committed = {p: await reader.committed(TopicPartition(topic, p)) for p in partitions}
    finally:
        await reader.stop()
    assert sum(o or 0 for o in committed.values()) == len(keys), committed

    # the same group again, with one more event: only that one is read, nothing comes twice
    extra = f"batch-{uuid.uuid4().hex[:8]}"
    keys.append(extra)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        env = Envelope(type="ThingHappened", version=1, producer="test", key=extra, payload={})
        await producer.send_and_wait(topic, env.to_json(), key=b"one-partition")
    finally:
        await producer.stop()
    await consume_until(lambda: _at_least(applied, len(keys)))
    assert sample("airline_events_consumed_total", topic=topic, outcome="applied") == len(keys)
    assert sample("airline_events_consumed_total", topic=topic, outcome="duplicate") == 0


async def _at_least(count: Callable[[], Awaitable[int]], n: int) -> bool:
    return await count() >= n


async def test_an_event_a_selective_handler_turns_down_costs_no_transaction(
    db: ServiceDatabase, stack: dict[str, str]
) -> None:
    """A Selective handler's test runs on the envelope first: an event it turns down is counted
    "ignored" and leaves no processed_events row (no transaction was opened for it); the one it
    wants is applied as always, once."""
    bootstrap = stack["KAFKA_BOOTSTRAP_SERVERS"]
    topic = new_topic()
    wanted, unwanted = f"want-{uuid.uuid4().hex[:8]}", f"skip-{uuid.uuid4().hex[:8]}"

    async def count_it(uow: UnitOfWork, envelope: Envelope) -> None:
        await uow.conn.execute(sa.insert(effects).values(key=envelope.key, applied=1))

    envelopes = [
        Envelope(type="ThingHappened", version=1, producer="test", key=unwanted, payload={"n": 0}),
        Envelope(type="ThingHappened", version=1, producer="test", key=wanted, payload={"n": 1}),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for env in envelopes:
            await producer.send_and_wait(topic, env.to_json(), key=b"one-partition")
    finally:
        await producer.stop()
    name = f"test-selective-{uuid.uuid4().hex[:6]}"
    handler = Selective(count_it, lambda envelope: envelope.payload.get("n", 0) > 0)
    consumer = EventConsumer(db, name, bootstrap, {topic: handler}, session_timeout_ms=6000)

    def outcome(o: str) -> float:
        return (
            REGISTRY.get_sample_value("airline_events_consumed_total", {"consumer": name, "topic": topic, "outcome": o})
            or 0.0
        )

    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        async with asyncio.timeout(30):
            while outcome("applied") + outcome("ignored") < 2:
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await task
    assert (outcome("applied"), outcome("ignored")) == (1, 1)
    async with db.engine.connect() as conn:
        keys = set(
            (await conn.execute(sa.select(effects.c.key).where(effects.c.key.in_([wanted, unwanted])))).scalars()
        )
        processed = set(
            (
                await conn.execute(
                    sa.select(db.processed_events.c.event_id).where(db.processed_events.c.consumer == name)
                )
            ).scalars()
        )
    assert keys == {wanted}
    assert processed == {envelopes[1].event_id}
