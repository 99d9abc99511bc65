"""Payment rules: card checks (Luhn, expiry, CVC, brand), money, and the payment state machine.

Pure Python, no I/O. Money is integer minor units plus an ISO 4217 currency code.

A payment moves through these states (anything else is refused with Conflict):

    requires_action (3-D Secure) -> authorised | failed | voided
    pending (bank transfer)      -> captured | voided
    authorised                   -> captured | voided
    captured                     -> partially_refunded | refunded
    partially_refunded           -> partially_refunded | refunded
    failed, voided, refunded     (final)

A decline is a result, not an error: the payment is recorded as `failed` with a failure code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from airline.platform.errors import Conflict, ValidationFailed

MAX_AMOUNT = 10**11  # a billion in major units: far above any fare, far below int64
CURRENCY = re.compile(r"^[A-Z]{3}$")
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as in the HTTP header


class Method(StrEnum):
    CARD = "card"
    E_WALLET = "e_wallet"
    BANK_TRANSFER = "bank_transfer"
    VOUCHER = "voucher"


class Status(StrEnum):
    REQUIRES_ACTION = "requires_action"
    PENDING = "pending"
    AUTHORISED = "authorised"
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    FAILED = "failed"
    VOIDED = "voided"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REQUIRES_ACTION: frozenset({Status.AUTHORISED, Status.FAILED, Status.VOIDED}),
    Status.PENDING: frozenset({Status.CAPTURED, Status.VOIDED}),
    Status.AUTHORISED: frozenset({Status.CAPTURED, Status.VOIDED}),
    Status.CAPTURED: frozenset({Status.PARTIALLY_REFUNDED, Status.REFUNDED}),
    Status.PARTIALLY_REFUNDED: frozenset({Status.PARTIALLY_REFUNDED, Status.REFUNDED}),
    Status.FAILED: frozenset(),
    Status.VOIDED: frozenset(),
    Status.REFUNDED: frozenset(),
}


def can_move(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


def _move(current: Status, target: Status, action: str) -> Status:
    if not can_move(current, target):
        raise Conflict(f"a {current.value} payment cannot be {action}", code="invalid_payment_state")
    return target


# ----------------------------------------------------------------------------- money


def money(amount: int, currency: str) -> tuple[int, str]:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationFailed("amount must be an integer number of minor units", field="amount")
    if amount <= 0:
        raise ValidationFailed("amount must be greater than zero", field="amount")
    if amount > MAX_AMOUNT:
        raise ValidationFailed(f"amount must be at most {MAX_AMOUNT}", field="amount")
    currency = (currency or "").strip().upper()
    if not CURRENCY.fullmatch(currency):
        raise ValidationFailed("currency must be an ISO 4217 code such as EUR", field="currency")
    return amount, currency


def reference(value: str) -> str:
    value = (value or "").strip()
    if not REFERENCE.fullmatch(value):
        raise ValidationFailed(
            "reference must be 1-64 letters, digits or . _ : - (e.g. the booking id)", field="reference"
        )
    return value


# Booking ids (UUIDs) are references only the booking service pays against: a person's direct
# payment carrying one could pass for the booking's own payment.
_RESERVED = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
DIRECT = "direct"


def reserved_reference(value: str) -> bool:
    return bool(_RESERVED.fullmatch(value.strip()))


def origin_of(role_is_system: bool, subject: str) -> str:
    """A service paying for its own purpose is the payment's origin; anyone else pays directly."""
    return subject if role_is_system and subject else DIRECT


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def free_text(value: str, field_name: str, max_length: int) -> str:
    """A name, reason or account: trimmed, bounded, no control characters (PostgreSQL text
    cannot even hold NUL)."""
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationFailed(f"{field_name} is at most {max_length} characters", field=field_name)
    if CONTROL.search(value):
        raise ValidationFailed(f"{field_name} may not contain control characters", field=field_name)
    return value


def idempotency_key(value: str) -> str:
    if not IDEMPOTENCY_KEY.fullmatch(value or ""):
        raise ValidationFailed("idempotency_key must be 1-255 visible ASCII characters", field="idempotency_key")
    return value


