"""The inventory service against the real servers: load plans kept current from booking events
published to the real broker (well-formed envelopes with booking's payload shape; the booking's
legs name the flight and its origin, as when a booking arrives before the flight's own event), loading that takes stock all or nothing, low-stock alerts, consumption, cancellations,
and concurrent loadings that never drive stock negative."""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
import pytest

from airline.contracts.events import booking as booking_events
from airline.contracts.events import inventory as inventory_events
from airline.inventory import domain
from airline.inventory.v1 import inventory_pb2 as pb
from airline.inventory.v1.inventory_pb2_grpc import InventoryServiceStub
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.settings import SERVICES, PlatformSettings
from tests.support.booking import published
from tests.support.factories import airport_code
from tests.support.inventory import booking_confirmed, eventually, publish

Md = tuple[tuple[str, str], ...]


@pytest.fixture
async def inv(inventory_target: str) -> AsyncIterator[InventoryServiceStub]:
    async with make_channel(inventory_target, 10.0) as channel:
        yield InventoryServiceStub(channel)


@pytest.fixture
def staff(as_role: Callable[..., Md]) -> Md:
    return as_role(Role.INVENTORY)


def new_airport() -> str:
    return airport_code()  # a fresh airport per test keeps stock lines apart


def quantities(plan: pb.LoadPlan) -> dict[str, int]:
    return {q.item: q.quantity for q in plan.items}


async def plan_equal(inv: InventoryServiceStub, md: Md, flight_id: str, expected: dict[str, int]) -> pb.LoadPlan:
    async def check() -> pb.LoadPlan | None:
        plan = await inv.GetLoadPlan(pb.GetLoadPlanRequest(flight_id=flight_id), metadata=md)
        return plan if quantities(plan) == expected else None

    return await eventually(check)


ACCEPTANCE = {
    "meal-normal": 40,
    "meal-vegetarian": 2,
    "meal-vip": 7,
    "beverage-pack": 49,
    "headset": 42,
    "amenity-kit": 7,
    "tablet": 7,
}


async def flight_with_bookings(
    settings: PlatformSettings, inv: InventoryServiceStub, md: Md, origin: str
) -> tuple[str, list[dict[str, Any]]]:
    """A flight with 40 normal passengers (2 of them vegetarian) and 6 VIP ones."""
    fid = str(uuid.uuid4())
    normal = booking_confirmed(
        fid, origin, "normal", [("adult", "")] * 36 + [("child", "")] * 2 + [("adult", "vegetarian")] * 2
    )
    vip = booking_confirmed(fid, origin, "vip", [("adult", "")] * 6)
    for b in (normal, vip):
        await publish(settings, booking_events.BOOKING_CONFIRMED.topic, b["booking_id"], "BookingConfirmed", b)
    await plan_equal(inv, md, fid, ACCEPTANCE)
    return fid, [normal, vip]


async def stock_of(inv: InventoryServiceStub, md: Md, airport: str) -> dict[str, pb.StockLine]:
    return {s.item: s for s in (await inv.ListStock(pb.ListStockRequest(airport=airport), metadata=md)).stock}


