"""Helpers of the payment service's gRPC tests: the sandbox's test cards, requests, the ledger."""

from __future__ import annotations

import uuid

import grpc
import pytest
import sqlalchemy as sa

from airline.common.v1 import payment_method_pb2 as mpb
from airline.payment.store import sandbox_ledger
from airline.payment.v1 import payment_pb2 as pb
from airline.platform.runtime import RunningService

# the sandbox processor's test cards
OK, DECLINE, NO_FUNDS, THREE_DS = "4242424242424242", "4000000000000002", "4000000000009995", "4000000000003220"


Metadata = tuple[tuple[str, str], ...]


def card(number: str = OK, cvc: str = "123") -> mpb.Card:
    return mpb.Card(number=number, exp_month=12, exp_year=2030, cvc=cvc, holder="Ada Lovelace")


def pay(
    number: str = OK,
    *,
    key: str | None = None,
    amount: int = 12_500,
    capture: bool = False,
    reference: str | None = None,
    **kw: object,
) -> pb.AuthorisePaymentRequest:
    if not any(k in kw for k in ("e_wallet", "bank_transfer", "voucher")):
        kw["card"] = card(number)
    return pb.AuthorisePaymentRequest(
        idempotency_key=key or uuid.uuid4().hex,
        reference=reference or f"BK-{uuid.uuid4().hex[:8]}",
        amount=amount,
        currency="EUR",
        capture=capture,
        **kw,  # type: ignore[arg-type]
    )


async def expect(code: grpc.StatusCode, call) -> grpc.aio.AioRpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return info.value


def error_code(e: grpc.aio.AioRpcError) -> str:
    return dict(e.trailing_metadata() or ()).get("error-code", "")  # type: ignore[arg-type]


async def ledger(payment_service: RunningService, payment_id: str) -> list[tuple[str, str, int]]:
    async with payment_service.runtime.db.engine.connect() as conn:
        rows = await conn.execute(
            sa.select(sandbox_ledger.c.operation, sandbox_ledger.c.outcome, sandbox_ledger.c.amount)
            .where(sandbox_ledger.c.ref.like(f"%:{payment_id}"))
            .order_by(sandbox_ledger.c.created_at)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def charges_for_reference(payment_service: RunningService, reference: str) -> int:
    """Approved authorisations in the sandbox's own ledger for every payment of a reference."""
    async with payment_service.runtime.db.engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    sa.text(
                        "select count(*) from payment.sandbox_ledger l join payment.payments p on l.ref = 'authorise:' || p.id "
                        "where p.reference = :r and l.outcome = 'approved'"
                    ),
                    {"r": reference},
                )
            ).scalar_one()
        )
