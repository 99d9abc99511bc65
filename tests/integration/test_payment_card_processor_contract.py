"""The CardProcessor port's contract, run against every adapter of the port (today the local
sandbox). A real provider's adapter must pass the same assertions (against its own test mode),
so the payment service may rely on exactly these behaviours."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from airline.payment import domain
from airline.payment.adapters import CARD_PROCESSORS, WALLET_PROVIDERS
from airline.payment.ports import CardProcessor, Outcome, ProviderError, WalletProvider
from airline.platform.runtime import RunningService

CHALLENGE_CODE = "246810"
# Each adapter's documented test cards for these outcomes (a real adapter maps its own).
TEST_CARDS: dict[str, dict[Outcome, str]] = {
    "sandbox": {
        Outcome.APPROVED: "4242424242424242",
        Outcome.DECLINED: "4000000000000002",
        Outcome.INSUFFICIENT_FUNDS: "4000000000009995",
        Outcome.CHALLENGE_REQUIRED: "4000000000003220",
    }
}
TEST_WALLETS: dict[str, tuple[str, dict[Outcome, str]]] = {
    "sandbox": (
        "paypal",
        {
            Outcome.APPROVED: "ada@example.com",
            Outcome.DECLINED: "decline@example.com",
            Outcome.INSUFFICIENT_FUNDS: "insufficient@example.com",
        },
    )
}


@pytest.fixture(params=sorted(CARD_PROCESSORS))
def processor(request: pytest.FixtureRequest, services: dict[str, RunningService]) -> tuple[str, CardProcessor]:
    make: Callable[..., Any] = CARD_PROCESSORS[request.param]
    return request.param, make(services["payment"].runtime.db.engine, CHALLENGE_CODE)


@pytest.fixture(params=sorted(WALLET_PROVIDERS))
def wallet(request: pytest.FixtureRequest, services: dict[str, RunningService]) -> tuple[str, WalletProvider]:
    return request.param, WALLET_PROVIDERS[request.param](services["payment"].runtime.db.engine)


def ref() -> str:
    return str(uuid.uuid4())


async def _authorise(
    processor: tuple[str, CardProcessor], outcome: Outcome, amount: int = 5_000, idem: str | None = None
):  # type: ignore[no-untyped-def]
    name, p = processor
    card = domain.new_card(TEST_CARDS[name][outcome], 12, date.today().year + 2, "123", "Ada", date.today())
    token = await p.tokenize(card)
    return token, await p.authorise(token.token, amount, "EUR", idem or ref())


async def test_tokenize_keeps_no_card_number_or_cvc(processor) -> None:  # type: ignore[no-untyped-def]
    name, p = processor
    number = TEST_CARDS[name][Outcome.APPROVED]
    token = await p.tokenize(domain.new_card(number, 12, date.today().year + 2, "987", "Ada", date.today()))
    assert token.token and number not in token.token and "987" not in token.token
    assert (token.last4, token.brand) == (number[-4:], "visa")


@pytest.mark.parametrize(
    "outcome", [Outcome.APPROVED, Outcome.DECLINED, Outcome.INSUFFICIENT_FUNDS, Outcome.CHALLENGE_REQUIRED]
)
async def test_each_test_card_gives_its_outcome(processor, outcome) -> None:  # type: ignore[no-untyped-def]
    _, result = await _authorise(processor, outcome)
    assert result.outcome is outcome
    assert result.authorisation_id
    assert result.approved == (outcome is Outcome.APPROVED)


async def test_authorise_is_idempotent_by_ref(processor) -> None:  # type: ignore[no-untyped-def]
    same = ref()
    token, first = await _authorise(processor, Outcome.APPROVED, idem=same)
    again = await processor[1].authorise(token.token, 5_000, "EUR", same)
    assert again.authorisation_id == first.authorisation_id and again.approved
    # a different card tokenized on the retry (a new token) still finds the first authorisation
    _, third = await _authorise(processor, Outcome.APPROVED, idem=same)
    assert third.authorisation_id == first.authorisation_id
    with pytest.raises(ProviderError):
        await processor[1].authorise(token.token, 5_001, "EUR", same)  # the ref belongs to another amount


async def test_challenge_with_the_right_code_approves_and_a_wrong_code_fails(processor) -> None:  # type: ignore[no-untyped-def]
    _, a = await _authorise(processor, Outcome.CHALLENGE_REQUIRED)
    assert (await processor[1].complete_challenge(a.authorisation_id, CHALLENGE_CODE)).approved
    assert (await processor[1].complete_challenge(a.authorisation_id, CHALLENGE_CODE)).approved  # repeatable
    _, b = await _authorise(processor, Outcome.CHALLENGE_REQUIRED)
    failed = await processor[1].complete_challenge(b.authorisation_id, "000000")
    assert failed.outcome is Outcome.AUTHENTICATION_FAILED
    assert (
        await processor[1].complete_challenge(b.authorisation_id, CHALLENGE_CODE)
    ).outcome is Outcome.AUTHENTICATION_FAILED


async def test_capture_within_the_authorisation_once_and_idempotently(processor) -> None:  # type: ignore[no-untyped-def]
    _, a = await _authorise(processor, Outcome.APPROVED, amount=5_000)
    p = processor[1]
    with pytest.raises(ProviderError):
        await p.capture(a.authorisation_id, 5_001, ref())
    cap = ref()
    assert (await p.capture(a.authorisation_id, 4_000, cap)).approved
    assert (await p.capture(a.authorisation_id, 4_000, cap)).approved  # a repeat of the same capture
    with pytest.raises(ProviderError):
        await p.capture(a.authorisation_id, 1_000, ref())  # a second capture
    with pytest.raises(ProviderError):
        await p.void(a.authorisation_id, ref())  # captured: refund instead


async def test_declined_authorisations_cannot_be_captured(processor) -> None:  # type: ignore[no-untyped-def]
    _, a = await _authorise(processor, Outcome.DECLINED)
    with pytest.raises(ProviderError):
        await processor[1].capture(a.authorisation_id, 100, ref())


async def test_void_then_no_capture(processor) -> None:  # type: ignore[no-untyped-def]
    _, a = await _authorise(processor, Outcome.APPROVED)
    v = ref()
    assert (await processor[1].void(a.authorisation_id, v)).approved
    assert (await processor[1].void(a.authorisation_id, v)).approved
    with pytest.raises(ProviderError):
        await processor[1].capture(a.authorisation_id, 100, ref())


async def test_refunds_are_partial_idempotent_and_capped_at_the_capture(processor) -> None:  # type: ignore[no-untyped-def]
    _, a = await _authorise(processor, Outcome.APPROVED, amount=5_000)
    p = processor[1]
    await p.capture(a.authorisation_id, 5_000, ref())
    r1 = ref()
    assert (await p.refund(a.authorisation_id, 3_000, r1)).approved
    assert (await p.refund(a.authorisation_id, 3_000, r1)).approved  # the same refund, not a second one
    with pytest.raises(ProviderError):
        await p.refund(a.authorisation_id, 2_001, ref())
    assert (await p.refund(a.authorisation_id, 2_000, ref())).approved
    with pytest.raises(ProviderError):
        await p.refund(a.authorisation_id, 1, ref())


async def test_unknown_authorisations_are_refused(processor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProviderError):
        await processor[1].capture("auth_does_not_exist", 100, ref())


@pytest.mark.parametrize("outcome", [Outcome.APPROVED, Outcome.DECLINED, Outcome.INSUFFICIENT_FUNDS])
async def test_wallet_outcomes_and_idempotency(wallet, outcome) -> None:  # type: ignore[no-untyped-def]
    name, w = wallet
    provider, accounts = TEST_WALLETS[name]
    assert w.supports(provider) and not w.supports("no-such-wallet")
    same = ref()
    first = await w.authorise(provider, accounts[outcome], 2_000, "EUR", same)
    again = await w.authorise(provider, accounts[outcome], 2_000, "EUR", same)
    assert first.outcome is outcome and again.authorisation_id == first.authorisation_id
    if first.approved:
        assert (await w.capture(first.authorisation_id, 2_000, same)).approved
        assert (await w.refund(first.authorisation_id, 2_000, same)).approved
