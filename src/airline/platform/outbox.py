"""The outbox relay: publishes what services committed to their outbox tables.

A committed event is delivered even if the broker was down at commit time (the relay keeps
retrying); a rolled-back transaction never wrote a row, so it emits nothing. Delivery is at
least once: a crash between send and delete re-sends, and consumers de-duplicate by event_id.
Only one relay per service publishes at a time (a transaction-scoped advisory lock), which keeps
each aggregate's events in commit order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import zlib

import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from airline.platform.db import ServiceDatabase
from airline.platform.kafka import make_producer
from airline.platform.metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        db: ServiceDatabase,
        bootstrap: str,
        *,
        batch_size: int = 200,
        poll_interval: float = 0.5,
        max_backoff: float = 5.0,
    ) -> None:
        self.db = db
        self.bootstrap = bootstrap
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self._producer: AIOKafkaProducer | None = None
        self._lock_key = zlib.crc32(f"outbox:{db.metadata.schema}".encode())

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = make_producer(self.bootstrap, f"{self.db.producer}-relay")
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        if self._producer is not None:
            try:
                await self._producer.stop()
            except Exception:  # the broker is gone; nothing to flush
                pass
            self._producer = None

    async def publish_batch(self) -> int:
        """Publish up to one batch; returns how many events were sent (0 when idle or locked)."""
        outbox = self.db.outbox
        async with self.db.engine.connect() as conn:
            async with conn.begin():
                got = await conn.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(self._lock_key)))
                if not got:
                    return 0
                rows = (
                    await conn.execute(
                        sa.select(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.envelope)
                        .order_by(outbox.c.id)
                        .limit(self.batch_size)
                    )
                ).all()
                if not rows:
                    OUTBOX_BACKLOG.labels(self.db.producer).set(0)
                    return 0
                producer = await self._ensure_producer()
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
                await conn.execute(outbox.delete().where(outbox.c.id.in_([r.id for r in rows])))
            OUTBOX_PUBLISHED.labels(self.db.producer).inc(len(rows))
            if len(rows) < self.batch_size:
                OUTBOX_BACKLOG.labels(self.db.producer).set(0)
            else:  # more may be waiting: report how many, for the backlog alert
                OUTBOX_BACKLOG.labels(self.db.producer).set(
                    await conn.scalar(sa.select(sa.func.count()).select_from(outbox)) or 0
                )
            return len(rows)

    async def run(self, stop: asyncio.Event) -> None:
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
            self.db.outbox_written.clear()
            waiter = asyncio.ensure_future(self.db.outbox_written.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, timeout=self.poll_interval, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()
        await self._drop_producer()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
