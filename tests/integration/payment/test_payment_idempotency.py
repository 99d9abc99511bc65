"""Idempotency of the payment service, through its real gRPC server and PostgreSQL: replays,
a key reused for another request, keys per caller, 20 concurrent identical requests -> one charge,
a crash between the provider's charge and our commit, a dead worker's claim, retention."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
import sqlalchemy as sa

from airline.payment.adapters.sandbox import SandboxCardProcessor
from airline.payment.bootstrap import build_service
from airline.payment.client import PaymentMethod
from airline.payment.domain import Method
from airline.payment.ports import ProviderUnavailable
from airline.payment.service import AuthoriseCommand
from airline.payment.settings import PaymentSettings
from airline.payment.store import idempotency_keys
from airline.payment.v1 import payment_pb2 as pb
from airline.platform.auth import Principal, Role, current_principal
from tests.support.payment import DECLINE, OK, charges_for_reference, error_code, expect, ledger, pay

# ----------------------------------------------------------------------------- idempotency


async def test_a_replay_returns_the_first_answer_and_charges_once(stub, passenger, payment_service) -> None:  # type: ignore[no-untyped-def]
    request = pay(OK, key="replay-" + uuid.uuid4().hex)
    first = await stub.AuthorisePayment(request, metadata=passenger)
    second = await stub.AuthorisePayment(request, metadata=passenger)
    assert second.replayed and not first.replayed
    assert second.payment == first.payment
    assert await charges_for_reference(payment_service, request.reference) == 1
    # also for a decline: the same failed payment, not a second attempt
    declined = pay(DECLINE)
    a = await stub.AuthorisePayment(declined, metadata=passenger)
    b = await stub.AuthorisePayment(declined, metadata=passenger)
    assert a.payment == b.payment and b.replayed


async def test_the_same_key_with_a_different_request_is_refused(stub, passenger) -> None:  # type: ignore[no-untyped-def]
    request = pay(OK)
    await stub.AuthorisePayment(request, metadata=passenger)
    changed = pb.AuthorisePaymentRequest()
    changed.CopyFrom(request)
    changed.amount += 1
    e = await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.AuthorisePayment(changed, metadata=passenger))
    assert error_code(e) == "idempotency_key_reused"
    other_card = pb.AuthorisePaymentRequest()
    other_card.CopyFrom(request)
    other_card.card.cvc = "999"
    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.AuthorisePayment(other_card, metadata=passenger))


async def test_keys_belong_to_their_caller(stub, as_role) -> None:  # type: ignore[no-untyped-def]
    request = pay(OK)
    a = await stub.AuthorisePayment(request, metadata=as_role(Role.PASSENGER))
    b = await stub.AuthorisePayment(request, metadata=as_role(Role.PASSENGER))
    assert a.payment.id != b.payment.id and not b.replayed


async def test_twenty_concurrent_identical_requests_charge_once(stub, as_role, payment_service) -> None:  # type: ignore[no-untyped-def]
    who = as_role(Role.PASSENGER)
    request = pay(OK, key="burst-" + uuid.uuid4().hex, capture=True)
    replies = await asyncio.gather(*(stub.AuthorisePayment(request, metadata=who) for _ in range(20)))
    assert len({r.payment.id for r in replies}) == 1
    assert sum(not r.replayed for r in replies) == 1
    assert all(r.payment.status == "captured" for r in replies)
    assert await charges_for_reference(payment_service, request.reference) == 1
    assert [op for op, _, _ in await ledger(payment_service, replies[0].payment.id)] == ["authorise", "capture"]


class _ChargesThenDies:
    """A processor whose answer is lost after it charged (the crash between its charge and
    our commit): the real sandbox works, then the call fails."""

    def __init__(self, inner: SandboxCardProcessor) -> None:
        self.inner = inner
        self.name = inner.name
        self.fail_next = True

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)

    async def authorise(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = await self.inner.authorise(*args, **kwargs)
        if self.fail_next:
            self.fail_next = False
            raise ProviderUnavailable("connection reset after the charge")
        return result


async def test_a_retry_after_the_provider_charged_but_we_did_not_commit_charges_once(payment_service) -> None:  # type: ignore[no-untyped-def]
    rt = payment_service.runtime
    service = build_service(rt, PaymentSettings())
    flaky = _ChargesThenDies(service.cards)  # type: ignore[arg-type]
    service.cards = flaky  # type: ignore[assignment]
    reference = f"BK-{uuid.uuid4().hex[:8]}"
    cmd = AuthoriseCommand(
        idempotency_key="crash-" + uuid.uuid4().hex,
        reference=reference,
        amount=9_900,
        currency="EUR",
        method=Method.CARD,
        payer=PaymentMethod(card_number=OK, card_exp_month=12, card_exp_year=2030, card_cvc="123"),
    )
    token = current_principal.set(Principal("crash-test", Role.PASSENGER))
    try:
        from airline.platform.errors import Unavailable

        with pytest.raises(Unavailable):
            await service.authorise(cmd)
        assert await charges_for_reference(payment_service, reference) == 0  # no payment row yet ...
        async with rt.db.engine.connect() as conn:  # ... but the provider did charge
            claim = (
                await conn.execute(sa.select(idempotency_keys).where(idempotency_keys.c.key == cmd.idempotency_key))
            ).one()
        assert claim.status == "in_progress"
        assert await service.cards.charges(claim.resource_id) == 1
        payment, replayed = await service.authorise(cmd)
        assert payment.id == claim.resource_id and payment.status.value == "authorised" and not replayed
        assert await service.cards.charges(payment.id) == 1
        assert await charges_for_reference(payment_service, reference) == 1
        again, replayed = await service.authorise(cmd)
        assert replayed and again.id == payment.id
    finally:
        current_principal.reset(token)


async def test_a_dead_workers_claim_is_taken_over_after_its_lease(payment_service) -> None:  # type: ignore[no-untyped-def]
    """The process died holding the key (no clean-up ran): a retry waits for the lease, then
    finishes the work under the same payment id."""
    rt = payment_service.runtime
    service = build_service(rt, PaymentSettings(idempotency_lease_seconds=0.5, idempotency_wait_seconds=5))
    reference = f"BK-{uuid.uuid4().hex[:8]}"
    cmd = AuthoriseCommand(
        idempotency_key="dead-" + uuid.uuid4().hex,
        reference=reference,
        amount=4_200,
        currency="EUR",
        method=Method.CARD,
        payer=PaymentMethod(card_number=OK, card_exp_month=12, card_exp_year=2030, card_cvc="123"),
    )
    token = current_principal.set(Principal("dead-test", Role.PASSENGER))
    original = service._authorise

    try:
        calls = {"n": 0}

        async def charge_then_die(claim, base, card, c):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 1:
                token_ = await service.cards.tokenize(card)
                await service.cards.authorise(token_.token, base.amount, base.currency, base.id)
                # simulate a hard crash: no lease expiry, no release
                raise SystemExit
            return await original(claim, base, card, c)

        service._authorise = charge_then_die  # type: ignore[method-assign]
        service._expire = _noop  # type: ignore[method-assign]  # a dead process cleans nothing up
        with pytest.raises(SystemExit):
            await service.authorise(cmd)
        payment, replayed = await service.authorise(cmd)
        assert not replayed and calls["n"] == 2
        assert await service.cards.charges(payment.id) == 1
        assert await charges_for_reference(payment_service, reference) == 1
    finally:
        current_principal.reset(token)


async def _noop(*args: object) -> None:
    return None


async def test_old_keys_are_forgotten_after_the_retention_only(payment_service, stub, passenger) -> None:  # type: ignore[no-untyped-def]
    rt = payment_service.runtime
    service = build_service(rt, PaymentSettings())
    assert service.settings.idempotency_retention_hours >= 24
    request = pay(OK)
    await stub.AuthorisePayment(request, metadata=passenger)
    async with rt.db.engine.begin() as conn:
        await conn.execute(
            idempotency_keys.update()
            .where(idempotency_keys.c.key == request.idempotency_key)
            .values(created_at=sa.func.now() - sa.text("interval '25 hours'"))
        )
    await service.forget_old_keys()
    async with rt.db.engine.connect() as conn:
        kept = (
            await conn.execute(
                sa.select(sa.func.count())
                .select_from(idempotency_keys)
                .where(idempotency_keys.c.key == request.idempotency_key)
            )
        ).scalar_one()
    assert kept == 1  # 25 h < 48 h retention
    async with rt.db.engine.begin() as conn:
        await conn.execute(
            idempotency_keys.update()
            .where(idempotency_keys.c.key == request.idempotency_key)
            .values(created_at=sa.func.now() - sa.text("interval '49 hours'"))
        )
    assert await service.forget_old_keys() >= 1
    async with rt.db.engine.connect() as conn:
        kept = (
            await conn.execute(
                sa.select(sa.func.count())
                .select_from(idempotency_keys)
                .where(idempotency_keys.c.key == request.idempotency_key)
            )
        ).scalar_one()
    assert kept == 0


class _SlowProcessor:
    """Holds every authorisation until released: a first request still running."""

    def __init__(self, inner: SandboxCardProcessor) -> None:
        self.inner = inner
        self.name = inner.name
        self.release = asyncio.Event()
        self.calls = 0

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)

    async def authorise(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.calls += 1
        await self.release.wait()
        return await self.inner.authorise(*args, **kwargs)


async def test_a_repeat_while_the_first_still_runs_waits_then_says_in_progress(payment_service) -> None:  # type: ignore[no-untyped-def]
    from airline.platform.errors import Conflict

    service = build_service(payment_service.runtime, PaymentSettings(idempotency_wait_seconds=0.3))
    slow = _SlowProcessor(service.cards)  # type: ignore[arg-type]
    service.cards = slow  # type: ignore[assignment]
    cmd = AuthoriseCommand(
        idempotency_key="slow-" + uuid.uuid4().hex,
        reference=f"BK-{uuid.uuid4().hex[:8]}",
        amount=1_000,
        currency="EUR",
        method=Method.CARD,
        payer=PaymentMethod(card_number=OK, card_exp_month=12, card_exp_year=2030, card_cvc="123"),
    )
    token = current_principal.set(Principal("slow-test", Role.PASSENGER))
    try:
        first = asyncio.create_task(service.authorise(cmd))
        while slow.calls == 0:
            await asyncio.sleep(0.01)
        with pytest.raises(Conflict) as e:
            await service.authorise(cmd)
        assert e.value.code == "idempotency_in_progress"
        slow.release.set()
        payment, replayed = await first
        again, replayed_again = await service.authorise(cmd)
        assert (again.id, replayed, replayed_again, slow.calls) == (payment.id, False, True, 1)
    finally:
        current_principal.reset(token)


class _CaptureRefused:
    """The provider approves the authorisation, then refuses the capture."""

    def __init__(self, inner: SandboxCardProcessor) -> None:
        self.inner = inner
        self.name = inner.name
        self.refuse = True
        self.captured_authorisations: list[str] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)

    async def capture(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from airline.payment.ports import ProviderError

        self.captured_authorisations.append(args[0])
        if self.refuse:
            self.refuse = False
            raise ProviderError("try again later")
        return await self.inner.capture(*args, **kwargs)


async def test_a_failure_after_the_charge_keeps_the_payment_id_for_the_retry(payment_service) -> None:  # type: ignore[no-untyped-def]
    service = build_service(payment_service.runtime, PaymentSettings())
    service.cards = _CaptureRefused(service.cards)  # type: ignore[arg-type,assignment]
    reference = f"BK-{uuid.uuid4().hex[:8]}"
    cmd = AuthoriseCommand(
        idempotency_key="half-" + uuid.uuid4().hex,
        reference=reference,
        amount=2_000,
        currency="EUR",
        method=Method.CARD,
        capture=True,
        payer=PaymentMethod(card_number=OK, card_exp_month=12, card_exp_year=2030, card_cvc="123"),
    )
    token = current_principal.set(Principal("half-test", Role.PASSENGER))
    try:
        from airline.platform.errors import Conflict

        with pytest.raises(Conflict):
            await service.authorise(cmd)
        payment, _ = await service.authorise(cmd)
        assert payment.status.value == "captured"
        # the retry captured the first authorisation instead of making a second one
        first, second = service.cards.captured_authorisations  # type: ignore[attr-defined]
        assert first == second == payment.authorisation_id
        assert await service.cards.charges(payment.id) == 1
        assert await charges_for_reference(payment_service, reference) == 1
    finally:
        current_principal.reset(token)
