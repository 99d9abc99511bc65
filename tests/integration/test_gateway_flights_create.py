"""Creating flights, round trips and schedules through the gateway, and the flight view's
local times, against the real flights and airport services (real PostgreSQL, Kafka-protocol
broker and Redis underneath).

Every test flies its own planes from its own gates (created here, based at the seed's home
airport XSP) at random times weeks ahead, so no test collides with another test file's flights.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from airline.gateway.routes.flights import Flight
from tests.support.factories import (
    HOME,
    SMALL_CAPACITY,
    create_flight,
    flight_number,
    new_gate,
    new_plane,
    some_day_ahead,
    utc,
)
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


# --- the model ------------------------------------------------------------------------------


def test_local_times_use_each_airports_zone() -> None:
    flight = Flight.model_validate(
        {
            "id": "f1",
            "number": "XA1",
            "origin": "XSP",
            "destination": "NRT",
            "origin_time_zone": "Asia/Singapore",
            "destination_time_zone": "Asia/Tokyo",
            "plane_id": "P1",
            "gate": "",
            "status": "scheduled",
            "scheduled_departure": "2026-12-01T00:00:00+00:00",
            "scheduled_arrival": "2026-12-01T06:30:00Z",
            "estimated_departure": "2026-12-01T08:00:00+08:00",
            "actual_departure": None,
            "seats": [],
            "version": 3,
            "departure_local_date": "2026-12-01",
        }
    )
    out = flight.model_dump(mode="json")
    assert out["scheduled_departure"] == "2026-12-01T00:00:00Z"
    assert out["scheduled_departure_local"] == "2026-12-01T08:00:00+08:00"
    assert out["scheduled_arrival_local"] == "2026-12-01T15:30:00+09:00"
    assert out["estimated_departure"] == "2026-12-01T00:00:00Z"
    assert out["actual_departure"] is None and out["actual_departure_local"] is None
    assert out["gate"] is None


# --- creating flights -------------------------------------------------------------------------


async def test_create_a_flight_and_find_it(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    plane, gate = await new_plane(api, ops), await new_gate(api, ops)
    departure = some_day_ahead()
    number = flight_number()
    flight = await create_flight(
        api, ops, plane=plane, gate=gate, departure=departure, number=number, destination="BKK", duration=145
    )
    assert flight["number"] == number and flight["origin"] == HOME and flight["destination"] == "BKK"
    assert flight["status"] == "scheduled" and flight["plane_id"] == plane and flight["gate"] == gate
    assert flight["scheduled_departure"].endswith("Z")
    assert utc(flight["scheduled_departure"]) == departure
    assert utc(flight["scheduled_arrival"]) == departure + timedelta(minutes=145)
    # local times: Singapore is UTC+8, Bangkok UTC+7, all year
    assert flight["scheduled_departure_local"] == departure.astimezone(timezone(timedelta(hours=8))).isoformat()
    assert flight["scheduled_arrival_local"].endswith("+07:00")
    assert datetime.fromisoformat(flight["scheduled_arrival_local"]) == departure + timedelta(minutes=145)
    assert {s["cabin_class"]: s["capacity"] for s in flight["seats"]} == SMALL_CAPACITY
    assert all(s["sold"] == 0 and s["available"] == s["capacity"] for s in flight["seats"])

    r = await api.get(f"/api/v1/flights/{flight['id']}")
    assert r.status_code == 200, r.text
    assert r.json() == flight

    r = await api.get(
        "/api/v1/flights",
        params={
            "airport": HOME.lower(),
            "direction": "departures",
            "number": number,
            "from": (departure - timedelta(hours=1)).isoformat(),
            "to": (departure + timedelta(hours=1)).isoformat(),
        },
    )
    assert r.status_code == 200, r.text
    assert [f["id"] for f in r.json()["flights"]] == [flight["id"]]
    r = await api.get("/api/v1/flights", params={"airport": "BKK", "direction": "arrivals", "number": number})
    assert [f["id"] for f in r.json()["flights"]] == [flight["id"]]

    # the plane is taken for that time now: a second flight on it is a conflict, as problem+json
    r = await api.post(
        "/api/v1/flights",
        headers=auth(ops),
        json={
            "number": flight_number(),
            "origin": HOME,
            "destination": "AOR",
            "departure": (departure + timedelta(minutes=30)).isoformat(),
            "duration_minutes": 60,
            "plane_id": plane,
            "gate": await new_gate(api, ops),
        },
    )
    assert_problem(r, 409)


async def test_unknown_flight_is_404(api: httpx.AsyncClient) -> None:
    assert_problem(await api.get("/api/v1/flights/00000000-0000-4000-8000-000000000000"), 404)


async def test_create_a_round_trip(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    plane, gate, return_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops, "CGK")
    departure = some_day_ahead()
    back = departure + timedelta(hours=4)
    out_number, back_number = flight_number(), flight_number()
    r = await api.post(
        "/api/v1/flights/round-trips",
        headers=auth(ops),
        json={
            "outbound": {
                "number": out_number,
                "origin": HOME,
                "destination": "CGK",
                "departure": departure.isoformat(),
                "duration_minutes": 100,
                "plane_id": plane,
                "gate": gate,
            },
            "return_number": back_number,
            # given in Jakarta time (UTC+7): the gateway passes the instant on
            "return_departure": back.astimezone(timezone(timedelta(hours=7))).isoformat(),
            "return_gate": return_gate,
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["round_trip_id"] and body["schedule_id"] is None
    outbound, inbound = sorted(body["flights"], key=lambda f: f["scheduled_departure"])
    assert (outbound["number"], outbound["origin"], outbound["destination"]) == (out_number, HOME, "CGK")
    assert (inbound["number"], inbound["origin"], inbound["destination"]) == (back_number, "CGK", HOME)
    assert outbound["round_trip_id"] == inbound["round_trip_id"] == body["round_trip_id"]
    assert inbound["plane_id"] == plane and inbound["gate"] == return_gate
    assert utc(inbound["scheduled_departure"]) == back
    assert utc(inbound["scheduled_arrival"]) == back + timedelta(minutes=100)  # 0: same as the outbound
    assert inbound["scheduled_departure_local"].endswith("+07:00")
    assert inbound["scheduled_arrival_local"].endswith("+08:00")


async def test_create_a_schedule(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    plane, gate, return_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops, "AOR")
    first = some_day_ahead().date()
    number, back_number = flight_number(), flight_number()
    r = await api.post(
        "/api/v1/schedules",
        headers=auth(ops),
        json={
            "number": number,
            "origin": HOME,
            "destination": "AOR",
            "plane_id": plane,
            "gate": gate,
            "departure_local_time": "08:00",
            "duration_minutes": 80,
            "first_date": first.isoformat(),
            "days": 5,
            "return_number": back_number,
            "return_gate": return_gate,
            "return_departure_local_time": "13:00",
            "return_duration_minutes": 85,
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["schedule_id"]
    flights = body["flights"]
    assert len(flights) == 10
    out = sorted((f for f in flights if f["number"] == number), key=lambda f: f["scheduled_departure"])
    back = sorted((f for f in flights if f["number"] == back_number), key=lambda f: f["scheduled_departure"])
    assert len(out) == len(back) == 5
    for day, (o, b) in enumerate(zip(out, back)):
        local_day = (first + timedelta(days=day)).isoformat()
        assert o["scheduled_departure_local"] == f"{local_day}T08:00:00+08:00"  # Singapore
        assert b["scheduled_departure_local"] == f"{local_day}T13:00:00+08:00"  # Kuala Lumpur is UTC+8 too
        assert utc(b["scheduled_arrival"]) - utc(b["scheduled_departure"]) == timedelta(minutes=85)
        assert o["schedule_id"] == b["schedule_id"] == body["schedule_id"]
    # all or none: the same schedule again finds the plane (and the numbers) taken, and adds nothing
    clashing = flight_number()
    r2 = await api.post(
        "/api/v1/schedules",
        headers=auth(ops),
        json={
            "number": clashing,
            "origin": HOME,
            "destination": "AOR",
            "plane_id": plane,
            "gate": await new_gate(api, ops),
            "departure_local_time": "08:30",
            "duration_minutes": 80,
            "first_date": (first - timedelta(days=2)).isoformat(),
            "days": 5,
        },
    )
    assert_problem(r2, 409)
    r = await api.get("/api/v1/flights", params={"number": clashing})
    assert r.status_code == 200, r.text
    assert r.json()["flights"] == []
