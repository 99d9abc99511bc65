"""A voucher pays all or part of a payment (domain.py): how much, what is refused, and how a
capture and a refund split between the card and the voucher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from airline.payment import domain
from airline.payment.domain import Method, Payment, Refund, Status
from airline.platform.errors import ValidationFailed

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)


def code_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as info:
        call()
    return info.value.code


def test_by_default_the_voucher_pays_as_much_as_it_covers_and_keeps_the_remainder() -> None:
    assert domain.voucher_part(10_000, 3_000, None, rest_payable=True) == 3_000  # the card pays 7 000
    assert domain.voucher_part(10_000, 25_000, None, rest_payable=False) == 10_000  # 15 000 stay on it
    assert domain.voucher_part(10_000, 25_000, 4_000, rest_payable=True) == 4_000


def test_what_a_voucher_cannot_pay_is_refused_with_a_clear_code() -> None:
    assert code_of(lambda: domain.voucher_part(10_000, 0, None, True)) == "voucher_used_up"
    assert code_of(lambda: domain.voucher_part(10_000, 3_000, 4_000, True)) == "voucher_balance_too_low"
    assert code_of(lambda: domain.voucher_part(10_000, 30_000, 10_001, True)) == "voucher_amount_exceeds_total"
    assert code_of(lambda: domain.voucher_part(10_000, 3_000, None, False)) == "voucher_does_not_cover"
    with pytest.raises(ValidationFailed):
        domain.voucher_part(10_000, 3_000, 0, True)


def test_a_voucher_pays_only_in_its_currency_and_until_it_expires() -> None:
    domain.voucher_usable("EUR", None, "EUR", NOW)
    domain.voucher_usable("EUR", NOW + timedelta(days=1), "EUR", NOW)
    assert code_of(lambda: domain.voucher_usable("EUR", None, "SGD", NOW)) == "voucher_currency_mismatch"
    assert code_of(lambda: domain.voucher_usable("EUR", NOW, "EUR", NOW)) == "voucher_expired"


def split(amount: int = 10_000, voucher: int = 3_000, **kw: object) -> Payment:
    base = Payment(
        "p1", "B1", "u", Method.CARD, Status.AUTHORISED, amount, "EUR", voucher_code="V1", voucher_amount=voucher
    )
    return Payment(**{**base.__dict__, **kw})  # type: ignore[arg-type]


def test_the_card_pays_the_rest_and_captures_only_its_part() -> None:
    p = split()
    assert p.card_amount == 7_000
    assert domain.capture_split(p, 10_000) == (7_000, 0)
    assert domain.capture_split(p, 8_000) == (5_000, 0)  # a partial capture takes less from the card
    assert code_of(lambda: domain.capture_split(p, 2_000)) == "capture_below_voucher_part"
    alone = split(voucher=10_000, method=Method.VOUCHER)
    assert alone.card_amount == 0
    assert domain.capture_split(alone, 6_000) == (0, 4_000)  # the rest goes back to the voucher


def test_a_refund_gives_the_card_part_back_first_then_the_voucher_part() -> None:
    p = domain.captured(split(), 10_000)
    assert domain.refund_split(p, 5_000) == (5_000, 0)
    p = domain.refunded(p, Refund("r1", "p1", 5_000, "", voucher_amount=0))
    assert domain.refund_split(p, 4_000) == (2_000, 2_000)  # 2 000 left on the card, then the voucher
    p = domain.refunded(p, Refund("r2", "p1", 4_000, "", voucher_amount=2_000))
    assert (p.voucher_refunded, p.status) == (2_000, Status.PARTIALLY_REFUNDED)
    assert domain.refund_split(p, p.refundable) == (0, 1_000)
    full = domain.captured(split(), 10_000)
    assert domain.refund_split(full, full.refundable) == (7_000, 3_000)
