"""Fixed-window rate limiting: the counters behind every abuse limit of gateway/limits.py.

Without Redis a limiter fails open to this process's own counts (each replica then has its own
budget) rather than refusing anyone or answering 5xx: logged and counted
(airline_redis_degraded_total{component="gateway", operation="rate_limit"}).
"""

from __future__ import annotations

import logging
import math
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError

from airline.platform.redis import REDIS_DEGRADED

log = logging.getLogger(__name__)


class FixedWindowLimiter:
    """Counts hits per key in fixed windows; in Redis when given (shared by every replica),
    else in this process."""

    def __init__(self, name: str, limit: int, window_seconds: int, redis: Redis | None = None) -> None:
        self.name = name
        self.limit = limit
        self.window = window_seconds
        self.redis = redis
        self._local: dict[tuple[str, int], int] = {}

    def _now(self) -> tuple[int, float]:
        """The current window and the seconds until it resets."""
        now = time.time()
        window = int(now // self.window)
        return window, max(1.0, math.ceil((window + 1) * self.window - now))

    def _redis_key(self, key: str, window: int) -> str:
        return f"airline:gateway:ratelimit:{self.name}:{self.window}s:{key}:{window}"

    async def hit(self, key: str) -> float | None:
        """Count one hit; None if allowed, else the seconds until the window resets."""
        if self.limit <= 0:
            return None
        window, retry_after = self._now()
        count = await self._incr(key, window)
        return retry_after if count > self.limit else None

    async def spent(self, key: str) -> float | None:
        """Without counting: None while `key` has hits left in this window, else the seconds
        until it resets (for limits that count only failures, checked before each attempt)."""
        if self.limit <= 0:
            return None
        window, retry_after = self._now()
        count = self._local.get((key, window), 0)
        if self.redis is not None:
            try:
                count = int(await self.redis.get(self._redis_key(key, window)) or 0)
            except (RedisError, OSError) as e:
                self._degraded(e)
        return retry_after if count >= self.limit else None

    async def _incr(self, key: str, window: int) -> int:
        if self.redis is not None:
            redis_key = self._redis_key(key, window)
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.incr(redis_key)
                    pipe.expire(redis_key, self.window + 1)
                    count, _ = await pipe.execute()
                return int(count)
            except (RedisError, OSError) as e:
                # Losing Redis must not lock everyone out of logging in: fall back to this process.
                self._degraded(e)
        if len(self._local) > 10_000:
            self._local = {k: v for k, v in self._local.items() if k[1] >= window}
        self._local[(key, window)] = self._local.get((key, window), 0) + 1
        return self._local[(key, window)]

    def _degraded(self, e: Exception) -> None:
        log.warning("rate limit %s: Redis unavailable, counting in this process: %s", self.name, e)
        REDIS_DEGRADED.labels("gateway", "rate_limit").inc()
