from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest

from airline.identity.tokens import KeyRing, SigningKey, generate_pem, load_key_ring, parse_keys
from airline.platform.auth import Principal, Role, TokenVerifier, bearer_token, current_principal, require
from airline.platform.errors import PermissionDenied, Unauthenticated

ISSUER = "airline-identity"
OLD_SHARED_SECRET = "s" * 64  # what every service held before: an HS256 token made with it is refused


def ring(*pems: str, ttl: int = 60, issuer: str = ISSUER) -> KeyRing:
    return KeyRing(parse_keys("".join(pems)), issuer, ttl)


def verifier_of(*rings: KeyRing) -> tuple[TokenVerifier, list[int]]:
    fetches: list[int] = []

    async def fetch() -> dict[str, object]:
        fetches.append(1)
        return {"keys": [k for r in rings for k in r.jwks()["keys"]]}

    return TokenVerifier(fetch, ISSUER, refetch_seconds=0.0), fetches


PEM = generate_pem()


async def test_token_round_trip_carries_subject_role_email_and_kid() -> None:
    r = ring(PEM)
    token = r.issue("u-1", Role.OPS, "ops@example.com")
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": r.current.kid, "typ": "JWT"}
    verifier, _ = verifier_of(r)
    p = await verifier.verify(token)
    assert (p.subject, p.role, p.email, p.token) == ("u-1", Role.OPS, "ops@example.com", token)


def _hs256(claims: dict[str, object]) -> str:
    return jwt.encode(claims, OLD_SHARED_SECRET, algorithm="HS256", headers={"kid": ring(PEM).current.kid})


@pytest.mark.parametrize(
    "make",
    [
        lambda: ring(generate_pem()).issue("u", Role.ADMIN),  # a key identity does not hold
        lambda: ring(PEM, issuer="someone-else").issue("u", Role.ADMIN),  # another issuer
        lambda: "not.a.token",
        # the old shared secret, even naming a real kid
        lambda: _hs256({"sub": "u", "role": "admin", "iss": ISSUER, "exp": int(time.time()) + 60}),
        lambda: jwt.encode(
            {"sub": "u", "role": "admin", "iss": ISSUER, "exp": int(time.time()) + 60},
            OLD_SHARED_SECRET,
            algorithm="HS256",
        ),
        lambda: jwt.encode(
            {"sub": "u", "role": "pilot", "iss": ISSUER, "exp": int(time.time()) + 60},
            SigningKey.of(ring(PEM).current.private).private,
            algorithm="EdDSA",
            headers={"kid": ring(PEM).current.kid},
        ),  # unknown role
        lambda: jwt.encode(
            {"sub": "u", "role": "admin", "iss": ISSUER},
            ring(PEM).current.private,
            algorithm="EdDSA",
            headers={"kid": ring(PEM).current.kid},
        ),  # no exp
        lambda: jwt.encode(
            {"sub": "u", "role": "admin", "iss": ISSUER, "exp": int(time.time()) + 60},
            ring(PEM).current.private,
            algorithm="EdDSA",
        ),  # no kid
    ],
)
async def test_forged_or_malformed_tokens_are_refused(make) -> None:  # type: ignore[no-untyped-def]
    verifier, _ = verifier_of(ring(PEM))
    with pytest.raises(Unauthenticated):
        await verifier.verify(make())


async def test_expired_token_is_refused_with_a_clear_reason() -> None:
    r = ring(PEM)
    claims = jwt.decode(r.issue("u", Role.PASSENGER), options={"verify_signature": False})
    expired = jwt.encode(
        {**claims, "exp": int(time.time()) - 5}, r.current.private, algorithm="EdDSA", headers={"kid": r.current.kid}
    )
    verifier, _ = verifier_of(r)
    with pytest.raises(Unauthenticated, match="expired"):
        await verifier.verify(expired)


async def test_rotation_keeps_two_keys_live_and_unknown_kids_are_fetched_once() -> None:
    old, new = generate_pem(), generate_pem()
    before = ring(old)
    token_old = before.issue("u", Role.PASSENGER)
    verifier, fetches = verifier_of(before)
    await verifier.verify(token_old)
    await verifier.verify(token_old)
    assert len(fetches) == 1, "keys are cached"
    # step 1: the new key is published (second, verify-only); step 2: promoted, it signs
    promoted = ring(new, old)
    assert promoted.current.kid != before.current.kid and len(promoted.jwks()["keys"]) == 2
    token_new = promoted.issue("u", Role.PASSENGER)
    verifier.fetch_jwks = verifier_of(promoted)[0].fetch_jwks
    assert (await verifier.verify(token_new)).subject == "u"  # unknown kid: fetched again
    assert (await verifier.verify(token_old)).subject == "u"  # the previous key still verifies
    # step 3: the old key dropped after the token TTL
    verifier2, _ = verifier_of(ring(new))
    with pytest.raises(Unauthenticated):
        await verifier2.verify(token_old)


def test_key_ring_from_configuration_or_generated_locally(tmp_path: Path) -> None:
    a = load_key_ring(None, "local", tmp_path, ISSUER, 60)
    assert load_key_ring(None, "local", tmp_path, ISSUER, 60).current.kid == a.current.kid, "kept in the data dir"
    assert load_key_ring(PEM, "production", tmp_path, ISSUER, 60).current.kid == ring(PEM).current.kid
    with pytest.raises(RuntimeError, match="AIRLINE_IDENTITY_SIGNING_KEYS"):
        load_key_ring(None, "production", tmp_path, ISSUER, 60)
    with pytest.raises(ValueError, match="cannot be read"):
        parse_keys("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")


def test_bearer_header_parsing() -> None:
    assert bearer_token(None) is None
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    for bad in ("Basic abc", "Bearer", "abc"):
        with pytest.raises(Unauthenticated):
            bearer_token(bad)


def test_admin_may_act_as_staff_but_nobody_else_is_promoted() -> None:
    admin = Principal("a", Role.ADMIN)
    assert admin.has(Role.OPS) and admin.has(Role.AGENT) and admin.has(Role.CS)
    assert not admin.has(Role.PASSENGER), "admin is not a passenger: passenger-only data stays the passenger's"
    ops = Principal("o", Role.OPS)
    assert ops.has(Role.OPS) and not ops.has(Role.ADMIN) and not ops.has(Role.AGENT)


def test_require_distinguishes_401_from_403() -> None:
    token = current_principal.set(None)
    try:
        with pytest.raises(Unauthenticated):
            require(Role.OPS)
        current_principal.set(Principal("p", Role.PASSENGER))
        with pytest.raises(PermissionDenied, match="ops"):
            require(Role.OPS)
        current_principal.set(Principal("o", Role.OPS))
        assert require(Role.OPS).subject == "o"
    finally:
        current_principal.reset(token)
