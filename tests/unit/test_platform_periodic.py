"""platform/periodic.py: a job every interval until stopped, never overlapping, surviving failures."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from airline.platform.metrics import PERIODIC_RUNS
from airline.platform.periodic import _seconds, every, run_every, wait_or_stop


def _count(name: str, outcome: str) -> float:
    return PERIODIC_RUNS.labels(name, outcome)._value.get()  # type: ignore[attr-defined]


async def test_runs_every_interval_until_stopped() -> None:
    stop = asyncio.Event()
    runs: list[float] = []

    async def job() -> None:
        runs.append(time.monotonic())
        if len(runs) == 3:
            stop.set()

    started = time.monotonic()
    await asyncio.wait_for(run_every(0.05, job, stop=stop, name="t-interval"), 2)
    assert len(runs) == 3
    assert runs[0] - started >= 0.045  # waits first unless asked otherwise
    assert all(b - a >= 0.045 for a, b in itertools.pairwise(runs))


async def test_first_run_now_runs_before_waiting() -> None:
    stop = asyncio.Event()
    runs: list[float] = []

    async def job() -> None:
        runs.append(time.monotonic())
        stop.set()

    started = time.monotonic()
    await asyncio.wait_for(run_every(10, job, stop=stop, name="t-first", first_run_now=True), 2)
    assert len(runs) == 1 and runs[0] - started < 1


async def test_a_failing_job_is_counted_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    stop = asyncio.Event()
    calls = 0
    before_failed, before_ok = _count("t-fail", "failed"), _count("t-fail", "ok")

    async def job() -> None:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise RuntimeError("database away")
        stop.set()

    await asyncio.wait_for(run_every(0.01, job, stop=stop, name="t-fail"), 2)
    assert calls == 3
    assert _count("t-fail", "failed") - before_failed == 2
    assert _count("t-fail", "ok") - before_ok == 1
    assert "t-fail" in caplog.text and "database away" in caplog.text


async def test_a_run_never_overlaps_the_previous_one() -> None:
    stop = asyncio.Event()
    running = 0
    most = 0
    calls = 0

    async def slow() -> None:  # takes far longer than the interval
        nonlocal running, most, calls
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1
        calls += 1
        if calls == 4:
            stop.set()

    await asyncio.wait_for(run_every(0.001, slow, stop=stop, name="t-overlap"), 2)
    assert most == 1 and calls == 4


async def test_stop_ends_the_wait_at_once() -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(run_every(3600, _never, stop=stop, name="t-stop"))
    await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 1)


async def test_wake_cuts_the_wait_short_and_an_interval_function_is_read_each_round() -> None:
    stop, wake = asyncio.Event(), asyncio.Event()
    seen: list[int] = []
    interval = [3600.0]

    async def job() -> None:
        seen.append(len(seen))
        if len(seen) == 2:
            stop.set()

    task = asyncio.create_task(run_every(lambda: interval[0], job, stop=stop, name="t-wake", wake=wake))
    await asyncio.sleep(0.01)
    assert seen == []
    interval[0] = 0.01
    wake.set()  # the first (hour-long) wait ends; the next one is short
    await asyncio.wait_for(task, 1)
    assert seen == [0, 1]


async def test_jitter_stretches_the_wait_within_bounds() -> None:
    waits = {_seconds(10.0, 0.5) for _ in range(200)}
    assert all(10.0 <= w <= 15.0 for w in waits) and len(waits) > 1
    assert _seconds(10.0, 0) == 10.0 and _seconds(lambda: 3.0, 0) == 3.0
    stop = asyncio.Event()
    t0 = time.monotonic()
    await wait_or_stop(stop, 0.02)
    assert time.monotonic() - t0 >= 0.015
    with pytest.raises(ValueError):
        await run_every(1, _never, stop=stop, name="t-jitter", jitter=-1)


async def test_every_makes_a_service_job() -> None:
    stop = asyncio.Event()
    ran = asyncio.Event()

    async def job() -> None:
        ran.set()
        stop.set()

    run = every(0.01, job, name="t-every")
    assert run.__name__ == "t-every"
    await asyncio.wait_for(run(stop), 1)
    assert ran.is_set()


async def _never() -> None:
    raise AssertionError("must not run")
