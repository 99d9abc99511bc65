"""Helpers of the booking tests: a route, flights, fares and offers of their own (so no other
test prices or fills them), and the steps of the booking flow through the gateway."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from airline.contracts.events import checkin as checkin_events
from airline.platform.settings import PlatformSettings
from tests.support.factories import (
    CARD_OK,
    CONTACT,
    HOME,
    UNIT,
    flight_number,
    key,
    new_airport,
    new_gate,
    new_plane,
    person,
    some_day_ahead,
    years_before,
)
from tests.support.http import auth


async def route_with_round_trip(
    api: httpx.AsyncClient, ops: str, *, refundable: bool = True, layout: dict[str, Any] | None = None
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A new airport (a route nobody else prices), a round trip on a new plane, fares and rules."""
    far = await new_airport(api, ops, "Asia/Tokyo")
    plane = await new_plane(api, ops) if layout is None else await plane_with(api, ops, layout)
    gate, far_gate = await new_gate(api, ops), await new_gate(api, ops, far)
    departure = some_day_ahead(60, 400).replace(hour=1, minute=random.randint(0, 59))
    r = await api.post(
        "/api/v1/flights/round-trips",
        headers=auth(ops),
        json={
            "outbound": {
                "number": flight_number(),
                "origin": HOME,
                "destination": far,
                "departure": departure.isoformat(),
                "duration_minutes": 390,
                "plane_id": plane,
                "gate": gate,
            },
            "return_number": flight_number(),
            "return_departure": (departure + timedelta(hours=9)).isoformat(),
            "return_gate": far_gate,
        },
    )
    assert r.status_code == 201, r.text
    outbound, inbound = sorted(r.json()["flights"], key=lambda f: f["scheduled_departure"])
    fares = [
        {
            "origin": o,
            "destination": d,
            "cabin_class": "normal",
            "passenger_type": pax,
            "trip_type": trip,
            "amount": UNIT[pax],
            "currency": "SGD",
        }
        for o, d in ((HOME, far), (far, HOME))
        for trip in ("one_way", "round_trip")
        for pax in UNIT
    ]
    rules = [
        {
            "origin": o,
            "destination": d,
            "cabin_class": "normal",
            "refundable": refundable,
            "change_fee": 5000,
            "currency": "SGD",
            "checked_bags": 1,
            "bag_weight_kg": 23,
        }
        for o, d in ((HOME, far), (far, HOME))
    ]
    r = await api.put("/api/v1/fares", json={"fares": fares, "rules": rules}, headers=auth(ops))
    assert r.status_code == 200, r.text
    return far, outbound, inbound


async def plane_with(api: httpx.AsyncClient, ops: str, layout: dict[str, Any]) -> str:
    return await new_plane(api, ops, layout=layout)


async def offer_for(
    api: httpx.AsyncClient,
    far: str,
    outbound: dict[str, Any],
    inbound: dict[str, Any] | None,
    adults: int = 1,
    children: int = 0,
    infants: int = 0,
) -> dict[str, Any]:
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    params: dict[str, Any] = {
        "origin": HOME,
        "destination": far,
        "date": day.isoformat(),
        "adults": adults,
        "children": children,
        "infants": infants,
        "cabin_class": "normal",
    }
    wanted = [outbound["id"]]
    if inbound is not None:
        params |= {
            "trip_type": "round_trip",
            "return_date": datetime.fromisoformat(inbound["scheduled_departure_local"]).date().isoformat(),
        }
        wanted.append(inbound["id"])
    r = await api.get("/api/v1/search", params=params)
    assert r.status_code == 200, r.text
    offers = [o for o in r.json()["offers"] if [leg["flight"]["id"] for leg in o["legs"]] == wanted]
    assert len(offers) == 1, r.json()
    return offers[0]  # type: ignore[no-any-return]


async def free_seats(api: httpx.AsyncClient, flight_id: str, n: int) -> list[str]:
    r = await api.get(f"/api/v1/flights/{flight_id}/seats")
    assert r.status_code == 200, r.text
    seats = [
        s["seat"]
        for s in r.json()["seats"]
        if s["state"] == "free" and s["cabin_class"] == "normal" and not s["exit_row"] and not s["blocked"]
    ]
    assert len(seats) >= n
    return seats[:n]


async def published(bootstrap: str, topic: str, key: str, count: int = 1) -> list[dict[str, Any]]:
    """The events of `topic` keyed by `key`, as published through the outbox to the broker."""
    import asyncio
    import json

    from airline.platform.kafka import ensure_topics, make_consumer

    await ensure_topics(bootstrap, [topic])
    consumer = make_consumer(bootstrap, f"booking-test-{uuid.uuid4().hex[:8]}", topic, session_timeout_ms=6000)
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        async with asyncio.timeout(60):
            while len(found) < count:
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    found += [json.loads(r.value) for r in records if r.key and r.key.decode() == key]
    finally:
        await consumer.stop()
    return found


