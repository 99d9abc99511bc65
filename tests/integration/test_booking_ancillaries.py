"""Paid ancillaries after the sale (issue 15, item 1) against the real services, over HTTP: a bag
and a meal bought after booking are paid by card with one payment, issued one EMD each, listed
on the booking and on the receipt with the fare; the desk's bag drop takes the extra piece
within the allowance; inventory's load plan counts the meal; a declined card buys nothing; the
same quote twice buys once; cancelling refunds them (refundable fare); sales close like
changes; a stranger does not reach the booking; staff need a reason; a purchase racing a cancel
ends in one state; one a dead request left paid is finished by recovery."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.booking.ancillaries_store import purchases
from airline.booking.service import Access, BookingService, Crash
from airline.payment.client import PaymentMethod
from airline.platform.runtime import RunningService
from tests.support.booking import bag_body, confirmed_booking, drop
from tests.support.factories import CARD_DECLINED, CARD_OK
from tests.support.http import auth
from tests.support.reaccommodation import API, eventually

pytestmark = pytest.mark.usefixtures("seed_airports")

PIECE = 4500  # AIRLINE_BOOKING_EXTRA_BAG_PRICE's default
MEAL = ("chicken-rice", 1600)  # the default menu, in SGD


@pytest.fixture
def booking(services: dict[str, RunningService]) -> Iterator[BookingService]:
    """The session's booking service; its settings are restored afterwards."""
    service: BookingService = services["booking"].parts.service  # type: ignore[attr-defined]
    settings = service.settings
    yield service
    service.settings = settings


async def catalogue(api: httpx.AsyncClient, me: dict[str, str], bid: str) -> dict[str, Any]:
    r = await api.get(f"{API}/bookings/{bid}/ancillaries", headers=me)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def quote(api: httpx.AsyncClient, me: dict[str, str], bid: str, fid: str) -> httpx.Response:
    return await api.post(
        f"{API}/bookings/{bid}/ancillaries/quote",
        headers=me,
        json={
            "bags": [{"flight_id": fid, "passenger_id": "P1", "extra_pieces": 1}],
            "meals": [{"flight_id": fid, "passenger_id": "P2", "code": MEAL[0]}],
        },
    )


async def charged(api: httpx.AsyncClient, cs: str, bid: str) -> list[tuple[int, int]]:
    """The booking's payments that took money: (amount, refunded)."""
    r = await api.get(f"{API}/payments", params={"reference": bid}, headers=auth(cs))
    assert r.status_code == 200, r.text
    took = ("captured", "partially_refunded", "refunded")
    return sorted((p["amount"], p["refunded_amount"]) for p in r.json()["payments"] if p["status"] in took)


async def purchase_rows(booking: BookingService, bid: str) -> list[tuple[str, int]]:
    async with booking.db.engine.connect() as conn:
        rows = await conn.execute(
            sa.select(purchases.c.state, purchases.c.attempt).where(purchases.c.booking_id == bid)
        )
        return sorted((r.state, r.attempt) for r in rows)


