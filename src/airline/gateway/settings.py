from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    """What only the gateway needs (env prefix AIRLINE_GATEWAY_); shared settings are PlatformSettings."""

    model_config = SettingsConfigDict(env_prefix="AIRLINE_GATEWAY_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # Browser origins allowed to call the API cross-origin (the web shell is served same-origin,
    # so this is empty unless a front end runs elsewhere, e.g. a dev server). JSON list in env.
    cors_origins: list[str] = []
    # Login attempts allowed per client IP per window (0 turns the limit off). Counted in Redis
    # when REDIS_URL is set, so every gateway replica shares one budget; in memory otherwise.
    login_rate_limit: int = Field(default=30, ge=0)
    login_rate_window_seconds: int = Field(default=60, ge=1)
    # Abuse limits (gateway/limits.py), each counted in Redis per window; 0 turns one off.
    # Failed logins per account (e-mail) and per client address; only failures count, so a
    # flood of wrong passwords on one account cannot be spread over many addresses and a
    # scan of many accounts from one address stops as well.
    login_failure_limit_per_account: int = Field(default=10, ge=0)
    login_failure_limit_per_address: int = Field(default=50, ge=0)
    login_failure_window_seconds: int = Field(default=900, ge=1)
    # Sign-up attempts per client address and per e-mail address (every attempt counts).
    signup_limit_per_address: int = Field(default=20, ge=0)
    signup_limit_per_email: int = Field(default=5, ge=0)
    signup_window_seconds: int = Field(default=3600, ge=1)
    # Failed PNR + last-name lookups (a 404 on any route given `pnr` and `last_name`) per client
    # address and per PNR.
    lookup_failure_limit_per_address: int = Field(default=20, ge=0)
    lookup_failure_limit_per_pnr: int = Field(default=10, ge=0)
    lookup_failure_window_seconds: int = Field(default=900, ge=1)
    # Wrong check-in codes (or unknown passes) per client address (and signed-in account), and
    # per code (a known code tried with many last names); env AIRLINE_GATEWAY_CHECKIN_GUESS_LIMIT
    # as before.
    checkin_guess_limit: int = Field(default=10, ge=0)
    checkin_guess_limit_per_code: int = Field(default=5, ge=0)
    checkin_guess_window_seconds: int = Field(default=300, ge=1)
    # How many proxies in front of the gateway append to X-Forwarded-For (an ingress, a load
    # balancer). The client address of every limit is the entry that many hops from the right
    # of the chain; 0 ignores X-Forwarded-For (the peer is the client). Never more than are
    # really there: each extra hop lets a client choose its own address.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)
    # Names this replica in the X-Instance response header (default host:pid; the Kubernetes
    # manifests set the pod name).
    instance: str = ""
    # How long /readyz (and /healthz) waits for each service's gRPC health answers (all asked at once).
    health_timeout_seconds: float = Field(default=1.0, gt=0)
    # The web workspace whose builds the gateway serves at / and /remotes/<name>/ (default: the
    # source tree's web/; empty string: serve no UI).
    web_dir: str | None = None
