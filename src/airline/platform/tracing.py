"""OpenTelemetry tracing with W3C trace context carried gateway -> gRPC -> Kafka.

One TracerProvider per process, set up by the process's composition root. Propagation goes
through the globally configured propagator (W3C traceparent), so any OTel-aware peer joins in.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, SpanExporter

_provider: TracerProvider | None = None


def setup_tracing(service_name: str, exporter: str | SpanExporter = "none") -> TracerProvider:
    """Install the process's tracer provider (once; later calls only add an exporter)."""
    global _provider
    if _provider is None:
        _provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
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
    return _provider


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


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
