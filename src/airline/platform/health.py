"""Health that tells the truth: every service's gRPC health reports what it can really do.

`DependencyHealth` looks at the service's dependencies every few seconds and sets its
grpc.health.v1 statuses:

    ""  and every full service name   readiness: SERVING while the database answers, else
                                      NOT_SERVING (no use sending requests: every use case
                                      needs the database)
    "liveness"                        SERVING while the process runs (a restart cures none of
                                      the outages below, so liveness never looks at them)
    "airline.dependency.database"     the database answers `select 1` within the timeout
    "airline.dependency.redis"        Redis answers PING (only when the service has Redis)
    "airline.dependency.broker"       the outbox holds no event older than the threshold: when
                                      the broker is away, writes still succeed and their events
                                      wait in the outbox, so this is "degraded", never "not ready"

The same look sets airline_dependency_up{service,dependency}, airline_outbox_backlog and
airline_outbox_oldest_age_seconds (the alert rules watch them). A change of state is logged
once, when it happens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from grpc_health.v1 import health_pb2
from grpc_health.v1._async import HealthServicer
from redis.asyncio import Redis
from sqlalchemy.exc import DBAPIError

from airline.platform.db import ServiceDatabase
from airline.platform.metrics import DEPENDENCY_UP, OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE
from airline.platform.outbox import outbox_backlog
from airline.platform.periodic import run_every

log = logging.getLogger(__name__)

LIVENESS = "liveness"
"""The health service name of liveness (Kubernetes: livenessProbe.grpc.service)."""
DEPENDENCY_PREFIX = "airline.dependency."
DATABASE, REDIS, BROKER = "database", "redis", "broker"
DEPENDENCIES = (DATABASE, REDIS, BROKER)
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def dependency_service(dependency: str) -> str:
    """The health service name of one dependency, e.g. "airline.dependency.database"."""
    return DEPENDENCY_PREFIX + dependency


def broker_degraded(backlog: int, oldest_age_seconds: float, threshold_seconds: float) -> bool:
    """Events have waited in the outbox longer than the relay ever needs with a broker up."""
    return backlog > 0 and oldest_age_seconds > threshold_seconds


class DependencyHealth:
    """The periodic look at one service's dependencies (started by runtime.start_service)."""

    def __init__(
        self,
        service: str,
        health: HealthServicer,
        db: ServiceDatabase,
        *,
        full_names: Iterable[str] = (),
        redis: Redis | None = None,
        interval_seconds: float = 2.0,
        timeout_seconds: float = 1.5,
        broker_degraded_after_seconds: float = 30.0,
    ) -> None:
        self.service = service
        self.health = health
        self.db = db
        self.readiness_names = ("", *full_names)
        self.redis = redis
        self.interval_seconds = interval_seconds
        self.timeout_seconds = timeout_seconds
        self.broker_degraded_after_seconds = broker_degraded_after_seconds
        self.state: dict[str, bool] = {}
        """The last known state of each dependency (True: up); absent until first looked at."""
        self.backlog: tuple[int, float] | None = None
        self._published_ready: bool | None = None
        self._slow_looks = 0  # database looks in a row that ran out of time

    @property
    def ready(self) -> bool:
        return self.state.get(DATABASE, True)

    async def start(self) -> None:
        """Statuses before the first look: the database answered at start, the rest is unknown
        until looked at (liveness is SERVING from now on)."""
        await self.health.set(LIVENESS, SERVING)
        for name in self.readiness_names:
            await self.health.set(name, SERVING)

    async def run(self, stop: asyncio.Event) -> None:
        await run_every(self.interval_seconds, self.check, stop=stop, name=f"{self.service}-health", first_run_now=True)

    async def check(self) -> dict[str, bool]:
        """Look at every dependency once and publish what was seen; returns the states."""
        looks: list[Any] = [self._database()]
        if self.redis is not None:
            looks.append(self._redis(self.redis))
        await asyncio.gather(*looks)
        ready = self.state.get(DATABASE, True)
        if ready != self._published_ready:  # statuses are set when they change, not every look
            for name in self.readiness_names:
                await self.health.set(name, SERVING if ready else NOT_SERVING)
            self._published_ready = ready
        return dict(self.state)

    async def _database(self) -> None:
        try:
            async with asyncio.timeout(self.timeout_seconds):
                try:
                    backlog, oldest = await self._backlog()
                except DBAPIError as e:
                    if not e.connection_invalidated:
                        raise
                    # a pooled connection that died with the server's restart (no pre-ping:
                    # platform/db.py); the pool has dropped it and its elders, ask again
                    backlog, oldest = await self._backlog()
        except TimeoutError:
            # slow is not down: a busy machine (or a long checkpoint) can make one look miss its
            # timeout; only two slow looks in a row take the service out of rotation
            self._slow_looks += 1
            if self._slow_looks >= 2:
                await self._record(DATABASE, False, f"no answer within {self.timeout_seconds:g}s, twice")
            return  # the backlog is unknown: the broker keeps its last known state
        except Exception as e:  # refused, reset, failed: unreachable at once
            self._slow_looks = 0
            await self._record(DATABASE, False, f"{type(e).__name__}: {e}" if str(e) else type(e).__name__)
            return
        self._slow_looks = 0
        await self._record(DATABASE, True)
        self.backlog = (backlog, oldest)
        OUTBOX_BACKLOG.labels(self.service).set(backlog)
        OUTBOX_OLDEST_AGE.labels(self.service).set(oldest)
        degraded = broker_degraded(backlog, oldest, self.broker_degraded_after_seconds)
        await self._record(
            BROKER, not degraded, f"{backlog} events in the outbox, the oldest {oldest:.0f}s old" if degraded else ""
        )

    async def _backlog(self) -> tuple[int, float]:
        """The outbox's backlog: one statement (no transaction around it), which is also the
        proof the database answers."""
        async with self.db.reading() as conn:
            return await outbox_backlog(conn, self.db.outbox)

    async def _redis(self, redis: Redis) -> None:
        try:
            async with asyncio.timeout(self.timeout_seconds):
                await redis.ping()
        except Exception as e:
            await self._record(REDIS, False, f"{type(e).__name__}: {e}" if str(e) else type(e).__name__)
            return
        await self._record(REDIS, True)

    async def _record(self, dependency: str, up: bool, detail: str = "") -> None:
        before = self.state.get(dependency)
        self.state[dependency] = up
        if before == up:
            return
        DEPENDENCY_UP.labels(self.service, dependency).set(1 if up else 0)
        await self.health.set(dependency_service(dependency), SERVING if up else NOT_SERVING)
        if not up:
            log.warning("%s: %s is down (%s)%s", self.service, dependency, detail, _effect(dependency))
        elif before is not None:
            log.info("%s: %s is back", self.service, dependency)


def _effect(dependency: str) -> str:
    if dependency == DATABASE:
        return "; not ready until it answers"
    if dependency == BROKER:
        return "; writes go on, their events wait in the outbox"
    return "; still ready"
