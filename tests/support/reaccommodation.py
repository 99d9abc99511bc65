"""Re-accommodation test helpers: routes with following flights, confirmed bookings of groups,
proposals as the passenger sees them (tests/integration/test_booking_reaccommodation*.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.support.booking import route_with_round_trip
from tests.support.factories import (
    CARD_OK,
    CONTACT,
    HOME,
    UNIT,
    create_flight,
    key,
    new_gate,
    new_plane,
    person,
    years_before,
)
from tests.support.http import auth

API = "/api/v1"
# a plane with 4 VIP and 6 normal seats (the "only a few seats left" flight)
TINY = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 1, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 2, "last_row": 2, "seat_letters": "ABC DEF"},
    ]
}


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30) -> Any:
    async with asyncio.timeout(timeout):
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(0.2)


async def route(
    api: httpx.AsyncClient, ops: str, layouts: list[dict[str, Any] | None]
) -> tuple[str, list[dict[str, Any]]]:
    """A new route XSP -> far (normal and VIP fares): its disrupted flight, then one flight a
    day after it per layout (None: the small default plane)."""
    far, first, _ = await route_with_round_trip(api, ops)
    flights = [first]
    departure = datetime.fromisoformat(first["scheduled_departure"].replace("Z", "+00:00"))
    for day, layout in enumerate(layouts, start=1):
        plane = await new_plane(api, ops, layout=layout)
        gate = await new_gate(api, ops)
        flights.append(
            await create_flight(
                api,
                ops,
                plane=plane,
                gate=gate,
                departure=departure + timedelta(days=day),
                destination=far,
                duration=390,
            )
        )
    fares = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "vip",
            "passenger_type": pax,
            "trip_type": "one_way",
            "amount": UNIT[pax] * 3,
            "currency": "SGD",
        }
        for pax in UNIT
    ]
    rules = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "vip",
            "refundable": True,
            "change_fee": 0,
            "currency": "SGD",
            "checked_bags": 2,
            "bag_weight_kg": 32,
        }
    ]
    r = await api.put(f"{API}/fares", json={"fares": fares, "rules": rules}, headers=auth(ops))
    assert r.status_code == 200, r.text
    return far, flights


def group(tag: str, adults: int, children: int = 0, infants: int = 0) -> list[dict[str, Any]]:
    today = datetime.now().date()
    people = [person("adult", f"Ad{chr(65 + i)}", tag, f"198{i}-02-03") for i in range(adults)]
    people += [person("child", f"Ch{chr(65 + i)}", tag, years_before(today, 7)) for i in range(children)]
    people += [
        person("infant", f"In{chr(65 + i)}", tag, (today - timedelta(days=40)).isoformat(), infant_of=f"P{i + 1}")
        for i in range(infants)
    ]
    return people


async def book(
    api: httpx.AsyncClient,
    me: dict[str, str],
    far: str,
    flight: dict[str, Any],
    people: list[dict[str, Any]],
    cabin: str = "normal",
) -> dict[str, Any]:
    """A confirmed one-way booking of `people` on `flight` in `cabin`."""
    counts = {k: sum(1 for p in people if p["type"] == k) for k in ("adult", "child", "infant")}
    day = datetime.fromisoformat(flight["scheduled_departure_local"]).date().isoformat()
    params = {
        "origin": HOME,
        "destination": far,
        "date": day,
        "adults": counts["adult"],
        "children": counts["child"],
        "infants": counts["infant"],
        "cabin_class": cabin,
    }
    r = await api.get(f"{API}/search", params=params)
    assert r.status_code == 200, r.text
    offer = next(o for o in r.json()["offers"] if [leg["flight"]["id"] for leg in o["legs"]] == [flight["id"]])
    r = await api.post(f"{API}/bookings", json={"offer_id": offer["offer_id"]}, headers=me | {"Idempotency-Key": key()})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    r = await api.put(f"{API}/bookings/{bid}/passengers", headers=me, json={"passengers": people, "contact": CONTACT})
    assert r.status_code == 200, r.text
    seated = [p["id"] for p in r.json()["passengers"] if p["type"] != "infant"]
    r = await api.get(f"{API}/flights/{flight['id']}/seats")
    free = [
        s["seat"]
        for s in r.json()["seats"]
        if s["state"] == "free" and s["cabin_class"] == cabin and not s["exit_row"] and not s["blocked"]
    ]
    choice = [{"passenger_id": p, "seat": s} for p, s in zip(seated, free, strict=False)]
    r = await api.put(f"{API}/bookings/{bid}/seats", headers=me, json={"flight_id": flight["id"], "seats": choice})
    assert r.status_code == 200, r.text
    r = await api.post(f"{API}/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    return r.json()  # type: ignore[no-any-return]


async def taken_on(api: httpx.AsyncClient, flight_id: str) -> set[str]:
    r = await api.get(f"{API}/flights/{flight_id}/seats")
    assert r.status_code == 200, r.text
    return {s["seat"] for s in r.json()["seats"] if s["state"] == "taken"}


async def proposals(api: httpx.AsyncClient, me: dict[str, str], ids: list[str]) -> dict[str, dict[str, Any]]:
    out = {}
    for bid in ids:
        b = (await api.get(f"{API}/bookings/{bid}", headers=me)).json()
        out[bid] = b.get("reaccommodation") or {}
    return out