async def test_load_plan_follows_bookings(
    inv: InventoryServiceStub, staff: Md, settings: PlatformSettings, catalogue: None
) -> None:
    origin = new_airport()
    fid, (normal, vip) = await flight_with_bookings(settings, inv, staff, origin)
    plan = await inv.GetLoadPlan(pb.GetLoadPlanRequest(flight_id=fid), metadata=staff)
    assert plan.origin == origin and plan.flight_status == "scheduled" and not plan.loaded
    assert plan.buffer_percent == 5
    groups = {(g.cabin_class, g.passenger_type, g.meal): g.count for g in plan.passengers}
    assert groups == {
        ("normal", "adult", ""): 36,
        ("normal", "child", ""): 2,
        ("normal", "adult", "vegetarian"): 2,
        ("vip", "adult", ""): 6,
    }
    version = plan.version

    # a redelivery of the same booking (a new event id, the same booking) counts nothing twice
    await publish(settings, booking_events.BOOKING_CONFIRMED.topic, vip["booking_id"], "BookingConfirmed", vip)
    # an infant with a baby meal joins on another booking
    infant = booking_confirmed(fid, origin, "normal", [("adult", ""), ("infant", "infant")])
    await publish(settings, booking_events.BOOKING_CONFIRMED.topic, infant["booking_id"], "BookingConfirmed", infant)
    # 39 plain normal passengers now, 47 seated in all, 41 in normal; the baby meal has no spare
    with_infant = dict(
        ACCEPTANCE,
        **{
            "meal-normal": 39 + math.ceil(39 * 0.05),
            "beverage-pack": 47 + math.ceil(47 * 0.05),
            "headset": 41 + math.ceil(41 * 0.05),
            "meal-baby": 1,
        },
    )
    plan = await plan_equal(inv, staff, fid, with_infant)
    assert plan.version > version

    # the VIP booking cancelled: its lines go, exactly what it had added
    await publish(
        settings,
        booking_events.BOOKING_CANCELLED.topic,
        vip["booking_id"],
        "BookingCancelled",
        {
            "booking_id": vip["booking_id"],
            "pnr": "ABC123",
            "refunded_amount": 0,
            "currency": "SGD",
            "reason": "",
            "flights": [fid],
        },
    )
    expected = {k: v for k, v in with_infant.items() if k not in ("meal-vip", "amenity-kit", "tablet")}
    expected["beverage-pack"] = 41 + math.ceil(41 * 0.05)
    await plan_equal(inv, staff, fid, expected)


async def test_loading_takes_stock_and_raises_low_stock_alerts(
    inv: InventoryServiceStub, staff: Md, settings: PlatformSettings, catalogue: None
) -> None:
    origin = new_airport()
    fid, _ = await flight_with_bookings(settings, inv, staff, origin)
    for item, qty in ACCEPTANCE.items():
        await inv.Restock(pb.RestockRequest(airport=origin, item=item, quantity=qty + 10), metadata=staff)
        # the VIP meal line falls below its threshold when loaded; the others stay above
        threshold = 15 if item == "meal-vip" else 5
        await inv.SetThreshold(pb.SetThresholdRequest(airport=origin, item=item, threshold=threshold), metadata=staff)
    assert (await inv.ListAlerts(pb.ListAlertsRequest(airport=origin), metadata=staff)).alerts == []

    plan = await inv.LoadFlight(pb.LoadFlightRequest(flight_id=fid), metadata=staff)
    assert plan.loaded and {r.item: r.loaded for r in plan.loaded_items} == ACCEPTANCE
    after = await stock_of(inv, staff, origin)
    assert {i: s.quantity for i, s in after.items()} == {i: 10 for i in ACCEPTANCE}
    assert after["meal-vip"].low and not after["meal-normal"].low

    alerts = (await inv.ListAlerts(pb.ListAlertsRequest(airport=origin), metadata=staff)).alerts
    assert [(a.item, a.quantity, a.threshold) for a in alerts] == [("meal-vip", 10, 15)]
    bootstrap = settings.kafka_bootstrap_servers or ""
    [low] = await published(bootstrap, inventory_events.STOCK_LOW.topic, f"{origin}/meal-vip")
    assert low["payload"] | {"alert_id": ""} == {
        "alert_id": "",
        "airport": origin,
        "item": "meal-vip",
        "quantity": 10,
        "threshold": 15,
    }
    [loaded] = await published(bootstrap, inventory_events.FLIGHT_LOADED.topic, fid)
    assert loaded["payload"]["items"] == ACCEPTANCE and loaded["payload"]["airport"] == origin

    with pytest.raises(grpc.aio.AioRpcError) as e:
        await inv.LoadFlight(pb.LoadFlightRequest(flight_id=fid), metadata=staff)
    assert e.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "loaded already" in (e.value.details() or "")

    # consumption after the flight, never more than was loaded
    plan = await inv.RecordConsumption(
        pb.RecordConsumptionRequest(flight_id=fid, item="meal-normal", quantity=38), metadata=staff
    )
    assert {r.item: r.consumed for r in plan.loaded_items}["meal-normal"] == 38
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await inv.RecordConsumption(
            pb.RecordConsumptionRequest(flight_id=fid, item="meal-normal", quantity=3), metadata=staff
        )
    assert e.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await inv.RecordConsumption(
            pb.RecordConsumptionRequest(flight_id=fid, item="meal-kosher", quantity=1), metadata=staff
        )
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT

    # a restock back over the threshold closes the alert
    await inv.Restock(pb.RestockRequest(airport=origin, item="meal-vip", quantity=20), metadata=staff)
    assert (await inv.ListAlerts(pb.ListAlertsRequest(airport=origin), metadata=staff)).alerts == []
    closed = (await inv.ListAlerts(pb.ListAlertsRequest(airport=origin, include_resolved=True), metadata=staff)).alerts
    assert len(closed) == 1 and closed[0].HasField("resolved_at")


