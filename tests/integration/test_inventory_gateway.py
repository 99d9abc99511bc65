"""Inventory through the gateway, on a real flight: ops schedules it (flights publishes
FlightScheduled), a booking is confirmed for it, inventory staff see the load plan, load the
flight from the origin's stock and record consumption; ops cancels it and the loaded flight
is marked for unloading, and unloading returns what was not used. A passenger (or any other role but admin) gets 403."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from airline.contracts.events import booking as booking_events
from airline.platform.settings import PlatformSettings
from tests.support.factories import create_flight, new_gate, new_plane, some_day_ahead
from tests.support.http import auth
from tests.support.inventory import booking_confirmed, eventually, publish

pytestmark = pytest.mark.usefixtures("seed_airports", "catalogue")


async def plan_of(api: httpx.AsyncClient, token: str, flight_id: str) -> dict[str, Any] | None:
    r = await api.get(f"/api/v1/flights/{flight_id}/load-plan", headers=auth(token))
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def stock(api: httpx.AsyncClient, token: str, airport: str) -> dict[str, int]:
    r = await api.get("/api/v1/inventory/stock", params={"airport": airport}, headers=auth(token))
    assert r.status_code == 200, r.text
    return {s["item"]: s["quantity"] for s in r.json()["stock"]}


async def test_load_plan_loading_consumption_and_cancellation(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    ops, staff = tokens["ops"], tokens["inventory"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead(60, 400)
    )
    fid, origin = flight["id"], flight["origin"]
    # the flight is known from its own FlightScheduled, with nothing to load yet
    plan = await eventually(lambda: plan_of(api, staff, fid))
    assert plan["items"] == {} and plan["flight_number"] == flight["number"] and plan["origin"] == origin

    b = booking_confirmed(fid, origin, "normal", [("adult", "")] * 3 + [("adult", "halal")])
    await publish(settings, booking_events.BOOKING_CONFIRMED.topic, b["booking_id"], "BookingConfirmed", b)
    expected = {"meal-normal": 3 + 1, "meal-halal": 1, "beverage-pack": 4 + 1, "headset": 4 + 1}

    async def planned() -> dict[str, Any] | None:
        p = await plan_of(api, staff, fid)
        return p if p and p["items"] == expected else None

    plan = await eventually(planned)
    assert plan["version"] >= 2 and not plan["loaded"]

    before = await stock(api, staff, origin)
    r = await api.post(f"/api/v1/flights/{fid}/load", headers=auth(staff))
    assert r.status_code == 200, r.text
    assert {x["item"]: x["loaded"] for x in r.json()["loaded_items"]} == expected
    after = await stock(api, staff, origin)
    assert {i: before[i] - after[i] for i in expected} == expected
    assert all(before[i] == after[i] for i in before if i not in expected)

    r = await api.post(f"/api/v1/flights/{fid}/load", headers=auth(staff))
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")

    r = await api.post(
        f"/api/v1/flights/{fid}/consumption", headers=auth(staff), json={"item": "meal-normal", "quantity": 3}
    )
    assert r.status_code == 200, r.text
    assert {x["item"]: x["consumed"] for x in r.json()["loaded_items"]}["meal-normal"] == 3
    r = await api.post(
        f"/api/v1/flights/{fid}/consumption", headers=auth(staff), json={"item": "meal-normal", "quantity": 2}
    )
    assert r.status_code == 409, r.text

    # one more booking after loading: the plan changes and says what to add
    late = booking_confirmed(fid, origin, "normal", [("adult", "")])
    await publish(settings, booking_events.BOOKING_CONFIRMED.topic, late["booking_id"], "BookingConfirmed", late)
    grown = dict(expected, **{"meal-normal": 4 + 1, "beverage-pack": 5 + 1, "headset": 5 + 1})

    async def regrown() -> dict[str, Any] | None:
        p = await plan_of(api, staff, fid)
        return p if p and p["items"] == grown else None

    plan = await eventually(regrown)
    assert plan["loaded"] and plan["delta"] == {"meal-normal": 1, "beverage-pack": 1, "headset": 1}

    r = await api.post(f"/api/v1/flights/{fid}/cancel", headers=auth(ops), json={"reason": "technical fault"})
    assert r.status_code == 200, r.text

    async def voided() -> dict[str, Any] | None:
        p = await plan_of(api, staff, fid)
        return p if p and p["flight_status"] == "cancelled" else None

    plan = await eventually(voided)
    assert plan["items"] == {} and plan["needs_unload"]
    assert plan["delta"] == {i: -q for i, q in expected.items()}

    # unloading returns what was not used to the origin's stock, once
    before_unload = await stock(api, staff, origin)
    r = await api.post(f"/api/v1/flights/{fid}/unload", headers=auth(staff))
    assert r.status_code == 200 and not r.json()["needs_unload"], r.text
    back = dict(expected, **{"meal-normal": expected["meal-normal"] - 3})
    after_unload = await stock(api, staff, origin)
    assert {i: after_unload[i] - before_unload[i] for i in expected} == back
    r = await api.post(f"/api/v1/flights/{fid}/unload", headers=auth(staff))
    assert r.status_code == 409, r.text


async def test_restock_threshold_items_and_alerts(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    staff = tokens["inventory"]
    code = "kit-" + uuid.uuid4().hex[:6]
    r = await api.post(
        "/api/v1/inventory/items", headers=auth(staff), json={"code": code, "name": "Kids kit", "kind": "amenity"}
    )
    assert r.status_code == 201, r.text
    r = await api.post(
        "/api/v1/inventory/items", headers=auth(staff), json={"code": code, "name": "Kids kit", "kind": "amenity"}
    )
    assert r.status_code == 409
    r = await api.post("/api/v1/inventory/items", headers=auth(staff), json={"code": "x", "name": "n", "kind": "toy"})
    assert r.status_code == 422
    assert code in {i["code"] for i in (await api.get("/api/v1/inventory/items", headers=auth(staff))).json()["items"]}

    r = await api.post(f"/api/v1/inventory/stock/BKK/{code}/restock", headers=auth(staff), json={"quantity": 5})
    assert r.status_code == 200 and r.json()["quantity"] == 5, r.text
    r = await api.put(f"/api/v1/inventory/stock/bkk/{code}/threshold", headers=auth(staff), json={"threshold": 8})
    assert r.status_code == 200 and r.json()["low"], r.text
    r = await api.get("/api/v1/inventory/alerts", params={"airport": "BKK"}, headers=auth(staff))
    assert [(a["item"], a["quantity"], a["threshold"]) for a in r.json()["alerts"] if a["item"] == code] == [
        (code, 5, 8)
    ]
    r = await api.post(f"/api/v1/inventory/stock/BKK/{code}/restock", headers=auth(staff), json={"quantity": 0})
    assert r.status_code == 422
    r = await api.post("/api/v1/inventory/stock/BKK/no-such-item/restock", headers=auth(staff), json={"quantity": 1})
    assert r.status_code == 404


ROUTES = [
    ("GET", "/api/v1/inventory/items", None),
    ("POST", "/api/v1/inventory/items", {"code": "x-1", "name": "X", "kind": "amenity"}),
    ("GET", "/api/v1/inventory/stock?airport=XSP", None),
    ("POST", "/api/v1/inventory/stock/XSP/meal-normal/restock", {"quantity": 1}),
    ("PUT", "/api/v1/inventory/stock/XSP/meal-normal/threshold", {"threshold": 1}),
    ("GET", "/api/v1/inventory/alerts", None),
    ("GET", "/api/v1/flights/some-flight/load-plan", None),
    ("POST", "/api/v1/flights/some-flight/load", None),
    ("POST", "/api/v1/flights/some-flight/unload", None),
    ("POST", "/api/v1/flights/some-flight/consumption", {"item": "meal-normal", "quantity": 1}),
]


@pytest.mark.parametrize("role", ["passenger", "agent", "crew", "ops", "cs"])
async def test_only_inventory_staff_see_inventory(api: httpx.AsyncClient, tokens: dict[str, str], role: str) -> None:
    for method, path, body in ROUTES:
        r = await api.request(method, path, headers=auth(tokens[role]), json=body)
        assert r.status_code == 403, (method, path, r.text)
        r = await api.request(method, path, json=body)
        assert r.status_code == 401, (method, path, r.text)
    r = await api.get("/api/v1/inventory/stock", params={"airport": "XSP"}, headers=auth(tokens["admin"]))
    assert r.status_code == 200 and r.json()["stock"]
