"""Live flight status for browsers: Kafka -> Redis pub/sub -> Server-Sent Events.

Every gateway replica runs one `LiveFeed`: a Kafka consumer that reads every partition of its
topics itself, in no consumer group (each replica sees every event, and none waits for a group
to form or leave), starts at the newest events, turns each flight event or
announcement into a ready-to-send message and publishes it on Redis channels
`live:flight:<flight_id>` and `live:airport:<code>` (origin, destination, diversion airport;
announcements on their airport and flight); each bag tracking scan goes to `live:bag:<tag>`. Every replica's `LiveHub` holds ONE Redis
subscription connection for the whole process and multiplexes the channels its SSE clients
follow onto per-client queues, subscribing to a channel when its first local client arrives
and unsubscribing when the last one leaves.

Live data is a view, never the record: a client that may have missed something (Redis dropped,
its queue overflowed) is disconnected, and its EventSource reconnects and gets a fresh snapshot
over gRPC. Each flight message carries the flight's `version`, so a stream drops what is older
than the state it already sent.

Without Redis (a single local process) the hub fans out in-process; without Kafka there is no
feed, and streams send only their snapshot and heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any

import anyio
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from airline.contracts.events import baggage as baggage_events
from airline.contracts.events import flights as flight_events
from airline.gateway.schemas import Announcement, Flight
from airline.platform.consumer import process_span
from airline.platform.events import Envelope
from airline.platform.kafka import make_reader, topic_partitions
from airline.platform.tracing import tracer

log = logging.getLogger(__name__)

# every flight change (each carries the flight's snapshot), announcements and bag scans
FLIGHT_TOPICS = tuple(event.topic for event in flight_events.FLIGHT_CHANGES)
ANNOUNCEMENT_TOPIC = flight_events.ANNOUNCEMENT_MADE.topic
BAG_TRACKED_TOPIC = baggage_events.BAG_TRACKED.topic
TOPICS = (*FLIGHT_TOPICS, ANNOUNCEMENT_TOPIC, BAG_TRACKED_TOPIC)

# Subscribed for the hub's whole life: redis-py can only read a PubSub that has a subscription,
# and it keeps the connection (and its re-subscribe-on-reconnect) alive when no client is.
CONTROL_CHANNEL = "live:_hub"


def flight_channel(flight_id: str) -> str:
    return f"live:flight:{flight_id}"


def airport_channel(code: str) -> str:
    return f"live:airport:{code.upper()}"


def bag_channel(tag: str) -> str:
    return f"live:bag:{tag}"


class LiveUnavailable(Exception):
    """Live updates cannot be followed right now (Redis is unreachable)."""


class SubscriptionLost(Exception):
    """The stream may have missed messages (overflow, Redis reconnect, shutdown): end it so that
    the client reconnects and starts again from a snapshot."""


_LOST = object()


class Subscription:
    """One SSE client's view of some channels: a bounded queue of messages (dicts shared with
    other subscribers: read only)."""

    def __init__(self, channels: Iterable[str], queue_size: int) -> None:
        self.channels = tuple(dict.fromkeys(channels))
        self._queue: asyncio.Queue[Any] = asyncio.Queue(queue_size)
        self.lost = False

    def deliver(self, message: dict[str, Any]) -> None:
        if self.lost:
            return
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:  # a client that does not keep up starts again from a snapshot
            self.lose()

    def lose(self) -> None:
        if self.lost:
            return
        self.lost = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_LOST)

    async def next(self) -> dict[str, Any]:
        item = await self._queue.get()
        if item is _LOST:
            self._queue.put_nowait(_LOST)
            raise SubscriptionLost()
        return item  # type: ignore[no-any-return]


class LiveHub:
    """Publishes live messages and fans them out to this process's subscribers (through Redis
    pub/sub when Redis is configured, so that every replica's clients get every message)."""

    def __init__(self, redis: Redis | None, *, queue_size: int = 256, subscribe_timeout: float = 3.0) -> None:
        self.redis = redis
        self.queue_size = queue_size
        self.subscribe_timeout = subscribe_timeout
        self._subs: dict[str, set[Subscription]] = {}
        self._confirmed: dict[str, asyncio.Event] = {}
        self._pending: dict[str, int] = {}  # SUBSCRIBEs sent per channel and not yet confirmed
        self._lock = asyncio.Lock()
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        if self.redis is not None:
            self._pubsub = self.redis.pubsub()
            self._reader = asyncio.create_task(self._read_loop(), name="live-hub-reader")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        for subs in list(self._subs.values()):
            for sub in subs:
                sub.lose()
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
            self._pubsub = None

    @property
    def channel_count(self) -> int:
        """Channels this process currently follows for its clients."""
        return len(self._subs)

    # -- publishing ---------------------------------------------------------------------

    async def publish(self, channels: Iterable[str], message: dict[str, Any]) -> None:
        channels = list(dict.fromkeys(channels))
        if self.redis is None:
            for channel in channels:
                self._deliver(channel, message)
            return
        payload = json.dumps(message, separators=(",", ":"))
        async with self.redis.pipeline(transaction=False) as pipe:
            for channel in channels:
                pipe.publish(channel, payload)
            await pipe.execute()

    # -- subscribing --------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def subscribe(self, channels: Iterable[str]) -> AsyncIterator[Subscription]:
        """Follow `channels`; once entered, every message published from now on is delivered
        (the Redis subscription is confirmed), so a snapshot read afterwards misses nothing."""
        sub = Subscription(channels, self.queue_size)
        await self._add(sub)
        try:
            if self._pubsub is not None:
                waits = [self._confirmed[c].wait() for c in sub.channels]
                try:
                    await asyncio.wait_for(asyncio.gather(*waits), self.subscribe_timeout)
                except TimeoutError:
                    raise LiveUnavailable("the live update channel did not confirm the subscription") from None
            yield sub
        finally:
            # Runs when the client went away: never let a cancellation skip the unsubscribe.
            with anyio.CancelScope(shield=True):
                await self._remove(sub)

    async def _add(self, sub: Subscription) -> None:
        async with self._lock:
            new = []
            for channel in sub.channels:
                subs = self._subs.setdefault(channel, set())
                if not subs:
                    new.append(channel)
                    self._confirmed[channel] = asyncio.Event()
                subs.add(sub)
            if not new or self._pubsub is None:
                for channel in new:
                    self._confirmed[channel].set()
                return
            for channel in new:
                self._pending[channel] = self._pending.get(channel, 0) + 1
            try:
                await self._pubsub.subscribe(*new)
            except Exception as e:
                for channel in new:
                    self._pending[channel] = max(0, self._pending.get(channel, 0) - 1)
                self._forget(sub)
                log.warning("live: cannot subscribe to %s: %s", new, e)
                raise LiveUnavailable("live updates are unavailable right now") from e

    async def _remove(self, sub: Subscription) -> None:
        async with self._lock:
            gone = self._forget(sub)
            if gone and self._pubsub is not None:
                try:
                    await self._pubsub.unsubscribe(*gone)
                except Exception as e:  # the connection is gone: the re-subscribe on reconnect skips them
                    log.warning("live: cannot unsubscribe from %s: %s", gone, e)

    def _forget(self, sub: Subscription) -> list[str]:
        gone = []
        for channel in sub.channels:
            subs = self._subs.get(channel)
            if subs is None:
                continue
            subs.discard(sub)
            if not subs:
                del self._subs[channel]
                self._confirmed.pop(channel, None)
                gone.append(channel)
        return gone

    def _deliver(self, channel: str, message: dict[str, Any]) -> None:
        for sub in list(self._subs.get(channel, ())):
            sub.deliver(message)

    async def _read_loop(self) -> None:
        assert self._pubsub is not None
        pubsub = self._pubsub
        backoff = 0.2
        following = False
        while True:
            try:
                if not following:  # later reconnects re-subscribe by themselves (redis-py)
                    await pubsub.subscribe(CONTROL_CHANNEL)
                    following = True
                message = await pubsub.get_message(timeout=1.0)
                backoff = 0.2
                if message is not None:
                    self._on_message(message)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # Redis is down or restarting: whoever follows may miss messages
                log.warning("live: Redis subscription failed, retrying in %.1fs: %s", backoff, e)
                for subs in list(self._subs.values()):
                    for sub in list(subs):
                        sub.lose()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def _on_message(self, message: dict[str, Any]) -> None:
        raw_channel = message.get("channel")
        channel = raw_channel.decode() if isinstance(raw_channel, bytes) else str(raw_channel)
        kind = message.get("type")
        if kind == "subscribe":
            left = max(0, self._pending.get(channel, 0) - 1)
            if left:
                self._pending[channel] = left
            else:
                self._pending.pop(channel, None)
                event = self._confirmed.get(channel)
                if event is not None:
                    event.set()
        elif kind == "message" and channel in self._subs:
            try:
                data = json.loads(message["data"])
            except (TypeError, ValueError):
                log.warning("live: unreadable message on %s dropped", channel)
                return
            self._deliver(channel, data)