# ----------------------------------------------------------------------------- cards


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or not number.isascii():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit that, appended to `partial`, makes a Luhn-valid number."""
    for d in "0123456789":
        if luhn_valid(partial + d):
            return d
    raise AssertionError("unreachable: one digit always completes a Luhn sum")


def card_number(raw: str) -> str:
    """Digits only (spaces and dashes allowed between groups), 12-19 long, Luhn-valid.
    The messages never repeat the number."""
    digits = re.sub(r"[ -]", "", raw or "")
    if not digits.isascii() or not digits.isdigit():
        raise ValidationFailed("the card number may hold only digits", field="card.number")
    if not 12 <= len(digits) <= 19:
        raise ValidationFailed("the card number must have 12 to 19 digits", field="card.number")
    if not luhn_valid(digits):
        raise ValidationFailed("the card number is not valid (check digit)", field="card.number")
    return digits


def card_brand(number: str) -> str:
    if number.startswith(("34", "37")):
        return "amex"
    if number.startswith("4"):
        return "visa"
    two, four = int(number[:2]), int(number[:4])
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return "mastercard"
    if number.startswith(("6011", "65")) or 644 <= int(number[:3]) <= 649:
        return "discover"
    return "card"


def expiry(month: int, year: int, today: date) -> tuple[int, int]:
    """A card is valid through the last day of its expiry month. Two-digit years are 20xx."""
    if not 1 <= month <= 12:
        raise ValidationFailed("the expiry month must be 1 to 12", field="card.exp_month")
    if 0 <= year < 100:
        year += 2000
    if not 2000 <= year <= today.year + 50:
        raise ValidationFailed("the expiry year is not plausible", field="card.exp_year")
    if (year, month) < (today.year, today.month):
        raise ValidationFailed("the card has expired", field="card.exp_month", code="card_expired")
    return month, year


def cvc(value: str, brand: str) -> str:
    length = 4 if brand == "amex" else 3
    if not (value.isascii() and value.isdigit() and len(value) == length):
        raise ValidationFailed(f"the CVC must be {length} digits", field="card.cvc")
    return value


@dataclass(frozen=True)
class Card:
    """A card as the caller typed it: lives only in memory, only until it is tokenized.
    repr never shows the number or the CVC (a logged object must not leak them)."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)
    holder: str = ""

    @property
    def brand(self) -> str:
        return card_brand(self.number)

    @property
    def last4(self) -> str:
        return self.number[-4:]


def new_card(number: str, exp_month: int, exp_year: int, cvc_: str, holder: str, today: date) -> Card:
    digits = card_number(number)
    month, year = expiry(exp_month, exp_year, today)
    holder = free_text(holder, "card.holder", 100)
    return Card(digits, month, year, cvc((cvc_ or "").strip(), card_brand(digits)), holder)


def mask_account(account: str) -> str:
    """An e-wallet account shown as e.g. a***@example.com or ****1234."""
    if "@" in account:
        local, _, domain = account.partition("@")
        return f"{local[:1]}***@{domain}"
    return "****" + account[-4:]


# ----------------------------------------------------------------------------- payments


@dataclass(frozen=True)
class Refund:
    id: str
    payment_id: str
    amount: int
    reason: str
    created_at: datetime | None = None
    voucher_amount: int = 0  # of `amount`, what went back to the voucher (the rest to the card)


@dataclass(frozen=True)
class Payment:
    id: str
    reference: str
    owner: str
    method: Method
    status: Status
    amount: int
    currency: str
    captured_amount: int = 0
    refunded_amount: int = 0
    capture_requested: bool = False  # authorise + capture in one step (kept across a 3DS challenge)
    card_brand: str = ""
    card_last4: str = ""
    card_exp_month: int = 0
    card_exp_year: int = 0
    processor_token: str = ""
    authorisation_id: str = ""
    wallet_provider: str = ""
    wallet_account: str = ""
    voucher_code: str = ""
    transfer_reference: str = ""
    failure_code: str = ""
    failure_message: str = ""
    refunds: tuple[Refund, ...] = ()
    # Who started it: "direct" (a person through the API) or the service that paid for its
    # own purpose ("booking", "baggage"): a booking accepts only its own saga's payment.
    origin: str = ""
    # Of `amount`, what the voucher `voucher_code` pays (all of it for method voucher); the
    # card or e-wallet pays the rest (`card_amount`). Of `refunded_amount`, `voucher_refunded`
    # went back to the voucher.
    voucher_amount: int = 0
    voucher_refunded: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def refundable(self) -> int:
        return self.captured_amount - self.refunded_amount

    @property
    def card_amount(self) -> int:
        """What the card or e-wallet pays (was authorised for)."""
        return self.amount - self.voucher_amount

    @property
    def next_action(self) -> str:
        if self.status is Status.REQUIRES_ACTION:
            return "three_d_secure_challenge"
        if self.status is Status.PENDING:
            return "await_bank_transfer"
        return ""


def authorised(p: Payment) -> Payment:
    return replace(p, status=_move(p.status, Status.AUTHORISED, "authorised"))


def failed(p: Payment, code: str, message: str) -> Payment:
    if p.status is not Status.FAILED:
        _move(p.status, Status.FAILED, "failed")
    return replace(p, status=Status.FAILED, failure_code=code, failure_message=message)


