"""Search never offers a cabin without enough seats or a flight whose sales have closed
(issue 13); ops' overbooking policy; offers of a flight that left.

Everything runs through the gateway against every real service, PostgreSQL and the broker.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.booking import plane_with
from tests.support.factories import create_flight, key, new_gate, new_plane, person, some_day_ahead
from tests.support.http import assert_problem, auth
from tests.support.sales import confirmed_booking, one_way_route, search_params, seats_of, wait_for_seats_left

pytestmark = pytest.mark.usefixtures("seed_airports")


TINY_LAYOUT = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 2, "seat_letters": "ABC"}]}  # 6


def travellers(n: int, last: str = "Hopper") -> list[dict[str, Any]]:
    return [person("adult", f"Grace{chr(65 + i)}", last, "1980-01-0" + str(1 + i % 9)) for i in range(n)]


async def offered(api: httpx.AsyncClient, params: dict[str, Any]) -> list[str]:
    r = await api.get("/api/v1/search", params=params)
    assert r.status_code == 200, r.text
    return [o["legs"][0]["flight"]["id"] for o in r.json()["offers"]]


# --- search never offers what cannot be sold ------------------------------------------------


async def test_search_hides_a_full_cabin_until_ops_overbook_it(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    far = await one_way_route(api, ops)
    plane = await plane_with(api, ops, TINY_LAYOUT)
    flight = await create_flight(
        api, ops, plane=plane, gate=await new_gate(api, ops), destination=far, departure=some_day_ahead(60, 300)
    )
    fid = flight["id"]
    assert (await seats_of(api, fid))["seats_left"] == 6

    # 4 of 6 seats sold: 2 passengers are offered it, 3 are not
    r = await api.get("/api/v1/search", params=search_params(far, flight, adults=4))
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)
    await confirmed_booking(api, tokens["passenger"], offer, travellers(4))
    await wait_for_seats_left(api, fid, 2, deadline_s=5)
    assert fid in await offered(api, search_params(far, flight, adults=2))
    assert fid not in await offered(api, search_params(far, flight, adults=3))

    # full
    r = await api.get("/api/v1/search", params=search_params(far, flight, adults=2))
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)
    stale = offer  # an offer for 2 made while 2 seats were left
    await confirmed_booking(api, tokens["passenger"], offer, travellers(2, "Lamarr"))
    await wait_for_seats_left(api, fid, 0, deadline_s=5)
    assert fid not in await offered(api, search_params(far, flight, adults=1))
    problem = assert_problem(await api.get(f"/api/v1/offers/{stale['offer_id']}"), 409)
    assert problem["code"] == "not_enough_seats"
    problem = assert_problem(
        await api.post(
            "/api/v1/bookings",
            json={"offer_id": stale["offer_id"]},
            headers=auth(tokens["passenger"]) | {"Idempotency-Key": key()},
        ),
        409,
    )
    assert problem["code"] == "not_enough_seats"

    # ops overbook the cabin by 20 %: 6 * 1.2 = 7 seats may be sold, so 1 is left
    path = f"/api/v1/flights/{fid}/cabins/normal/overbooking"
    r = await api.put(path, json={"percent": 20}, headers=auth(ops))
    assert r.status_code == 200, r.text
    cabin = next(c for c in r.json()["seats"] if c["cabin_class"] == "normal")
    assert (cabin["capacity"], cabin["sold"], cabin["overbooking_percent"], cabin["seats_left"]) == (6, 6, 20, 1)
    assert fid in await offered(api, search_params(far, flight, adults=1))
    assert fid not in await offered(api, search_params(far, flight, adults=2))

    # back to 0: nothing more is sold, nothing taken back
    r = await api.put(path, json={"percent": 0}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert (await seats_of(api, fid))["seats_left"] == 0
    assert fid not in await offered(api, search_params(far, flight, adults=1))


async def test_overbooking_is_set_by_ops_only_within_0_to_20_percent(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead(60, 300)
    )
    path = f"/api/v1/flights/{flight['id']}/cabins/vip/overbooking"
    assert_problem(await api.put(path, json={"percent": 10}), 401)
    for role in ("passenger", "agent", "crew", "cs", "inventory"):
        problem = assert_problem(await api.put(path, json={"percent": 10}, headers=auth(tokens[role])), 403)
        assert problem["code"] == "permission_denied"
    for bad in ({"percent": 21}, {"percent": -1}, {"percent": 5.5}, {}):
        assert_problem(await api.put(path, json=bad, headers=auth(ops)), 422)
    assert_problem(
        await api.put(
            f"/api/v1/flights/{flight['id']}/cabins/first/overbooking", json={"percent": 1}, headers=auth(ops)
        ),
        422,
    )
    assert_problem(
        await api.put(f"/api/v1/flights/{uuid.uuid4()}/cabins/vip/overbooking", json={"percent": 1}, headers=auth(ops)),
        404,
    )
    vip = await seats_of(api, flight["id"], "vip")
    assert (vip["overbooking_percent"], vip["seats_left"]) == (0, 8)  # the default
    r = await api.put(path, json={"percent": 10}, headers=auth(ops))
    assert r.status_code == 200, r.text
    vip = await seats_of(api, flight["id"], "vip")
    assert (vip["capacity"], vip["overbooking_percent"], vip["seats_left"]) == (8, 10, 8)  # 8.8 rounds down
    r = await api.put(path, json={"percent": 13}, headers=auth(ops))
    assert (await seats_of(api, flight["id"], "vip"))["seats_left"] == 9
    assert (await seats_of(api, flight["id"], "normal"))["overbooking_percent"] == 0  # per cabin


async def test_search_and_offers_stop_when_sales_close_or_the_flight_left(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    far = await one_way_route(api, ops)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    gate = await new_gate(api, ops)
    # departing in 40 minutes: past sales close (60 minutes before departure)
    closing = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=gate, destination=far, departure=now + timedelta(minutes=40)
    )
    later = await create_flight(
        api,
        ops,
        plane=await new_plane(api, ops),
        gate=await new_gate(api, ops),
        destination=far,
        departure=now + timedelta(hours=5),
    )
    ids = await offered(api, search_params(far, closing) | {"flexible_days": 1})
    assert later["id"] in ids and closing["id"] not in ids

    # an offer made before the flight left cannot be read back or booked after
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
    assert (await api.get(f"/api/v1/offers/{offer['offer_id']}")).status_code == 200
    for status in ("boarding", "departed"):
        r = await api.post(f"/api/v1/flights/{flight['id']}/status", json={"status": status}, headers=auth(ops))
        assert r.status_code == 200, r.text
    problem = assert_problem(await api.get(f"/api/v1/offers/{offer['offer_id']}"), 409)
    assert problem["code"] == "flight_not_sellable" and "departed" in problem["detail"]
    problem = assert_problem(
        await api.post(
            "/api/v1/bookings",
            json={"offer_id": offer["offer_id"]},
            headers=auth(tokens["passenger"]) | {"Idempotency-Key": key()},
        ),
        409,
    )
    assert problem["code"] == "flight_not_sellable"
    assert flight["id"] not in await offered(api, search_params(far, flight))
