"""Fares, fare rules, search and offers through the gateway, against the real flights and
airport services: offers priced from the fares put, the fare's no-show rule and taxes.

Every test flies its own planes from its own gates (created here, based at the seed's home
airport XSP) at random times weeks ahead, so no test collides with another test file's flights.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import httpx
import pytest

from tests.support.factories import (
    HOME,
    SMALL_CAPACITY,
    UNIT,
    create_flight,
    flight_number,
    new_airport,
    new_gate,
    new_plane,
    some_day_ahead,
)
from tests.support.http import assert_problem, auth
from tests.support.sales import one_way_route, search_params

pytestmark = pytest.mark.usefixtures("seed_airports")


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


# --- the fare's no-show rule ----------------------------------------------------------------


async def test_fare_rules_carry_the_no_show_rule_and_taxes_into_offers(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    far = await one_way_route(api, ops)
    rule = {
        "origin": HOME,
        "destination": far,
        "cabin_class": "normal",
        "refundable": True,
        "change_fee": 1000,
        "currency": "SGD",
        "checked_bags": 1,
        "bag_weight_kg": 23,
    }
    for bad in ({"no_show_refund": "fare"}, {"taxes": -1}, {"taxes": UNIT["infant"] + 1}):
        problem = assert_problem(await api.put("/api/v1/fares", json={"rules": [rule | bad]}, headers=auth(ops)), 422)
        assert problem["code"] == "validation_failed", (bad, problem)
    r = await api.put(
        "/api/v1/fares", json={"rules": [rule | {"no_show_refund": "taxes", "taxes": 2500}]}, headers=auth(ops)
    )
    assert r.status_code == 200, r.text
    assert (r.json()["rules"][0]["no_show_refund"], r.json()["rules"][0]["taxes"]) == ("taxes", 2500)
    r = await api.get("/api/v1/fares", params={"origin": HOME, "destination": far})
    assert [(x["no_show_refund"], x["taxes"]) for x in r.json()["rules"]] == [("taxes", 2500)]
    # a fare below the taxes is refused too
    problem = assert_problem(
        await api.put(
            "/api/v1/fares",
            headers=auth(ops),
            json={
                "fares": [
                    {
                        "origin": HOME,
                        "destination": far,
                        "cabin_class": "normal",
                        "passenger_type": "infant",
                        "trip_type": "one_way",
                        "amount": 2000,
                        "currency": "SGD",
                    }
                ]
            },
        ),
        422,
    )
    assert "taxes" in problem["detail"]

    flight = await create_flight(
        api,
        ops,
        plane=await new_plane(api, ops),
        gate=await new_gate(api, ops),
        destination=far,
        departure=some_day_ahead(60, 300),
    )
    r = await api.get("/api/v1/search", params=search_params(far, flight))
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == flight["id"])
    assert (offer["legs"][0]["rules"]["no_show_refund"], offer["legs"][0]["rules"]["taxes"]) == ("taxes", 2500)
    again = (await api.get(f"/api/v1/offers/{offer['offer_id']}")).json()
    assert (again["legs"][0]["rules"]["no_show_refund"], again["legs"][0]["rules"]["taxes"]) == ("taxes", 2500)
    assert json.dumps(again)  # plain JSON


async def test_a_search_answers_the_cheapest_max_offers_and_refuses_more_than_the_limit(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    far = await one_way_route(api, ops)  # one price for every flight: the earlier departure first
    first = some_day_ahead(60, 300).replace(hour=1, minute=random.randint(0, 59))  # 09:xx in Singapore
    flights = [
        await create_flight(
            api,
            ops,
            plane=await new_plane(api, ops),
            gate=await new_gate(api, ops),
            destination=far,
            departure=first + timedelta(hours=2 * i),
        )
        for i in range(3)
    ]
    params = search_params(far, flights[0])

    every = (await api.get("/api/v1/search", params=params)).json()["offers"]
    two = (await api.get("/api/v1/search", params=params | {"max_offers": 2})).json()["offers"]

    assert [o["legs"][0]["flight"]["id"] for o in every] == [f["id"] for f in flights]
    assert [o["legs"][0]["flight"]["id"] for o in two] == [f["id"] for f in flights[:2]]
    for bad in (0, 201):
        problem = assert_problem(await api.get("/api/v1/search", params=params | {"max_offers": bad}), 422)
        assert "max_offers" in json.dumps(problem), problem
