"""How a service proves itself to identity and gets the keys and tokens it needs.

- Verifying: every process fetches identity's public keys (GetJwks) for its TokenVerifier.
- Acting on its own behalf (a background job, an event handler): a service asks identity for a
  short-lived `system` token with IssueServiceToken, proving itself with its OWN service secret
  (AIRLINE_SERVICE_SECRET, or a file). Identity checks it as HMAC-SHA256(service master key,
  service name): identity holds the master (AIRLINE_IDENTITY_SERVICE_MASTER_KEY), each service
  only its own derived secret, so a leaked booking secret speaks for booking alone and can
  never make a user's token. In local mode both are derived from a master kept in the data dir.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc

from airline.platform.secret_files import local_secret

MASTER_FILE = "service-master-key"
SYSTEM_TOKEN_TTL_SECONDS = 300


def derive_service_secret(master: str, service: str) -> str:
    return hmac.new(master.encode(), f"airline-service:{service}".encode(), hashlib.sha256).hexdigest()


def local_master(data_dir: Path) -> str:
    return local_secret(data_dir, MASTER_FILE)


def service_secret(settings: Any, service: str) -> str:
    """This service's own secret: configured, or derived from the local master (local mode)."""
    if settings.service_secret is not None:
        return str(settings.service_secret.get_secret_value())
    if settings.env != "local":
        raise RuntimeError(
            f"AIRLINE_SERVICE_SECRET (or AIRLINE_SERVICE_SECRET_FILE) is required outside local mode: "
            f"the {service} service proves itself to identity with it"
        )
    return derive_service_secret(local_master(settings.data_dir), service)


class IdentityKeys:
    """GetJwks and IssueServiceToken over a plain channel (no interceptor: these calls carry
    no caller's token and must not recurse into the token source)."""

    def __init__(self, target: str, deadline: float = 5.0) -> None:
        self.target = target
        self.deadline = deadline
        self._channel: grpc.aio.Channel | None = None

    def _stub(self) -> Any:
        from airline.identity.v1 import identity_pb2_grpc

        if self._channel is None:
            self._channel = grpc.aio.insecure_channel(self.target)
        return identity_pb2_grpc.IdentityServiceStub(self._channel)

    async def jwks(self) -> dict[str, Any]:
        from airline.identity.v1 import identity_pb2

        reply = await self._stub().GetJwks(identity_pb2.GetJwksRequest(), timeout=self.deadline)
        return {
            "keys": [
                {"kty": k.kty, "crv": k.crv, "x": k.x, "kid": k.kid, "alg": k.alg, "use": k.use} for k in reply.keys
            ]
        }

    async def service_token(self, service: str, secret: str) -> tuple[str, int]:
        from airline.identity.v1 import identity_pb2

        reply = await self._stub().IssueServiceToken(
            identity_pb2.IssueServiceTokenRequest(service=service, secret=secret), timeout=self.deadline
        )
        return reply.access_token, int(reply.expires_in)

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
            self._channel = None


class ServiceTokens:
    """This service's `system` token from identity, asked for once and reused by every call
    until a minute before it expires (half its lifetime for a short one), then renewed by the
    first call after that: a service call never waits for a signature of its own."""

    def __init__(
        self, service: str, secret: str, identity: IdentityKeys, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.service = service
        self._secret = secret
        self.identity = identity
        self._clock = clock
        self._token = ""
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        if self._token and self._clock() < self._renew_at:
            return self._token
        async with self._lock:  # one renewal, however many calls are waiting for it
            if not self._token or self._clock() >= self._renew_at:
                token, ttl = await self.identity.service_token(self.service, self._secret)
                self._token, self._renew_at = token, self._clock() + max(ttl - 60, ttl / 2)
        return self._token
