"""One way to reach Redis for every process: a plain URL, or Redis Sentinel.

    redis://host:6379/0, rediss://..., unix:///path/redis.sock    a fixed server (redis-py URLs)
    redis+sentinel://[:password@]s1:26379,s2:26379/<master>[/db]   ask the Sentinels for the
                                                                   current primary of <master>

With Sentinel the client asks the Sentinels where the primary is and asks again after a
failover, so a Kubernetes Redis with Sentinel (deploy/k8s/base/redis.yaml) fails over without
a restart of any service. The password, if any, is the Redis servers' (the Sentinels are
expected on the same network policy and without one).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from redis.asyncio import Redis
from redis.asyncio.sentinel import Sentinel

SENTINEL_SCHEME = "redis+sentinel"


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
        return Redis.from_url(url)
    sentinels, master, db, password = parse_sentinel_url(url)
    sentinel = Sentinel(sentinels, socket_timeout=2.0)  # type: ignore[no-untyped-call]  # redis-py's own stub
    master_client: Redis = sentinel.master_for(master, db=db, password=password)
    return master_client
