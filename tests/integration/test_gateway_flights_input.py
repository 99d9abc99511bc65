"""The gateway's flight, schedule, fare and search routes refuse what they must: ops routes
without a token or the ops role, malformed input (422 naming the field), dates outside the
real world's window (422, never a 5xx).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.factories import HOME, flight_number
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


# --- auth and input --------------------------------------------------------------------------

OPS_ROUTES = [
    (
        "POST",
        "/api/v1/flights",
        {
            "number": flight_number(),
            "origin": "XSP",
            "destination": "BKK",
            "departure": "2030-01-01T08:00:00+08:00",
            "duration_minutes": 60,
            "plane_id": "P1",
            "gate": "X1",
        },
    ),
    ("POST", "/api/v1/flights/round-trips", {}),
    ("POST", "/api/v1/schedules", {}),
    ("POST", "/api/v1/flights/some-flight/status", {"status": "boarding"}),
    ("POST", "/api/v1/flights/some-flight/gate", {"gate": "X2"}),
    (
        "POST",
        "/api/v1/flights/some-flight/delay",
        {"new_departure": "2030-01-01T09:00:00Z", "delay_code": "93", "reason": "late"},
    ),
    ("POST", "/api/v1/flights/some-flight/cancel", {"reason": "fault"}),
    ("POST", "/api/v1/flights/some-flight/divert", {"diverted_to": "CGK", "reason": "weather"}),
    ("PUT", "/api/v1/fares", {"fares": []}),
]


@pytest.mark.parametrize(("method", "path", "body"), OPS_ROUTES, ids=[f"{m} {p}" for m, p, _ in OPS_ROUTES])
async def test_ops_routes_need_a_token_and_the_ops_role(
    api: httpx.AsyncClient, tokens: dict[str, str], method: str, path: str, body: dict[str, Any]
) -> None:
    problem = assert_problem(await api.request(method, path, json=body), 401)
    assert problem["code"] == "unauthenticated"
    for role in ("passenger", "agent", "crew"):
        problem = assert_problem(await api.request(method, path, json=body, headers=auth(tokens[role])), 403)
        assert problem["code"] == "permission_denied"


async def test_bad_input_is_422_with_the_field(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = auth(tokens["ops"])
    good = {
        "number": flight_number(),
        "origin": "XSP",
        "destination": "BKK",
        "departure": "2030-01-01T08:00:00+08:00",
        "duration_minutes": 60,
        "plane_id": "P1",
        "gate": "X1",
    }
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/api/v1/flights", good | {"departure": "next tuesday"}, "body.departure"),
        ("POST", "/api/v1/flights", good | {"departure": "2030-01-01T08:00:00"}, "body.departure"),  # no zone
        ("POST", "/api/v1/flights", good | {"duration_minutes": 0}, "body.duration_minutes"),
        ("POST", "/api/v1/flights", good | {"destination": "XSP"}, "body"),
        ("POST", "/api/v1/flights", good | {"number": "not a number"}, "body.number"),
        (
            "POST",
            "/api/v1/flights/round-trips",
            {
                "outbound": good,
                "return_number": flight_number(),
                "return_departure": "2030-01-01T08:30:00+08:00",
                "return_gate": "B1",
            },
            "body",
        ),  # back before it landed
        (
            "POST",
            "/api/v1/schedules",
            {
                "number": flight_number(),
                "origin": "XSP",
                "destination": "BKK",
                "plane_id": "P1",
                "gate": "X1",
                "departure_local_time": "25:00",
                "duration_minutes": 60,
                "first_date": "2030-01-01",
                "days": 3,
            },
            "body.departure_local_time",
        ),
        (
            "POST",
            "/api/v1/flights/x/delay",
            {"new_departure": "2030-01-01T09:00", "delay_code": "93", "reason": "late"},
            "body.new_departure",
        ),
        (
            "POST",
            "/api/v1/flights/x/delay",
            {"new_departure": "2030-01-01T09:00Z", "delay_code": "9", "reason": "late"},
            "body.delay_code",
        ),
        ("POST", "/api/v1/flights/x/status", {"status": "cancelled"}, "body.status"),
        (
            "PUT",
            "/api/v1/fares",
            {
                "fares": [
                    {
                        "origin": "XSP",
                        "destination": "BKK",
                        "cabin_class": "normal",
                        "passenger_type": "adult",
                        "trip_type": "one_way",
                        "amount": 129.5,
                        "currency": "SGD",
                    }
                ]
            },
            "body.fares.0.amount",
        ),  # money is never a float
    ]
    for method, path, body, field in cases:
        problem = assert_problem(await api.request(method, path, json=body, headers=ops), 422)
        assert problem["code"] == "validation_failed"
        assert any(e["field"] == field or e["field"].startswith(field + ".") for e in problem["errors"]), (
            path,
            body,
            problem["errors"],
        )

    search = {"origin": "XSP", "destination": "BKK", "date": "2030-01-01"}
    for params, field in [
        (search | {"adults": 1, "infants": 2}, "query"),  # an infant per adult's lap
        (search | {"date": "01/01/2030"}, "query.date"),
        (search | {"trip_type": "round_trip"}, "query"),  # no return date
        (search | {"trip_type": "round_trip", "return_date": "2029-12-31"}, "query"),
        (search | {"adults": 5, "children": 5}, "query"),
        (search | {"cabin_class": "first"}, "query.cabin_class"),
        (search | {"flexible_days": 9}, "query.flexible_days"),
    ]:
        problem = assert_problem(await api.get("/api/v1/search", params=params), 422)
        assert any(e["field"].startswith(field) for e in problem["errors"]), (params, problem["errors"])
    assert_problem(
        await api.get("/api/v1/flights", params={"from": "2030-01-02T00:00:00Z", "to": "2030-01-01T00:00:00Z"}), 422
    )
    assert_problem(await api.get("/api/v1/flights", params={"from": "2030-01-02T00:00:00"}), 422)


# --- dates of the real world ----------------------------------------------------------------


async def test_dates_outside_the_window_are_422_never_5xx(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = auth(tokens["ops"])
    base = {
        "number": flight_number(),
        "origin": HOME,
        "destination": "BKK",
        "duration_minutes": 60,
        "plane_id": "P1",
        "gate": "X1",
    }
    for departure in ("9999-06-01T08:00:00+00:00", "1800-06-01T08:00:00+00:00"):
        problem = assert_problem(
            await api.post("/api/v1/flights", headers=ops, json=base | {"departure": departure}), 422
        )
        assert problem["code"] == "validation_failed" and "between 1900-01-01 and 2100-12-31" in problem["detail"], (
            problem
        )
    too_far = (datetime.now(UTC) + timedelta(days=420)).replace(microsecond=0)
    problem = assert_problem(
        await api.post("/api/v1/flights", headers=ops, json=base | {"departure": too_far.isoformat()}), 422
    )
    assert "400 days" in problem["detail"], problem

    problem = assert_problem(
        await api.post(
            "/api/v1/flights/round-trips",
            headers=ops,
            json={
                "outbound": base | {"departure": "9999-06-01T08:00:00+00:00"},
                "return_number": flight_number(),
                "return_departure": "9999-06-01T12:00:00+00:00",
                "return_gate": "X2",
            },
        ),
        422,
    )
    assert "2100-12-31" in problem["detail"], problem
    schedule = {
        "number": flight_number(),
        "origin": HOME,
        "destination": "BKK",
        "plane_id": "P1",
        "gate": "X1",
        "departure_local_time": "08:00",
        "duration_minutes": 60,
        "days": 3,
    }
    for first in ("9999-01-01", (datetime.now(UTC) + timedelta(days=405)).date().isoformat()):
        problem = assert_problem(
            await api.post("/api/v1/schedules", headers=ops, json=schedule | {"first_date": first}), 422
        )
        assert problem["code"] == "validation_failed", problem

    search = {"origin": HOME, "destination": "BKK"}
    for params in (
        search | {"date": "9999-12-30", "flexible_days": 3},
        search | {"date": "1899-12-31"},
        search | {"date": "2030-01-01", "trip_type": "round_trip", "return_date": "9999-01-01"},
    ):
        problem = assert_problem(await api.get("/api/v1/search", params=params), 422)
        assert "between 1900-01-01 and 2100-12-31" in problem["detail"], (params, problem)
