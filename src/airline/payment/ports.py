"""Ports to the payment providers we cannot reach from here (card networks, e-wallets).

Every call that moves money carries an `idempotency_ref` chosen by us (the payment or refund
id): a provider asked twice with the same ref answers with the same result and moves the
money once. That is what lets a crashed or retried payment re-ask the provider instead of
charging twice.

Adapters live in `airline.payment.adapters`; the contract test
(tests/integration/test_payment_card_processor_contract.py) runs against each of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from airline.payment.domain import Card


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "card_declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    CHALLENGE_REQUIRED = "challenge_required"
    AUTHENTICATION_FAILED = "authentication_failed"


@dataclass(frozen=True)
class CardToken:
    """What is kept of a card: never the number, never the CVC."""

    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class ProviderResult:
    outcome: Outcome
    authorisation_id: str = ""
    message: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def approved(self) -> bool:
        return self.outcome is Outcome.APPROVED


class ProviderError(Exception):
    """The provider refused an operation as invalid (e.g. capture more than authorised)."""


class ProviderUnavailable(Exception):
    """The provider could not be reached or did not answer; the operation may or may not have
    happened there, so retry with the same idempotency_ref."""


class CardProcessor(Protocol):
    name: str

    async def tokenize(self, card: Card) -> CardToken: ...

    async def authorise(self, token: str, amount: int, currency: str, idempotency_ref: str) -> ProviderResult: ...

    async def complete_challenge(self, authorisation_id: str, code: str) -> ProviderResult: ...

    async def capture(self, authorisation_id: str, amount: int, idempotency_ref: str) -> ProviderResult: ...

    async def void(self, authorisation_id: str, idempotency_ref: str) -> ProviderResult: ...

    async def refund(self, authorisation_id: str, amount: int, idempotency_ref: str) -> ProviderResult: ...


class WalletProvider(Protocol):
    name: str

    def supports(self, provider: str) -> bool: ...

    async def authorise(
        self, provider: str, account: str, amount: int, currency: str, idempotency_ref: str
    ) -> ProviderResult: ...

    async def capture(self, authorisation_id: str, amount: int, idempotency_ref: str) -> ProviderResult: ...

    async def void(self, authorisation_id: str, idempotency_ref: str) -> ProviderResult: ...

    async def refund(self, authorisation_id: str, amount: int, idempotency_ref: str) -> ProviderResult: ...
