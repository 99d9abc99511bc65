"""Composition root of the reservation service."""

from __future__ import annotations

import asyncio
import logging

from prometheus_client import Counter

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.periodic import every
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts
from airline.platform.runtime_config import RuntimeConfig, Tunable
from airline.reservation import store
from airline.reservation.flight_source import FlightSource
from airline.reservation.grpc_api import ReservationApi
from airline.reservation.holds import HoldStore
from airline.reservation.service import ReservationService
from airline.reservation.settings import ReservationSettings
from airline.reservation.v1 import reservation_pb2, reservation_pb2_grpc

log = logging.getLogger(__name__)

HOLDS_EXPIRED = Counter(
    "airline_seat_holds_expired_total", "seat holds that expired before being confirmed", ["service"]
)


class ReservationParts(ServiceParts):
    """The parts, plus the use cases (tests tune its settings in place)."""

    service: ReservationService


def runtime_config(rt: Runtime, settings: ReservationSettings) -> RuntimeConfig:
    return RuntimeConfig(
        "reservation",
        [Tunable("seat_hold_ttl_seconds", settings.hold_ttl_seconds, 1, 24 * 3600)],
        rt.settings.zookeeper_hosts,
        rt.settings.runtime_config_root,
    )


def build_service(
    rt: Runtime, settings: ReservationSettings, tunables: RuntimeConfig | None = None
) -> ReservationService:
    if rt.redis is None:
        raise RuntimeError("the reservation service needs Redis for seat holds: set REDIS_URL")
    source = FlightSource(
        FlightServiceStub(rt.channel("flights")),
        AirportServiceStub(rt.channel("airport")),
        rt.acting_as_system,
        rt.settings.grpc_deadline_seconds,
    )
    hold_ttl = tunables.getter("seat_hold_ttl_seconds") if tunables is not None else None
    return ReservationService(rt.db, HoldStore(rt.redis), source, settings, hold_ttl)  # type: ignore[arg-type]


async def build(rt: Runtime) -> ServiceParts:
    settings = ReservationSettings()
    tunables = runtime_config(rt, settings)
    service = build_service(rt, settings, tunables)
    api = ReservationApi(service)

    async def sweep() -> None:
        """Expired holds: Redis freed their seats by itself; tell the live seat maps."""
        HOLDS_EXPIRED.labels("reservation").inc(await service.sweep())

    # the interval is read each round: tests (and operators) tune settings in place
    sweeper = every(lambda: settings.sweep_interval_seconds, sweep, name="reservation-hold-sweep", first_run_now=True)

    async def follow_runtime_config(stop: asyncio.Event) -> None:
        tunables.start()
        try:
            await stop.wait()
        finally:
            await asyncio.to_thread(tunables.stop)

    consumer = rt.consumer(service.handlers(), session_timeout_ms=6_000)  # reservation/consumers.py
    parts = ReservationParts(
        register=[lambda server: reservation_pb2_grpc.add_ReservationServiceServicer_to_server(api, server)],
        full_names=[reservation_pb2.DESCRIPTOR.services_by_name["ReservationService"].full_name],
        consumers=[consumer] if rt.settings.kafka_bootstrap_servers else [],
        jobs=[sweeper, follow_runtime_config],
    )
    parts.service = service
    return parts


SERVICE = ServiceDefinition(
    name="reservation", metadata=store.metadata, migrations_package="airline.reservation", build=build
)
