"""gRPC server and client helpers (grpc.aio).

Server side, one interceptor does for every RPC what no servicer should repeat: join the
caller's trace, learn who the caller is from the bearer token in the metadata, map domain
errors to status codes (with a machine-readable `error-code` trailer), and count and time
the call (and carry the staff's reason, platform/reason.py). Client side, the interceptor
forwards the trace context, the caller's token and reason, and puts a deadline on every call
that has none; `call` is how a service calls another one: a
deadline on each attempt, retries of idempotent calls on UNAVAILABLE / DEADLINE_EXCEEDED with
backoff, and the callee's refusal mapped back to the platform's domain errors.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from opentelemetry import trace

from airline.platform import errors, reason, simclock
from airline.platform.auth import Principal, TokenVerifier, bearer_token, current_principal
from airline.platform.metrics import GRPC_CLIENT_RETRIES, GRPC_LATENCY, GRPC_REQUESTS
from airline.platform.tracing import continue_trace, inject, recording, tracer

log = logging.getLogger(__name__)

STATUS_FOR: list[tuple[type[errors.DomainError], grpc.StatusCode]] = [
    (errors.ValidationFailed, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.NotFound, grpc.StatusCode.NOT_FOUND),
    (errors.AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
    (errors.Conflict, grpc.StatusCode.FAILED_PRECONDITION),
    (errors.Unauthenticated, grpc.StatusCode.UNAUTHENTICATED),
    (errors.PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (errors.TooManyRequests, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (errors.Unavailable, grpc.StatusCode.UNAVAILABLE),
]


def status_for(error: errors.DomainError) -> grpc.StatusCode:
    for kind, code in STATUS_FOR:
        if isinstance(error, kind):
            return code
    return grpc.StatusCode.FAILED_PRECONDITION


def error_code(error: grpc.aio.AioRpcError) -> str | None:
    """The machine-readable `error-code` trailer of a refusal (see the server interceptor)."""
    try:
        for key, value in error.trailing_metadata() or ():
            if key == "error-code":
                return value.decode() if isinstance(value, bytes) else str(value)
    except Exception:  # a call that never reached the server has no trailers to read
        return None
    return None


def domain_error_from(error: grpc.aio.AioRpcError, who: str) -> errors.DomainError:
    """The domain error behind another service's refusal (the inverse of status_for), keeping
    its message and `error-code` trailer, so a caller can pass it on or react to its code.
    A status that is no refusal (unavailable, deadline, internal) becomes Unavailable."""
    code = error_code(error)
    status = error.code()  # `who` names the callee for the message: "the airport service"
    if status == grpc.StatusCode.ABORTED:
        return errors.Conflict(error.details() or "a concurrent change; retry", code=code)
    for kind, mapped in STATUS_FOR:
        if mapped == status and kind is not errors.Unavailable:
            return kind(error.details() or f"{who} refused the request", code=code)
    if status == grpc.StatusCode.UNAVAILABLE and code:  # the callee answered: "not now", and why
        return errors.Unavailable(error.details() or f"{who} is unavailable for the moment", code=code)
    return errors.Unavailable(
        f"{who} did not answer ({status.name}): nothing was changed, try again", code="upstream_unavailable"
    )


RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})
"""Failures after which an idempotent call may be tried again: the callee was not reached or
did not answer in time; any other status is an answer, and asking again gets the same one."""


async def call(
    stub_method: Callable[..., Any],
    request: Any,
    *,
    deadline: float,
    idempotent: bool,
    retries: int = 2,
    who: str = "",
    not_found: str | None = None,
    backoff: float = 0.1,
    max_backoff: float = 2.0,
    metadata: Any = None,
) -> Any:
    """`stub_method(request)` with a deadline of `deadline` seconds on each attempt.

    An `idempotent` call (a read, or a write carrying an idempotency key the callee honours) is
    retried up to `retries` times after UNAVAILABLE or DEADLINE_EXCEEDED, with exponential
    backoff and jitter; any other call is tried once, because a write that timed out may have
    happened. A failure becomes a DomainError (domain_error_from): the callee's refusal keeps
    its kind, message and code; no answer is Unavailable. With `not_found`, NOT_FOUND and
    INVALID_ARGUMENT (an id the callee cannot read) become NotFound(not_found).
    `who` names the callee in messages ("the flights service"); it defaults to the stub's."""
    if deadline <= 0:
        raise ValueError("a gRPC call needs a positive deadline")
    attempts = 1 + (max(0, retries) if idempotent else 0)
    extra = {} if metadata is None else {"metadata": metadata}
    for attempt in range(attempts):
        try:
            return await stub_method(request, timeout=deadline, **extra)
        except grpc.aio.AioRpcError as e:
            status = e.code()
            if status in RETRYABLE and attempt + 1 < attempts:
                GRPC_CLIENT_RETRIES.labels(_callee_method(stub_method), status.name).inc()
                await asyncio.sleep(min(max_backoff, backoff * 2**attempt) * random.uniform(0.5, 1.0))
                continue
            if not_found is not None and status in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                raise errors.NotFound(not_found) from None
            raise domain_error_from(e, who or _callee(stub_method)) from None
    raise AssertionError("unreachable")  # the loop returns or raises


