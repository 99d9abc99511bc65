"""Composition root of the inventory service."""

from __future__ import annotations

from airline.inventory import store
from airline.inventory.grpc_api import InventoryApi
from airline.inventory.service import InventoryService
from airline.inventory.settings import InventorySettings
from airline.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts


async def build(rt: Runtime) -> ServiceParts:
    service = InventoryService(rt.db, InventorySettings())
    api = InventoryApi(service)
    return ServiceParts(
        register=[lambda server: inventory_pb2_grpc.add_InventoryServiceServicer_to_server(api, server)],
        full_names=[inventory_pb2.DESCRIPTOR.services_by_name["InventoryService"].full_name],
        # flight and booking events keep every flight's load plan current
        consumers=[rt.consumer(service.handlers(), session_timeout_ms=6_000)],
    )


SERVICE = ServiceDefinition(
    name="inventory", metadata=store.metadata, migrations_package="airline.inventory", build=build
)
