"""The outbox relay and the idempotent consumer against the real PostgreSQL and broker."""
from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import AsyncIterator

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from airline.platform.consumer import EventConsumer
from airline.platform.db import ServiceDatabase, UnitOfWork, make_engine, service_metadata
from airline.platform.embedded import EmbeddedKafka, free_port
from airline.platform.events import Envelope
from airline.platform.kafka import make_consumer
from airline.platform.outbox import OutboxRelay

SCHEMA = "platform_test"
metadata = service_metadata(SCHEMA)
effects = sa.Table(
    "effects",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("applied", sa.Integer, nullable=False),
)


@pytest.fixture(scope="module")
async def db(stack: dict[str, str]) -> AsyncIterator[ServiceDatabase]:
    engine = make_engine(stack["DATABASE_URL"], pool_size=5)
    async with engine.begin() as conn:
        await conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        await conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        await conn.run_sync(metadata.create_all)
    yield ServiceDatabase(engine, metadata, producer="platform-test")
    await engine.dispose()


def new_topic() -> str:
    return f"test.thing_happened_{uuid.uuid4().hex[:8]}.v1"


async def outbox_ids(db: ServiceDatabase) -> set[str]:
    async with db.engine.connect() as conn:
        return set((await conn.execute(sa.select(db.outbox.c.event_id))).scalars())


async def read_until(bootstrap: str, topic: str, marker: str, timeout: float = 30) -> list[Envelope]:
    """Consume `topic` from the start until the event with id `marker` shows up."""
    consumer = make_consumer(bootstrap, f"reader-{uuid.uuid4().hex[:8]}", topic, session_timeout_ms=6000)
    await consumer.start()
    seen: list[Envelope] = []
    try:
        async with asyncio.timeout(timeout):
            while True:
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    seen += [Envelope.from_json(r.value) for r in records]
                if any(e.event_id == marker for e in seen):
                    return seen
    finally:
        await consumer.stop()


async def test_rolled_back_event_is_never_delivered(db: ServiceDatabase, stack: dict[str, str]) -> None:
    topic = new_topic()
    async with db.uow() as uow:
        rolled_back = await uow.emit(topic, "k1", "ThingHappened", {"n": 1})
        # leaving the block without commit rolls the transaction (and its outbox row) back
    async with db.uow() as uow:
        committed = await uow.emit(topic, "k1", "ThingHappened", {"n": 2})
        await uow.commit()
    assert rolled_back.event_id not in await outbox_ids(db)
    assert committed.event_id in await outbox_ids(db)

    relay = OutboxRelay(db, stack["KAFKA_BOOTSTRAP_SERVERS"])
    try:
        assert await relay.publish_batch() >= 1
    finally:
        await relay._drop_producer()
    delivered = {e.event_id for e in await read_until(stack["KAFKA_BOOTSTRAP_SERVERS"], topic, committed.event_id)}
    assert committed.event_id in delivered
    assert rolled_back.event_id not in delivered
    assert committed.event_id not in await outbox_ids(db), "a published event leaves the outbox"


async def test_event_committed_while_broker_is_down_is_delivered_when_it_is_back(
    db: ServiceDatabase, tmp_path: Path
) -> None:
    port = free_port()
    broker = EmbeddedKafka(tmp_path / "kafka", port)
    broker.start()
    broker.stop()  # the broker is down when the service commits
    topic = new_topic()
    async with db.uow() as uow:
        event = await uow.emit(topic, "order-7", "ThingHappened", {"n": 7})
        await uow.commit()

    stop = asyncio.Event()
    relay = OutboxRelay(db, broker.bootstrap, poll_interval=0.1, max_backoff=0.5)
    task = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.sleep(1.5)  # the relay tries and fails meanwhile
        assert event.event_id in await outbox_ids(db), "an undelivered event must stay in the outbox"
        broker = EmbeddedKafka(tmp_path / "kafka", port)
        broker.start()
        delivered = await read_until(broker.bootstrap, topic, event.event_id, timeout=60)
        assert [e.payload for e in delivered if e.event_id == event.event_id] == [{"n": 7}]
        async with asyncio.timeout(10):
            while event.event_id in await outbox_ids(db):
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await task
        broker.stop()


