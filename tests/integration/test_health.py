"""Health that tells the truth (issue 20): a service whose database is unreachable is not ready
but alive; one whose broker is away stays ready and reports its outbox backlog as degraded; the
gateway's /readyz summarises every service and dependency with a reason, /livez asks nobody.

The outages are real: an extra airport instance reaches its own scratch database through a TCP
proxy the test cuts (the session's PostgreSQL, shared by every other test, is never touched),
and its broker address is a port where nothing listens."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.gateway.settings import GatewaySettings
from airline.platform.auth import Role
from airline.platform.db import async_url
from airline.platform.grpc import check_health, make_channel
from airline.platform.health import LIVENESS, dependency_service
from airline.platform.metrics import DEPENDENCY_UP, OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE
from airline.platform.migrations import upgrade
from airline.platform.runtime import RunningService, definition_of, start_service
from airline.platform.settings import SERVICES, PlatformSettings
from tests.support.factories import airport_code
from tests.support.http import PROBE_DEADLINE, another_gateway, free_port
from tests.support.proxy import TcpProxy

AIRPORT_SERVICE = pb.DESCRIPTOR.services_by_name["AirportService"].full_name


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 15, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, f"not within {seconds}s: {what}"
        await asyncio.sleep(0.1)


def _gauge(gauge, *labels: str) -> float:  # type: ignore[no-untyped-def]
    return float(gauge.labels(*labels)._value.get())


def _postgres_upstream(url: str) -> tuple[str, int] | Path:
    """Where the session's PostgreSQL listens: its unix socket, or host and port."""
    parsed = make_url(url)
    socket_dir = parsed.query.get("host")
    if socket_dir:
        folder = Path(socket_dir if isinstance(socket_dir, str) else socket_dir[0])
        return next(p for p in folder.glob(".s.PGSQL.*") if not p.name.endswith(".lock"))
    return parsed.host or "127.0.0.1", parsed.port or 5432


@pytest.fixture(scope="module")
async def scratch_database(migrated: PlatformSettings) -> AsyncIterator[str]:
    """A database of this module's own on the session's server, with airport's schema in it
    (so the extra instance has an outbox no session relay drains)."""
    assert migrated.database_url
    name = f"health_{secrets.token_hex(4)}"
    admin = create_async_engine(async_url(migrated.database_url), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'create database "{name}"'))
        url = make_url(migrated.database_url).set(database=name).render_as_string(hide_password=False)
        airport = definition_of("airport")
        assert airport.metadata.schema
        await asyncio.to_thread(upgrade, airport.migrations_package, url, airport.metadata.schema)
        yield url
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'drop database "{name}" with (force)'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def extra_airport(settings: PlatformSettings, database_url: str) -> AsyncIterator[RunningService]:
    """One more airport instance: quick health looks, a low backlog threshold, no broker."""
    instance_settings = settings.model_copy(
        update={
            "database_url": database_url,
            "kafka_bootstrap_servers": f"127.0.0.1:{free_port()}",  # nothing listens there
            "health_interval_seconds": 0.2,
            "dependency_timeout_seconds": 0.5,
            "outbox_degraded_after_seconds": 1.0,
        }
    )
    service = await start_service(definition_of("airport"), instance_settings, bind="127.0.0.1:0")
    try:
        yield service
    finally:
        await service.stop(grace=0.5)


