from __future__ import annotations

from typing import Literal

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
    # Which requests the gateway's access log records: "errors" (4xx, 5xx and requests slower
    # than a second; the default: formatting a JSON line per request was two thirds of the
    # middleware's cost, and the ingress in front logs every request anyway), "all", or "off".
    # Prometheus counts every request whatever this says.
    access_log: Literal["all", "errors", "off"] = "errors"
    # HTTP worker processes of `airline serve gateway` (uvicorn workers sharing one port).
    # Raise it to the machine's cores when the gateway is the bottleneck (its CPU near 100% of
    # one core while the services idle). Each worker is a replica with its own memory: its SSE
    # hub subscribes to Redis itself (without Redis it fans out only its own feed, which it has),
    # but each worker also runs its own LiveFeed consumer, so every live message is published
    # once per worker (flight updates are dropped by version, announcements and bag scans would
    # repeat: make the feed a once-per-host singleton before raising this on a live-heavy
    # site); rate limits are shared only with REDIS_URL (else counted per worker); /metrics
    # shows the worker that answered the scrape. Workers read their settings from the
    # environment. Default 1: SSE and the gateway tests are verified with one worker only.
    workers: int = Field(default=1, ge=1, le=64)
    # How long /readyz (and /healthz) waits for each service's gRPC health answers (all asked at once).
    health_timeout_seconds: float = Field(default=1.0, gt=0)
    # The web workspace whose builds the gateway serves at / and /remotes/<name>/ (default: the
    # source tree's web/; empty string: serve no UI).
    web_dir: str | None = None
