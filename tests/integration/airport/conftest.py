"""Fixtures of the airport tests: the airport stub and an ops caller."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.settings import PlatformSettings
from tests.support.airport import Metadata


@pytest.fixture(scope="module")
async def stub(settings: PlatformSettings) -> AsyncIterator[AirportServiceStub]:
    async with make_channel(settings.airport_grpc) as channel:
        yield AirportServiceStub(channel)


@pytest.fixture(scope="module")
def ops(as_role) -> Metadata:  # type: ignore[no-untyped-def]
    return as_role(Role.OPS)
