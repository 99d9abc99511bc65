"""A refund customer service makes by hand on a booking's payment (`POST /payments/{id}/refund`)
reaches the booking (issue 19 item 3): its total refunded and its history follow through the
PaymentRefunded event, a retried refund counts once, and a later cancellation pays only what is
left, so the booking's refunded amount always equals what its payment gave back.

Through the gateway against every real service, PostgreSQL and the broker.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.booking import confirmed_one_way
from tests.support.crew import eventually
from tests.support.factories import key
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")

FEE = 5_000  # the change fee of the test fares' rules (tests/support/booking.py): kept on cancelling


async def refunded_on_payment(api: httpx.AsyncClient, cs: dict[str, str], payment_id: str) -> int:
    r = await api.get(f"/api/v1/payments/{payment_id}", headers=cs)
    assert r.status_code == 200, r.text
    return int(r.json()["refunded_amount"])


async def booking_of(api: httpx.AsyncClient, cs: dict[str, str], bid: str) -> dict[str, Any]:
    r = await api.get(f"/api/v1/bookings/{bid}", headers=cs)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_a_refund_by_hand_reaches_the_booking_once_and_a_cancellation_pays_only_the_rest(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    cs = auth(tokens["cs"])
    booking, _, headers, _ = await confirmed_one_way(api, tokens["ops"], refundable=True)
    bid, pid, total = booking["id"], booking["payment"]["payment_id"], booking["total"]
    assert booking["refunded_amount"] == 0 and total > 2_000

    goodwill = {"amount": 1_500, "reason": "seat without a working screen"}
    same_key = cs | {"Idempotency-Key": key()}
    first = await api.post(f"/api/v1/payments/{pid}/refund", json=goodwill, headers=same_key)
    assert first.status_code == 201, first.text
    replay = await api.post(f"/api/v1/payments/{pid}/refund", json=goodwill, headers=same_key)
    assert replay.status_code == 201 and replay.json() == first.json()

    async def synced() -> dict[str, Any] | None:
        b = await booking_of(api, cs, bid)
        return b if b["refunded_amount"] else None

    b = await eventually(synced)
    assert b["refunded_amount"] == 1_500 == await refunded_on_payment(api, cs, pid)
    r = await api.get(f"/api/v1/bookings/{bid}/history", headers=cs)
    refunds = [e for e in r.json()["entries"] if e["kind"] == "refunded"]
    assert len(refunds) == 1, refunds
    assert refunds[0]["details"]["amount"] == 1_500
    assert refunds[0]["reason"] == goodwill["reason"]
    assert refunds[0]["actor"]["role"] == "cs"

    # the quote and the cancellation pay only what is left; the booking's own refund is not
    # counted twice when its event comes back
    r = await api.get(f"/api/v1/bookings/{bid}/cancel/quote", headers=headers)
    assert r.status_code == 200, r.text
    quoted = r.json()["refund_amount"]
    assert quoted == total - FEE  # the fare rules' refund is still below what is left
    r = await api.post(f"/api/v1/bookings/{bid}/cancel", headers=headers, json={"reason": "plans changed"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "cancelled" and r.json()["refunded_amount"] == 1_500 + quoted
    assert await refunded_on_payment(api, cs, pid) == 1_500 + quoted

    # later (its events have travelled): still the same, and the history has the two refunds
    async def both_in_history() -> list[dict[str, Any]] | None:
        entries = (await api.get(f"/api/v1/bookings/{bid}/history", headers=cs)).json()["entries"]
        found = [e for e in entries if e["kind"] == "refunded"]
        return found if len(found) >= 2 else None

    found = await eventually(both_in_history)
    assert [e["details"]["amount"] for e in found] == [1_500, quoted]
    assert (await booking_of(api, cs, bid))["refunded_amount"] == 1_500 + quoted


async def test_the_bookings_own_refunds_are_not_counted_again(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    """A cancellation's refund (asked by the booking service itself) comes back as an event too:
    once it has been consumed the booking still says exactly what the payment gave back."""
    cs = auth(tokens["cs"])
    booking, _, headers, _ = await confirmed_one_way(api, tokens["ops"], refundable=True)
    bid, pid = booking["id"], booking["payment"]["payment_id"]
    r = await api.post(f"/api/v1/bookings/{bid}/cancel", headers=headers, json={"reason": "plans changed"})
    assert r.status_code == 200, r.text
    refunded = r.json()["refunded_amount"]
    assert refunded == booking["total"] - FEE == await refunded_on_payment(api, cs, pid)
    # the fee, refunded by hand afterwards: its event comes after the cancellation's own on the
    # booking's partition, so once it is counted the cancellation's has been consumed too
    rest = await api.post(f"/api/v1/payments/{pid}/refund", json={"reason": "goodwill"}, headers=cs)
    assert rest.status_code == 201 and rest.json()["refund"]["amount"] == FEE, rest.text

    async def all_back() -> int:
        return int((await booking_of(api, cs, bid))["refunded_amount"] != refunded)

    assert await eventually(all_back)
    assert (await booking_of(api, cs, bid))["refunded_amount"] == booking["total"]
    assert await refunded_on_payment(api, cs, pid) == booking["total"]
