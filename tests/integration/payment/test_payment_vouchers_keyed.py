"""Vouchers issued by a service (booking's compensation) carry an idempotency key: a repeat, or
concurrent repeats, give the same voucher; a service without a key is refused; cs still issues
by hand without one."""

from __future__ import annotations

import asyncio
import uuid

import grpc

from airline.payment.v1 import payment_pb2 as pb
from tests.support.payment import error_code, expect


async def test_a_keyed_voucher_is_issued_once(stub, system) -> None:  # type: ignore[no-untyped-def]
    request = pb.IssueVoucherRequest(
        amount=36_300, currency="SGD", reason="compensation", idempotency_key=f"compensation-{uuid.uuid4()}"
    )
    replies = await asyncio.gather(*(stub.IssueVoucher(request, metadata=system) for _ in range(5)))
    assert len({v.code for v in replies}) == 1
    assert (replies[0].amount_issued, replies[0].balance, replies[0].currency) == (36_300, 36_300, "SGD")
    changed = pb.IssueVoucherRequest()
    changed.CopyFrom(request)
    changed.amount += 1
    e = await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.IssueVoucher(changed, metadata=system))
    assert error_code(e) == "idempotency_key_reused"


async def test_a_service_needs_a_key_and_cs_does_not(stub, system, cs) -> None:  # type: ignore[no-untyped-def]
    e = await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.IssueVoucher(pb.IssueVoucherRequest(amount=100, currency="EUR"), metadata=system),
    )
    assert error_code(e) == "validation_failed"
    a = await stub.IssueVoucher(pb.IssueVoucherRequest(amount=100, currency="EUR"), metadata=cs)
    b = await stub.IssueVoucher(pb.IssueVoucherRequest(amount=100, currency="EUR"), metadata=cs)
    assert a.code != b.code  # by hand, each call is a voucher of its own
