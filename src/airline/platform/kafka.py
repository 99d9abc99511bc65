"""aiokafka clients configured the way the platform needs them.

Tansu (the embedded broker) does not support idempotent producers or transactions, so the
platform never relies on them: exactly-once effects come from the outbox + idempotent consumer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.client import AIOKafkaClient
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.protocol.metadata import MetadataRequest

log = logging.getLogger(__name__)

DEFAULT_PARTITIONS = 4


def make_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap, client_id=client_id, acks="all", linger_ms=2, request_timeout_ms=10_000
    )


def make_consumer(
    bootstrap: str, group_id: str, *topics: str, session_timeout_ms: int = 10_000, fetch_max_wait_ms: int = 500
) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        client_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(300, session_timeout_ms // 4),
        metadata_max_age_ms=5_000,
        # how long the broker may hold a fetch while no data arrives: live feeds want it short
        fetch_max_wait_ms=fetch_max_wait_ms,
    )


def make_reader(bootstrap: str, client_id: str, *, fetch_max_wait_ms: int = 500) -> AIOKafkaConsumer:
    """A consumer in no group, for partitions it assigns itself: it commits nothing and starts
    where it seeks (a partition it was never placed in starts at its newest event)."""
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="latest",
        fetch_max_wait_ms=fetch_max_wait_ms,
    )


async def topic_partitions(bootstrap: str, topics: list[str]) -> list[TopicPartition]:
    """Every partition of `topics`, creating the topics that do not exist yet."""
    async with _admin(bootstrap) as admin:
        await _create_missing(admin, topics, DEFAULT_PARTITIONS)
        described = await admin.describe_topics(topics)
    found = [
        TopicPartition(t["topic"], p["partition"]) for t in described if t["topic"] in topics for p in t["partitions"]
    ]
    if {tp.topic for tp in found} != set(topics):
        raise KafkaError(f"no partitions known yet for {sorted(set(topics) - {tp.topic for tp in found})}")
    return found


@asynccontextmanager
async def _admin(bootstrap: str) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="airline-admin")
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def ensure_topics(bootstrap: str, topics: list[str], partitions: int = DEFAULT_PARTITIONS) -> None:
    """Create topics a consumer subscribes to before anything was produced to them."""
    async with _admin(bootstrap) as admin:
        await _create_missing(admin, topics, partitions)


async def _create_missing(admin: AIOKafkaAdminClient, topics: list[str], partitions: int) -> None:
    existing = set(await admin.list_topics())
    missing = [t for t in topics if t not in existing]
    if missing:
        try:
            await admin.create_topics(
                [NewTopic(name=t, num_partitions=partitions, replication_factor=1) for t in missing]
            )
        except TopicAlreadyExistsError:
            pass
        except KafkaError as e:  # another process created it first, or auto-create will
            log.info("create topics %s: %s", missing, e)


async def cluster_id(client: AIOKafkaClient) -> str:
    """The broker cluster's id (Metadata v2+). A broker that comes back with another id has lost
    its log and its consumer offsets: the embedded broker gets a fresh id at every start, so
    the outbox relays publish again what they had sent it and consumers start over."""
    node = client.get_random_node()
    if node is None:
        raise KafkaError("no broker known yet")
    reply = await client.send(node, MetadataRequest([], False))
    return str(getattr(reply, "cluster_id", None) or "")
