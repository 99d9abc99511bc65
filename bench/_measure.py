"""A measured window: the platform's CPU per service (/proc), PostgreSQL transactions
(pg_stat_database) and statements (pg_stat_statements when preloaded) and the Prometheus
counters of every process, taken before and after something runs (a load, or an idle sleep),
with the idle rates to subtract."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import _metrics
from _pg import PgTarget, statement_calls, xacts
from _platform import RunningPlatform
from _procs import delta, platform_snapshot


@dataclass
class Window:
    seconds: float
    cpu: dict[str, float]  # CPU-seconds per service group
    xacts: int  # committed + rolled back
    rollbacks: int
    statements: int | None
    metrics: dict[_metrics.Key, float]
    result: Any = None

    def cpu_total(self) -> float:
        return sum(self.cpu.values())

    def grpc(self) -> dict[str, float]:
        return _metrics.grpc_calls(self.metrics)


@dataclass
class Rates:
    """Per second of an idle window: what the platform does on its own."""

    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    xacts: float = 0.0
    rollbacks: float = 0.0
    statements: float = 0.0
    grpc: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, w: Window) -> Rates:
        s = w.seconds
        return cls(
            s,
            {g: v / s for g, v in w.cpu.items()},
            w.xacts / s,
            w.rollbacks / s,
            (w.statements or 0) / s,
            {m: v / s for m, v in w.grpc().items()},
        )

    def cpu_total(self) -> float:
        return sum(self.cpu.values())


async def measure(
    platform: RunningPlatform, pg: PgTarget, work: Callable[[], Awaitable[Any]], settle: float, with_statements: bool
) -> Window:
    """Snapshots, `work()`, `settle` seconds for what it set off (events, consumers), snapshots."""
    urls = platform.metrics_urls()

    async def snap() -> tuple[Any, tuple[int, int], int | None, dict[_metrics.Key, float]]:
        cpu = await asyncio.to_thread(platform_snapshot, platform.pid, platform.data_dir)
        n = await xacts(pg)
        stmts = await statement_calls(pg) if with_statements else None
        return cpu, n, stmts, await _metrics.scrape(urls)

    cpu0, x0, s0, m0 = await snap()
    t0 = time.perf_counter()
    result = await work()
    if settle:
        await asyncio.sleep(settle)
    elapsed = time.perf_counter() - t0
    cpu1, x1, s1, m1 = await snap()
    statements = s1 - s0 if s0 is not None and s1 is not None else None
    n = (x1[0] + x1[1]) - (x0[0] + x0[1])
    return Window(elapsed, delta(cpu0, cpu1), n, x1[1] - x0[1], statements, _metrics.delta(m0, m1), result)


def minus_idle(values: dict[str, float], idle: dict[str, float], seconds: float) -> dict[str, float]:
    keys = set(values) | set(idle)
    return {k: values.get(k, 0.0) - idle.get(k, 0.0) * seconds for k in keys}
