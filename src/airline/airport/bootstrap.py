"""Composition root of the airport service."""

from __future__ import annotations

from airline.airport import store
from airline.airport.grpc_api import AirportApi
from airline.airport.service import AirportService
from airline.airport.v1 import airport_pb2, airport_pb2_grpc
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts


async def build(rt: Runtime) -> ServiceParts:
    api = AirportApi(AirportService(rt.db))
    return ServiceParts(
        register=[lambda server: airport_pb2_grpc.add_AirportServiceServicer_to_server(api, server)],
        full_names=[airport_pb2.DESCRIPTOR.services_by_name["AirportService"].full_name],
    )


SERVICE = ServiceDefinition(name="airport", metadata=store.metadata, migrations_package="airline.airport", build=build)
