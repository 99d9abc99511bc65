"""Who is calling: roles, JWT issue/verify, and the caller carried in a context variable.

The gateway verifies the bearer token and forwards it to services in gRPC metadata; every
service verifies it again (no service trusts the network), so role checks hold on every RPC.
"""
from __future__ import annotations

import contextvars
import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Iterable

import jwt

from airline.platform.errors import PermissionDenied, Unauthenticated


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

ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    email: str = ""
    token: str = field(default="", repr=False, compare=False)

    def has(self, *roles: Role) -> bool:
        # admin may do what any staff role may; nobody else is promoted.
        return self.role in roles or (self.role is Role.ADMIN and bool(set(roles) & STAFF_ROLES))


ANONYMOUS: Principal | None = None
current_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "current_principal", default=None
)


class TokenCodec:
    def __init__(self, secret: str, issuer: str, ttl_seconds: int) -> None:
        if len(secret) < 32:
            raise ValueError("the JWT secret must be at least 32 characters")
        self._secret = secret
        self._issuer = issuer
        self.ttl_seconds = ttl_seconds

    def issue(self, subject: str, role: Role, email: str = "", ttl_seconds: int | None = None) -> str:
        now = int(time.time())
        claims = {
            "sub": subject,
            "role": str(role),
            "email": email,
            "iss": self._issuer,
            "iat": now,
            "exp": now + (ttl_seconds or self.ttl_seconds),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
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
