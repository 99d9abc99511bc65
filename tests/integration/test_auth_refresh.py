"""Staying signed in: the refresh-token cookie that login sets, its rotation, reuse detection,
sign-out and expiry, against the real identity service and gateway."""

from __future__ import annotations

import hashlib

import httpx
import sqlalchemy as sa

from airline.platform.db import make_engine
from airline.platform.settings import PlatformSettings
from tests.support.factories import email as _email
from tests.support.http import assert_problem, auth

COOKIE = "airline_refresh"
PASSWORD = "correct-horse-battery"


async def _signed_up(api: httpx.AsyncClient) -> tuple[str, httpx.Response]:
    email = _email("stay")
    r = await api.post("/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "full_name": "Stay Signedin"})
    assert r.status_code == 201, r.text
    r = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return email, r


def _cookie(r: httpx.Response) -> str:
    """The refresh token from Set-Cookie (httpx's jar keeps a Secure cookie off http, so the tests
    carry it by hand, as a browser on localhost would)."""
    (header,) = [h for h in r.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}=")]
    return header.split(";", 1)[0].split("=", 1)[1]


async def _refresh(api: httpx.AsyncClient, token: str) -> httpx.Response:
    return await api.post("/api/v1/auth/refresh", headers={"Cookie": f"{COOKIE}={token}"})


async def test_login_sets_a_locked_down_cookie(api: httpx.AsyncClient) -> None:
    _, r = await _signed_up(api)
    (header,) = [h for h in r.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}=")]
    flags = {f.strip().split("=")[0].lower(): f.strip() for f in header.split(";")[1:]}
    assert "httponly" in flags and "secure" in flags
    assert flags["samesite"].lower() == "samesite=strict"
    assert flags["path"] == "Path=/api/v1/auth"
    assert int(flags["max-age"].split("=")[1]) == 14 * 24 * 3600
    assert len(_cookie(r)) >= 40  # 32 random bytes
    assert "refresh" not in r.json()  # the token never reaches a script


async def test_refresh_rotates_and_signs_in_again(api: httpx.AsyncClient) -> None:
    email, r = await _signed_up(api)
    first = _cookie(r)
    r = await _refresh(api, first)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["email"] == email and body["token_type"] == "Bearer" and body["expires_in"] > 0
    second = _cookie(r)
    assert second != first
    me = await api.get("/api/v1/auth/me", headers=auth(body["access_token"]))
    assert me.status_code == 200 and me.json()["email"] == email
    r = await _refresh(api, second)  # the new one works once in its turn
    assert r.status_code == 200, r.text
    assert _cookie(r) not in (first, second)


async def test_reusing_a_used_token_ends_the_whole_session(api: httpx.AsyncClient) -> None:
    _, r = await _signed_up(api)
    stolen = _cookie(r)
    r = await _refresh(api, stolen)  # the owner refreshes
    assert r.status_code == 200, r.text
    owners = _cookie(r)
    r = await _refresh(api, stolen)  # a copy of the old token shows up: theft
    body = assert_problem(r, 401)
    assert body["code"] == "unauthenticated"
    assert any(h.startswith(f'{COOKIE}="";') or h.startswith(f"{COOKIE}=;") for h in r.headers.get_list("set-cookie"))
    # the owner's current token went with the family: both sign in again
    assert_problem(await _refresh(api, owners), 401)


async def test_logout_revokes_and_clears_the_cookie(api: httpx.AsyncClient) -> None:
    _, r = await _signed_up(api)
    token = _cookie(r)
    r = await api.post("/api/v1/auth/logout", headers={"Cookie": f"{COOKIE}={token}"})
    assert r.status_code == 204, r.text
    (cleared,) = [h for h in r.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}=")]
    assert "Max-Age=0" in cleared and "Path=/api/v1/auth" in cleared
    assert_problem(await _refresh(api, token), 401)
    # signing out again, or without a cookie, is fine
    assert (await api.post("/api/v1/auth/logout", headers={"Cookie": f"{COOKIE}={token}"})).status_code == 204
    assert (await api.post("/api/v1/auth/logout")).status_code == 204


async def test_no_or_unknown_cookie_is_401(api: httpx.AsyncClient) -> None:
    assert_problem(await api.post("/api/v1/auth/refresh"), 401)
    assert_problem(await _refresh(api, "not-a-token-we-issued"), 401)


async def test_an_expired_token_is_refused(api: httpx.AsyncClient, settings: PlatformSettings) -> None:
    _, r = await _signed_up(api)
    token = _cookie(r)
    engine = make_engine(settings.database_url or "", pool_size=1)
    try:
        async with engine.begin() as conn:
            n = await conn.execute(
                sa.text(
                    "update identity.refresh_tokens set expires_at = now() - interval '1 second' where token_hash = :h"
                ),
                {"h": hashlib.sha256(token.encode()).hexdigest()},
            )
            assert n.rowcount == 1  # only the hash is stored
    finally:
        await engine.dispose()
    assert_problem(await _refresh(api, token), 401)
