"""Domain errors. Services raise these; the gRPC layer maps them to status codes and the
gateway maps those to HTTP problem details (RFC 9457). Anything else is a bug (500)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class ValidationFailed(DomainError):
    """The request is malformed or breaks a rule of the input (4xx: 422)."""

    code = "validation_failed"


class NotFound(DomainError):
    code = "not_found"


class AlreadyExists(DomainError):
    code = "already_exists"


class Conflict(DomainError):
    """The request is valid but the current state forbids it (409)."""

    code = "conflict"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class PermissionDenied(DomainError):
    code = "permission_denied"


class TooManyRequests(DomainError):
    """A limit on what one caller may have or do at once was reached (429): e.g. open unpaid
    bookings per account, seats held per account on a flight. The message says which limit."""

    code = "limit_reached"


class Unavailable(DomainError):
    """Something this request needs (another service) did not answer; nothing was changed,
    the caller may retry (503)."""

    code = "unavailable"
