"""Composition root of the payment service."""

from __future__ import annotations

import hashlib
import logging

from airline.payment import store
from airline.payment.adapters import CARD_PROCESSORS, WALLET_PROVIDERS
from airline.payment.grpc_api import PaymentApi
from airline.payment.service import PaymentService
from airline.payment.settings import PaymentSettings
from airline.payment.v1 import payment_pb2, payment_pb2_grpc
from airline.platform.periodic import every
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts

log = logging.getLogger(__name__)


def refuse_sandbox_in_production(env: str, settings: PaymentSettings) -> None:
    sandbox = [
        name
        for name, adapter in (
            ("AIRLINE_PAYMENT_CARD_PROCESSOR", settings.card_processor),
            ("AIRLINE_PAYMENT_WALLET_PROVIDER", settings.wallet_provider),
        )
        if adapter == "sandbox"
    ]
    if env == "production" and sandbox and not settings.allow_sandbox_in_production:
        raise RuntimeError(
            f"{' and '.join(sandbox)} name the sandbox, which takes no real money: refused in production "
            "(set a real adapter, or AIRLINE_PAYMENT_ALLOW_SANDBOX_IN_PRODUCTION=true for a rehearsal)"
        )


def build_service(rt: Runtime, settings: PaymentSettings) -> PaymentService:
    refuse_sandbox_in_production(rt.settings.env, settings)
    try:
        cards = CARD_PROCESSORS[settings.card_processor](rt.db.engine, settings.sandbox_challenge_code)
        wallets = WALLET_PROVIDERS[settings.wallet_provider](rt.db.engine)
    except KeyError as e:
        raise RuntimeError(f"unknown payment provider adapter {e}; known: {sorted(CARD_PROCESSORS)}") from None
    # The idempotency request hash is keyed, so a stored hash is no guessable digest of a card.
    hash_key = hashlib.sha256(
        b"airline-payment-idempotency\0" + rt.settings.secret("payment_idempotency_key").encode()
    ).digest()
    return PaymentService(rt.db, cards, wallets, settings, hash_key)


async def build(rt: Runtime) -> ServiceParts:
    settings = PaymentSettings()
    service = build_service(rt, settings)
    api = PaymentApi(service)

    async def forget_old_keys() -> None:
        """Idempotency keys are kept for the retention period (at least 24 h), then dropped."""
        removed = await service.forget_old_keys()
        if removed:
            log.info("forgot %d idempotency keys older than %s h", removed, settings.idempotency_retention_hours)

    return ServiceParts(
        register=[lambda server: payment_pb2_grpc.add_PaymentServiceServicer_to_server(api, server)],
        full_names=[payment_pb2.DESCRIPTOR.services_by_name["PaymentService"].full_name],
        jobs=[
            every(
                settings.cleanup_interval_seconds, forget_old_keys, name="payment-forget-old-keys", first_run_now=True
            )
        ],
    )


SERVICE = ServiceDefinition(name="payment", metadata=store.metadata, migrations_package="airline.payment", build=build)