async def held_one_way(
    api: httpx.AsyncClient, ops: str, headers: dict[str, str] | None = None, *, refundable: bool = True
) -> tuple[str, dict[str, Any], dict[str, str], str]:
    """A held one-way booking for one adult with a seat on its own new flight: (booking id,
    flight, the headers that manage it (a guest's manage token when no headers), the seat)."""
    far, outbound, _ = await route_with_round_trip(api, ops, refundable=refundable)
    offer = await offer_for(api, far, outbound, None, adults=1)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=headers or {})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    headers = headers or {"X-Manage-Token": r.json()["manage_token"]}
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=headers,
        json={"contact": CONTACT, "passengers": [person("adult", "Ada", "Lovelace", "1985-12-10")]},
    )
    assert r.status_code == 200, r.text
    seat = (await free_seats(api, outbound["id"], 1))[0]
    r = await api.put(
        f"/api/v1/bookings/{bid}/seats",
        headers=headers,
        json={"flight_id": outbound["id"], "seats": [{"passenger_id": "P1", "seat": seat}]},
    )
    assert r.status_code == 200, r.text
    return bid, outbound, headers, seat


async def confirmed_one_way(
    api: httpx.AsyncClient, ops: str, headers: dict[str, str] | None = None, *, refundable: bool = True
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], str]:
    """held_one_way, paid: (the confirmed booking, flight, headers, seat)."""
    bid, flight, headers, seat = await held_one_way(api, ops, headers, refundable=refundable)
    r = await api.post(
        f"/api/v1/bookings/{bid}/pay", headers=headers | {"Idempotency-Key": key()}, json={"method": CARD_OK}
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed"
    return r.json(), flight, headers, seat


async def seat_state(api: httpx.AsyncClient, flight_id: str, seat: str) -> str:
    r = await api.get(f"/api/v1/flights/{flight_id}/seats")
    assert r.status_code == 200, r.text
    return next(s["state"] for s in r.json()["seats"] if s["seat"] == seat)  # type: ignore[no-any-return]


def travel_day(flight: dict[str, Any]) -> date:
    return datetime.fromisoformat(flight["scheduled_departure_local"]).date()


API = "/api/v1"


async def near_trip(
    api: httpx.AsyncClient, ops: str, hours_ahead: float = 3
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A new route: out in `hours_ahead` (check-in open), back 2 days later (not open yet)."""
    far = await new_airport(api, ops, "Asia/Tokyo")
    plane, gate, far_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops, far)
    departure = (datetime.now(UTC) + timedelta(hours=hours_ahead)).replace(second=0, microsecond=0)
    r = await api.post(
        f"{API}/flights/round-trips",
        headers=auth(ops),
        json={
            "outbound": {
                "number": flight_number(),
                "origin": HOME,
                "destination": far,
                "departure": departure.isoformat(),
                "duration_minutes": 390,
                "plane_id": plane,
                "gate": gate,
            },
            "return_number": flight_number(),
            "return_departure": (departure + timedelta(days=2)).isoformat(),
            "return_gate": far_gate,
        },
    )
    assert r.status_code == 201, r.text
    outbound, inbound = sorted(r.json()["flights"], key=lambda f: f["scheduled_departure"])
    fares = [
        {
            "origin": o,
            "destination": d,
            "cabin_class": "normal",
            "passenger_type": pax,
            "trip_type": trip,
            "amount": UNIT[pax],
            "currency": "SGD",
        }
        for o, d in ((HOME, far), (far, HOME))
        for trip in ("one_way", "round_trip")
        for pax in UNIT
    ]
    rules = [
        {
            "origin": o,
            "destination": d,
            "cabin_class": "normal",
            "refundable": True,
            "change_fee": 5000,
            "currency": "SGD",
            "checked_bags": 1,
            "bag_weight_kg": 23,
        }
        for o, d in ((HOME, far), (far, HOME))
    ]
    r = await api.put(f"{API}/fares", json={"fares": fares, "rules": rules}, headers=auth(ops))
    assert r.status_code == 200, r.text
    return far, outbound, inbound


async def book(
    api: httpx.AsyncClient,
    token: str,
    far: str,
    outbound: dict[str, Any],
    inbound: dict[str, Any],
    people: list[dict[str, Any]],
    adults: int,
    children: int = 0,
    infants: int = 0,
) -> dict[str, Any]:
    me = auth(token)
    params = {
        "origin": HOME,
        "destination": far,
        "adults": adults,
        "children": children,
        "infants": infants,
        "cabin_class": "normal",
        "trip_type": "round_trip",
        "date": datetime.fromisoformat(outbound["scheduled_departure_local"]).date().isoformat(),
        "return_date": datetime.fromisoformat(inbound["scheduled_departure_local"]).date().isoformat(),
    }
    r = await api.get(f"{API}/search", params=params)
    assert r.status_code == 200, r.text
    offer = next(
        o for o in r.json()["offers"] if [leg["flight"]["id"] for leg in o["legs"]] == [outbound["id"], inbound["id"]]
    )
    r = await api.post(f"{API}/bookings", json={"offer_id": offer["offer_id"]}, headers=me | {"Idempotency-Key": key()})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    r = await api.put(f"{API}/bookings/{bid}/passengers", headers=me, json={"passengers": people, "contact": CONTACT})
    assert r.status_code == 200, r.text
    seated = [p["id"] for p in r.json()["passengers"] if p["type"] != "infant"]
    for flight in (outbound, inbound):
        seats = await free_seats(api, flight["id"], len(seated))
        r = await api.put(
            f"{API}/bookings/{bid}/seats",
            headers=me,
            json={"flight_id": flight["id"], "seats": [{"passenger_id": p, "seat": s} for p, s in zip(seated, seats)]},
        )
        assert r.status_code == 200, r.text
    r = await api.post(f"{API}/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    return r.json()  # type: ignore[no-any-return]


async def issued_codes(settings: PlatformSettings, booking: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The CheckinCodeIssued events of the booking, as the notification service receives them."""
    n = len(booking["passengers"])
    events = await published(settings.kafka_bootstrap_servers or "", checkin_events.CODE_ISSUED.topic, booking["id"], n)
    return {e["payload"]["passenger_id"]: e for e in events}


async def confirmed_booking(
    api: httpx.AsyncClient, tokens: dict[str, str], *, extra: dict[str, int] | None = None, last: str = "Lovelace"
) -> dict[str, Any]:
    """A one-way booking of 2 adults + 1 infant (P3, on P1's lap), paid and confirmed by the
    passenger; the fare includes 1 x 23 kg per seated passenger. `extra`: pieces bought per
    passenger while booking."""
    me = auth(tokens["passenger"])
    far, outbound, _ = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, None, adults=2, infants=1)
    r = await api.post(
        "/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me | {"Idempotency-Key": key()}
    )
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    day = travel_day(outbound)
    people = [
        person("adult", "Ada", last, "1985-12-10"),
        person("adult", "William", last, "1983-03-21"),
        person("infant", "Annabella", last, years_before(day, 1), infant_of="P1"),
    ]
    r = await api.put(f"/api/v1/bookings/{bid}/passengers", headers=me, json={"passengers": people, "contact": CONTACT})
    assert r.status_code == 200, r.text
    seats = await free_seats(api, outbound["id"], 2)
    r = await api.put(
        f"/api/v1/bookings/{bid}/seats",
        headers=me,
        json={
            "flight_id": outbound["id"],
            "seats": [{"passenger_id": p, "seat": s} for p, s in zip(("P1", "P2"), seats)],
        },
    )
    assert r.status_code == 200, r.text
    if extra:
        r = await api.put(
            f"/api/v1/bookings/{bid}/luggage",
            headers=me,
            json={
                "bags": [{"flight_id": outbound["id"], "passenger_id": p, "extra_pieces": n} for p, n in extra.items()]
            },
        )
        assert r.status_code == 200, r.text
    r = await api.post(f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    return {"booking": r.json(), "flight": outbound, "far": far}


def bag_body(
    trip: dict[str, Any],
    passenger: str = "P1",
    kg: str = "20.5",
    dims: tuple[int, int, int] = (55, 40, 23),
    **more: Any,
) -> dict[str, Any]:
    return {
        "booking_id": trip["booking"]["id"],
        "passenger_id": passenger,
        "flight_id": trip["flight"]["id"],
        "weight_kg": kg,
        "length_cm": dims[0],
        "width_cm": dims[1],
        "height_cm": dims[2],
        **more,
    }


async def drop(
    api: httpx.AsyncClient, tokens: dict[str, str], body: dict[str, Any], status: int = 201
) -> dict[str, Any]:
    r = await api.post("/api/v1/bags", json=body, headers=auth(tokens["agent"]))
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


async def scan(
    api: httpx.AsyncClient,
    tokens: dict[str, str],
    tag: str,
    status: str,
    where: str = "XSP",
    location: str = "",
    event_id: str | None = None,
) -> httpx.Response:
    return await api.post(
        f"/api/v1/bags/{tag}/events",
        headers=auth(tokens["agent"]),
        json={"status": status, "airport": where, "location": location, "event_id": event_id or uuid.uuid4().hex},
    )
