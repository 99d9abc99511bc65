"""Gateway pieces without any backend: problem mapping, input models, rate limiter, request ids."""

from __future__ import annotations

import grpc
import httpx
import pytest
from pydantic import ValidationError

from airline.gateway.app import create_app
from airline.gateway.problems import GRPC_TO_HTTP, grpc_problem
from airline.gateway.ratelimit import FixedWindowLimiter
from airline.gateway.routes.airports import PlaneIn, SeatLayout
from airline.platform.settings import PlatformSettings

PROBLEM = "application/problem+json"


def _rpc_error(code: grpc.StatusCode, details: str, error_code: str | None = None) -> grpc.aio.AioRpcError:
    trailing = grpc.aio.Metadata(("error-code", error_code)) if error_code else grpc.aio.Metadata()
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), trailing, details=details)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (grpc.StatusCode.INVALID_ARGUMENT, 422),
        (grpc.StatusCode.NOT_FOUND, 404),
        (grpc.StatusCode.ALREADY_EXISTS, 409),
        (grpc.StatusCode.FAILED_PRECONDITION, 409),
        (grpc.StatusCode.UNAUTHENTICATED, 401),
        (grpc.StatusCode.PERMISSION_DENIED, 403),
        (grpc.StatusCode.UNAVAILABLE, 503),
        (grpc.StatusCode.DEADLINE_EXCEEDED, 504),
        (grpc.StatusCode.INTERNAL, 502),
        (grpc.StatusCode.UNKNOWN, 502),
        (grpc.StatusCode.UNIMPLEMENTED, 502),
    ],
)
def test_grpc_status_becomes_http_status(code: grpc.StatusCode, status: int) -> None:
    response = grpc_problem(_rpc_error(code, "secret internals at 10.0.0.7:50052", "some_code"), "/x")
    assert response.status_code == status
    assert response.media_type == PROBLEM
    body = response.body.decode()
    shows_detail = GRPC_TO_HTTP.get(code, (502, False))[1]
    assert ("secret internals" in body) is shows_detail
    if shows_detail:
        assert '"code":"some_code"' in body
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


def test_seat_layout_rules() -> None:
    ok = SeatLayout.model_validate(
        {
            "cabins": [{"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"}],
            "exit_rows": [1],
            "blocked_seats": ["2A"],
        }
    )
    assert ok.to_pb().cabins[0].seat_letters == "AC DF"
    bad = [
        {"cabins": []},
        {"cabins": [{"cabin_class": "first", "first_row": 1, "last_row": 2, "seat_letters": "AB"}]},
        {"cabins": [{"cabin_class": "vip", "first_row": 3, "last_row": 2, "seat_letters": "AB"}]},
        {"cabins": [{"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AA"}]},
        {"cabins": [{"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "A  B"}]},
        {
            "cabins": [
                {"cabin_class": "vip", "first_row": 1, "last_row": 5, "seat_letters": "AB"},
                {"cabin_class": "normal", "first_row": 5, "last_row": 9, "seat_letters": "AB"},
            ]
        },
        {
            "cabins": [{"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AB"}],
            "blocked_seats": ["1A", "1A"],
        },
        {
            "cabins": [{"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AB"}],
            "blocked_seats": ["A1"],
        },
    ]
    for layout in bad:
        with pytest.raises(ValidationError):
            SeatLayout.model_validate(layout)


def test_plane_input_normalises_codes_and_refuses_unknown_fields() -> None:
    layout = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 2, "seat_letters": "AB"}]}
    plane = PlaneIn.model_validate(
        {"id": "P1", "registration": "9V-XAA", "aircraft_type": "A320", "home_airport": "sin", "layout": layout}
    )
    assert plane.home_airport == "SIN" and plane.status == "active"
    with pytest.raises(ValidationError):
        PlaneIn.model_validate({**plane.model_dump(), "seats": 180})


async def test_fixed_window_limiter_in_memory() -> None:
    limiter = FixedWindowLimiter("t", limit=2, window_seconds=60)
    assert await limiter.hit("a") is None
    assert await limiter.hit("a") is None
    retry = await limiter.hit("a")
    assert retry is not None and 1 <= retry <= 60
    assert await limiter.hit("b") is None, "other clients keep their own budget"
    assert await FixedWindowLimiter("off", limit=0, window_seconds=60).hit("a") is None


async def test_fixed_window_limiter_spent_reads_without_counting() -> None:
    limiter = FixedWindowLimiter("t", limit=2, window_seconds=60)
    for _ in range(5):
        assert await limiter.spent("a") is None, "looking does not use up the budget"
    await limiter.hit("a")
    assert await limiter.spent("a") is None
    await limiter.hit("a")
    retry = await limiter.spent("a")
    assert retry is not None and 1 <= retry <= 60
    assert await limiter.spent("b") is None


async def test_unhandled_error_is_a_500_problem_without_internals() -> None:
    app = create_app(PlatformSettings(_env_file=None))

    @app.get("/api/v1/boom")
    async def boom() -> None:
        raise RuntimeError("database password is hunter2")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        r = await client.get("/api/v1/boom", headers={"X-Request-ID": "boom-1"})
    assert r.status_code == 500
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.headers["x-request-id"] == "boom-1"
    assert r.json()["request_id"] == "boom-1" and r.json()["code"] == "internal_error"
    assert "hunter2" not in r.text and "Traceback" not in r.text


async def test_openapi_builds_without_any_backend() -> None:
    app = create_app(PlatformSettings(_env_file=None))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        r = await client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    ops_routes = [
        (path, method)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if "(ops)" in op.get("summary", "")
    ]
    assert len(ops_routes) >= 15  # airports/gates/planes (6) and flights/schedules/fares (9), at least
    for path, method in ops_routes:
        responses = doc["paths"][path][method]["responses"]
        assert {"401", "403"} <= set(responses), (path, method)
