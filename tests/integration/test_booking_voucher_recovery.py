"""The payment saga's crash recovery with a voucher beside the card (issue 15, item 2): a
booking process killed at any step, then a fresh one's recovery pass, ends confirmed with the
voucher part taken once and shown on the booking, or held with the voucher untouched."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from airline.booking.service import Access, BookingService, Crash
from airline.payment.client import PaymentMethod
from airline.platform.settings import PlatformSettings
from tests.integration.test_booking_recovery import booking_process, crash_at, facts, ready_to_pay
from tests.support.factories import key
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")
__all__ = ["booking_process"]  # the fixture, used by name


@pytest.mark.parametrize("step", ["authorising", "authorised", "seats_confirmed", "captured"])
async def test_a_crash_with_a_voucher_part_takes_it_once_or_not_at_all(
    step: str, api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, booking_process: Any
) -> None:
    bid, flights = await ready_to_pay(api, tokens)
    r = await api.post(
        "/api/v1/vouchers", headers=auth(tokens["cs"]), json={"amount": 8_000, "currency": "SGD", "reason": "delay"}
    )
    code = r.json()["code"]
    method = PaymentMethod(
        card_number="4242424242424242",
        card_exp_month=12,
        card_exp_year=2035,
        card_cvc="123",
        voucher_code=code,
        voucher_amount=5_000,
    )
    crashing = await booking_process()
    service: BookingService = crashing.parts.service
    access = Access(booking_id=bid, manage_token=service.manage_token(bid))
    service.fault = crash_at(step)
    with pytest.raises(Crash):
        await service.pay(access, key(), method)
    await crashing.stop(grace=0.1)

    fresh = await booking_process()
    recovered: BookingService = fresh.parts.service
    await recovered.recover(stale_after=0, only=[bid])
    await recovered.recover(stale_after=0, only=[bid])  # a second pass changes nothing
    booking = await recovered.get(access)
    payments, _ = await facts(settings, tokens["cs"], bid, flights)
    left = (await api.get(f"/api/v1/vouchers/{code}", headers=auth(tokens["passenger"]))).json()["balance"]
    if step == "authorising":
        assert booking["state"] == "held" and payments == [] and left == 8_000
        return
    assert booking["state"] == "confirmed"
    assert [(p.status, p.captured_amount, p.voucher_amount) for p in payments] == [
        ("captured", booking["total"], 5_000)
    ]
    assert (booking["payment"]["voucher_amount"], booking["payment"]["card_amount"]) == (
        5_000,
        booking["total"] - 5_000,
    )
    assert left == 3_000
