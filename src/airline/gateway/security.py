"""Bearer auth for REST routes.

The gateway verifies the token itself (so a request without the right role never costs a
backend call) and puts the caller in `current_principal`, from where the gRPC client
interceptor forwards the token; every service verifies it again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from airline.gateway.problems import ApiProblem
from airline.platform.auth import Principal, Role, TokenVerifier, bearer_token, current_principal
from airline.platform.errors import Unauthenticated, Unavailable

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    bearerFormat="JWT",
    description="An access token from POST /api/v1/auth/login.",
)


def _verifier(request: Request) -> TokenVerifier:
    return request.app.state.verifier  # type: ignore[no-any-return]


def _unauthenticated(message: str, invalid: bool = False) -> ApiProblem:
    challenge = 'Bearer error="invalid_token"' if invalid else "Bearer"
    return ApiProblem(401, message, "unauthenticated", {"WWW-Authenticate": challenge})


async def optional_principal(
    request: Request, _credentials: HTTPAuthorizationCredentials | None = Security(bearer_scheme)
) -> Principal | None:
    """The caller if a token was sent (a bad token is refused, not ignored), else None."""
    try:
        token = bearer_token(request.headers.get("authorization"))
        principal = await _verifier(request).verify(token) if token else None
    except Unauthenticated as e:
        raise _unauthenticated(e.message, invalid=True) from None
    except Unavailable as e:  # identity's public keys could not be fetched: not the caller's fault
        raise ApiProblem(503, e.message, "upstream_unavailable") from None
    current_principal.set(principal)
    return principal


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the signed-in caller, who must hold one of `roles` (any role if none given;
    admin counts for every staff role)."""

    async def dependency(principal: Principal | None = Depends(optional_principal)) -> Principal:
        if principal is None:
            raise _unauthenticated("sign in first: this needs a bearer token")
        if roles and not principal.has(*roles):
            needed = " or ".join(sorted(r.value for r in roles))
            raise ApiProblem(403, f"this needs the role {needed}; you are {principal.role.value}", "permission_denied")
        return principal

    return dependency


signed_in = require_roles()

# openapi_extra for routes anyone may call: a token is accepted (and forwarded) but not
# required. app.py turns the marker into `security: [{}, {bearer: []}]` (FastAPI would list
# the scheme as required, and merging a security list through openapi_extra appends to it).
OPTIONAL_AUTH_MARKER = "x-airline-optional-auth"
OPTIONAL_AUTH = {OPTIONAL_AUTH_MARKER: True}
