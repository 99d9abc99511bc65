from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from airline.platform.settings import ServiceSettings


class PaymentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_PAYMENT_", extra="ignore")

    # Which adapter of each provider port to use (airline.payment.adapters).
    card_processor: str = "sandbox"
    wallet_provider: str = "sandbox"
    # The code that passes the sandbox card processor's 3-D Secure challenge.
    sandbox_challenge_code: str = "123456"
    # The sandbox adapters take no real money: a production profile (AIRLINE_ENV=production)
    # refuses to start with them unless this says so (a staging rehearsal).
    allow_sandbox_in_production: bool = False
    # Idempotency keys are kept at least this long (the issue asks for 24 h at least).
    idempotency_retention_hours: float = 48.0
    # A request holding a key longer than this is taken for dead and a retry takes over.
    idempotency_lease_seconds: float = 30.0
    # How long a retry waits for the same key's first request to finish before answering
    # "in progress, retry".
    idempotency_wait_seconds: float = 10.0
    cleanup_interval_seconds: float = 3600.0
    # A voucher issued now can be spent for this many days (0: it never expires).
    voucher_validity_days: int = 730
