"""What the platform pays per call and per idle second (issue 16): pools without a pre-ping that
fit PostgreSQL's connection limit, uvloop in every service process, no spans built without an
exporter, service tokens reused until near expiry."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import uvloop
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from airline import cli
from airline.gateway.live import LiveFeed, LiveHub
from airline.platform import tracing
from airline.platform.consumer import ConsumerSettings
from airline.platform.db import make_engine
from airline.platform.embedded import EmbeddedPostgres
from airline.platform.service_auth import ServiceTokens
from airline.platform.settings import SERVICES, PlatformSettings, connection_budget

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_every_service_pool_together_fits_postgres_max_connections() -> None:
    settings = PlatformSettings(_env_file=None)
    needed = connection_budget(len(SERVICES), settings.db_pool_size, settings.db_max_overflow)
    assert needed <= EmbeddedPostgres.MAX_CONNECTIONS, needed
    # each service keeps a real pool, not a token one
    assert settings.db_pool_size + settings.db_max_overflow >= 5


def test_connection_budget_counts_pool_overflow_listener_and_admin_headroom() -> None:
    assert connection_budget(1, 5, 2) == 5 + 2 + 1 + 10
    assert connection_budget(11, 10, 5) > EmbeddedPostgres.MAX_CONNECTIONS  # the old sizes did not fit


def test_engines_recycle_connections_instead_of_pinging_before_every_checkout() -> None:
    engine = make_engine("postgresql://postgres@/postgres?host=/nowhere", pool_size=3, max_overflow=1)
    pool: Any = engine.sync_engine.pool
    assert pool._pre_ping is False
    assert pool._recycle == 300
    assert (pool.size(), pool._max_overflow) == (3, 1)


def test_a_service_process_runs_on_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[type[asyncio.AbstractEventLoop]] = []

    async def serve(name: str, settings: PlatformSettings) -> int:
        seen.append(type(asyncio.get_running_loop()))
        return 0

    monkeypatch.setattr(cli, "_serve_service", serve)
    monkeypatch.setattr("airline.platform.logging.setup_logging", lambda *a, **k: None)
    monkeypatch.setattr("airline.platform.tracing.setup_tracing", lambda *a, **k: None)
    with pytest.raises(SystemExit) as exit_code:
        cli.main(["serve", "booking"])
    assert exit_code.value.code == 0
    assert seen == [uvloop.Loop]


def _provider() -> tuple[TracerProvider, tracing._ExportSwitch]:
    switch = tracing._ExportSwitch()
    return TracerProvider(sampler=switch), switch


def test_without_an_exporter_spans_are_not_recorded_but_ids_propagate() -> None:
    provider, switch = _provider()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("root", attributes={"a": 1}) as span:
        assert not span.is_recording()
        assert span.get_span_context().is_valid  # a trace id for logs and peers
        assert tracing.inject()["traceparent"].split("-")[1] == format(span.get_span_context().trace_id, "032x")
    assert exporter.get_finished_spans() == ()
    switch.exporting = True
    with tracer.start_as_current_span("root") as span:
        assert span.is_recording()
    assert [s.name for s in exporter.get_finished_spans()] == ["root"]


def test_continuing_a_peers_trace_without_an_exporter_makes_no_span(monkeypatch: pytest.MonkeyPatch) -> None:
    class Refuses:
        def start_as_current_span(self, *a: object, **k: object) -> Any:
            raise AssertionError("no span without an exporter")

    monkeypatch.setattr(tracing._switch, "exporting", False)
    tracer: Any = Refuses()
    with tracing.continue_trace(tracer, "x", {"traceparent": TRACEPARENT}, trace.SpanKind.SERVER, {}):
        assert tracing.inject()["traceparent"].split("-")[1] == "0af7651916cd43dd8448eb211c80319c"
        assert tracing.current_ids() == ("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")
    assert trace.get_current_span().get_span_context().trace_id != 0x0AF7651916CD43DD8448EB211C80319C


class FakeIdentity:
    def __init__(self, ttl: int = 300) -> None:
        self.ttl = ttl
        self.issued = 0

    async def service_token(self, service: str, secret: str) -> tuple[str, int]:
        self.issued += 1
        await asyncio.sleep(0)
        return f"{service}-token-{self.issued}", self.ttl


async def test_the_system_token_is_reused_until_near_expiry_then_renewed_once() -> None:
    now = [1000.0]
    identity = FakeIdentity(ttl=300)
    tokens = ServiceTokens("booking", "s" * 32, identity, clock=lambda: now[0])  # type: ignore[arg-type]
    assert await tokens.token() == await tokens.token() == "booking-token-1"
    now[0] += 200  # well within its 300 s
    assert await tokens.token() == "booking-token-1"
    assert identity.issued == 1
    now[0] += 45  # less than a minute left: renewed, once, however many calls ask at once
    assert set(await asyncio.gather(*(tokens.token() for _ in range(5)))) == {"booking-token-2"}
    assert identity.issued == 2


def test_consumers_fetch_less_often_than_twice_a_second_by_default() -> None:
    assert ConsumerSettings().fetch_max_wait_ms >= 1000


def test_the_gateway_live_feed_fetches_at_most_twice_a_second_by_default() -> None:
    # every gateway process's feed is one such fetch loop on the broker, idle or not
    assert LiveFeed(LiveHub(None), "127.0.0.1:9").fetch_max_wait_ms >= 500
