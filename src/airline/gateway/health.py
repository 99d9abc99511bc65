"""The gateway's health routes: liveness, readiness with reasons, and the older /healthz.

    GET /livez    200 while this process serves HTTP; asks nobody (a restart cures no outage
                  elsewhere, so liveness must not depend on one)
    GET /readyz   every service's gRPC health ("" = readiness) and its dependencies
                  (platform/health.py), plus the gateway's own Redis: 200 "ok", 200 "degraded"
                  (a service not ready, or something behind one down: the gateway still
                  serves what the others do, so one service's database outage takes no gateway
                  out of rotation), 503 "unavailable" (no service is ready), with a reason for
                  each thing down
    GET /healthz  the same look in its first shape ({"status": "ok"|"degraded", "services":
                  {name: "serving"|"not_serving"|"unreachable"}}), for the clients that use it

Every service is asked at once, each bounded by AIRLINE_GATEWAY_HEALTH_TIMEOUT_SECONDS, so a
probe answers within about that time whatever is down.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pydantic import BaseModel, Field
from redis.asyncio import Redis

from airline.platform.health import BROKER, DATABASE, DEPENDENCIES, REDIS, dependency_service
from airline.platform.settings import SERVICES

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])

NO_STORE = {"Cache-Control": "no-store"}

# What a service loses with its Redis (said in the reason, so that whoever reads /readyz knows
# what passengers and staff notice); a service not named here only keeps a connection.
REDIS_EFFECTS = {"reservation": "seat holds unavailable"}
GATEWAY_REDIS_EFFECT = "rate limits counted per replica, live updates not shared between replicas"

DependencyStatus = Literal["up", "down", "unknown"]
ServiceStatus = Literal["ready", "not_ready", "unreachable"]


class Liveness(BaseModel):
    status: Literal["alive"] = Field(description="always alive: the process answers HTTP", examples=["alive"])


class DependencyReport(BaseModel):
    status: DependencyStatus = Field(description="up, down, or unknown (not looked at yet)", examples=["up"])
    reason: str | None = Field(
        default=None, description="why it is down and what that means", examples=["database unreachable"]
    )


class ServiceReport(BaseModel):
    status: ServiceStatus = Field(
        description="ready (its database answers), not_ready, or unreachable (no gRPC health answer)",
        examples=["ready"],
    )
    reason: str | None = Field(default=None, description="why it is not ready", examples=[None])
    dependencies: dict[str, DependencyReport] = Field(
        default_factory=dict, description="database, redis (when the service has one) and broker (its outbox backlog)"
    )


class Readiness(BaseModel):
    status: Literal["ok", "degraded", "unavailable"] = Field(
        description="ok: all ready and up; degraded: a service not ready or a dependency down "
        "(still 200: the rest is served); unavailable: no service is ready (503)",
        examples=["ok"],
    )
    services: dict[str, ServiceReport] = Field(description="each service's readiness and dependencies")
    dependencies: dict[str, DependencyReport] = Field(
        default_factory=dict, description="the gateway's own dependencies (its Redis, when configured)"
    )
    reasons: list[str] = Field(
        default_factory=list,
        description="one line per thing down, e.g. 'reservation: redis unreachable: seat holds unavailable'",
    )


class Health(BaseModel):
    status: str = Field(description="ok when every service serves, else degraded", examples=["ok"])
    services: dict[str, str] = Field(
        description="each service's gRPC health: serving, not_serving or unreachable",
        examples=[{"identity": "serving", "airport": "serving"}],
    )


def dependency_reason(service: str, dependency: str) -> str:
    if dependency == DATABASE:
        return "database unreachable"
    if dependency == BROKER:
        return "outbox backlog waiting for the broker"
    if dependency == REDIS and service in REDIS_EFFECTS:
        return f"redis unreachable: {REDIS_EFFECTS[service]}"
    return f"{dependency} unreachable"


async def _status(stub: health_pb2_grpc.HealthStub, name: str, timeout: float) -> int | None:
    """The status of health service `name`; None when the server does not know the name."""
    try:
        reply = await stub.Check(health_pb2.HealthCheckRequest(service=name), timeout=timeout)
    except grpc.aio.AioRpcError as e:
        if e.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise
    status: int = reply.status
    return status


async def probe_service(service: str, target: str, timeout: float) -> ServiceReport:
    """Readiness and dependencies of one service, from its grpc.health.v1 (a fresh channel:
    a shared one in reconnect back-off would report a service that is back as still away)."""
    names = ["", *(dependency_service(d) for d in DEPENDENCIES)]
    try:
        async with asyncio.timeout(timeout), grpc.aio.insecure_channel(target) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            answers = await asyncio.gather(*(_status(stub, n, timeout) for n in names), return_exceptions=True)
    except TimeoutError:
        return ServiceReport(status="unreachable", reason=f"no health answer within {timeout:g}s")
    except Exception as e:  # a probe must answer, whatever breaks underneath
        log.warning("health check of %s failed", service, exc_info=True)
        return ServiceReport(status="unreachable", reason=f"health check failed: {type(e).__name__}")
    readiness, *deps = answers
    if isinstance(readiness, BaseException):
        code = readiness.code().name if isinstance(readiness, grpc.aio.AioRpcError) else type(readiness).__name__
        return ServiceReport(status="unreachable", reason=f"no health answer ({code})")
    dependencies: dict[str, DependencyReport] = {}
    for dependency, answer in zip(DEPENDENCIES, deps, strict=True):
        if answer is None:
            continue  # the service has no such dependency (e.g. no Redis configured)
        if isinstance(answer, BaseException):
            dependencies[dependency] = DependencyReport(status="unknown", reason="no answer")
        elif answer == health_pb2.HealthCheckResponse.SERVING:
            dependencies[dependency] = DependencyReport(status="up")
        else:
            dependencies[dependency] = DependencyReport(status="down", reason=dependency_reason(service, dependency))
    if readiness == health_pb2.HealthCheckResponse.SERVING:
        return ServiceReport(status="ready", dependencies=dependencies)
    database_down = dependencies.get(DATABASE, DependencyReport(status="unknown")).status == "down"
    reason = "database unreachable" if database_down else "not serving (starting or shutting down)"
    return ServiceReport(status="not_ready", reason=reason, dependencies=dependencies)


async def probe_redis(redis: Redis, timeout: float) -> DependencyReport:
    try:
        async with asyncio.timeout(timeout):
            await redis.ping()
    except Exception:
        return DependencyReport(status="down", reason=f"redis unreachable: {GATEWAY_REDIS_EFFECT}")
    return DependencyReport(status="up")


async def readiness(request: Request) -> Readiness:
    settings = request.app.state.settings
    timeout: float = request.app.state.gateway_settings.health_timeout_seconds
    redis: Redis | None = getattr(request.app.state, "redis", None)
    probes = asyncio.gather(*(probe_service(name, settings.grpc_target(name), timeout) for name in SERVICES))
    own: dict[str, DependencyReport] = {}
    if redis is None:
        reports = await probes
    else:
        reports, own["redis"] = await asyncio.gather(probes, probe_redis(redis, timeout))
    return summarise(dict(zip(SERVICES, reports, strict=True)), own)


def summarise(services: dict[str, ServiceReport], own: dict[str, DependencyReport]) -> Readiness:
    reasons = [f"{name}: {report.status}: {report.reason}" for name, report in services.items() if report.reason]
    reasons += [
        f"{name}: {dep.reason}"
        for name, report in services.items()
        for dep_name, dep in report.dependencies.items()
        if dep.status == "down" and dep.reason and not (report.status == "not_ready" and dep_name == DATABASE)
    ]
    reasons += [f"gateway: {dep.reason}" for dep in own.values() if dep.status == "down" and dep.reason]
    if services and all(report.status != "ready" for report in services.values()):
        status: Literal["ok", "degraded", "unavailable"] = "unavailable"
    elif reasons or any(report.status != "ready" for report in services.values()):
        status = "degraded"
    else:
        status = "ok"
    return Readiness(status=status, services=services, dependencies=own, reasons=reasons)


@router.get("/livez", response_model=Liveness, summary="Liveness of the gateway process (asks nobody)")
async def livez() -> JSONResponse:
    return JSONResponse({"status": "alive"}, headers=NO_STORE)


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness: every service and dependency, with a reason for each thing down",
    responses={503: {"model": Readiness, "description": "no service is ready"}},
)
async def readyz(request: Request) -> JSONResponse:
    report = await readiness(request)
    return JSONResponse(
        report.model_dump(mode="json", exclude_none=True),
        status_code=503 if report.status == "unavailable" else 200,
        headers=NO_STORE,
    )


_LEGACY = {"ready": "serving", "not_ready": "not_serving", "unreachable": "unreachable"}


@router.get(
    "/healthz",
    response_model=Health,
    summary="gRPC health of every service (the first shape of /readyz, kept for its clients)",
    responses={503: {"model": Health, "description": "at least one service is not serving"}},
)
async def healthz(request: Request) -> JSONResponse:
    report = await readiness(request)
    services = {name: _LEGACY[s.status] for name, s in report.services.items()}
    healthy = all(s.status == "ready" for s in report.services.values())
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "services": services},
        status_code=200 if healthy else 503,
        headers=NO_STORE,
    )