def _callee_method(stub_method: Callable[..., Any]) -> str:
    method = getattr(stub_method, "_method", None)  # grpc.aio's multicallables keep the full name
    if isinstance(method, bytes | str):
        return _method_name(method)
    name = getattr(stub_method, "__qualname__", None) or getattr(stub_method, "__name__", "call")
    return str(name)


def _callee(stub_method: Callable[..., Any]) -> str:
    """ "the flights service" from "/airline.flights.v1.FlightService/GetFlight"."""
    parts = _callee_method(stub_method).split(".")
    return f"the {parts[1]} service" if len(parts) > 2 and parts[0] == "airline" else "another service"


class ServerInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]  # grpc ships no type hints
    def __init__(self, service: str, verifier: TokenVerifier, sim_clock: bool = False) -> None:
        self.service = service
        self.verifier = verifier
        self.sim_clock = sim_clock  # callers may say what time it is (platform/simclock.py)
        self._tracer = tracer("airline.grpc.server")

    async def intercept_service(self, continuation, details):  # type: ignore[no-untyped-def]
        handler = await continuation(details)
        if handler is None or details.method.startswith("/grpc.health."):
            return handler
        metadata = {k: v for k, v in (details.invocation_metadata or ()) if isinstance(v, str)}
        method = details.method
        if handler.unary_unary:
            inner = handler.unary_unary

            async def unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
                return await self._call(inner, request, context, method, metadata)

            return grpc.unary_unary_rpc_method_handler(
                unary,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream:
            inner_stream = handler.unary_stream

            async def stream(request: Any, context: grpc.aio.ServicerContext):  # type: ignore[no-untyped-def]
                caller = await self._authenticate(metadata)
                with self._enter(context, method, metadata, caller) as started:
                    try:
                        started.check_auth()
                        async for item in inner_stream(request, context):
                            yield item
                        started.code = "OK"
                    except errors.DomainError as e:
                        started.code = status_for(e).name
                        await _abort(context, e)

            return grpc.unary_stream_rpc_method_handler(
                stream,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler

    async def _authenticate(self, metadata: dict[str, str]) -> tuple[Principal | None, errors.DomainError | None]:
        try:
            token = bearer_token(metadata.get("authorization"))
            return (await self.verifier.verify(token) if token else None), None
        except errors.DomainError as e:
            return None, e

    async def _call(
        self,
        inner: Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]],
        request: Any,
        context: grpc.aio.ServicerContext,
        method: str,
        metadata: dict[str, str],
    ) -> Any:
        caller = await self._authenticate(metadata)
        with self._enter(context, method, metadata, caller) as started:
            try:
                started.check_auth()
                response = await inner(request, context)
                started.code = "OK"
                return response
            except errors.DomainError as e:
                started.code = status_for(e).name
                await _abort(context, e)

    def _enter(
        self,
        context: grpc.aio.ServicerContext,
        method: str,
        metadata: dict[str, str],
        caller: tuple[Principal | None, errors.DomainError | None],
    ) -> _Started:
        return _Started(self, context, method, metadata, caller)


class _Started:
    """Span, principal and metrics around one RPC."""

    def __init__(
        self,
        owner: ServerInterceptor,
        context: grpc.aio.ServicerContext,
        method: str,
        metadata: dict[str, str],
        caller: tuple[Principal | None, errors.DomainError | None],
    ) -> None:
        self.owner = owner
        self.caller = caller
        self.context = context
        self.method = method
        self.metadata = metadata
        self.code = "UNKNOWN"

    def __enter__(self) -> _Started:
        self.t0 = time.perf_counter()
        self.span_cm = continue_trace(
            self.owner._tracer,
            self.method.lstrip("/"),
            self.metadata,
            trace.SpanKind.SERVER,
            {"rpc.system": "grpc", "rpc.method": self.method},
        )
        self.span_cm.__enter__()
        principal, self.auth_error = self.caller
        self.token = current_principal.set(principal)
        # why staff act (platform/reason.py), and that this is a caller's request
        self.reason_token = reason.current_reason.set(reason.from_metadata(self.metadata.get(reason.METADATA_KEY)))
        self.rpc_token = reason.current_rpc.set(self.method)
        # the instant a simulation plays (platform/simclock.py); ignored unless the clock is on
        self.sim_token = simclock.sim_now.set(
            simclock.from_metadata(self.metadata.get(simclock.METADATA_KEY), self.owner.sim_clock)
        )
        return self

    def check_auth(self) -> None:
        # a bad token is refused even on routes anyone may call: it is a client bug
        if self.auth_error is not None:
            raise self.auth_error
        reason.check(self.method, current_principal.get())

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        current_principal.reset(self.token)
        reason.current_reason.reset(self.reason_token)
        reason.current_rpc.reset(self.rpc_token)
        simclock.sim_now.reset(self.sim_token)
        if exc is not None and self.code in ("UNKNOWN", "OK") and not _is_abort(exc):
            log.exception("unhandled error in %s", self.method, exc_info=exc)
            self.code = "INTERNAL"
        self.span_cm.__exit__(exc_type, exc, tb)
        GRPC_REQUESTS.labels(self.owner.service, self.method, self.code).inc()
        GRPC_LATENCY.labels(self.owner.service, self.method).observe(time.perf_counter() - self.t0)