async def test_a_bag_and_a_meal_after_booking_are_paid_receipted_allowed_at_the_desk_and_loaded(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    trip = await confirmed_booking(api, tokens)
    bid, fid, me, cs = trip["booking"]["id"], trip["flight"]["id"], auth(tokens["passenger"]), tokens["cs"]
    fare = trip["booking"]["fare_total"]

    c = await catalogue(api, me, bid)
    assert c["currency"] == "SGD" and c["open"] is True and c["closes_at"]
    grid = {(x["flight_id"], x["passenger_id"]): x for x in c["bags"]}
    assert grid[(fid, "P1")] == {
        "flight_id": fid,
        "passenger_id": "P1",
        "included_pieces": 1,
        "extra_pieces": 0,
        "piece_price": PIECE,
        "max_extra_pieces": 5,
    }
    assert grid[(fid, "P3")]["included_pieces"] == 0 and grid[(fid, "P3")]["max_extra_pieces"] == 0  # the infant
    assert {"code": MEAL[0], "name": "Hainanese chicken rice", "price": MEAL[1]} in c["meals"]
    assert c["meal_orders"] == []

    r = await quote(api, me, bid, fid)
    assert r.status_code == 200, r.text
    q = r.json()
    assert q["total"] == PIECE + MEAL[1] and q["currency"] == "SGD" and q["expires_at"]
    assert [(i["kind"], i["passenger_id"], i["amount"]) for i in q["items"]] == [
        ("bag", "P1", PIECE),
        ("meal", "P2", MEAL[1]),
    ]

    # a declined card buys nothing
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_DECLINED}},
    )
    assert r.status_code == 402, r.text
    b = (await api.get(f"{API}/bookings/{bid}", headers=me)).json()
    assert b["ancillaries"] == [] and all(x["extra_pieces"] == 0 for x in b["bags"])
    assert await purchase_rows(booking, bid) == [("declined", 1)]

    # paid by card: one payment, one EMD per item
    body = {"quote_id": q["quote_id"], "payment": {"method": CARD_OK}}
    r = await api.post(f"{API}/bookings/{bid}/ancillaries", headers=me, json=body)
    assert r.status_code == 200, r.text
    after = r.json()
    emds = after["ancillaries"]
    assert [(e["kind"], e["passenger_id"], e["flight_id"], e["amount"], e["currency"]) for e in emds] == [
        ("bag", "P1", fid, PIECE, "SGD"),
        ("meal", "P2", fid, MEAL[1], "SGD"),
    ]
    numbers = [e["emd_number"] for e in emds]
    assert all(re.fullmatch(r"[0-9]{13}", n) for n in numbers) and len(set(numbers)) == 2
    assert not set(numbers) & {t["number"] for t in after["tickets"]}
    assert {(x["passenger_id"], x["extra_pieces"]) for x in after["bags"]} >= {("P1", 1), ("P2", 0)}
    assert await charged(api, cs, bid) == sorted([(fare, 0), (PIECE + MEAL[1], 0)])

    # the same quote again: the same booking, nothing bought or charged twice
    again = await api.post(f"{API}/bookings/{bid}/ancillaries", headers=me, json=body)
    assert again.status_code == 200 and again.json()["ancillaries"] == emds, again.text
    assert await charged(api, cs, bid) == sorted([(fare, 0), (PIECE + MEAL[1], 0)])
    assert await purchase_rows(booking, bid) == [("bought", 2)]
    c = await catalogue(api, me, bid)
    assert c["meal_orders"] == [{"flight_id": fid, "passenger_id": "P2", "code": MEAL[0]}]
    assert {(x["passenger_id"], x["extra_pieces"], x["max_extra_pieces"]) for x in c["bags"]} >= {("P1", 1, 4)}

    # the receipt: the fare per e-ticket, the bag and the meal per EMD
    r = await api.get(f"{API}/bookings/{bid}/receipt", headers=me)
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["booking_id"] == bid and rec["pnr"] == after["pnr"] and rec["currency"] == "SGD"
    fares = [x for x in rec["lines"] if x["kind"] == "fare"]
    assert {x["document"] for x in fares} == {t["number"] for t in after["tickets"]}
    assert sum(x["amount"] for x in fares) == fare
    assert [(x["kind"], x["document"], x["amount"]) for x in rec["lines"] if x["kind"] in ("bag", "meal")] == [
        ("bag", numbers[0], PIECE),
        ("meal", numbers[1], MEAL[1]),
    ]
    assert rec["total_paid"] == fare + PIECE + MEAL[1] and rec["total_refunded"] == 0

    # the desk: P1's second bag is within the allowance now (P2's second one is charged)
    first, second = await drop(api, tokens, bag_body(trip, "P1")), await drop(api, tokens, bag_body(trip, "P1"))
    assert first["status"] == second["status"] == "checked_in", second
    await drop(api, tokens, bag_body(trip, "P2"))
    over = await drop(api, tokens, bag_body(trip, "P2"))
    assert over["status"] == "awaiting_payment" and over["fee"] > 0, over

    # inventory's load plan counts the meal
    async def planned() -> int:
        r = await api.get(f"{API}/flights/{fid}/load-plan", headers=auth(tokens["inventory"]))
        return int(r.json().get("items", {}).get(f"meal-paid-{MEAL[0]}", 0)) if r.status_code == 200 else 0

    assert await eventually(planned) == 1

    # the history shows the purchase
    r = await api.get(f"{API}/bookings/{bid}/history", headers=auth(cs))
    assert r.status_code == 200, r.text
    steps = [s for s in r.json()["entries"] if s["kind"] == "ancillaries_purchased"]
    assert len(steps) == 1 and numbers[0] in steps[0]["summary"], r.json()

    # cancelling (a refundable fare, nothing flown) refunds the ancillaries too, once
    r = await api.post(f"{API}/bookings/{bid}/cancel", headers=me, json={"reason": "plans changed"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["refunded_amount"] >= PIECE + MEAL[1]
    assert (PIECE + MEAL[1], PIECE + MEAL[1]) in await charged(api, cs, bid)


async def test_sales_close_like_changes_a_stranger_gets_404_and_staff_need_a_reason(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    trip = await confirmed_booking(api, tokens)
    bid, fid, me, cs = trip["booking"]["id"], trip["flight"]["id"], auth(tokens["passenger"]), auth(tokens["cs"])

    # someone else (no token, no manage token) does not reach the booking
    r = await api.get(f"{API}/bookings/{bid}/ancillaries")
    assert r.status_code == 404, r.text
    assert (await quote(api, {}, bid, fid)).status_code == 404

    # unknown meal, too many pieces: 422
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries/quote",
        headers=me,
        json={"meals": [{"flight_id": fid, "passenger_id": "P1", "code": "caviar"}]},
    )
    assert r.status_code == 422 and r.json()["code"] == "unknown_meal", r.text
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries/quote",
        headers=me,
        json={"bags": [{"flight_id": fid, "passenger_id": "P1", "extra_pieces": 6}]},
    )
    assert r.status_code == 422, r.text

    # staff buy for the passenger with a reason only
    r = await quote(api, cs, bid, fid)
    assert r.status_code == 200, r.text
    body = {"quote_id": r.json()["quote_id"], "payment": {"method": CARD_OK}}
    r = await api.post(f"{API}/bookings/{bid}/ancillaries", headers=cs, json=body)
    assert r.status_code == 422 and r.json()["code"] == "reason_required", r.text
    assert await purchase_rows(booking, bid) == []  # refused before anything was written

    # inside the closing window: closed
    booking.settings = booking.settings.model_copy(update={"change_close_hours": 24 * 500})
    c = await catalogue(api, me, bid)
    assert c["open"] is False and c["closes_at"] is None
    assert (r := await quote(api, me, bid, fid)).status_code == 409 and r.json()["code"] == "sales_closed", r.text
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries", headers=cs | {"X-Airline-Reason": "passenger called"}, json=body
    )
    assert r.status_code == 409 and r.json()["code"] == "sales_closed", r.text
    assert await purchase_rows(booking, bid) == []


