"""Payment use cases: authorise (card, e-wallet, bank transfer, voucher), 3-D Secure, capture,
void, refund, bank-transfer confirmation, vouchers; each state change commits with its events.

Charging once: authorise and refund run through idempotency.py, under a payment (or refund)
id fixed when the key is claimed; that id is the `idempotency_ref` the provider is asked with,
so a retry after the provider charged but before our commit gets the same authorisation back,
not a second charge, and the answer is stored in the transaction of the payment it describes.

Card numbers and CVCs stay in memory: tokenized through the processor, then dropped. Nothing
here logs them, and the request hash is keyed (HMAC), so it is no guessable digest of a card.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from typing import Any

from airline.contracts.events import EventType
from airline.contracts.events import payment as payment_events
from airline.payment import domain
from airline.payment.client import PaymentMethod
from airline.payment.domain import Card, Method, Payment, Refund, Status
from airline.payment.idempotency import Claim, IdempotentRequests
from airline.payment.ports import (
    CardProcessor,
    Outcome,
    ProviderError,
    ProviderResult,
    ProviderUnavailable,
    WalletProvider,
)
from airline.payment.settings import PaymentSettings
from airline.payment.store import PaymentRepository, payment_from_json, payment_json, reading
from airline.payment.vouchers import Voucher, VoucherUseCases, new_code, usable_balance, voucher_code, voucher_part
from airline.platform.auth import Principal, Role, require
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.errors import Conflict, NotFound, PermissionDenied, Unavailable, ValidationFailed
from airline.platform.ids import is_uuid

log = logging.getLogger(__name__)

_EVENT_OF_STATUS: dict[Status, EventType[Any]] = {
    Status.AUTHORISED: payment_events.PAYMENT_AUTHORISED,
    Status.CAPTURED: payment_events.PAYMENT_CAPTURED,
    Status.PARTIALLY_REFUNDED: payment_events.PAYMENT_REFUNDED,
    Status.REFUNDED: payment_events.PAYMENT_REFUNDED,
    Status.FAILED: payment_events.PAYMENT_FAILED,
    Status.VOIDED: payment_events.PAYMENT_VOIDED,
    Status.PENDING: payment_events.PAYMENT_PENDING,
}
STAFF_WHO_SEE_ALL = (Role.CS, Role.OPS, Role.SYSTEM)
OPERATORS = (Role.CS, Role.OPS, Role.SYSTEM)


@dataclass(frozen=True)
class AuthoriseCommand:
    idempotency_key: str
    reference: str
    amount: int
    currency: str
    method: Method
    capture: bool = False
    # the card or e-wallet, when the method is one, and a voucher part beside it (or alone)
    payer: PaymentMethod = PaymentMethod()
    voucher_code: str = ""  # method voucher (the whole amount, the older form)
    on_behalf_of: str = ""

    def __repr__(self) -> str:  # never the card
        return f"AuthoriseCommand(reference={self.reference!r}, amount={self.amount}, method={self.method.value})"


def _payload(p: Payment, **extra: Any) -> dict[str, Any]:
    return {
        "payment_id": p.id,
        "reference": p.reference,
        "owner": p.owner,
        "status": p.status.value,
        "method": p.method.value,
        "amount": p.amount,
        "currency": p.currency,
        "captured_amount": p.captured_amount,
        "refunded_amount": p.refunded_amount,
        "card_brand": p.card_brand,
        "card_last4": p.card_last4,
        "failure_code": p.failure_code,
        "voucher_amount": p.voucher_amount,
        **extra,
    }


async def _emit(uow: UnitOfWork, p: Payment, **extra: Any) -> None:
    event = _EVENT_OF_STATUS.get(p.status)
    if event is not None:
        await uow.emit_event(event, p.reference, _payload(p, **extra))


__all__ = ["AuthoriseCommand", "PaymentService", "Voucher"]


class PaymentService(VoucherUseCases):
    def __init__(
        self,
        db: ServiceDatabase,
        cards: CardProcessor,
        wallets: WalletProvider,
        settings: PaymentSettings,
        hash_key: bytes,
    ) -> None:
        self.db = db
        self.cards = cards
        self.wallets = wallets
        self.settings = settings
        self.requests = IdempotentRequests(db, settings, hash_key)

    def request_hash(self, fields: dict[str, Any]) -> str:
        return self.requests.request_hash(fields)

    async def forget_old_keys(self) -> int:
        return await self.requests.forget_old()

    # ------------------------------------------------------------ providers

    async def _call(self, operation: Awaitable[ProviderResult]) -> ProviderResult:
        try:
            return await operation
        except ProviderUnavailable as e:
            raise Unavailable(
                "the payment provider did not answer; retry with the same Idempotency-Key", code="provider_unavailable"
            ) from e
        except ProviderError as e:
            raise Conflict(f"the payment provider refused: {e}", code="provider_refused") from e

    def _provider(self, p: Payment) -> CardProcessor | WalletProvider | None:
        return {Method.CARD: self.cards, Method.E_WALLET: self.wallets}.get(p.method)

    # ------------------------------------------------------------ authorise

    async def authorise(self, cmd: AuthoriseCommand) -> tuple[Payment, bool]:
        principal = require()
        owner = principal.subject
        if cmd.on_behalf_of:
            if principal.role is not Role.SYSTEM:
                raise PermissionDenied("only a service may pay on behalf of someone else")
            owner = cmd.on_behalf_of
        key = domain.idempotency_key(cmd.idempotency_key)
        reference = domain.reference(cmd.reference)
        system = principal.role is Role.SYSTEM
        if not system and domain.reserved_reference(reference):
            raise PermissionDenied(
                "this reference belongs to a booking: pay for a booking through the booking (POST /bookings/{id}/pay)",
                code="reference_reserved",
            )
        origin = domain.origin_of(system, principal.subject)
        amount, currency = domain.money(cmd.amount, cmd.currency)
        card: Card | None = None
        if cmd.method is Method.CARD:
            card = domain.new_card(
                cmd.payer.card_number,
                cmd.payer.card_exp_month,
                cmd.payer.card_exp_year,
                cmd.payer.card_cvc,
                cmd.payer.card_holder,
                utcnow().date(),
            )
        elif cmd.method is Method.E_WALLET:
            domain.free_text(cmd.payer.wallet_account, "e_wallet.account", 254)
            if not self.wallets.supports(cmd.payer.wallet_provider):
                raise ValidationFailed(
                    f"unknown e-wallet provider {cmd.payer.wallet_provider!r}", field="e_wallet.provider"
                )
            if not 3 <= len(cmd.payer.wallet_account.strip()) <= 254:
                raise ValidationFailed("the e-wallet account must be 3-254 characters", field="e_wallet.account")
        elif cmd.method is Method.VOUCHER and not cmd.payer.voucher_code:
            voucher_code(cmd.voucher_code)
        if cmd.payer.voucher_code:
            if cmd.method not in (Method.CARD, Method.E_WALLET, Method.VOUCHER):
                raise ValidationFailed("a voucher pays beside a card or e-wallet only", field="voucher")
            voucher_code(cmd.payer.voucher_code)
        fields = {
            "reference": reference,
            "amount": amount,
            "currency": currency,
            "method": cmd.method.value,
            "capture": cmd.capture,
            "owner": owner,
            "card_number": card.number if card else "",
            "card_exp": [cmd.payer.card_exp_month, cmd.payer.card_exp_year],
            "card_cvc": cmd.payer.card_cvc,
            "card_holder": cmd.payer.card_holder,
            "wallet": [cmd.payer.wallet_provider, cmd.payer.wallet_account],
            "voucher": cmd.voucher_code.strip().upper(),
            "voucher_part": [cmd.payer.voucher_code.strip().upper(), cmd.payer.voucher_amount],
            "origin": origin,
        }

        async def work(claim: Claim) -> dict[str, Any]:
            base = Payment(
                id=claim.resource_id,
                reference=reference,
                owner=owner,
                method=cmd.method,
                status=Status.AUTHORISED,
                amount=amount,
                currency=currency,
                capture_requested=cmd.capture,
                origin=origin,
            )
            return payment_json(await self._authorise(claim, await self._voucher_part(base, cmd), card, cmd))

        response, replayed = await self.requests.run(
            f"{principal.subject}:authorise", key, self.request_hash(fields), work
        )
        return payment_from_json(response), replayed

    async def _voucher_part(self, p: Payment, cmd: AuthoriseCommand) -> Payment:
        """The voucher's part of the payment, checked (not yet taken); the voucher alone (no
        card charged) when it covers the total."""
        if p.method is Method.VOUCHER and not cmd.payer.voucher_code:  # all of it, or fails as declined
            code = voucher_code(cmd.voucher_code)
            async with reading(self.db) as repo:
                await usable_balance(repo, code, p.currency)
            return replace(p, voucher_code=code, voucher_amount=p.amount)
        if not cmd.payer.voucher_code:
            return p
        code = voucher_code(cmd.payer.voucher_code)
        rest_payable = p.method is not Method.VOUCHER
        async with reading(self.db) as repo:
            part = await voucher_part(repo, code, p.currency, p.amount, cmd.payer.voucher_amount, rest_payable)
        method = Method.VOUCHER if part == p.amount else p.method
        return replace(p, method=method, voucher_code=code, voucher_amount=part)

    async def _authorise(self, claim: Claim, p: Payment, card: Card | None, cmd: AuthoriseCommand) -> Payment:
        if p.method is Method.CARD:
            assert card is not None
            token = await self.cards.tokenize(card)
            p = replace(
                p,
                card_brand=token.brand,
                card_last4=token.last4,
                card_exp_month=token.exp_month,
                card_exp_year=token.exp_year,
                processor_token=token.token,
            )
            result = await self._call(self.cards.authorise(token.token, p.card_amount, p.currency, p.id))
            p = await self._after_authorisation(p, result, capture=False)
        elif p.method is Method.E_WALLET:
            result = await self._call(
                self.wallets.authorise(
                    cmd.payer.wallet_provider, cmd.payer.wallet_account.strip(), p.card_amount, p.currency, p.id
                )
            )
            p = replace(
                p,
                wallet_provider=cmd.payer.wallet_provider,
                wallet_account=domain.mask_account(cmd.payer.wallet_account.strip()),
            )
            p = await self._after_authorisation(p, result, capture=False)
        elif p.method is Method.BANK_TRANSFER:
            p = replace(p, status=Status.PENDING, transfer_reference="BT-" + new_code(2)[1:])
        async with self.db.uow() as uow:
            repo = PaymentRepository(uow.conn)
            if p.voucher_amount:
                p = await self._redeem(repo, p)
            saved = await repo.add(p)
            if saved.status is Status.CAPTURED:
                await uow.emit_event(payment_events.PAYMENT_AUTHORISED, saved.reference, _payload(saved))
            await _emit(uow, saved)
            await IdempotentRequests.finish(uow, claim, payment_json(saved))
            await uow.commit()
        return saved

    async def _after_authorisation(self, p: Payment, result: ProviderResult, *, capture: bool = True) -> Payment:
        """The card's answer; a sale's card part captured (`capture`: not before a voucher
        part beside it is taken, see _redeem)."""
        p = replace(p, authorisation_id=result.authorisation_id)
        if result.outcome is Outcome.CHALLENGE_REQUIRED:
            return replace(p, status=Status.REQUIRES_ACTION)
        if not result.approved:
            return replace(p, status=Status.FAILED, failure_code=result.outcome.value, failure_message=result.message)
        p = replace(p, status=Status.AUTHORISED)
        if p.capture_requested and (capture or not p.voucher_amount):
            p = await self._capture_card(p)
        return p

    async def _capture_card(self, p: Payment) -> Payment:
        provider = self._provider(p)
        assert provider is not None
        await self._call(provider.capture(p.authorisation_id, p.card_amount, p.id))
        return domain.captured(p, p.amount)

    async def _redeem(self, repo: PaymentRepository, p: Payment) -> Payment:
        """Takes the voucher part (vouchers.py): a failed card takes nothing; a voucher no longer
        holding the part (a concurrent payment spent it) fails the payment and voids its card."""
        if p.status not in (Status.AUTHORISED, Status.REQUIRES_ACTION):
            return p
        if await repo.redeem(p.voucher_code, p.voucher_amount, p.currency, p.id) is None:
            provider = self._provider(p)
            if provider is not None and p.authorisation_id:
                await self._call(provider.void(p.authorisation_id, p.id))
            return replace(
                p,
                status=Status.FAILED,
                failure_code=Outcome.INSUFFICIENT_FUNDS.value,
                failure_message="the voucher balance is too low",
            )
        if p.status is Status.AUTHORISED and p.capture_requested:
            return await self._capture_card(p) if p.card_amount else domain.captured(p, p.amount)
        return p

    # ------------------------------------------------------------ after authorisation

    def _sees_all(self, principal: Principal) -> bool:
        return principal.has(*STAFF_WHO_SEE_ALL)

    async def _visible(
        self, repo: PaymentRepository, payment_id: str, principal: Principal, *, lock: bool = False
    ) -> Payment:
        p = await repo.get(payment_id, lock=lock) if is_uuid(payment_id) else None
        # someone else's payment is "not found": its existence is not the caller's business
        if p is None or (not self._sees_all(principal) and p.owner != principal.subject):
            raise NotFound(f"no payment {payment_id}", field="payment_id")
        return p

    async def get(self, payment_id: str) -> Payment:
        principal = require()
        async with reading(self.db) as repo:
            return await self._visible(repo, payment_id, principal)

    async def list_by_reference(self, reference: str) -> list[Payment]:
        principal = require()
        reference = domain.reference(reference)
        async with reading(self.db) as repo:
            owner = None if self._sees_all(principal) else principal.subject
            return await repo.by_reference(reference, owner)

    async def complete_challenge(self, payment_id: str, code: str) -> Payment:
        principal = require()
        code = domain.free_text(code, "code", 32)
        if not code:
            raise ValidationFailed("the challenge code is required", field="code")
        async with reading(self.db) as repo:
            p = await self._visible(repo, payment_id, principal)
        if p.status is not Status.REQUIRES_ACTION:
            if p.status in (Status.AUTHORISED, Status.CAPTURED, Status.FAILED):
                return p  # already completed (a repeated submit)
            raise Conflict(f"a {p.status.value} payment has no challenge", code="invalid_payment_state")
        result = await self._call(self.cards.complete_challenge(p.authorisation_id, code))
        if result.approved:
            p = await self._after_authorisation(p, result)
        else:
            p = domain.failed(p, result.outcome.value, result.message)
        async with self.db.uow() as uow:
            repo = PaymentRepository(uow.conn)
            current = await repo.get(p.id, lock=True)
            assert current is not None
            if current.status is not Status.REQUIRES_ACTION:
                return current  # a concurrent completion got there first
            if p.status is Status.FAILED:
                await repo.restore(p.voucher_code, p.voucher_amount, p.id)
            saved = await repo.save(p)
            if saved.status is Status.CAPTURED:
                await uow.emit_event(payment_events.PAYMENT_AUTHORISED, saved.reference, _payload(saved))
            await _emit(uow, saved)
            await uow.commit()
        return saved

    async def capture(self, payment_id: str, amount: int | None) -> Payment:
        principal = require(*OPERATORS)
        async with self.db.uow() as uow:
            repo = PaymentRepository(uow.conn)
            p = await self._visible(repo, payment_id, principal, lock=True)
            if p.status in (Status.CAPTURED, Status.PARTIALLY_REFUNDED, Status.REFUNDED):
                if amount is None or amount == p.captured_amount:
                    return p  # captured already: a repeated capture changes nothing
                raise Conflict(f"the payment was already captured ({p.captured_amount})", code="already_captured")
            if p.method is Method.BANK_TRANSFER:
                raise Conflict(
                    "a bank transfer is captured when it is confirmed as received", code="invalid_payment_state"
                )
            if p.status is not Status.AUTHORISED:
                raise Conflict(f"a {p.status.value} payment cannot be captured", code="invalid_payment_state")
            take = domain.capture_amount(p, amount)
            card_take, voucher_back = domain.capture_split(p, take)
            provider = self._provider(p)
            if provider is not None and card_take:
                await self._call(provider.capture(p.authorisation_id, card_take, p.id))
            elif provider is not None:
                await self._call(provider.void(p.authorisation_id, p.id))  # the voucher part alone
            if voucher_back:  # a voucher payment captured in part: the rest back to the voucher
                await repo.restore(p.voucher_code, voucher_back, p.id)
                p = replace(p, voucher_amount=p.voucher_amount - voucher_back)
            saved = await repo.save(domain.captured(p, take))
            await _emit(uow, saved)
            await uow.commit()
        return saved

    async def void(self, payment_id: str) -> Payment:
        principal = require(*OPERATORS)
        async with self.db.uow() as uow:
            repo = PaymentRepository(uow.conn)
            p = await self._visible(repo, payment_id, principal, lock=True)
            if p.status is Status.VOIDED:
                return p
            after = domain.voided(p)  # Conflict unless requires_action, pending or authorised
            provider = self._provider(p)
            if provider is not None and p.authorisation_id:
                await self._call(provider.void(p.authorisation_id, p.id))
            if p.voucher_amount and p.status is not Status.PENDING:
                await repo.restore(p.voucher_code, p.voucher_amount, p.id)
            saved = await repo.save(after)
            await _emit(uow, saved)
            await uow.commit()
        return saved

    async def confirm_bank_transfer(self, payment_id: str) -> Payment:
        principal = require(Role.CS, Role.OPS)
        async with self.db.uow() as uow:
            repo = PaymentRepository(uow.conn)
            p = await self._visible(repo, payment_id, principal, lock=True)
            if p.method is not Method.BANK_TRANSFER:
                raise Conflict("this payment is not a bank transfer", code="not_a_bank_transfer")
            if p.status is Status.CAPTURED:
                return p
            if p.status is not Status.PENDING:
                raise Conflict(f"a {p.status.value} bank transfer cannot be confirmed", code="invalid_payment_state")
            saved = await repo.save(domain.captured(p, p.amount))
            await _emit(uow, saved)
            await uow.commit()
        return saved

    async def refund(
        self, payment_id: str, amount: int | None, reason: str, idempotency_key: str
    ) -> tuple[Payment, Refund, bool]:
        principal = require(*OPERATORS)
        key = domain.idempotency_key(idempotency_key)
        reason = domain.free_text(reason, "reason", 500)
        if not is_uuid(payment_id):
            raise NotFound(f"no payment {payment_id}", field="payment_id")
        fields = {"payment_id": payment_id, "amount": amount, "reason": reason}

        async def work(claim: Claim) -> dict[str, Any]:
            async with self.db.uow() as uow:
                repo = PaymentRepository(uow.conn)
                p = await self._visible(repo, payment_id, principal, lock=True)
                take = domain.refund_amount(p, amount)
                to_card, to_voucher = domain.refund_split(p, take)  # the card part first
                refund = Refund(claim.resource_id, p.id, take, reason, voucher_amount=to_voucher)
                provider = self._provider(p)
                if provider is not None and to_card:
                    await self._call(provider.refund(p.authorisation_id, to_card, refund.id))
                await repo.restore(p.voucher_code, to_voucher, p.id)
                # a bank transfer is paid back by hand from the recorded refund
                domain.refunded(p, refund)  # the rules, before anything is written
                await repo.add_refund(refund)
                saved = await repo.save(domain.refunded(p, refund))
                await _emit(
                    uow,
                    saved,
                    refund_id=refund.id,
                    refund_amount=take,
                    refund_voucher_amount=to_voucher,
                    refunded_by=principal.role.value,
                    refunded_by_subject=principal.subject,
                    refund_reason=reason,
                )
                response = {"payment": payment_json(saved), "refund_id": refund.id}
                await IdempotentRequests.finish(uow, claim, response)
                await uow.commit()
            return response

        response, replayed = await self.requests.run(
            f"{principal.subject}:refund", key, self.request_hash(fields), work
        )
        p = payment_from_json(response["payment"])
        refund = next(r for r in p.refunds if r.id == response["refund_id"])
        return p, refund, replayed
