"""Composition root of the checkin service."""

from __future__ import annotations

import asyncio
import hashlib

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.baggage.v1.baggage_pb2_grpc import BaggageServiceStub
from airline.booking.v1.booking_pb2_grpc import BookingServiceStub
from airline.checkin import store
from airline.checkin.grpc_api import CheckinApi
from airline.checkin.service import CheckinService, Clients
from airline.checkin.settings import CheckinSettings
from airline.checkin.v1 import checkin_pb2, checkin_pb2_grpc
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts
from airline.platform.runtime_config import RuntimeConfig, Tunable
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub


def code_key(rt: Runtime, settings: CheckinSettings) -> bytes:
    """The HMAC key of stored codes: AIRLINE_CHECKIN_CODE_SECRET (from the environment or a
    file; generated into the data dir in local mode, required in production)."""
    if settings.code_secret is not None:
        return settings.code_secret.get_secret_value().encode()
    return hashlib.sha256(("checkin-code:" + rt.settings.secret("checkin_code_secret")).encode()).digest()


WINDOW_TUNABLES = ("opens_hours", "closes_minutes", "counter_closes_minutes", "gate_closes_minutes")


def tunable_window(settings: CheckinSettings, zookeeper_hosts: str | None, root: str) -> RuntimeConfig:
    """The check-in window and gate close, tunable at run time (ZooKeeper znodes
    /airline/config/checkin/<name>): an accepted change is written into `settings`, which the
    use cases read on every call, so the next check-in follows it without a restart."""
    config = RuntimeConfig(
        "checkin",
        [
            Tunable("opens_hours", settings.opens_hours, 1, 24 * 14, float),
            Tunable("closes_minutes", settings.closes_minutes, 0, 24 * 60, float),
            Tunable("counter_closes_minutes", settings.counter_closes_minutes, 0, 24 * 60, float),
            Tunable("gate_closes_minutes", settings.gate_closes_minutes, 0, 24 * 60, float),
        ],
        zookeeper_hosts,
        root,
    )
    for name in WINDOW_TUNABLES:
        config.on_change(name, lambda value, name=name: setattr(settings, name, float(value)))
    return config


class CheckinParts(ServiceParts):
    """The parts, plus the use cases (tests move its clock)."""

    service: CheckinService


async def build(rt: Runtime) -> ServiceParts:
    settings = CheckinSettings()
    clients = Clients(
        FlightServiceStub(rt.channel("flights")),
        ReservationServiceStub(rt.channel("reservation")),
        BookingServiceStub(rt.channel("booking")),
        BaggageServiceStub(rt.channel("baggage")),
        AirportServiceStub(rt.channel("airport")),
    )
    service = CheckinService(rt.db, settings, clients, rt.acting_as_system, code_key(rt, settings))
    api = CheckinApi(service)
    tunables = tunable_window(settings, rt.settings.zookeeper_hosts, rt.settings.runtime_config_root)

    async def follow_runtime_config(stop: asyncio.Event) -> None:
        tunables.start()
        try:
            await stop.wait()
        finally:
            await asyncio.to_thread(tunables.stop)

    parts = CheckinParts(
        register=[lambda server: checkin_pb2_grpc.add_CheckinServiceServicer_to_server(api, server)],
        full_names=[checkin_pb2.DESCRIPTOR.services_by_name["CheckinService"].full_name],
        # confirmations issue the codes; cancellations and seat changes keep them true
        consumers=[rt.consumer(service.handlers(), session_timeout_ms=6_000)]
        if rt.settings.kafka_bootstrap_servers
        else [],
        jobs=[follow_runtime_config],
    )
    parts.service = service
    return parts


SERVICE = ServiceDefinition(name="checkin", metadata=store.metadata, migrations_package="airline.checkin", build=build)