async def test_a_purchase_racing_a_cancel_ends_in_one_state(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    """Bought then cancelled (the ancillaries refunded with the booking: refundable fare), or
    cancelled first (nothing bought, no money kept), or refused while the other runs."""
    me = auth(tokens["passenger"])
    for _ in range(2):
        trip = await confirmed_booking(api, tokens)
        bid, fid = trip["booking"]["id"], trip["flight"]["id"]
        q = (await quote(api, me, bid, fid)).json()
        buy, cancel = await asyncio.gather(
            api.post(
                f"{API}/bookings/{bid}/ancillaries",
                headers=me,
                json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
            ),
            api.post(f"{API}/bookings/{bid}/cancel", headers=me, json={"reason": "plans changed"}),
        )
        assert buy.status_code in (200, 409) and cancel.status_code in (200, 409), (buy.text, cancel.text)
        final = (await api.get(f"{API}/bookings/{bid}", headers=me)).json()
        extra = [p for p in await charged(api, tokens["cs"], bid) if p[0] == PIECE + MEAL[1]]
        if buy.status_code == 409:
            assert buy.json()["code"] in ("change_in_progress", "booking_state"), buy.text
            assert final["ancillaries"] == [] and extra == []  # nothing bought, nothing charged
        if final["state"] == "cancelled" and final["ancillaries"]:
            assert extra == [(PIECE + MEAL[1], PIECE + MEAL[1])]  # bought, then refunded with the booking
        if final["state"] == "confirmed":
            assert cancel.status_code == 409 and len(final["ancillaries"]) == 2 and extra == [(PIECE + MEAL[1], 0)]


async def _crash_at(name: str) -> None:
    if name == "ancillaries_paid":
        raise Crash(name)


async def test_a_purchase_a_dead_request_left_paid_is_finished_by_recovery(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    trip = await confirmed_booking(api, tokens)
    bid, fid, me = trip["booking"]["id"], trip["flight"]["id"], auth(tokens["passenger"])
    q = (await quote(api, me, bid, fid)).json()
    card = PaymentMethod(card_number="4242424242424242", card_exp_month=12, card_exp_year=2035, card_cvc="123")
    booking.fault = _crash_at
    try:
        with pytest.raises(Crash):
            await booking.buy_ancillaries(Access(bid, booking.manage_token(bid)), q["quote_id"], card)
    finally:
        booking.fault = None
    assert (await booking.get(Access(bid, booking.manage_token(bid))))["ancillaries"] == []
    assert booking.ancillaries is not None and await booking.ancillaries.recover(stale_after=0) >= 1
    emds = (await booking.get(Access(bid, booking.manage_token(bid))))["ancillaries"]
    assert [e["kind"] for e in emds] == ["bag", "meal"]
    # the passenger retries the same quote: answered as bought, nothing charged again
    r = await api.post(
        f"{API}/bookings/{bid}/ancillaries",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200 and [e["emd_number"] for e in r.json()["ancillaries"]] == [
        e["emd_number"] for e in emds
    ], r.text
    assert [p for p in await charged(api, tokens["cs"], bid) if p[0] == PIECE + MEAL[1]] == [(PIECE + MEAL[1], 0)]