# --- Kafka -> hub ---------------------------------------------------------------------------


def render(topic: str, envelope: Envelope) -> tuple[list[str], dict[str, Any]]:
    """The channels an event goes to and the message SSE streams send for it."""
    payload = envelope.payload
    if topic == BAG_TRACKED_TOPIC:
        # never the contact phone the event carries for notifications
        data = baggage_events.BagTrackedPublic.model_validate(payload).model_dump(mode="json")
        message = {
            "event": "bag",
            "id": envelope.event_id,
            "type": envelope.type,
            "tag": payload["tag"],
            "seq": int(payload["seq"]),
            "data": data,
        }
        return [bag_channel(payload["tag"])], message
    if topic == ANNOUNCEMENT_TOPIC:
        announcement = Announcement.model_validate(payload)
        message = {
            "event": "announcement",
            "id": envelope.event_id,
            "type": envelope.type,
            "flight_id": announcement.flight_id,
            "airport": announcement.airport,
            "version": 0,
            "data": announcement.model_dump(mode="json"),
        }
        return [airport_channel(announcement.airport), flight_channel(announcement.flight_id)], message
    flight = Flight.model_validate(payload["flight"])
    details = {k: v for k, v in payload.items() if k not in ("flight", "previous_status")}
    message = {
        "event": "flight",
        "id": envelope.event_id,
        "type": envelope.type,
        "flight_id": flight.id,
        "version": flight.version,
        "origin": flight.origin,
        "destination": flight.destination,
        "diverted_to": flight.diverted_to,
        "data": {
            "type": envelope.type,
            "occurred_at": envelope.occurred_at,
            "previous_status": payload.get("previous_status"),
            "details": details,
            "flight": flight.model_dump(mode="json"),
        },
    }
    channels = [flight_channel(flight.id), airport_channel(flight.origin), airport_channel(flight.destination)]
    if flight.diverted_to:
        channels.append(airport_channel(flight.diverted_to))
    return channels, message


