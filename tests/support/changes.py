"""Voluntary changes over HTTP (tests of booking/changes_service.py): a route with flights on
three days, today's fares changed after a sale, the options, quotes and payments of a booking."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa

from airline.booking.changes_store import changes as changes_table
from airline.booking.service import BookingService
from tests.support.booking import route_with_round_trip
from tests.support.factories import HOME, UNIT, create_flight, new_gate, new_plane
from tests.support.http import auth
from tests.support.reaccommodation import API


async def line(api: httpx.AsyncClient, ops: str, *, refundable: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """A new route XSP -> far (its fares: UNIT one way, change fee 5000): a flight, then one a
    day after it and one two days after it."""
    far, first, _ = await route_with_round_trip(api, ops, refundable=refundable)
    flights = [first]
    departure = datetime.fromisoformat(first["scheduled_departure"].replace("Z", "+00:00"))
    for day in (1, 2):
        plane, gate = await new_plane(api, ops), await new_gate(api, ops)
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
    return far, flights


async def reprice(api: httpx.AsyncClient, ops: str, far: str, factor: float, change_fee: int) -> None:
    """Today's fares and rules of the route change (after the booking was made)."""
    fares = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "normal",
            "passenger_type": pax,
            "trip_type": "one_way",
            "amount": int(UNIT[pax] * factor),
            "currency": "SGD",
        }
        for pax in UNIT
    ]
    rules = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "normal",
            "refundable": False,
            "change_fee": change_fee,
            "currency": "SGD",
            "checked_bags": 0,
            "bag_weight_kg": 23,
        }
    ]
    r = await api.put(f"{API}/fares", json={"fares": fares, "rules": rules}, headers=auth(ops))
    assert r.status_code == 200, r.text


def day_of(flight: dict[str, Any]) -> str:
    return datetime.fromisoformat(flight["scheduled_departure_local"]).date().isoformat()


async def option(api: httpx.AsyncClient, me: dict[str, str], bid: str, flight: dict[str, Any]) -> dict[str, Any]:
    r = await api.get(f"{API}/bookings/{bid}/changes/options", params={"leg": 0, "date": day_of(flight)}, headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["leg"] == 0
    found = [o for o in r.json()["options"] if o["flight_id"] == flight["id"]]
    assert len(found) == 1, r.json()
    return found[0]


async def quote(api: httpx.AsyncClient, me: dict[str, str], bid: str, flight: dict[str, Any]) -> dict[str, Any]:
    r = await api.post(
        f"{API}/bookings/{bid}/changes/quote", headers=me, json={"legs": [{"leg": 0, "flight_id": flight["id"]}]}
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def payments(api: httpx.AsyncClient, cs: str, bid: str) -> list[tuple[str, int, int, int]]:
    r = await api.get(f"{API}/payments", params={"reference": bid}, headers=auth(cs))
    assert r.status_code == 200, r.text
    return sorted((p["status"], p["amount"], p["captured_amount"], p["refunded_amount"]) for p in r.json()["payments"])


async def change_rows(booking: BookingService, bid: str) -> list[dict[str, Any]]:
    async with booking.db.engine.connect() as conn:
        rows = await conn.execute(sa.select(changes_table).where(changes_table.c.booking_id == bid))
        return [dict(r._mapping) for r in rows]
