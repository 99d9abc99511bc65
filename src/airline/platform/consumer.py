"""The idempotent Kafka consumer: at-least-once delivery, exactly-once effects.

For each event, the handler's effects and the record "consumer C handled event E" commit in
one database transaction; a redelivered event finds that record and is skipped. Kafka offsets
are committed only after the database commit. A handler that keeps failing on one event
parks it in the service's dead_letters table (after `max_attempts`) instead of blocking its
partition forever; a database outage is not such a failure: the consumer waits and retries.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from opentelemetry import trace
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.events import Envelope
from airline.platform.kafka import ensure_topics, make_consumer
from airline.platform.metrics import EVENTS_CONSUMED
from airline.platform.tracing import extract, tracer

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


class EventConsumer:
    def __init__(
        self,
        db: ServiceDatabase,
        name: str,
        bootstrap: str,
        handlers: dict[str, Handler],
        *,
        session_timeout_ms: int = 10_000,
        max_attempts: int = 5,
        retry_delay: float = 0.2,
    ) -> None:
        self.db = db
        self.name = name
        self.bootstrap = bootstrap
        self.handlers = handlers
        self.session_timeout_ms = session_timeout_ms
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.ready = asyncio.Event()  # set once the group has assigned partitions
        self._tracer = tracer("airline.consumer")

    async def handle(self, record: ConsumerRecord) -> str:
        """Apply one record; returns the outcome ('applied', 'duplicate', 'dead_letter')."""
        try:
            envelope = Envelope.from_json(record.value)
        except ValueError as e:
            await self._dead_letter(record, f"unreadable envelope: {e}")
            return "dead_letter"
        handler = self.handlers[record.topic]
        attempt = 0
        with self._tracer.start_as_current_span(
            f"{record.topic} process",
            context=extract(envelope.trace),
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": record.topic,
                "messaging.consumer.group.name": self.name,
                "messaging.message.id": envelope.event_id,
            },
        ):
            while True:
                attempt += 1
                try:
                    return await self._apply(handler, envelope)
                except (OperationalError, InterfaceError, OSError) as e:
                    # the database is unreachable: not the event's fault, never give up on it
                    log.warning("consumer %s: database unavailable, retrying: %s", self.name, e)
                    await asyncio.sleep(min(5.0, self.retry_delay * attempt))
                except Exception as e:
                    if attempt >= self.max_attempts:
                        log.exception("consumer %s: event %s failed %d times", self.name, envelope.event_id, attempt)
                        await self._dead_letter(record, repr(e))
                        return "dead_letter"
                    log.warning("consumer %s: event %s failed (attempt %d): %r", self.name, envelope.event_id, attempt, e)
                    await asyncio.sleep(self.retry_delay * attempt)

    async def _apply(self, handler: Handler, envelope: Envelope) -> str:
        processed = self.db.processed_events
        async with self.db.uow() as uow:
            first_time = (
                await uow.conn.execute(
                    insert(processed)
                    .values(consumer=self.name, event_id=envelope.event_id)
                    .on_conflict_do_nothing()
                    .returning(processed.c.event_id)
                )
            ).first()
            if first_time is None:
                return "duplicate"
            await handler(uow, envelope)
            await uow.commit()
            return "applied"

    async def _dead_letter(self, record: ConsumerRecord, error: str) -> None:
        raw = record.value.decode(errors="replace") if isinstance(record.value, bytes) else str(record.value)
        while True:
            try:
                async with self.db.uow() as uow:
                    await uow.conn.execute(
                        self.db.dead_letters.insert().values(
                            consumer=self.name,
                            topic=record.topic,
                            partition=record.partition,
                            offset=record.offset,
                            raw=raw,
                            error=error[:4000],
                        )
                    )
                    await uow.commit()
                return
            except (OperationalError, InterfaceError, DBAPIError, OSError) as e:
                log.warning("consumer %s: cannot park a dead letter yet: %s", self.name, e)
                await asyncio.sleep(1.0)

    async def run(self, stop: asyncio.Event) -> None:
        topics = list(self.handlers)
        while not stop.is_set():
            consumer: AIOKafkaConsumer | None = None
            try:
                await ensure_topics(self.bootstrap, topics)
                consumer = make_consumer(
                    self.bootstrap, self.name, *topics, session_timeout_ms=self.session_timeout_ms
                )
                await consumer.start()
                await self._loop(consumer, stop)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("consumer %s: broker unavailable, retrying: %s", self.name, e)
                await asyncio.sleep(1.0)
            finally:
                if consumer is not None:
                    try:
                        await consumer.stop()
                    except Exception:
                        pass

    async def _loop(self, consumer: AIOKafkaConsumer, stop: asyncio.Event) -> None:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=200, max_records=100)
            if consumer.assignment():
                self.ready.set()
            for tp, records in batch.items():
                for record in records:
                    outcome = await self.handle(record)
                    EVENTS_CONSUMED.labels(self.name, record.topic, outcome).inc()
                    await consumer.commit({TopicPartition(tp.topic, tp.partition): record.offset + 1})
