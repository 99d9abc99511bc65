"""The whole platform for a benchmark run: `airline up` in a fresh temporary data directory,
waited for (bounded) until /healthz answers 200, stopped with SIGTERM at the end, and its
data directory removed when it stopped cleanly."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def started_platform(startup_timeout: float) -> AsyncIterator[tuple[str, Path]]:
    """(gateway URL, data directory) of a platform started here and stopped on exit."""
    data_dir = Path(tempfile.mkdtemp(prefix="airline-bench-", dir="/tmp"))
    port = free_port()
    log_path = data_dir / "platform.log"
    log = open(log_path, "wb")  # noqa: ASYNC230 - once, before anything runs
    print(f"starting the platform (data dir {data_dir}, gateway port {port}, log {log_path}) ...", flush=True)
    child = subprocess.Popen(  # noqa: ASYNC220 - a long-lived child; nothing to await
        [sys.executable, "-m", "airline", "--data-dir", str(data_dir), "up", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "AIRLINE_LOG_LEVEL": "WARNING"},
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
        yield gateway, data_dir
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
