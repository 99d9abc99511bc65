"""Fixtures shared by the integration tests: the seed airports, a scratch database, the
inventory service, an SMTP server."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from airline.airport import seed as airport_seed
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.inventory.v1.inventory_pb2_grpc import InventoryServiceStub
from airline.platform.auth import Role
from airline.platform.db import make_engine
from airline.platform.grpc import make_channel
from airline.platform.migrations import upgrade
from airline.platform.runtime import RunningService, definition_of, start_service
from airline.platform.settings import PlatformSettings
from tests.support.http import free_port
from tests.support.smtp import Mailbox, SmtpServer, authenticate


@pytest.fixture(scope="session", autouse=False)
async def seed_airports(settings: PlatformSettings, tokens: dict[str, str]) -> None:
    """The seed scenario's airports, gates and planes (what `airline up` loads; idempotent)."""
    async with make_channel(settings.grpc_target("airport"), settings.grpc_deadline_seconds) as channel:
        await airport_seed.seed(AirportServiceStub(channel), [("authorization", f"Bearer {tokens['ops']}")])


@pytest.fixture
async def scratch_database(stack: dict[str, str]) -> AsyncIterator[str]:
    """A database of its own on the session's server, so going down does not hurt other tests."""
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = make_engine(stack["DATABASE_URL"], pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = stack["DATABASE_URL"].replace("/postgres?", f"/{name}?")
    try:
        yield url
    finally:
        # Tidying up only: a drop that races a closing backend of the test is tried again
        # rather than failing a test whose assertions all passed.
        for attempt in range(5):
            try:
                async with admin.connect() as conn:
                    await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except sa.exc.DBAPIError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.5)
        await admin.dispose()


@pytest.fixture(scope="module")
async def inventory_target(migrated: PlatformSettings, services: dict[str, RunningService]) -> AsyncIterator[str]:
    """The session's inventory service; started here only while it is not yet in SERVICES."""
    if "inventory" in services:
        yield services["inventory"].target
        return
    d = definition_of("inventory")
    await asyncio.to_thread(upgrade, d.migrations_package, migrated.database_url, d.metadata.schema)
    svc = await start_service(d, migrated, bind="127.0.0.1:0")
    try:
        yield svc.target
    finally:
        await svc.stop(grace=0.5)


@pytest.fixture(scope="module")
async def catalogue(inventory_target: str, settings: PlatformSettings) -> None:
    from airline.inventory import seed
    from tests.support.http import identity_key_ring

    codec = identity_key_ring(settings)
    async with make_channel(inventory_target, 10.0) as channel:
        await seed.seed(InventoryServiceStub(channel), [("authorization", f"Bearer {codec.issue('t', Role.ADMIN)}")])


@pytest.fixture(scope="module")
def smtp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    folder = tmp_path_factory.mktemp("smtp")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(str(cert), str(key))
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=tls,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield SmtpServer(port, str(cert), mailbox)
    finally:
        controller.stop()
