"""The payment service through its real gRPC server and PostgreSQL: every test card, 3-D
Secure, e-wallets, bank transfers, vouchers (no overdraft under concurrency), capture, void,
partial refunds, and roles (idempotency: test_payment_idempotency.py)."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
import sqlalchemy as sa

from airline.common.v1 import payment_method_pb2 as mpb
from airline.payment.store import vouchers
from airline.payment.v1 import payment_pb2 as pb
from airline.platform.auth import Role
from tests.support.payment import DECLINE, NO_FUNDS, OK, THREE_DS, card, error_code, expect, ledger, pay

# ----------------------------------------------------------------------------- cards


async def test_the_success_card_authorises_and_keeps_only_token_brand_and_last4(
    stub, passenger, payment_service
) -> None:  # type: ignore[no-untyped-def]
    reply = await stub.AuthorisePayment(pay(OK), metadata=passenger)
    p = reply.payment
    assert (p.status, p.method, p.card_brand, p.card_last4, p.amount, p.currency) == (
        "authorised",
        "card",
        "visa",
        "4242",
        12_500,
        "EUR",
    )
    assert not reply.replayed and p.failure_code == "" and p.captured_amount == 0
    assert await ledger(payment_service, p.id) == [("authorise", "approved", 12_500)]


async def test_authorise_and_capture_in_one_step(stub, passenger, payment_service) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay("5555555555554444", capture=True), metadata=passenger)).payment
    assert (p.status, p.captured_amount, p.card_brand) == ("captured", 12_500, "mastercard")
    assert [op for op, _, _ in await ledger(payment_service, p.id)] == ["authorise", "capture"]


@pytest.mark.parametrize(("number", "code"), [(DECLINE, "card_declined"), (NO_FUNDS, "insufficient_funds")])
async def test_declines_are_recorded_as_failed_payments_with_a_code(stub, passenger, number, code) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay(number), metadata=passenger)).payment
    assert (p.status, p.failure_code) == ("failed", code)
    assert p.failure_message
    again = await stub.GetPayment(pb.GetPaymentRequest(payment_id=p.id), metadata=passenger)
    assert again.status == "failed"


async def test_three_d_secure_challenge_then_authorised_and_captured(stub, passenger, payment_service) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay(THREE_DS, capture=True), metadata=passenger)).payment
    assert (p.status, p.next_action) == ("requires_action", "three_d_secure_challenge")
    done = await stub.CompleteChallenge(pb.CompleteChallengeRequest(payment_id=p.id, code="123456"), metadata=passenger)
    assert (done.status, done.captured_amount, done.next_action) == ("captured", 12_500, "")
    # a repeated submit changes nothing
    again = await stub.CompleteChallenge(
        pb.CompleteChallengeRequest(payment_id=p.id, code="123456"), metadata=passenger
    )
    assert again.status == "captured"
    assert [op for op, _, _ in await ledger(payment_service, p.id)] == ["authorise", "capture"]


async def test_a_wrong_challenge_code_fails_the_payment(stub, passenger) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay(THREE_DS), metadata=passenger)).payment
    done = await stub.CompleteChallenge(pb.CompleteChallengeRequest(payment_id=p.id, code="000000"), metadata=passenger)
    assert (done.status, done.failure_code) == ("failed", "authentication_failed")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda c: setattr(c, "number", "4242424242424241"), "card.number"),
        (lambda c: setattr(c, "number", "42"), "card.number"),
        (lambda c: setattr(c, "exp_year", 2020), "card.exp"),
        (lambda c: setattr(c, "exp_month", 13), "card.exp_month"),
        (lambda c: setattr(c, "cvc", "12"), "card.cvc"),
    ],
)
async def test_bad_cards_are_invalid_argument_and_nothing_is_stored(
    stub, passenger, payment_service, mutate, field
) -> None:  # type: ignore[no-untyped-def]
    request = pay(OK)
    mutate(request.card)
    e = await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.AuthorisePayment(request, metadata=passenger))
    assert request.card.number not in (e.details() or "")
    listed = await stub.ListPayments(pb.ListPaymentsRequest(reference=request.reference), metadata=passenger)
    assert list(listed.payments) == []


@pytest.mark.parametrize(
    "request_",
    [
        pay(amount=0),
        pay(amount=-1),
        pb.AuthorisePaymentRequest(idempotency_key="k", reference="B1", amount=100, currency="EURO", card=card()),
        pb.AuthorisePaymentRequest(idempotency_key="k", reference="B1", amount=100, currency="EUR"),  # no method
        pb.AuthorisePaymentRequest(idempotency_key="", reference="B1", amount=100, currency="EUR", card=card()),
        pb.AuthorisePaymentRequest(idempotency_key="k", reference="", amount=100, currency="EUR", card=card()),
        pay(e_wallet=mpb.EWallet(provider="moneybags", account="ada@example.com")),
        pay(voucher=pb.VoucherRedemption(code="VNOPE-NOPE-NOPE")),
        pay(voucher=pb.VoucherRedemption(code="V\x00")),
        pay(e_wallet=mpb.EWallet(provider="paypal", account="ada@exa\x00mple.com")),
        pb.AuthorisePaymentRequest(
            idempotency_key="k",
            reference="B1",
            amount=100,
            currency="EUR",
            card=mpb.Card(number=OK, exp_month=12, exp_year=2030, cvc="123", holder="A\x00"),
        ),
        pay(amount=2**62),
    ],
)
async def test_bad_input_is_invalid_argument(stub, passenger, request_) -> None:  # type: ignore[no-untyped-def]
    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.AuthorisePayment(request_, metadata=passenger))


async def test_signing_in_is_required(stub) -> None:  # type: ignore[no-untyped-def]
    await expect(grpc.StatusCode.UNAUTHENTICATED, stub.AuthorisePayment(pay()))


# ----------------------------------------------------------------------------- other methods


@pytest.mark.parametrize(
    ("account", "status", "code"),
    [
        ("ada@example.com", "authorised", ""),
        ("decline@example.com", "failed", "card_declined"),
        ("insufficient@example.com", "failed", "insufficient_funds"),
    ],
)
async def test_e_wallet(stub, passenger, account, status, code) -> None:  # type: ignore[no-untyped-def]
    p = (
        await stub.AuthorisePayment(pay(e_wallet=mpb.EWallet(provider="paypal", account=account)), metadata=passenger)
    ).payment
    assert (p.status, p.failure_code, p.method, p.wallet_provider) == (status, code, "e_wallet", "paypal")
    assert account not in p.wallet_account and "***" in p.wallet_account


async def test_bank_transfer_is_pending_until_confirmed_by_staff(stub, passenger, cs) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay(bank_transfer=pb.BankTransfer()), metadata=passenger)).payment
    assert (p.status, p.next_action) == ("pending", "await_bank_transfer")
    assert p.transfer_reference.startswith("BT-")
    await expect(
        grpc.StatusCode.PERMISSION_DENIED,
        stub.ConfirmBankTransfer(pb.ConfirmBankTransferRequest(payment_id=p.id), metadata=passenger),
    )
    await expect(
        grpc.StatusCode.FAILED_PRECONDITION, stub.CapturePayment(pb.CapturePaymentRequest(payment_id=p.id), metadata=cs)
    )
    done = await stub.ConfirmBankTransfer(pb.ConfirmBankTransferRequest(payment_id=p.id), metadata=cs)
    assert (done.status, done.captured_amount) == ("captured", 12_500)
    again = await stub.ConfirmBankTransfer(pb.ConfirmBankTransferRequest(payment_id=p.id), metadata=cs)
    assert again.status == "captured"


async def test_voucher_partial_redemption_refund_restores_and_no_overdraft(stub, passenger, cs) -> None:  # type: ignore[no-untyped-def]
    v = await stub.IssueVoucher(pb.IssueVoucherRequest(amount=10_000, currency="EUR", reason="delay"), metadata=cs)
    assert (v.balance, v.amount_issued) == (10_000, 10_000) and v.code.startswith("V")
    p = (
        await stub.AuthorisePayment(
            pay(amount=3_000, capture=True, voucher=pb.VoucherRedemption(code=v.code.lower())), metadata=passenger
        )
    ).payment
    assert (p.status, p.voucher_code) == ("captured", v.code)
    assert (await stub.GetVoucher(pb.GetVoucherRequest(code=v.code), metadata=passenger)).balance == 7_000
    # more than the balance: a failed payment, the balance untouched
    big = (
        await stub.AuthorisePayment(pay(amount=7_001, voucher=pb.VoucherRedemption(code=v.code)), metadata=passenger)
    ).payment
    assert (big.status, big.failure_code) == ("failed", "insufficient_funds")
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.AuthorisePayment(
            pb.AuthorisePaymentRequest(
                idempotency_key="usd",
                reference="B1",
                amount=1,
                currency="USD",
                voucher=pb.VoucherRedemption(code=v.code),
            ),
            metadata=passenger,
        ),
    )
    refund = await stub.RefundPayment(
        pb.RefundPaymentRequest(payment_id=p.id, amount=1_000, idempotency_key="r1"), metadata=cs
    )
    assert refund.payment.status == "partially_refunded"
    assert (await stub.GetVoucher(pb.GetVoucherRequest(code=v.code), metadata=passenger)).balance == 8_000
    # voiding an uncaptured voucher payment gives the money back
    held = (
        await stub.AuthorisePayment(pay(amount=500, voucher=pb.VoucherRedemption(code=v.code)), metadata=passenger)
    ).payment
    assert held.status == "authorised"
    assert (await stub.GetVoucher(pb.GetVoucherRequest(code=v.code), metadata=passenger)).balance == 7_500
    await stub.VoidPayment(pb.VoidPaymentRequest(payment_id=held.id), metadata=cs)
    assert (await stub.GetVoucher(pb.GetVoucherRequest(code=v.code), metadata=passenger)).balance == 8_000


async def test_concurrent_voucher_redemptions_never_overdraw(stub, cs, as_role, payment_service) -> None:  # type: ignore[no-untyped-def]
    v = await stub.IssueVoucher(pb.IssueVoucherRequest(amount=10_000, currency="EUR"), metadata=cs)
    who = as_role(Role.PASSENGER)
    replies = await asyncio.gather(
        *(
            stub.AuthorisePayment(
                pay(amount=1_500, capture=True, voucher=pb.VoucherRedemption(code=v.code)), metadata=who
            )
            for _ in range(12)
        )
    )
    ok = [r.payment for r in replies if r.payment.status == "captured"]
    assert len(ok) == 6  # 6 x 1,500 = 9,000 <= 10,000 < 7 x 1,500
    assert all(r.payment.failure_code == "insufficient_funds" for r in replies if r.payment.status == "failed")
    async with payment_service.runtime.db.engine.connect() as conn:
        balance = (await conn.execute(sa.select(vouchers.c.balance).where(vouchers.c.code == v.code))).scalar_one()
    assert balance == 10_000 - 9_000


async def test_only_customer_service_issues_vouchers(stub, passenger) -> None:  # type: ignore[no-untyped-def]
    await expect(
        grpc.StatusCode.PERMISSION_DENIED,
        stub.IssueVoucher(pb.IssueVoucherRequest(amount=100, currency="EUR"), metadata=passenger),
    )


# ----------------------------------------------------------------------------- capture, void, refund


async def test_partial_capture_then_partial_refunds_up_to_captured(stub, passenger, system, payment_service) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay(amount=10_000), metadata=passenger)).payment
    await expect(
        grpc.StatusCode.PERMISSION_DENIED,
        stub.CapturePayment(pb.CapturePaymentRequest(payment_id=p.id), metadata=passenger),
    )
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.CapturePayment(pb.CapturePaymentRequest(payment_id=p.id, amount=10_001), metadata=system),
    )
    c = await stub.CapturePayment(pb.CapturePaymentRequest(payment_id=p.id, amount=8_000), metadata=system)
    assert (c.status, c.captured_amount) == ("captured", 8_000)
    assert (
        await stub.CapturePayment(pb.CapturePaymentRequest(payment_id=p.id), metadata=system)
    ).captured_amount == 8_000
    r1 = await stub.RefundPayment(
        pb.RefundPaymentRequest(payment_id=p.id, amount=3_000, reason="bag", idempotency_key="a"), metadata=system
    )
    assert (r1.payment.status, r1.payment.refunded_amount, r1.refund.amount) == ("partially_refunded", 3_000, 3_000)
    e = await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.RefundPayment(
            pb.RefundPaymentRequest(payment_id=p.id, amount=5_001, idempotency_key="b"), metadata=system
        ),
    )
    assert error_code(e) == "refund_exceeds_captured"
    r2 = await stub.RefundPayment(pb.RefundPaymentRequest(payment_id=p.id, idempotency_key="c"), metadata=system)
    assert (r2.payment.status, r2.payment.refunded_amount, r2.refund.amount) == ("refunded", 8_000, 5_000)
    await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.RefundPayment(pb.RefundPaymentRequest(payment_id=p.id, amount=1, idempotency_key="d"), metadata=system),
    )
    # a replayed refund returns the first answer and refunds nothing more
    again = await stub.RefundPayment(
        pb.RefundPaymentRequest(payment_id=p.id, amount=3_000, reason="bag", idempotency_key="a"), metadata=system
    )
    assert again.replayed and again.refund.id == r1.refund.id
    assert sum(a for op, _, a in await ledger(payment_service, r1.refund.id) if op == "refund") == 3_000
    got = await stub.GetPayment(pb.GetPaymentRequest(payment_id=p.id), metadata=system)
    assert (got.refunded_amount, len(got.refunds)) == (8_000, 2)


async def test_concurrent_refunds_never_exceed_the_capture(stub, passenger, system) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay(amount=10_000, capture=True), metadata=passenger)).payment
    results = await asyncio.gather(
        *(
            stub.RefundPayment(
                pb.RefundPaymentRequest(payment_id=p.id, amount=3_000, idempotency_key=f"k{i}"), metadata=system
            )
            for i in range(6)
        ),
        return_exceptions=True,
    )
    assert sum(1 for r in results if not isinstance(r, Exception)) == 3
    assert all(isinstance(r, grpc.aio.AioRpcError) for r in results if isinstance(r, Exception))
    got = await stub.GetPayment(pb.GetPaymentRequest(payment_id=p.id), metadata=system)
    assert got.refunded_amount == 9_000


async def test_void_an_uncaptured_authorisation(stub, passenger, system, payment_service) -> None:  # type: ignore[no-untyped-def]
    p = (await stub.AuthorisePayment(pay(), metadata=passenger)).payment
    v = await stub.VoidPayment(pb.VoidPaymentRequest(payment_id=p.id), metadata=system)
    assert v.status == "voided"
    assert (await stub.VoidPayment(pb.VoidPaymentRequest(payment_id=p.id), metadata=system)).status == "voided"
    await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.CapturePayment(pb.CapturePaymentRequest(payment_id=p.id), metadata=system),
    )
    assert [op for op, _, _ in await ledger(payment_service, p.id)] == ["authorise", "void"]
    captured = (await stub.AuthorisePayment(pay(capture=True), metadata=passenger)).payment
    await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.VoidPayment(pb.VoidPaymentRequest(payment_id=captured.id), metadata=system),
    )


# ----------------------------------------------------------------------------- visibility


async def test_a_passenger_sees_only_their_own_payments(stub, passenger, as_role, system) -> None:  # type: ignore[no-untyped-def]
    reference = f"BK-{uuid.uuid4().hex[:8]}"
    mine = (await stub.AuthorisePayment(pay(reference=reference), metadata=passenger)).payment
    other = as_role(Role.PASSENGER)
    await expect(grpc.StatusCode.NOT_FOUND, stub.GetPayment(pb.GetPaymentRequest(payment_id=mine.id), metadata=other))
    await expect(
        grpc.StatusCode.NOT_FOUND, stub.GetPayment(pb.GetPaymentRequest(payment_id="not-a-uuid"), metadata=other)
    )
    assert list((await stub.ListPayments(pb.ListPaymentsRequest(reference=reference), metadata=other)).payments) == []
    await stub.AuthorisePayment(pay(DECLINE, reference=reference), metadata=other)
    staff = await stub.ListPayments(pb.ListPaymentsRequest(reference=reference), metadata=system)
    assert [p.status for p in staff.payments] == ["authorised", "failed"]
    own = await stub.ListPayments(pb.ListPaymentsRequest(reference=reference), metadata=passenger)
    assert [p.id for p in own.payments] == [mine.id]


async def test_a_service_pays_on_behalf_of_a_passenger_and_only_a_service_may(stub, system, as_role) -> None:  # type: ignore[no-untyped-def]
    ada = as_role(Role.PASSENGER, "ada-subject")
    p = (await stub.AuthorisePayment(pay(on_behalf_of="ada-subject"), metadata=system)).payment
    assert p.owner == "ada-subject"
    assert (await stub.GetPayment(pb.GetPaymentRequest(payment_id=p.id), metadata=ada)).id == p.id
    await expect(grpc.StatusCode.PERMISSION_DENIED, stub.AuthorisePayment(pay(on_behalf_of="x"), metadata=ada))


async def test_control_characters_in_free_text_are_invalid_argument(stub, passenger, cs) -> None:  # type: ignore[no-untyped-def]
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.IssueVoucher(pb.IssueVoucherRequest(amount=100, currency="EUR", reason="x\x00"), metadata=cs),
    )
    p = (await stub.AuthorisePayment(pay(capture=True), metadata=passenger)).payment
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.RefundPayment(
            pb.RefundPaymentRequest(payment_id=p.id, reason="x\x00", idempotency_key="nul"), metadata=cs
        ),
    )
    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.GetVoucher(pb.GetVoucherRequest(code="\x00"), metadata=cs))
