"""The gateway as a whole: health, OpenAPI and docs, problem details, request ids, metrics,
tracing, and the airport routes end to end over gRPC."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import httpx
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from airline.gateway.settings import GatewaySettings
from airline.platform.settings import SERVICES, PlatformSettings
from tests.support.factories import airport_code, plane_id, registration, unknown_airport_code
from tests.support.http import PROBE_DEADLINE, PROBLEM, another_gateway, assert_problem, auth, free_port

LAYOUT = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 10, "last_row": 34, "seat_letters": "ABC DEF"},
    ],
    "exit_rows": [12, 13],
    "blocked_seats": ["27A"],
}


async def _airport(api: httpx.AsyncClient, ops: str) -> str:
    """An airport of this test's own (a factory code: no other test's planes show up here)."""
    code = airport_code()
    r = await api.post(
        "/api/v1/airports",
        json={
            "code": code.lower(),
            "name": f"Test {code}",
            "city": "Testville",
            "country": "sg",
            "time_zone": "Asia/Singapore",
        },
        headers=auth(ops),
    )
    assert r.status_code == 201, r.text
    return code


async def test_healthz_reports_every_service_serving(api: httpx.AsyncClient) -> None:
    r = await api.get("/healthz")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok", "services": {name: "serving" for name in SERVICES}}


async def test_healthz_is_503_and_names_the_service_that_is_down(settings: PlatformSettings) -> None:
    broken = settings.model_copy(update={"airport_grpc": f"127.0.0.1:{free_port()}"})
    async with another_gateway(broken, GatewaySettings(health_timeout_seconds=PROBE_DEADLINE)) as client:
        r = await client.get("/healthz")
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["status"] == "degraded"
        assert body["services"]["airport"] != "serving"
        assert body["services"]["identity"] == "serving"
        # a call that needs the missing service is a 503 problem, without gRPC internals
        problem = assert_problem(await client.get("/api/v1/airports"), 503)
        assert problem["code"] == "upstream_unavailable"
        assert "127.0.0.1" not in problem["detail"] and "grpc" not in problem["detail"].lower()


async def test_openapi_document(api: httpx.AsyncClient) -> None:
    r = await api.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] and doc["info"]["version"]
    for path in (
        "/api/v1/airports",
        "/api/v1/airports/{code}",
        "/api/v1/planes",
        "/api/v1/auth/login",
        "/api/v1/airports/{code}/available-planes",
    ):
        assert path in doc["paths"], path
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from POST /api/v1/auth/login.",
    }
    create = doc["paths"]["/api/v1/airports"]["post"]
    assert create["security"] == [{"bearer": []}]
    assert doc["paths"]["/api/v1/airports"]["get"]["security"] == [{}, {"bearer": []}], "anyone may list airports"
    assert create["responses"]["403"]["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert create["responses"]["422"]["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
    # every $ref resolves
    schemas = doc["components"]["schemas"]
    for ref in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', r.text.replace('":"', '": "')):
        assert ref in schemas, ref
    assert schemas["PlaneIn"].get("examples"), "request bodies carry examples"


async def test_docs_load_only_local_assets(api: httpx.AsyncClient) -> None:
    for page in ("/api/v1/docs", "/api/v1/redoc"):
        r = await api.get(page)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assets = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)["\']', r.text)
        assert assets, page
        assert not re.search(r"https?://", r.text), f"{page} must not load anything from elsewhere"
        assert "/api/v1/openapi.json" in r.text
        for asset in assets:
            a = await api.get(asset)
            assert a.status_code == 200, asset
            assert len(a.content) > 0


async def test_malformed_json_is_a_400_problem_and_writes_nothing(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    code = airport_code()
    r = await api.post(
        "/api/v1/airports",
        content=f'{{"code": "{code}", "name": "Broken", "city": ',
        headers={**auth(tokens["ops"]), "Content-Type": "application/json"},
    )
    problem = assert_problem(r, 400)
    assert problem["code"] == "malformed_json"
    assert_problem(await api.get(f"/api/v1/airports/{code}"), 404)


async def test_validation_errors_are_422_with_fields(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    code = airport_code()
    r = await api.post(
        "/api/v1/airports",
        json={"code": code, "name": "", "city": "X", "country": "Singapore", "time_zone": "Mars/Olympus"},
        headers=auth(tokens["ops"]),
    )
    problem = assert_problem(r, 422)
    assert {e["field"] for e in problem["errors"]} == {"body.name", "body.country", "body.time_zone"}
    assert_problem(await api.get(f"/api/v1/airports/{code}"), 404)
    assert_problem(await api.get("/api/v1/airports/TOOLONG"), 422)


async def test_unknown_route_and_method(api: httpx.AsyncClient) -> None:
    problem = assert_problem(await api.get("/api/v1/no-such-thing"), 404)
    assert problem["instance"] == "/api/v1/no-such-thing"
    r = await api.delete("/api/v1/airports")
    assert_problem(r, 405)
    assert "GET" in r.headers["allow"]


async def test_request_id_is_echoed_or_generated(api: httpx.AsyncClient) -> None:
    r = await api.get("/api/v1/airports/ZZ9", headers={"X-Request-ID": "client-req-42"})
    assert r.headers["x-request-id"] == "client-req-42"
    assert r.json()["request_id"] == "client-req-42"

    r = await api.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])

    # an id that could smuggle something into headers or logs is replaced
    r = await api.get("/healthz", headers={"X-Request-ID": "x" * 500})
    assert r.headers["x-request-id"] != "x" * 500
    r = await api.get("/healthz", headers={"X-Request-ID": 'a b"c'})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])


async def test_metrics_count_requests_by_route_template(api: httpx.AsyncClient) -> None:
    await api.get("/api/v1/airports/ZZX")
    await api.get("/api/v1/airports/ZZY")
    r = await api.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert "airline_http_requests_total" in text
    assert 'route="/api/v1/airports/{code}"' in text
    assert "ZZX" not in text and "ZZY" not in text
    assert "airline_http_request_latency_seconds_bucket" in text


async def test_a_trace_started_at_the_gateway_shows_the_grpc_hop(
    api: httpx.AsyncClient, tokens: dict[str, str], spans: InMemorySpanExporter
) -> None:
    trace_id = secrets.token_hex(16)
    parent = secrets.token_hex(8)
    r = await api.get("/api/v1/auth/me", headers={**auth(tokens["ops"]), "traceparent": f"00-{trace_id}-{parent}-01"})
    assert r.status_code == 200, r.text
    assert r.headers["x-trace-id"] == trace_id
    mine = [s for s in spans.get_finished_spans() if format(s.context.trace_id, "032x") == trace_id]
    server = [s for s in mine if s.kind is SpanKind.SERVER and s.name == "GET /api/v1/auth/me"]
    assert len(server) == 1, [s.name for s in mine]
    assert format(server[0].parent.span_id, "016x") == parent
    client = [s for s in mine if s.kind is SpanKind.CLIENT]
    assert client and client[0].parent.span_id == server[0].context.span_id
    grpc_server = [s for s in mine if s.kind is SpanKind.SERVER and s.name.endswith("IdentityService/GetMe")]
    assert grpc_server and grpc_server[0].parent.span_id == client[0].context.span_id


# --- airports over REST -> gRPC --------------------------------------------------------------


async def test_airport_crud(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    code = airport_code()
    r = await api.post(
        "/api/v1/airports",
        json={
            "code": code.lower(),
            "name": "Alpha Intl",
            "city": "Alphaville",
            "country": "sg",
            "time_zone": "Asia/Singapore",
        },
        headers=auth(ops),
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["code"] == code and created["country"] == "SG"
    assert created["created_at"].endswith("Z")

    assert_problem(
        await api.post(
            "/api/v1/airports",
            json={"code": code, "name": "Again", "city": "A", "country": "SG", "time_zone": "Asia/Singapore"},
            headers=auth(tokens["admin"]),
        ),
        409,
    )

    r = await api.get(f"/api/v1/airports/{code.lower()}")
    assert r.status_code == 200 and r.json()["name"] == "Alpha Intl"

    r = await api.patch(
        f"/api/v1/airports/{code}", json={"name": "Alpha International", "time_zone": "Asia/Tokyo"}, headers=auth(ops)
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Alpha International" and r.json()["time_zone"] == "Asia/Tokyo"
    assert r.json()["city"] == "Alphaville"

    r = await api.get("/api/v1/airports", params={"country": "sg"})
    assert r.status_code == 200
    assert code in {a["code"] for a in r.json()["airports"]}
    assert {a["country"] for a in r.json()["airports"]} == {"SG"}

    # gates
    r = await api.post(f"/api/v1/airports/{code}/gates", json={"code": "x1"}, headers=auth(ops))
    assert r.status_code == 201, r.text
    assert r.json() == {"airport_code": code, "code": "X1", "status": "open"}
    r = await api.post(f"/api/v1/airports/{code}/gates", json={"code": "X2", "status": "closed"}, headers=auth(ops))
    assert r.status_code == 201, r.text
    assert_problem(await api.post(f"/api/v1/airports/{code}/gates", json={"code": "X1"}, headers=auth(ops)), 409)
    r = await api.patch(f"/api/v1/airports/{code}/gates/X1", json={"status": "maintenance"}, headers=auth(ops))
    assert r.status_code == 200 and r.json()["status"] == "maintenance"
    assert_problem(
        await api.patch(f"/api/v1/airports/{code}/gates/X1", json={"status": "on-fire"}, headers=auth(ops)), 422
    )
    r = await api.get(f"/api/v1/airports/{code}/gates")
    assert {(g["code"], g["status"]) for g in r.json()["gates"]} == {("X1", "maintenance"), ("X2", "closed")}
    assert_problem(
        await api.post(f"/api/v1/airports/{code}/gates", json={"code": "X3"}, headers=auth(tokens["passenger"])), 403
    )


async def test_unknown_airport_is_404(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    code = unknown_airport_code()
    for path in (f"/api/v1/airports/{code}", f"/api/v1/airports/{code}/gates"):
        problem = assert_problem(await api.get(path), 404)
        assert code in problem["detail"]
    assert_problem(await api.patch(f"/api/v1/airports/{code}", json={"name": "Nope"}, headers=auth(tokens["ops"])), 404)
    assert_problem(
        await api.post(f"/api/v1/airports/{code}/gates", json={"code": "G1"}, headers=auth(tokens["ops"])), 404
    )
    assert_problem(await api.get("/api/v1/planes/NOPE404"), 404)


async def test_plane_lifecycle_and_availability(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    home = await _airport(api, ops)
    pid = plane_id()
    r = await api.post(
        "/api/v1/planes",
        json={
            "id": pid,
            "registration": registration(),
            "aircraft_type": "A320-200",
            "home_airport": home.lower(),
            "layout": LAYOUT,
        },
        headers=auth(ops),
    )
    assert r.status_code == 201, r.text
    plane = r.json()
    assert plane["id"] == pid and plane["status"] == "active" and plane["home_airport"] == home
    assert plane["capacity"] == {"vip": 8, "normal": 149}
    assert plane["layout"]["exit_rows"] == [12, 13] and plane["layout"]["blocked_seats"] == ["27A"]

    r = await api.get(f"/api/v1/planes/{pid}")
    assert r.status_code == 200 and r.json()["capacity"] == {"vip": 8, "normal": 149}

    r = await api.get("/api/v1/planes", params={"home_airport": home})
    assert [p["id"] for p in r.json()["planes"]] == [pid]

    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    window = {"from": start.isoformat(), "to": (start + timedelta(hours=5)).isoformat()}
    r = await api.get(f"/api/v1/airports/{home}/available-planes", params=window)
    assert r.status_code == 200, r.text
    assert pid in {p["id"] for p in r.json()["planes"]}

    naive = {"from": start.replace(tzinfo=None).isoformat(), "to": (start + timedelta(hours=5)).isoformat()}
    problem = assert_problem(await api.get(f"/api/v1/airports/{home}/available-planes", params=naive), 422)
    assert problem["errors"][0]["field"] == "query.from"
    backwards = {"from": window["to"], "to": window["from"]}
    assert_problem(await api.get(f"/api/v1/airports/{home}/available-planes", params=backwards), 422)

    r = await api.patch(f"/api/v1/planes/{pid}", json={"status": "maintenance"}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "maintenance" and r.json()["capacity"] == {"vip": 8, "normal": 149}
    r = await api.get(f"/api/v1/airports/{home}/available-planes", params=window)
    assert pid not in {p["id"] for p in r.json()["planes"]}
    r = await api.get("/api/v1/planes", params={"status": "maintenance", "home_airport": home})
    assert [p["id"] for p in r.json()["planes"]] == [pid]

    smaller = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 10, "seat_letters": "AB"}]}
    r = await api.patch(f"/api/v1/planes/{pid}", json={"layout": smaller}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert r.json()["capacity"] == {"normal": 20} and r.json()["layout"]["exit_rows"] == []

    assert_problem(
        await api.post(
            "/api/v1/planes",
            json={
                "id": plane_id(),
                "registration": registration(),
                "aircraft_type": "A320",
                "home_airport": home,
                "layout": LAYOUT,
            },
            headers=auth(tokens["passenger"]),
        ),
        403,
    )


async def test_seat_layout_with_duplicate_seats_is_rejected_and_nothing_is_written(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    home = await _airport(api, ops)
    bad_layouts = [
        # the same letter twice in a row: seat 1A twice
        {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 20, "seat_letters": "ABA DEF"}]},
        # two cabins sharing rows: 5A..5F twice
        {
            "cabins": [
                {"cabin_class": "vip", "first_row": 1, "last_row": 5, "seat_letters": "AC DF"},
                {"cabin_class": "normal", "first_row": 5, "last_row": 30, "seat_letters": "ABC DEF"},
            ]
        },
        # well-formed JSON the service itself must refuse: an exit row that is not a row of the plane
        {
            "cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 20, "seat_letters": "ABC DEF"}],
            "exit_rows": [99],
        },
    ]
    for layout in bad_layouts:
        pid = plane_id()
        r = await api.post(
            "/api/v1/planes",
            json={
                "id": pid,
                "registration": registration(),
                "aircraft_type": "A320-200",
                "home_airport": home,
                "layout": layout,
            },
            headers=auth(ops),
        )
        assert 400 <= r.status_code < 500, r.text
        assert_problem(r, r.status_code)
        assert_problem(await api.get(f"/api/v1/planes/{pid}"), 404)
    r = await api.get("/api/v1/planes", params={"home_airport": home})
    assert r.json()["planes"] == []
