"""Each service's migrations build exactly its tables, and go down and up again cleanly."""
from __future__ import annotations

import asyncio
import uuid
from typing import AsyncIterator

import pytest
import sqlalchemy as sa
from alembic import command

from airline.platform.db import make_engine
from airline.platform.migrations import alembic_config, downgrade, upgrade
from airline.platform.runtime import definition_of
from airline.platform.settings import SERVICES


@pytest.fixture
async def scratch_database(stack: dict[str, str]) -> AsyncIterator[str]:
    """A database of its own on the session's server, so going down does not hurt other tests."""
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = make_engine(stack["DATABASE_URL"], pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = stack["DATABASE_URL"].replace("/postgres?", f"/{name}?")
    try:
        yield url
    finally:
        # Tidying up only: a drop that races a closing backend of the test is tried again
        # rather than failing a test whose assertions all passed.
        for attempt in range(5):
            try:
                async with admin.connect() as conn:
                    await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except sa.exc.DBAPIError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.5)
        await admin.dispose()


async def _tables(url: str, schema: str) -> set[str]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                sa.text("select table_name from information_schema.tables where table_schema = :s"), {"s": schema}
            )
            return {r[0] for r in rows}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_the_code_and_reverse_cleanly(service: str, scratch_database: str) -> None:
    d = definition_of(service)
    schema = d.metadata.schema
    assert schema
    await asyncio.to_thread(upgrade, d.migrations_package, scratch_database, schema)
    # autogenerate finds nothing to add: the migrations and store.py agree
    await asyncio.to_thread(command.check, alembic_config(d.migrations_package, scratch_database, schema))
    expected = {t.name for t in d.metadata.sorted_tables} | {"alembic_version"}
    assert await _tables(scratch_database, schema) == expected

    await asyncio.to_thread(downgrade, d.migrations_package, scratch_database, schema)
    assert await _tables(scratch_database, schema) == {"alembic_version"}
    await asyncio.to_thread(upgrade, d.migrations_package, scratch_database, schema)
    assert await _tables(scratch_database, schema) == expected
