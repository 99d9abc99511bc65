"""Payments and vouchers (payment service).

`POST /payments` needs an `Idempotency-Key` header: a retry with the same key and body gets
the first answer again (and is charged once); the same key with another body is 422. A
declined payment is recorded and answered with 402 (code card_declined, insufficient_funds or
authentication_failed) and the payment's id. Card numbers and CVCs are SecretStr here, so
they never reach a log line, an echo or an error message.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from airline.common.v1 import payment_method_pb2 as mpb
from airline.gateway import deps
from airline.gateway.convert import timestamp_out
from airline.gateway.params import (
    IdempotencyKey,
    SignedIn,
    checked_idempotency_key,
    idempotency_key_header,
    idempotent_headers,
)
from airline.gateway.problems import PAYMENT_DECLINED_CODES, error_responses, payment_required
from airline.gateway.schemas import CardIn, ChallengeIn, EWalletIn, VoucherPartIn
from airline.gateway.security import require_roles
from airline.payment.v1 import payment_pb2 as pb
from airline.payment.v1 import payment_pb2_grpc as pb_grpc
from airline.platform.auth import Principal, Role

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py


def _payments(request: Request) -> pb_grpc.PaymentServiceStub:
    return pb_grpc.PaymentServiceStub(deps.channel(request, "payment"))


Payments_ = Annotated[pb_grpc.PaymentServiceStub, Depends(_payments)]
Operator = Annotated[Principal, Depends(require_roles(Role.CS, Role.OPS, Role.SYSTEM))]
Staff = Annotated[Principal, Depends(require_roles(Role.CS, Role.OPS))]
CustomerService = Annotated[Principal, Depends(require_roles(Role.CS))]

PaymentId = Annotated[
    str,
    Path(min_length=1, max_length=64, description="the payment id", examples=["0b8f5c8e-4a61-4d38-9a43-4c5f1e2b7d90"]),
]
Amount = Annotated[int, Field(gt=0, le=10**11, description="minor units (cents)", examples=[12500])]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217", examples=["EUR"])]
Reference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
        description="what is paid for, e.g. the booking id",
        examples=["BK-7Q2X9A"],
    ),
]

# --- request bodies -----------------------------------------------------------------------


class BankTransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["bank_transfer"]


class VoucherIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["voucher"]
    code: str = Field(min_length=1, max_length=64, examples=["VABCD-EFGH-JKLM"])


MethodIn = Annotated[CardIn | EWalletIn | BankTransferIn | VoucherIn, Field(discriminator="type")]


class PaymentIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reference": "BK-7Q2X9A",
                    "amount": 12500,
                    "currency": "EUR",
                    "capture": False,
                    "method": {
                        "type": "card",
                        "number": "4242 4242 4242 4242",
                        "exp_month": 12,
                        "exp_year": 2030,
                        "cvc": "123",
                        "holder": "Ada Lovelace",
                    },
                }
            ]
        },
    )
    reference: Reference
    amount: Amount
    currency: Currency
    method: MethodIn | None = Field(default=None, description="left out: the voucher alone pays")
    voucher: VoucherPartIn | None = Field(
        default=None,
        description="a voucher paying part of the amount beside a card or e-wallet (the rest), or all of it",
    )
    capture: bool = Field(default=False, description="authorise and capture in one step")


class CaptureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Amount | None = Field(default=None, description="all of the authorisation when left out")


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Amount | None = Field(default=None, description="what is left to refund when left out")
    reason: str = Field(default="", max_length=500, examples=["flight cancelled"])


class VoucherIssue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Amount
    currency: Currency
    reason: str = Field(default="", max_length=500, examples=["compensation for a 5 h delay"])


# --- responses ----------------------------------------------------------------------------


class RefundOut(BaseModel):
    id: str
    amount: int
    reason: str
    voucher_amount: int = Field(
        default=0, description="of amount, what went back to the voucher (the rest to the card)"
    )
    created_at: datetime | None = None


class Payment(BaseModel):
    id: str = Field(examples=["0b8f5c8e-4a61-4d38-9a43-4c5f1e2b7d90"])
    reference: str = Field(examples=["BK-7Q2X9A"])
    method: str = Field(examples=["card"])
    status: str = Field(
        description="requires_action, pending, authorised, captured, partially_refunded, refunded, failed or voided",
        examples=["authorised"],
    )
    amount: int = Field(examples=[12500])
    currency: str = Field(examples=["EUR"])
    captured_amount: int = 0
    refunded_amount: int = 0
    card_brand: str | None = Field(default=None, examples=["visa"])
    card_last4: str | None = Field(default=None, examples=["4242"])
    card_exp_month: int | None = None
    card_exp_year: int | None = None
    wallet_provider: str | None = None
    wallet_account: str | None = Field(default=None, description="masked", examples=["a***@example.com"])
    voucher_code: str | None = None
    voucher_amount: int = Field(default=0, description="of amount, what the voucher pays")
    card_amount: int = Field(default=0, description="of amount, what the card or e-wallet pays")
    voucher_refunded_amount: int = Field(default=0, description="of refunded_amount, what went back to the voucher")
    transfer_reference: str | None = Field(default=None, description="to write on the bank transfer")
    failure_code: str | None = Field(default=None, examples=["card_declined"])
    failure_message: str | None = None
    origin: str | None = Field(default=None, description="direct, or the service that started it (booking, baggage)")
    next_action: str | None = Field(default=None, description="three_d_secure_challenge or await_bank_transfer")
    refunds: list[RefundOut] = []
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, p: pb.Payment) -> Payment:
        return cls(
            id=p.id,
            reference=p.reference,
            method=p.method,
            status=p.status,
            amount=p.amount,
            currency=p.currency,
            captured_amount=p.captured_amount,
            refunded_amount=p.refunded_amount,
            card_brand=p.card_brand or None,
            card_last4=p.card_last4 or None,
            card_exp_month=p.card_exp_month or None,
            card_exp_year=p.card_exp_year or None,
            wallet_provider=p.wallet_provider or None,
            wallet_account=p.wallet_account or None,
            voucher_code=p.voucher_code or None,
            voucher_amount=p.voucher_amount,
            card_amount=p.amount - p.voucher_amount,
            voucher_refunded_amount=p.voucher_refunded_amount,
            transfer_reference=p.transfer_reference or None,
            failure_code=p.failure_code or None,
            failure_message=p.failure_message or None,
            next_action=p.next_action or None,
            origin=p.origin or None,
            refunds=[
                RefundOut(
                    id=r.id,
                    amount=r.amount,
                    reason=r.reason,
                    voucher_amount=r.voucher_amount,
                    created_at=timestamp_out(r, "created_at"),
                )
                for r in p.refunds
            ],
            created_at=timestamp_out(p, "created_at"),
            updated_at=timestamp_out(p, "updated_at"),
        )


class Payments(BaseModel):
    payments: list[Payment]


class RefundResult(BaseModel):
    payment: Payment
    refund: RefundOut


class Voucher(BaseModel):
    code: str = Field(examples=["VABCD-EFGH-JKLM"])
    amount_issued: int
    balance: int = Field(description="what is left to spend (POST /bookings/{id}/pay with `voucher`)")
    currency: str
    expires_at: datetime | None = Field(default=None, description="left out: it never expires")

    @classmethod
    def of(cls, v: pb.Voucher) -> Voucher:
        return cls(
            code=v.code,
            amount_issued=v.amount_issued,
            balance=v.balance,
            currency=v.currency,
            expires_at=timestamp_out(v, "expires_at"),
        )


def _answer(p: pb.Payment, status: int, replayed: bool, request: Request) -> JSONResponse:
    headers = idempotent_headers(replayed)
    if p.status == "failed" and p.failure_code in PAYMENT_DECLINED_CODES:
        return payment_required(
            request, p.failure_message or "the payment was declined", p.failure_code, headers, payment_id=p.id
        )
    return JSONResponse(Payment.of(p).model_dump(mode="json"), status_code=status, headers=headers)


# --- routes -------------------------------------------------------------------------------


@router.post(
    "/payments",
    status_code=201,
    response_model=Payment,
    tags=["payments"],
    summary="Pay (authorise, or capture too)",
    description="Card (sandbox test cards: 4242 4242 4242 4242 approved, 4000 0000 0000 0002 declined, "
    "4000 0000 0000 9995 insufficient funds, 4000 0000 0000 3220 3-D Secure challenge), e-wallet, "
    "bank transfer (pending until confirmed) or voucher. Needs an `Idempotency-Key` header. "
    "A booking is paid through `POST /bookings/{id}/pay`: a booking id (a UUID) as the reference "
    "is refused (403 reference_reserved).",
    responses={**error_responses(400, 401, 402, 403, 409, 422, 503)},
)
async def create_payment(
    body: PaymentIn,
    request: Request,
    payments: Payments_,
    _: SignedIn,
    idempotency_key: Annotated[str | None, idempotency_key_header("1-255 visible characters")] = None,
) -> JSONResponse:
    key = checked_idempotency_key(idempotency_key, required=True)
    m = body.method
    kwargs: dict[str, object] = {}
    if isinstance(m, CardIn):
        kwargs["card"] = mpb.Card(**m.card_fields())
    elif isinstance(m, EWalletIn):
        kwargs["e_wallet"] = mpb.EWallet(provider=m.provider, account=m.account)
    elif isinstance(m, BankTransferIn):
        kwargs["bank_transfer"] = pb.BankTransfer()
    elif isinstance(m, VoucherIn):
        kwargs["voucher"] = pb.VoucherRedemption(code=m.code)
    if body.voucher is not None:
        kwargs["voucher_part"] = body.voucher.part()
    reply = await payments.AuthorisePayment(
        pb.AuthorisePaymentRequest(
            idempotency_key=key,
            reference=body.reference,
            amount=body.amount,
            currency=body.currency.upper(),
            capture=body.capture,
            **kwargs,  # type: ignore[arg-type]
        )
    )
    return _answer(reply.payment, 201, reply.replayed, request)


@router.get(
    "/payments",
    response_model=Payments,
    tags=["payments"],
    summary="Payments of a reference (e.g. a booking)",
    responses=error_responses(401, 422),
)
async def list_payments(
    payments: Payments_,
    _: SignedIn,
    reference: Annotated[str, Query(min_length=1, max_length=64, description="the booking id or other reference")],
) -> Payments:
    reply = await payments.ListPayments(pb.ListPaymentsRequest(reference=reference))
    return Payments(payments=[Payment.of(p) for p in reply.payments])


@router.get(
    "/payments/{payment_id}",
    response_model=Payment,
    tags=["payments"],
    summary="One payment",
    responses=error_responses(401, 404),
)
async def get_payment(payment_id: PaymentId, payments: Payments_, _: SignedIn) -> Payment:
    return Payment.of(await payments.GetPayment(pb.GetPaymentRequest(payment_id=payment_id)))


@router.post(
    "/payments/{payment_id}/challenge",
    response_model=Payment,
    tags=["payments"],
    summary="Answer a 3-D Secure challenge",
    responses=error_responses(401, 402, 404, 409, 422),
)
async def complete_challenge(
    payment_id: PaymentId, body: ChallengeIn, request: Request, payments: Payments_, _: SignedIn
) -> JSONResponse:
    p = await payments.CompleteChallenge(pb.CompleteChallengeRequest(payment_id=payment_id, code=body.code))
    return _answer(p, 200, False, request)


@router.post(
    "/payments/{payment_id}/capture",
    response_model=Payment,
    tags=["payments"],
    summary="Capture an authorised payment, in full or in part (cs, ops, system)",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def capture_payment(
    payment_id: PaymentId, payments: Payments_, _: Operator, body: CaptureIn | None = None
) -> Payment:
    request = pb.CapturePaymentRequest(payment_id=payment_id)
    if body is not None and body.amount is not None:
        request.amount = body.amount
    return Payment.of(await payments.CapturePayment(request))


@router.post(
    "/payments/{payment_id}/void",
    response_model=Payment,
    tags=["payments"],
    summary="Cancel an uncaptured payment (cs, ops, system)",
    responses=error_responses(401, 403, 404, 409),
)
async def void_payment(payment_id: PaymentId, payments: Payments_, _: Operator) -> Payment:
    return Payment.of(await payments.VoidPayment(pb.VoidPaymentRequest(payment_id=payment_id)))


@router.post(
    "/payments/{payment_id}/refund",
    status_code=201,
    response_model=RefundResult,
    tags=["payments"],
    summary="Refund in full or in part (cs, ops, system)",
    description="Send an `Idempotency-Key` so that a retried refund is paid once.",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def refund_payment(
    payment_id: PaymentId,
    payments: Payments_,
    _: Operator,
    body: RefundIn | None = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    key = checked_idempotency_key(idempotency_key, required=False) or _fresh_key()
    body = body or RefundIn()
    request = pb.RefundPaymentRequest(payment_id=payment_id, reason=body.reason, idempotency_key=key)
    if body.amount is not None:
        request.amount = body.amount
    reply = await payments.RefundPayment(request)
    r = reply.refund
    result = RefundResult(
        payment=Payment.of(reply.payment),
        refund=RefundOut(id=r.id, amount=r.amount, reason=r.reason, created_at=timestamp_out(r, "created_at")),
    )
    return JSONResponse(result.model_dump(mode="json"), status_code=201, headers=idempotent_headers(reply.replayed))


def _fresh_key() -> str:
    # a refund without a key is still recorded once; only its retries are not recognised
    return uuid.uuid4().hex


@router.post(
    "/payments/{payment_id}/bank-transfer/confirm",
    response_model=Payment,
    tags=["payments"],
    summary="A pending bank transfer was received (cs, ops)",
    responses=error_responses(401, 403, 404, 409),
)
async def confirm_bank_transfer(payment_id: PaymentId, payments: Payments_, _: Staff) -> Payment:
    return Payment.of(await payments.ConfirmBankTransfer(pb.ConfirmBankTransferRequest(payment_id=payment_id)))


@router.post(
    "/vouchers",
    status_code=201,
    response_model=Voucher,
    tags=["payments"],
    summary="Issue an airline voucher (cs)",
    responses=error_responses(401, 403, 422),
)
async def issue_voucher(body: VoucherIssue, payments: Payments_, _: CustomerService) -> Voucher:
    v = await payments.IssueVoucher(
        pb.IssueVoucherRequest(amount=body.amount, currency=body.currency.upper(), reason=body.reason)
    )
    return Voucher.of(v)


@router.get(
    "/vouchers/{code}",
    response_model=Voucher,
    tags=["payments"],
    summary="A voucher's balance",
    responses=error_responses(401, 404),
)
async def get_voucher(
    code: Annotated[str, Path(min_length=1, max_length=64)], payments: Payments_, _: SignedIn
) -> Voucher:
    v = await payments.GetVoucher(pb.GetVoucherRequest(code=code))
    return Voucher.of(v)
