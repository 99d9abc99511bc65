"""Each service's migrations build exactly its tables, and go down and up again cleanly."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from alembic import command

from airline.platform.db import make_engine
from airline.platform.migrations import alembic_config, downgrade, upgrade
from airline.platform.runtime import definition_of
from airline.platform.settings import SERVICES


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
