"""`airline up`: the whole platform on one machine, every service in its own process.

Starts what is not configured as embedded servers, migrates every schema, starts each
service as `airline serve <name>` and waits for its gRPC health, seeds, starts the gateway
and waits for its /healthz, then supervises: a crashed service is restarted (a few times),
and Ctrl-C / SIGTERM stops everything in reverse order, embedded servers last.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from airline.platform.embedded import (
    EmbeddedKafka,
    EmbeddedPostgres,
    EmbeddedRedis,
    die_with_parent,
    reserve,
    stop_process,
)
from airline.platform.grpc import check_health
from airline.platform.metrics import SERVER_RESTARTS, serve_metrics
from airline.platform.migrations import upgrade
from airline.platform.runtime import definition_of
from airline.platform.settings import SERVICES, PlatformSettings

log = logging.getLogger("airline.up")

MAX_RESTARTS = 3
# An embedded server that dies is started again after 1, 2, 4 ... seconds, at most this long
# (its failures are forgotten after it stayed up for a minute); the platform never gives up on it.
SERVER_MAX_BACKOFF_S = 30.0
SERVER_STABLE_S = 60.0


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(self.log_path, "ab")
        # own session: Ctrl-C reaches only the supervisor, which stops children in order;
        # die_with_parent: if the supervisor is killed outright, the children go too
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        out.close()
        self.started_at = time.monotonic()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class WatchedServer:
    """An embedded PostgreSQL, Redis or broker the supervisor restarts when it dies."""

    name: str
    server: EmbeddedPostgres | EmbeddedRedis | EmbeddedKafka
    failures: int = 0
    up_since: float = field(default_factory=time.monotonic)
    retry_at: float | None = None  # when it is down: when to try starting it again

    def backoff(self) -> float:
        return min(SERVER_MAX_BACKOFF_S, 2.0 ** min(self.failures, 10))


class Platform:
    def __init__(self, settings: PlatformSettings, host: str, port: int) -> None:
        self.settings = settings
        self.host = host
        self.port = port
        self.data_dir = Path(settings.data_dir).resolve()
        self.embedded: list[EmbeddedPostgres | EmbeddedRedis | EmbeddedKafka] = []
        self.children: list[Child] = []
        self.servers: list[WatchedServer] = []
        self.stopping = asyncio.Event()

    # -- start -------------------------------------------------------------------------
    def start_backing_services(self) -> dict[str, str]:
        env: dict[str, str] = {}
        s = self.settings
        # an embedded server's free port is drawn now, while the gateway and the services (and
        # their metrics ports, 1000 above) are not listening yet: never one of theirs
        planned = {self.port, *(s.grpc_port(name) for name in SERVICES)}
        reserve(planned | {p + 1000 for p in planned})
        if s.database_url:
            env["DATABASE_URL"] = s.database_url
        else:
            pg = EmbeddedPostgres(self.data_dir / "postgres")
            self.embedded.append(pg)
            self.servers.append(WatchedServer("postgres", pg))
            env["DATABASE_URL"] = pg.start()
            print(f"  PostgreSQL  embedded, data in {pg.datadir}")
        if s.redis_url:
            env["REDIS_URL"] = s.redis_url
        else:
            redis = EmbeddedRedis(self.data_dir / "redis")
            self.embedded.append(redis)
            self.servers.append(WatchedServer("redis", redis))
            env["REDIS_URL"] = redis.start()
            print(f"  Redis       embedded at {env['REDIS_URL']}")
        if s.kafka_bootstrap_servers:
            env["KAFKA_BOOTSTRAP_SERVERS"] = s.kafka_bootstrap_servers
        else:
            kafka = EmbeddedKafka(self.data_dir / "kafka")
            self.embedded.append(kafka)
            self.servers.append(WatchedServer("broker", kafka))
            env["KAFKA_BOOTSTRAP_SERVERS"] = kafka.start()
            print(f"  Kafka       embedded Tansu broker at {env['KAFKA_BOOTSTRAP_SERVERS']}")
        return env

    def child_env(self, backing: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()}
        env.update(backing)
        env.update(
            AIRLINE_ENV=self.settings.env,
            AIRLINE_DATA_DIR=str(self.data_dir),
            AIRLINE_GATEWAY_HOST=self.host,
            AIRLINE_GATEWAY_PORT=str(self.port),
            PYTHONUNBUFFERED="1",
        )
        for name in SERVICES:
            env[f"AIRLINE_{name.upper()}_GRPC"] = self.settings.grpc_target(name)
        return env

    async def start_child(self, name: str, env: dict[str, str], metrics_port: int = 0) -> Child:
        child_env = dict(env)
        if metrics_port:
            child_env["AIRLINE_METRICS_PORT"] = str(metrics_port)
        child = Child(
            name, [sys.executable, "-m", "airline", "serve", name], child_env, self.data_dir / "logs" / f"{name}.log"
        )
        child.start()
        self.children.append(child)
        return child

    async def wait_ready(self, child: Child, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not child.alive():
                raise RuntimeError(f"{child.name} exited while starting; its log ends with:\n{child.tail()}")
            if await self._ready(child):
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{child.name} was not ready within {timeout:.0f}s; its log ends with:\n{child.tail()}")

    async def _ready(self, child: Child) -> bool:
        if child.name == "gateway":
            try:
                async with httpx.AsyncClient(timeout=2) as client:
                    r = await client.get(f"http://{self.host}:{self.port}/healthz")
                return r.status_code == 200
            except httpx.HTTPError:
                return False
        return await check_health(self.settings.grpc_target(child.name), timeout=1.0)

    async def up(self) -> None:
        t0 = time.monotonic()
        print(f"Starting the airline platform (data in {self.data_dir})")
        backing = await asyncio.to_thread(self.start_backing_services)
        env = self.child_env(backing)
        for name in SERVICES:
            d = definition_of(name)
            schema = d.metadata.schema
            assert schema, f"{name} declares no schema"  # every service owns one (DESIGN.md: data)
            await asyncio.to_thread(upgrade, d.migrations_package, backing["DATABASE_URL"], schema)
        print("  migrations  applied")
        for name in SERVICES:
            await self.start_child(name, env, metrics_port=self.settings.grpc_port(name) + 1000)
        for child in list(self.children):
            await self.wait_ready(child)
        print(f"  services    {', '.join(SERVICES)} serving gRPC")
        from airline.seed import seed

        accounts = await seed(self.settings.model_copy(update={"data_dir": self.data_dir}))
        gateway = await self.start_child("gateway", env)
        await self.wait_ready(gateway)
        base = f"http://{self.host}:{self.port}"
        print(f"\nThe airline platform is up ({time.monotonic() - t0:.1f}s).")
        print(f"  API         {base}/api/v1")
        print(f"  API docs    {base}/api/v1/docs")
        print(f"  OpenAPI     {base}/api/v1/openapi.json")
        print(f"  Health      {base}/healthz")
        print(f"  Metrics     {base}/metrics (gateway); services on their gRPC port + 1000;")
        print(
            f"              the supervisor's (server restarts) on http://{self.host}:{self.settings.metrics_port or self.port + 1000}"
        )
        print(f"  Logs        {self.data_dir / 'logs'}")
        if accounts:
            print("\nDemo accounts (local mode only):")
            for role, email, password in accounts:
                print(f"  {role:<10} {email:<28} {password}")
        print("\nPress Ctrl-C to stop.", flush=True)

    # -- supervise and stop ------------------------------------------------------------
    async def watch_servers(self) -> None:
        """Restart an embedded server that died, with backoff; the services reconnect by themselves."""
        now = time.monotonic()
        for watched in self.servers:
            if self.stopping.is_set():
                return
            if watched.retry_at is None:
                if watched.server.alive():
                    if watched.failures and now - watched.up_since > SERVER_STABLE_S:
                        watched.failures = 0
                    continue
                watched.retry_at = now + watched.backoff()
                print(
                    f"embedded {watched.name} died; starting it again in {watched.backoff():.0f}s "
                    f"(failure {watched.failures + 1})",
                    flush=True,
                )
                log.warning("embedded %s died", watched.name)
                continue
            if now < watched.retry_at:
                continue
            watched.failures += 1
            SERVER_RESTARTS.labels(watched.name).inc()
            try:
                await asyncio.to_thread(watched.server.restart)
            except Exception as e:
                watched.retry_at = time.monotonic() + watched.backoff()
                print(f"embedded {watched.name} did not start ({e}); trying again in {watched.backoff():.0f}s")
                log.warning("restarting embedded %s failed", watched.name, exc_info=True)
                continue
            watched.retry_at = None
            watched.up_since = time.monotonic()
            print(f"embedded {watched.name} is back (restart {watched.failures})", flush=True)
            log.info("embedded %s restarted", watched.name)

    async def supervise(self) -> None:
        while not self.stopping.is_set():
            await self.watch_servers()
            for child in self.children:
                if child.alive() or self.stopping.is_set():
                    continue
                code = child.proc.returncode if child.proc else None
                if child.restarts >= MAX_RESTARTS:
                    print(f"{child.name} keeps failing (exit {code}); stopping the platform.\n{child.tail()}")
                    self.stopping.set()
                    break
                child.restarts += 1
                print(f"{child.name} exited with {code}; restarting ({child.restarts}/{MAX_RESTARTS})", flush=True)
                child.start()
            try:
                await asyncio.wait_for(self.stopping.wait(), timeout=0.5)
            except TimeoutError:
                pass

    def down(self) -> None:
        # gateway first, then services in reverse start order, then the servers they use
        for child in reversed(self.children):
            if child.proc is not None and child.proc.poll() is None:
                child.proc.send_signal(signal.SIGTERM)
        for child in reversed(self.children):
            stop_process(child.proc, timeout=15)
        for server in reversed(self.embedded):
            try:
                server.stop()
            except Exception:
                log.exception("stopping %s", type(server).__name__)


async def run_up(settings: PlatformSettings, host: str, port: int) -> int:
    platform = Platform(settings, host, port)
    # the supervisor's own metrics (embedded server restarts): settings' metrics port, or the
    # gateway's port + 1000 as the services' are their gRPC port + 1000
    serve_metrics(settings.metrics_port or port + 1000, host)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, platform.stopping.set)
    code = 0
    try:
        up = asyncio.create_task(platform.up())
        stop = asyncio.create_task(platform.stopping.wait())
        await asyncio.wait({up, stop}, return_when=asyncio.FIRST_COMPLETED)
        if up.done():
            up.result()
            await platform.supervise()
        else:
            up.cancel()
    except Exception as e:
        print(f"\nStart-up failed: {e}", file=sys.stderr)
        code = 1
    finally:
        print("\nStopping the airline platform...", flush=True)
        await asyncio.to_thread(platform.down)
        print("Stopped.", flush=True)
    return code
