"""A voucher pays part of a payment, the card the rest, in one payment (issue 15, item 2): the
card is charged only the rest and the voucher keeps its remainder; the voucher alone when it
covers the total; two concurrent payments never spend one balance twice; a refund gives the
card part back first, then the voucher part; bad vouchers are refused with clear codes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc
import sqlalchemy as sa

from airline.common.v1 import payment_method_pb2 as mpb
from airline.payment.store import voucher_redemptions, vouchers
from airline.payment.v1 import payment_pb2 as pb
from airline.platform.db import utcnow
from tests.support.payment import THREE_DS, error_code, expect, ledger, pay


async def issued(stub, cs, amount: int, currency: str = "EUR") -> str:  # type: ignore[no-untyped-def]
    v = await stub.IssueVoucher(pb.IssueVoucherRequest(amount=amount, currency=currency, reason="delay"), metadata=cs)
    assert v.HasField("expires_at")  # two years by default
    return str(v.code)


async def balance(stub, who, code: str) -> int:  # type: ignore[no-untyped-def]
    return int((await stub.GetVoucher(pb.GetVoucherRequest(code=code), metadata=who)).balance)


def part(code: str, amount: int | None = None) -> mpb.VoucherPart:
    return mpb.VoucherPart(code=code, amount=amount)


async def test_voucher_plus_card_charges_the_card_the_rest_and_keeps_the_remainder(  # type: ignore[no-untyped-def]
    stub, passenger, cs, payment_service
) -> None:
    code = await issued(stub, cs, 3_000)
    p = (await stub.AuthorisePayment(pay(amount=12_500, voucher_part=part(code)), metadata=passenger)).payment
    assert (p.status, p.method, p.voucher_code, p.voucher_amount) == ("authorised", "card", code, 3_000)
    assert await balance(stub, passenger, code) == 0  # taken at authorise
    captured = await stub.CapturePayment(pb.CapturePaymentRequest(payment_id=p.id), metadata=cs)
    assert (captured.status, captured.captured_amount) == ("captured", 12_500)
    assert await ledger(payment_service, p.id) == [("authorise", "approved", 9_500), ("capture", "approved", 9_500)]

    # an amount asked of a bigger voucher: the rest of the voucher stays on it
    big = await issued(stub, cs, 20_000)
    q = (
        await stub.AuthorisePayment(
            pay(amount=12_500, capture=True, voucher_part=part(big.lower(), 5_000)), metadata=passenger
        )
    ).payment
    assert (q.status, q.voucher_amount, q.captured_amount) == ("captured", 5_000, 12_500)
    assert await balance(stub, passenger, big) == 15_000
    assert await ledger(payment_service, q.id) == [("authorise", "approved", 7_500), ("capture", "approved", 7_500)]

    # the refund: the card part first, then the voucher part back to the voucher
    r = await stub.RefundPayment(
        pb.RefundPaymentRequest(payment_id=q.id, amount=9_000, reason="one leg", idempotency_key=f"r1-{q.id}"),
        metadata=cs,
    )
    assert (r.refund.amount, r.refund.voucher_amount) == (9_000, 1_500)
    assert await balance(stub, passenger, big) == 16_500
    assert await ledger(payment_service, r.refund.id) == [("refund", "approved", 7_500)]  # all the card paid
    r = await stub.RefundPayment(
        pb.RefundPaymentRequest(payment_id=q.id, reason="the rest", idempotency_key=f"r2-{q.id}"), metadata=cs
    )
    assert (r.refund.amount, r.refund.voucher_amount, r.payment.status) == (3_500, 3_500, "refunded")
    assert (r.payment.voucher_refunded_amount, await balance(stub, passenger, big)) == (5_000, 20_000)
    assert await ledger(payment_service, r.refund.id) == []  # the voucher part only: the card is not asked


async def test_a_voucher_covering_the_total_pays_alone_and_the_card_is_not_charged(  # type: ignore[no-untyped-def]
    stub, passenger, cs, payment_service
) -> None:
    code = await issued(stub, cs, 20_000)
    p = (
        await stub.AuthorisePayment(pay(amount=12_500, capture=True, voucher_part=part(code)), metadata=passenger)
    ).payment
    assert (p.status, p.method, p.voucher_amount, p.captured_amount) == ("captured", "voucher", 12_500, 12_500)
    assert await ledger(payment_service, p.id) == []
    assert await balance(stub, passenger, code) == 7_500
    # no method at all: the voucher alone
    request = pay(amount=7_500, voucher_part=part(code))
    request.ClearField("card")
    alone = (await stub.AuthorisePayment(request, metadata=passenger)).payment
    assert (alone.status, alone.method, alone.voucher_amount) == ("authorised", "voucher", 7_500)
    assert await balance(stub, passenger, code) == 0
    voided = await stub.VoidPayment(pb.VoidPaymentRequest(payment_id=alone.id), metadata=cs)
    assert voided.status == "voided" and await balance(stub, passenger, code) == 7_500  # given back


async def test_two_concurrent_payments_cannot_spend_one_balance_twice(  # type: ignore[no-untyped-def]
    stub, passenger, cs, payment_service
) -> None:
    code = await issued(stub, cs, 5_000)
    replies = await asyncio.gather(
        *(
            stub.AuthorisePayment(pay(amount=12_500, capture=True, voucher_part=part(code, 5_000)), metadata=passenger)
            for _ in range(2)
        ),
        return_exceptions=True,
    )
    outcomes = sorted(
        r.payment.status if isinstance(r, pb.AuthorisePaymentResponse) else error_code(r)  # type: ignore[arg-type]
        for r in replies
    )
    # the loser either saw the balance gone before asking the card (422) or lost the debit (failed,
    # its card authorisation voided)
    assert outcomes[0] == "captured" and outcomes[1] in ("failed", "voucher_used_up"), outcomes
    assert await balance(stub, passenger, code) == 0
    async with payment_service.runtime.db.engine.connect() as conn:
        debits = (
            (
                await conn.execute(
                    sa.select(voucher_redemptions.c.amount).where(
                        voucher_redemptions.c.code == code, voucher_redemptions.c.kind == "debit"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert list(debits) == [5_000]
    for r in replies:
        if isinstance(r, pb.AuthorisePaymentResponse) and r.payment.status == "failed":
            assert r.payment.failure_code == "insufficient_funds"
            assert [op for op, *_ in await ledger(payment_service, r.payment.id)] == ["authorise", "void"]


async def test_many_concurrent_payments_take_exactly_the_balance(stub, passenger, cs) -> None:  # type: ignore[no-untyped-def]
    code = await issued(stub, cs, 10_000)
    replies = await asyncio.gather(
        *(
            stub.AuthorisePayment(pay(amount=4_000, voucher_part=part(code, 3_000)), metadata=passenger)
            for _ in range(6)
        ),
        return_exceptions=True,
    )
    taken = [r for r in replies if isinstance(r, pb.AuthorisePaymentResponse) and r.payment.status == "authorised"]
    assert len(taken) == 3 and await balance(stub, passenger, code) == 1_000


async def test_a_refused_card_or_challenge_gives_the_voucher_part_back(stub, passenger, cs) -> None:  # type: ignore[no-untyped-def]
    code = await issued(stub, cs, 3_000)
    declined = (
        await stub.AuthorisePayment(pay("4000000000000002", amount=9_000, voucher_part=part(code)), metadata=passenger)
    ).payment
    assert declined.status == "failed" and await balance(stub, passenger, code) == 3_000
    challenged = (
        await stub.AuthorisePayment(pay(THREE_DS, amount=9_000, voucher_part=part(code)), metadata=passenger)
    ).payment
    assert challenged.status == "requires_action" and await balance(stub, passenger, code) == 0  # reserved
    failed = await stub.CompleteChallenge(
        pb.CompleteChallengeRequest(payment_id=challenged.id, code="000000"), metadata=passenger
    )
    assert failed.status == "failed" and await balance(stub, passenger, code) == 3_000


async def test_bad_vouchers_are_refused_with_clear_codes(stub, passenger, cs, payment_service) -> None:  # type: ignore[no-untyped-def]
    eur = await issued(stub, cs, 3_000)
    expired = await issued(stub, cs, 3_000)
    async with payment_service.runtime.db.engine.begin() as conn:
        await conn.execute(
            vouchers.update().where(vouchers.c.code == expired).values(expires_at=utcnow() - timedelta(minutes=1))
        )
    used = await issued(stub, cs, 1_000)
    await stub.AuthorisePayment(pay(amount=5_000, voucher_part=part(used)), metadata=passenger)
    alone = pay(amount=5_000, voucher_part=part(eur))
    alone.ClearField("card")
    cases = [
        (pay(amount=5_000, voucher_part=part("VNOPE-NOPE-NOPE")), "voucher_not_found"),
        (pay(amount=5_000, voucher_part=part(expired)), "voucher_expired"),
        (pay(amount=5_000, voucher_part=part(used)), "voucher_used_up"),
        (pay(amount=5_000, voucher_part=part(eur, 4_000)), "voucher_balance_too_low"),
        (pay(amount=5_000, voucher_part=part(eur, 6_000)), "voucher_amount_exceeds_total"),
        (alone, "voucher_does_not_cover"),
    ]
    usd = pay(amount=5_000, voucher_part=part(eur))
    usd.currency = "USD"
    cases.append((usd, "voucher_currency_mismatch"))
    for request, code in cases:
        e = await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.AuthorisePayment(request, metadata=passenger))
        assert error_code(e) == code
    assert await balance(stub, passenger, eur) == 3_000  # nothing was taken


async def test_a_retry_with_the_same_key_takes_the_voucher_once(stub, passenger, cs) -> None:  # type: ignore[no-untyped-def]
    code = await issued(stub, cs, 10_000)
    request = pay(amount=12_500, voucher_part=part(code, 4_000))
    first = await stub.AuthorisePayment(request, metadata=passenger)
    again = await stub.AuthorisePayment(request, metadata=passenger)
    assert again.replayed and again.payment.id == first.payment.id
    assert await balance(stub, passenger, code) == 6_000
