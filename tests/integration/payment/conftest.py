"""Fixtures of the payment tests: the running service, its stub, and callers of each role."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from airline.payment.v1.payment_pb2_grpc import PaymentServiceStub
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService
from tests.support.payment import Metadata


@pytest.fixture(scope="module")
def payment_service(services: dict[str, RunningService]) -> RunningService:
    return services["payment"]


@pytest.fixture(scope="module")
async def stub(payment_service: RunningService) -> AsyncIterator[PaymentServiceStub]:
    async with make_channel(payment_service.target) as channel:
        yield PaymentServiceStub(channel)


@pytest.fixture(scope="module")
def cs(as_role) -> Metadata:  # type: ignore[no-untyped-def]
    return as_role(Role.CS, "test-cs")


@pytest.fixture(scope="module")
def system(as_role) -> Metadata:  # type: ignore[no-untyped-def]
    return as_role(Role.SYSTEM, "booking")


@pytest.fixture
def passenger(as_role) -> Metadata:  # type: ignore[no-untyped-def]
    return as_role(Role.PASSENGER)
