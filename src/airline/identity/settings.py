from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from airline.platform.settings import ServiceSettings


class IdentitySettings(ServiceSettings):  # passwords and keys may arrive as files
    model_config = SettingsConfigDict(env_prefix="AIRLINE_IDENTITY_", extra="ignore")

    # The first admin, created at start when no admin exists. Outside local mode the
    # password must be given; locally a development password is used (printed by `airline up`).
    admin_email: str = "admin@airline.local"
    admin_password: SecretStr | None = None
    min_password_length: int = 10

    # Ed25519 private keys (PKCS#8 PEM, one after the other): the first signs access tokens,
    # every one is published in the JWKS (identity/tokens.py). Required outside local mode.
    signing_keys: SecretStr | None = None
    # The master from which each service's secret is derived (platform/service_auth.py).
    service_master_key: SecretStr | None = None

    # argon2 hashes at once (each takes ~64 MiB for its moment): with the default 2, identity
    # stays within its memory budget of 320 MiB RSS however many sign-ups arrive together.
    hash_concurrency: int = Field(default=2, ge=1, le=64)

    # How long a browser stays signed in without signing in again: each refresh token lives this
    # long (a refresh swaps it for a new one with a fresh lifetime).
    refresh_ttl_seconds: int = Field(default=14 * 24 * 3600, ge=60)
