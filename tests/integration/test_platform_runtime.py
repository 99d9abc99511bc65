"""The platform's cheaper runtime against the real PostgreSQL (issue 16): a pooled connection the
server closed is replaced at checkout without a pre-ping; reads without a transaction; a list of
values sent as one array; the outbox relay wakes on a NOTIFY from another process's commit and
listens again after its connection was cut."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from airline.platform.db import ServiceDatabase, any_of, make_engine, notify_outbox, service_metadata
from airline.platform.embedded import EmbeddedPostgres
from airline.platform.outbox import OutboxRelay


async def _terminate(url: str, pids: list[int]) -> None:
    admin = make_engine(url, pool_size=1)
    try:
        async with admin.connect() as conn:
            await conn.execute(
                sa.text("select pg_terminate_backend(pid) from unnest(cast(:p as int[])) as pid"), {"p": pids}
            )
            await conn.commit()
    finally:
        await admin.dispose()


async def test_the_server_has_the_connection_limit_the_pools_are_sized_for(stack: dict[str, str]) -> None:
    # the session's server is raised to 300 (tests/conftest.py: a second platform shares it);
    # the setting is applied, and never below the platform's default budget
    engine = make_engine(stack["DATABASE_URL"], pool_size=1)
    try:
        async with engine.connect() as conn:
            assert int(await conn.scalar(sa.text("show max_connections"))) == 300 > EmbeddedPostgres.MAX_CONNECTIONS
    finally:
        await engine.dispose()


async def test_a_pooled_connection_the_server_closed_is_replaced_without_an_error(stack: dict[str, str]) -> None:
    url = stack["DATABASE_URL"]
    engine = make_engine(url, pool_size=2)
    try:
        async with engine.connect() as a, engine.connect() as b:  # two connections into the pool
            pids = [
                await a.scalar(sa.text("select pg_backend_pid()")),
                await b.scalar(sa.text("select pg_backend_pid()")),
            ]
        await _terminate(url, pids)  # as a PostgreSQL restart does to every pooled connection
        await asyncio.sleep(0.3)  # asyncpg sees the sockets close
        for _ in range(3):
            async with engine.connect() as conn:
                assert await conn.scalar(sa.text("select pg_backend_pid()")) not in pids
    finally:
        await engine.dispose()


async def test_reads_run_without_a_transaction_and_connections_carry_the_services_name(stack: dict[str, str]) -> None:
    """`ServiceDatabase.reading()` sends no BEGIN: each statement is a transaction of its own (two
    statements get two transaction ids; inside BEGIN...ROLLBACK they share one); the engine's
    application_name shows in pg_stat_activity (and the log's %a)."""
    name = f"airline-test-{uuid.uuid4().hex[:6]}"
    engine = make_engine(stack["DATABASE_URL"], pool_size=1, application_name=name)
    db = ServiceDatabase(engine, service_metadata(f"reads_{uuid.uuid4().hex[:8]}"), producer="reads-test")
    xid = sa.text("select txid_current()")
    try:
        async with db.reading() as conn:
            assert await conn.scalar(xid) != await conn.scalar(xid)
            assert await conn.scalar(sa.text("select current_setting('application_name')")) == name
        async with db.uow() as uow:  # the unit of work is one transaction
            assert await uow.conn.scalar(xid) == await uow.conn.scalar(xid)
        async with db.reading() as conn:
            assert (
                await conn.scalar(
                    sa.text("select count(*) from pg_stat_activity where application_name = :n"), {"n": name}
                )
                == 1
            )
        async with engine.connect() as conn:  # the pooled connection went back to transactions
            assert await conn.scalar(xid) == await conn.scalar(xid)
    finally:
        await engine.dispose()


async def test_any_of_finds_what_in_finds_with_one_statement_for_any_number_of_values(stack: dict[str, str]) -> None:
    """`any_of(column, values)` sends the values as one array: the rows `in_` finds, with the same
    SQL text for 1 and 500 values (compiled and prepared once), where `in_` sends a statement of
    its own for each length of the list."""
    engine = make_engine(stack["DATABASE_URL"], pool_size=1)
    sent: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    table = sa.table("any_of_test", sa.column("id", sa.Text))
    keys = [f"k{uuid.uuid4().hex[:6]}-{i}" for i in range(600)]
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text("create temporary table any_of_test (id text primary key)"))
            await conn.execute(sa.insert(table), [{"id": k} for k in keys])
            found: dict[tuple[str, int], set[str]] = {}
            for how, where in (("any_of", any_of), ("in_", lambda c, v: c.in_(v))):
                for n in (1, 500):
                    wanted = [*keys[:n], "not-there"]
                    sent.clear()
                    rows = await conn.execute(sa.select(table.c.id).where(where(table.c.id, wanted)))
                    found[(how, n)] = set(rows.scalars())
                    found[(how, -n)] = {sent[-1]}  # the SQL text sent
            assert set(await conn.scalars(sa.select(table.c.id).where(any_of(table.c.id, [])))) == set()
            await conn.rollback()
    finally:
        await engine.dispose()
    for n in (1, 500):
        assert found[("any_of", n)] == found[("in_", n)] == set(keys[:n])
    assert found[("any_of", -1)] == found[("any_of", -500)]
    assert found[("in_", -1)] != found[("in_", -500)]