async def test_short_stock_refuses_the_whole_loading(
    inv: InventoryServiceStub, staff: Md, settings: PlatformSettings, catalogue: None
) -> None:
    origin = new_airport()
    fid, _ = await flight_with_bookings(settings, inv, staff, origin)
    for item, qty in ACCEPTANCE.items():
        short = item in ("meal-vegetarian", "tablet")
        await inv.Restock(
            pb.RestockRequest(airport=origin, item=item, quantity=qty - 1 if short else qty), metadata=staff
        )
    before = {i: s.quantity for i, s in (await stock_of(inv, staff, origin)).items()}
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await inv.LoadFlight(pb.LoadFlightRequest(flight_id=fid), metadata=staff)
    assert e.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    message = e.value.details() or ""
    assert "meal-vegetarian (need 2, have 1)" in message and "tablet (need 7, have 6)" in message
    assert "meal-normal" not in message
    assert {i: s.quantity for i, s in (await stock_of(inv, staff, origin)).items()} == before
    plan = await inv.GetLoadPlan(pb.GetLoadPlanRequest(flight_id=fid), metadata=staff)
    assert not plan.loaded and list(plan.loaded_items) == []


async def test_concurrent_loadings_never_drive_stock_negative(
    inv: InventoryServiceStub, staff: Md, settings: PlatformSettings, catalogue: None
) -> None:
    """Five flights from one airport, each needing the whole plan; stock for exactly two."""
    origin = new_airport()
    flights = [str(uuid.uuid4()) for _ in range(5)]
    per_flight = {domain.MEAL_NORMAL: 10 + 1, domain.BEVERAGE_PACK: 10 + 1, domain.HEADSET: 10 + 1}
    for fid in flights:
        b = booking_confirmed(fid, origin, "normal", [("adult", "")] * 10)
        await publish(settings, booking_events.BOOKING_CONFIRMED.topic, b["booking_id"], "BookingConfirmed", b)
    for fid in flights:
        await plan_equal(inv, staff, fid, per_flight)
    for item, qty in per_flight.items():
        await inv.Restock(pb.RestockRequest(airport=origin, item=item, quantity=2 * qty + 5), metadata=staff)

    results = await asyncio.gather(
        *(inv.LoadFlight(pb.LoadFlightRequest(flight_id=fid), metadata=staff) for fid in flights),
        return_exceptions=True,
    )
    ok = [r for r in results if isinstance(r, pb.LoadPlan)]
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(ok) == 2 and len(refused) == 3, results
    assert all(r.code() == grpc.StatusCode.FAILED_PRECONDITION for r in refused)
    assert {i: s.quantity for i, s in (await stock_of(inv, staff, origin)).items()} == {i: 5 for i in per_flight}


