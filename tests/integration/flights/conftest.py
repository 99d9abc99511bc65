"""Fixtures of the flights tests: stubs of flights, fares and airport (one channel pair per
module), an ops caller, a World of fresh airports and planes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1.flights_pb2_grpc import FareServiceStub, FlightServiceStub
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.settings import PlatformSettings
from tests.support.flights import Metadata, World


@pytest.fixture(scope="module")
async def channels(settings: PlatformSettings) -> AsyncIterator[tuple[grpc.aio.Channel, grpc.aio.Channel]]:
    async with make_channel(settings.flights_grpc, 20) as flights, make_channel(settings.airport_grpc) as airport:
        yield flights, airport


@pytest.fixture(scope="module")
def fl(channels) -> FlightServiceStub:  # type: ignore[no-untyped-def]
    return FlightServiceStub(channels[0])


@pytest.fixture(scope="module")
def fares(channels) -> FareServiceStub:  # type: ignore[no-untyped-def]
    return FareServiceStub(channels[0])


@pytest.fixture(scope="module")
def ap(channels) -> AirportServiceStub:  # type: ignore[no-untyped-def]
    return AirportServiceStub(channels[1])


@pytest.fixture(scope="module")
def ops(as_role) -> Metadata:  # type: ignore[no-untyped-def]
    return as_role(Role.OPS)


@pytest.fixture(scope="module")
def world(ap: AirportServiceStub, ops: Metadata) -> World:
    return World(ap, ops)
