"""Why a member of staff did what they did: the reason carried with a request, like the caller.

The gateway reads the `X-Airline-Reason` header (3..500 characters once stripped), puts it in
`current_reason`, and the gRPC client interceptor forwards it as the metadata
`x-airline-reason` (percent-encoded: gRPC metadata values are ASCII); the server interceptor
puts it back in `current_reason` on the service's side, where a change's record (e.g. the
booking's history) keeps it. A service names the RPCs a staff role may only call with a
reason (`require_reason`): the server interceptor refuses them without one, before the
servicer runs, so nothing is written.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from urllib.parse import quote, unquote

from airline.platform.auth import Principal, Role
from airline.platform.errors import Conflict, ValidationFailed

HEADER = "X-Airline-Reason"
METADATA_KEY = "x-airline-reason"
MIN_LENGTH = 3
MAX_LENGTH = 500
REASON_REQUIRED = "reason_required"  # the refusal's error code (REST 422)
REASON_INVALID = "reason_invalid"

current_reason: contextvars.ContextVar[str] = contextvars.ContextVar("current_reason", default="")
# the RPC this process is serving ("" outside one: a consumer, a periodic job)
current_rpc: contextvars.ContextVar[str] = contextvars.ContextVar("current_rpc", default="")

# full method name ("/airline.booking.v1.BookingService/CancelBooking") -> the roles that need a reason
_REQUIRED: dict[str, frozenset[Role]] = {}


def clean(raw: str | None) -> str:
    """The reason as given (stripped), "" for none; ValidationFailed when its length is wrong."""
    text = (raw or "").strip()
    if not text:
        return ""
    if len(text) < MIN_LENGTH or len(text) > MAX_LENGTH:
        raise ValidationFailed(
            f"{HEADER} must be {MIN_LENGTH} to {MAX_LENGTH} characters", code=REASON_INVALID, field=HEADER
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValidationFailed(f"{HEADER} must not contain control characters", code=REASON_INVALID, field=HEADER)
    return text


def to_metadata(reason: str) -> str:
    return quote(reason, safe=" !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~")


def from_metadata(value: str | None) -> str:
    try:
        return clean(unquote(value or ""))
    except ValidationFailed:
        return ""  # a service trusts no caller's shape; a malformed reason counts as none


def require_reason(service: str, methods: Iterable[str], roles: Iterable[Role]) -> None:
    """`service`'s RPCs `methods` (short names) need a reason when called by one of `roles`."""
    for m in methods:
        _REQUIRED[f"/{service}/{m}"] = frozenset(roles)


def check(method: str, principal: Principal | None) -> None:
    """Refuses (Conflict `reason_required`: FAILED_PRECONDITION, REST 422) a staff call of an RPC
    that needs a reason when none came with it."""
    roles = _REQUIRED.get(method)
    if roles and principal is not None and principal.role in roles and not current_reason.get():
        name = method.rsplit("/", 1)[-1]
        raise Conflict(
            f"{name} on a passenger's behalf needs a reason: send the {HEADER} header "
            f"({MIN_LENGTH} to {MAX_LENGTH} characters)",
            code=REASON_REQUIRED,
        )
