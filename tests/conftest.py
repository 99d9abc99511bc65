"""Test session fixtures: the real embedded PostgreSQL, Redis and Kafka-protocol broker are
started once per session (only when a test asks for them); services run in-process on real
gRPC ports and the gateway on a real HTTP port."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import warnings
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from airline.identity.tokens import generate_pem
from airline.platform.embedded import EmbeddedStack
from airline.platform.migrations import upgrade
from airline.platform.runtime import RunningService, definition_of, start_service
from airline.platform.settings import SERVICES, PlatformSettings
from airline.platform.tracing import setup_tracing
from tests.support.http import ADMIN_EMAIL, ADMIN_PASSWORD, free_port, identity_key_ring

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_OWN_BASETEMP = pytest.StashKey[str]()

# Property tests judge results, not speed: on a busy 2-core machine an example may take longer
# to generate or run than Hypothesis' defaults allow, which says nothing about the code.
hypothesis_settings.register_profile(
    "airline", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example]
)
hypothesis_settings.load_profile("airline")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Each session gets its own temporary folder (unless --basetemp names one). pytest's default
    numbered folders (/tmp/pytest-of-<user>/pytest-N) are pruned to the newest three by every
    session that starts: a second session of the same user, running at the same time, would delete
    this one's PostgreSQL data and socket under its feet."""
    worker, workers = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if worker and workers:
        # parallel workers (make test runs pytest-xdist) draw server ports from disjoint slots
        os.environ["AIRLINE_PORT_SLOT"] = f"{int(worker.removeprefix('gw'))}/{workers}"
    if not config.option.basetemp:
        config.option.basetemp = tempfile.mkdtemp(prefix="airline-pytest-")
        config.stash[_OWN_BASETEMP] = config.option.basetemp


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_OWN_BASETEMP, None)
    if own and not os.environ.get("AIRLINE_KEEP_TEST_DATA"):
        shutil.rmtree(own, ignore_errors=True)


# The session's identity signs with this key (AIRLINE_IDENTITY_SIGNING_KEYS), so tests can make a
# token of any role as identity would (`as_role`); no other process can.
TEST_SIGNING_KEY = generate_pem()
TEST_GRPC_DEADLINE_S = 15.0


@pytest.fixture(scope="session")
def spans() -> InMemorySpanExporter:
    """Every span finished in this test process (gateway, services and consumers run here)."""
    exporter = InMemorySpanExporter()
    setup_tracing("airline-tests", exporter)
    return exporter


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Real PostgreSQL + Redis + broker for the whole session. PostgreSQL takes more connections
    than a platform's budget (100): the session's in-process services and an `airline up` run on
    the same server (test_airline_up) each fill a platform's budget."""
    embedded = EmbeddedStack(tmp_path_factory.mktemp("airline-data"), postgres_max_connections=300)
    env = embedded.start()
    try:
        yield env
    finally:
        embedded.stop()


@pytest.fixture(scope="session")
def embedded_stack_kafka(stack: dict[str, str]) -> str:
    return stack["KAFKA_BOOTSTRAP_SERVERS"]


