"""HTTP helpers: bearer headers, the admin login, problem+json checks, a second gateway,
and a reader of server-sent event streams."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import uvicorn

from airline.gateway.app import create_app
from airline.gateway.settings import GatewaySettings
from airline.identity.tokens import KeyRing, parse_keys
from airline.platform.embedded import free_port  # noqa: F401 (the tests import it from here)
from airline.platform.settings import PlatformSettings

ADMIN_EMAIL = "admin@airline.local"  # the admin the session's identity service creates
ADMIN_PASSWORD = "admin-test-password"


def identity_key_ring(settings: PlatformSettings) -> KeyRing:
    """Identity's signing key in this session (set by `services`): tokens as identity would issue them."""
    return KeyRing(parse_keys(os.environ["AIRLINE_IDENTITY_SIGNING_KEYS"]), settings.jwt_issuer, 3600)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


PROBLEM = "application/problem+json"

# The health deadline of a test gateway whose probes should all be answered: a service that is up
# answers in milliseconds and a port where nothing listens refuses at once, so only a stalled
# machine waits it out (on CI's loaded 2 cores every probe of one /readyz once took over 2 s).
PROBE_DEADLINE = 10.0


def assert_problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["status"] == status
    assert body["title"] and body["type"]
    assert body["request_id"] == r.headers["x-request-id"]
    return body


@asynccontextmanager
async def another_gateway(settings: PlatformSettings, gw: GatewaySettings) -> AsyncIterator[httpx.AsyncClient]:
    """A second gateway with its own gateway settings, on its own port."""
    import asyncio

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, gw), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
            yield client
    finally:
        server.should_exit = True
        await task


Event = dict[str, Any]


class EventStream:
    """A minimal text/event-stream reader (what a browser's EventSource does). A background task
    reads the stream, so that a timed-out wait never cancels a read half-way (which would close
    httpx's line iterator, and with it the stream)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.comments: list[str] = []
        self.history: list[Event] = []  # every event handed out by next()
        self._events: asyncio.Queue[Event | None] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        event: Event = {}
        data: list[str] = []
        try:
            async for line in self.response.aiter_lines():
                if line == "":
                    if data or "event" in event:
                        event["data"] = json.loads("\n".join(data)) if data else None
                        event["received"] = time.perf_counter()
                        self._events.put_nowait(event)
                    event, data = {}, []
                elif line.startswith(":"):
                    self.comments.append(line[1:].strip())
                else:
                    name, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if name == "data":
                        data.append(value)
                    else:
                        event[name] = value
        finally:
            self._events.put_nowait(None)

    async def close(self) -> None:
        self._reader.cancel()
        try:
            await self._reader
        except (asyncio.CancelledError, httpx.HTTPError):
            pass

    async def next(self, timeout: float = 10.0) -> Event:
        event = await asyncio.wait_for(self._events.get(), timeout)
        if event is None:
            self._events.put_nowait(None)
            raise EOFError("the server ended the stream")
        self.history.append(event)
        return event

    async def until(self, accept: Callable[[Event], bool], timeout: float) -> Event:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            event = await self.next(left)
            if accept(event):
                return event


@asynccontextmanager
async def stream(client: httpx.AsyncClient, path: str) -> AsyncIterator[EventStream]:
    async with client.stream("GET", path, headers={"Accept": "text/event-stream"}) as r:
        assert r.status_code == 200, (await r.aread()).decode()
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        assert r.headers["x-accel-buffering"] == "no"
        events = EventStream(r)
        try:
            yield events
        finally:
            await events.close()


def flight_event(flight_id: str, **expected: Any) -> Callable[[Event], bool]:
    def accept(event: Event) -> bool:
        if event.get("event") != "flight" or event["data"]["flight"]["id"] != flight_id:
            return False
        return all(event["data"]["flight"].get(k) == v for k, v in expected.items())

    return accept


async def wait_until_live(
    api: httpx.AsyncClient, ops: str, events: EventStream, flight_id: str, gates: list[str]
) -> None:
    """The gateway's consumer starts at the newest events once its group has its partitions (a
    few seconds after start): move the flight between two gates until a change comes through."""
    deadline = time.monotonic() + 60
    for i in range(1, 1000):
        gate = gates[i % 2]
        r = await api.post(f"/api/v1/flights/{flight_id}/gate", json={"gate": gate}, headers=auth(ops))
        assert r.status_code == 200, r.text
        try:
            await events.until(flight_event(flight_id, gate=gate), timeout=3)
            return
        except TimeoutError:
            if time.monotonic() > deadline:
                break
    raise AssertionError("no live update reached the stream within 60 s")


def soon() -> datetime:
    """A departure a few hours from now, so that the flight is on today's board."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now + timedelta(hours=3, minutes=int(uuid.uuid4().int % 240))


async def raw_get(base_url: str, target: str) -> tuple[int, bytes]:
    """GET `target` exactly as written (no client normalises `../` or decodes `%2e` first):
    the status and body of the answer."""
    host, port = httpx.URL(base_url).host, httpx.URL(base_url).port
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(-1), timeout=10)
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body
