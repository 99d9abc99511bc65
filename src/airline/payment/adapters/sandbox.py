"""Sandbox payment providers: local, deterministic stand-ins for a card network and e-wallets.

Nothing leaves this machine and no real money moves. They keep their own records (a token
vault and a ledger, in the `sandbox_cards` / `sandbox_ledger` tables of the payment schema)
the way a real provider keeps its own: in their own transactions, independent of the
payment service's, and idempotent by the `idempotency_ref` the service passes.

Test cards (any future expiry, any CVC of the right length, any holder name):

    4242 4242 4242 4242   approved
    4000 0000 0000 0002   declined                          (failure code card_declined)
    4000 0000 0000 9995   declined for insufficient funds   (failure code insufficient_funds)
    4000 0000 0000 3220   needs a 3-D Secure challenge: the payment waits in requires_action
                          until CompleteChallenge with the sandbox code
                          (AIRLINE_PAYMENT_SANDBOX_CHALLENGE_CODE, default 123456); a wrong
                          code fails it (authentication_failed)
    any other Luhn-valid number   approved

Test e-wallet accounts (providers: paypal, apple_pay, google_pay): an account containing
"decline" is declined, one containing "insufficient" lacks funds, any other is approved.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airline.payment.domain import Card
from airline.payment.ports import CardToken, Outcome, ProviderError, ProviderResult
from airline.payment.store import sandbox_cards, sandbox_ledger

TEST_CARDS = {
    "4242424242424242": "approve",
    "4000000000000002": "decline",
    "4000000000009995": "insufficient_funds",
    "4000000000003220": "challenge",
}
WALLET_PROVIDERS = frozenset({"paypal", "apple_pay", "google_pay"})

_OUTCOME_OF_SCENARIO = {
    "approve": Outcome.APPROVED,
    "decline": Outcome.DECLINED,
    "insufficient_funds": Outcome.INSUFFICIENT_FUNDS,
    "challenge": Outcome.CHALLENGE_REQUIRED,
}
_MESSAGES = {
    Outcome.APPROVED: "",
    Outcome.DECLINED: "the card was declined",
    Outcome.INSUFFICIENT_FUNDS: "the account has insufficient funds",
    Outcome.CHALLENGE_REQUIRED: "the card issuer asks for a 3-D Secure challenge",
    Outcome.AUTHENTICATION_FAILED: "the 3-D Secure challenge failed",
}


def _result(outcome: str, authorisation_id: str) -> ProviderResult:
    o = Outcome(outcome)
    return ProviderResult(o, authorisation_id, _MESSAGES[o])


class _SandboxLedger:
    """Authorisation, capture, void and refund bookkeeping shared by the sandbox providers."""

    provider = "sandbox"

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def _record(
        self,
        conn: AsyncConnection,
        ref: str,
        operation: str,
        authorisation_id: str,
        amount: int,
        currency: str,
        outcome: str,
    ) -> sa.Row:  # type: ignore[type-arg]
        """The ledger line for `ref`: written now, or the one an earlier call wrote."""
        await conn.execute(
            insert(sandbox_ledger)
            .values(
                ref=ref,
                provider=self.provider,
                operation=operation,
                authorisation_id=authorisation_id,
                amount=amount,
                currency=currency,
                outcome=outcome,
            )
            .on_conflict_do_nothing()
        )
        row = (await conn.execute(sa.select(sandbox_ledger).where(sandbox_ledger.c.ref == ref))).one()
        if row.operation != operation or (row.amount != amount and operation != "void"):
            raise ProviderError("this idempotency ref was used for a different operation")
        return row

    async def _authorisation(self, conn: AsyncConnection, authorisation_id: str) -> sa.Row:  # type: ignore[type-arg]
        row = (
            await conn.execute(
                sa.select(sandbox_ledger)
                .where(sandbox_ledger.c.authorisation_id == authorisation_id, sandbox_ledger.c.operation == "authorise")
                .with_for_update()  # one money movement per authorisation at a time
            )
        ).first()
        if row is None:
            raise ProviderError("unknown authorisation")
        return row

    async def _sum(self, conn: AsyncConnection, authorisation_id: str, operation: str) -> int:
        return int(
            (
                await conn.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(sandbox_ledger.c.amount), 0)).where(
                        sandbox_ledger.c.authorisation_id == authorisation_id, sandbox_ledger.c.operation == operation
                    )
                )
            ).scalar_one()
        )

    async def _authorise(self, ref: str, amount: int, currency: str, outcome: Outcome) -> ProviderResult:
        async with self.engine.begin() as conn:
            row = await self._record(
                conn, f"authorise:{ref}", "authorise", "auth_" + secrets.token_hex(12), amount, currency, outcome.value
            )
        return _result(row.outcome, row.authorisation_id)

    async def capture(self, authorisation_id: str, amount: int, idempotency_ref: str) -> ProviderResult:
        async with self.engine.begin() as conn:
            auth = await self._authorisation(conn, authorisation_id)
            existing = (
                (
                    await conn.execute(
                        sa.select(sandbox_ledger.c.ref).where(
                            sandbox_ledger.c.authorisation_id == authorisation_id,
                            sandbox_ledger.c.operation.in_(("capture", "void")),
                        )
                    )
                )
                .scalars()
                .all()
            )
            if existing and existing != [f"capture:{idempotency_ref}"]:
                raise ProviderError("this authorisation was already captured or voided")
            if auth.outcome != Outcome.APPROVED:
                raise ProviderError("only an approved authorisation can be captured")
            if not 0 < amount <= auth.amount:
                raise ProviderError("the capture amount must be within the authorised amount")
            await self._record(
                conn,
                f"capture:{idempotency_ref}",
                "capture",
                authorisation_id,
                amount,
                auth.currency,
                Outcome.APPROVED.value,
            )
        return _result(Outcome.APPROVED, authorisation_id)

    async def void(self, authorisation_id: str, idempotency_ref: str) -> ProviderResult:
        async with self.engine.begin() as conn:
            auth = await self._authorisation(conn, authorisation_id)
            if await self._sum(conn, authorisation_id, "capture"):
                raise ProviderError("a captured authorisation cannot be voided; refund it")
            await self._record(
                conn, f"void:{idempotency_ref}", "void", authorisation_id, 0, auth.currency, Outcome.APPROVED.value
            )
        return _result(Outcome.APPROVED, authorisation_id)

    async def refund(self, authorisation_id: str, amount: int, idempotency_ref: str) -> ProviderResult:
        async with self.engine.begin() as conn:
            auth = await self._authorisation(conn, authorisation_id)
            ref = f"refund:{idempotency_ref}"
            done = (await conn.execute(sa.select(sandbox_ledger.c.ref).where(sandbox_ledger.c.ref == ref))).first()
            if done is None:
                captured = await self._sum(conn, authorisation_id, "capture")
                refunded = await self._sum(conn, authorisation_id, "refund")
                if not 0 < amount <= captured - refunded:
                    raise ProviderError("refunds may not exceed the captured amount")
            await self._record(conn, ref, "refund", authorisation_id, amount, auth.currency, Outcome.APPROVED.value)
        return _result(Outcome.APPROVED, authorisation_id)

    async def charges(self, idempotency_ref: str) -> int:
        """How many approved authorisations the sandbox holds for a ref (tests count charges)."""
        async with self.engine.connect() as conn:
            return int(
                (
                    await conn.execute(
                        sa.select(sa.func.count())
                        .select_from(sandbox_ledger)
                        .where(
                            sandbox_ledger.c.ref == f"authorise:{idempotency_ref}",
                            sandbox_ledger.c.outcome == Outcome.APPROVED.value,
                        )
                    )
                ).scalar_one()
            )


class SandboxCardProcessor(_SandboxLedger):
    """The local card processor (see the module docstring for its test cards)."""

    name = "sandbox"
    provider = "sandbox_card"

    def __init__(self, engine: AsyncEngine, challenge_code: str = "123456") -> None:
        super().__init__(engine)
        self.challenge_code = challenge_code

    async def tokenize(self, card: Card) -> CardToken:
        random = secrets.token_hex(16)
        # a random token that happens to spell the CVC would look as if it kept it: draw again
        while card.cvc and card.cvc in random:
            random = secrets.token_hex(16)
        token = CardToken("tok_sandbox_" + random, card.brand, card.last4, card.exp_month, card.exp_year)
        async with self.engine.begin() as conn:
            await conn.execute(
                sandbox_cards.insert().values(
                    token=token.token,
                    brand=token.brand,
                    last4=token.last4,
                    exp_month=token.exp_month,
                    exp_year=token.exp_year,
                    scenario=TEST_CARDS.get(card.number, "approve"),
                )
            )
        return token

    async def authorise(self, token: str, amount: int, currency: str, idempotency_ref: str) -> ProviderResult:
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")  # one read: no BEGIN/ROLLBACK
            scenario = (
                await conn.execute(sa.select(sandbox_cards.c.scenario).where(sandbox_cards.c.token == token))
            ).scalar_one_or_none()
        if scenario is None:
            raise ProviderError("unknown card token")
        return await self._authorise(idempotency_ref, amount, currency, _OUTCOME_OF_SCENARIO[scenario])

    async def complete_challenge(self, authorisation_id: str, code: str) -> ProviderResult:
        async with self.engine.begin() as conn:
            auth = await self._authorisation(conn, authorisation_id)
            outcome = auth.outcome
            if outcome == Outcome.CHALLENGE_REQUIRED:
                ok = secrets.compare_digest(code.encode(), self.challenge_code.encode())
                outcome = (Outcome.APPROVED if ok else Outcome.AUTHENTICATION_FAILED).value
                await conn.execute(
                    sandbox_ledger.update().where(sandbox_ledger.c.ref == auth.ref).values(outcome=outcome)
                )
        return _result(outcome, authorisation_id)


class SandboxWallet(_SandboxLedger):
    """The local e-wallet provider (see the module docstring for its test accounts)."""

    name = "sandbox"
    provider = "sandbox_wallet"

    def supports(self, provider: str) -> bool:
        return provider in WALLET_PROVIDERS

    async def authorise(
        self, provider: str, account: str, amount: int, currency: str, idempotency_ref: str
    ) -> ProviderResult:
        if not self.supports(provider):
            raise ProviderError(f"unknown e-wallet provider {provider!r}")
        lowered = account.lower()
        outcome = (
            Outcome.DECLINED
            if "decline" in lowered
            else Outcome.INSUFFICIENT_FUNDS
            if "insufficient" in lowered
            else Outcome.APPROVED
        )
        return await self._authorise(idempotency_ref, amount, currency, outcome)
