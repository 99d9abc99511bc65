"""Errors as RFC 9457 problem details (`application/problem+json`).

Every error the gateway returns has the same shape: `type`, `title`, `status`, `detail`,
`instance` (the path), `request_id`, and where known a machine-readable `code` (the service's
`error-code`) and per-field `errors`. Internals (gRPC details of a failing backend, tracebacks)
never reach the client; they go to the log with the request id.
"""

from __future__ import annotations

import contextvars
import logging
from http import HTTPStatus
from typing import Any

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from airline.platform.grpc import error_code

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("gateway_request_id", default="")

# The status a service's gRPC answer becomes, and whether its message is safe to show: the
# 4xx ones carry the domain's own wording ("an account with this e-mail already exists");
# the 5xx ones would only leak internals.
GRPC_TO_HTTP: dict[grpc.StatusCode, tuple[int, bool]] = {
    grpc.StatusCode.INVALID_ARGUMENT: (422, True),
    grpc.StatusCode.OUT_OF_RANGE: (422, True),
    grpc.StatusCode.NOT_FOUND: (404, True),
    grpc.StatusCode.ALREADY_EXISTS: (409, True),
    grpc.StatusCode.FAILED_PRECONDITION: (409, True),
    grpc.StatusCode.ABORTED: (409, True),
    grpc.StatusCode.UNAUTHENTICATED: (401, True),
    grpc.StatusCode.PERMISSION_DENIED: (403, True),
    grpc.StatusCode.RESOURCE_EXHAUSTED: (429, False),
    grpc.StatusCode.UNAVAILABLE: (503, False),
    grpc.StatusCode.DEADLINE_EXCEEDED: (504, False),
}
# A service's error code that names a more precise HTTP status than its gRPC status does (the
# gRPC status stays FAILED_PRECONDITION for other gRPC clients).
CODE_TO_HTTP: dict[str, int] = {
    "payment_declined": 402,  # baggage: the excess-fee payment was declined; the bag waits
    "code_revoked": 410,  # checkin: the booking was cancelled, its code and passes are void
    "code_expired": 410,  # checkin: the code's flights have left
    "pass_replaced": 410,  # checkin: the booking was moved to other flights, a new pass replaces this one
    "reason_required": 422,  # booking: cs / ops / admin changed a booking without X-Airline-Reason
}
# A payment's failure codes that mean "declined" (402, the payment recorded as failed), as the
# payment service reports them on the payment, and the booking service on the booking's payment.
PAYMENT_DECLINED_CODES = frozenset({"card_declined", "insufficient_funds", "authentication_failed"})
# A service's Unavailable (503) whose words are written for the client, and the seconds to wait
# before trying again: a part of the platform is away for a moment and the rest still serves
# (reservation: seat holds while Redis is unreachable). Any other 503 keeps the generic words.
SHOWN_UNAVAILABLE: dict[str, int] = {"seat_holds_unavailable": 5}
UPSTREAM_RETRY_AFTER_S = 5  # every 503 says when to try again (Retry-After)
UPSTREAM_MESSAGES = {
    429: "a backend service is overloaded; retry later",
    502: "a backend service failed to answer this request",
    503: "a backend service is unavailable; retry later",
    504: "a backend service did not answer in time",
}


class FieldError(BaseModel):
    field: str = Field(examples=["body.email"])
    message: str = Field(examples=["Field required"])
    type: str = Field(examples=["missing"])


class Problem(BaseModel):
    """RFC 9457 problem details (documented shape of every error response)."""

    type: str = Field(default="about:blank", examples=["about:blank"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(default=None, examples=["airport ZZZ does not exist"])
    instance: str | None = Field(default=None, examples=["/api/v1/airports/ZZZ"])
    request_id: str | None = Field(default=None, examples=["6f1c0d7e2b8a4c1e9f0a3b5d7c9e1f20"])
    code: str | None = Field(default=None, examples=["not_found"])
    errors: list[FieldError] | None = None


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    instance: str | None = None,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    title: str | None = None,
) -> JSONResponse:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body: dict[str, Any] = {"type": "about:blank", "title": title or phrase, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def grpc_problem(error: grpc.aio.AioRpcError, instance: str | None = None) -> JSONResponse:
    status, show = GRPC_TO_HTTP.get(error.code(), (502, False))
    code = error_code(error)
    if show and code in CODE_TO_HTTP:
        status = CODE_TO_HTTP[code]
    if status == 429 and code:
        # a domain limit (errors.TooManyRequests carries an error-code): its wording is the
        # service's own; gRPC's own RESOURCE_EXHAUSTED (no code) stays hidden
        show = True
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 503:
        show = show or code in SHOWN_UNAVAILABLE
        headers = {"Retry-After": str(SHOWN_UNAVAILABLE.get(code or "", UPSTREAM_RETRY_AFTER_S))}
    if show:
        detail = error.details() or None
    else:
        log.warning("backend call failed: %s %s", error.code().name, error.details())
        detail = UPSTREAM_MESSAGES.get(status, UPSTREAM_MESSAGES[502])
        code = {429: "upstream_overloaded", 503: "upstream_unavailable", 504: "upstream_timeout"}.get(
            status, "upstream_error"
        )
    return problem_response(status, detail, instance=instance, code=code, headers=headers)


def payment_required(
    request: Request, detail: str, code: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """402: a declined payment, answered with the payment's id (and e.g. the booking) so that the
    client can show it and pay again with another Idempotency-Key."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": "Payment Required",
        "status": 402,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        **extra,
        "request_id": request_id_var.get() or None,
    }
    return JSONResponse(body, status_code=402, headers=headers, media_type=PROBLEM_JSON)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        out.append({"field": ".".join(loc), "message": err.get("msg", "invalid"), "type": err.get("type", "invalid")})
    return out


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = _field_errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        return problem_response(
            400, "the request body is not valid JSON", instance=request.url.path, code="malformed_json", errors=errors
        )
    return problem_response(
        422,
        "the request does not match the expected input",
        instance=request.url.path,
        code="validation_failed",
        errors=errors,
    )


async def _on_http_exception(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else None
    try:
        if detail == HTTPStatus(exc.status_code).phrase:
            detail = None  # the title says it already
    except ValueError:
        pass
    if exc.status_code == 404 and detail is None:
        detail = f"nothing at {request.url.path}"
    code = getattr(exc, "code", None)
    return problem_response(
        exc.status_code, detail, instance=request.url.path, code=code, headers=dict(exc.headers or {}) or None
    )


async def _on_grpc_error(request: Request, exc: grpc.aio.AioRpcError) -> JSONResponse:
    return grpc_problem(exc, instance=request.url.path)


class ApiProblem(StarletteHTTPException):
    """An HTTP error raised by the gateway itself, with a machine-readable code."""

    def __init__(self, status: int, detail: str, code: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail, headers)
        self.code = code


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)  # type: ignore[arg-type]
    app.add_exception_handler(grpc.aio.AioRpcError, _on_grpc_error)  # type: ignore[arg-type]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the problem statuses a route may return."""
    return {s: {"model": Problem, "description": HTTPStatus(s).phrase} for s in statuses}
