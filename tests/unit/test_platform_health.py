"""Health's pure rules: when the broker counts as degraded, what each thing down is called, and
how the gateway's /readyz sums up the services (platform/health.py, gateway/health.py)."""

from __future__ import annotations

import asyncio
import time

from grpc_health.v1._async import HealthServicer

from airline.gateway.health import DependencyReport, ServiceReport, dependency_reason, probe_service, summarise
from airline.platform.health import DependencyHealth, broker_degraded, dependency_service
from tests.support.http import free_port

UP = DependencyReport(status="up")


def test_the_broker_is_degraded_only_when_an_event_waits_longer_than_the_threshold() -> None:
    assert not broker_degraded(0, 0.0, 30)
    assert not broker_degraded(500, 29.9, 30)  # busy, not stuck
    assert broker_degraded(1, 30.5, 30)


def test_dependency_names_and_reasons() -> None:
    assert dependency_service("database") == "airline.dependency.database"
    assert dependency_reason("crew", "database") == "database unreachable"
    assert dependency_reason("booking", "broker") == "outbox backlog waiting for the broker"
    assert dependency_reason("reservation", "redis") == "redis unreachable: seat holds unavailable"
    assert dependency_reason("crew", "redis") == "redis unreachable"


def _ready(**deps: DependencyReport) -> ServiceReport:
    return ServiceReport(status="ready", dependencies={"database": UP, **deps})


def test_all_ready_and_up_is_ok() -> None:
    report = summarise({"a": _ready(), "b": _ready(broker=UP)}, {"redis": UP})
    assert (report.status, report.reasons) == ("ok", [])


def test_a_dependency_down_behind_ready_services_is_degraded_with_its_reason() -> None:
    redis_down = DependencyReport(status="down", reason=dependency_reason("reservation", "redis"))
    gateway_redis = DependencyReport(status="down", reason="redis unreachable: x")
    report = summarise({"reservation": _ready(redis=redis_down), "crew": _ready()}, {"redis": gateway_redis})
    assert report.status == "degraded"
    assert report.reasons == ["reservation: redis unreachable: seat holds unavailable", "gateway: redis unreachable: x"]


def test_a_service_not_ready_or_unreachable_degrades_and_says_why_once() -> None:
    db_down = DependencyReport(status="down", reason="database unreachable")
    report = summarise(
        {
            "crew": ServiceReport(
                status="not_ready", reason="database unreachable", dependencies={"database": db_down}
            ),
            "airport": ServiceReport(status="unreachable", reason="no health answer within 1s"),
            "flights": _ready(),
        },
        {},
    )
    assert report.status == "degraded", "flights still serves: the gateway stays in rotation"
    assert report.reasons == [
        "crew: not_ready: database unreachable",
        "airport: unreachable: no health answer within 1s",
    ]


def test_no_service_ready_is_unavailable() -> None:
    down = ServiceReport(status="unreachable", reason="no health answer within 1s")
    assert summarise({"crew": down, "airport": down}, {}).status == "unavailable"


async def test_a_port_where_nothing_listens_is_unreachable_at_once() -> None:
    started = time.monotonic()
    report = await probe_service("crew", f"127.0.0.1:{free_port()}", timeout=2.0)
    assert report.status == "unreachable" and report.reason and report.dependencies == {}
    assert time.monotonic() - started < 2.5


class _Database(DependencyHealth):
    """A DependencyHealth whose database answers as `answers` says, in turn: a backlog, or an
    exception to raise, or "slow" (no answer within the timeout)."""

    def __init__(self, answers: list[object]) -> None:
        super().__init__("probe", HealthServicer(), None, timeout_seconds=0.05)  # type: ignore[arg-type]
        self.answers = answers

    async def _backlog(self) -> tuple[int, float]:
        answer = self.answers.pop(0)
        if answer == "slow":
            await asyncio.sleep(1)
        if isinstance(answer, Exception):
            raise answer
        return 0, 0.0


async def test_one_slow_database_look_is_not_down_two_in_a_row_are() -> None:
    health = _Database(["slow", (0, 0.0), "slow", "slow", (0, 0.0)])
    assert (await health.check()).get("database") is None and health.ready  # slow once: still ready
    assert (await health.check())["database"] is True
    assert health.ready and (await health.check()).get("database") is True  # slow once more
    assert (await health.check())["database"] is False and not health.ready  # twice in a row
    assert (await health.check())["database"] is True and health.ready


async def test_a_refused_database_is_down_at_once() -> None:
    health = _Database([ConnectionRefusedError("refused"), (0, 0.0)])
    assert (await health.check())["database"] is False and not health.ready
    assert (await health.check())["database"] is True
