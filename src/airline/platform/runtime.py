"""Running one service: the composition root every service process shares.

A service package describes itself with a `ServiceDefinition` (in its bootstrap.py); this
module turns it into a running process part: database, gRPC server with health, outbox relay,
consumers and background jobs, and stops them all in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
import sqlalchemy as sa
from redis.asyncio import Redis

from airline.platform.auth import Principal, Role, TokenVerifier, current_principal
from airline.platform.consumer import EventConsumer
from airline.platform.db import ServiceDatabase, make_engine
from airline.platform.grpc import make_channel, make_server
from airline.platform.health import DependencyHealth
from airline.platform.outbox import OutboxRelay
from airline.platform.redis import connect_redis
from airline.platform.service_auth import IdentityKeys, ServiceTokens, service_secret
from airline.platform.settings import PlatformSettings

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


@dataclass
class Runtime:
    """What a service's composition root gets to wire its parts."""

    name: str
    settings: PlatformSettings
    db: ServiceDatabase
    verifier: TokenVerifier
    identity: IdentityKeys
    redis: Redis | None = None
    service_tokens: ServiceTokens | None = None
    _channels: dict[str, grpc.aio.Channel] = field(default_factory=dict)

    def channel(self, service: str) -> grpc.aio.Channel:
        if service not in self._channels:
            self._channels[service] = make_channel(
                self.settings.grpc_target(service), self.settings.grpc_deadline_seconds
            )
        return self._channels[service]

    @contextlib.contextmanager
    def acting_as_system(self) -> Iterator[Principal]:
        """Run calls to other services as this service itself (role `system`), e.g. from a
        background job or an event handler, where no user's token is at hand."""
        if self.service_tokens is None:
            self.service_tokens = ServiceTokens(self.name, service_secret(self.settings, self.name), self.identity)
        # the token itself is fetched from identity by the client interceptor on the first call
        principal = Principal(self.name, Role.SYSTEM, token_source=self.service_tokens.token)
        reset = current_principal.set(principal)
        try:
            yield principal
        finally:
            current_principal.reset(reset)

    def consumer(self, handlers: dict[str, Any], *, session_timeout_ms: int = 10_000) -> EventConsumer:
        return EventConsumer(
            self.db,
            f"{self.name}",
            self.settings.require("kafka_bootstrap_servers"),
            handlers,
            session_timeout_ms=session_timeout_ms,
        )


@dataclass
class ServiceParts:
    register: list[Callable[[grpc.aio.Server], Any]]
    full_names: list[str]
    consumers: list[EventConsumer] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    metadata: sa.MetaData
    migrations_package: str
    build: Callable[[Runtime], Awaitable[ServiceParts]]


class RunningService:
    def __init__(
        self,
        definition: ServiceDefinition,
        runtime: Runtime,
        server: grpc.aio.Server,
        health: Any,
        port: int,
        tasks: list[asyncio.Task[None]],
        stop: asyncio.Event,
        parts: ServiceParts,
        dependencies: DependencyHealth | None = None,
    ) -> None:
        self.definition = definition
        self.runtime = runtime
        self.server = server
        self.health = health
        self.port = port
        self.tasks = tasks
        self._stop = stop
        self.parts = parts
        self.dependencies = dependencies
        """The periodic look at the database, Redis and outbox behind the gRPC health statuses."""

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def stop(self, grace: float = 3.0) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)
        self._stop.set()
        for task in self.tasks:
            try:
                await asyncio.wait_for(task, timeout=grace + 5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
            except Exception:
                log.exception("a background task of %s failed while stopping", self.definition.name)
        for channel in self.runtime._channels.values():
            await channel.close()
        await self.runtime.identity.close()
        if self.runtime.redis is not None:
            await self.runtime.redis.aclose()
        await self.runtime.db.engine.dispose()

    async def wait(self) -> None:
        await self.server.wait_for_termination()


async def start_service(
    definition: ServiceDefinition, settings: PlatformSettings, *, bind: str | None = None, run_relay: bool = True
) -> RunningService:
    """Start a service in this event loop. `bind` defaults to its configured port."""
    engine = make_engine(
        settings.require("database_url"),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=settings.db_pool_recycle_seconds,
        application_name=f"airline-{definition.name}",
    )
    db = ServiceDatabase(engine, definition.metadata, producer=definition.name)
    async with engine.connect() as conn:  # real readiness: the database answers
        await conn.execute(sa.text("select 1"))
    identity = IdentityKeys(settings.grpc_target("identity"), settings.grpc_deadline_seconds)
    verifier = TokenVerifier(identity.jwks, settings.jwt_issuer)
    redis = connect_redis(settings.redis_url) if settings.redis_url else None
    runtime = Runtime(definition.name, settings, db, verifier, identity, redis)
    parts = await definition.build(runtime)
    for hook in parts.on_start:
        await hook()
    bind = bind or f"{settings.grpc_bind_host}:{settings.grpc_port(definition.name)}"
    server, health, port = await make_server(
        definition.name, verifier, parts.register, bind, parts.full_names, sim_clock=settings.sim_clock_on
    )
    dependencies = DependencyHealth(
        definition.name,
        health,
        db,
        full_names=parts.full_names,
        redis=redis,
        interval_seconds=settings.health_interval_seconds,
        timeout_seconds=settings.dependency_timeout_seconds,
        broker_degraded_after_seconds=settings.outbox_degraded_after_seconds,
    )
    await dependencies.start()
    await server.start()
    stop = asyncio.Event()
    # readiness follows the database, liveness the process (platform/health.py)
    tasks: list[asyncio.Task[None]] = [asyncio.create_task(dependencies.run(stop), name=f"{definition.name}-health")]
    bootstrap = settings.kafka_bootstrap_servers
    if bootstrap and run_relay:
        tasks.append(
            asyncio.create_task(
                OutboxRelay(
                    db,
                    bootstrap,
                    replay_window=settings.outbox_replay_window_seconds,
                    poll_interval=settings.outbox_poll_seconds,
                    listen=True,
                ).run(stop),
                name=f"{definition.name}-relay",
            )
        )
    for consumer in parts.consumers:
        tasks.append(asyncio.create_task(consumer.run(stop), name=f"{consumer.name}-consumer"))
    for job in parts.jobs:
        tasks.append(asyncio.create_task(job(stop)))
    log.info("%s serving gRPC on port %d", definition.name, port)
    return RunningService(definition, runtime, server, health, port, tasks, stop, parts, dependencies)


def run_process(main: Coroutine[Any, Any, T]) -> T:
    """Run a service process's main coroutine on uvloop (libuv's event loop: less CPU per
    socket event than asyncio's own), as the gateway's uvicorn does; asyncio's loop where
    uvloop is not installed."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency; a platform without wheels
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


def definition_of(service: str) -> ServiceDefinition:
    import importlib

    module = importlib.import_module(f"airline.{service}.bootstrap")
    return module.SERVICE  # type: ignore[no-any-return]
