"""The seed catalogue and opening stock at the seed airports, loaded through the inventory
gRPC API. Running it again changes nothing: existing items are skipped and only stock lines
that do not exist yet are stocked (a re-run never tops up what flights have used)."""

from __future__ import annotations

import grpc

from airline.inventory import domain
from airline.inventory.v1 import inventory_pb2 as pb
from airline.inventory.v1.inventory_pb2_grpc import InventoryServiceStub

# code, name, kind
SEED_ITEMS: list[tuple[str, str, str]] = [
    (domain.MEAL_NORMAL, "Economy meal", "meal"),
    (domain.MEAL_VIP, "VIP meal", "meal"),
    ("meal-vegetarian", "Vegetarian meal", "special_meal"),
    ("meal-vegan", "Vegan meal", "special_meal"),
    ("meal-halal", "Halal meal", "special_meal"),
    ("meal-kosher", "Kosher meal", "special_meal"),
    ("meal-gluten-free", "Gluten-free meal", "special_meal"),
    ("meal-diabetic", "Diabetic meal", "special_meal"),
    ("meal-child", "Child meal", "special_meal"),
    (domain.MEAL_BABY, "Baby meal", "special_meal"),
    (domain.BEVERAGE_PACK, "Beverage pack", "beverage"),
    (domain.HEADSET, "Headset", "entertainment"),
    (domain.TABLET, "Entertainment tablet", "entertainment"),
    (domain.AMENITY_KIT, "Amenity kit", "amenity"),
    # the booking service's default paid pre-order menu (booking/ancillaries.py DEFAULT_MENU)
    (domain.paid_meal_item("nasi-lemak"), "Nasi lemak with sambal (pre-ordered)", "meal"),
    (domain.paid_meal_item("chicken-rice"), "Hainanese chicken rice (pre-ordered)", "meal"),
    (domain.paid_meal_item("vegetarian-curry"), "Vegetable curry with rice (pre-ordered)", "meal"),
]
SEED_AIRPORTS = ("XSP", "AOR", "BKK", "CGK")
# item -> (opening quantity, threshold) at every seed airport (XSP, the home base, holds more)
SEED_STOCK: dict[str, tuple[int, int]] = {
    domain.MEAL_NORMAL: (2000, 300),
    domain.MEAL_VIP: (200, 30),
    "meal-vegetarian": (200, 30),
    "meal-vegan": (100, 15),
    "meal-halal": (150, 20),
    "meal-kosher": (60, 10),
    "meal-gluten-free": (60, 10),
    "meal-diabetic": (60, 10),
    "meal-child": (150, 20),
    domain.MEAL_BABY: (80, 10),
    domain.BEVERAGE_PACK: (2500, 350),
    domain.HEADSET: (2000, 300),
    domain.TABLET: (150, 25),
    domain.AMENITY_KIT: (200, 30),
    domain.paid_meal_item("nasi-lemak"): (150, 20),
    domain.paid_meal_item("chicken-rice"): (150, 20),
    domain.paid_meal_item("vegetarian-curry"): (100, 15),
}
HOME_FACTOR = 2


async def seed(stub: InventoryServiceStub, metadata: list[tuple[str, str]]) -> None:
    """`metadata` must carry an inventory or admin token."""
    md = tuple(metadata)
    for code, name, kind in SEED_ITEMS:
        try:
            await stub.CreateItem(pb.CreateItemRequest(code=code, name=name, kind=kind), metadata=md)
        except grpc.aio.AioRpcError as e:
            if e.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
    for airport in SEED_AIRPORTS:
        have = {s.item for s in (await stub.ListStock(pb.ListStockRequest(airport=airport), metadata=md)).stock}
        factor = HOME_FACTOR if airport == "XSP" else 1
        for item, (quantity, threshold) in SEED_STOCK.items():
            if item in have:
                continue
            # stock first: a threshold over an empty line would raise a low-stock alert
            await stub.Restock(pb.RestockRequest(airport=airport, item=item, quantity=quantity * factor), metadata=md)
            await stub.SetThreshold(
                pb.SetThresholdRequest(airport=airport, item=item, threshold=threshold * factor), metadata=md
            )
