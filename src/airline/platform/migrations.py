"""Alembic, per service: each service keeps its versions in `<service>/migrations/` and its
own version table inside its own schema, so services migrate independently."""

from __future__ import annotations

import asyncio
import zlib

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy.engine import Connection

from airline.platform.db import make_engine


def alembic_config(package: str, url: str, schema: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", f"{package}:migrations")
    cfg.attributes["url"] = url
    cfg.attributes["schema"] = schema
    return cfg


def upgrade(package: str, url: str, schema: str, revision: str = "head") -> None:
    """Bring a service's schema to `revision` (sync: call it via asyncio.to_thread from async code)."""
    command.upgrade(alembic_config(package, url, schema), revision)


def downgrade(package: str, url: str, schema: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(package, url, schema), revision)


def run_env(target_metadata: sa.MetaData) -> None:
    """Body of every service's migrations/env.py (online, async engine)."""
    cfg = context.config
    url: str = cfg.attributes["url"]
    schema: str = cfg.attributes["schema"]

    def run(connection: Connection) -> None:
        # one migrator per schema at a time, even with several replicas starting together
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(zlib.crc32(f"migrate:{schema}".encode()))))
        connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=lambda name, type_, parent: type_ != "schema" or name == schema,
            transaction_per_migration=False,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = make_engine(url, pool_size=1)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(run)
        finally:
            await engine.dispose()

    asyncio.run(main())


def create_messaging_tables_v1(schema: str) -> None:
    """The outbox, processed_events and dead_letters tables every service has (db.py), as of
    version 1. Frozen: a later change to them is a new helper and a new revision in each
    service, so applied migrations never change meaning."""
    from alembic import op
    from sqlalchemy.dialects import postgresql

    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
        schema=schema,
    )
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("event_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
        schema=schema,
    )
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema=schema,
    )


def drop_messaging_tables_v1(schema: str) -> None:
    from alembic import op

    for table in ("dead_letters", "processed_events", "outbox"):
        op.drop_table(table, schema=schema)


def add_outbox_replay_v2(schema: str) -> None:
    """Version 2 of the outbox: a published event stays, marked with when and to which broker
    (cluster id) it went, so it can be published again if that broker loses its log
    (platform/outbox.py); a partial index keeps the relay's look at the unpublished ones cheap."""
    from alembic import op

    op.add_column("outbox", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True), schema=schema)
    op.add_column("outbox", sa.Column("broker", sa.Text(), nullable=True), schema=schema)
    op.create_index(
        "outbox_unpublished", "outbox", ["id"], schema=schema, postgresql_where=sa.text("published_at IS NULL")
    )
    op.create_index(
        "outbox_published_at",
        "outbox",
        ["published_at"],
        schema=schema,
        postgresql_where=sa.text("published_at IS NOT NULL"),
    )


def drop_outbox_replay_v2(schema: str) -> None:
    from alembic import op

    op.execute(sa.text(f'DELETE FROM "{schema}".outbox WHERE published_at IS NOT NULL'))
    op.drop_index("outbox_published_at", table_name="outbox", schema=schema)
    op.drop_index("outbox_unpublished", table_name="outbox", schema=schema)
    op.drop_column("outbox", "broker", schema=schema)
    op.drop_column("outbox", "published_at", schema=schema)