async def test_redelivered_event_is_applied_once(db: ServiceDatabase, stack: dict[str, str]) -> None:
    bootstrap = stack["KAFKA_BOOTSTRAP_SERVERS"]
    topic = new_topic()

    async def count_it(uow: UnitOfWork, envelope: Envelope) -> None:
        stmt = sa.dialects.postgresql.insert(effects).values(key=envelope.key, applied=1)
        await uow.conn.execute(
            stmt.on_conflict_do_update(index_elements=[effects.c.key], set_={"applied": effects.c.applied + 1})
        )

    key = f"booking-{uuid.uuid4().hex[:6]}"
    envelope = Envelope(type="ThingHappened", version=1, producer="test", key=key, payload={})
    other = Envelope(type="ThingHappened", version=1, producer="test", key=key + "-other", payload={})
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        # at-least-once delivery: the same event arrives three times (e.g. a relay crash
        # between send and delete), interleaved with another event
        for env in (envelope, envelope, other, envelope):
            await producer.send_and_wait(topic, env.to_json(), key=env.key.encode())
    finally:
        await producer.stop()

    consumer = EventConsumer(db, f"test-consumer-{uuid.uuid4().hex[:6]}", bootstrap, {topic: count_it},
                             session_timeout_ms=6000)
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        async with asyncio.timeout(30):
            while True:
                async with db.engine.connect() as conn:
                    rows = dict((await conn.execute(sa.select(effects.c.key, effects.c.applied))).all())
                if key + "-other" in rows and key in rows:
                    break
                await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # give any wrongly re-applied copy time to land
        async with db.engine.connect() as conn:
            rows = dict((await conn.execute(sa.select(effects.c.key, effects.c.applied))).all())
        assert rows[key] == 1
        assert rows[key + "-other"] == 1
    finally:
        stop.set()
        await task


async def test_handler_failure_rolls_back_its_effects_and_parks_the_event(
    db: ServiceDatabase, stack: dict[str, str]
) -> None:
    from aiokafka import ConsumerRecord

    calls = 0

    async def half_then_fail(uow: UnitOfWork, envelope: Envelope) -> None:
        nonlocal calls
        calls += 1
        await uow.conn.execute(effects.insert().values(key=envelope.key, applied=1))
        raise RuntimeError("boom")

    topic = new_topic()
    name = f"failing-{uuid.uuid4().hex[:6]}"
    consumer = EventConsumer(db, name, stack["KAFKA_BOOTSTRAP_SERVERS"], {topic: half_then_fail},
                             max_attempts=3, retry_delay=0.01)
    envelope = Envelope(type="ThingHappened", version=1, producer="test", key=f"k-{uuid.uuid4().hex[:6]}", payload={})
    record = ConsumerRecord(topic, 0, 42, 0, 0, envelope.key.encode(), envelope.to_json(), None, 0, 0, [])
    assert await consumer.handle(record) == "dead_letter"
    assert calls == 3
    async with db.engine.connect() as conn:
        assert await conn.scalar(sa.select(sa.func.count()).where(effects.c.key == envelope.key)) == 0
        parked = (await conn.execute(sa.select(db.dead_letters).where(db.dead_letters.c.consumer == name))).all()
        handled = await conn.scalar(
            sa.select(sa.func.count()).where(db.processed_events.c.event_id == envelope.event_id)
        )
    assert [(p.topic, p.offset) for p in parked] == [(topic, 42)]
    assert "boom" in parked[0].error
    assert handled == 0, "a failed event is not marked handled"

    garbage = ConsumerRecord(topic, 0, 43, 0, 0, b"k", b"not json", None, 0, 0, [])
    assert await consumer.handle(garbage) == "dead_letter"
