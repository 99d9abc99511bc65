"""Events of the payment service: one payload shape for every change of a payment."""

from __future__ import annotations

from airline.contracts.events.base import EventType, Payload

DOMAIN = "payment"


class PaymentChanged(Payload):
    payment_id: str
    reference: str  # what is paid for, e.g. a booking id
    owner: str
    status: str
    method: str
    amount: int  # minor units of `currency`
    currency: str
    captured_amount: int
    refunded_amount: int
    card_brand: str = ""
    card_last4: str = ""
    failure_code: str = ""
    voucher_amount: int = 0  # of `amount`, what a voucher pays (the card or e-wallet the rest)


class PaymentRefunded(PaymentChanged):
    refund_id: str
    refund_amount: int
    refund_voucher_amount: int = 0  # of `refund_amount`, what went back to the voucher
    # who asked, by role: "system" for a service's own refund (a booking's cancellation, which
    # records it itself), "cs" or "ops" for one made by hand; "" from producers before this field
    refunded_by: str = ""
    refunded_by_subject: str = ""  # the staff member's user id (for the booking's history)
    refund_reason: str = ""


class VoucherIssued(Payload):
    voucher_ref: str  # a digest of the code: the code itself is a bearer credential
    amount: int
    currency: str
    issued_by: str


PAYMENT_AUTHORISED = EventType(DOMAIN, "payment_authorised", "PaymentAuthorised", PaymentChanged)
PAYMENT_CAPTURED = EventType(DOMAIN, "payment_captured", "PaymentCaptured", PaymentChanged)
PAYMENT_REFUNDED = EventType(DOMAIN, "payment_refunded", "PaymentRefunded", PaymentRefunded)
PAYMENT_FAILED = EventType(DOMAIN, "payment_failed", "PaymentFailed", PaymentChanged)
PAYMENT_VOIDED = EventType(DOMAIN, "payment_voided", "PaymentVoided", PaymentChanged)
PAYMENT_PENDING = EventType(DOMAIN, "payment_pending", "PaymentPending", PaymentChanged)
VOUCHER_ISSUED = EventType(DOMAIN, "voucher_issued", "VoucherIssued", VoucherIssued)
