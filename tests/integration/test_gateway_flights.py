"""Flights, schedules, fares and search through the gateway, against the real flights and
airport services (real PostgreSQL, Kafka-protocol broker and Redis underneath).

Every test flies its own planes from its own gates (created here, based at the seed's home
airport XSP) at random times weeks ahead, so no test collides with another test file's flights.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from airline.gateway.routes.flights import Flight
from tests.support.factories import (
    HOME,
    SMALL_CAPACITY,
    create_flight,
    flight_number,
    new_airport,
    new_gate,
    new_plane,
    some_day_ahead,
    utc,
)
from tests.support.http import assert_problem, auth

# --- helpers (also used by test_live_status.py) --------------------------------------------


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


def test_the_live_feed_follows_every_flight_event_topic() -> None:
    """The gateway follows every flight event the catalogue declares (each carries the flight's
    snapshot), and the announcements."""
    from airline.contracts.events import CATALOGUE
    from airline.contracts.events import flights as flight_events
    from airline.gateway import live

    published = {
        topic
        for topic, e in CATALOGUE.items()
        if e.domain == "flights" and issubclass(e.payload, flight_events.FlightChange)
    }
    assert len(published) == 8 and published == set(live.FLIGHT_TOPICS)
    assert live.ANNOUNCEMENT_TOPIC == flight_events.ANNOUNCEMENT_MADE.topic


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


# --- auth and input --------------------------------------------------------------------------

OPS_ROUTES = [
    (
        "POST",
        "/api/v1/flights",
        {
            "number": flight_number(),
            "origin": "XSP",
            "destination": "BKK",
            "departure": "2030-01-01T08:00:00+08:00",
            "duration_minutes": 60,
            "plane_id": "P1",
            "gate": "X1",
        },
    ),
    ("POST", "/api/v1/flights/round-trips", {}),
    ("POST", "/api/v1/schedules", {}),
    ("POST", "/api/v1/flights/some-flight/status", {"status": "boarding"}),
    ("POST", "/api/v1/flights/some-flight/gate", {"gate": "X2"}),
    (
        "POST",
        "/api/v1/flights/some-flight/delay",
        {"new_departure": "2030-01-01T09:00:00Z", "delay_code": "93", "reason": "late"},
    ),
    ("POST", "/api/v1/flights/some-flight/cancel", {"reason": "fault"}),
    ("POST", "/api/v1/flights/some-flight/divert", {"diverted_to": "CGK", "reason": "weather"}),
    ("PUT", "/api/v1/fares", {"fares": []}),
]


@pytest.mark.parametrize(("method", "path", "body"), OPS_ROUTES, ids=[f"{m} {p}" for m, p, _ in OPS_ROUTES])
async def test_ops_routes_need_a_token_and_the_ops_role(
    api: httpx.AsyncClient, tokens: dict[str, str], method: str, path: str, body: dict[str, Any]
) -> None:
    problem = assert_problem(await api.request(method, path, json=body), 401)
    assert problem["code"] == "unauthenticated"
    for role in ("passenger", "agent", "crew"):
        problem = assert_problem(await api.request(method, path, json=body, headers=auth(tokens[role])), 403)
        assert problem["code"] == "permission_denied"


async def test_bad_input_is_422_with_the_field(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = auth(tokens["ops"])
    good = {
        "number": flight_number(),
        "origin": "XSP",
        "destination": "BKK",
        "departure": "2030-01-01T08:00:00+08:00",
        "duration_minutes": 60,
        "plane_id": "P1",
        "gate": "X1",
    }
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/api/v1/flights", good | {"departure": "next tuesday"}, "body.departure"),
        ("POST", "/api/v1/flights", good | {"departure": "2030-01-01T08:00:00"}, "body.departure"),  # no zone
        ("POST", "/api/v1/flights", good | {"duration_minutes": 0}, "body.duration_minutes"),
        ("POST", "/api/v1/flights", good | {"destination": "XSP"}, "body"),
        ("POST", "/api/v1/flights", good | {"number": "not a number"}, "body.number"),
        (
            "POST",
            "/api/v1/flights/round-trips",
            {
                "outbound": good,
                "return_number": flight_number(),
                "return_departure": "2030-01-01T08:30:00+08:00",
                "return_gate": "B1",
            },
            "body",
        ),  # back before it landed
        (
            "POST",
            "/api/v1/schedules",
            {
                "number": flight_number(),
                "origin": "XSP",
                "destination": "BKK",
                "plane_id": "P1",
                "gate": "X1",
                "departure_local_time": "25:00",
                "duration_minutes": 60,
                "first_date": "2030-01-01",
                "days": 3,
            },
            "body.departure_local_time",
        ),
        (
            "POST",
            "/api/v1/flights/x/delay",
            {"new_departure": "2030-01-01T09:00", "delay_code": "93", "reason": "late"},
            "body.new_departure",
        ),
        (
            "POST",
            "/api/v1/flights/x/delay",
            {"new_departure": "2030-01-01T09:00Z", "delay_code": "9", "reason": "late"},
            "body.delay_code",
        ),
        ("POST", "/api/v1/flights/x/status", {"status": "cancelled"}, "body.status"),
        (
            "PUT",
            "/api/v1/fares",
            {
                "fares": [
                    {
                        "origin": "XSP",
                        "destination": "BKK",
                        "cabin_class": "normal",
                        "passenger_type": "adult",
                        "trip_type": "one_way",
                        "amount": 129.5,
                        "currency": "SGD",
                    }
                ]
            },
            "body.fares.0.amount",
        ),  # money is never a float
    ]
    for method, path, body, field in cases:
        problem = assert_problem(await api.request(method, path, json=body, headers=ops), 422)
        assert problem["code"] == "validation_failed"
        assert any(e["field"] == field or e["field"].startswith(field + ".") for e in problem["errors"]), (
            path,
            body,
            problem["errors"],
        )

    search = {"origin": "XSP", "destination": "BKK", "date": "2030-01-01"}
    for params, field in [
        (search | {"adults": 1, "infants": 2}, "query"),  # an infant per adult's lap
        (search | {"date": "01/01/2030"}, "query.date"),
        (search | {"trip_type": "round_trip"}, "query"),  # no return date
        (search | {"trip_type": "round_trip", "return_date": "2029-12-31"}, "query"),
        (search | {"adults": 5, "children": 5}, "query"),
        (search | {"cabin_class": "first"}, "query.cabin_class"),
        (search | {"flexible_days": 9}, "query.flexible_days"),
    ]:
        problem = assert_problem(await api.get("/api/v1/search", params=params), 422)
        assert any(e["field"].startswith(field) for e in problem["errors"]), (params, problem["errors"])
    assert_problem(
        await api.get("/api/v1/flights", params={"from": "2030-01-02T00:00:00Z", "to": "2030-01-01T00:00:00Z"}), 422
    )
    assert_problem(await api.get("/api/v1/flights", params={"from": "2030-01-02T00:00:00"}), 422)


# --- the lifecycle -----------------------------------------------------------------------------


async def test_lifecycle_and_a_step_it_does_not_allow_is_409(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    plane, gate = await new_plane(api, ops), await new_gate(api, ops)
    flight = await create_flight(api, ops, plane=plane, gate=gate, departure=some_day_ahead())
    fid = flight["id"]
    versions = [flight["version"]]
    for status in ("boarding", "departed", "arrived"):
        r = await api.post(f"/api/v1/flights/{fid}/status", json={"status": status}, headers=auth(ops))
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
        versions.append(r.json()["version"])
    assert versions == sorted(versions) and len(set(versions)) == 4
    landed = r.json()
    assert landed["actual_departure"] and landed["actual_arrival"]
    assert landed["actual_departure_local"].endswith("+08:00")

    r = await api.post(f"/api/v1/flights/{fid}/status", json={"status": "boarding"}, headers=auth(ops))
    problem = assert_problem(r, 409)
    assert "arrived" in problem["detail"] and "boarding" in problem["detail"]
    assert_problem(await api.post(f"/api/v1/flights/{fid}/cancel", json={"reason": "too late"}, headers=auth(ops)), 409)
    r = await api.get(f"/api/v1/flights/{fid}")
    assert r.json()["status"] == "arrived" and r.json()["version"] == versions[-1]


async def test_gate_change_delay_cancel_and_divert(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    plane, gate, other_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops)
    departure = some_day_ahead()
    flight = await create_flight(api, ops, plane=plane, gate=gate, departure=departure, destination="BKK")
    fid = flight["id"]

    r = await api.post(
        f"/api/v1/flights/{fid}/gate", json={"gate": other_gate.lower(), "reason": "gate closed"}, headers=auth(ops)
    )
    assert r.status_code == 200, r.text
    assert r.json()["gate"] == other_gate

    new_departure = departure + timedelta(minutes=50)
    r = await api.post(
        f"/api/v1/flights/{fid}/delay",
        headers=auth(ops),
        json={
            "new_departure": new_departure.astimezone(timezone(timedelta(hours=8))).isoformat(),
            "delay_code": "93",
            "reason": "late inbound aircraft",
        },
    )
    assert r.status_code == 200, r.text
    delayed = r.json()
    assert delayed["status"] == "delayed" and delayed["delay_code"] == "93"
    assert delayed["status_reason"] == "late inbound aircraft"
    assert utc(delayed["estimated_departure"]) == new_departure
    assert utc(delayed["estimated_arrival"]) == new_departure + timedelta(minutes=140)  # shifted alike
    assert utc(delayed["scheduled_departure"]) == departure

    r = await api.get("/api/v1/announcements", params={"flight_id": fid})
    assert r.status_code == 200, r.text
    kinds = {a["kind"] for a in r.json()["announcements"]}
    assert "delay" in kinds, r.json()
    assert all(a["airport"] == HOME and a["flight_number"] == flight["number"] for a in r.json()["announcements"])

    for status in ("boarding", "departed"):
        assert (
            await api.post(f"/api/v1/flights/{fid}/status", json={"status": status}, headers=auth(ops))
        ).status_code == 200
    r = await api.post(
        f"/api/v1/flights/{fid}/divert",
        headers=auth(ops),
        json={
            "diverted_to": "cgk",
            "reason": "weather at BKK",
            "estimated_arrival": (new_departure + timedelta(hours=3)).isoformat(),
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "diverted" and r.json()["diverted_to"] == "CGK"

    # the diverted plane is at CGK now: the next flight from XSP takes another one
    second = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=gate, departure=departure + timedelta(days=2)
    )
    r = await api.post(f"/api/v1/flights/{second['id']}/cancel", json={"reason": "technical fault"}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled" and r.json()["status_reason"] == "technical fault"
    assert_problem(
        await api.post(
            f"/api/v1/flights/{second['id']}/delay",
            headers=auth(ops),
            json={
                "new_departure": (departure + timedelta(days=2, hours=1)).isoformat(),
                "delay_code": "93",
                "reason": "late",
            },
        ),
        409,
    )


# --- fares and search --------------------------------------------------------------------------


async def test_search_prices_offers_from_the_fares_put(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    far = await new_airport(api, ops, "Asia/Tokyo")  # a route of its own: no other test prices it
    plane, gate, far_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops, far)
    departure = some_day_ahead(60, 400).replace(hour=1, minute=random.randint(0, 59))  # 09:xx in Singapore
    back_departure = departure + timedelta(hours=9)
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
            "return_departure": back_departure.isoformat(),
            "return_gate": far_gate,
        },
    )
    assert r.status_code == 201, r.text
    outbound, inbound = sorted(r.json()["flights"], key=lambda f: f["scheduled_departure"])

    amounts = {  # (origin, destination, trip_type, passenger_type) -> minor units
        (o, d, trip, pax): random.randint(1000, 90000)
        for o, d in ((HOME, far), (far, HOME))
        for trip in ("one_way", "round_trip")
        for pax in ("adult", "child", "infant")
    }
    fares = [
        {
            "origin": o,
            "destination": d,
            "cabin_class": "normal",
            "passenger_type": pax,
            "trip_type": trip,
            "amount": amount,
            "currency": "SGD",
        }
        for (o, d, trip, pax), amount in amounts.items()
    ]
    rules = [
        {
            "origin": o,
            "destination": d,
            "cabin_class": "normal",
            "refundable": False,
            "change_fee": 5000,
            "currency": "SGD",
            "checked_bags": 1,
            "bag_weight_kg": 23,
        }
        for o, d in ((HOME, far), (far, HOME))
    ]
    r = await api.put("/api/v1/fares", json={"fares": fares, "rules": rules}, headers=auth(ops))
    assert r.status_code == 200, r.text
    r = await api.get("/api/v1/fares", params={"origin": HOME, "destination": far})
    assert r.status_code == 200, r.text
    listed = {
        (f["origin"], f["destination"], f["trip_type"], f["passenger_type"]): f["amount"]
        for f in r.json()["fares"]
        if f["cabin_class"] == "normal"
    }
    assert listed == {k: v for k, v in amounts.items() if k[:2] == (HOME, far)}
    assert [x["checked_bags"] for x in r.json()["rules"]] == [1]

    pax = {"adult": 2, "child": 1, "infant": 1}
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    r = await api.get(
        "/api/v1/search",
        params={
            "origin": HOME,
            "destination": far.lower(),
            "date": day.isoformat(),
            "adults": 2,
            "children": 1,
            "infants": 1,
            "cabin_class": "normal",
        },
    )
    assert r.status_code == 200, r.text
    offers = [o for o in r.json()["offers"] if [leg["flight"]["id"] for leg in o["legs"]] == [outbound["id"]]]
    assert len(offers) == 1, r.json()
    offer = offers[0]
    expected = {t: amounts[(HOME, far, "one_way", t)] for t in pax}
    assert offer["currency"] == "SGD" and offer["trip_type"] == "one_way"
    assert offer["total"] == sum(expected[t] * n for t, n in pax.items())
    assert isinstance(offer["total"], int)
    assert {
        line["passenger_type"]: (line["count"], line["unit_amount"], line["amount"]) for line in offer["breakdown"]
    } == {t: (n, expected[t], expected[t] * n) for t, n in pax.items()}
    leg = offer["legs"][0]
    assert leg["seats_left"] == SMALL_CAPACITY["normal"]
    assert leg["rules"]["checked_bags"] == 1 and leg["rules"]["change_fee"] == 5000
    assert leg["flight"]["scheduled_departure_local"].endswith("+08:00")
    assert leg["flight"]["scheduled_arrival_local"].endswith("+09:00")

    r = await api.get(f"/api/v1/offers/{offer['offer_id']}")
    assert r.status_code == 200, r.text
    assert r.json()["total"] == offer["total"] and r.json()["breakdown"] == offer["breakdown"]

    return_day = datetime.fromisoformat(inbound["scheduled_departure_local"]).date()
    r = await api.get(
        "/api/v1/search",
        params={
            "origin": HOME,
            "destination": far,
            "date": day.isoformat(),
            "trip_type": "round_trip",
            "return_date": return_day.isoformat(),
            "adults": 1,
            "children": 1,
        },
    )
    assert r.status_code == 200, r.text
    offers = [
        o for o in r.json()["offers"] if [leg["flight"]["id"] for leg in o["legs"]] == [outbound["id"], inbound["id"]]
    ]
    assert len(offers) == 1, r.json()
    unit = {
        t: amounts[(HOME, far, "round_trip", t)] + amounts[(far, HOME, "round_trip", t)] for t in ("adult", "child")
    }
    assert offers[0]["total"] == unit["adult"] + unit["child"]
    assert offers[0]["trip_type"] == "round_trip"

    # a fare changed later does not change an offer already given
    r = await api.put(
        "/api/v1/fares",
        headers=auth(ops),
        json={
            "fares": [
                {
                    "origin": HOME,
                    "destination": far,
                    "cabin_class": "normal",
                    "passenger_type": "adult",
                    "trip_type": "one_way",
                    "amount": amounts[(HOME, far, "one_way", "adult")] + 1,
                    "currency": "SGD",
                }
            ]
        },
    )
    assert r.status_code == 200, r.text
    assert (await api.get(f"/api/v1/offers/{offer['offer_id']}")).json()["total"] == offer["total"]

    tampered = offer["offer_id"][:-2] + ("AA" if not offer["offer_id"].endswith("AA") else "BB")
    r = await api.get(f"/api/v1/offers/{tampered}")
    assert 400 <= r.status_code < 500, r.text
    assert_problem(r, r.status_code)
