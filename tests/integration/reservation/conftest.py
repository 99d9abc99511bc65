"""Fixtures of the reservation tests: one Platform of stubs per module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.reservation import Platform


@pytest.fixture(scope="module")
async def world(settings: PlatformSettings, services: dict[str, RunningService]) -> AsyncIterator[Platform]:
    async with (
        make_channel(settings.reservation_grpc, 20) as rc,
        make_channel(settings.flights_grpc, 20) as fc,
        make_channel(settings.airport_grpc, 20) as ac,
    ):
        yield Platform(
            settings, ReservationServiceStub(rc), FlightServiceStub(fc), AirportServiceStub(ac), services["reservation"]
        )
