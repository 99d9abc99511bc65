"""PostgreSQL access: one async engine per process, a schema per service, and the unit of work.

Services use SQLAlchemy Core on an AsyncConnection: every use case runs inside `async with
uow:` and nothing is written unless `await uow.commit()` runs. Events recorded with
`uow.emit(...)` land in the service's outbox in the same transaction (transactional outbox).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from airline.contracts.events import EventType, by_topic
from airline.platform import simclock
from airline.platform.events import Envelope
from airline.platform.settings import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_RECYCLE_SECONDS, DEFAULT_POOL_SIZE
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


def make_engine(
    url: str,
    *,
    pool_size: int = DEFAULT_POOL_SIZE,
    max_overflow: int = DEFAULT_MAX_OVERFLOW,
    pool_recycle: float = DEFAULT_POOL_RECYCLE_SECONDS,
    application_name: str = "",
) -> AsyncEngine:
    """An engine without a pre-ping (a round trip before every checkout): connections are
    recycled after `pool_recycle` seconds instead, and one the server closed (PostgreSQL
    restarted or terminated it: asyncpg saw the socket end) is replaced at checkout without a
    round trip. A connection that died silently fails its first use; SQLAlchemy then treats
    it as a disconnect and drops every older pooled connection, so one request fails, not many.
    `application_name` names the connections in pg_stat_activity and in the server's log
    (`%a` of log_line_prefix): which service holds a connection, runs a statement, waits on a lock."""
    connect_args = {"server_settings": {"application_name": application_name[:63]}} if application_name else {}
    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=int(pool_recycle),
        connect_args=connect_args,
    )
    sa.event.listen(engine.sync_engine, "checkout", _replace_if_closed)
    return engine


def _replace_if_closed(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """Pool checkout hook: a connection whose socket is closed is invalidated and another one
    taken (SQLAlchemy retries the checkout on DisconnectionError); asyncpg knows it without
    asking the server."""
    raw = getattr(dbapi_connection, "_connection", None)
    if raw is not None and raw.is_closed():
        raise sa.exc.DisconnectionError("the server closed this pooled connection")


def utcnow() -> datetime:
    """Now, in UTC: the wall clock, or the instant a simulation's request plays (platform/simclock.py)."""
    return simclock.now()


def any_of(column: sa.ColumnElement[Any], values: Iterable[Any]) -> sa.ColumnElement[bool]:
    """`column = ANY($1)`, the values sent as one array: the same SQL text for any number of
    values, so SQLAlchemy compiles it once and asyncpg prepares it once. `column.in_(values)`
    renders one placeholder per value: a statement of its own for every length of the list
    (compiled, parsed and planned again each time), which a search over hundreds of flights pays."""
    return column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(column.type)))


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


def outbox_channel(schema: str) -> str:
    """The NOTIFY channel of a schema's outbox ("booking_outbox")."""
    return f"{schema}_outbox"


_NOTIFY = sa.text("SELECT pg_notify(:channel, :instance)")


async def notify_outbox(conn: AsyncConnection, db: ServiceDatabase) -> None:
    """Wake the service's outbox relay, wherever it runs, when this transaction commits."""
    await conn.execute(_NOTIFY, {"channel": db.outbox_channel, "instance": db.instance})


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
        # Writers in other processes (another replica, `airline events replay`) wake the relay
        # with a NOTIFY on this channel, sent with the transaction that wrote the rows; the
        # payload names the writing process, so a relay skips the wake-ups of its own.
        self.outbox_channel = outbox_channel(metadata.schema or "public")
        self.instance = uuid.uuid4().hex
        # called with (conn, topic, key, payload) for every event written, in its transaction:
        # a service's own record of its events (the booking's history)
        self.on_emit: Callable[[AsyncConnection, str, str, dict[str, Any]], Awaitable[None]] | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A pooled connection for reads that need no transaction: each statement runs on its
        own (autocommit), so there is no BEGIN/ROLLBACK round trip around it. For one statement,
        or reads that need not share one snapshot; anything that writes or decides on what it
        read uses `uow()`."""
        async with self.engine.connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")


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
        if not self._emitted:  # delivered at commit, dropped with a rollback
            await notify_outbox(self.conn, self.db)
        self._emitted += 1
        if self.db.on_emit is not None:
            await self.db.on_emit(self.conn, topic, key, ready["payload"])
        return envelope


def _json_ready(envelope: Envelope) -> dict[str, Any]:
    import json

    ready: dict[str, Any] = json.loads(envelope.to_json())
    return ready
