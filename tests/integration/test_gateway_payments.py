"""Payments through the gateway on a real HTTP port: Idempotency-Key handling (replays, 422 on
a changed body, concurrent identical requests charged once), declines as 402 problems,
3-D Secure, bank transfers, refunds, vouchers, ownership, and card data that never reaches a
log, a table or an event."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid

import httpx
import pytest
import sqlalchemy as sa

from airline.contracts.events.payment import PAYMENT_AUTHORISED, PAYMENT_CAPTURED
from airline.platform.events import Envelope
from airline.platform.kafka import make_consumer
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.http import auth

OK, DECLINE, NO_FUNDS, THREE_DS = (
    "4242 4242 4242 4242",
    "4000 0000 0000 0002",
    "4000 0000 0000 9995",
    "4000 0000 0000 3220",
)


def body(
    number: str = OK,
    *,
    amount: int = 15_000,
    capture: bool = False,
    reference: str | None = None,
    cvc: str = "123",
    method: dict | None = None,
) -> dict:  # type: ignore[type-arg]
    return {
        "reference": reference or f"BK-{uuid.uuid4().hex[:8]}",
        "amount": amount,
        "currency": "EUR",
        "capture": capture,
        "method": method
        or {"type": "card", "number": number, "exp_month": 12, "exp_year": 2031, "cvc": cvc, "holder": "Ada Lovelace"},
    }


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def charges(payments: RunningService, reference: str) -> int:
    async with payments.runtime.db.engine.connect() as conn:
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


async def published(settings: PlatformSettings, reference: str, types: set[str]) -> str:
    """The events about `reference` as they went out on Kafka (the outbox row is gone by now)."""
    consumer = make_consumer(
        settings.kafka_bootstrap_servers or "",
        f"payment-test-{uuid.uuid4().hex[:8]}",
        PAYMENT_AUTHORISED.topic,
        PAYMENT_CAPTURED.topic,
        session_timeout_ms=6000,
    )
    await consumer.start()
    seen: list[bytes] = []
    try:
        async with asyncio.timeout(60):
            while not types <= {Envelope.from_json(v).type for v in seen}:
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    seen += [r.value for r in records if Envelope.from_json(r.value).key == reference]
    finally:
        await consumer.stop()
    return " ".join(v.decode() for v in seen)


@pytest.fixture
def payments(services: dict[str, RunningService]) -> RunningService:
    return services["payment"]


async def test_pay_by_card_then_read_it_back(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    h = auth(tokens["passenger"])
    r = await api.post("/api/v1/payments", json=body(), headers={**h, **key()})
    assert r.status_code == 201, r.text
    p = r.json()
    assert (p["status"], p["card_brand"], p["card_last4"], p["amount"]) == ("authorised", "visa", "4242", 15_000)
    assert "number" not in p and "cvc" not in p
    got = await api.get(f"/api/v1/payments/{p['id']}", headers=h)
    assert got.status_code == 200 and got.json()["id"] == p["id"]
    listed = await api.get("/api/v1/payments", params={"reference": p["reference"]}, headers=h)
    assert [x["id"] for x in listed.json()["payments"]] == [p["id"]]


async def test_the_idempotency_key_header_is_required_and_checked(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    h = auth(tokens["passenger"])
    r = await api.post("/api/v1/payments", json=body(), headers=h)
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_missing"
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await api.post("/api/v1/payments", json=body(), headers={**h, "Idempotency-Key": "x" * 256})
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_invalid"
    r = await api.post("/api/v1/payments", json=body(), headers={**h, "Idempotency-Key": "has space"})
    assert r.status_code == 422
    r = await api.post("/api/v1/payments", json=body(), headers=key())
    assert r.status_code == 401


async def test_replaying_a_payment_request_charges_once(
    api: httpx.AsyncClient, tokens: dict[str, str], payments: RunningService
) -> None:
    h = {**auth(tokens["passenger"]), **key()}
    b = body(capture=True)
    first = await api.post("/api/v1/payments", json=b, headers=h)
    second = await api.post("/api/v1/payments", json=b, headers=h)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true" and "Idempotent-Replayed" not in first.headers
    assert await charges(payments, b["reference"]) == 1
    changed = {**b, "amount": b["amount"] + 1}
    r = await api.post("/api/v1/payments", json=changed, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    assert await charges(payments, b["reference"]) == 1


async def test_concurrent_identical_requests_charge_once(
    api: httpx.AsyncClient, tokens: dict[str, str], payments: RunningService
) -> None:
    h = {**auth(tokens["passenger"]), **key()}
    b = body()
    replies = await asyncio.gather(*(api.post("/api/v1/payments", json=b, headers=h) for _ in range(20)))
    assert {r.status_code for r in replies} == {201}
    assert len({r.json()["id"] for r in replies}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") != "true" for r in replies) == 1
    assert await charges(payments, b["reference"]) == 1


@pytest.mark.parametrize(("number", "code"), [(DECLINE, "card_declined"), (NO_FUNDS, "insufficient_funds")])
async def test_declines_are_402_problems_with_the_payment_id(
    api: httpx.AsyncClient, tokens: dict[str, str], number: str, code: str
) -> None:
    h = {**auth(tokens["passenger"]), **key()}
    r = await api.post("/api/v1/payments", json=body(number), headers=h)
    assert r.status_code == 402, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["code"] == code and problem["status"] == 402
    got = await api.get(f"/api/v1/payments/{problem['payment_id']}", headers=auth(tokens["passenger"]))
    assert (got.json()["status"], got.json()["failure_code"]) == ("failed", code)
    again = await api.post("/api/v1/payments", json=body(number), headers=h)
    assert again.status_code == 422  # a new body under the same key (another reference)


async def test_three_d_secure_through_the_gateway(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    h = auth(tokens["passenger"])
    r = await api.post("/api/v1/payments", json=body(THREE_DS, capture=True), headers={**h, **key()})
    p = r.json()
    assert (r.status_code, p["status"], p["next_action"]) == (201, "requires_action", "three_d_secure_challenge")
    done = await api.post(f"/api/v1/payments/{p['id']}/challenge", json={"code": "123456"}, headers=h)
    assert (done.status_code, done.json()["status"]) == (200, "captured")
    r = await api.post("/api/v1/payments", json=body(THREE_DS), headers={**h, **key()})
    wrong = await api.post(f"/api/v1/payments/{r.json()['id']}/challenge", json={"code": "999999"}, headers=h)
    assert wrong.status_code == 402 and wrong.json()["code"] == "authentication_failed"


async def test_bank_transfer_capture_refund_and_roles(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    h = auth(tokens["passenger"])
    r = await api.post("/api/v1/payments", json=body(method={"type": "bank_transfer"}), headers={**h, **key()})
    p = r.json()
    assert (p["status"], p["transfer_reference"][:3]) == ("pending", "BT-")
    assert (await api.post(f"/api/v1/payments/{p['id']}/bank-transfer/confirm", headers=h)).status_code == 403
    ok = await api.post(f"/api/v1/payments/{p['id']}/bank-transfer/confirm", headers=auth(tokens["ops"]))
    assert (ok.status_code, ok.json()["status"]) == (200, "captured")
    assert (await api.post(f"/api/v1/payments/{p['id']}/refund", json={"amount": 1}, headers=h)).status_code == 403
    cs = {**auth(tokens["cs"]), **key()}
    r1 = await api.post(f"/api/v1/payments/{p['id']}/refund", json={"amount": 5_000, "reason": "bag"}, headers=cs)
    assert r1.status_code == 201 and r1.json()["payment"]["status"] == "partially_refunded"
    replay = await api.post(f"/api/v1/payments/{p['id']}/refund", json={"amount": 5_000, "reason": "bag"}, headers=cs)
    assert replay.json() == r1.json() and replay.headers.get("Idempotent-Replayed") == "true"
    too_much = await api.post(f"/api/v1/payments/{p['id']}/refund", json={"amount": 10_001}, headers=auth(tokens["cs"]))
    assert too_much.status_code == 422 and too_much.json()["code"] == "refund_exceeds_captured"
    rest = await api.post(f"/api/v1/payments/{p['id']}/refund", json={}, headers=auth(tokens["cs"]))
    assert rest.json()["payment"]["status"] == "refunded" and rest.json()["refund"]["amount"] == 10_000


async def test_capture_and_void(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    h = auth(tokens["passenger"])
    a = (await api.post("/api/v1/payments", json=body(), headers={**h, **key()})).json()
    c = await api.post(f"/api/v1/payments/{a['id']}/capture", json={"amount": 10_000}, headers=auth(tokens["ops"]))
    assert (c.status_code, c.json()["captured_amount"]) == (200, 10_000)
    assert (await api.post(f"/api/v1/payments/{a['id']}/void", headers=auth(tokens["ops"]))).status_code == 409
    b = (await api.post("/api/v1/payments", json=body(), headers={**h, **key()})).json()
    v = await api.post(f"/api/v1/payments/{b['id']}/void", headers=auth(tokens["cs"]))
    assert v.json()["status"] == "voided"


async def test_vouchers(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    assert (
        await api.post("/api/v1/vouchers", json={"amount": 100, "currency": "EUR"}, headers=auth(tokens["passenger"]))
    ).status_code == 403
    v = await api.post(
        "/api/v1/vouchers", json={"amount": 5_000, "currency": "eur", "reason": "delay"}, headers=auth(tokens["cs"])
    )
    assert v.status_code == 201 and v.json()["balance"] == 5_000
    code = v.json()["code"]
    h = auth(tokens["passenger"])
    r = await api.post(
        "/api/v1/payments",
        json=body(amount=2_000, capture=True, method={"type": "voucher", "code": code}),
        headers={**h, **key()},
    )
    assert r.json()["status"] == "captured"
    assert (await api.get(f"/api/v1/vouchers/{code}", headers=h)).json()["balance"] == 3_000
    short = await api.post(
        "/api/v1/payments", json=body(amount=3_001, method={"type": "voucher", "code": code}), headers={**h, **key()}
    )
    assert short.status_code == 402 and short.json()["code"] == "insufficient_funds"


async def test_a_passenger_sees_only_their_own_payments(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    p = (await api.post("/api/v1/payments", json=body(), headers={**auth(tokens["agent"]), **key()})).json()
    assert (await api.get(f"/api/v1/payments/{p['id']}", headers=auth(tokens["passenger"]))).status_code == 404
    listed = await api.get("/api/v1/payments", params={"reference": p["reference"]}, headers=auth(tokens["passenger"]))
    assert listed.json()["payments"] == []
    assert (await api.get(f"/api/v1/payments/{p['id']}", headers=auth(tokens["cs"]))).status_code == 200


@pytest.mark.parametrize(
    "bad",
    [
        {**body(), "amount": 0},
        {**body(), "amount": 1.5},
        {**body(), "currency": "EU"},
        {**body(), "method": {"type": "cash"}},
        {**body(), "reference": ""},
        {**body(), "extra": 1},
        body("4242 4242 4242 4241"),
        body(cvc="12"),
        body("12"),
        {**body(), "method": {**body()["method"], "exp_month": 13}},
        {**body(), "method": {**body()["method"], "exp_year": 2020}},
        {**body(), "method": {**body()["method"], "holder": "Ada\u0000"}},
        {**body(), "method": {"type": "e_wallet", "provider": "paypal", "account": "a\u0000@example.com"}},
    ],
)
async def test_bad_input_is_4xx_never_500(api: httpx.AsyncClient, tokens: dict[str, str], bad: dict) -> None:  # type: ignore[type-arg]
    r = await api.post("/api/v1/payments", json=bad, headers={**auth(tokens["passenger"]), **key()})
    assert r.status_code == 422, r.text
    text = r.text
    assert "4242 4242 4242 4241" not in text and "4242424242424241" not in text


async def test_malformed_json_is_400(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    r = await api.post(
        "/api/v1/payments",
        content=b"{nope",
        headers={**auth(tokens["passenger"]), **key(), "Content-Type": "application/json"},
    )
    assert r.status_code == 400


async def test_card_number_and_cvc_are_never_logged_stored_or_published(
    api: httpx.AsyncClient,
    tokens: dict[str, str],
    payments: RunningService,
    caplog: pytest.LogCaptureFixture,
    settings: PlatformSettings,
) -> None:
    number, cvc = "4000056655665556", "918"  # a Luhn-valid Visa that no other test uses
    b = body(number, cvc=cvc, capture=True)
    bad = body("4000056655665557", cvc=cvc)  # fails Luhn: an error path
    with caplog.at_level(logging.DEBUG):
        ok = await api.post("/api/v1/payments", json=b, headers={**auth(tokens["passenger"]), **key()})
        refused = await api.post("/api/v1/payments", json=bad, headers={**auth(tokens["passenger"]), **key()})
    assert ok.status_code == 201 and refused.status_code == 422
    pid = ok.json()["id"]
    cvc_alone = re.compile(rf"(?<![\w.]){cvc}(?![\w.])")
    logged = "\n".join(f"{r.getMessage()} {json.dumps(r.__dict__, default=str)}" for r in caplog.records)
    assert caplog.records, "nothing was logged at all: the check would prove nothing"
    for digits in (number, "4000 0566 5566 5556", "4000056655665557", number[:12]):
        assert digits not in logged
    assert not cvc_alone.search(logged)
    async with payments.runtime.db.engine.connect() as conn:
        row = (
            await conn.execute(sa.text("select to_jsonb(p)::text from payment.payments p where id = :id"), {"id": pid})
        ).scalar_one()
        keys = (
            await conn.execute(
                sa.text(
                    "select string_agg(to_jsonb(k)::text, ' ') from payment.idempotency_keys k where resource_id = :id"
                ),
                {"id": pid},
            )
        ).scalar_one()
        vault = (
            await conn.execute(sa.text("select string_agg(to_jsonb(c)::text, ' ') from payment.sandbox_cards c"))
        ).scalar_one()
    events = await published(settings, b["reference"], {"PaymentAuthorised", "PaymentCaptured"})
    assert '"card_last4": "5556"' in row and keys
    for text in (row, keys, events, vault):
        assert number not in text and number[:12] not in text
        assert not re.search(rf'"{cvc}"', text)
    assert '"card_last4":"5556"' in events
