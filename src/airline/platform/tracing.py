"""OpenTelemetry tracing with W3C trace context carried gateway -> gRPC -> Kafka.

One TracerProvider per process, set up by the process's composition root. Propagation goes
through the globally configured propagator (W3C traceparent), so any OTel-aware peer joins in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider, sampling
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import Sampler

_provider: TracerProvider | None = None


class _ExportSwitch(Sampler):
    """Record spans only while something exports them: with no exporter every span is a
    non-recording one (ids for propagation and logs, no attributes, events or timings kept,
    nothing ended or processed); once an exporter is added, the configured sampler decides
    (OTEL_TRACES_SAMPLER, parent-based always-on by default)."""

    def __init__(self) -> None:
        self.exporting = False
        self._configured = sampling._get_from_env_or_default()
        self._off = sampling.ALWAYS_OFF

    def should_sample(self, *args: Any, **kwargs: Any) -> sampling.SamplingResult:
        return (self._configured if self.exporting else self._off).should_sample(*args, **kwargs)

    def get_description(self) -> str:
        return f"ExportSwitch({'on: ' + self._configured.get_description() if self.exporting else 'off'})"


_switch = _ExportSwitch()


def setup_tracing(service_name: str, exporter: str | SpanExporter = "none") -> TracerProvider:
    """Install the process's tracer provider (once; later calls only add an exporter).

    With exporter "none" spans are not recorded at all (trace context still propagates: a
    request gets a trace id, carried to gRPC peers and events); "console", "otlp" or an
    exporter object turns recording on."""
    global _provider
    if _provider is None:
        _provider = TracerProvider(resource=Resource.create({"service.name": service_name}), sampler=_switch)
        trace.set_tracer_provider(_provider)
    if isinstance(exporter, SpanExporter):
        _provider.add_span_processor(SimpleSpanProcessor(exporter))
    elif exporter == "console":
        _provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    elif exporter == "otlp":
        # OTLP/gRPC to a collector; where and how are the SDK's standard variables
        # (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_BSP_SCHEDULE_DELAY...). Batched: a request never
        # waits for the collector, and the provider flushes what is left when the process exits.
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if exporter != "none":
        _switch.exporting = True
    return _provider


def recording() -> bool:
    """Spans are recorded (an exporter is configured): worth building their attributes."""
    return _switch.exporting


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


@contextlib.contextmanager
def continue_trace(
    tracer: trace.Tracer, name: str, carrier: Mapping[str, str], kind: trace.SpanKind, attributes: dict[str, Any]
) -> Iterator[trace.Span]:
    """The span of work a peer asked for (a gRPC call, an event), a child of the trace in
    `carrier`. Without an exporter no span is made: the carrier's context becomes current, so
    what this work calls or emits carries the same trace on."""
    if recording():
        with tracer.start_as_current_span(name, context=extract(carrier), kind=kind, attributes=attributes) as span:
            yield span
        return
    token = otel_context.attach(extract(carrier))
    try:
        yield trace.get_current_span()
    finally:
        otel_context.detach(token)


def inject(carrier: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """The current trace context as string headers (traceparent, tracestate)."""
    out: dict[str, str] = dict(carrier or {})
    propagate.inject(out)
    return out


def extract(carrier: Mapping[str, str]) -> otel_context.Context:
    return propagate.extract(dict(carrier))


def current_ids() -> tuple[str, str] | None:
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return format(ctx.trace_id, "032x"), format(ctx.span_id, "016x")
