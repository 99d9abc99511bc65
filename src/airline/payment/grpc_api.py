"""Maps payment protos to use cases and back (role checks live in the use cases)."""

from __future__ import annotations

import grpc

from airline.payment.client import PaymentMethod
from airline.payment.domain import Method, Payment, Refund
from airline.payment.service import AuthoriseCommand, PaymentService, Voucher
from airline.payment.v1 import payment_pb2 as pb
from airline.payment.v1 import payment_pb2_grpc as pb_grpc
from airline.platform.errors import ValidationFailed
from airline.platform.protobuf import timestamp

_METHODS = {
    "card": Method.CARD,
    "e_wallet": Method.E_WALLET,
    "bank_transfer": Method.BANK_TRANSFER,
    "voucher": Method.VOUCHER,
}


def refund_pb(r: Refund) -> pb.Refund:
    return pb.Refund(
        id=r.id, amount=r.amount, reason=r.reason, created_at=timestamp(r.created_at), voucher_amount=r.voucher_amount
    )


def payment_pb(p: Payment) -> pb.Payment:
    return pb.Payment(
        id=p.id,
        reference=p.reference,
        owner=p.owner,
        method=p.method.value,
        status=p.status.value,
        amount=p.amount,
        currency=p.currency,
        captured_amount=p.captured_amount,
        refunded_amount=p.refunded_amount,
        card_brand=p.card_brand,
        card_last4=p.card_last4,
        card_exp_month=p.card_exp_month,
        card_exp_year=p.card_exp_year,
        wallet_provider=p.wallet_provider,
        wallet_account=p.wallet_account,
        voucher_code=p.voucher_code,
        transfer_reference=p.transfer_reference,
        failure_code=p.failure_code,
        failure_message=p.failure_message,
        next_action=p.next_action,
        origin=p.origin,
        voucher_amount=p.voucher_amount,
        voucher_refunded_amount=p.voucher_refunded,
        refunds=[refund_pb(r) for r in p.refunds],
        created_at=timestamp(p.created_at),
        updated_at=timestamp(p.updated_at),
    )


def voucher_pb(v: Voucher) -> pb.Voucher:
    return pb.Voucher(
        code=v.code,
        amount_issued=v.amount_issued,
        balance=v.balance,
        currency=v.currency,
        reason=v.reason,
        expires_at=timestamp(v.expires_at),
    )


def authorise_command(r: pb.AuthorisePaymentRequest) -> AuthoriseCommand:
    which = r.WhichOneof("method")
    if which is None and r.HasField("voucher_part"):
        which = "voucher"  # the voucher alone (it must cover the amount)
    if which is None:
        raise ValidationFailed("a payment method is required: card, e_wallet, bank_transfer or voucher", field="method")
    return AuthoriseCommand(
        idempotency_key=r.idempotency_key,
        reference=r.reference,
        amount=r.amount,
        currency=r.currency,
        method=_METHODS[which],
        capture=r.capture,
        payer=PaymentMethod.of(r, voucher_field="voucher_part"),
        voucher_code=r.voucher.code,
        on_behalf_of=r.on_behalf_of,
    )


class PaymentApi(pb_grpc.PaymentServiceServicer):
    def __init__(self, service: PaymentService) -> None:
        self.service = service

    async def AuthorisePayment(
        self, request: pb.AuthorisePaymentRequest, context: grpc.aio.ServicerContext
    ) -> pb.AuthorisePaymentResponse:
        payment, replayed = await self.service.authorise(authorise_command(request))
        return pb.AuthorisePaymentResponse(payment=payment_pb(payment), replayed=replayed)

    async def CompleteChallenge(
        self, request: pb.CompleteChallengeRequest, context: grpc.aio.ServicerContext
    ) -> pb.Payment:
        return payment_pb(await self.service.complete_challenge(request.payment_id, request.code))

    async def GetPayment(self, request: pb.GetPaymentRequest, context: grpc.aio.ServicerContext) -> pb.Payment:
        return payment_pb(await self.service.get(request.payment_id))

    async def ListPayments(
        self, request: pb.ListPaymentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPaymentsResponse:
        return pb.ListPaymentsResponse(
            payments=[payment_pb(p) for p in await self.service.list_by_reference(request.reference)]
        )

    async def CapturePayment(self, request: pb.CapturePaymentRequest, context: grpc.aio.ServicerContext) -> pb.Payment:
        amount = request.amount if request.HasField("amount") else None
        return payment_pb(await self.service.capture(request.payment_id, amount))

    async def VoidPayment(self, request: pb.VoidPaymentRequest, context: grpc.aio.ServicerContext) -> pb.Payment:
        return payment_pb(await self.service.void(request.payment_id))

    async def RefundPayment(
        self, request: pb.RefundPaymentRequest, context: grpc.aio.ServicerContext
    ) -> pb.RefundPaymentResponse:
        amount = request.amount if request.HasField("amount") else None
        payment, refund, replayed = await self.service.refund(
            request.payment_id, amount, request.reason, request.idempotency_key
        )
        return pb.RefundPaymentResponse(payment=payment_pb(payment), refund=refund_pb(refund), replayed=replayed)

    async def ConfirmBankTransfer(
        self, request: pb.ConfirmBankTransferRequest, context: grpc.aio.ServicerContext
    ) -> pb.Payment:
        return payment_pb(await self.service.confirm_bank_transfer(request.payment_id))

    async def IssueVoucher(self, request: pb.IssueVoucherRequest, context: grpc.aio.ServicerContext) -> pb.Voucher:
        return voucher_pb(
            await self.service.issue_voucher(request.amount, request.currency, request.reason, request.idempotency_key)
        )

    async def GetVoucher(self, request: pb.GetVoucherRequest, context: grpc.aio.ServicerContext) -> pb.Voucher:
        return voucher_pb(await self.service.get_voucher(request.code))