def capture_amount(p: Payment, amount: int | None) -> int:
    """How much a capture takes: all of the authorisation by default, or part of it (the rest
    is released: one capture per authorisation)."""
    if amount is None:
        return p.amount
    if amount <= 0:
        raise ValidationFailed("the capture amount must be greater than zero", field="amount")
    if amount > p.amount:
        raise ValidationFailed(
            f"the capture amount {amount} exceeds the authorised {p.amount}",
            field="amount",
            code="amount_exceeds_authorised",
        )
    return amount


def captured(p: Payment, amount: int) -> Payment:
    return replace(p, status=_move(p.status, Status.CAPTURED, "captured"), captured_amount=amount)


def voided(p: Payment) -> Payment:
    return replace(p, status=_move(p.status, Status.VOIDED, "voided"))


def refund_amount(p: Payment, amount: int | None) -> int:
    """Partial refunds are allowed; all refunds together never exceed what was captured."""
    if p.status not in (Status.CAPTURED, Status.PARTIALLY_REFUNDED):
        raise Conflict(f"a {p.status.value} payment cannot be refunded", code="invalid_payment_state")
    if amount is None:
        return p.refundable
    if amount <= 0:
        raise ValidationFailed("the refund amount must be greater than zero", field="amount")
    if amount > p.refundable:
        raise ValidationFailed(
            f"the refund amount {amount} exceeds what is left to refund ({p.refundable})",
            field="amount",
            code="refund_exceeds_captured",
        )
    return amount


def refunded(p: Payment, refund: Refund) -> Payment:
    total = p.refunded_amount + refund.amount
    if total > p.captured_amount:
        raise ValidationFailed("refunds would exceed the captured amount", code="refund_exceeds_captured")
    target = Status.REFUNDED if total == p.captured_amount else Status.PARTIALLY_REFUNDED
    return replace(
        p,
        status=_move(p.status, target, "refunded"),
        refunded_amount=total,
        voucher_refunded=p.voucher_refunded + refund.voucher_amount,
        refunds=(*p.refunds, refund),
    )


# ----------------------------------------------------------------------------- vouchers
#
# A voucher pays all or part of a payment, the card or e-wallet the rest, in one payment. The
# voucher part is debited when the payment is authorised (one conditional UPDATE, recorded in
# voucher_redemptions in the payment's transaction) and given back if the payment fails or is
# voided; capture only takes the card part. A refund gives the card part back first, then the
# voucher part (money that left the payer's bank goes back there before the airline's credit).


def voucher_part(total: int, balance: int, wanted: int | None, rest_payable: bool) -> int:
    """How much of `total` the voucher pays: `wanted`, or as much as its `balance` covers. The
    rest must be payable by a card or e-wallet (`rest_payable`) unless the voucher covers it all."""
    if balance <= 0:
        raise ValidationFailed("this voucher has been used up", field="voucher.code", code="voucher_used_up")
    if wanted is None:
        part = min(total, balance)
    else:
        if isinstance(wanted, bool) or wanted <= 0:
            raise ValidationFailed("the voucher amount must be greater than zero", field="voucher.amount")
        if wanted > total:
            raise ValidationFailed(
                f"the voucher amount {wanted} exceeds the total {total}",
                field="voucher.amount",
                code="voucher_amount_exceeds_total",
            )
        if wanted > balance:
            raise ValidationFailed(
                f"the voucher holds {balance}, less than the {wanted} asked",
                field="voucher.amount",
                code="voucher_balance_too_low",
            )
        part = wanted
    if part < total and not rest_payable:
        raise ValidationFailed(
            f"the voucher pays {part} of {total}: pay the rest with a card or e-wallet in the same request",
            field="method",
            code="voucher_does_not_cover",
        )
    return part


def voucher_usable(currency: str, expires_at: datetime | None, payment_currency: str, now: datetime) -> None:
    if currency != payment_currency:
        raise ValidationFailed(
            f"this voucher is in {currency}, the payment in {payment_currency}",
            field="currency",
            code="voucher_currency_mismatch",
        )
    if expires_at is not None and expires_at <= now:
        raise ValidationFailed("this voucher has expired", field="voucher.code", code="voucher_expired")


def capture_split(p: Payment, take: int) -> tuple[int, int]:
    """A capture of `take`: (what the card captures, what goes back to the voucher). The
    voucher part counts first; a capture below it gives the difference back to the voucher."""
    if take >= p.voucher_amount:
        return take - p.voucher_amount, 0
    if p.card_amount:
        raise ValidationFailed(
            f"a capture of {take} is less than the voucher part {p.voucher_amount}",
            field="amount",
            code="capture_below_voucher_part",
        )
    return 0, p.voucher_amount - take


def refund_split(p: Payment, take: int) -> tuple[int, int]:
    """A refund of `take`: (to the card, to the voucher). The card part is refunded first."""
    card_captured = p.captured_amount - min(p.voucher_amount, p.captured_amount)
    card_left = card_captured - (p.refunded_amount - p.voucher_refunded)
    to_card = min(take, max(card_left, 0))
    return to_card, take - to_card
