"""A lean HTTP/1.1 client for the benchmarks: one keep-alive connection over asyncio streams per
worker, JSON in and out, nothing else (no pool, no redirects, no cookies, no TLS). It costs a few
tens of microseconds of client CPU per request where httpx costs about a millisecond, so the
figures say what the platform costs, not what the load generator does.

Also: a bare FastAPI app (one trivial route) started as a uvicorn subprocess, and a fixed-time
read load (requests per second, p50/p99) used for the trivial-read baseline."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Connection:
    """One keep-alive HTTP/1.1 connection to `base` (http://host:port), opened on first use and
    again after the server closed it."""

    def __init__(self, base: str, timeout: float = 60.0) -> None:
        parts = urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Response:
        if params:
            path = f"{path}?{urlencode(params)}"
        body = b"" if json_body is None else json.dumps(json_body).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        if json_body is not None:
            head.append("Content-Type: application/json")
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        reused = self.writer is not None
        try:
            return await asyncio.wait_for(self._exchange(raw), self.timeout)
        except (ConnectionError, asyncio.IncompleteReadError, HttpError):
            await self.close()
            if not reused:
                raise
        # the server closed an idle keep-alive connection before reading the request: once more
        return await asyncio.wait_for(self._exchange(raw), self.timeout)

    async def _exchange(self, raw: bytes) -> Response:
        if self.writer is None:
            await self._open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        await self.writer.drain()
        line = await self.reader.readline()
        if not line:
            raise HttpError("connection closed")
        status = int(line.split(b" ", 2)[1])
        length: int | None = None
        chunked = close = False
        while True:
            h = await self.reader.readline()
            if h in (b"\r\n", b"\n", b""):
                break
            name, _, value = h.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0].strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body = await self.reader.read()
            close = True
        if close:
            await self.close()
        return Response(status, body)


def pct(values: list[float], p: float) -> float:
    """The p-th percentile of seconds, in milliseconds (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000 if ordered else float("nan")


@dataclass
class ReadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    client_cpu: float
    sent: int  # every request, the warm-up's too (server CPU per request divides by this)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def read_load(base: str, path: str, connections: int, seconds: float, warmup: float = 1.0) -> ReadResult:
    """GET `path` from `connections` keep-alive connections for `seconds` (after a warm-up)."""
    conns = [Connection(base, timeout=30) for _ in range(connections)]
    latencies: list[float] = []
    errors = sent = 0
    measuring = False
    stop_at = time.perf_counter() + warmup

    async def worker(conn: Connection) -> None:
        nonlocal errors, sent
        while time.perf_counter() < stop_at:
            sent += 1
            t0 = time.perf_counter()
            try:
                r = await conn.request("GET", path)
                ok = r.status == 200
            except (TimeoutError, OSError, HttpError):
                ok = False
            if measuring:
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1

    await asyncio.gather(*(worker(c) for c in conns))  # warm-up: connections open, caches hot
    measuring = True
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    stop_at = t0 + seconds
    await asyncio.gather(*(worker(c) for c in conns))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    for c in conns:
        await c.close()
    return ReadResult(len(latencies), errors, elapsed, latencies, cpu, sent)


BARE_APP = Path(__file__).with_name("_bare_app.py")


class BareApp:
    """`uvicorn _bare_app:app` on a free port, in this venv, with uvicorn's defaults (uvloop and
    httptools when installed, as the gateway has) and no access log."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> BareApp:
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - a long-lived child; nothing to await
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(BARE_APP.parent),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
                "_bare_app:app",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ},
        )
        conn = Connection(self.base, timeout=2)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the bare FastAPI app exited with {self.proc.returncode}")
            try:
                if (await conn.request("GET", "/api/v1/airports/XSP")).status == 200:
                    await conn.close()
                    return self
            except (TimeoutError, OSError, HttpError):
                await conn.close()
            await asyncio.sleep(0.2)
        raise SystemExit("the bare FastAPI app did not answer within 30 s")

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def cpu_seconds(self) -> float:
        from _procs import cpu_seconds

        assert self.proc is not None
        return cpu_seconds(self.proc.pid) or 0.0
