"""The outbox relay and the idempotent consumer against the real PostgreSQL and broker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from airline.platform.consumer import EventConsumer
from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.embedded import EmbeddedKafka, free_port
from airline.platform.events import Envelope
from airline.platform.kafka import make_consumer
from airline.platform.outbox import OutboxRelay
from tests.support.scratch_events import effects_table, forget_test_topics, new_topic, scratch_database

__all__ = ["forget_test_topics"]  # autouse: each test's topic leaves the catalogue

SCHEMA = "platform_test"
effects = effects_table(SCHEMA)


@pytest.fixture(scope="module")
async def db(stack: dict[str, str]) -> AsyncIterator[ServiceDatabase]:
    async with scratch_database(stack["DATABASE_URL"], effects, "platform-test") as database:
        yield database


async def outbox_ids(db: ServiceDatabase) -> set[str]:
    async with db.engine.connect() as conn:
        unpublished = db.outbox.c.published_at.is_(None)
        return set((await conn.execute(sa.select(db.outbox.c.event_id).where(unpublished))).scalars())


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
    assert committed.event_id not in await outbox_ids(db), "a published event is no longer waiting"


async def published_to(db: ServiceDatabase, event_id: str) -> str | None:
    """The cluster id of the broker the outbox says `event_id` went to (None: not yet published)."""
    async with db.engine.connect() as conn:
        broker: str | None = await conn.scalar(sa.select(db.outbox.c.broker).where(db.outbox.c.event_id == event_id))
        return broker


async def test_events_a_restarted_broker_lost_are_published_to_it_again(db: ServiceDatabase, tmp_path: Path) -> None:
    """The embedded broker keeps its log in memory: killed and restarted, it is empty, under a new
    cluster id. What the relay had sent it goes out again (consumers de-duplicate by event id)."""
    port = free_port()
    broker = EmbeddedKafka(tmp_path / "kafka", port)
    broker.start()
    topic = new_topic()
    async with db.uow() as uow:
        event = await uow.emit(topic, "order-9", "ThingHappened", {"n": 9})
        await uow.commit()
    stop = asyncio.Event()
    relay = OutboxRelay(db, broker.bootstrap, poll_interval=0.1, max_backoff=0.5, broker_check_interval=0.2)
    task = asyncio.create_task(relay.run(stop))
    try:
        await read_until(broker.bootstrap, topic, event.event_id)
        first = await published_to(db, event.event_id)
        assert first, "a published event stays in the outbox, marked with the broker it went to"
        assert broker.proc is not None
        broker.proc.kill()  # kill -9: the log goes with it
        broker.proc.wait()
        broker = EmbeddedKafka(tmp_path / "kafka", port)
        broker.start()
        delivered = await read_until(broker.bootstrap, topic, event.event_id, timeout=60)
        assert [e.payload for e in delivered if e.event_id == event.event_id] == [{"n": 9}]
        async with asyncio.timeout(10):
            while (second := await published_to(db, event.event_id)) in (None, first):
                await asyncio.sleep(0.1)
        assert second != first
    finally:
        stop.set()
        await task
        broker.stop()


async def test_with_no_replay_window_a_published_event_leaves_the_outbox(
    db: ServiceDatabase, stack: dict[str, str]
) -> None:
    topic = new_topic()
    async with db.uow() as uow:
        event = await uow.emit(topic, "k0", "ThingHappened", {"n": 0})
        await uow.commit()
    stop = asyncio.Event()
    relay = OutboxRelay(db, stack["KAFKA_BOOTSTRAP_SERVERS"], poll_interval=0.1, replay_window=0)
    task = asyncio.create_task(relay.run(stop))
    try:
        await read_until(stack["KAFKA_BOOTSTRAP_SERVERS"], topic, event.event_id)
        # the row goes when its batch is acknowledged whole (other tests' events share the outbox)
        async with asyncio.timeout(60):
            while event.event_id in await outbox_ids(db):
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await task
    async with db.engine.connect() as conn:
        left = await conn.scalar(
            sa.select(sa.func.count()).select_from(db.outbox).where(db.outbox.c.event_id == event.event_id)
        )
    assert left == 0


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

    consumer = EventConsumer(
        db, f"test-consumer-{uuid.uuid4().hex[:6]}", bootstrap, {topic: count_it}, session_timeout_ms=6000
    )
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
    consumer = EventConsumer(
        db, name, stack["KAFKA_BOOTSTRAP_SERVERS"], {topic: half_then_fail}, max_attempts=3, retry_delay=0.01
    )
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


async def _health_server(port: int) -> grpc.aio.Server:
    """A real gRPC server the handler depends on (grpc.health.v1 is all it needs to serve)."""
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_health.v1.health import aio as health_aio

    server = grpc.aio.server()
    health = health_aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    assert server.add_insecure_port(f"127.0.0.1:{port}") == port
    await server.start()
    await health.set("", health_pb2.HealthCheckResponse.SERVING)
    return server


async def _effects(db: ServiceDatabase, keys: list[str]) -> dict[str, int]:
    async with db.engine.connect() as conn:
        return dict(
            (await conn.execute(sa.select(effects.c.key, effects.c.applied).where(effects.c.key.in_(keys)))).all()
        )


async def _parked(db: ServiceDatabase, consumer: str) -> list[Any]:
    async with db.engine.connect() as conn:
        return list(
            (
                await conn.execute(
                    sa.select(db.dead_letters)
                    .where(db.dead_letters.c.consumer == consumer)
                    .order_by(db.dead_letters.c.id)
                )
            ).all()
        )


async def test_a_five_second_outage_of_a_called_service_loses_no_event(
    db: ServiceDatabase, stack: dict[str, str]
) -> None:
    """The handler asks another service (a real gRPC server) before applying; that server is down
    for 5 s while events arrive. Every event is applied once when it is back, none dead-lettered."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    from airline.platform.errors import DomainError
    from airline.platform.grpc import domain_error_from

    bootstrap = stack["KAFKA_BOOTSTRAP_SERVERS"]
    port = free_port()
    server = await _health_server(port)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}", options=[("grpc.max_reconnect_backoff_ms", 1000)])
    stub = health_pb2_grpc.HealthStub(channel)

    async def ask_then_apply(uow: UnitOfWork, envelope: Envelope) -> None:
        try:
            await stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
        except grpc.aio.AioRpcError as e:  # as services do: the callee's failure as a domain error
            raise domain_error_from(e, "the called service") from None
        await uow.conn.execute(effects.insert().values(key=envelope.key, applied=1))

    topic = new_topic()
    name = f"outage-{uuid.uuid4().hex[:6]}"
    consumer = EventConsumer(db, name, bootstrap, {topic: ask_then_apply}, session_timeout_ms=6000)
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    keys = [f"outage-{uuid.uuid4().hex[:6]}" for _ in range(3)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        async with asyncio.timeout(30):
            await consumer.ready.wait()
        await server.stop(0)  # the called service goes down: its port refuses connections
        outage_began = asyncio.get_running_loop().time()
        for k in keys:
            env = Envelope(type="ThingHappened", version=1, producer="test", key=k, payload={})
            await producer.send_and_wait(topic, env.to_json(), key=k.encode())
        await asyncio.sleep(5.0 - (asyncio.get_running_loop().time() - outage_began))  # the outage itself
        assert await _effects(db, keys) == {}, "nothing can be applied while the called service is down"
        server = await _health_server(port)  # back on the same address
        async with asyncio.timeout(60):
            while len(await _effects(db, keys)) < len(keys):
                assert not await _parked(db, name), "a short outage must not dead-letter an event"
                await asyncio.sleep(0.2)
        assert await _effects(db, keys) == {k: 1 for k in keys}
        assert await _parked(db, name) == []
    finally:
        stop.set()
        await task
        await producer.stop()
        await channel.close()
        await server.stop(0)
    assert DomainError  # the handler's error type (Unavailable) is what the consumer retries


async def test_a_permanent_failure_is_still_parked_after_max_attempts(
    db: ServiceDatabase, stack: dict[str, str]
) -> None:
    from aiokafka import ConsumerRecord

    from airline.platform.consumer import ConsumerSettings

    calls = 0

    async def refuse(uow: UnitOfWork, envelope: Envelope) -> None:
        nonlocal calls
        calls += 1
        raise KeyError("payload without booking_id")

    topic = new_topic()
    name = f"permanent-{uuid.uuid4().hex[:6]}"
    consumer = EventConsumer(
        db,
        name,
        stack["KAFKA_BOOTSTRAP_SERVERS"],
        {topic: refuse},
        settings=ConsumerSettings(
            max_attempts=4, retry_base_seconds=0.01, retry_max_seconds=0.05, transient_budget_seconds=60
        ),
    )
    envelope = Envelope(type="ThingHappened", version=1, producer="test", key="k", payload={})
    record = ConsumerRecord(topic, 0, 7, 0, 0, b"k", envelope.to_json(), None, 0, 0, [])
    assert await consumer.handle(record) == "dead_letter"
    assert calls == 4
    assert await consumer.refresh_waiting() == 1


async def test_replay_reapplies_a_dead_letter_exactly_once(db: ServiceDatabase, stack: dict[str, str]) -> None:
    """An event parked while its handler could not apply it is replayed through the outbox: the
    consumer applies it once; the dead letter is gone; a second replay re-sends nothing."""
    from aiokafka import ConsumerRecord

    from airline.platform.dead_letters import replay

    bootstrap = stack["KAFKA_BOOTSTRAP_SERVERS"]
    topic = new_topic()
    name = f"replayed-{uuid.uuid4().hex[:6]}"
    broken = True

    async def apply(uow: UnitOfWork, envelope: Envelope) -> None:
        if broken:
            raise RuntimeError("a bug, fixed by the next deploy")
        stmt = sa.dialects.postgresql.insert(effects).values(key=envelope.key, applied=1)
        await uow.conn.execute(
            stmt.on_conflict_do_update(index_elements=[effects.c.key], set_={"applied": effects.c.applied + 1})
        )

    consumer = EventConsumer(
        db, name, bootstrap, {topic: apply}, max_attempts=2, retry_delay=0.01, session_timeout_ms=6000
    )
    k = f"replay-{uuid.uuid4().hex[:6]}"
    envelope = Envelope(type="ThingHappened", version=1, producer="test", key=k, payload={"n": 1})
    record = ConsumerRecord(topic, 0, 3, 0, 0, k.encode(), envelope.to_json(), None, 0, 0, [])
    assert await consumer.handle(record) == "dead_letter"
    # the same event parked twice (redelivered before the offset commit) is still sent once
    assert await consumer.handle(record) == "dead_letter"
    garbage = ConsumerRecord(topic, 0, 4, 0, 0, b"k", b"not json", None, 0, 0, [])
    assert await consumer.handle(garbage) == "dead_letter"
    assert len(await _parked(db, name)) == 3

    dry = await replay(db, name, topic=topic, dry_run=True)
    assert [r["event_id"] for r in dry.replayed] == [envelope.event_id] * 2 and len(dry.unreadable) == 1
    assert len(await _parked(db, name)) == 3, "a dry run changes nothing"

    broken = False
    done = await replay(db, name, topic=topic)
    assert len(done.replayed) == 2
    assert [p.raw for p in await _parked(db, name)] == ["not json"], "only the unreadable one stays parked"
    assert envelope.event_id in await outbox_ids(db)
    assert (await replay(db, name, topic=topic)).replayed == [], "a dead letter is replayed once"

    stop = asyncio.Event()
    relay = OutboxRelay(db, bootstrap, poll_interval=0.1)
    tasks = [asyncio.create_task(consumer.run(stop)), asyncio.create_task(relay.run(stop))]
    try:
        async with asyncio.timeout(60):
            while k not in await _effects(db, [k]):
                await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # give a wrongly repeated copy time to land
        assert await _effects(db, [k]) == {k: 1}
    finally:
        stop.set()
        await asyncio.gather(*tasks)

    # parked again later (by another consumer) after the outbox had sent and kept it: sent again
    assert envelope.event_id not in await outbox_ids(db)
    broken = True
    other = EventConsumer(db, name + "-b", bootstrap, {topic: apply}, max_attempts=1, retry_delay=0.01)
    assert await other.handle(record) == "dead_letter"
    assert len((await replay(db, name + "-b", topic=topic)).replayed) == 1
    assert envelope.event_id in await outbox_ids(db), "a replay re-queues an event the outbox kept as sent"
