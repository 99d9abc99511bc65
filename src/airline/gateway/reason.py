"""The `X-Airline-Reason` header: why a member of staff acts on a passenger's behalf.

Any request may carry it; the middleware checks it (3..500 characters once stripped, else 422
`reason_invalid`) and puts it in `current_reason`, from where the gRPC client interceptor
forwards it to the services (platform/reason.py). The services decide which actions need one
(the booking service refuses cs / ops / admin changes to a booking without it: 422
`reason_required`) and keep it with the change (the booking's history). OpenAPI documents the
header as a shared parameter on every booking route that changes something.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.responses import Response
from starlette.types import Scope

from airline.gateway.problems import problem_response
from airline.platform import reason
from airline.platform.errors import ValidationFailed

_RAW_HEADER = reason.HEADER.lower().encode()
PARAMETER = "AirlineReason"
_DESCRIBED = {
    "name": reason.HEADER,
    "in": "header",
    "required": False,
    "description": "Why a member of staff does this on a passenger's behalf "
    f"({reason.MIN_LENGTH} to {reason.MAX_LENGTH} characters); kept in the booking's history. "
    "Required for cs, ops and admin on changes to a booking (422 `reason_required` without it); "
    "passengers never need one.",
    "schema": {"type": "string", "minLength": reason.MIN_LENGTH, "maxLength": reason.MAX_LENGTH},
}


def read_reason(scope: Scope) -> tuple[str, Response | None]:
    """The request's reason ("" for none), or the 422 problem answering a malformed one."""
    raw = next((v for k, v in scope.get("headers", ()) if k == _RAW_HEADER), None)
    if raw is None:
        return "", None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    try:
        return reason.clean(text), None
    except ValidationFailed as e:
        return "", problem_response(422, e.message, instance=scope.get("path", ""), code=e.code)


def document_reason_header(app: FastAPI, prefix: str) -> None:
    """Adds the shared `X-Airline-Reason` parameter to every booking operation that changes something."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("parameters", {})[PARAMETER] = _DESCRIBED
        ref = {"$ref": f"#/components/parameters/{PARAMETER}"}
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith(f"{prefix}/bookings/{{booking_id}}/"):
                continue
            for verb, operation in operations.items():
                params = operation.setdefault("parameters", [])
                if verb in ("post", "put", "patch", "delete") and ref not in params:
                    params.append(ref)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
