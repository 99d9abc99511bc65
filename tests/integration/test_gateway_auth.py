"""The gateway's auth routes and role checks, against the real identity service."""

from __future__ import annotations

import httpx

from airline.gateway.settings import GatewaySettings
from airline.platform.settings import PlatformSettings
from tests.support.factories import airport_code
from tests.support.factories import email as _email
from tests.support.http import ADMIN_EMAIL, ADMIN_PASSWORD, another_gateway, assert_problem, auth


async def test_signup_login_and_me(api: httpx.AsyncClient) -> None:
    email = _email("ada")
    r = await api.post(
        "/api/v1/auth/signup", json={"email": email, "password": "analytical-engine", "full_name": "Ada Lovelace"}
    )
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["email"] == email and user["role"] == "passenger" and user["full_name"] == "Ada Lovelace"
    assert user["created_at"].endswith("Z")

    r = await api.post("/api/v1/auth/login", json={"email": email, "password": "analytical-engine"})
    assert r.status_code == 200, r.text
    login = r.json()
    assert login["token_type"] == "Bearer" and login["expires_in"] > 0
    assert login["user"]["id"] == user["id"]

    r = await api.get("/api/v1/auth/me", headers=auth(login["access_token"]))
    assert r.status_code == 200, r.text
    assert r.json()["id"] == user["id"] and r.json()["role"] == "passenger"


async def test_wrong_password_is_401(api: httpx.AsyncClient) -> None:
    body = assert_problem(
        await api.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": "not-the-password"}), 401
    )
    assert body["code"] == "unauthenticated"
    assert "password" in body["detail"]


async def test_me_needs_a_token(api: httpx.AsyncClient) -> None:
    r = await api.get("/api/v1/auth/me")
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")


async def test_no_token_on_an_ops_route_is_401(api: httpx.AsyncClient) -> None:
    r = await api.post(
        "/api/v1/airports",
        json={"code": airport_code(), "name": "Q", "city": "Q", "country": "SG", "time_zone": "Asia/Singapore"},
    )
    body = assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert body["code"] == "unauthenticated"


async def test_a_bad_token_is_401_not_ignored(api: httpx.AsyncClient) -> None:
    for header in ("Bearer not-a-jwt", "Basic dXNlcjpwYXNz"):
        r = await api.get("/api/v1/airports", headers={"Authorization": header})
        assert_problem(r, 401)
    # a token signed with another secret
    forged = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIiwiaXNzIjoiYWlybGluZS1pZGVudGl0eSIs"
        "ImV4cCI6NDEwMjQ0NDgwMH0.3h0X0e1l2V5c1Wk9nS0c8hQfQm9m8aC0l3cH6oQq1Zs"
    )
    assert_problem(await api.get("/api/v1/users", headers=auth(forged)), 401)


async def test_passenger_on_an_ops_route_is_403(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    for role in ("passenger", "agent", "crew"):
        r = await api.post(
            "/api/v1/airports",
            json={"code": airport_code(), "name": "Q", "city": "Q", "country": "SG", "time_zone": "Asia/Singapore"},
            headers=auth(tokens[role]),
        )
        body = assert_problem(r, 403)
        assert body["code"] == "permission_denied"
        assert "ops" in body["detail"]


async def test_duplicate_signup_is_409(api: httpx.AsyncClient) -> None:
    email = _email("twice")
    body = {"email": email, "password": "long-enough-password", "full_name": "Twice"}
    assert (await api.post("/api/v1/auth/signup", json=body)).status_code == 201
    problem = assert_problem(await api.post("/api/v1/auth/signup", json={**body, "email": email.upper()}), 409)
    assert problem["code"] == "already_exists"


async def test_weak_password_is_422_and_creates_nothing(api: httpx.AsyncClient) -> None:
    email = _email("weak")
    problem = assert_problem(
        await api.post("/api/v1/auth/signup", json={"email": email, "password": "short", "full_name": "Weak"}), 422
    )
    assert "password" in problem["detail"]
    r = await api.post("/api/v1/auth/login", json={"email": email, "password": "short"})
    assert_problem(r, 401)


async def test_signup_input_errors_list_each_field(api: httpx.AsyncClient) -> None:
    problem = assert_problem(
        await api.post("/api/v1/auth/signup", json={"email": "no-at-sign", "full_name": "", "role": "admin"}), 422
    )
    fields = {e["field"] for e in problem["errors"]}
    assert {"body.email", "body.password", "body.full_name", "body.role"} <= fields


async def test_admin_creates_and_lists_staff(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    email = _email("agent")
    r = await api.post(
        "/api/v1/users",
        json={"email": email, "password": "agent-password-1", "full_name": "Desk Agent", "role": "agent"},
        headers=auth(tokens["admin"]),
    )
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "agent"

    r = await api.get("/api/v1/users", params={"role": "agent"}, headers=auth(tokens["admin"]))
    assert r.status_code == 200, r.text
    users = r.json()["users"]
    assert email in {u["email"] for u in users}
    assert {u["role"] for u in users} == {"agent"}

    assert_problem(await api.get("/api/v1/users", params={"role": "pilot"}, headers=auth(tokens["admin"])), 422)
    assert_problem(await api.get("/api/v1/users", headers=auth(tokens["ops"])), 403)
    assert_problem(
        await api.post(
            "/api/v1/users",
            json={"email": _email("x"), "password": "x-password-123", "full_name": "X", "role": "admin"},
            headers=auth(tokens["ops"]),
        ),
        403,
    )


async def test_login_is_rate_limited_per_client(settings: PlatformSettings) -> None:
    async with another_gateway(settings, GatewaySettings(login_rate_limit=3, login_rate_window_seconds=3600)) as client:
        statuses = []
        for _ in range(4):
            r = await client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
            statuses.append(r.status_code)
        problem = assert_problem(r, 429)
        assert problem["code"] == "rate_limited"
        assert int(r.headers["retry-after"]) > 0
        assert statuses == [200, 200, 200, 429]