async def test_an_unreachable_database_makes_a_service_unready_but_alive(
    settings: PlatformSettings, scratch_database: str
) -> None:
    upstream = _postgres_upstream(scratch_database)
    proxy = TcpProxy(upstream)
    await proxy.open()
    proxied = make_url(scratch_database).set(host="127.0.0.1", port=proxy.port, query={})
    try:
        async with extra_airport(settings, proxied.render_as_string(hide_password=False)) as airport:
            target = airport.target

            async def serving(name: str = "") -> bool:
                return await check_health(target, timeout=1.0, service=name)

            assert await serving() and await serving(AIRPORT_SERVICE) and await serving(LIVENESS)
            await eventually(lambda: serving(dependency_service("database")), what="database SERVING")

            await proxy.close()  # the database is gone for this instance
            await eventually(lambda: _not(serving()), what="readiness NOT_SERVING without the database")
            assert not await serving(AIRPORT_SERVICE)
            assert not await serving(dependency_service("database"))
            assert await serving(LIVENESS), "a database outage must not get the process restarted"
            # the session's own airport sets the same series: read it right after this one's look
            assert airport.dependencies is not None
            assert (await airport.dependencies.check())["database"] is False
            assert _gauge(DEPENDENCY_UP, "airport", "database") == 0

            # the gateway in front of it says who is not ready and why, and stays alive itself
            broken = settings.model_copy(update={"airport_grpc": target})
            async with another_gateway(broken, GatewaySettings(health_timeout_seconds=PROBE_DEADLINE)) as client:
                r = await client.get("/readyz")
                # one service's database outage takes no gateway out of rotation: the rest serves
                assert r.status_code == 200, r.text
                assert r.headers["cache-control"] == "no-store"
                body = r.json()
                assert body["status"] == "degraded"
                assert body["services"]["airport"]["status"] == "not_ready"
                assert body["services"]["airport"]["reason"] == "database unreachable"
                assert body["services"]["airport"]["dependencies"]["database"] == {
                    "status": "down",
                    "reason": "database unreachable",
                }
                assert body["services"]["identity"]["status"] == "ready"
                assert "airport: not_ready: database unreachable" in body["reasons"]
                legacy = await client.get("/healthz")
                assert legacy.status_code == 503
                assert legacy.json()["services"]["airport"] == "not_serving"
                assert legacy.json()["status"] == "degraded"
                live = await client.get("/livez")
                assert (live.status_code, live.json()) == (200, {"status": "alive"})

            await proxy.open()  # back
            await eventually(serving, what="readiness SERVING again")
            assert await serving(AIRPORT_SERVICE) and await serving(dependency_service("database"))
            assert (await airport.dependencies.check())["database"] is True
            assert _gauge(DEPENDENCY_UP, "airport", "database") == 1
    finally:
        await proxy.close()


async def _not(check: Awaitable[bool]) -> bool:
    return not await check


async def test_without_the_broker_writes_succeed_and_the_backlog_turns_the_broker_degraded(
    settings: PlatformSettings, scratch_database: str, as_role
) -> None:  # type: ignore[no-untyped-def]
    async with extra_airport(settings, scratch_database) as airport:
        target = airport.target
        await eventually(
            lambda: check_health(target, 1.0, dependency_service("broker")), what="broker SERVING, outbox empty"
        )
        async with make_channel(target) as channel:
            stub = AirportServiceStub(channel)
            code = airport_code()
            created = await stub.CreateAirport(
                pb.CreateAirportRequest(code=code, name="No broker", city="X", country="SG", time_zone="UTC"),
                metadata=as_role(Role.OPS),
            )
            assert created.code == code  # the write succeeded; its event waits in the outbox

        await eventually(
            lambda: _not(check_health(target, 1.0, dependency_service("broker"))),
            what="broker NOT_SERVING once the event is older than the threshold",
        )
        assert await check_health(target, 1.0), "a broker outage must not make the service unready"
        assert await check_health(target, 1.0, LIVENESS)
        # the session's own airport sets the same series: read them right after this one's look
        assert airport.dependencies is not None
        assert (await airport.dependencies.check())["broker"] is False
        assert _gauge(DEPENDENCY_UP, "airport", "broker") == 0
        assert _gauge(OUTBOX_BACKLOG, "airport") >= 1
        assert _gauge(OUTBOX_OLDEST_AGE, "airport") > 1.0

        broken = settings.model_copy(update={"airport_grpc": target})
        async with another_gateway(broken, GatewaySettings(health_timeout_seconds=PROBE_DEADLINE)) as client:
            r = await client.get("/readyz")
            assert r.status_code == 200, r.text  # degraded, still ready
            body = r.json()
            assert body["status"] == "degraded"
            assert body["services"]["airport"]["status"] == "ready"
            assert body["services"]["airport"]["dependencies"]["broker"] == {
                "status": "down",
                "reason": "outbox backlog waiting for the broker",
            }
            assert "airport: outbox backlog waiting for the broker" in body["reasons"]
            assert (await client.get("/healthz")).status_code == 200