def _is_abort(exc: BaseException) -> bool:
    return isinstance(exc, grpc.aio.AbortError) or type(exc).__name__ == "AbortError"


async def _abort(context: grpc.aio.ServicerContext, e: errors.DomainError) -> None:
    context.set_trailing_metadata((("error-code", e.code),))
    await context.abort(status_for(e), e.message)


# grpc ships no type hints, so its base classes are Any to mypy.
class ClientInterceptor(grpc.aio.UnaryUnaryClientInterceptor, grpc.aio.UnaryStreamClientInterceptor):  # type: ignore[misc]
    def __init__(self, default_deadline: float) -> None:
        self.default_deadline = default_deadline
        self._tracer = tracer("airline.grpc.client")

    async def _details(self, details: grpc.aio.ClientCallDetails, streaming: bool) -> grpc.aio.ClientCallDetails:
        metadata = list(details.metadata or [])
        metadata += list(inject().items())
        principal = current_principal.get()
        if principal is not None and not any(k == "authorization" for k, _ in metadata):
            # a service acting as itself gets its token from identity (platform/service_auth.py)
            token = principal.token or (await principal.token_source() if principal.token_source else "")
            if token:
                metadata.append(("authorization", f"Bearer {token}"))
        why = reason.current_reason.get()
        if why and not any(k == reason.METADATA_KEY for k, _ in metadata):
            metadata.append((reason.METADATA_KEY, reason.to_metadata(why)))
        simulated = simclock.sim_now.get()
        if simulated is not None and not any(k == simclock.METADATA_KEY for k, _ in metadata):
            metadata.append((simclock.METADATA_KEY, simclock.to_metadata(simulated)))
        timeout = details.timeout
        if timeout is None and not streaming:
            timeout = self.default_deadline
        return grpc.aio.ClientCallDetails(
            method=details.method,
            timeout=timeout,
            metadata=grpc.aio.Metadata(*metadata),
            credentials=details.credentials,
            wait_for_ready=details.wait_for_ready,
        )

    async def intercept_unary_unary(self, continuation, client_call_details, request):  # type: ignore[no-untyped-def]
        if not recording():  # the caller's trace context is carried as it is (inject)
            call = await continuation(await self._details(client_call_details, False), request)
            await call
            return call
        method = _method_name(client_call_details.method)
        with self._tracer.start_as_current_span(method, kind=trace.SpanKind.CLIENT, attributes={"rpc.system": "grpc"}):
            call = await continuation(await self._details(client_call_details, False), request)
            await call  # surface errors inside the span
            return call

    async def intercept_unary_stream(self, continuation, client_call_details, request):  # type: ignore[no-untyped-def]
        return await continuation(await self._details(client_call_details, True), request)


def _method_name(method: str | bytes) -> str:
    return (method.decode() if isinstance(method, bytes) else method).lstrip("/")


def make_channel(target: str, default_deadline: float = 5.0) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(
        target,
        interceptors=[ClientInterceptor(default_deadline)],
        options=[("grpc.keepalive_time_ms", 30_000), ("grpc.enable_retries", 1)],
    )


async def make_server(
    service: str,
    verifier: TokenVerifier,
    register: Iterable[Callable[[grpc.aio.Server], Any]],
    bind: str,
    full_names: Iterable[str] = (),
    *,
    sim_clock: bool = False,
) -> tuple[grpc.aio.Server, HealthServicer, int]:
    """A grpc.aio server with the platform interceptor and grpc.health.v1; returns the bound port."""
    server = grpc.aio.server(interceptors=[ServerInterceptor(service, verifier, sim_clock)])
    for add in register:
        add(server)
    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    port = server.add_insecure_port(bind)
    if port == 0:
        raise RuntimeError(f"cannot listen on {bind}")
    for name in ("", *full_names):
        await health.set(name, health_pb2.HealthCheckResponse.SERVING)
    return server, health, port


async def check_health(target: str, timeout: float = 1.0, service: str = "") -> bool:
    async with grpc.aio.insecure_channel(target) as channel:
        try:
            reply = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout
            )
        except grpc.aio.AioRpcError:
            return False
        serving: bool = reply.status == health_pb2.HealthCheckResponse.SERVING
        return serving
