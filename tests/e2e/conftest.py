"""The end-to-end tests' shared world."""

from __future__ import annotations

import pytest

from airline.airport import seed as airport_seed
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.crew import seed as crew_seed
from airline.crew.v1.crew_pb2_grpc import CrewServiceStub
from airline.flights import seed as flights_seed
from airline.flights.v1.flights_pb2_grpc import FareServiceStub
from airline.platform.grpc import make_channel
from airline.platform.settings import PlatformSettings


@pytest.fixture(scope="session")
async def seed_world(settings: PlatformSettings, tokens: dict[str, str]) -> None:
    """What `airline up` loads and the simulation relies on: airports X, A, B, C with their gates,
    planes P1-P5, the fares of X's routes and the demo crew based at X (idempotent)."""
    ops = [("authorization", f"Bearer {tokens['ops']}")]
    async with make_channel(settings.grpc_target("airport"), settings.grpc_deadline_seconds) as channel:
        await airport_seed.seed(AirportServiceStub(channel), ops)
    async with make_channel(settings.grpc_target("flights"), settings.grpc_deadline_seconds) as channel:
        await FareServiceStub(channel).SetFares(flights_seed.seed_fares(), metadata=ops)
    async with make_channel(settings.grpc_target("crew"), settings.grpc_deadline_seconds) as channel:
        await crew_seed.seed(CrewServiceStub(channel), ops)
