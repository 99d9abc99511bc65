from __future__ import annotations

import io
import json
import logging

import grpc
import pytest
from opentelemetry.sdk.trace import TracerProvider

from airline.identity.bootstrap import LOCAL_ADMIN_PASSWORD, admin_password
from airline.identity.settings import IdentitySettings
from airline.platform import errors
from airline.platform.auth import Principal, Role, current_principal
from airline.platform.grpc import ClientInterceptor, status_for
from airline.platform.logging import setup_logging


def test_logs_are_ecs_json_with_the_trace_id() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging("airport", "INFO", json=True)
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    tracer = TracerProvider().get_tracer("t")
    try:
        with tracer.start_as_current_span("work") as span:
            logging.getLogger("airline.test").info("plane %s grounded", "P1")
            trace_id = format(span.get_span_context().trace_id, "032x")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["message"] == "plane P1 grounded"
    assert line["log.level"] == "info"
    assert "@timestamp" in line
    assert line["trace"]["id"] == trace_id
    assert line["service"]["name"] == "airport"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.ValidationFailed("x"), grpc.StatusCode.INVALID_ARGUMENT),
        (errors.NotFound("x"), grpc.StatusCode.NOT_FOUND),
        (errors.AlreadyExists("x"), grpc.StatusCode.ALREADY_EXISTS),
        (errors.Conflict("x"), grpc.StatusCode.FAILED_PRECONDITION),
        (errors.Unauthenticated("x"), grpc.StatusCode.UNAUTHENTICATED),
        (errors.PermissionDenied("x"), grpc.StatusCode.PERMISSION_DENIED),
        (errors.Unavailable("x"), grpc.StatusCode.UNAVAILABLE),
    ],
)
def test_domain_errors_map_to_grpc_status_codes(error: errors.DomainError, code: grpc.StatusCode) -> None:
    assert status_for(error) is code


async def test_client_calls_get_a_deadline_the_trace_and_the_callers_token() -> None:
    interceptor = ClientInterceptor(default_deadline=2.5)
    details = grpc.aio.ClientCallDetails("/airline.airport.v1.AirportService/GetAirport", None, None, None, None)
    token = current_principal.set(Principal("u1", Role.OPS, token="tok-123"))
    try:
        with TracerProvider().get_tracer("t").start_as_current_span("caller"):
            out = await interceptor._details(details, streaming=False)
    finally:
        current_principal.reset(token)
    metadata = dict(out.metadata)
    assert out.timeout == 2.5
    assert metadata["authorization"] == "Bearer tok-123"
    assert metadata["traceparent"].startswith("00-")
    explicit = grpc.aio.ClientCallDetails(details.method, 0.3, None, None, None)
    assert (await interceptor._details(explicit, streaming=False)).timeout == 0.3
    # a server stream (a live feed) may run for as long as the caller wants
    assert (await interceptor._details(details, streaming=True)).timeout is None


async def test_a_service_acting_as_itself_gets_its_token_when_it_calls() -> None:
    asked: list[int] = []

    async def from_identity() -> str:
        asked.append(1)
        return "system-tok"

    details = grpc.aio.ClientCallDetails("/airline.airport.v1.AirportService/GetAirport", None, None, None, None)
    token = current_principal.set(Principal("booking", Role.SYSTEM, token_source=from_identity))
    try:
        out = await ClientInterceptor(default_deadline=1.0)._details(details, streaming=False)
    finally:
        current_principal.reset(token)
    assert dict(out.metadata)["authorization"] == "Bearer system-tok" and asked == [1]


def test_first_admin_password_has_no_default_outside_local_mode() -> None:
    settings = IdentitySettings(_env_file=None, admin_password=None)
    assert admin_password(settings, "local") == LOCAL_ADMIN_PASSWORD
    with pytest.raises(RuntimeError, match="AIRLINE_IDENTITY_ADMIN_PASSWORD"):
        admin_password(settings, "production")
    chosen = IdentitySettings(_env_file=None, admin_password="a-chosen-admin-password")
    assert admin_password(chosen, "production") == "a-chosen-admin-password"


class _Refusal(grpc.aio.AioRpcError):
    def __init__(self, code: grpc.StatusCode, details: str, error_code: str | None = None) -> None:
        trailers = grpc.aio.Metadata(("error-code", error_code)) if error_code else grpc.aio.Metadata()
        super().__init__(code, grpc.aio.Metadata(), trailers, details)


def test_another_services_refusal_becomes_the_same_domain_error() -> None:
    from airline.platform.grpc import domain_error_from

    for kind, code in [
        (errors.ValidationFailed, grpc.StatusCode.INVALID_ARGUMENT),
        (errors.NotFound, grpc.StatusCode.NOT_FOUND),
        (errors.AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
        (errors.Conflict, grpc.StatusCode.FAILED_PRECONDITION),
        (errors.PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
        (errors.Conflict, grpc.StatusCode.ABORTED),
    ]:
        mapped = domain_error_from(_Refusal(code, "seat 5A already held", "seat_held"), "the reservation service")
        assert type(mapped) is kind, code
        assert (mapped.message, mapped.code) == ("seat 5A already held", "seat_held")
    down = domain_error_from(_Refusal(grpc.StatusCode.UNAVAILABLE, "connect failed"), "the airport service")
    assert isinstance(down, errors.Unavailable)
    assert "the airport service did not answer (UNAVAILABLE)" in down.message
    assert "connect failed" not in down.message, "transport details stay out of user-facing messages"
    # a service that answered "not now" with a reason of its own keeps it (seat holds without Redis)
    refused = domain_error_from(
        _Refusal(grpc.StatusCode.UNAVAILABLE, "seat holds are unavailable for the moment", "seat_holds_unavailable"),
        "the reservation service",
    )
    assert isinstance(refused, errors.Unavailable)
    assert (refused.message, refused.code) == ("seat holds are unavailable for the moment", "seat_holds_unavailable")
