"""Maps inventory protos to use cases and back; every RPC needs the role inventory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from airline.inventory.domain import PAID_MEAL
from airline.inventory.service import InventoryService, PlanView
from airline.inventory.v1 import inventory_pb2 as pb
from airline.inventory.v1 import inventory_pb2_grpc as pb_grpc
from airline.platform.auth import Role, require
from airline.platform.protobuf import timestamp


def item_pb(r: Mapping[str, Any]) -> pb.Item:
    return pb.Item(code=r["code"], name=r["name"], kind=r["kind"])


def stock_pb(r: Mapping[str, Any]) -> pb.StockLine:
    return pb.StockLine(
        airport=r["airport"],
        item=r["item"],
        quantity=r["quantity"],
        threshold=r["threshold"],
        low=r["quantity"] < r["threshold"],
        updated_at=timestamp(r["updated_at"]),
    )


def alert_pb(r: Mapping[str, Any]) -> pb.Alert:
    return pb.Alert(
        id=r["id"],
        airport=r["airport"],
        item=r["item"],
        quantity=r["quantity"],
        threshold=r["threshold"],
        created_at=timestamp(r["created_at"]),
        resolved_at=timestamp(r["resolved_at"]),
    )


def plan_pb(v: PlanView, buffer_percent: int) -> pb.LoadPlan:
    f = v.flight
    return pb.LoadPlan(
        flight_id=f["id"],
        flight_number=f["number"],
        origin=f["origin"],
        scheduled_departure=timestamp(f["scheduled_departure"]),
        flight_status=f["status"],
        version=v.version,
        items=[pb.Quantity(item=k, quantity=q) for k, q in sorted(v.items.items())],
        passengers=[
            pb.PassengerGroup(
                cabin_class=g.cabin.value, passenger_type=g.passenger_type.value, meal=g.meal, count=g.count
            )
            for g in v.groups
            if not g.meal.startswith(PAID_MEAL)  # meals bought after the sale: a plan line, no passengers
        ],
        loaded=f["loaded_at"] is not None,
        loaded_items=[pb.LoadedLine(item=r["item"], loaded=r["quantity"], consumed=r["consumed"]) for r in v.loaded],
        delta=[pb.Quantity(item=k, quantity=q) for k, q in sorted(v.delta.items())],
        needs_unload=f["needs_unload"],
        buffer_percent=buffer_percent,
    )


class InventoryApi(pb_grpc.InventoryServiceServicer):
    def __init__(self, service: InventoryService) -> None:
        self.service = service

    async def ListItems(self, request: pb.ListItemsRequest, context: grpc.aio.ServicerContext) -> pb.ListItemsResponse:
        require(Role.INVENTORY)
        return pb.ListItemsResponse(items=[item_pb(r) for r in await self.service.list_items()])

    async def CreateItem(self, request: pb.CreateItemRequest, context: grpc.aio.ServicerContext) -> pb.Item:
        require(Role.INVENTORY)
        return item_pb(await self.service.create_item(request.code, request.name, request.kind))

    async def ListStock(self, request: pb.ListStockRequest, context: grpc.aio.ServicerContext) -> pb.ListStockResponse:
        require(Role.INVENTORY)
        return pb.ListStockResponse(stock=[stock_pb(r) for r in await self.service.list_stock(request.airport)])

    async def Restock(self, request: pb.RestockRequest, context: grpc.aio.ServicerContext) -> pb.StockLine:
        require(Role.INVENTORY)
        return stock_pb(await self.service.restock(request.airport, request.item, request.quantity))

    async def SetThreshold(self, request: pb.SetThresholdRequest, context: grpc.aio.ServicerContext) -> pb.StockLine:
        require(Role.INVENTORY)
        return stock_pb(await self.service.set_threshold(request.airport, request.item, request.threshold))

    async def GetLoadPlan(self, request: pb.GetLoadPlanRequest, context: grpc.aio.ServicerContext) -> pb.LoadPlan:
        require(Role.INVENTORY)
        return self._plan(await self.service.load_plan(request.flight_id))

    async def LoadFlight(self, request: pb.LoadFlightRequest, context: grpc.aio.ServicerContext) -> pb.LoadPlan:
        who = require(Role.INVENTORY)
        return self._plan(await self.service.load_flight(request.flight_id, who.subject))

    async def UnloadFlight(self, request: pb.LoadFlightRequest, context: grpc.aio.ServicerContext) -> pb.LoadPlan:
        who = require(Role.INVENTORY)
        return self._plan(await self.service.unload_flight(request.flight_id, who.subject))

    async def RecordConsumption(
        self, request: pb.RecordConsumptionRequest, context: grpc.aio.ServicerContext
    ) -> pb.LoadPlan:
        who = require(Role.INVENTORY)
        return self._plan(
            await self.service.record_consumption(request.flight_id, request.item, request.quantity, who.subject)
        )

    async def ListAlerts(
        self, request: pb.ListAlertsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListAlertsResponse:
        require(Role.INVENTORY)
        rows = await self.service.list_alerts(request.airport, request.include_resolved)
        return pb.ListAlertsResponse(alerts=[alert_pb(r) for r in rows])

    def _plan(self, v: PlanView) -> pb.LoadPlan:
        return plan_pb(v, self.service.settings.buffer_percent)
