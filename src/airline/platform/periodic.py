"""Periodic jobs: every service's "every N seconds, do X, until stopped" in one place.

`run_every` waits the interval (or until stop, or until `wake` is set), runs the job, and goes
round again. A failing job is logged and counted (airline_periodic_job_runs_total{outcome=
"failed"}) and the loop goes on: the database or the broker may be back next round. A run never
overlaps the previous one: the next wait starts when the job returns.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from airline.platform.metrics import PERIODIC_RUNS

log = logging.getLogger(__name__)

Interval = float | Callable[[], float]
"""Seconds between runs, or a function giving them (a runtime-tunable setting)."""


async def wait_or_stop(stop: asyncio.Event, seconds: float, wake: asyncio.Event | None = None) -> None:
    """Sleep `seconds`, returning early when `stop` (or `wake`) is set."""
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()


def _seconds(interval: Interval, jitter: float) -> float:
    base = interval() if callable(interval) else interval
    # spread replicas of one service so they do not all hit the database in the same instant
    return base * (1 + random.uniform(0, jitter)) if jitter > 0 else base


async def run_every(
    interval: Interval,
    job: Callable[[], Awaitable[Any]],
    *,
    stop: asyncio.Event,
    name: str,
    jitter: float = 0.0,
    first_run_now: bool = False,
    wake: asyncio.Event | None = None,
) -> None:
    """Run `job` every `interval` seconds until `stop` is set.

    `jitter` stretches each wait by a random fraction up to it (0.1: up to 10 % longer).
    `first_run_now` runs once before the first wait. `wake`, when set by someone, cuts the wait
    short (it is cleared before the run): "there is work now" without polling faster."""
    if jitter < 0:
        raise ValueError("jitter must not be negative")
    if not first_run_now:
        await wait_or_stop(stop, _seconds(interval, jitter), wake)
    while not stop.is_set():
        if wake is not None:
            wake.clear()
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception as e:  # the database or a peer may be away: next round
            PERIODIC_RUNS.labels(name, "failed").inc()
            log.warning("periodic job %s failed, will retry: %s", name, e, exc_info=log.isEnabledFor(logging.DEBUG))
        else:
            PERIODIC_RUNS.labels(name, "ok").inc()
        if stop.is_set():
            return
        await wait_or_stop(stop, _seconds(interval, jitter), wake)


def every(
    interval: Interval,
    job: Callable[[], Awaitable[Any]],
    *,
    name: str,
    jitter: float = 0.0,
    first_run_now: bool = False,
    wake: asyncio.Event | None = None,
) -> Callable[[asyncio.Event], Awaitable[None]]:
    """`run_every` as a job of ServiceParts.jobs (which are called with the stop event)."""

    async def run(stop: asyncio.Event) -> None:
        await run_every(interval, job, stop=stop, name=name, jitter=jitter, first_run_now=first_run_now, wake=wake)

    run.__name__ = name
    return run
