"""Fixtures of the crew tests: the crew service, flight and airport stubs, a fresh world."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.crew.v1.crew_pb2_grpc import CrewServiceStub
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.grpc import make_channel
from airline.platform.migrations import upgrade
from airline.platform.runtime import RunningService, definition_of, start_service
from airline.platform.settings import PlatformSettings
from tests.support.crew import CrewWorld


@pytest.fixture(scope="session")
async def crew_target(settings: PlatformSettings, services: dict[str, RunningService]) -> AsyncIterator[str]:
    """The crew service: the session's one, or (before it joins SERVICES) one started here."""
    if "crew" in services:
        yield services["crew"].target
        return
    d = definition_of("crew")
    await asyncio.to_thread(upgrade, d.migrations_package, settings.database_url, d.metadata.schema)
    svc = await start_service(d, settings, bind="127.0.0.1:0")
    try:
        yield svc.target
    finally:
        await svc.stop(grace=0.5)


@pytest.fixture
async def crew(crew_target: str, settings: PlatformSettings) -> AsyncIterator[CrewServiceStub]:
    async with make_channel(crew_target, 10) as channel:
        yield CrewServiceStub(channel)


@pytest.fixture
async def stubs(settings: PlatformSettings) -> AsyncIterator[tuple[FlightServiceStub, AirportServiceStub]]:
    async with (
        make_channel(settings.grpc_target("flights"), 10) as f,
        make_channel(settings.grpc_target("airport"), 10) as a,
    ):
        yield FlightServiceStub(f), AirportServiceStub(a)


@pytest.fixture
async def world(stubs, crew, as_role) -> CrewWorld:  # type: ignore[no-untyped-def]
    return await CrewWorld(stubs[0], stubs[1], crew, as_role).setup()
