"""Inventory: the item catalogue, stock per airport, low-stock alerts and per-flight load plans
(role inventory; admin passes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from airline.gateway import deps
from airline.gateway.convert import timestamp_out
from airline.gateway.params import AIRPORT_CODE, FlightIdPath, airport_query, upper_or_empty
from airline.gateway.problems import error_responses
from airline.gateway.security import require_roles
from airline.inventory.v1 import inventory_pb2 as pb
from airline.inventory.v1 import inventory_pb2_grpc as pb_grpc
from airline.platform.auth import Principal, Role

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py


def inventory_service(request: Request) -> pb_grpc.InventoryServiceStub:
    return pb_grpc.InventoryServiceStub(deps.channel(request, "inventory"))


Inventory_ = Annotated[pb_grpc.InventoryServiceStub, Depends(inventory_service)]
InventoryOnly = Annotated[Principal, Depends(require_roles(Role.INVENTORY))]

AirportPath = Annotated[str, Path(pattern=AIRPORT_CODE, description="IATA airport code", examples=["XSP"])]
ItemPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", description="item code", examples=["meal-normal"])]
ItemCode = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", examples=["meal-vegetarian"])]
Kind = Literal["meal", "special_meal", "beverage", "entertainment", "amenity"]
Quantity = Annotated[int, Field(ge=1, le=1_000_000, examples=[100])]
TAG = "inventory"


class ItemIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"code": "meal-vegetarian", "name": "Vegetarian meal", "kind": "special_meal"}]
        },
    )
    code: ItemCode
    name: str = Field(min_length=1, max_length=120, examples=["Vegetarian meal"])
    kind: Kind


class Item(BaseModel):
    code: str = Field(examples=["meal-normal"])
    name: str = Field(examples=["Economy meal"])
    kind: str = Field(examples=["meal"])

    @classmethod
    def of(cls, i: pb.Item) -> Item:
        return cls(code=i.code, name=i.name, kind=i.kind)


class Items(BaseModel):
    items: list[Item]


class StockLine(BaseModel):
    airport: str = Field(examples=["XSP"])
    item: str = Field(examples=["meal-normal"])
    quantity: int = Field(examples=[4000])
    threshold: int = Field(examples=[600])
    low: bool = Field(description="quantity is below the threshold", examples=[False])
    updated_at: datetime | None = None

    @classmethod
    def of(cls, s: pb.StockLine) -> StockLine:
        return cls(
            airport=s.airport,
            item=s.item,
            quantity=s.quantity,
            threshold=s.threshold,
            low=s.low,
            updated_at=timestamp_out(s, "updated_at"),
        )


class Stock(BaseModel):
    stock: list[StockLine]


class RestockIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"quantity": 500}]})
    quantity: Quantity


class ThresholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"threshold": 300}]})
    threshold: int = Field(ge=0, le=1_000_000)


class ConsumptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"item": "meal-normal", "quantity": 38}]})
    item: ItemCode
    quantity: Quantity


class PassengerGroup(BaseModel):
    cabin_class: str = Field(examples=["normal"])
    passenger_type: str = Field(examples=["adult"])
    meal: str = Field(description="special-meal request, empty for none", examples=["vegetarian"])
    count: int = Field(examples=[2])


class LoadedLine(BaseModel):
    item: str
    loaded: int
    consumed: int


class LoadPlan(BaseModel):
    flight_id: str
    flight_number: str = Field(examples=["XA101"])
    origin: str = Field(examples=["XSP"])
    scheduled_departure: datetime | None = None
    flight_status: str = Field(examples=["scheduled"])
    version: int = Field(description="0 until the first plan; each change is a new version", examples=[3])
    items: dict[str, int] = Field(
        description="quantity to load per item (demand + buffer)", examples=[{"meal-normal": 40, "meal-vegetarian": 2}]
    )
    passengers: list[PassengerGroup]
    buffer_percent: int = Field(examples=[5])
    loaded: bool
    loaded_items: list[LoadedLine]
    delta: dict[str, int] = Field(
        description="after loading: what the current plan needs beyond (+) or short of (-) what was loaded"
    )
    needs_unload: bool = Field(description="the flight was cancelled after loading")

    @classmethod
    def of(cls, p: pb.LoadPlan) -> LoadPlan:
        return cls(
            flight_id=p.flight_id,
            flight_number=p.flight_number,
            origin=p.origin,
            scheduled_departure=timestamp_out(p, "scheduled_departure"),
            flight_status=p.flight_status,
            version=p.version,
            items={q.item: q.quantity for q in p.items},
            passengers=[
                PassengerGroup(cabin_class=g.cabin_class, passenger_type=g.passenger_type, meal=g.meal, count=g.count)
                for g in p.passengers
            ],
            buffer_percent=p.buffer_percent,
            loaded=p.loaded,
            loaded_items=[LoadedLine(item=r.item, loaded=r.loaded, consumed=r.consumed) for r in p.loaded_items],
            delta={q.item: q.quantity for q in p.delta},
            needs_unload=p.needs_unload,
        )


class Alert(BaseModel):
    id: str
    airport: str = Field(examples=["XSP"])
    item: str = Field(examples=["meal-vip"])
    quantity: int = Field(description="stock when the alert was raised", examples=[12])
    threshold: int = Field(examples=[30])
    created_at: datetime | None = None
    resolved_at: datetime | None = None

    @classmethod
    def of(cls, a: pb.Alert) -> Alert:
        return cls(
            id=a.id,
            airport=a.airport,
            item=a.item,
            quantity=a.quantity,
            threshold=a.threshold,
            created_at=timestamp_out(a, "created_at"),
            resolved_at=timestamp_out(a, "resolved_at"),
        )


class Alerts(BaseModel):
    alerts: list[Alert]


@router.get(
    "/inventory/items",
    response_model=Items,
    tags=[TAG],
    summary="The item catalogue (inventory)",
    responses=error_responses(401, 403),
)
async def list_items(inventory: Inventory_, _: InventoryOnly) -> Items:
    reply = await inventory.ListItems(pb.ListItemsRequest())
    return Items(items=[Item.of(i) for i in reply.items])


@router.post(
    "/inventory/items",
    status_code=201,
    response_model=Item,
    tags=[TAG],
    summary="Add an item to the catalogue (inventory)",
    responses=error_responses(401, 403, 409, 422),
)
async def create_item(body: ItemIn, inventory: Inventory_, _: InventoryOnly) -> Item:
    return Item.of(await inventory.CreateItem(pb.CreateItemRequest(**body.model_dump())))


@router.get(
    "/inventory/stock",
    response_model=Stock,
    tags=[TAG],
    summary="Stock per airport (inventory)",
    responses=error_responses(401, 403, 422),
)
async def list_stock(
    inventory: Inventory_, _: InventoryOnly, airport: Annotated[str | None, airport_query("only this airport")] = None
) -> Stock:
    reply = await inventory.ListStock(pb.ListStockRequest(airport=upper_or_empty(airport)))
    return Stock(stock=[StockLine.of(s) for s in reply.stock])


@router.post(
    "/inventory/stock/{airport}/{item}/restock",
    response_model=StockLine,
    tags=[TAG],
    summary="Add stock at an airport (inventory)",
    responses=error_responses(401, 403, 404, 422),
)
async def restock(
    airport: AirportPath, item: ItemPath, body: RestockIn, inventory: Inventory_, _: InventoryOnly
) -> StockLine:
    return StockLine.of(
        await inventory.Restock(pb.RestockRequest(airport=airport.upper(), item=item, quantity=body.quantity))
    )


@router.put(
    "/inventory/stock/{airport}/{item}/threshold",
    response_model=StockLine,
    tags=[TAG],
    summary="Set the low-stock threshold (inventory)",
    responses=error_responses(401, 403, 404, 422),
)
async def set_threshold(
    airport: AirportPath, item: ItemPath, body: ThresholdIn, inventory: Inventory_, _: InventoryOnly
) -> StockLine:
    return StockLine.of(
        await inventory.SetThreshold(
            pb.SetThresholdRequest(airport=airport.upper(), item=item, threshold=body.threshold)
        )
    )


@router.get(
    "/inventory/alerts",
    response_model=Alerts,
    tags=[TAG],
    summary="Low-stock alerts (inventory)",
    responses=error_responses(401, 403, 422),
)
async def list_alerts(
    inventory: Inventory_,
    _: InventoryOnly,
    airport: Annotated[str | None, airport_query("only this airport")] = None,
    include_resolved: Annotated[bool, Query(description="also alerts closed by a restock")] = False,
) -> Alerts:
    reply = await inventory.ListAlerts(
        pb.ListAlertsRequest(airport=upper_or_empty(airport), include_resolved=include_resolved)
    )
    return Alerts(alerts=[Alert.of(a) for a in reply.alerts])


@router.get(
    "/flights/{flight_id}/load-plan",
    response_model=LoadPlan,
    tags=[TAG],
    summary="A flight's load plan from its booked passengers (inventory)",
    responses=error_responses(401, 403, 404),
)
async def get_load_plan(flight_id: FlightIdPath, inventory: Inventory_, _: InventoryOnly) -> LoadPlan:
    return LoadPlan.of(await inventory.GetLoadPlan(pb.GetLoadPlanRequest(flight_id=flight_id)))


@router.post(
    "/flights/{flight_id}/load",
    response_model=LoadPlan,
    tags=[TAG],
    summary="Load the flight: take its plan from the origin's stock, all or nothing (inventory)",
    responses=error_responses(401, 403, 404, 409),
)
async def load_flight(flight_id: FlightIdPath, inventory: Inventory_, _: InventoryOnly) -> LoadPlan:
    return LoadPlan.of(await inventory.LoadFlight(pb.LoadFlightRequest(flight_id=flight_id)))


@router.post(
    "/flights/{flight_id}/unload",
    response_model=LoadPlan,
    tags=[TAG],
    summary="Unload a flight cancelled after loading: unused items go back to stock (inventory)",
    responses=error_responses(401, 403, 404, 409),
)
async def unload_flight(flight_id: FlightIdPath, inventory: Inventory_, _: InventoryOnly) -> LoadPlan:
    return LoadPlan.of(await inventory.UnloadFlight(pb.LoadFlightRequest(flight_id=flight_id)))


@router.post(
    "/flights/{flight_id}/consumption",
    response_model=LoadPlan,
    tags=[TAG],
    summary="Record what was used on board (inventory)",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def record_consumption(
    flight_id: FlightIdPath, body: ConsumptionIn, inventory: Inventory_, _: InventoryOnly
) -> LoadPlan:
    return LoadPlan.of(
        await inventory.RecordConsumption(
            pb.RecordConsumptionRequest(flight_id=flight_id, item=body.item, quantity=body.quantity)
        )
    )
