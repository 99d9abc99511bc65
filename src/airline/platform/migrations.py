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
