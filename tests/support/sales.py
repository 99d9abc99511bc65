"""Helpers of the gateway tests of seats left, sales and fares: a flight's seat counts, a
booking confirmed end to end, a one-way route of its own and the search for it."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

import httpx

from tests.support.booking import free_seats
from tests.support.factories import CARD_OK, CONTACT, HOME, UNIT, key, new_airport
from tests.support.http import auth


async def seats_of(api: httpx.AsyncClient, flight_id: str, cabin: str = "normal") -> dict[str, Any]:
    r = await api.get(f"/api/v1/flights/{flight_id}")
    assert r.status_code == 200, r.text
    return next(c for c in r.json()["seats"] if c["cabin_class"] == cabin)  # type: ignore[no-any-return]


async def wait_for_seats_left(api: httpx.AsyncClient, flight_id: str, wanted: int, deadline_s: float) -> float:
    """Poll the flight view until seats_left is `wanted`; returns the seconds it took."""
    start = time.monotonic()
    last: dict[str, Any] = {}
    while time.monotonic() - start < deadline_s:
        last = await seats_of(api, flight_id)
        if last["seats_left"] == wanted:
            return time.monotonic() - start
        await asyncio.sleep(0.02)
    raise AssertionError(
        f"seats_left still {last.get('seats_left')} (sold {last.get('sold')}) after {deadline_s}s, wanted {wanted}"
    )


async def confirmed_booking(
    api: httpx.AsyncClient, token: str, offer: dict[str, Any], passengers: list[dict[str, Any]]
) -> dict[str, Any]:
    """Create, name, seat and pay a booking of `offer`; returns the confirmed booking."""
    me = auth(token)
    r = await api.post(
        "/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me | {"Idempotency-Key": key()}
    )
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers", headers=me, json={"passengers": passengers, "contact": CONTACT}
    )
    assert r.status_code == 200, r.text
    seated = [p["id"] for p in r.json()["passengers"] if p["type"] != "infant"]
    for leg in offer["legs"]:
        fid = leg["flight"]["id"]
        seats = await free_seats(api, fid, len(seated))
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=me,
            json={"flight_id": fid, "seats": [{"passenger_id": p, "seat": s} for p, s in zip(seated, seats)]},
        )
        assert r.status_code == 200, r.text
    r = await api.post(f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed", r.json()
    return r.json()  # type: ignore[no-any-return]


async def one_way_route(api: httpx.AsyncClient, ops: str) -> str:
    """A new airport with one-way normal fares from home (a route nobody else prices)."""
    far = await new_airport(api, ops, "Asia/Tokyo")
    fares = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "normal",
            "passenger_type": pax,
            "trip_type": "one_way",
            "amount": UNIT[pax],
            "currency": "SGD",
        }
        for pax in UNIT
    ]
    r = await api.put("/api/v1/fares", json={"fares": fares}, headers=auth(ops))
    assert r.status_code == 200, r.text
    return far


def search_params(far: str, flight: dict[str, Any], adults: int = 1) -> dict[str, Any]:
    day = datetime.fromisoformat(flight["scheduled_departure_local"]).date()
    return {"origin": HOME, "destination": far, "date": day.isoformat(), "adults": adults, "cabin_class": "normal"}
