"""Prometheus counters of every platform process, scraped before and after a load: each service
serves its metrics on its gRPC port + 1000 under `airline up`, the gateway on its own /metrics."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict

from _http import Connection, HttpError

COUNTERS = (
    "airline_grpc_server_requests_total",
    "airline_grpc_client_retries_total",
    "airline_outbox_published_total",
    "airline_events_consumed_total",
    "airline_http_requests_total",
)
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+([-+0-9.eEnaINF]+)")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')

Key = tuple[str, str, tuple[tuple[str, str], ...]]  # (source, metric, labels)


def parse(source: str, text: str) -> dict[Key, float]:
    out: dict[Key, float] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if m and m.group(1) in COUNTERS:
            labels = tuple(sorted(LABEL.findall(m.group(2) or "")))
            out[(source, m.group(1), labels)] = float(m.group(3))
    return out


async def scrape(urls: dict[str, str]) -> dict[Key, float]:
    async def one(source: str, url: str) -> dict[Key, float]:
        base, _, path = url.partition("://")[2].partition("/")
        conn = Connection(f"http://{base}", timeout=5)
        try:
            r = await conn.request("GET", "/" + path)
            return parse(source, r.text) if r.status == 200 else {}
        except (OSError, HttpError, TimeoutError):
            return {}
        finally:
            await conn.close()

    out: dict[Key, float] = {}
    for part in await asyncio.gather(*(one(s, u) for s, u in urls.items())):
        out.update(part)
    return out


def delta(before: dict[Key, float], after: dict[Key, float]) -> dict[Key, float]:
    return {k: v - before.get(k, 0.0) for k, v in after.items() if v - before.get(k, 0.0)}


def grpc_calls(d: dict[Key, float]) -> dict[str, float]:
    """Server-side gRPC calls per 'service.Method' (every status code)."""
    out: dict[str, float] = defaultdict(float)
    for (_source, metric, labels), v in d.items():
        if metric == "airline_grpc_server_requests_total":
            lab = dict(labels)
            out[f"{lab.get('service', '?')}.{lab.get('method', '?').rsplit('/', 1)[-1]}"] += v
    return dict(out)


def grpc_failed(d: dict[Key, float]) -> float:
    return sum(
        v
        for (_s, metric, labels), v in d.items()
        if metric == "airline_grpc_server_requests_total" and dict(labels).get("code") not in ("OK", "0")
    )


def by_label(d: dict[Key, float], metric: str, label: str) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for (_s, m, labels), v in d.items():
        if m == metric:
            out[dict(labels).get(label, "?")] += v
    return dict(out)
