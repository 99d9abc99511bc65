"""The whole platform for a benchmark run: `airline up` in a fresh temporary data directory,
waited for (bounded) until /healthz answers 200, stopped with SIGTERM at the end, and its
data directory removed when it stopped cleanly.

Every gRPC port (and its +1000 metrics neighbour) is a free one, so a benchmark never collides
with another platform (a test run, `make run`) on the same machine."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class RunningPlatform:
    gateway: str  # http://127.0.0.1:PORT
    data_dir: Path
    pid: int  # the `airline up` process (the supervisor)
    grpc_ports: dict[str, int] = field(default_factory=dict)
    supervisor_metrics_port: int = 0

    def metrics_urls(self) -> dict[str, str]:
        """Prometheus endpoints: each service's (gRPC port + 1000), the gateway's, the supervisor's."""
        urls = {name: f"http://127.0.0.1:{port + 1000}/metrics" for name, port in self.grpc_ports.items()}
        urls["gateway"] = f"{self.gateway}/metrics"
        urls["supervisor"] = f"http://127.0.0.1:{self.supervisor_metrics_port}/metrics"
        return urls


@asynccontextmanager
async def started_platform_handle(
    startup_timeout: float, extra_env: dict[str, str] | None = None
) -> AsyncIterator[RunningPlatform]:
    """A platform started here (free ports everywhere, `extra_env` on top) and stopped on exit."""
    from airline.platform.embedded import free_port  # here: client processes never import the platform
    from airline.platform.settings import SERVICES

    data_dir = Path(tempfile.mkdtemp(prefix="airline-bench-", dir="/tmp"))
    port = free_port(neighbour=1000)
    grpc_ports = {name: free_port(neighbour=1000) for name in SERVICES}
    log_path = data_dir / "platform.log"
    log = open(log_path, "wb")  # noqa: ASYNC230 - once, before anything runs
    print(f"starting the platform (data dir {data_dir}, gateway port {port}, log {log_path}) ...", flush=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS") and not k.startswith("AIRLINE_")
    }
    env["AIRLINE_LOG_LEVEL"] = "WARNING"
    env.update({f"AIRLINE_{name.upper()}_GRPC": f"127.0.0.1:{p}" for name, p in grpc_ports.items()})
    env.update(extra_env or {})
    child = subprocess.Popen(  # noqa: ASYNC220 - a long-lived child; nothing to await
        [sys.executable, "-m", "airline", "--data-dir", str(data_dir), "up", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    gateway = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=5) as client:
            while True:
                if child.poll() is not None:
                    raise SystemExit(f"the platform exited with {child.returncode}; see {log_path}")
                if time.monotonic() - started > startup_timeout:
                    raise SystemExit(f"the platform was not healthy within {startup_timeout:.0f}s; see {log_path}")
                try:
                    if (await client.get(f"{gateway}/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.5)
        print(f"platform healthy after {time.monotonic() - started:.1f}s", flush=True)
        platform = RunningPlatform(gateway, data_dir, child.pid, grpc_ports, port + 1000)
        await _start_up_work_done(platform, startup_timeout)
        yield platform
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
        log.close()
        print(f"platform stopped (exit code {child.returncode})", flush=True)
        if child.returncode == 0:  # keep the data (and its log) of a run that went wrong
            shutil.rmtree(data_dir, ignore_errors=True)


# The start-up work that is not serving: crew's first auto-proposal pass rosters every flight of
# the next days (the seed's week) about half a minute after crew starts, 20-25 CPU-seconds of
# solving on 2 cores. Measured during it, "idle" was 0.45 CPU-s/s instead of 0.16 and a booking
# load was charged 21 ms of crew CPU per booking.
START_UP_PASS = re.compile(r'^airline_periodic_job_runs_total\{job="crew-auto-propose",outcome="\w+"\} ([0-9.]+)', re.M)


async def _start_up_work_done(platform: RunningPlatform, timeout: float) -> None:
    started = time.monotonic()
    url = platform.metrics_urls()["crew"]
    async with httpx.AsyncClient(timeout=5) as client:
        while time.monotonic() - started < timeout:
            try:
                text = (await client.get(url)).text
            except httpx.HTTPError:
                text = ""
            if any(float(n) > 0 for n in START_UP_PASS.findall(text)):
                print(f"crew's first auto-proposal pass done after {time.monotonic() - started:.1f}s more", flush=True)
                return
            await asyncio.sleep(0.5)
    print(f"crew's first auto-proposal pass not done within {timeout:.0f}s: figures include it", flush=True)


@asynccontextmanager
async def started_platform(startup_timeout: float) -> AsyncIterator[tuple[str, Path]]:
    """(gateway URL, data directory) of a platform started here and stopped on exit."""
    async with started_platform_handle(startup_timeout) as platform:
        yield platform.gateway, platform.data_dir
