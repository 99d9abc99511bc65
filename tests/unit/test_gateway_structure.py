"""The gateway's shape: route modules use the shared modules (schemas, params, sse, problems)
instead of each other, and the shared pieces do what the routes relied on them for."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, get_args

import grpc
import pytest

import airline.gateway
from airline.gateway.app import create_app
from airline.gateway.live import LiveUnavailable
from airline.gateway.params import check_window, checked_idempotency_key
from airline.gateway.problems import ApiProblem, grpc_problem
from airline.gateway.schemas import REPORTED_STEPS, VISIBLE_STATUSES, Flight, ReportedStep
from airline.gateway.sse import RETRY_MS, follow, messages, snapshot_event, stream_error_responses
from airline.platform.flight_status import FlightStatus
from airline.platform.settings import PlatformSettings

GATEWAY = Path(airline.gateway.__file__).parent


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
    return out


def _modules() -> list[Path]:
    return sorted(p for p in GATEWAY.rglob("*.py") if "__pycache__" not in p.parts)


def test_route_modules_do_not_import_each_other() -> None:
    offenders = [
        (path.name, module)
        for path in _modules()
        for module, _ in _imports(path)
        if module.startswith("airline.gateway.routes") and not (path.parent.name == "gateway" and path.name == "app.py")
    ]
    assert offenders == []


def test_no_gateway_module_imports_another_modules_private_names() -> None:
    offenders = [
        (path.name, module, name)
        for path in _modules()
        for module, names in _imports(path)
        for name in names
        if module.startswith("airline.") and name.startswith("_") and name != "__future__"
    ]
    assert offenders == []


def test_no_gateway_module_is_over_500_lines() -> None:
    long = {p.name: n for p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_openapi_has_one_schema_per_model() -> None:
    """Two models of one name would show up as module-qualified components (`airline__...`)."""
    doc = create_app(PlatformSettings(_env_file=None)).openapi()  # type: ignore[call-arg]
    assert [name for name in doc["components"]["schemas"] if "__" in name] == []
    flights_paths = [p for p, ops in doc["paths"].items() for op in ops.values() if "flights" in op.get("tags", [])]
    assert {
        "/api/v1/flights",
        "/api/v1/flights/round-trips",
        "/api/v1/schedules",
        "/api/v1/flights/{flight_id}/status",
        "/api/v1/announcements",
    } <= set(flights_paths)


# --- flight status words come from platform/flight_status.py ----------------------------------


def test_statuses_shown_are_the_platforms_without_pending() -> None:
    assert VISIBLE_STATUSES == tuple(s.value for s in FlightStatus if s is not FlightStatus.PENDING)
    assert "pending" not in (Flight.model_fields["status"].description or "")
    assert set(get_args(ReportedStep)) == set(REPORTED_STEPS) <= set(VISIBLE_STATUSES)


# --- gRPC errors -> problems -------------------------------------------------------------------


def _rpc_error(code: grpc.StatusCode, details: str, error_code: str | None = None) -> grpc.aio.AioRpcError:
    trailing = grpc.aio.Metadata(("error-code", error_code)) if error_code else grpc.aio.Metadata()
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), trailing, details=details)


@pytest.mark.parametrize(
    ("code", "status"), [("payment_declined", 402), ("code_revoked", 410), ("code_expired", 410), ("seat_taken", 409)]
)
def test_a_domain_code_names_its_own_status(code: str, status: int) -> None:
    response = grpc_problem(_rpc_error(grpc.StatusCode.FAILED_PRECONDITION, "the service's words", code), "/x")
    body = json.loads(bytes(response.body))
    assert (response.status_code, body["code"], body["detail"]) == (status, code, "the service's words")


def test_a_hidden_failure_stays_hidden_whatever_its_code() -> None:
    response = grpc_problem(_rpc_error(grpc.StatusCode.INTERNAL, "secret internals", "code_revoked"))
    body = json.loads(bytes(response.body))
    assert response.status_code == 502 and "secret" not in body["detail"] and body["code"] == "upstream_error"


# --- parameters ------------------------------------------------------------------------------------


def test_idempotency_key_rules() -> None:
    assert checked_idempotency_key(None, required=False) == ""
    assert checked_idempotency_key("k-1", required=True) == "k-1"
    with pytest.raises(ApiProblem) as missing:
        checked_idempotency_key("", required=True)
    assert (missing.value.status_code, missing.value.code) == (400, "idempotency_key_missing")
    with pytest.raises(ApiProblem) as bad:
        checked_idempotency_key("has space", required=False)
    assert (bad.value.status_code, bad.value.code) == (422, "idempotency_key_invalid")
    assert checked_idempotency_key("has space", required=True, check=False) == "has space"
    assert checked_idempotency_key("", required=False) == ""
    with pytest.raises(ApiProblem) as blank:
        checked_idempotency_key("", required=False, blank_is_missing=False)
    assert blank.value.code == "idempotency_key_invalid"
    with pytest.raises(ApiProblem) as own:
        checked_idempotency_key(None, required=True, missing="needed", missing_code="idempotency_key_required")
    assert (own.value.detail, own.value.code) == ("needed", "idempotency_key_required")


def test_a_time_window_must_not_be_empty() -> None:
    from datetime import UTC, datetime

    t = datetime(2030, 1, 1, tzinfo=UTC)
    check_window(None, t)
    check_window(t, None)
    with pytest.raises(ApiProblem) as e:
        check_window(t, t)
    assert e.value.status_code == 422


# --- SSE -------------------------------------------------------------------------------------------


class _DownHub:
    @contextlib.asynccontextmanager
    async def subscribe(self, channels: list[str]) -> AsyncIterator[Any]:
        raise LiveUnavailable("redis is gone")
        yield  # pragma: no cover


def test_following_while_live_updates_are_down_ends_after_the_snapshot() -> None:
    """No 503 (a browser would retry into a stream of them): a subscription already lost, so the
    stream sends its snapshot, ends, and the browser reconnects to a fresh one."""

    async def run() -> list[dict[str, object]]:
        async with contextlib.AsyncExitStack() as stack:
            sub = await follow(stack, _DownHub(), ["live:flight:x"])  # type: ignore[arg-type]
            assert sub.lost
            return [m async for m in messages(sub)]

    assert asyncio.run(asyncio.wait_for(run(), 2)) == []


def test_snapshot_event_and_stream_errors() -> None:
    flight = Flight(
        id="f",
        number="XA1",
        origin="XSP",
        destination="BKK",
        origin_time_zone="UTC",
        destination_time_zone="UTC",
        plane_id="P1",
        status="scheduled",
    )
    event = snapshot_event(flight)
    assert event.event == "snapshot" and event.retry == RETRY_MS and event.id and event.id.startswith("snapshot-")
    assert snapshot_event(flight, with_id=False).id is None
    doc = stream_error_responses(404, 503)
    assert set(doc) == {404, 503}
    assert "application/problem+json" in doc[503]["content"]
