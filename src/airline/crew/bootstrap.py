"""Composition root of the crew service."""

from __future__ import annotations

import logging

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.crew import store
from airline.crew.directory import Directory
from airline.crew.grpc_api import CrewApi
from airline.crew.service import CrewService
from airline.crew.settings import CrewSettings
from airline.crew.v1 import crew_pb2, crew_pb2_grpc
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.periodic import every
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts

log = logging.getLogger(__name__)


def build_service(rt: Runtime, settings: CrewSettings | None = None) -> CrewService:
    directory = Directory(
        FlightServiceStub(rt.channel("flights")),
        AirportServiceStub(rt.channel("airport")),
        rt.settings.grpc_deadline_seconds,
    )
    return CrewService(rt.db, settings or CrewSettings(), directory.flight, directory.plane, rt.acting_as_system)


class CrewParts(ServiceParts):
    """The parts, plus the use cases (tests drive the auto-proposal pass through them)."""

    service: CrewService


async def build(rt: Runtime) -> ServiceParts:
    settings = CrewSettings()
    service = build_service(rt, settings)
    api = CrewApi(service)

    async def propose_due() -> None:
        """Propose crews for flights entering the horizon without one."""
        with rt.acting_as_system():
            await service.propose_due()

    # flight events keep crew's copy of each flight (and its status) current: crew/consumers.py
    consumers = (
        [rt.consumer(service.handlers(), session_timeout_ms=6_000)] if rt.settings.kafka_bootstrap_servers else []
    )
    parts = CrewParts(
        register=[lambda server: crew_pb2_grpc.add_CrewServiceServicer_to_server(api, server)],
        full_names=[crew_pb2.DESCRIPTOR.services_by_name["CrewService"].full_name],
        consumers=consumers,
        jobs=[every(settings.auto_propose_interval_seconds, propose_due, name="crew-auto-propose")],
    )
    parts.service = service
    return parts


SERVICE = ServiceDefinition(name="crew", metadata=store.metadata, migrations_package="airline.crew", build=build)
