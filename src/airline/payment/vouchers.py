"""Vouchers: issued by cs or a service (compensation, a declined re-accommodation), looked up
by their holder, and spent on payments (domain.voucher_part: all or part of a payment, the card
or e-wallet the rest).

How a voucher part moves, and why it cannot be spent twice:

- authorise: the part is checked (known, same currency, not expired, balance) before the card
  is asked, then debited by one conditional UPDATE (`balance >= part`) in the transaction that
  records the payment, with a `debit` row in voucher_redemptions linked to it. Two concurrent
  payments on one voucher: the second UPDATE waits for the first's row lock and then finds
  the balance too low: that payment fails (`insufficient_funds`) and its card authorisation is
  voided. A sale's card part is captured only once the voucher part is debited.
- failed (3-D Secure refused) or voided: the part goes back to the voucher (`credit` row).
- capture: only the card part is captured; the voucher part was taken at authorise.
- refund: the card part first, then the voucher part back to the voucher (`credit` row).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from airline.contracts.events import payment as payment_events
from airline.payment import domain
from airline.payment.idempotency import Claim, IdempotentRequests
from airline.payment.settings import PaymentSettings
from airline.payment.store import PaymentRepository, reading
from airline.platform.auth import Role, require
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import NotFound, ValidationFailed

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


@dataclass(frozen=True)
class Voucher:
    code: str
    amount_issued: int
    balance: int
    currency: str
    reason: str
    expires_at: datetime | None = None


def new_code(groups: int = 3) -> str:
    return "V" + "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(groups))


def voucher_code(raw: str) -> str:
    code = domain.free_text(raw, "voucher.code", 64).upper()
    if not code:
        raise ValidationFailed("the voucher code is required", field="voucher.code")
    return code


async def voucher_part(
    repo: PaymentRepository, code: str, currency: str, total: int, wanted: int | None, rest_payable: bool
) -> int:
    """What the voucher `code` pays of `total` (4xx when it cannot pay: unknown, other
    currency, expired, used up, too low for `wanted`, or not covering a total nothing else pays)."""
    balance = await usable_balance(repo, code, currency)
    return domain.voucher_part(total, balance, wanted, rest_payable)


async def usable_balance(repo: PaymentRepository, code: str, currency: str) -> int:
    """The balance of a voucher that exists, is in `currency` and has not expired (else 4xx)."""
    row = await repo.voucher(code)
    if row is None:
        raise ValidationFailed("no voucher with this code", field="voucher.code", code="voucher_not_found")
    domain.voucher_usable(row.currency, row.expires_at, currency, utcnow())
    return int(row.balance)


class VoucherUseCases:
    """PaymentService's voucher use cases (issue, look up)."""

    db: ServiceDatabase
    settings: PaymentSettings
    requests: IdempotentRequests

    async def issue_voucher(self, amount: int, currency: str, reason: str, idempotency_key: str = "") -> Voucher:
        """cs by hand, or a service (booking's compensation) with a key: a retry gets the same voucher."""
        principal = require(Role.CS, Role.SYSTEM)
        amount, currency = domain.money(amount, currency)
        reason = domain.free_text(reason, "reason", 500)
        if principal.role is Role.SYSTEM and not idempotency_key:
            raise ValidationFailed("a service issues vouchers with an idempotency key", field="idempotency_key")
        days = self.settings.voucher_validity_days
        expires_at = utcnow() + timedelta(days=days) if days > 0 else None

        async def work(claim: Claim | None) -> dict[str, Any]:
            async with self.db.uow() as uow:
                row = await PaymentRepository(uow.conn).add_voucher(
                    new_code(), amount, currency, principal.subject, reason, expires_at
                )
                # the code is a bearer credential: events name the voucher by a digest of it
                ref = hashlib.sha256(row.code.encode()).hexdigest()[:16]
                payload = {"voucher_ref": ref, "amount": amount, "currency": currency, "issued_by": principal.subject}
                await uow.emit_event(payment_events.VOUCHER_ISSUED, ref, payload)
                response = {k: getattr(row, k) for k in ("code", "amount_issued", "balance", "currency", "reason")}
                response["expires_at"] = row.expires_at.isoformat() if row.expires_at else None
                if claim is not None:
                    await IdempotentRequests.finish(uow, claim, response)
                await uow.commit()
            return response

        if not idempotency_key:
            return _voucher(await work(None))
        fields = {"amount": amount, "currency": currency, "reason": reason}
        key = domain.idempotency_key(idempotency_key)
        response, _ = await self.requests.run(
            f"{principal.subject}:voucher", key, self.requests.request_hash(fields), work
        )
        return _voucher(response)

    async def get_voucher(self, code: str) -> Voucher:
        require()
        code = domain.free_text(code, "code", 64).upper()
        async with reading(self.db) as repo:
            row = await repo.voucher(code)
        if row is None:
            raise NotFound("no voucher with this code", field="code")
        return Voucher(row.code, row.amount_issued, row.balance, row.currency, row.reason, row.expires_at)


def _voucher(d: dict[str, Any]) -> Voucher:
    when = d.get("expires_at")
    return Voucher(
        d["code"],
        d["amount_issued"],
        d["balance"],
        d["currency"],
        d["reason"],
        datetime.fromisoformat(when) if when else None,
    )