async def test_two_loadings_of_one_flight_take_stock_once(
    inv: InventoryServiceStub, staff: Md, settings: PlatformSettings, catalogue: None
) -> None:
    origin = new_airport()
    fid = str(uuid.uuid4())
    b = booking_confirmed(fid, origin, "normal", [("adult", "")] * 4)
    await publish(settings, booking_events.BOOKING_CONFIRMED.topic, b["booking_id"], "BookingConfirmed", b)
    plan = await plan_equal(inv, staff, fid, {"meal-normal": 5, "beverage-pack": 5, "headset": 5})
    for q in plan.items:
        await inv.Restock(pb.RestockRequest(airport=origin, item=q.item, quantity=100), metadata=staff)
    results = await asyncio.gather(
        *(inv.LoadFlight(pb.LoadFlightRequest(flight_id=fid), metadata=staff) for _ in range(2)), return_exceptions=True
    )
    assert sum(isinstance(r, pb.LoadPlan) for r in results) == 1, results
    assert {i: s.quantity for i, s in (await stock_of(inv, staff, origin)).items()} == {
        "meal-normal": 95,
        "beverage-pack": 95,
        "headset": 95,
    }


async def test_catalogue_stock_and_roles(
    inv: InventoryServiceStub, staff: Md, as_role: Callable[..., Md], catalogue: None
) -> None:
    from airline.inventory import seed

    items = {i.code: i.kind for i in (await inv.ListItems(pb.ListItemsRequest(), metadata=staff)).items}
    assert items["meal-vegetarian"] == "special_meal" and items["tablet"] == "entertainment"
    assert items["amenity-kit"] == "amenity" and items["meal-baby"] == "special_meal"
    seeded = await stock_of(inv, staff, "XSP")
    assert seeded["meal-normal"].quantity >= seeded["meal-normal"].threshold > 0
    for airport in ("AOR", "BKK", "CGK"):
        assert set(await stock_of(inv, staff, airport)) >= set(seed.SEED_STOCK)

    code = "toy-" + uuid.uuid4().hex[:6]
    made = await inv.CreateItem(pb.CreateItemRequest(code=code, name="Colouring kit", kind="amenity"), metadata=staff)
    assert made.code == code
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await inv.CreateItem(pb.CreateItemRequest(code=code, name="again", kind="amenity"), metadata=staff)
    assert e.value.code() == grpc.StatusCode.ALREADY_EXISTS
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await inv.Restock(pb.RestockRequest(airport="XSP", item="no-such-item", quantity=1), metadata=staff)
    assert e.value.code() == grpc.StatusCode.NOT_FOUND
    for bad in (
        pb.RestockRequest(airport="XSP", item=code, quantity=0),
        pb.RestockRequest(airport="X1", item=code, quantity=5),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await inv.Restock(bad, metadata=staff)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT

    # a threshold over the stock raises an alert at once
    origin = new_airport()
    await inv.Restock(pb.RestockRequest(airport=origin, item=code, quantity=3), metadata=staff)
    line = await inv.SetThreshold(pb.SetThresholdRequest(airport=origin, item=code, threshold=4), metadata=staff)
    assert line.low
    assert [a.item for a in (await inv.ListAlerts(pb.ListAlertsRequest(airport=origin), metadata=staff)).alerts] == [
        code
    ]

    for role in (Role.PASSENGER, Role.AGENT, Role.CREW, Role.OPS):
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await inv.ListStock(pb.ListStockRequest(airport="XSP"), metadata=as_role(role))
        assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await inv.ListStock(pb.ListStockRequest(airport="XSP"), metadata=as_role(Role.ADMIN))).stock


def test_inventory_is_a_platform_service() -> None:
    assert "inventory" in SERVICES
