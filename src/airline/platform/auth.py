"""Who is calling: roles, JWT verification, and the caller carried in a context variable.

Identity alone signs tokens (identity/tokens.py, Ed25519); everyone else holds only its
public keys (TokenVerifier). The gateway verifies the bearer token and forwards it to services in gRPC metadata; every
service verifies it again (no service trusts the network), so role checks hold on every RPC.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt

from airline.platform.errors import PermissionDenied, Unauthenticated, Unavailable


class Role(StrEnum):
    PASSENGER = "passenger"
    AGENT = "agent"  # airport employee
    CREW = "crew"
    OPS = "ops"  # system employee
    CS = "cs"  # customer service
    INVENTORY = "inventory"
    ADMIN = "admin"
    SYSTEM = "system"  # another service acting on its own behalf


STAFF_ROLES = frozenset({Role.AGENT, Role.CREW, Role.OPS, Role.CS, Role.INVENTORY, Role.ADMIN})
HUMAN_ROLES = tuple(r for r in Role if r is not Role.SYSTEM)

ALGORITHM = "EdDSA"  # Ed25519 signatures by identity alone (identity/tokens.py)


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    email: str = ""
    token: str = field(default="", repr=False, compare=False)
    # a service acting on its own behalf gets its token from identity when it first calls out
    # (platform/service_auth.py); the gRPC client interceptor awaits it
    token_source: Callable[[], Awaitable[str]] | None = field(default=None, repr=False, compare=False)

    def has(self, *roles: Role) -> bool:
        # admin may do what any staff role may; nobody else is promoted.
        return self.role in roles or (self.role is Role.ADMIN and bool(set(roles) & STAFF_ROLES))


ANONYMOUS: Principal | None = None
current_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar("current_principal", default=None)


class TokenVerifier:
    """Verifies access tokens with identity's PUBLIC keys only (no service can sign one).

    `fetch_jwks` returns identity's JSON Web Key Set; it is cached and fetched again when a
    token names a key id not seen yet (a rotation), at most once per `refetch_seconds`.
    Only EdDSA is accepted: a token signed with the old shared HS256 secret is refused."""

    def __init__(
        self, fetch_jwks: Callable[[], Awaitable[dict[str, Any]]], issuer: str, refetch_seconds: float = 1.0
    ) -> None:
        self.fetch_jwks = fetch_jwks
        self.issuer = issuer
        self.refetch_seconds = refetch_seconds
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    def use_keys(self, jwks: dict[str, Any]) -> None:
        keys = {}
        for jwk in jwks.get("keys", ()):
            if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and jwk.get("kid"):
                keys[jwk["kid"]] = jwt.PyJWK(dict(jwk), algorithm=ALGORITHM).key
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def _key(self, kid: str) -> Any:
        if kid not in self._keys:
            async with self._lock:
                if kid not in self._keys and time.monotonic() - self._fetched_at >= self.refetch_seconds:
                    try:
                        self.use_keys(await self.fetch_jwks())
                    except Exception as e:
                        raise Unavailable("the keys that verify access tokens cannot be fetched; try again") from e
        key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("the access token is not valid")
        return key

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as e:
            raise Unauthenticated("the access token is not valid") from e
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise Unauthenticated("the access token is not valid")
        key = await self._key(header["kid"])
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={"require": ["sub", "role", "exp", "iss"]},
            )
            role = Role(claims["role"])
        except jwt.ExpiredSignatureError as e:
            raise Unauthenticated("the access token has expired") from e
        except (jwt.InvalidTokenError, ValueError) as e:
            raise Unauthenticated("the access token is not valid") from e
        return Principal(subject=claims["sub"], role=role, email=claims.get("email", ""), token=token)


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def require(*roles: Role) -> Principal:
    """The current caller, who must hold one of `roles` (admin counts for any staff role)."""
    principal = current_principal.get()
    if principal is None:
        raise Unauthenticated("sign in first: this needs a bearer token")
    if roles and not principal.has(*roles):
        raise PermissionDenied(
            f"this needs the role {' or '.join(sorted(r.value for r in roles))}; you are {principal.role.value}"
        )
    return principal


def roles(values: Iterable[str]) -> tuple[Role, ...]:
    return tuple(Role(v) for v in values)
