from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from airline.platform.db import async_url
from airline.platform.events import Envelope, topic_name
from airline.platform.settings import PlatformSettings


def test_local_mode_needs_no_configuration() -> None:
    s = PlatformSettings(_env_file=None, env="local")
    assert s.database_url is None and s.service_secret is None


def test_production_refuses_to_start_without_addresses() -> None:
    with pytest.raises(ValidationError, match="AIRLINE_KAFKA_BOOTSTRAP_SERVERS"):
        PlatformSettings(_env_file=None, env="production", database_url="postgresql://db/x", redis_url="redis://r")


def test_production_has_no_default_secret() -> None:
    s = PlatformSettings(
        _env_file=None,
        env="production",
        database_url="postgresql://db/x",
        redis_url="redis://r",
        kafka_bootstrap_servers="k:9092",
    )
    with pytest.raises(RuntimeError, match="AIRLINE_BOOKING_MANAGE_KEY"):
        s.secret("booking_manage_key")


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="32"):
        PlatformSettings(
            _env_file=None,
            env="production",
            database_url="postgresql://db/x",
            redis_url="redis://r",
            kafka_bootstrap_servers="k:9092",
            service_secret="short",
        )


def test_conventional_variable_names_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/airline")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092")
    s = PlatformSettings(_env_file=None)
    assert s.database_url == "postgresql://u@db:5432/airline"
    assert s.kafka_bootstrap_servers == "k1:9092,k2:9092"


def test_async_url_points_sqlalchemy_at_asyncpg() -> None:
    assert async_url("postgres://u:p@h/db") == "postgresql+asyncpg://u:p@h/db"
    assert (
        async_url("postgresql://postgres:@/postgres?host=/tmp/x")
        == "postgresql+asyncpg://postgres@/postgres?host=/tmp/x"
    )


def test_envelope_round_trip_and_rejects_non_envelopes() -> None:
    e = Envelope(
        type="PlaneStatusChanged",
        version=1,
        producer="airport",
        key="P1",
        payload={"status": "maintenance"},
        trace={"traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"},
    )
    back = Envelope.from_json(e.to_json())
    assert back == e
    assert topic_name("airport", "plane_status_changed") == "airport.plane_status_changed.v1"
    with pytest.raises(ValueError, match="missing"):
        Envelope.from_json(json.dumps({"type": "X"}))