# How long the broker may hold the live feed's fetch. The embedded broker answers a fetch only
# when this runs out, even when events arrive meanwhile, so it is both the feed's added delay
# (at most this, a quarter second on average) and its idle cost: one consumer of the feed's
# topics costs the embedded broker 0.073 CPU-s per second at 100 ms, 0.034-0.040 at 250 ms and
# 0.019-0.024 at 500 ms (bench/broker_fetch_wait.py), in every gateway process and all day. Half a second behind is
# still live to someone watching a departures board, a bag or an announcement (seat maps go
# through Redis, not this feed).
LIVE_FETCH_WAIT_MS = 500


class LiveFeed:
    """The process's one Kafka consumer of flight events and announcements, feeding the hub.
    Runs until stopped; a broker that is down is retried, never fatal.

    It assigns itself every partition of its topics rather than joining a consumer group: a
    group of one gains nothing (it commits no offsets, it starts at the newest event) and costs
    a join the broker may delay by seconds at every start, a leave at every stop and a heartbeat
    all day. Partitions added to a topic while it runs are read from the next start (a rolling
    restart of the gateways after ops repartitions a topic)."""

    def __init__(
        self, hub: LiveHub, bootstrap: str, *, name: str | None = None, fetch_max_wait_ms: int = LIVE_FETCH_WAIT_MS
    ) -> None:
        self.hub = hub
        self.bootstrap = bootstrap
        # names this process's feed in the broker's client list and in traces
        self.name = name or f"gateway-live-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self.consumer: AIOKafkaConsumer | None = None
        self.ready = asyncio.Event()  # every partition assigned: events from now on are relayed
        self.relayed = 0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._tracer = tracer("airline.gateway.live")

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="live-feed")

    async def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        except Exception:  # run() never raises, but stopping must not either
            log.exception("live feed ended with an error")
        self._task = None

    async def run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                partitions = await topic_partitions(self.bootstrap, list(TOPICS))
                self.consumer = make_reader(self.bootstrap, self.name, fetch_max_wait_ms=self.fetch_max_wait_ms)
                await self.consumer.start()
                self.consumer.assign(partitions)
                await self.consumer.seek_to_end(*partitions)
                self.ready.set()
                backoff = 0.5
                await self._consume(self.consumer)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # broker down or restarting: the gateway keeps serving
                log.warning("live feed: Kafka unavailable, retrying in %.1fs: %s", backoff, e)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                self.ready.clear()
                consumer, self.consumer = self.consumer, None
                if consumer is not None:
                    with contextlib.suppress(Exception):
                        await consumer.stop()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        while not self._stop.is_set():
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            for records in batches.values():
                for record in records:
                    await self._relay(record)

    async def _relay(self, record: ConsumerRecord) -> None:
        try:
            envelope = Envelope.from_json(record.value)
            channels, message = render(record.topic, envelope)
        except Exception as e:  # one bad event must not stop the board
            log.warning("live feed: skipping unreadable event on %s at %s: %s", record.topic, record.offset, e)
            return
        with process_span(self._tracer, record, envelope, self.name):
            for attempt in range(3):
                try:
                    await self.hub.publish(channels, message)
                    self.relayed += 1
                    return
                except Exception as e:
                    if attempt == 2:
                        # Live updates are best effort; clients lost the Redis link and resync.
                        log.warning("live feed: dropping %s for %s: %s", envelope.type, channels, e)
                        return
                    await asyncio.sleep(0.2 * (attempt + 1))
