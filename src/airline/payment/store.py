"""Tables of the payment schema and the repository over them.

No column can hold a card number or a CVC: a card is kept as the processor's token, brand,
last four digits and expiry. Voucher balances never go below zero (a CHECK plus a conditional
UPDATE), and an idempotency key is claimed by its primary key, so both hold under any
concurrency.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.payment.domain import Method, Payment, Refund, Status
from airline.platform.db import ServiceDatabase, service_metadata

SCHEMA = "payment"
metadata = service_metadata(SCHEMA)
_now = sa.func.now()

payments = sa.Table(
    "payments",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("owner", sa.Text, nullable=False),
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("captured_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("refunded_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("capture_requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("card_brand", sa.Text, nullable=False, server_default=""),
    sa.Column("card_last4", sa.Text, nullable=False, server_default=""),
    sa.Column("card_exp_month", sa.Integer, nullable=False, server_default="0"),
    sa.Column("card_exp_year", sa.Integer, nullable=False, server_default="0"),
    sa.Column("processor_token", sa.Text, nullable=False, server_default=""),
    sa.Column("authorisation_id", sa.Text, nullable=False, server_default=""),
    sa.Column("wallet_provider", sa.Text, nullable=False, server_default=""),
    sa.Column("wallet_account", sa.Text, nullable=False, server_default=""),
    sa.Column("voucher_code", sa.Text, nullable=False, server_default=""),
    sa.Column("transfer_reference", sa.Text, nullable=False, server_default=""),
    sa.Column("failure_code", sa.Text, nullable=False, server_default=""),
    sa.Column("failure_message", sa.Text, nullable=False, server_default=""),
    sa.Column("origin", sa.Text, nullable=False, server_default=""),
    sa.Column("voucher_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("voucher_refunded", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("amount > 0", name="payments_amount_positive"),
    sa.CheckConstraint("voucher_amount >= 0 and voucher_amount <= amount", name="payments_voucher_within"),
    sa.CheckConstraint(
        "voucher_refunded >= 0 and voucher_refunded <= voucher_amount and voucher_refunded <= refunded_amount",
        name="payments_voucher_refunds_within",
    ),
    sa.CheckConstraint("captured_amount >= 0 and captured_amount <= amount", name="payments_captured_within"),
    sa.CheckConstraint(
        "refunded_amount >= 0 and refunded_amount <= captured_amount", name="payments_refunds_within_captured"
    ),
    sa.CheckConstraint("card_last4 ~ '^([0-9]{4})?$'", name="payments_last4_only"),
    sa.CheckConstraint(
        "status in ('requires_action','pending','authorised','captured','partially_refunded','refunded',"
        "'failed','voided')",
        name="payments_status_known",
    ),
    sa.CheckConstraint("method in ('card','e_wallet','bank_transfer','voucher')", name="payments_method_known"),
)
sa.Index("payments_reference", payments.c.reference)

refunds = sa.Table(
    "refunds",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("payment_id", sa.Text, sa.ForeignKey("payments.id"), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("voucher_amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("amount > 0", name="refunds_amount_positive"),
)
sa.Index("refunds_payment", refunds.c.payment_id)

vouchers = sa.Table(
    "vouchers",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("amount_issued", sa.BigInteger, nullable=False),
    sa.Column("balance", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("issued_by", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),  # null: never
    sa.CheckConstraint("balance >= 0 and balance <= amount_issued", name="vouchers_balance_within"),
)

# Every movement of a voucher's balance, linked to the payment it paid (debit) or that gave
# it back (credit: a failed or voided payment, a refund): written in the transaction of the
# balance change, so the balance is always amount_issued - debits + credits.
voucher_redemptions = sa.Table(
    "voucher_redemptions",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("code", sa.Text, sa.ForeignKey("vouchers.code"), nullable=False),
    sa.Column("payment_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("amount > 0", name="voucher_redemptions_amount_positive"),
    sa.CheckConstraint("kind in ('debit','credit')", name="voucher_redemptions_kind_known"),
)
sa.Index("voucher_redemptions_code", voucher_redemptions.c.code)
sa.Index("voucher_redemptions_payment", voucher_redemptions.c.payment_id)

# One row per (caller, operation, Idempotency-Key). `resource_id` (the payment or refund id)
# is fixed when the key is claimed, and is what the provider is asked with, so a retry after a
# crash re-asks for the same charge. `request_hash` is a keyed hash of the whole request (card
# fields included), so neither the card nor a guessable digest of it is stored.
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("scope", sa.Text, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("request_hash", sa.Text, nullable=False),
    sa.Column("resource_id", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("response", JSONB, nullable=True),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("status in ('in_progress','done')", name="idempotency_keys_status_known"),
)
sa.Index("idempotency_keys_created", idempotency_keys.c.created_at)

# The sandbox provider's own records (what a real card network keeps on its side): its token
# vault (brand, last four and the test scenario, never the number) and its ledger of money
# movements, unique by the idempotency ref we pass it.
sandbox_cards = sa.Table(
    "sandbox_cards",
    metadata,
    sa.Column("token", sa.Text, primary_key=True),
    sa.Column("brand", sa.Text, nullable=False),
    sa.Column("last4", sa.Text, nullable=False),
    sa.Column("exp_month", sa.Integer, nullable=False),
    sa.Column("exp_year", sa.Integer, nullable=False),
    sa.Column("scenario", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

sandbox_ledger = sa.Table(
    "sandbox_ledger",
    metadata,
    sa.Column("ref", sa.Text, primary_key=True),
    sa.Column("provider", sa.Text, nullable=False),
    sa.Column("operation", sa.Text, nullable=False),
    sa.Column("authorisation_id", sa.Text, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)
sa.Index("sandbox_ledger_authorisation", sandbox_ledger.c.authorisation_id)


# ----------------------------------------------------------------------------- mapping


def _payment(row: Any, refund_rows: list[Any]) -> Payment:
    m = row._mapping
    return Payment(
        id=m["id"],
        reference=m["reference"],
        owner=m["owner"],
        method=Method(m["method"]),
        status=Status(m["status"]),
        amount=m["amount"],
        currency=m["currency"],
        captured_amount=m["captured_amount"],
        refunded_amount=m["refunded_amount"],
        capture_requested=m["capture_requested"],
        card_brand=m["card_brand"],
        card_last4=m["card_last4"],
        card_exp_month=m["card_exp_month"],
        card_exp_year=m["card_exp_year"],
        processor_token=m["processor_token"],
        authorisation_id=m["authorisation_id"],
        wallet_provider=m["wallet_provider"],
        wallet_account=m["wallet_account"],
        voucher_code=m["voucher_code"],
        transfer_reference=m["transfer_reference"],
        failure_code=m["failure_code"],
        failure_message=m["failure_message"],
        origin=m["origin"],
        voucher_amount=m["voucher_amount"],
        voucher_refunded=m["voucher_refunded"],
        refunds=tuple(
            Refund(r.id, r.payment_id, r.amount, r.reason, r.created_at, r.voucher_amount) for r in refund_rows
        ),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def _payment_values(p: Payment) -> dict[str, Any]:
    return {
        "reference": p.reference,
        "owner": p.owner,
        "method": p.method.value,
        "status": p.status.value,
        "amount": p.amount,
        "currency": p.currency,
        "captured_amount": p.captured_amount,
        "refunded_amount": p.refunded_amount,
        "capture_requested": p.capture_requested,
        "card_brand": p.card_brand,
        "card_last4": p.card_last4,
        "card_exp_month": p.card_exp_month,
        "card_exp_year": p.card_exp_year,
        "processor_token": p.processor_token,
        "authorisation_id": p.authorisation_id,
        "wallet_provider": p.wallet_provider,
        "wallet_account": p.wallet_account,
        "voucher_code": p.voucher_code,
        "transfer_reference": p.transfer_reference,
        "failure_code": p.failure_code,
        "failure_message": p.failure_message,
        "origin": p.origin,
        "voucher_amount": p.voucher_amount,
        "voucher_refunded": p.voucher_refunded,
    }


def payment_json(p: Payment) -> dict[str, Any]:
    """The snapshot an idempotent replay answers with (the first result, as it was)."""
    out = {"id": p.id, **_payment_values(p)}
    out.pop("processor_token")
    out["refunds"] = [
        {
            "id": r.id,
            "payment_id": r.payment_id,
            "amount": r.amount,
            "reason": r.reason,
            "voucher_amount": r.voucher_amount,
            "created_at": r.created_at.isoformat() if r.created_at else None,
        }
        for r in p.refunds
    ]
    out["created_at"] = p.created_at.isoformat() if p.created_at else None
    out["updated_at"] = p.updated_at.isoformat() if p.updated_at else None
    return out


def payment_from_json(d: dict[str, Any]) -> Payment:
    def when(v: str | None) -> datetime | None:
        return datetime.fromisoformat(v) if v else None

    values = dict(d)
    values["method"] = Method(values["method"])
    values["status"] = Status(values["status"])
    values["refunds"] = tuple(
        Refund(r["id"], r["payment_id"], r["amount"], r["reason"], when(r["created_at"]), r.get("voucher_amount", 0))
        for r in d["refunds"]
    )
    values["created_at"] = when(d["created_at"])
    values["updated_at"] = when(d["updated_at"])
    return Payment(**values)


class PaymentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- payments

    async def add(self, p: Payment) -> Payment:
        """Inserts the payment; as stored (its times from RETURNING, no read afterwards)."""
        q = payments.insert().values(id=p.id, **_payment_values(p)).returning(*payments.c)
        return _payment((await self.conn.execute(q)).one(), [])

    async def save(self, p: Payment) -> Payment:
        """Updates the payment; as stored (RETURNING). Its refunds are read again only when one
        was just added (its time is the database's)."""
        q = payments.update().where(payments.c.id == p.id).values(**_payment_values(p), updated_at=_now)
        row = (await self.conn.execute(q.returning(*payments.c))).one()
        if any(r.created_at is None for r in p.refunds):
            return _payment(row, await self._refund_rows(p.id))
        return replace(_payment(row, []), refunds=p.refunds)

    async def get(self, payment_id: str, *, lock: bool = False) -> Payment | None:
        q = sa.select(payments).where(payments.c.id == payment_id)
        if lock:
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        if row is None:
            return None
        return _payment(row, await self._refund_rows(payment_id))

    async def _refund_rows(self, payment_id: str) -> list[Any]:
        q = sa.select(refunds).where(refunds.c.payment_id == payment_id).order_by(refunds.c.created_at, refunds.c.id)
        return list((await self.conn.execute(q)).all())

    async def by_reference(self, reference: str, owner: str | None) -> list[Payment]:
        q = sa.select(payments.c.id).where(payments.c.reference == reference)
        if owner is not None:
            q = q.where(payments.c.owner == owner)
        ids = (await self.conn.execute(q.order_by(payments.c.created_at, payments.c.id))).scalars().all()
        out = []
        for pid in ids:
            p = await self.get(pid)
            assert p is not None
            out.append(p)
        return out

    async def add_refund(self, r: Refund) -> None:
        await self.conn.execute(
            refunds.insert().values(
                id=r.id, payment_id=r.payment_id, amount=r.amount, reason=r.reason, voucher_amount=r.voucher_amount
            )
        )

    # -- vouchers

    async def add_voucher(
        self, code: str, amount: int, currency: str, issued_by: str, reason: str, expires_at: datetime | None = None
    ) -> Any:
        return (
            await self.conn.execute(
                vouchers.insert()
                .values(
                    code=code,
                    amount_issued=amount,
                    balance=amount,
                    currency=currency,
                    issued_by=issued_by,
                    reason=reason,
                    expires_at=expires_at,
                )
                .returning(vouchers)
            )
        ).one()

    async def voucher(self, code: str) -> Any:
        return (await self.conn.execute(sa.select(vouchers).where(vouchers.c.code == code))).first()

    async def redeem(self, code: str, amount: int, currency: str, payment_id: str) -> int | None:
        """Take `amount` off the balance if it is there (and the voucher has not expired); the
        new balance, or None. One statement, so concurrent redemptions can never overdraw; the
        debit is recorded against the payment in the same transaction."""
        balance = (
            await self.conn.execute(
                vouchers.update()
                .where(
                    vouchers.c.code == code,
                    vouchers.c.currency == currency,
                    vouchers.c.balance >= amount,
                    sa.or_(vouchers.c.expires_at.is_(None), vouchers.c.expires_at > _now),
                )
                .values(balance=vouchers.c.balance - amount, updated_at=_now)
                .returning(vouchers.c.balance)
            )
        ).scalar_one_or_none()
        if balance is not None:
            await self._ledger(code, payment_id, "debit", amount)
        return None if balance is None else int(balance)

    async def restore(self, code: str, amount: int, payment_id: str) -> None:
        """Give `amount` back to the voucher (a failed or voided payment, a refund)."""
        if amount <= 0:
            return
        await self.conn.execute(
            vouchers.update()
            .where(vouchers.c.code == code)
            .values(balance=vouchers.c.balance + amount, updated_at=_now)
        )
        await self._ledger(code, payment_id, "credit", amount)

    async def _ledger(self, code: str, payment_id: str, kind: str, amount: int) -> None:
        await self.conn.execute(
            voucher_redemptions.insert().values(code=code, payment_id=payment_id, kind=kind, amount=amount)
        )

    async def redemptions(self, code: str) -> list[Any]:
        q = sa.select(voucher_redemptions).where(voucher_redemptions.c.code == code)
        return list((await self.conn.execute(q.order_by(voucher_redemptions.c.id))).all())

    # -- idempotency keys

    async def claim(self, scope: str, key: str, request_hash: str, resource_id: str, lease_seconds: float) -> bool:
        row = (
            await self.conn.execute(
                insert(idempotency_keys)
                .values(
                    scope=scope,
                    key=key,
                    request_hash=request_hash,
                    resource_id=resource_id,
                    status="in_progress",
                    locked_until=_now + sa.func.make_interval(0, 0, 0, 0, 0, 0, lease_seconds),
                )
                .on_conflict_do_nothing()
                .returning(idempotency_keys.c.key)
            )
        ).first()
        return row is not None

    async def idempotency_row(self, scope: str, key: str) -> Any:
        return (
            await self.conn.execute(
                sa.select(idempotency_keys, (idempotency_keys.c.locked_until < _now).label("expired")).where(
                    idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
                )
            )
        ).first()

    async def take_over(self, scope: str, key: str, lease_seconds: float) -> bool:
        """Take an in-progress key whose worker died (its lease ran out)."""
        row = (
            await self.conn.execute(
                idempotency_keys.update()
                .where(
                    idempotency_keys.c.scope == scope,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.status == "in_progress",
                    idempotency_keys.c.locked_until < _now,
                )
                .values(locked_until=_now + sa.func.make_interval(0, 0, 0, 0, 0, 0, lease_seconds))
                .returning(idempotency_keys.c.key)
            )
        ).first()
        return row is not None

    async def finish_key(self, scope: str, key: str, response: dict[str, Any]) -> None:
        await self.conn.execute(
            idempotency_keys.update()
            .where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
            .values(status="done", response=response)
        )

    async def release_key(self, scope: str, key: str) -> None:
        await self.conn.execute(
            idempotency_keys.delete().where(
                idempotency_keys.c.scope == scope,
                idempotency_keys.c.key == key,
                idempotency_keys.c.status == "in_progress",
            )
        )

    async def expire_lease(self, scope: str, key: str) -> None:
        await self.conn.execute(
            idempotency_keys.update()
            .where(
                idempotency_keys.c.scope == scope,
                idempotency_keys.c.key == key,
                idempotency_keys.c.status == "in_progress",
            )
            .values(locked_until=_now)
        )

    async def forget_keys_older_than(self, hours: float) -> int:
        result = await self.conn.execute(
            idempotency_keys.delete().where(
                idempotency_keys.c.created_at < _now - sa.func.make_interval(0, 0, 0, 0, 0, 0, hours * 3600)
            )
        )
        return result.rowcount or 0


@asynccontextmanager
async def reading(db: ServiceDatabase) -> AsyncIterator[PaymentRepository]:
    """Reads that need no transaction (a payment, a listing, a voucher): autocommit, no
    BEGIN/COMMIT round trips."""
    async with db.reading() as conn:
        yield PaymentRepository(conn)
