"""One way to reach Redis for every process: a plain URL, or Redis Sentinel.

    redis://host:6379/0, rediss://..., unix:///path/redis.sock    a fixed server (redis-py URLs)
    redis+sentinel://[:password@]s1:26379,s2:26379/<master>[/db]   ask the Sentinels for the
                                                                   current primary of <master>

With Sentinel the client asks the Sentinels where the primary is and asks again after a
failover, so a Kubernetes Redis with Sentinel (deploy/k8s/base/redis.yaml) fails over without
a restart of any service. The password, if any, is the Redis servers' (the Sentinels are
expected on the same network policy and without one).

Redis holds only what is hot and ephemeral (issue 20: degrade, don't stop), so a dead or
unreachable Redis must cost a request about a second, never hang it: every client gets short
connect and read timeouts and one quick retry, and checks an idle connection before reusing
it. redis-py reconnects per command, so nothing stays broken once Redis is back. Callers
count what they did without Redis on `REDIS_DEGRADED` and log it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from prometheus_client import Counter
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import ExponentialBackoff

SENTINEL_SCHEME = "redis+sentinel"

CONNECT_TIMEOUT_S = 1.0  # a closed port fails at once; a black-holed host costs this much
COMMAND_TIMEOUT_S = 2.0  # the slowest hold script answers in milliseconds
HEALTH_CHECK_INTERVAL_S = 15  # an idle pooled connection is PINGed before reuse after this long

REDIS_DEGRADED = Counter(
    "airline_redis_degraded_total",
    "operations that went on without Redis (Redis unreachable): counted per component and operation",
    ["component", "operation"],
)


def client_options() -> dict[str, Any]:
    """Timeouts, retry and health check of every client (a fresh Retry each: redis-py keeps state)."""
    return {
        "socket_connect_timeout": CONNECT_TIMEOUT_S,
        "socket_timeout": COMMAND_TIMEOUT_S,
        "health_check_interval": HEALTH_CHECK_INTERVAL_S,
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.05), 1),
    }


def parse_sentinel_url(url: str) -> tuple[list[tuple[str, int]], str, int, str | None]:
    """(sentinels, master name, db, password) of a redis+sentinel:// URL; ValueError if malformed."""
    parts = urlsplit(url)
    if parts.scheme != SENTINEL_SCHEME:
        raise ValueError(f"not a {SENTINEL_SCHEME}:// URL")
    hosts = parts.netloc.rsplit("@", 1)[-1]
    password = unquote(parts.password) if parts.password else None
    sentinels: list[tuple[str, int]] = []
    for item in filter(None, hosts.split(",")):
        host, _, port = item.rpartition(":") if ":" in item else (item, "", "26379")
        if not host or not port.isdigit():
            raise ValueError(f"sentinel address {item!r} is not host:port")
        sentinels.append((host, int(port)))
    path = [p for p in parts.path.split("/") if p]
    if not sentinels or not path or len(path) > 2 or (len(path) == 2 and not path[1].isdigit()):
        raise ValueError(f"expected {SENTINEL_SCHEME}://host:port[,host:port...]/<master>[/db]")
    return sentinels, path[0], int(path[1]) if len(path) == 2 else 0, password


def connect_redis(url: str) -> Redis:
    """A client for `url` (see the module's doc); it connects lazily, on first use."""
    if not url.startswith(SENTINEL_SCHEME + "://"):
        return Redis.from_url(url, **client_options())
    sentinels, master, db, password = parse_sentinel_url(url)
    sentinel = Sentinel(  # type: ignore[no-untyped-call]  # redis-py's own stub
        sentinels, socket_timeout=COMMAND_TIMEOUT_S, socket_connect_timeout=CONNECT_TIMEOUT_S
    )
    master_client: Redis = sentinel.master_for(master, db=db, password=password, **client_options())
    return master_client
