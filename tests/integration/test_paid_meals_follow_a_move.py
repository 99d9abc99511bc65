"""Meals and bags bought after the sale follow their booking when it moves: a voluntary change
to the next day's flight takes the pre-ordered meal off the old flight's load plan and onto the
new one's (inventory's handling of booking_changed / booking_reaccommodated), and the EMDs name
the flight flown now, after a change and after accepting a re-accommodation (booking's move)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.changes import line, quote
from tests.support.factories import CARD_OK
from tests.support.http import auth
from tests.support.reaccommodation import API, book, eventually, group, proposals, route

pytestmark = pytest.mark.usefixtures("seed_airports")

MEAL = "nasi-lemak"  # on the default menu


async def buy(api: httpx.AsyncClient, me: dict[str, str], bid: str, items: dict[str, Any]) -> dict[str, Any]:
    """Quote `items` and pay for them by card; the booking as it answers."""
    r = await api.post(f"{API}/bookings/{bid}/ancillaries/quote", headers=me, json=items)
    assert r.status_code == 200, r.text
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries",
        headers=me,
        json={"quote_id": r.json()["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_a_pre_ordered_meal_moves_to_the_flight_the_booking_changed_to(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    me, ops, inventory = auth(tokens["passenger"]), tokens["ops"], auth(tokens["inventory"])
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Mealy", 2))

    await buy(api, me, b["id"], {"meals": [{"flight_id": f0["id"], "passenger_id": "P1", "code": MEAL}]})

    async def paid_meals(fid: str) -> int:
        r = await api.get(f"{API}/flights/{fid}/load-plan", headers=inventory)
        assert r.status_code == 200, r.text
        return int(r.json().get("items", {}).get(f"meal-paid-{MEAL}", 0))

    async def on(fid: str, want: int) -> bool | None:
        return True if await paid_meals(fid) == want else None

    await eventually(lambda: on(f0["id"], 1))
    q = await quote(api, me, b["id"], f1)
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text
    await eventually(lambda: on(f1["id"], 1))
    assert await paid_meals(f0["id"]) == 0

    # the meal's EMD follows too: the catalogue shows it ordered on the new flight, a second one
    # there is refused, and the booking lists no EMD on a flight it no longer flies
    r = await api.get(f"{API}/bookings/{b['id']}/ancillaries", headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["meal_orders"] == [{"flight_id": f1["id"], "passenger_id": "P1", "code": MEAL}]
    r = await api.post(
        f"{API}/bookings/{b['id']}/ancillaries/quote",
        headers=me,
        json={"meals": [{"flight_id": f1["id"], "passenger_id": "P1", "code": MEAL}]},
    )
    assert r.status_code == 422 and r.json()["code"] == "meal_ordered", r.text
    r = await api.get(f"{API}/bookings/{b['id']}", headers=me)
    assert r.status_code == 200, r.text
    assert {e["flight_id"] for e in r.json()["ancillaries"]} == {f1["id"]}


async def test_the_emds_follow_an_accepted_re_accommodation(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1) = await route(api, ops, [None])
    b = await book(api, me, far, f0, group("Emdy", 2))
    bought = await buy(
        api,
        me,
        b["id"],
        {
            "bags": [{"flight_id": f0["id"], "passenger_id": "P2", "extra_pieces": 1}],
            "meals": [{"flight_id": f0["id"], "passenger_id": "P1", "code": MEAL}],
        },
    )
    assert sorted((e["kind"], e["flight_id"]) for e in bought["ancillaries"]) == [("bag", f0["id"]), ("meal", f0["id"])]

    r = await api.post(f"{API}/flights/{f0['id']}/cancel", headers=auth(ops), json={"reason": "technical fault"})
    assert r.status_code == 200, r.text

    async def proposed() -> bool | None:
        return True if (await proposals(api, me, [b["id"]]))[b["id"]].get("state") == "proposed" else None

    await eventually(proposed, timeout=60)
    r = await api.post(f"{API}/bookings/{b['id']}/reaccommodation/accept", headers=me, json={})
    assert r.status_code == 200, r.text
    moved = r.json()
    assert [leg["flight_id"] for leg in moved["legs"]] == [f1["id"]]
    assert sorted((e["kind"], e["flight_id"]) for e in moved["ancillaries"]) == [("bag", f1["id"]), ("meal", f1["id"])]
    r = await api.get(f"{API}/bookings/{b['id']}/ancillaries", headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["meal_orders"] == [{"flight_id": f1["id"], "passenger_id": "P1", "code": MEAL}]
    bags = {(x["flight_id"], x["passenger_id"]): x["extra_pieces"] for x in r.json()["bags"]}
    assert bags == {(f1["id"], "P1"): 0, (f1["id"], "P2"): 1}
