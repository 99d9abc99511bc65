"""The outbox relay: publishes what services committed to their outbox tables.

A committed event is delivered even if the broker was down at commit time (the relay keeps
retrying); a rolled-back transaction never wrote a row, so it emits nothing. Delivery is at
least once: a crash between send and marking re-sends, and consumers de-duplicate by event_id.

A published event stays in the outbox for `outbox_replay_window_seconds`, marked with the
broker's cluster id. When the broker answers with another id (the embedded broker keeps its log
in memory and gets a fresh id at each start, so one that was killed comes back empty), the
events sent to the old one are published again: an event the broker lost before a consumer read
it is not lost with it. Set the window to 0 for a broker that never loses an acknowledged event.
Only one relay per service publishes at a time (a transaction-scoped advisory lock), which keeps
each aggregate's events in commit order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import zlib
from typing import Any

import asyncpg
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.platform.db import ServiceDatabase
from airline.platform.kafka import cluster_id, ensure_topics, make_producer
from airline.platform.metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED, OUTBOX_REPLAYED
from airline.platform.periodic import wait_or_stop

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        db: ServiceDatabase,
        bootstrap: str,
        *,
        batch_size: int = 200,
        poll_interval: float = 5.0,
        max_backoff: float = 5.0,
        replay_window: float = 900.0,
        broker_check_interval: float = 5.0,
        listen: bool = False,
    ) -> None:
        self.db = db
        self.bootstrap = bootstrap
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.replay_window = replay_window
        self.broker_check_interval = broker_check_interval
        self._producer: AIOKafkaProducer | None = None
        self._broker: str | None = None  # the cluster id of the broker the producer talks to
        self._topics_ready: set[str] = set()  # created on that broker
        self._broker_checked = 0.0
        self._pruned = 0.0
        self._lock_key = zlib.crc32(f"outbox:{db.metadata.schema}".encode())
        self.listen = listen
        self.listening = asyncio.Event()  # set while the LISTEN connection is up

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = make_producer(self.bootstrap, f"{self.db.producer}-relay")
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
            self._broker = None
        return self._producer

    async def _drop_producer(self) -> None:
        if self._producer is not None:
            try:
                await self._producer.stop()
            except Exception:  # the broker is gone; nothing to flush
                pass
            self._producer = None
            self._broker = None

    async def _connect(self, conn: AsyncConnection) -> tuple[AIOKafkaProducer, str]:
        """A producer and the cluster id of its broker, asked again every few seconds. Events
        kept as published to another cluster (a broker that restarted empty) go back to the
        queue, to be sent again, through a new producer: the old one's metadata names topics the
        new broker does not have, and the embedded broker acknowledges writes to them unread."""
        producer = await self._ensure_producer()
        now = time.monotonic()
        if self._broker is not None and now - self._broker_checked < self.broker_check_interval:
            return producer, self._broker
        broker = await cluster_id(producer.client)
        self._broker_checked = now
        if self._broker is not None and broker != self._broker:
            await self._drop_producer()
            producer = await self._ensure_producer()
            broker = await cluster_id(producer.client)
        if broker != self._broker:
            self._topics_ready.clear()
            outbox = self.db.outbox
            lost = await conn.execute(
                outbox.update()
                .where(outbox.c.published_at.is_not(None), outbox.c.broker.is_distinct_from(broker))
                .values(published_at=None, broker=None)
            )
            if lost.rowcount:
                OUTBOX_REPLAYED.labels(self.db.producer).inc(lost.rowcount)
                log.warning(
                    "%s: the broker is now cluster %r; publishing again %d event(s) sent to another cluster",
                    self.db.producer,
                    broker,
                    lost.rowcount,
                )
            self._broker = broker
        return producer, broker

    async def _ensure_topics(self, topics: set[str]) -> None:
        """Create the batch's topics on this broker before the first send to each (as consumers
        do): a topic the producer auto-creates may differ from what the consumers asked for."""
        missing = topics - self._topics_ready
        if missing:
            await ensure_topics(self.bootstrap, sorted(missing))
            self._topics_ready |= missing

    async def publish_batch(self) -> int:
        """Publish up to one batch; returns how many events were sent (0 when idle or locked)."""
        outbox = self.db.outbox
        async with self.db.engine.connect() as conn:
            async with conn.begin():
                got = await conn.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(self._lock_key)))
                if not got:
                    return 0
                # connected even when idle: a broker that came back empty is noticed, and what
                # was sent to it goes out again, without waiting for the next event
                producer, broker = await self._connect(conn)
                await self._prune(conn)
                rows = (
                    await conn.execute(
                        sa.select(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.envelope)
                        .where(outbox.c.published_at.is_(None))
                        .order_by(outbox.c.id)
                        .limit(self.batch_size)
                    )
                ).all()
                if not rows:
                    OUTBOX_BACKLOG.labels(self.db.producer).set(0)
                    return 0
                await self._ensure_topics({row.topic for row in rows})
                futures = []
                for row in rows:
                    envelope = row.envelope
                    headers = [("event-type", envelope["type"].encode())]
                    headers += [(k, v.encode()) for k, v in (envelope.get("trace") or {}).items()]
                    futures.append(
                        await producer.send(
                            row.topic,
                            value=json.dumps(envelope, separators=(",", ":")).encode(),
                            key=row.key.encode(),
                            headers=headers,
                        )
                    )
                await asyncio.gather(*futures)
                sent = outbox.c.id.in_([r.id for r in rows])
                if self.replay_window > 0:
                    await conn.execute(outbox.update().where(sent).values(published_at=sa.func.now(), broker=broker))
                else:
                    await conn.execute(outbox.delete().where(sent))
            OUTBOX_PUBLISHED.labels(self.db.producer).inc(len(rows))
            if len(rows) < self.batch_size:
                OUTBOX_BACKLOG.labels(self.db.producer).set(0)
            else:  # more may be waiting: report how many, for the backlog alert
                OUTBOX_BACKLOG.labels(self.db.producer).set((await outbox_backlog(conn, outbox))[0])
            return len(rows)

    async def _prune(self, conn: AsyncConnection, every: float = 30.0) -> None:
        """Forget events published longer ago than the replay window (every `every` seconds)."""
        now = time.monotonic()
        if now - self._pruned < every:
            return
        self._pruned = now
        outbox = self.db.outbox
        await conn.execute(
            outbox.delete().where(
                outbox.c.published_at.is_not(None),
                outbox.c.published_at < sa.func.now() - sa.func.make_interval(0, 0, 0, 0, 0, 0, self.replay_window),
            )
        )

    async def run(self, stop: asyncio.Event) -> None:
        listener = (
            asyncio.create_task(self._listen(stop), name=f"{self.db.producer}-outbox-listen") if self.listen else None
        )
        try:
            await self._publish_until(stop)
        finally:
            if listener is not None:
                listener.cancel()
                try:
                    await listener
                except (asyncio.CancelledError, Exception):
                    pass

    async def _listen(self, stop: asyncio.Event) -> None:
        """LISTEN on the outbox's channel on a connection of its own (outside the pool), so a
        commit in another process wakes this relay at once; reconnects after PostgreSQL went
        away (and wakes the relay then, for what was written meanwhile)."""
        backoff = 0.5
        while not stop.is_set():
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(**listen_args(self.db), timeout=10)
                closed = asyncio.Event()
                conn.add_termination_listener(lambda _conn, closed=closed: closed.set())
                await conn.add_listener(self.db.outbox_channel, self._notified)
                self.listening.set()
                self.db.outbox_written.set()  # anything committed while nobody listened
                backoff = 0.5
                while not stop.is_set() and not closed.is_set() and not conn.is_closed():
                    # the termination callback may not come for a connection the server dropped:
                    # look at the socket every poll interval too (no round trip)
                    await wait_or_stop(stop, self.poll_interval, closed)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as e:
                log.info("%s: outbox LISTEN connection unavailable, retrying: %s", self.db.producer, e)
            finally:
                self.listening.clear()
                if conn is not None:
                    conn.terminate()
            if not stop.is_set():
                await wait_or_stop(stop, backoff)
                backoff = min(backoff * 2, self.max_backoff)

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        if payload != self.db.instance:  # this process's own commits set the event already
            self.db.outbox_written.set()

    async def _publish_until(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            try:
                sent = await self.publish_batch()
                backoff = 0.2
            except Exception as e:  # broker or database down: keep the rows, retry later
                log.warning("outbox relay could not publish, retrying in %.1fs: %s", backoff, e)
                await self._drop_producer()
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            if sent == self.batch_size:
                continue
            # cleared before the wait, set by a commit (here, or NOTIFY from elsewhere): a
            # commit between the batch and this line wakes the next wait at once
            if not self.db.outbox_written.is_set():
                await wait_or_stop(stop, self.poll_interval, self.db.outbox_written)
            self.db.outbox_written.clear()
        await self._drop_producer()


def listen_args(db: ServiceDatabase) -> dict[str, Any]:
    """asyncpg.connect's arguments for a connection to the service's database outside its
    pool, as the engine's own dialect makes them (multi-host URLs and all)."""
    _, params = db.engine.dialect.create_connect_args(db.engine.url)
    for sqlalchemy_only in ("async_creator_fn", "prepared_statement_cache_size", "prepared_statement_name_func"):
        params.pop(sqlalchemy_only, None)
    return dict(params)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    await wait_or_stop(stop, seconds)


async def outbox_backlog(conn: AsyncConnection, outbox: sa.Table) -> tuple[int, float]:
    """(events waiting to be published, age in seconds of the oldest one; 0 when none)."""
    row = (
        await conn.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.extract("epoch", sa.func.now() - sa.func.min(outbox.c.created_at)), 0),
            )
            .select_from(outbox)
            .where(outbox.c.published_at.is_(None))
        )
    ).one()
    return int(row[0]), float(row[1])
