"""Prometheus metrics shared by every process (one registry per process: the default)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

GRPC_REQUESTS = Counter("airline_grpc_server_requests_total", "gRPC requests handled", ["service", "method", "code"])
GRPC_LATENCY = Histogram("airline_grpc_server_latency_seconds", "gRPC handling time", ["service", "method"])
HTTP_REQUESTS = Counter(
    "airline_http_requests_total", "HTTP requests handled by the gateway", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram("airline_http_request_latency_seconds", "HTTP handling time", ["method", "route"])
OUTBOX_PUBLISHED = Counter("airline_outbox_published_total", "events relayed from an outbox to Kafka", ["service"])
OUTBOX_BACKLOG = Gauge(
    "airline_outbox_backlog", "events waiting in an outbox at the relay's or the health check's last look", ["service"]
)
OUTBOX_OLDEST_AGE = Gauge(
    "airline_outbox_oldest_age_seconds",
    "age of the oldest event waiting in an outbox (0 when empty), at the health check's last look",
    ["service"],
)
DEPENDENCY_UP = Gauge(
    "airline_dependency_up",
    "1 when a dependency (database, redis, broker) answered the health check's last look, else 0",
    ["service", "dependency"],
)
EVENTS_CONSUMED = Counter(
    "airline_events_consumed_total", "events handled by a consumer", ["consumer", "topic", "outcome"]
)
OFFSET_COMMITS = Counter(
    "airline_consumer_offset_commits_total",
    "offset commits a consumer sent to the broker (one per partition per fetched batch)",
    ["consumer"],
)

EVENT_RETRIES = Counter(
    "airline_event_retries_total",
    "event handling attempts that failed and were retried",
    ["consumer", "topic", "reason"],
)
DEAD_LETTERS = Counter(
    "airline_dead_letters_total",
    "events a consumer gave up on and parked in its dead_letters table",
    ["consumer", "topic"],
)
DEAD_LETTERS_WAITING = Gauge(
    "airline_dead_letters_waiting", "parked events not replayed yet (counted from the table)", ["consumer"]
)
PERIODIC_RUNS = Counter(
    "airline_periodic_job_runs_total", "runs of a periodic job (platform/periodic.py)", ["job", "outcome"]
)
GRPC_CLIENT_RETRIES = Counter(
    "airline_grpc_client_retries_total",
    "idempotent gRPC calls retried after UNAVAILABLE or DEADLINE_EXCEEDED",
    ["method", "code"],
)


def serve_metrics(port: int, host: str = "127.0.0.1") -> None:
    if port:
        start_http_server(port, addr=host)


OUTBOX_REPLAYED = Counter(
    "airline_outbox_replayed_total",
    "published events sent again because the broker came back with another cluster id (lost its log)",
    ["service"],
)
SERVER_RESTARTS = Counter(
    "airline_supervisor_restarts_total",
    "embedded servers (postgres, redis, broker) `airline up` started again after they died",
    ["server"],
)
