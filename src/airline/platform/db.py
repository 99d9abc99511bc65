"""PostgreSQL access: one async engine per process, a schema per service, and the unit of work.

Services use SQLAlchemy Core on an AsyncConnection: every use case runs inside `async with
uow:` and nothing is written unless `await uow.commit()` runs. Events recorded with
`uow.emit(...)` land in the service's outbox in the same transaction (transactional outbox).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from airline.contracts.events import EventType, by_topic
from airline.platform.events import Envelope
from airline.platform.tracing import inject


def async_url(url: str) -> str:
    """Accept the usual postgres:// URLs and point SQLAlchemy at asyncpg."""
    for prefix in ("postgresql+asyncpg://", "postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+asyncpg://" + url[len(prefix) :]
            break
    # libpq spells a unix socket directory as ?host=/dir, which asyncpg understands too;
    # an empty password ("postgres:@") is dropped so asyncpg does not send one.
    return url.replace("postgres:@", "postgres@")


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(async_url(url), pool_size=pool_size, max_overflow=5, pool_pre_ping=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def outbox_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "outbox",
        metadata,
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", UUID(as_uuid=False), nullable=False, unique=True),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("envelope", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        # published: when, and to which broker (its cluster id); kept a while to publish again
        # if that broker loses its log (platform/outbox.py)
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("broker", sa.Text, nullable=True),
        sa.Index("outbox_unpublished", "id", postgresql_where=sa.text("published_at IS NULL")),
        sa.Index("outbox_published_at", "published_at", postgresql_where=sa.text("published_at IS NOT NULL")),
    )


def processed_events_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "processed_events",
        metadata,
        sa.Column("consumer", sa.Text, primary_key=True),
        sa.Column("event_id", UUID(as_uuid=False), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def dead_letters_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "dead_letters",
        metadata,
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("consumer", sa.Text, nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint behind an IntegrityError (asyncpg carries it as the cause),
    so a store can tell "seat taken" from "number taken" and map each to its own 4xx."""
    for candidate in (error.orig, getattr(error.orig, "__cause__", None)):
        name = getattr(candidate, "constraint_name", None)
        if name:
            return str(name)
    return None


def service_metadata(schema: str) -> sa.MetaData:
    """A service's MetaData: its own schema, with the outbox, processed_events and
    dead_letters tables every service has (the relay and the consumer use them)."""
    metadata = sa.MetaData(schema=schema)
    outbox_table(metadata)
    processed_events_table(metadata)
    dead_letters_table(metadata)
    return metadata


def flight_route_columns() -> list[sa.Column[Any]]:
    """A flight's number, origin and destination, named and typed alike in every table of
    flights (the flights service's own and the copies other services keep): fresh columns for
    one table."""
    return [sa.Column(name, sa.Text, nullable=False) for name in ("number", "origin", "destination")]


class ServiceDatabase:
    """A service's view of PostgreSQL: its engine, its schema's metadata, its outbox."""

    def __init__(self, engine: AsyncEngine, metadata: sa.MetaData, producer: str) -> None:
        self.engine = engine
        self.metadata = metadata
        self.producer = producer
        self.outbox = metadata.tables[f"{metadata.schema}.outbox"]
        self.processed_events = metadata.tables[f"{metadata.schema}.processed_events"]
        self.dead_letters = metadata.tables[f"{metadata.schema}.dead_letters"]
        # Set after a commit that wrote outbox rows, so the relay publishes at once
        # instead of waiting for its next poll.
        self.outbox_written = asyncio.Event()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self)


class UnitOfWork:
    def __init__(self, db: ServiceDatabase) -> None:
        self.db = db
        self._conn: AsyncConnection | None = None
        self._emitted = 0
        self._after_commit: list[Callable[[], Any]] = []

    @property
    def conn(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._conn

    async def __aenter__(self) -> UnitOfWork:
        self._conn = await self.db.engine.connect()
        await self._conn.begin()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._conn is not None
        try:
            if self._conn.in_transaction():
                await self._conn.rollback()
        finally:
            await self._conn.close()
            self._conn = None

    async def commit(self) -> None:
        await self.conn.commit()
        if self._emitted:
            self.db.outbox_written.set()
        for hook in self._after_commit:
            hook()

    async def rollback(self) -> None:
        await self.conn.rollback()
        self._emitted = 0

    def after_commit(self, hook: Callable[[], Any]) -> None:
        self._after_commit.append(hook)

    async def emit_event(self, event: EventType[Any], key: str, payload: dict[str, Any]) -> Envelope:
        """`emit` for a catalogued event: topic, type and version come from the catalogue."""
        return await self.emit(event.topic, key, event.type, payload, event.version)

    async def emit(self, topic: str, key: str, type_: str, payload: dict[str, Any], version: int = 1) -> Envelope:
        """Record an event in the outbox, in this transaction; the relay publishes it.

        Only catalogued topics, with the catalogue's type and version and a payload its schema
        accepts (as it goes on the wire): a producer breaking its consumers fails at once."""
        event = by_topic(topic)
        if (type_, version) != (event.type, event.version):
            raise ValueError(f"{topic} carries {event.type} v{event.version}, not {type_} v{version}")
        envelope = Envelope(
            type=type_, version=version, producer=self.db.producer, key=key, payload=payload, trace=inject()
        )
        ready = _json_ready(envelope)
        event.validate(ready["payload"])
        await self.conn.execute(
            self.db.outbox.insert().values(event_id=envelope.event_id, topic=topic, key=key, envelope=ready)
        )
        self._emitted += 1
        return envelope


def _json_ready(envelope: Envelope) -> dict[str, Any]:
    import json

    ready: dict[str, Any] = json.loads(envelope.to_json())
    return ready
