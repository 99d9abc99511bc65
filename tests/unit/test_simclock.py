"""The simulation clock (platform/simclock.py): the instant a request plays, read from the
gateway's header, carried in gRPC metadata, answered by `utcnow`, and refused where it is off."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from airline.gateway.sim_time import read_sim_time
from airline.platform import simclock
from airline.platform.db import utcnow
from airline.platform.errors import ValidationFailed
from airline.platform.grpc import ClientInterceptor
from airline.platform.settings import PlatformSettings


def in_a_week() -> datetime:
    return (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0)


def test_an_instant_with_its_offset_is_read_in_utc() -> None:
    assert simclock.parse("2026-12-10T16:00:00+08:00") == datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    assert simclock.parse("2026-12-10T08:00:00Z") == datetime(2026, 12, 10, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["tomorrow", "2026-12-10T08:00:00", "", "2026-13-01T00:00:00Z"])
def test_a_malformed_or_naive_instant_is_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as e:
        simclock.parse(raw)
    assert e.value.code == simclock.INVALID


def test_an_instant_too_far_from_the_wall_clock_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="days from now"):
        simclock.parse((datetime.now(UTC) + timedelta(days=500)).isoformat())


def test_utcnow_answers_the_requests_instant_and_the_wall_clock_outside_it() -> None:
    at = in_a_week()
    token = simclock.sim_now.set(at)
    try:
        assert utcnow() == at and simclock.now() == at
    finally:
        simclock.sim_now.reset(token)
    assert utcnow() != at and utcnow().tzinfo is UTC


def test_a_service_with_the_clock_off_ignores_the_metadata() -> None:
    assert simclock.from_metadata(in_a_week().isoformat(), False) is None


def test_a_service_with_the_clock_on_takes_the_metadata_and_ignores_a_malformed_one() -> None:
    at = in_a_week()
    assert simclock.from_metadata(simclock.to_metadata(at), True) == at
    assert simclock.from_metadata("not a time", True) is None
    assert simclock.from_metadata(None, True) is None


def scope(value: str | None) -> dict[str, object]:
    headers = [(b"x-airline-sim-time", value.encode())] if value is not None else []
    return {"type": "http", "path": "/api/v1/boarding", "headers": headers}


def test_the_gateway_refuses_the_header_when_the_clock_is_off() -> None:
    at, refused = read_sim_time(scope(in_a_week().isoformat()), False)
    assert at is None and refused is not None and refused.status_code == 422
    assert json.loads(bytes(refused.body))["code"] == simclock.OFF
    assert read_sim_time(scope(None), False) == (None, None)  # no header: nothing to refuse


def test_the_gateway_reads_the_header_when_the_clock_is_on() -> None:
    at = in_a_week()
    assert read_sim_time(scope(at.isoformat()), True) == (at, None)
    _, refused = read_sim_time(scope("next tuesday"), True)
    assert refused is not None and refused.status_code == 422
    assert json.loads(bytes(refused.body))["code"] == simclock.INVALID


async def test_the_grpc_client_forwards_the_instant_of_the_request() -> None:
    at = in_a_week()
    details = grpc.aio.ClientCallDetails(
        method="/airline.checkin.v1.CheckinService/Board",
        timeout=None,
        metadata=None,
        credentials=None,
        wait_for_ready=None,
    )
    interceptor = ClientInterceptor(5.0)
    token = simclock.sim_now.set(at)
    try:
        sent = await interceptor._details(details, False)
    finally:
        simclock.sim_now.reset(token)
    assert dict(sent.metadata)[simclock.METADATA_KEY] == at.isoformat()
    plain = await interceptor._details(details, False)
    assert simclock.METADATA_KEY not in dict(plain.metadata)


def test_the_clock_is_on_in_local_mode_and_never_in_production() -> None:
    assert PlatformSettings(env="local").sim_clock_on
    assert not PlatformSettings(env="local", sim_clock=False).sim_clock_on
    external = {
        "database_url": "postgresql+asyncpg://db/airline",
        "redis_url": "redis://cache:6379/0",
        "kafka_bootstrap_servers": "broker:9092",
    }
    assert not PlatformSettings(env="production", **external).sim_clock_on
    with pytest.raises(ValueError, match="never in production"):
        PlatformSettings(env="production", sim_clock=True, **external)
