"""Vouchers pay for bookings (issue 15, item 2) through the gateway, against every real
service: voucher + card in one payment (the voucher keeps its remainder, the card is charged
the rest), the voucher alone, one balance raced by two bookings' payments, a cancellation's
refund back to both, and bad vouchers refused with the booking still held."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from airline.contracts.events import booking as booking_events
from tests.support.booking import held_one_way, published
from tests.support.factories import CARD_OK, key
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


async def voucher(api: httpx.AsyncClient, cs: str, amount: int, currency: str = "SGD") -> str:
    r = await api.post(
        "/api/v1/vouchers", headers=auth(cs), json={"amount": amount, "currency": currency, "reason": "delay"}
    )
    assert r.status_code in (200, 201), r.text
    return str(r.json()["code"])


async def balance(api: httpx.AsyncClient, token: str, code: str) -> int:
    r = await api.get(f"/api/v1/vouchers/{code}", headers=auth(token))
    assert r.status_code == 200, r.text
    return int(r.json()["balance"])


async def pay(api: httpx.AsyncClient, bid: str, headers: dict[str, str], body: dict[str, Any]) -> httpx.Response:
    return await api.post(f"/api/v1/bookings/{bid}/pay", headers=headers | {"Idempotency-Key": key()}, json=body)


async def payment_of(api: httpx.AsyncClient, cs: str, bid: str) -> dict[str, Any]:
    r = await api.get("/api/v1/payments", params={"reference": bid}, headers=auth(cs))
    assert r.status_code == 200, r.text
    captured = [p for p in r.json()["payments"] if p["captured_amount"]]
    assert len(captured) == 1
    return captured[0]  # type: ignore[no-any-return]


async def test_a_booking_paid_by_voucher_and_card_keeps_the_remainder_and_refunds_both(  # type: ignore[no-untyped-def]
    api, tokens, settings
) -> None:
    me = auth(tokens["passenger"])
    bid, _, headers, _ = await held_one_way(api, tokens["ops"], me)
    total = (await api.get(f"/api/v1/bookings/{bid}", headers=headers)).json()["total"]
    code = await voucher(api, tokens["cs"], total)  # worth the whole booking; 6 000 of it used
    r = await pay(api, bid, headers, {"method": CARD_OK, "voucher": {"code": code, "amount": 6_000}})
    assert r.status_code == 200, r.text
    booking = r.json()
    assert booking["state"] == "confirmed"
    paid = booking["payment"]
    assert (paid["voucher_amount"], paid["card_amount"]) == (6_000, total - 6_000)
    assert paid["voucher_code"] == "****" + code[-4:]
    assert await balance(api, tokens["passenger"], code) == total - 6_000  # the remainder stays
    [confirmed] = await published(settings.kafka_bootstrap_servers or "", booking_events.BOOKING_CONFIRMED.topic, bid)
    assert (confirmed["payload"]["voucher_amount"], confirmed["payload"]["card_amount"]) == (6_000, total - 6_000)
    shown = (await api.get(f"/api/v1/bookings/{bid}", headers=headers)).json()["payment"]
    assert (shown["voucher_amount"], shown["card_amount"]) == (6_000, total - 6_000)
    payment = await payment_of(api, tokens["cs"], bid)
    assert (payment["method"], payment["amount"], payment["voucher_amount"], payment["card_amount"]) == (
        "card",
        total,
        6_000,
        total - 6_000,
    )

    # the cancellation's refund: the card part first, what is left of the refund back to the voucher
    r = await api.post(f"/api/v1/bookings/{bid}/cancel", headers=headers, json={"reason": "plans changed"})
    assert r.status_code == 200, r.text
    refunded = r.json()["refunded_amount"]
    assert refunded > total - 6_000  # both parts come back (the fare rule keeps the change fee)
    payment = await payment_of(api, tokens["cs"], bid)
    assert payment["refunded_amount"] == refunded
    assert payment["voucher_refunded_amount"] == refunded - (total - 6_000)
    assert await balance(api, tokens["passenger"], code) == total - 6_000 + payment["voucher_refunded_amount"]


async def test_a_voucher_covering_the_total_pays_alone(api, tokens) -> None:  # type: ignore[no-untyped-def]
    me = auth(tokens["passenger"])
    bid, _, headers, _ = await held_one_way(api, tokens["ops"], me)
    total = (await api.get(f"/api/v1/bookings/{bid}", headers=headers)).json()["total"]
    code = await voucher(api, tokens["cs"], total + 1_000)
    r = await pay(api, bid, headers, {"voucher": {"code": code}})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed"
    assert (r.json()["payment"]["voucher_amount"], r.json()["payment"]["card_amount"]) == (total, 0)
    assert await balance(api, tokens["passenger"], code) == 1_000
    assert (await payment_of(api, tokens["cs"], bid))["method"] == "voucher"


async def test_two_bookings_paying_with_one_voucher_at_once_spend_it_once(api, tokens) -> None:  # type: ignore[no-untyped-def]
    me = auth(tokens["passenger"])
    held = [await held_one_way(api, tokens["ops"], me) for _ in range(2)]
    totals = [(await api.get(f"/api/v1/bookings/{bid}", headers=h)).json()["total"] for bid, _, h, _ in held]
    code = await voucher(api, tokens["cs"], max(totals))  # covers one of them, not both
    replies = await asyncio.gather(*(pay(api, bid, h, {"voucher": {"code": code}}) for bid, _, h, _ in held))
    statuses = sorted(r.status_code for r in replies)
    assert statuses[0] == 200 and statuses[1] in (402, 422), [r.text for r in replies]
    loser = next(r for r in replies if r.status_code != 200).json()
    assert loser["code"] in ("insufficient_funds", "voucher_used_up", "voucher_does_not_cover")
    states = sorted([(await api.get(f"/api/v1/bookings/{bid}", headers=h)).json()["state"] for bid, _, h, _ in held])
    assert states == ["confirmed", "held"]  # the other one may pay again, by card
    assert (
        await balance(api, tokens["passenger"], code)
        == max(totals) - totals[[r.status_code for r in replies].index(200)]
    )


async def test_bad_vouchers_are_refused_and_the_booking_stays_held(api, tokens) -> None:  # type: ignore[no-untyped-def]
    me = auth(tokens["passenger"])
    bid, _, headers, _ = await held_one_way(api, tokens["ops"], me)
    small = await voucher(api, tokens["cs"], 1_000)
    euros = await voucher(api, tokens["cs"], 1_000, "EUR")
    for body, code in [
        ({"method": CARD_OK, "voucher": {"code": "VNOPE-NOPE-NOPE"}}, "voucher_not_found"),
        ({"voucher": {"code": small}}, "voucher_does_not_cover"),
        ({"method": CARD_OK, "voucher": {"code": small, "amount": 2_000}}, "voucher_balance_too_low"),
        ({"method": CARD_OK, "voucher": {"code": euros}}, "voucher_currency_mismatch"),
    ]:
        assert assert_problem(await pay(api, bid, headers, body), 422)["code"] == code
        assert (await api.get(f"/api/v1/bookings/{bid}", headers=headers)).json()["state"] == "held"
    assert_problem(await pay(api, bid, headers, {}), 422)
    assert await balance(api, tokens["passenger"], small) == 1_000
    assert_problem(await api.get("/api/v1/vouchers/VNOPE-NOPE-NOPE", headers=me), 404)
    # and the booking still pays by card with the small voucher beside it
    r = await pay(api, bid, headers, {"method": CARD_OK, "voucher": {"code": small}})
    assert r.status_code == 200, r.text
    assert r.json()["payment"]["voucher_amount"] == 1_000
