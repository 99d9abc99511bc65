from __future__ import annotations

import time

import jwt
import pytest

from airline.platform.auth import Principal, Role, TokenCodec, bearer_token, current_principal, require
from airline.platform.errors import PermissionDenied, Unauthenticated

SECRET = "s" * 64  # long enough for HS512 too, so only the algorithm differs


def codec(ttl: int = 60) -> TokenCodec:
    return TokenCodec(SECRET, "airline-identity", ttl)


def test_token_round_trip_carries_subject_role_and_email() -> None:
    token = codec().issue("u-1", Role.OPS, "ops@example.com")
    p = codec().verify(token)
    assert (p.subject, p.role, p.email, p.token) == ("u-1", Role.OPS, "ops@example.com", token)


@pytest.mark.parametrize(
    "token",
    [
        TokenCodec("x" * 40, "airline-identity", 60).issue("u", Role.ADMIN),  # another key
        TokenCodec(SECRET, "someone-else", 60).issue("u", Role.ADMIN),  # another issuer
        "not.a.token",
        jwt.encode({"sub": "u", "role": "admin", "iss": "airline-identity", "exp": int(time.time()) + 60},
                   SECRET, algorithm="HS512"),  # algorithm not accepted
        jwt.encode({"sub": "u", "role": "pilot", "iss": "airline-identity", "exp": int(time.time()) + 60},
                   SECRET, algorithm="HS256"),  # unknown role
        jwt.encode({"sub": "u", "role": "admin", "iss": "airline-identity"}, SECRET, algorithm="HS256"),  # no exp
    ],
)
def test_forged_or_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(Unauthenticated):
        codec().verify(token)


def test_expired_token_is_refused_with_a_clear_reason() -> None:
    token = codec(ttl=1).issue("u", Role.PASSENGER)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    expired = jwt.encode({**claims, "exp": int(time.time()) - 5}, SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated, match="expired"):
        codec().verify(expired)


def test_short_secret_is_rejected() -> None:
    with pytest.raises(ValueError):
        TokenCodec("short", "i", 60)


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