async def test_livez_and_readyz_when_everything_is_up(api: httpx.AsyncClient) -> None:
    live = await api.get("/livez")
    assert (live.status_code, live.json()) == (200, {"status": "alive"})

    r = await api.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body["services"]) == set(SERVICES)
    for name, report in body["services"].items():
        assert report["status"] == "ready", (name, report)
        assert report["dependencies"]["database"] == {"status": "up"}, (name, report)
        assert set(report["dependencies"]) <= {"database", "redis", "broker"}
    assert body["dependencies"]["redis"] == {"status": "up"}  # the gateway's own
    # "ok" unless something behind a ready service is really down, and then it says what
    assert body["status"] == ("degraded" if body["reasons"] else "ok"), body


@asynccontextmanager
async def silent_servers(n: int) -> AsyncIterator[list[int]]:
    """`n` TCP ports that accept connections and never answer: a call to one waits its deadline."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # kept open, never written to

    servers = [await asyncio.start_server(hold, "127.0.0.1", 0) for _ in range(n)]
    try:
        yield [s.sockets[0].getsockname()[1] for s in servers]
    finally:
        for w in held:
            w.close()
        for s in servers:
            s.close()
            await s.wait_closed()


async def test_readyz_asks_every_service_at_once(settings: PlatformSettings) -> None:
    """Three services that never answer cost three deadlines when asked one after another and one
    when asked at once: the bound is the sum of the deadlines, not a speed (a loaded machine adds
    seconds to one deadline, never a whole second and third one). The deadline is what the
    silent ones cost the test, and the time the answering ones have on a loaded machine."""
    timeout, silent = 4.0, ("crew", "baggage", "inventory")
    async with silent_servers(len(silent)) as ports:
        update = {f"{name}_grpc": f"127.0.0.1:{port}" for name, port in zip(silent, ports)}
        async with another_gateway(
            settings.model_copy(update=update), GatewaySettings(health_timeout_seconds=timeout)
        ) as client:
            started = time.monotonic()
            r = await client.get("/readyz")
            elapsed = time.monotonic() - started
    assert r.status_code == 200, r.text
    body = r.json()
    assert {name: body["services"][name]["status"] != "ready" for name in silent} == dict.fromkeys(silent, True), body
    assert elapsed < len(silent) * timeout, f"{elapsed:.1f} s: the silent services were asked one after another"


async def test_readyz_names_a_service_that_does_not_answer_and_is_503_when_none_does(
    settings: PlatformSettings,
) -> None:
    broken = settings.model_copy(update={"crew_grpc": f"127.0.0.1:{free_port()}"})
    async with another_gateway(broken, GatewaySettings(health_timeout_seconds=PROBE_DEADLINE)) as client:
        r = await client.get("/readyz")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "degraded"
        assert body["services"]["crew"]["status"] == "unreachable"
        assert body["services"]["crew"]["reason"]
        assert any(reason.startswith("crew: unreachable: ") for reason in body["reasons"])
        assert all(body["services"][name]["status"] == "ready" for name in SERVICES if name != "crew")
        assert (await client.get("/livez")).status_code == 200  # liveness asks nobody
    nowhere = settings.model_copy(update={f"{name}_grpc": f"127.0.0.1:{free_port()}" for name in SERVICES})
    async with another_gateway(nowhere, GatewaySettings(health_timeout_seconds=0.5)) as client:
        r = await client.get("/readyz")
        assert (r.status_code, r.json()["status"]) == (503, "unavailable"), r.text
        assert (await client.get("/livez")).status_code == 200


async def test_health_routes_are_documented_outside_the_api(api: httpx.AsyncClient) -> None:
    doc = (await api.get("/api/v1/openapi.json")).json()
    for path in ("/livez", "/readyz", "/healthz"):
        assert "get" in doc["paths"][path], path
    ready = doc["paths"]["/readyz"]["get"]["responses"]
    assert ready["503"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Readiness"}
    assert {"Readiness", "ServiceReport", "DependencyReport", "Liveness"} <= set(doc["components"]["schemas"])
