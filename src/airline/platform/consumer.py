"""The idempotent Kafka consumer: at-least-once delivery, exactly-once effects.

For each event, the handler's effects and the record "consumer C handled event E" commit in
one database transaction; a redelivered event finds that record and is skipped. Kafka offsets
are committed only after the database commit, once per partition per fetched batch (a crash
redelivers the batch's tail, which processed_events recognises). A handler that keeps failing on one event
parks it in the service's dead_letters table (after `max_attempts`) instead of blocking its
partition forever; a database outage is not such a failure: the consumer waits and retries.

A transient failure of something the handler calls (another service UNAVAILABLE or past its
deadline, errors.Unavailable, a refused connection) is not the event's fault either: it is
retried with exponential backoff for up to a time budget (ConsumerSettings), so a short outage
of a called service delays events instead of dead-lettering them. Parked events are replayed
with `airline events replay` (platform/dead_letters.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager

import grpc
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from opentelemetry import trace
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.errors import Unavailable
from airline.platform.events import Envelope
from airline.platform.kafka import cluster_id, ensure_topics, make_consumer
from airline.platform.metrics import DEAD_LETTERS, DEAD_LETTERS_WAITING, EVENT_RETRIES, EVENTS_CONSUMED, OFFSET_COMMITS
from airline.platform.periodic import run_every
from airline.platform.tracing import continue_trace, recording, tracer

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]


class Selective:
    """A handler with a test of its own: an event `wants` turns down is handled by doing nothing,
    without a transaction or a processed_events row (doing nothing twice is doing nothing), e.g.
    booking's SeatsAssigned handler, which acts only on seats the booking did not choose itself.
    `wants` reads the envelope alone (no I/O) and must never turn down an event it would act on."""

    def __init__(self, handler: Handler, wants: Callable[[Envelope], bool]) -> None:
        self.handler = handler
        self.wants = wants

    async def __call__(self, uow: UnitOfWork, envelope: Envelope) -> None:
        await self.handler(uow, envelope)


# How stale the consumer's knowledge of the broker's identity may be when it takes a batch: less
# than a restart of the broker can take (the supervisor's backoff alone is longer).
BROKER_CHECK_SECONDS = 0.5


class BrokerChanged(Exception):
    """The broker answers with another cluster id than when this consumer started."""


TRANSIENT_GRPC = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


def process_span(
    tracer: trace.Tracer, record: ConsumerRecord, envelope: Envelope, group: str
) -> AbstractContextManager[trace.Span]:
    """The consumer span of one record, a child of the producer's trace carried in the envelope."""
    attributes = (
        {
            "messaging.system": "kafka",
            "messaging.destination.name": record.topic,
            "messaging.consumer.group.name": group,
            "messaging.message.id": envelope.event_id,
        }
        if recording()
        else {}
    )
    return continue_trace(tracer, f"{record.topic} process", envelope.trace, trace.SpanKind.CONSUMER, attributes)


class ConsumerSettings(BaseSettings):
    """How every service's consumer retries (env prefix AIRLINE_CONSUMER_)."""

    model_config = SettingsConfigDict(env_prefix="AIRLINE_CONSUMER_", extra="ignore")

    # a handler that fails for a reason of its own (a bug, a refusal) is parked after this many tries
    max_attempts: int = Field(default=5, ge=1)
    # backoff between tries: base * 2^(n-1), at most max
    retry_base_seconds: float = Field(default=0.2, gt=0)
    retry_max_seconds: float = Field(default=10.0, gt=0)
    # a transient failure (a called service down) is retried this long before the event is parked
    transient_budget_seconds: float = Field(default=120.0, ge=0)
    # How long the broker may hold a fetch that finds nothing: the embedded broker answers a
    # fetch only when this runs out (even when events arrive meanwhile), so it is both the
    # idle cost (one fetch per consumer per this long) and the worst added delivery delay.
    fetch_max_wait_ms: int = Field(default=1_000, ge=10)