@pytest.fixture
async def scratch_outbox(stack: dict[str, str]) -> AsyncIterator[tuple[ServiceDatabase, ServiceDatabase]]:
    """Two processes' views of one fresh schema's outbox: the relay's and another writer's."""
    schema = f"relay_{uuid.uuid4().hex[:8]}"
    metadata = service_metadata(schema)
    engine = make_engine(stack["DATABASE_URL"], pool_size=2)
    async with engine.begin() as conn:
        await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        await conn.run_sync(metadata.create_all)
    relay_db = ServiceDatabase(engine, metadata, producer="relay-test")
    writer_db = ServiceDatabase(engine, metadata, producer="relay-test")  # another instance id
    try:
        yield relay_db, writer_db
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


async def _commit_notify(db: ServiceDatabase) -> None:
    async with db.engine.begin() as conn:
        await notify_outbox(conn, db)


async def test_the_relay_wakes_on_another_process_commit_and_listens_again_after_a_cut(
    stack: dict[str, str], scratch_outbox: tuple[ServiceDatabase, ServiceDatabase]
) -> None:
    relay_db, writer_db = scratch_outbox
    relay = OutboxRelay(relay_db, stack["KAFKA_BOOTSTRAP_SERVERS"], poll_interval=60, listen=True)
    stop = asyncio.Event()
    listener = asyncio.create_task(relay._listen(stop))
    try:
        await asyncio.wait_for(relay.listening.wait(), 10)
        relay_db.outbox_written.clear()

        await _commit_notify(relay_db)  # its own process's commits wake it in-process, not twice
        await asyncio.sleep(0.5)
        assert not relay_db.outbox_written.is_set()

        async with writer_db.engine.begin() as conn:  # rolled back: no wake-up
            await notify_outbox(conn, writer_db)
            await conn.rollback()
        await asyncio.sleep(0.5)
        assert not relay_db.outbox_written.is_set()

        await _commit_notify(writer_db)
        await asyncio.wait_for(relay_db.outbox_written.wait(), 5)  # long before the 60 s poll

        # the LISTEN connection is cut (PostgreSQL restarted): it comes back, and wakes the relay
        # for whatever was committed while nobody listened
        async with relay_db.engine.connect() as conn:
            pids = (
                await conn.execute(
                    sa.text("select pid from pg_stat_activity where query ilike :q"),
                    {"q": f'LISTEN "{relay_db.outbox_channel}"%'},
                )
            ).scalars()
            pids_list = list(pids)
        assert pids_list, "the relay listens on a connection of its own"
        relay_db.outbox_written.clear()
        await _terminate(stack["DATABASE_URL"], pids_list)
        await asyncio.wait_for(relay_db.outbox_written.wait(), 15)
        await asyncio.wait_for(relay.listening.wait(), 15)
        relay_db.outbox_written.clear()
        await _commit_notify(writer_db)
        await asyncio.wait_for(relay_db.outbox_written.wait(), 5)
    finally:
        stop.set()
        await asyncio.wait_for(listener, 10)
