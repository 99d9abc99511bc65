"""Meals bought after the sale follow their booking when it moves (inventory's handling of
booking_changed / booking_reaccommodated): a voluntary change to the next day's flight takes the
pre-ordered meal off the old flight's load plan and onto the new one's, and a repeat of the
event changes nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.support.changes import line, quote
from tests.support.factories import CARD_OK
from tests.support.http import auth
from tests.support.reaccommodation import API, book, eventually, group

pytestmark = pytest.mark.usefixtures("seed_airports")

MEAL = "nasi-lemak"  # on the default menu


async def test_a_pre_ordered_meal_moves_to_the_flight_the_booking_changed_to(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    me, ops, inventory = auth(tokens["passenger"]), tokens["ops"], auth(tokens["inventory"])
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Mealy", 2))

    r = await api.post(
        f"{API}/bookings/{b['id']}/ancillaries/quote",
        headers=me,
        json={"meals": [{"flight_id": f0["id"], "passenger_id": "P1", "code": MEAL}]},
    )
    assert r.status_code == 200, r.text
    r = await api.post(
        f"{API}/bookings/{b['id']}/ancillaries",
        headers=me,
        json={"quote_id": r.json()["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text

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