@pytest.fixture(scope="session")
def base_settings(stack: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> PlatformSettings:
    return PlatformSettings(
        _env_file=None,
        env="local",
        data_dir=tmp_path_factory.mktemp("airline-local"),
        database_url=stack["DATABASE_URL"],
        redis_url=stack["REDIS_URL"],
        kafka_bootstrap_servers=stack["KAFKA_BOOTSTRAP_SERVERS"],
        log_json=False,
        # A call's deadline is a production latency budget; here two xdist workers, each with its
        # own servers and sometimes a whole `airline up`, share two cores, and a request starved of
        # CPU for 5 s is not what any test is about (tests of deadlines set their own).
        grpc_deadline_seconds=TEST_GRPC_DEADLINE_S,
    )


@pytest.fixture(scope="session")
async def migrated(base_settings: PlatformSettings) -> PlatformSettings:
    for name in SERVICES:
        d = definition_of(name)
        await asyncio.to_thread(upgrade, d.migrations_package, base_settings.database_url, d.metadata.schema)
    return base_settings


@pytest.fixture(scope="session")
async def services(
    migrated: PlatformSettings, monkeypatch_session: pytest.MonkeyPatch, spans: InMemorySpanExporter
) -> AsyncIterator[dict[str, RunningService]]:
    """Every gRPC service, in-process, each on its own real port."""
    monkeypatch_session.setenv("AIRLINE_IDENTITY_ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch_session.setenv("AIRLINE_IDENTITY_SIGNING_KEYS", TEST_SIGNING_KEY)
    # the abuse limits (issue 13) are for real traffic; the shared session's tests book a lot
    monkeypatch_session.setenv("AIRLINE_BOOKING_MAX_OPEN_PER_ACCOUNT", "100000")
    monkeypatch_session.setenv("AIRLINE_BOOKING_MAX_OPEN_PER_ADDRESS", "100000")
    monkeypatch_session.setenv("AIRLINE_RESERVATION_MAX_SEATS_PER_ACCOUNT", "100000")
    running: dict[str, RunningService] = {}
    # every port chosen up front: a service may call one that starts after it (flights asks
    # baggage before "departed", baggage asks flights), as with the fixed ports of `airline up`
    ports: list[int] = []
    while len(ports) < len(SERVICES):
        ports = sorted(set(ports) | {free_port()})
    targets = {name: f"127.0.0.1:{port}" for name, port in zip(SERVICES, ports, strict=True)}
    settings = migrated.model_copy(update={f"{n}_grpc": t for n, t in targets.items()})
    try:
        for name in SERVICES:
            svc = await start_service(definition_of(name), settings, bind=targets[name])
            running[name] = svc
        yield running
    finally:
        for svc in reversed(list(running.values())):
            await svc.stop(grace=0.5)


@pytest.fixture(scope="session")
def settings(migrated: PlatformSettings, services: dict[str, RunningService]) -> PlatformSettings:
    """Platform settings pointing at the running in-process services."""
    return migrated.model_copy(update={f"{n}_grpc": s.target for n, s in services.items()})


@pytest.fixture(scope="session")
async def gateway_url(settings: PlatformSettings) -> AsyncIterator[str]:
    """The gateway on a real HTTP port."""
    from airline.gateway.app import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def api(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=20) as client:
        yield client


@pytest.fixture(scope="session")
async def tokens(gateway_url: str) -> dict[str, str]:
    """A bearer token per role (admin from settings, the others created by the admin)."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=20) as client:
        r = await client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert r.status_code == 200, r.text
        out = {"admin": r.json()["access_token"]}
        for role in ("passenger", "agent", "crew", "ops", "cs", "inventory"):
            email = f"{role}-{secrets.token_hex(4)}@test.airline"
            password = f"{role}-password-123"
            r = await client.post(
                "/api/v1/users",
                json={"email": email, "password": password, "full_name": f"Test {role}", "role": role},
                headers={"Authorization": f"Bearer {out['admin']}"},
            )
            assert r.status_code == 201, r.text
            r = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
            assert r.status_code == 200, r.text
            out[role] = r.json()["access_token"]
        return out


@pytest.fixture(scope="session")
def as_role(settings: PlatformSettings):  # type: ignore[no-untyped-def]
    """gRPC metadata carrying a token of `role` (for `subject`, else a fresh one each call)."""
    from airline.platform.auth import Role

    codec = identity_key_ring(settings)

    def metadata(role: Role, subject: str | None = None) -> tuple[tuple[str, str], ...]:
        token = codec.issue(subject or f"test-{role.value}-{secrets.token_hex(4)}", role)
        return (("authorization", f"Bearer {token}"),)

    return metadata


@pytest.fixture(scope="session")
def monkeypatch_session() -> Iterator[pytest.MonkeyPatch]:
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()
