"""Booking's gRPC adapters call through platform.grpc.call: every attempt carries the deadline;
reads and writes made idempotent by a key are tried again when the callee did not answer,
capture / void / a 3-D Secure code are tried once (one that timed out may have happened)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import grpc
import pytest

from airline.booking.adapters import AUTHORISE_TIMEOUT, GrpcPayment, GrpcReservation
from airline.booking.ports import Authorisation, SeatRequest
from airline.payment.client import PaymentMethod
from airline.payment.v1 import payment_pb2 as ppb
from airline.platform import errors
from airline.reservation.v1 import reservation_pb2 as rpb

UNAVAILABLE = grpc.StatusCode.UNAVAILABLE


class _Failure(grpc.aio.AioRpcError):
    def __init__(self, code: grpc.StatusCode) -> None:
        super().__init__(code, grpc.aio.Metadata(), grpc.aio.Metadata(), "no answer")


class Method:
    """A stub method that fails `failures` times with UNAVAILABLE, then answers `reply`."""

    def __init__(self, name: str, reply: Any, failures: int = 1) -> None:
        self._method = f"/airline.{name}".encode()
        self.reply, self.failures = reply, failures
        self.timeouts: list[float] = []

    async def __call__(self, request: Any, *, timeout: float) -> Any:
        self.timeouts.append(timeout)
        if self.failures:
            self.failures -= 1
            raise _Failure(UNAVAILABLE)
        return self.reply


class Stub:
    def __init__(self, **methods: Method) -> None:
        self.__dict__.update(methods)


def _payment(**methods: Method) -> GrpcPayment:
    return GrpcPayment(Stub(**methods), nullcontext, lambda: 3.0)  # type: ignore[arg-type]


PAID = ppb.Payment(id="p-1", status="authorised", amount=100, currency="EUR")


async def test_reads_and_keyed_writes_are_tried_again_after_no_answer_but_not_the_authorisation() -> None:
    listing = Method("payment.v1.PaymentService/ListPayments", ppb.ListPaymentsResponse(payments=[PAID]))
    authorise = Method("payment.v1.PaymentService/AuthorisePayment", ppb.AuthorisePaymentResponse(payment=PAID))
    refund = Method("payment.v1.PaymentService/RefundPayment", ppb.RefundPaymentResponse())
    port = _payment(ListPayments=listing, AuthorisePayment=authorise, RefundPayment=refund)
    assert [p.id for p in await port.payments_for("b-1")] == ["p-1"]
    request = Authorisation(
        idempotency_key="booking-b-1-1", reference="b-1", amount=100, currency="EUR", on_behalf_of="guest"
    )
    with pytest.raises(errors.Unavailable):  # tried once: see GrpcPayment.authorise
        await port.authorise(request, PaymentMethod())
    await port.refund("p-1", 100, "cancelled", "refund-b-1")
    assert listing.timeouts == [3.0, 3.0] and refund.timeouts == [3.0, 3.0]
    assert authorise.timeouts == [AUTHORISE_TIMEOUT]


@pytest.mark.parametrize("name", ["CapturePayment", "VoidPayment", "CompleteChallenge"])
async def test_unkeyed_payment_writes_are_tried_once(name: str) -> None:
    method = Method(f"payment.v1.PaymentService/{name}", ppb.Payment(), failures=5)
    port = _payment(**{name: method})
    with pytest.raises(errors.Unavailable):
        if name == "CapturePayment":
            await port.capture("p-1")
        elif name == "VoidPayment":
            await port.void("p-1")
        else:
            await port.complete_challenge("p-1", "123456")
    assert method.timeouts == [3.0]


async def test_a_hold_is_retried_only_under_its_hold_id() -> None:
    confirm = Method("reservation.v1.ReservationService/ConfirmHold", rpb.AssignmentsResponse())
    assign = Method("reservation.v1.ReservationService/AssignSeats", rpb.AssignmentsResponse(), failures=5)
    port = GrpcReservation(
        Stub(ConfirmHold=confirm, AssignSeats=assign),
        nullcontext,  # type: ignore[arg-type]
        lambda: 2.0,
    )
    await port.confirm_hold("h-1", "b-1")
    assert confirm.timeouts == [2.0, 2.0]
    with pytest.raises(errors.Unavailable):
        await port.assign_seat("f-1", "b-1", SeatRequest("1A", "p-1", "adult", "normal"))
    assert assign.timeouts == [2.0]
