"""Issue 13 item 7: identity alone signs tokens (Ed25519); the others hold its public keys only;
tokens of the old shared secret are refused; services prove themselves with their own secret;
the production profile refuses the sandbox card processor and the demo accounts."""

from __future__ import annotations

import time
from collections.abc import Callable

import grpc
import httpx
import jwt
import pytest

from airline.identity.bootstrap import DEMO_EMAILS
from airline.identity.v1 import identity_pb2 as ipb
from airline.identity.v1.identity_pb2_grpc import IdentityServiceStub
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService, definition_of, start_service

try:
    from airline.platform.service_auth import service_secret
except ImportError:  # before issue 13 there was one shared secret and no service secret
    service_secret = None  # type: ignore[assignment]
from airline.platform.settings import PlatformSettings
from airline.reservation.v1 import reservation_pb2 as rpb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.http import auth

OLD_SHARED_SECRET = "an-old-shared-jwt-secret-every-service-used-to-hold"


def hs256_admin(settings: PlatformSettings, secret: str) -> str:
    return jwt.encode(
        {"sub": "forger", "role": "admin", "iss": settings.jwt_issuer, "exp": int(time.time()) + 600},
        secret,
        algorithm="HS256",
    )


def secrets_a_service_holds(settings: PlatformSettings) -> list[str]:
    """The old shared secret every service held (where a settings object still has one) and the
    secrets services hold now: none of them makes a token."""
    held = [OLD_SHARED_SECRET]
    old = getattr(settings, "jwt_secret", None)
    if old is not None:
        held.insert(0, old.get_secret_value())
    for name in ("booking_manage_key", "flights_offer_key", "payment_idempotency_key", "checkin_code_secret"):
        if hasattr(settings, name):
            held.append(settings.secret(name))
    if hasattr(settings, "service_secret"):
        held.append(service_secret(settings, "booking"))
    return held


async def test_a_token_signed_with_the_old_shared_secret_is_refused(
    api: httpx.AsyncClient, settings: PlatformSettings, services: dict[str, RunningService], tokens: dict[str, str]
) -> None:
    for secret in secrets_a_service_holds(settings):
        forged = hs256_admin(settings, secret)
        for path in ("/api/v1/auth/me", "/api/v1/users"):
            r = await api.get(path, headers=auth(forged))
            assert r.status_code == 401, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
    assert (await api.get("/api/v1/users", headers=auth(tokens["admin"]))).status_code == 200
    # and every service refuses it too, not only the gateway
    forged = hs256_admin(settings, secrets_a_service_holds(settings)[0])
    async with make_channel(services["reservation"].target) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await ReservationServiceStub(channel).GetSeatMap(
                rpb.GetSeatMapRequest(flight_id="x"), metadata=(("authorization", f"Bearer {forged}"),)
            )
        assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_jwks_publishes_the_public_key_that_verifies_a_login_token(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    r = await api.get("/api/v1/auth/jwks.json")
    assert r.status_code == 200, r.text
    keys = r.json()["keys"]
    assert keys and all(k["kty"] == "OKP" and k["crv"] == "Ed25519" and "d" not in k for k in keys)
    header = jwt.get_unverified_header(tokens["passenger"])
    assert header["alg"] == "EdDSA"
    key = next(k for k in keys if k["kid"] == header["kid"])
    claims = jwt.decode(tokens["passenger"], jwt.PyJWK(key).key, algorithms=["EdDSA"], issuer="airline-identity")
    assert claims["role"] == "passenger"


async def test_a_service_gets_its_system_token_from_identity_with_its_own_secret(
    settings: PlatformSettings, services: dict[str, RunningService]
) -> None:
    async with make_channel(services["identity"].target) as channel:
        stub = IdentityServiceStub(channel)
        for service, secret in (
            ("booking", "guess"),
            ("booking", service_secret(settings, "checkin")),
            ("nobody", service_secret(settings, "booking")),
            ("identity", service_secret(settings, "identity")),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as e:
                await stub.IssueServiceToken(ipb.IssueServiceTokenRequest(service=service, secret=secret))
            assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED, service
        reply = await stub.IssueServiceToken(
            ipb.IssueServiceTokenRequest(service="booking", secret=service_secret(settings, "booking"))
        )
    principal = await services["reservation"].runtime.verifier.verify(reply.access_token)
    assert (principal.subject, principal.role) == ("booking", Role.SYSTEM)
    # the shape every background job uses: acting as itself, the token comes from identity
    with services["crew"].runtime.acting_as_system() as me:
        assert me.token == "" and me.token_source is not None
        token = await me.token_source()
    assert (await services["flights"].runtime.verifier.verify(token)).role is Role.SYSTEM


def production(settings: PlatformSettings, **update: object) -> PlatformSettings:
    return settings.model_copy(update={"env": "production", **update})


async def test_production_refuses_the_sandbox_card_processor_unless_told(
    settings: PlatformSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    prod = production(settings, payment_idempotency_key=None)
    with pytest.raises(RuntimeError, match="sandbox.*refused in production"):
        await start_service(definition_of("payment"), prod, bind="127.0.0.1:0", run_relay=False)
    monkeypatch.setenv("AIRLINE_PAYMENT_ALLOW_SANDBOX_IN_PRODUCTION", "true")
    with pytest.raises(RuntimeError, match="AIRLINE_PAYMENT_IDEMPOTENCY_KEY"):  # no secret is made up either
        await start_service(definition_of("payment"), prod, bind="127.0.0.1:0", run_relay=False)
    from pydantic import SecretStr

    running = await start_service(
        definition_of("payment"),
        production(prod, payment_idempotency_key=SecretStr("k" * 40)),
        bind="127.0.0.1:0",
        run_relay=False,
    )
    await running.stop(grace=0.2)


async def test_production_refuses_demo_accounts_unless_told(
    settings: PlatformSettings,
    services: dict[str, RunningService],
    as_role: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AIRLINE_IDENTITY_SERVICE_MASTER_KEY", "m" * 48)
    # a database restored from a demo or staging run still holds a demo account
    async with make_channel(services["identity"].target) as channel:
        try:
            await IdentityServiceStub(channel).CreateUser(
                ipb.CreateUserRequest(
                    email=DEMO_EMAILS[1], password="agent-demo-pass", full_name="Demo Agent", role="agent"
                ),
                metadata=as_role(Role.ADMIN),
            )
        except grpc.aio.AioRpcError as e:
            assert e.code() == grpc.StatusCode.ALREADY_EXISTS
    with pytest.raises(RuntimeError, match="demo accounts .* refused in production"):
        await start_service(definition_of("identity"), production(settings), bind="127.0.0.1:0", run_relay=False)
    monkeypatch.setenv("AIRLINE_IDENTITY_ADMIN_PASSWORD", "admin-local-only")
    with pytest.raises(RuntimeError, match="admin password is the local demo one"):
        await start_service(
            definition_of("identity"),
            production(settings, allow_demo_accounts_in_production=False),
            bind="127.0.0.1:0",
            run_relay=False,
        )
    running = await start_service(
        definition_of("identity"),
        production(settings, allow_demo_accounts_in_production=True),
        bind="127.0.0.1:0",
        run_relay=False,
    )
    await running.stop(grace=0.2)
