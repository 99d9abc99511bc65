"""A passenger cancelled alone gets their unflown EMDs refunded (emd_refunds.py), against the real
services over HTTP: three adults on a refundable fare buy a bag and a meal for P2 and a bag for
P1 in one purchase; P2 cancelled gets their share and their two EMDs back, P1's bag untouched;
the same request again refunds nothing more; the whole booking cancelled later refunds P1's bag
only (the rest of the purchase, under another key), never more than was paid. On a
non-refundable fare the passenger's EMDs are not refunded (the booking cancellation's rule)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.support.booking import book, route_with_round_trip
from tests.support.factories import CARD_OK, person
from tests.support.http import auth
from tests.support.reaccommodation import API

pytestmark = pytest.mark.usefixtures("seed_airports")

MEAL = "chicken-rice"


async def three_adults_with_emds(api: httpx.AsyncClient, tokens: dict[str, str], *, refundable: bool) -> dict[str, Any]:
    far, outbound, inbound = await route_with_round_trip(api, tokens["ops"], refundable=refundable)
    people = [
        person("adult", "Ada", "Byron", "1985-12-10"),
        person("adult", "William", "Byron", "1983-03-21"),
        person("adult", "Charles", "Byron", "1991-12-26"),
    ]
    assert datetime.fromisoformat(outbound["scheduled_departure_local"])
    booking = await book(api, tokens["passenger"], far, outbound, inbound, people, adults=3)
    bid, fid, me = booking["id"], outbound["id"], auth(tokens["passenger"])
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries/quote",
        headers=me,
        json={
            "bags": [
                {"flight_id": fid, "passenger_id": "P2", "extra_pieces": 1},
                {"flight_id": fid, "passenger_id": "P1", "extra_pieces": 1},
            ],
            "meals": [{"flight_id": fid, "passenger_id": "P2", "code": MEAL}],
        },
    )
    assert r.status_code == 200, r.text
    q = r.json()
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text
    return {"booking": r.json(), "quote": q, "me": me}


async def payments(api: httpx.AsyncClient, cs: str, bid: str) -> dict[int, dict[str, Any]]:
    """The booking's payments that took money, by amount: their refunded amounts."""
    r = await api.get(f"{API}/payments", params={"reference": bid}, headers=auth(cs))
    assert r.status_code == 200, r.text
    took = ("captured", "partially_refunded", "refunded")
    return {p["amount"]: p for p in r.json()["payments"] if p["status"] in took}


async def test_a_cancelled_passenger_gets_their_emds_back_once_and_the_booking_cancel_the_rest(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    trip = await three_adults_with_emds(api, tokens, refundable=True)
    b, q, me = trip["booking"], trip["quote"], trip["me"]
    bid, fare, extras = b["id"], b["total"], q["total"]
    emds = {(e["passenger_id"], e["kind"]): e for e in b["ancillaries"]}
    assert set(emds) == {("P1", "bag"), ("P2", "bag"), ("P2", "meal")}
    p2_emds = emds[("P2", "bag")]["amount"] + emds[("P2", "meal")]["amount"]
    p1_bag = emds[("P1", "bag")]["amount"]
    assert p2_emds + p1_bag == extras and p2_emds > 0
    assert {p["refunded_amount"] for p in (await payments(api, tokens["cs"], bid)).values()} == {0}

    r = await api.post(f"{API}/bookings/{bid}/passengers/P2/cancel", headers=me, json={"reason": "cannot travel"})
    assert r.status_code == 200, r.text
    after = r.json()
    paid = await payments(api, tokens["cs"], bid)
    share = paid[fare]["refunded_amount"]  # the passenger's own share (passenger_changes.passenger_refund)
    assert share > 0
    assert paid[extras]["refunded_amount"] == p2_emds  # their bag and meal, on the purchase's payment
    assert after["refunded_amount"] == share + p2_emds
    rec = (await api.get(f"{API}/bookings/{bid}/receipt", headers=me)).json()
    assert rec["total_refunded"] == share + p2_emds
    back = {x["document"]: -x["amount"] for x in rec["lines"] if x["kind"] == "refund" and x["document"]}
    assert back == {emds[("P2", k)]["emd_number"]: emds[("P2", k)]["amount"] for k in ("bag", "meal")}
    assert sum(-x["amount"] for x in rec["lines"] if x["kind"] == "refund") == share + p2_emds
    r = await api.get(f"{API}/bookings/{bid}/history", headers=auth(tokens["cs"]))
    steps = [x for x in r.json()["entries"] if x["kind"] == "emds_refunded"]
    assert [x["details"]["amount"] for x in steps] == [p2_emds], r.json()
    print(f"\nfare {fare}, extras {extras}: P2 share {share} + EMDs {p2_emds} refunded; P1 bag {p1_bag} kept")

    # the same request again refunds nothing more
    r = await api.post(f"{API}/bookings/{bid}/passengers/P2/cancel", headers=me, json={"reason": "cannot travel"})
    assert r.status_code == 200 and r.json()["refunded_amount"] == share + p2_emds, r.text
    again = await payments(api, tokens["cs"], bid)
    assert (again[fare]["refunded_amount"], again[extras]["refunded_amount"]) == (share, p2_emds)

    # the whole booking cancelled: P1's bag refunded, P2's EMDs not again
    r = await api.post(f"{API}/bookings/{bid}/cancel", headers=me)
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text
    final = await payments(api, tokens["cs"], bid)
    assert final[extras]["refunded_amount"] == p2_emds + p1_bag == extras
    assert final[fare]["refunded_amount"] <= fare
    total = final[fare]["refunded_amount"] + final[extras]["refunded_amount"]
    assert r.json()["refunded_amount"] == total <= fare + extras
    rec = (await api.get(f"{API}/bookings/{bid}/receipt", headers=me)).json()
    assert rec["total_refunded"] == total and rec["total_paid"] == fare + extras
    back = {x["document"]: -x["amount"] for x in rec["lines"] if x["kind"] == "refund" and x["document"]}
    assert back == {e["emd_number"]: e["amount"] for e in emds.values()}  # each EMD once
    print(f"booking cancelled: {total} refunded in total of {fare + extras} paid")


async def test_on_a_non_refundable_fare_the_cancelled_passengers_emds_are_not_refunded(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    trip = await three_adults_with_emds(api, tokens, refundable=False)
    b, q, me = trip["booking"], trip["quote"], trip["me"]
    bid, fare, extras = b["id"], b["total"], q["total"]
    r = await api.post(f"{API}/bookings/{bid}/passengers/P2/cancel", headers=me, json={"reason": "cannot travel"})
    assert r.status_code == 200, r.text
    rec = (await api.get(f"{API}/bookings/{bid}/receipt", headers=me)).json()
    assert not [x for x in rec["lines"] if x["kind"] == "refund" and x["document"]]
    paid = await payments(api, tokens["cs"], bid)
    assert paid[extras]["refunded_amount"] == 0
    assert r.json()["refunded_amount"] == paid[fare]["refunded_amount"]
