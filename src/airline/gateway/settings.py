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
    # How many proxies in front of the gateway append to X-Forwarded-For (an ingress, a load
    # balancer). The client address of every limit is the entry that many hops from the right
    # of the chain; 0 ignores X-Forwarded-For (the peer is the client). Never more than are
    # really there: each extra hop lets a client choose its own address.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)
    # Names this replica in the X-Instance response header (default host:pid; the Kubernetes
    # manifests set the pod name).
    instance: str = ""
    # How long /healthz waits for each service's gRPC health answer.
    health_timeout_seconds: float = Field(default=1.0, gt=0)
    # The web workspace whose builds the gateway serves at / and /remotes/<name>/ (default: the
    # source tree's web/; empty string: serve no UI).
    web_dir: str | None = None
