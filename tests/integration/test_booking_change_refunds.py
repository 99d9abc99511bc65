"""A voluntary change's own payment when the booking is cancelled afterwards (manage.py,
changes.refund_on_cancel): by the kept rule on a passenger's cancellation, in full when the
airline cancels the flight the booking was moved to."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.changes import line, payments, quote, reprice
from tests.support.factories import CARD_OK
from tests.support.http import auth
from tests.support.reaccommodation import API, book, eventually, group

pytestmark = pytest.mark.usefixtures("seed_airports")


async def test_cancelling_after_a_change_refunds_the_change_by_the_kept_rule(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """The change's own payment is not forgotten when the booking is cancelled later: on a
    refundable fare its fare difference comes back (the fee does not); on a non-refundable one
    nothing of it does."""
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    for refundable, back in ((True, 12000), (False, 0)):
        far, (f0, f1, _) = await line(api, ops, refundable=refundable)
        b = await book(api, me, far, f0, group("Canc" + "ny"[refundable], 2))
        await reprice(api, ops, far, factor=1.2, change_fee=9000)
        q = await quote(api, me, b["id"], f1)
        assert (q["change_fee"], q["fare_difference"], q["total_due"]) == (10000, 12000, 22000)
        r = await api.post(
            f"{API}/bookings/{b['id']}/changes",
            headers=me,
            json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
        )
        assert r.status_code == 200, r.text
        c = await api.post(f"{API}/bookings/{b['id']}/cancel", headers=me, json={"reason": "plans changed"})
        assert c.status_code == 200, c.text
        again = await api.post(f"{API}/bookings/{b['id']}/cancel", headers=me, json={"reason": "plans changed"})
        assert again.status_code == 409, again.text  # cancelled once: nothing refunded twice
        paid = await payments(api, tokens["cs"], b["id"])
        change_payment = [p for p in paid if p[1] == 22000]
        assert [p[3] for p in change_payment] == [back], paid
        sale_refund = sum(p[3] for p in paid if p[1] == 60000)
        assert c.json()["state"] == "cancelled" and c.json()["refunded_amount"] == sale_refund + back, (c.json(), paid)


async def test_the_airline_cancelling_the_flight_changed_to_refunds_the_change_in_full(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Moved by the passenger to f1 (paying fee and difference), then f1 is cancelled by the
    airline: declining the re-accommodation for the refund gives back the sale and the change."""
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops, refundable=False)
    b = await book(api, me, far, f0, group("Airy", 1))
    await reprice(api, ops, far, factor=1.2, change_fee=9000)
    q = await quote(api, me, b["id"], f1)
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text
    r = await api.post(f"{API}/flights/{f1['id']}/cancel", headers=auth(ops), json={"reason": "technical fault"})
    assert r.status_code == 200, r.text

    async def proposed() -> dict[str, Any] | None:
        got = (await api.get(f"{API}/bookings/{b['id']}", headers=me)).json().get("reaccommodation") or {}
        return got if got.get("state") in ("proposed", "unplaced") else None

    await eventually(proposed, timeout=30)
    r = await api.post(f"{API}/bookings/{b['id']}/reaccommodation/decline", headers=me, json={"take": "refund"})
    assert r.status_code == 200, r.text
    paid = await payments(api, tokens["cs"], b["id"])
    assert sorted((p[1], p[3]) for p in paid) == sorted([(b["total"], b["total"]), (q["total_due"], q["total_due"])])
    assert r.json()["state"] == "cancelled" and r.json()["refunded_amount"] == b["total"] + q["total_due"]


async def test_the_cancel_quote_names_what_the_cancel_then_refunds(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """GET /bookings/{id}/cancel/quote, shown before the passenger confirms, is what the cancel
    then refunds: the refundable sale and a change's fare difference (never its fee); a booking
    no longer confirmed has nothing to quote (409)."""
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops, refundable=True)
    b = await book(api, me, far, f0, group("Quot", 1))
    await reprice(api, ops, far, factor=1.2, change_fee=9000)
    q = await quote(api, me, b["id"], f1)
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text
    pnr, last = r.json()["pnr"], r.json()["passengers"][0]["last_name"]
    guest = await api.get(f"{API}/bookings/{b['id']}/cancel/quote", params={"pnr": pnr, "last_name": last})
    assert guest.status_code == 200, guest.text
    mine = await api.get(f"{API}/bookings/{b['id']}/cancel/quote", headers=me)
    assert mine.json() == guest.json()
    cq = mine.json()
    assert (cq["changes_refund"], cq["no_show"], cq["refundable"], cq["currency"]) == (
        q["fare_difference"],
        False,
        True,
        "SGD",
    )
    assert cq["refund_amount"] == cq["fare_refund"] + cq["changes_refund"] and cq["fare_refund"] > 0
    c = await api.post(f"{API}/bookings/{b['id']}/cancel", headers=me, json={"reason": "plans changed"})
    assert c.status_code == 200, c.text
    assert c.json()["refunded_amount"] == cq["refund_amount"]
    after = await api.get(f"{API}/bookings/{b['id']}/cancel/quote", headers=me)
    assert after.status_code == 409, after.text
