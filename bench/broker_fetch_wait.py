"""What an idle consumer costs the embedded broker, by fetch wait (the figures behind
`gateway/live.py`'s LIVE_FETCH_WAIT_MS and the consumers' `fetch_max_wait_ms`).

The embedded broker (Tansu) answers a fetch only when its wait runs out, so an idle consumer
fetches once per wait, all day. For each (wait, topics, consumers) case this starts a broker of
its own, lets the consumers settle for --settle seconds, then reads the broker process's CPU
(/proc) over --seconds with nothing produced. Prints CPU-seconds per second per case.

    .venv/bin/python bench/broker_fetch_wait.py [--seconds 15 --settle 8]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from _procs import cpu_seconds

from airline.gateway.live import TOPICS as LIVE_TOPICS
from airline.platform.embedded import EmbeddedKafka
from airline.platform.kafka import ensure_topics, make_consumer

# (fetch wait ms, topics, consumers): the live feed's topics by one consumer at several waits,
# then ten consumers of three topics each at the services' 1 s
CASES = [(100, len(LIVE_TOPICS), 1), (250, len(LIVE_TOPICS), 1), (500, len(LIVE_TOPICS), 1), (1000, 3, 10)]


async def measure(wait_ms: int, n_topics: int, n_consumers: int, settle: float, seconds: float) -> float:
    with tempfile.TemporaryDirectory(prefix="airline-bench-broker-") as scratch:
        broker = EmbeddedKafka(Path(scratch))
        bootstrap = broker.start()
        try:
            topics = [f"bench-{i}" for i in range(n_topics)]
            await ensure_topics(bootstrap, topics)
            consumers = [
                make_consumer(bootstrap, f"bench-group-{i}", *topics, fetch_max_wait_ms=wait_ms)
                for i in range(n_consumers)
            ]
            for c in consumers:
                await c.start()

            async def poll(c: object) -> None:
                while True:
                    await c.getmany(timeout_ms=wait_ms, max_records=100)  # type: ignore[attr-defined]

            loops = [asyncio.create_task(poll(c)) for c in consumers]
            await asyncio.sleep(settle)
            assert broker.proc is not None
            before, began = cpu_seconds(broker.proc.pid), time.monotonic()
            await asyncio.sleep(seconds)
            after, took = cpu_seconds(broker.proc.pid), time.monotonic() - began
            for task in loops:
                task.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
            for c in consumers:
                await c.stop()
            if before is None or after is None:
                raise RuntimeError("the broker's CPU could not be read from /proc")
            return (after - before) / took
        finally:
            broker.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0, help="measuring window per case")
    parser.add_argument("--settle", type=float, default=8.0, help="wait after the consumers joined")
    args = parser.parse_args()
    print(f"{'fetch wait':>10} {'topics':>6} {'consumers':>9}  broker CPU-s per s (idle, nothing produced)")
    for wait_ms, n_topics, n_consumers in CASES:
        rate = await measure(wait_ms, n_topics, n_consumers, args.settle, args.seconds)
        print(f"{wait_ms:>7} ms {n_topics:>6} {n_consumers:>9}  {rate:.4f}")


if __name__ == "__main__":
    asyncio.run(main())
