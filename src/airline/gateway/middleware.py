"""One ASGI middleware around every HTTP request: request id, server span, metrics, access
log, and the last-resort 500 problem.

Priced with cProfile on a trivial read (issue 16): the access log's JSON formatting was about
two thirds of this middleware's own time, so by default only failed (4xx/5xx) and slow requests
are logged (`AIRLINE_GATEWAY_ACCESS_LOG=all` logs every one; the ingress in front logs them
anyway, and the metrics count every request); only the headers used here are decoded; the
metric children of each (method, route, status) are looked up once.

Pure ASGI rather than BaseHTTPMiddleware: the endpoint must run in this task's context, so
the caller set by the auth dependency is what the gRPC client interceptor sees, and so the
server span opened here is the parent of every gRPC client span.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airline.gateway.problems import problem_response, request_id_var
from airline.gateway.reason import read_reason
from airline.gateway.sim_time import read_sim_time
from airline.platform import simclock
from airline.platform.auth import current_principal
from airline.platform.metrics import HTTP_LATENCY, HTTP_REQUESTS
from airline.platform.reason import current_reason
from airline.platform.tracing import extract, tracer

log = logging.getLogger("airline.gateway")
access_log = logging.getLogger("airline.gateway.access")

# An incoming X-Request-ID is kept only if it cannot smuggle anything into headers or logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# The request headers this middleware reads: the request id and the trace context.
READ_HEADERS = frozenset({b"x-request-id", b"traceparent", b"tracestate", b"baggage"})
ACCESS_LOG_MODES = ("all", "errors", "off")
SLOW_SECONDS = 1.0  # in "errors" mode a request this slow is logged too


def route_template(scope: Scope) -> str:
    """The matched route's template (bounded label values), never the raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class GatewayMiddleware:
    def __init__(self, app: ASGIApp, instance: str = "", access_log: str = "errors", sim_clock: bool = False) -> None:
        if access_log not in ACCESS_LOG_MODES:
            raise ValueError(f"access_log must be one of {ACCESS_LOG_MODES}")
        self.app = app
        self.instance = instance
        self.access_log = access_log
        self.sim_clock = sim_clock  # X-Airline-Sim-Time accepted (gateway/sim_time.py)
        self.tracer = tracer("airline.gateway")
        self._metrics: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def _observe(self, method: str, route: str, status: int, elapsed: float) -> None:
        key = (method, route, status)
        children = self._metrics.get(key)
        if children is None:
            children = (HTTP_REQUESTS.labels(method, route, str(status)), HTTP_LATENCY.labels(method, route))
            if len(self._metrics) < 10_000:  # routes are templates: bounded, but never grow without end
                self._metrics[key] = children
        children[0].inc()
        children[1].observe(elapsed)

    def _logs(self, status: int, elapsed: float) -> bool:
        if self.access_log == "all":
            return True
        return self.access_log == "errors" and (status >= 400 or elapsed >= SLOW_SECONDS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in scope.get("headers", ())
            if k in READ_HEADERS  # ASGI names are lower-case
        }
        incoming = headers.get("x-request-id", "")
        request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        path = scope.get("path", "")
        rid_token = request_id_var.set(request_id)
        principal_token = current_principal.set(None)
        why, refused = read_reason(scope)  # X-Airline-Reason, forwarded to the services (gateway/reason.py)
        reason_token = current_reason.set(why)
        simulated, refused_time = read_sim_time(scope, self.sim_clock)  # X-Airline-Sim-Time (gateway/sim_time.py)
        refused = refused or refused_time
        sim_token = simclock.sim_now.set(simulated)
        state: dict[str, Any] = {"status": 500, "started": False}
        t0 = time.perf_counter()
        with self.tracer.start_as_current_span(
            method,
            context=extract(headers),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": path, "http.request.id": request_id},
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            span_context = span.get_span_context()
            trace_id = format(span_context.trace_id, "032x") if span_context.is_valid else None

            async def send_with_ids(message: Message) -> None:
                if message["type"] == "http.response.start":
                    state["started"] = True
                    state["status"] = message["status"]
                    out = MutableHeaders(scope=message)
                    out["X-Request-ID"] = request_id
                    if trace_id:
                        out["X-Trace-Id"] = trace_id
                    if self.instance:
                        out["X-Instance"] = self.instance
                await send(message)

            try:
                if refused is not None:
                    await refused(scope, receive, send_with_ids)
                else:
                    await self.app(scope, receive, send_with_ids)
            except Exception as e:
                span.record_exception(e)
                log.exception("unhandled error in %s %s", method, path, extra={"http.request.id": request_id})
                if state["started"]:
                    raise  # the status line is out; only dropping the connection is left
                response = problem_response(
                    500,
                    "an unexpected error occurred; quote the request id when reporting it",
                    instance=path,
                    code="internal_error",
                )
                await response(scope, receive, send_with_ids)
            finally:
                status = int(state["status"])
                route = route_template(scope)
                elapsed = time.perf_counter() - t0
                if span.is_recording():  # without an exporter the span only carries the context
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                self._observe(method, route, status, elapsed)
                if self._logs(status, elapsed):
                    access_log.info(
                        "%s %s %d %.1fms",
                        method,
                        path,
                        status,
                        elapsed * 1000,
                        extra={
                            "http.request.id": request_id,
                            "http.request.method": method,
                            "url.path": path,
                            "http.route": route,
                            "http.response.status_code": status,
                            "event.duration": int(elapsed * 1e9),
                        },
                    )
                current_principal.reset(principal_token)
                current_reason.reset(reason_token)
                simclock.sim_now.reset(sim_token)
                request_id_var.reset(rid_token)


class RequestIdLogFilter(logging.Filter):
    """Adds the current request id (ECS `http.request.id`) to every log record made while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if request_id and not hasattr(record, "http.request.id"):
            setattr(record, "http.request.id", request_id)
        return True


def install_request_id_logging() -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RequestIdLogFilter) for f in handler.filters):
            handler.addFilter(RequestIdLogFilter())
