"""One trace from the gateway through the gRPC hop to the consumer of the resulting event."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from airline.contracts.events import airport as airport_events
from airline.platform.consumer import EventConsumer
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.factories import airport_code
from tests.support.http import auth


def _by_id(spans: list[ReadableSpan]) -> dict[int, ReadableSpan]:
    return {s.context.span_id: s for s in spans}


def _ancestors(span: ReadableSpan, index: dict[int, ReadableSpan]) -> list[ReadableSpan]:
    chain = []
    while span.parent is not None and span.parent.span_id in index:
        span = index[span.parent.span_id]
        chain.append(span)
    return chain


async def test_gateway_grpc_and_consumer_share_one_trace(
    api: httpx.AsyncClient,
    tokens: dict[str, str],
    spans: InMemorySpanExporter,
    settings: PlatformSettings,
    services: dict[str, RunningService],
) -> None:
    code = airport_code()
    seen: asyncio.Queue[Envelope] = asyncio.Queue()

    async def on_created(uow: UnitOfWork, envelope: Envelope) -> None:
        if envelope.payload.get("code") == code:
            await seen.put(envelope)

    consumer = EventConsumer(
        services["airport"].runtime.db,
        f"trace-test-{uuid.uuid4().hex[:6]}",
        settings.kafka_bootstrap_servers or "",
        {airport_events.AIRPORT_CREATED.topic: on_created},
        session_timeout_ms=6000,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        r = await api.post(
            "/api/v1/airports",
            json={
                "code": code,
                "name": f"Trace Test {code}",
                "city": "Testville",
                "country": "SG",
                "time_zone": "Asia/Singapore",
            },
            headers=auth(tokens["ops"]),
        )
        assert r.status_code == 201, r.text
        envelope = await asyncio.wait_for(seen.get(), timeout=30)
    finally:
        stop.set()
        await task

    finished = list(spans.get_finished_spans())
    index = _by_id(finished)
    consumed = [
        s
        for s in finished
        if s.kind is SpanKind.CONSUMER and (s.attributes or {}).get("messaging.message.id") == envelope.event_id
    ]
    assert len(consumed) == 1, "the consumer's span is recorded"
    chain = _ancestors(consumed[0], index)
    names = [s.name for s in chain]
    grpc_server = [s for s in chain if s.kind is SpanKind.SERVER and s.name.endswith("AirportService/CreateAirport")]
    gateway = [s for s in chain if s.kind is SpanKind.SERVER and s.name.startswith("POST")]
    assert grpc_server, f"the gRPC hop is an ancestor of the consumer span: {names}"
    assert gateway, f"the gateway request is an ancestor of the consumer span: {names}"
    assert gateway[0].parent is None, "the trace started at the gateway"
    trace_ids = {consumed[0].context.trace_id, grpc_server[0].context.trace_id, gateway[0].context.trace_id}
    assert len(trace_ids) == 1