def is_transient(error: BaseException) -> bool:
    """A failure of something the handler depends on, likely gone in a while."""
    if isinstance(error, grpc.aio.AioRpcError):
        return error.code() in TRANSIENT_GRPC
    if isinstance(error, (Unavailable, ConnectionError, TimeoutError, asyncio.TimeoutError)):
        return True
    cause = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return (
        cause is not None
        and cause is not error
        and isinstance(cause, grpc.aio.AioRpcError)
        and cause.code() in TRANSIENT_GRPC
    )


class EventConsumer:
    def __init__(
        self,
        db: ServiceDatabase,
        name: str,
        bootstrap: str,
        handlers: dict[str, Handler],
        *,
        session_timeout_ms: int = 10_000,
        max_attempts: int | None = None,
        retry_delay: float | None = None,
        retry_max: float | None = None,
        transient_budget: float | None = None,
        settings: ConsumerSettings | None = None,
    ) -> None:
        settings = settings or ConsumerSettings()
        self.db = db
        self.name = name
        self.bootstrap = bootstrap
        self.handlers = handlers
        self.session_timeout_ms = session_timeout_ms
        self.max_attempts = max_attempts if max_attempts is not None else settings.max_attempts
        self.retry_delay = retry_delay if retry_delay is not None else settings.retry_base_seconds
        self.retry_max = retry_max if retry_max is not None else settings.retry_max_seconds
        self.transient_budget = transient_budget if transient_budget is not None else settings.transient_budget_seconds
        self.fetch_max_wait_ms = settings.fetch_max_wait_ms
        for topic in handlers:  # exported at 0 from the start, so increase() sees the first dead letter
            DEAD_LETTERS.labels(name, topic)
        self.ready = asyncio.Event()  # set once the group has assigned partitions
        self._tracer = tracer("airline.consumer")

    async def handle(self, record: ConsumerRecord) -> str:
        """Apply one record; returns the outcome ('applied', 'duplicate', 'ignored', 'dead_letter')."""
        try:
            envelope = Envelope.from_json(record.value)
        except ValueError as e:
            await self._dead_letter(record, f"unreadable envelope: {e}")
            return "dead_letter"
        handler = self.handlers[record.topic]
        if isinstance(handler, Selective) and not handler.wants(envelope):
            return "ignored"
        attempt = 0
        with process_span(self._tracer, record, envelope, self.name):
            failures = 0  # failures of the event's own making
            transient_since: float | None = None  # when the current run of transient failures began
            while True:
                attempt += 1
                try:
                    return await self._apply(handler, envelope)
                except (OperationalError, InterfaceError) as e:
                    # the database is unreachable: not the event's fault, never give up on it
                    log.warning("consumer %s: database unavailable, retrying: %s", self.name, e)
                    await asyncio.sleep(min(5.0, self.retry_delay * attempt))
                except Exception as e:
                    if isinstance(e, OSError) and not await self._database_answers():
                        log.warning("consumer %s: database unavailable, retrying: %s", self.name, e)
                        await asyncio.sleep(min(5.0, self.retry_delay * attempt))
                        continue
                    now = time.monotonic()
                    if is_transient(e):
                        transient_since = transient_since if transient_since is not None else now
                        waited = now - transient_since
                        if waited < self.transient_budget:
                            delay = min(
                                self.retry_max,
                                self.retry_delay * 2 ** min(attempt - 1, 30),
                                max(0.0, self.transient_budget - waited),
                            )
                            log.warning(
                                "consumer %s: event %s met a transient failure (attempt %d, retrying in %.1fs): %r",
                                self.name,
                                envelope.event_id,
                                attempt,
                                delay,
                                e,
                            )
                            EVENT_RETRIES.labels(self.name, record.topic, "transient").inc()
                            await asyncio.sleep(delay)
                            continue
                        log.error(
                            "consumer %s: event %s still failing after %.0fs of transient failures",
                            self.name,
                            envelope.event_id,
                            waited,
                        )
                    else:
                        transient_since = None
                        failures += 1
                        if failures < self.max_attempts:
                            log.warning(
                                "consumer %s: event %s failed (attempt %d): %r",
                                self.name,
                                envelope.event_id,
                                attempt,
                                e,
                            )
                            EVENT_RETRIES.labels(self.name, record.topic, "failure").inc()
                            await asyncio.sleep(min(self.retry_max, self.retry_delay * 2 ** min(failures - 1, 30)))
                            continue
                    log.exception(
                        "consumer %s: event %s failed %d times; parked as a dead letter",
                        self.name,
                        envelope.event_id,
                        attempt,
                    )
                    await self._dead_letter(record, repr(e))
                    return "dead_letter"

    async def _database_answers(self) -> bool:
        try:
            async with self.db.engine.connect() as conn:
                await conn.execute(sa.text("select 1"))
            return True
        except Exception:
            return False

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
                DEAD_LETTERS.labels(self.name, record.topic).inc()
                await self.refresh_waiting()
                return
            except (OperationalError, InterfaceError, DBAPIError, OSError) as e:
                log.warning("consumer %s: cannot park a dead letter yet: %s", self.name, e)
                await asyncio.sleep(1.0)

    async def refresh_waiting(self) -> int | None:
        """Set airline_dead_letters_waiting from the table (what a replay has not taken yet)."""
        try:
            async with self.db.engine.connect() as conn:
                waiting = int(
                    await conn.scalar(
                        sa.select(sa.func.count())
                        .select_from(self.db.dead_letters)
                        .where(self.db.dead_letters.c.consumer == self.name)
                    )
                    or 0
                )
        except Exception as e:  # the gauge is a view; never fail the consumer for it
            log.debug("consumer %s: cannot count dead letters: %s", self.name, e)
            return None
        DEAD_LETTERS_WAITING.labels(self.name).set(waiting)
        return waiting

    async def _watch_dead_letters(self, stop: asyncio.Event, every: float = 30.0) -> None:
        await run_every(every, self.refresh_waiting, stop=stop, name=f"{self.name}-dead-letters", first_run_now=True)

    async def run(self, stop: asyncio.Event) -> None:
        watcher = asyncio.create_task(self._watch_dead_letters(stop), name=f"{self.name}-dead-letters")
        try:
            await self._run(stop)
        finally:
            watcher.cancel()
            try:
                await watcher
            except (asyncio.CancelledError, Exception):
                pass

    async def _run(self, stop: asyncio.Event) -> None:
        topics = list(self.handlers)
        while not stop.is_set():
            consumer: AIOKafkaConsumer | None = None
            try:
                await ensure_topics(self.bootstrap, topics)
                consumer = make_consumer(
                    self.bootstrap,
                    self.name,
                    *topics,
                    session_timeout_ms=self.session_timeout_ms,
                    fetch_max_wait_ms=self.fetch_max_wait_ms,
                )
                await consumer.start()
                await self._loop(consumer, stop)
            except asyncio.CancelledError:
                raise
            except BrokerChanged as e:
                log.warning("consumer %s: %s; starting over from its earliest offsets", self.name, e)
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
        client = consumer._client  # aiokafka exposes no public handle to ask for cluster metadata
        broker = await cluster_id(client)
        checked = time.monotonic()
        while not stop.is_set():
            # a wait as long as a fetch's: stop is looked at between them (a stopping service
            # waits at most this long for its consumer)
            batch = await consumer.getmany(timeout_ms=self.fetch_max_wait_ms, max_records=100)
            if consumer.assignment():
                self.ready.set()
            if batch and time.monotonic() - checked > BROKER_CHECK_SECONDS:
                # A broker that restarted empty (another cluster id) has forgotten this group's
                # offsets, while this consumer still fetches from where it was: records the
                # relays publish again would be skipped. Start over as a new consumer instead,
                # from the new broker's earliest offset, before committing anything to it.
                now = await cluster_id(client)
                if now != broker:
                    raise BrokerChanged(f"the broker is now cluster {now!r}, was {broker!r}")
                checked = time.monotonic()
            for tp, records in batch.items():
                for record in records:
                    outcome = await self.handle(record)
                    EVENTS_CONSUMED.labels(self.name, record.topic, outcome).inc()
                # one commit per partition's batch, not per event: each event was applied (or
                # parked) in its own transaction with its id in processed_events, so after a
                # crash the uncommitted tail comes again and is recognised as a duplicate
                await consumer.commit({TopicPartition(tp.topic, tp.partition): records[-1].offset + 1})
                OFFSET_COMMITS.labels(self.name).inc()
