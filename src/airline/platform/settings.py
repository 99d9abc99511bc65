"""Platform settings: the only place that reads the environment (through pydantic-settings).

Each service adds its own class with its own prefix (AIRLINE_<SERVICE>_); what every process
shares lives here under AIRLINE_. The conventional variables DATABASE_URL, REDIS_URL and
KAFKA_BOOTSTRAP_SERVERS are accepted too, so a Kubernetes pod can be configured as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from airline.platform.secret_files import SecretFiles

SERVICES = (
    "identity",
    "airport",
    "flights",
    "reservation",
    "payment",
    "booking",
    "inventory",
    "crew",
    "notification",
    "checkin",
    "baggage",
)
"""Every gRPC service of the platform, in start order."""

# Fixed per service (not derived from SERVICES' order) so that adding a service never moves
# another one's port. Metrics of a service listen on its gRPC port + 1000 under `airline up`.
DEFAULT_GRPC_PORTS = {
    name: 50051 + i
    for i, name in enumerate(
        (
            "identity",
            "airport",
            "flights",
            "reservation",
            "payment",
            "booking",
            "inventory",
            "crew",
            "notification",
            "checkin",
            "baggage",
        )
    )
}

# Pool defaults (PlatformSettings.db_pool_size / db_max_overflow / db_pool_recycle_seconds):
# every service of the platform together, each with its pool, its outbox listener and some
# headroom for admin sessions, must fit the server's max_connections (connection_budget).
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 2
DEFAULT_POOL_RECYCLE_SECONDS = 300.0
LISTENER_CONNECTIONS = 1
"""Connections a service holds outside its pool: the outbox relay's LISTEN (platform/outbox.py)."""
ADMIN_HEADROOM = 10
"""Connections kept free for migrations, `airline events replay`, psql and the like."""


def connection_budget(services: int, pool_size: int, max_overflow: int) -> int:
    """The most connections `services` service processes may open at once, plus admin headroom."""
    return services * (pool_size + max_overflow + LISTENER_CONNECTIONS) + ADMIN_HEADROOM


SECRET_NAMES = (
    "service_secret",
    "booking_manage_key",
    "checkin_code_secret",
    "payment_idempotency_key",
    "flights_offer_key",
)


class ServiceSettings(SecretFiles, BaseSettings):
    """The base of every settings class (each service's own, with its env prefix, and the
    platform's): any field may also come from `<NAME>_FILE` or the secrets folder
    (platform/secret_files.py), after the environment, so a Vault-delivered secret needs no
    code in the service. Unknown variables under the prefix are ignored."""

    model_config = SettingsConfigDict(extra="ignore")


class PlatformSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_", extra="ignore")

    env: Literal["local", "production"] = "local"
    data_dir: Path = Path(".airline")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("AIRLINE_DATABASE_URL", "DATABASE_URL")
    )
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("AIRLINE_REDIS_URL", "REDIS_URL"))
    kafka_bootstrap_servers: str | None = Field(
        default=None, validation_alias=AliasChoices("AIRLINE_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS")
    )

    # Access tokens are signed by identity alone (AIRLINE_IDENTITY_SIGNING_KEYS, identity/tokens.py);
    # every other process verifies them with identity's public keys.
    jwt_issuer: str = "airline-identity"
    token_ttl_seconds: int = 3600

    # One secret per use, each given only to the service that needs it (env, `<NAME>_FILE` or
    # the secrets folder; locally generated into the data dir). See secret().
    service_secret: SecretStr | None = None  # this service's proof to identity (service_auth.py)
    booking_manage_key: SecretStr | None = None  # booking: signs manage-booking links
    checkin_code_secret: SecretStr | None = None  # check-in: keys the stored check-in code hashes
    payment_idempotency_key: SecretStr | None = None  # payment: keys the HMAC of pay-request fingerprints
    flights_offer_key: SecretStr | None = None  # flights: signs priced offers

    # Demo accounts (one per staff role, well-known passwords) exist only in local mode unless
    # this is set; identity refuses to start in production when it finds them.
    allow_demo_accounts_in_production: bool = False

    log_level: str = "INFO"
    log_json: bool = True

    # Where each gRPC service is reached (clients) and on which port it listens (servers).
    identity_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['identity']}"
    airport_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['airport']}"
    flights_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['flights']}"
    reservation_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['reservation']}"
    payment_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['payment']}"
    booking_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['booking']}"
    inventory_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['inventory']}"
    crew_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['crew']}"
    notification_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['notification']}"
    checkin_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['checkin']}"
    baggage_grpc: str = f"127.0.0.1:{DEFAULT_GRPC_PORTS['baggage']}"
    grpc_bind_host: str = "127.0.0.1"
    grpc_deadline_seconds: float = 5.0

    # Every service's gRPC health (platform/health.py) looks at its database, Redis and outbox
    # this often; a look that takes longer than the timeout counts as "unreachable". Events older
    # than outbox_degraded_after_seconds in the outbox mark the broker dependency degraded.
    health_interval_seconds: float = Field(default=2.0, gt=0)
    dependency_timeout_seconds: float = Field(default=1.5, gt=0)
    outbox_degraded_after_seconds: float = Field(default=30.0, gt=0)

    # Each service's PostgreSQL pool: pool_size connections kept, max_overflow more under load,
    # each recycled after pool_recycle seconds (no pre-ping: platform/db.py). Every service of
    # `airline up` together (11 x (5 + 2 + 1 outbox listener) + 10 for admin = 98) fits
    # PostgreSQL's default max_connections of 100; size them with db.connection_budget when
    # running more replicas or a server with another limit.
    db_pool_size: int = Field(default=DEFAULT_POOL_SIZE, ge=1)
    db_max_overflow: int = Field(default=DEFAULT_MAX_OVERFLOW, ge=0)
    db_pool_recycle_seconds: float = Field(default=DEFAULT_POOL_RECYCLE_SECONDS, gt=0)

    # The outbox relay publishes at once after a commit that wrote events (in this process, or
    # in another one: PostgreSQL NOTIFY); this poll is only the fallback for a missed wake-up.
    outbox_poll_seconds: float = Field(default=5.0, gt=0)

    # Prometheus metrics of a non-HTTP process (0 = off). The gateway serves /metrics itself.
    metrics_port: int = 0

    # How long an outbox keeps an event after publishing it, to publish it again if the broker
    # turns out to have lost its log (it answers with another cluster id: the embedded broker
    # keeps events in memory). 0 deletes at once: for a broker that never loses an acked event.
    outbox_replay_window_seconds: float = Field(default=900.0, ge=0)

    # OpenTelemetry: "none" keeps spans in-process (propagation still works), "console" prints,
    # "otlp" sends them to OTEL_EXPORTER_OTLP_ENDPOINT (an OpenTelemetry Collector) over gRPC.
    tracing_exporter: Literal["none", "console", "otlp"] = "none"

    # Runtime-tunable settings (platform/runtime_config.py) are watched in this ZooKeeper
    # ensemble ("host:port,..."); unset, every tunable keeps its settings value.
    zookeeper_hosts: str | None = None
    runtime_config_root: str = "/airline/config"

    # The simulation clock (platform/simclock.py): requests may say what time it is, for
    # `airline simulate`. Unset, it is on in local mode and off in production; production
    # refuses to start with it on.
    sim_clock: bool | None = None

    @property
    def sim_clock_on(self) -> bool:
        return self.env == "local" if self.sim_clock is None else self.sim_clock

    @model_validator(mode="after")
    def _no_default_secret_outside_local(self) -> PlatformSettings:
        if self.env != "local":
            missing = [
                name for name in ("database_url", "redis_url", "kafka_bootstrap_servers") if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(
                    "outside local mode these settings are required: "
                    + ", ".join(f"AIRLINE_{m.upper()}" for m in missing)
                )
            if self.sim_clock:
                raise ValueError("AIRLINE_SIM_CLOCK lets a request move the clock: never in production")
        for name in SECRET_NAMES:
            value = getattr(self, name)
            if value is not None and len(value.get_secret_value()) < 32:
                raise ValueError(f"AIRLINE_{name.upper()} must be at least 32 characters")
        return self

    def secret(self, name: str) -> str:
        """The secret `name` (one of SECRET_NAMES): configured, or in local mode generated once
        into the data dir. Outside local mode a missing one stops the service that needs it."""
        value = getattr(self, name)
        if value is not None:
            return str(value.get_secret_value())
        if self.env != "local":
            raise RuntimeError(
                f"AIRLINE_{name.upper()} (or AIRLINE_{name.upper()}_FILE) is required outside local mode"
            )
        from airline.platform.secret_files import local_secret

        return local_secret(self.data_dir, name)

    def grpc_target(self, service: str) -> str:
        target: str = getattr(self, f"{service}_grpc")
        return target

    def grpc_port(self, service: str) -> int:
        return int(self.grpc_target(service).rsplit(":", 1)[1])

    def require(self, name: str) -> str:
        value = getattr(self, name)
        if value is None:
            raise RuntimeError(
                f"{name} is not configured: set AIRLINE_{name.upper()} "
                "(or run the whole platform with `airline up`, which starts embedded servers)"
            )
        return value.get_secret_value() if isinstance(value, SecretStr) else value
