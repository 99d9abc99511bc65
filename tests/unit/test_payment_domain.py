"""Payment rules without I/O: Luhn, card checks, money, the state machine, refund sums."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.payment import domain
from airline.payment.domain import Method, Payment, Refund, Status
from airline.platform.errors import Conflict, ValidationFailed

TODAY = date(2026, 11, 25)
digits = st.text(alphabet="0123456789", min_size=11, max_size=18)


@given(digits)
def test_a_number_completed_with_its_check_digit_passes_luhn(partial: str) -> None:
    assert domain.luhn_valid(partial + domain.luhn_check_digit(partial))


@given(digits, st.data())
def test_changing_any_single_digit_of_a_valid_number_fails_luhn(partial: str, data: st.DataObject) -> None:
    number = partial + domain.luhn_check_digit(partial)
    i = data.draw(st.integers(0, len(number) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[i]]))
    assert not domain.luhn_valid(number[:i] + new + number[i + 1 :])


@pytest.mark.parametrize(
    "number",
    [
        "4242424242424242",
        "4000000000000002",
        "4000000000009995",
        "4000000000003220",
        "378282246310005",
        "5555555555554444",
    ],
)
def test_known_test_cards_are_luhn_valid(number: str) -> None:
    assert domain.card_number(number) == number


@pytest.mark.parametrize(
    "raw", ["4242424242424241", "4242-4242-4242-424x", "12345", "4" * 20, "", "４２４２４２４２４２４２４２４２"]
)
def test_bad_card_numbers_are_refused_without_echoing_them(raw: str) -> None:
    with pytest.raises(ValidationFailed) as e:
        domain.card_number(raw)
    assert raw not in e.value.message or not raw


def test_card_number_accepts_spaces_and_dashes() -> None:
    assert domain.card_number("4242 4242-4242 4242") == "4242424242424242"


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "visa"),
        ("378282246310005", "amex"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("6011111111111117", "discover"),
        ("3530111333300000", "card"),
    ],
)
def test_brand_detection(number: str, brand: str) -> None:
    assert domain.card_brand(number) == brand


def test_expiry_is_valid_through_the_end_of_its_month() -> None:
    assert domain.expiry(11, 2026, TODAY) == (11, 2026)
    assert domain.expiry(1, 27, TODAY) == (1, 2027)
    with pytest.raises(ValidationFailed) as e:
        domain.expiry(10, 2026, TODAY)
    assert e.value.code == "card_expired"


@pytest.mark.parametrize(("month", "year"), [(0, 2027), (13, 2027), (5, 1999), (5, 2200)])
def test_expiry_rejects_impossible_dates(month: int, year: int) -> None:
    with pytest.raises(ValidationFailed):
        domain.expiry(month, year, TODAY)


def test_cvc_is_three_digits_or_four_for_amex() -> None:
    assert domain.cvc("123", "visa") == "123"
    assert domain.cvc("1234", "amex") == "1234"
    for bad, brand in [("12", "visa"), ("1234", "visa"), ("123", "amex"), ("12a", "visa"), ("", "visa")]:
        with pytest.raises(ValidationFailed):
            domain.cvc(bad, brand)


def test_a_card_never_shows_its_number_or_cvc_in_repr() -> None:
    card = domain.new_card("4242424242424242", 12, 2030, "987", "Ada", TODAY)
    assert "4242424242424242" not in repr(card) and "987" not in repr(card)
    assert card.last4 == "4242" and card.brand == "visa"


@pytest.mark.parametrize(("amount", "currency"), [(0, "EUR"), (-5, "EUR"), (10, "EURO"), (10, "12A"), (10**12, "EUR")])
def test_money_must_be_positive_minor_units_and_an_iso_currency(amount: int, currency: str) -> None:
    with pytest.raises(ValidationFailed):
        domain.money(amount, currency)


def test_money_normalises_the_currency() -> None:
    assert domain.money(1999, "eur") == (1999, "EUR")


@pytest.mark.parametrize("key", ["", "a" * 256, "has space", "tab\t", "é"])
def test_idempotency_keys_are_visible_ascii_up_to_255(key: str) -> None:
    with pytest.raises(ValidationFailed):
        domain.idempotency_key(key)
    assert domain.idempotency_key("k" * 255)


def _payment(status: Status = Status.AUTHORISED, **kw: object) -> Payment:
    return replace(Payment("p1", "B1", "u1", Method.CARD, status, 10_000, "EUR"), **kw)  # type: ignore[arg-type]


ALL = list(Status)


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_only_listed_transitions_are_allowed(current: Status, target: Status) -> None:
    allowed = {
        (Status.REQUIRES_ACTION, Status.AUTHORISED),
        (Status.REQUIRES_ACTION, Status.FAILED),
        (Status.REQUIRES_ACTION, Status.VOIDED),
        (Status.PENDING, Status.CAPTURED),
        (Status.PENDING, Status.VOIDED),
        (Status.AUTHORISED, Status.CAPTURED),
        (Status.AUTHORISED, Status.VOIDED),
        (Status.CAPTURED, Status.PARTIALLY_REFUNDED),
        (Status.CAPTURED, Status.REFUNDED),
        (Status.PARTIALLY_REFUNDED, Status.PARTIALLY_REFUNDED),
        (Status.PARTIALLY_REFUNDED, Status.REFUNDED),
    }
    assert domain.can_move(current, target) == ((current, target) in allowed)


def test_capture_full_or_part_but_not_more_than_authorised() -> None:
    p = _payment()
    assert domain.capture_amount(p, None) == 10_000
    assert domain.capture_amount(p, 2_500) == 2_500
    with pytest.raises(ValidationFailed):
        domain.capture_amount(p, 10_001)
    assert domain.captured(p, 2_500).captured_amount == 2_500
    with pytest.raises(Conflict):
        domain.captured(_payment(Status.VOIDED), 100)


def test_void_only_before_capture() -> None:
    assert domain.voided(_payment()).status is Status.VOIDED
    with pytest.raises(Conflict):
        domain.voided(_payment(Status.CAPTURED, captured_amount=10_000))


@given(st.lists(st.integers(1, 4_000), max_size=12))
def test_refunds_never_sum_above_what_was_captured(amounts: list[int]) -> None:
    p = _payment(Status.CAPTURED, captured_amount=8_000)
    for i, amount in enumerate(amounts):
        try:
            take = domain.refund_amount(p, amount)
        except (ValidationFailed, Conflict):
            assert amount > p.refundable or p.status is Status.REFUNDED
            continue
        p = domain.refunded(p, Refund(f"r{i}", p.id, take, ""))
        assert p.refunded_amount <= p.captured_amount
    assert p.refunded_amount == sum(r.amount for r in p.refunds)
    assert (p.status is Status.REFUNDED) == (p.refunded_amount == 8_000)


def test_a_full_refund_by_default_and_none_before_capture() -> None:
    p = _payment(Status.PARTIALLY_REFUNDED, captured_amount=8_000, refunded_amount=3_000)
    assert domain.refund_amount(p, None) == 5_000
    with pytest.raises(Conflict):
        domain.refund_amount(_payment(), None)


def test_account_masking() -> None:
    assert domain.mask_account("ada@example.com") == "a***@example.com"
    assert domain.mask_account("0123456789") == "****6789"


def test_booking_ids_are_references_reserved_for_the_booking_service() -> None:
    from airline.payment import domain as d

    assert d.reserved_reference("5dad7d9c-d569-453f-a686-394d30219150")
    assert d.reserved_reference("5DAD7D9CD569453FA686394D30219150")
    assert not d.reserved_reference("BK-7Q2X9A") and not d.reserved_reference("5dad7d9c")
    assert d.origin_of(True, "booking") == "booking"
    assert d.origin_of(False, "booking") == "direct"  # a person named like a service is still a person
