"""Booking benchmark: what one confirmed booking costs the platform, measured from outside in one
run on one machine, next to PostgreSQL's own speed (pgbench) and a bare FastAPI app.

Usage (from the project root, with the project's virtualenv):

    .venv/bin/python bench/booking.py                          # clean path: 120 guests, 16 at once
    .venv/bin/python bench/booking.py --scenario contention    # 300 guests, 64 at once, 25 rows
    .venv/bin/python bench/booking.py --profile bench/profiles # + py-spy of booking/reservation/payment

Scenarios: `clean` gives every guest a seat of its own (no lost races: the cost of a booking);
`contention` lets --clients guests race for random seats of a --rows-row plane (at most
--attempts tries each): hold latency when seats are fought over, and what lost races cost.

What one run does (bench/README.md has the details and the results):
1. Starts `python -m airline up` in a temporary data directory on free ports (bench/_platform.py).
2. As the demo ops user: an airport, a plane, a one-way flight, fares; --warmup bookings.
3. Counts PostgreSQL statements per booking: pg_stat_statements when preloaded, else
   log_statement = 'all' for a phase of its own (--statement-clients bookings, then off again).
4. Measures the idle platform for --idle-seconds: CPU per service, transactions, gRPC calls.
5. The load, timed per step (create, passengers, seat won/lost, pay), between snapshots of the
   platform's CPU (/proc: `airline up`, its descendants and the daemonized postgres),
   pg_stat_database and every process's Prometheus counters; idle work is subtracted.
6. The trivial read GET /api/v1/airports/XSP through the gateway, then on a bare FastAPI app.
7. pgbench against the same PostgreSQL (a database of its own), with CPU per transaction.
8. Stops the platform and prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import _flow
import _metrics
from _http import BareApp, ReadResult, pct, read_load
from _measure import Rates, Window, measure, minus_idle
from _pg import PgTarget, StatementLog, pgbench, statements_available
from _platform import RunningPlatform, started_platform_handle
from _procs import machine_busy_seconds, pids_of_groups
from _profile import Profiler

SCENARIOS = {
    "clean": {"clients": 120, "concurrency": 16},
    "contention": {"clients": 300, "concurrency": 64, "rows": 25},
}
PROFILED = ("booking", "reservation", "payment")
GROUP_ORDER = ("booking", "payment", "reservation", "gateway", "postgres", "broker", "redis", "supervisor")


def seat_row(seat: str) -> int:
    m = re.match(r"\d+", seat)
    return int(m.group()) if m else 0


async def load(
    args: argparse.Namespace, gateway: str, offer: str, flight: str, seats: list[str], firsts: list[str | None]
) -> _flow.ShareResult:
    """The guests, from this process or spread over --client-procs processes."""
    if args.client_procs <= 1:
        return await _flow.run_share(gateway, offer, flight, seats, firsts, args.concurrency, args.attempts)
    n = args.client_procs
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(n, mp_context=get_context("spawn")) as pool:
        await asyncio.gather(*(loop.run_in_executor(pool, _flow.warm_up) for _ in range(n)))
        shares = [firsts[i::n] for i in range(n)]
        conc = [max(1, args.concurrency // n + (1 if i < args.concurrency % n else 0)) for i in range(n)]
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(
                    pool, _flow.run_share_in_process, gateway, offer, flight, seats, shares[i], conc[i], args.attempts
                )
                for i in range(n)
                if shares[i]
            )
        )
    out = _flow.ShareResult()
    for part in parts:
        out.merge(part)
    return out


async def statement_phase(
    args: argparse.Namespace, pg: PgTarget, gateway: str, offer: str, flight: str, seats: list[str], firsts: list[str]
) -> tuple[float | None, str, str]:
    """Statements per confirmed booking counted in PostgreSQL's log (log_statement = 'all'): the
    total, how it was counted, and the split by service (statements / BEGIN-COMMIT-ROLLBACK /
    ROLLBACK per booking, from the application_name each service gives its connections)."""
    if not firsts:
        return None, "not measured (--statement-clients 0)", ""
    async with StatementLog(pg) as log:
        await asyncio.sleep(1.0)  # the reload reaches every backend
        mark = log.mark()
        t0 = time.perf_counter()
        await asyncio.sleep(args.idle_seconds / 2)
        idle_seconds = time.perf_counter() - t0
        idle = log.count_since(mark)
        mark = log.mark()
        t0 = time.perf_counter()
        result = await _flow.run_share(gateway, offer, flight, seats, list(firsts), args.concurrency, args.attempts)
        await asyncio.sleep(args.settle)
        scale = (time.perf_counter() - t0) / idle_seconds
        busy = log.count_since(mark)
    confirmed = result.outcomes["confirmed"]
    if not confirmed:
        return None, "no booking confirmed in the statement phase", ""
    total = (busy.total - idle.total * scale) / confirmed
    control = (busy.control - idle.control * scale) / confirmed
    how = (
        f"of which {control:.1f} BEGIN/COMMIT/ROLLBACK; log_statement phase of {confirmed} clean bookings, "
        f"idle {idle.total / idle_seconds:.0f} statements/s subtracted"
    )
    rows = []
    for app, counts in busy.by_app.items():
        quiet = idle.by_app.get(app, [0, 0, 0])
        per = [(b - i * scale) / confirmed for b, i in zip(counts, quiet, strict=True)]
        if per[0] >= 0.5:
            rows.append((per[0], f"  {app:<16} {per[0]:8.1f} {per[1]:8.1f} {per[2]:9.1f}"))
    split = "\n".join(
        ["  by service         stmts  BEGIN..   ROLLBACK  (per booking, idle subtracted)"]
        + [r for _, r in sorted(rows, reverse=True)]
    )
    return total, how, split


async def read_baseline(
    args: argparse.Namespace, platform: RunningPlatform, pg: PgTarget, idle: Rates
) -> dict[str, Any]:
    path = f"/api/v1/airports/{_flow.HOME}"
    conns, secs = args.read_connections, args.read_seconds
    w = await measure(platform, pg, lambda: read_load(platform.gateway, path, conns, secs), 0.0, False)
    gw: ReadResult = w.result
    platform_cpu = w.cpu_total() - idle.cpu_total() * w.seconds
    async with BareApp() as bare:
        cpu0 = bare.cpu_seconds()
        b: ReadResult = await read_load(bare.base, path, conns, secs)
        bare_cpu = bare.cpu_seconds() - cpu0
    return {"gateway": gw, "bare": b, "gateway_cpu": platform_cpu, "bare_cpu": bare_cpu, "window": w.seconds}


def commit() -> str:
    """The commit of the platform code the run used: the airline package's source tree (it may be
    an export of a commit under PYTHONPATH while others edit the working tree)."""
    import airline

    src = Path(airline.__file__).resolve().parent.parent
    if (src / "COMMIT").exists():
        return (src / "COMMIT").read_text().strip() + f" (export in {src})"
    try:
        git = ["git", "-C", str(src.parent)]
        out = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run([*git, "status", "--porcelain", "-uno", "--", "src"], capture_output=True, text=True)
        return out.stdout.strip() + (" (+ uncommitted changes in src/)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def plan_seats(args: argparse.Namespace, seats: list[str]) -> tuple[list[str], list[str], list[str | None]]:
    """(warm-up seats, statement-phase seats, the load's first choices): the warm-up and the
    statement phase take seats of their own from the rows after --rows, never the load's."""
    spare = [s for s in seats if seat_row(s) > args.rows]
    mine = [s for s in seats if seat_row(s) <= args.rows]
    random.shuffle(spare)
    warm, stmts = spare[: args.warmup], spare[args.warmup : args.warmup + args.statement_clients]
    if args.scenario == "clean":
        random.shuffle(mine)
        if len(mine) < args.clients:
            raise SystemExit(f"{len(mine)} seats for {args.clients} clients: raise --rows")
        return warm, stmts, list(mine[: args.clients])
    return warm, stmts, [None] * args.clients


async def run(args: argparse.Namespace) -> dict[str, Any]:
    res: dict[str, Any] = {}
    # guests come from addresses of their own (X-Forwarded-For, as behind an ingress): see _flow.book
    env = {"AIRLINE_GATEWAY_TRUSTED_PROXY_HOPS": "1"}
    async with started_platform_handle(args.startup_timeout, env) as platform:
        pg = PgTarget.of(platform.data_dir)
        extra_rows = math.ceil((args.warmup + args.statement_clients) / 6) + 1
        offer, flight, seats = await _flow.setup(platform.gateway, args.rows + extra_rows)
        warm, stmt_seats, firsts = plan_seats(args, seats)
        load_seats = [s for s in seats if seat_row(s) <= args.rows]
        if warm:
            print(f"warming up: {len(warm)} bookings ...", flush=True)
            await _flow.run_share(platform.gateway, offer, flight, seats, list(warm), args.concurrency, args.attempts)
        with_statements = await statements_available(pg)
        if with_statements:
            res["statements_how"] = "pg_stat_statements, the load's window, idle subtracted"
        else:
            print("counting statements per booking (log_statement = 'all', a phase of its own) ...", flush=True)
            g = platform.gateway
            res["statements"], res["statements_how"], res["statements_split"] = await statement_phase(
                args, pg, g, offer, flight, seats, stmt_seats
            )
        await asyncio.sleep(args.settle)
        print(f"measuring the idle platform for {args.idle_seconds:.0f} s ...", flush=True)
        idle = Rates.of(await measure(platform, pg, lambda: asyncio.sleep(args.idle_seconds), 0.0, with_statements))
        print(
            f"{args.scenario}: {args.clients} clients, {args.concurrency} at once, {args.client_procs} client "
            f"process(es), {len(load_seats)} seats ...",
            flush=True,
        )
        profiler = None
        if args.profile:
            profiler = Profiler(Path(args.profile), pids_of_groups(platform.pid, platform.data_dir, PROFILED))
            profiler.start()
            res["profile"] = profiler.problem or f"py-spy speedscope files and top.txt in {args.profile}"
        busy0, load0 = machine_busy_seconds(), os.getloadavg()[0]
        try:
            w: Window = await measure(
                platform,
                pg,
                lambda: load(args, platform.gateway, offer, flight, load_seats, firsts),
                args.settle,
                with_statements,
            )
        finally:
            if profiler is not None and not profiler.problem:
                profiler.stop()
        res.update(idle=idle, window=w, share=w.result, load_avg=(load0, os.getloadavg()[0]))
        res["machine_busy"] = machine_busy_seconds() - busy0
        if with_statements and w.statements is not None and w.result.outcomes["confirmed"]:
            n = w.statements - idle.statements * w.seconds
            res["statements"] = n / w.result.outcomes["confirmed"]
        print(f"trivial reads for {args.read_seconds:.0f} s each (gateway, bare FastAPI) ...", flush=True)
        res["read"] = await read_baseline(args, platform, pg, idle)
        print("running pgbench against the same PostgreSQL ...", flush=True)
        res["pgbench"] = await asyncio.to_thread(
            pgbench,
            pg,
            platform.pid,
            platform.data_dir,
            args.pgbench_seconds,
            min(args.concurrency, 16),
            idle.cpu.get("postgres", 0.0),
        )
    return res


def report(args: argparse.Namespace, res: dict[str, Any]) -> None:
    share: _flow.ShareResult = res["share"]
    w: Window = res["window"]
    idle: Rates = res["idle"]
    ok = share.outcomes["confirmed"]
    elapsed = share.ended - share.started
    rate = ok / elapsed if elapsed else 0.0
    per = 1000 / ok if ok else float("nan")  # ms per booking, from seconds
    print()
    print(
        f"== booking benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}, {os.cpu_count()} cores; "
        f"scenario {args.scenario}: {args.clients} clients, {args.concurrency} at once, {args.client_procs} client proc"
    )
    print(f"outcomes                     {', '.join(f'{k} {v}' for k, v in share.outcomes.items())}")
    for e in share.errors[:3]:
        print(f"  error: {e}")
    print(f"load elapsed                 {elapsed:.1f} s (window with {args.settle:.0f} s settle: {w.seconds:.1f} s)")
    print(f"confirmed bookings/s         {rate:.2f}")
    print(f"{'step latency':<28} {'p50 ms':>8} {'p99 ms':>8} {'n':>6}")
    for step in _flow.STEPS:
        v = share.latencies[step]
        print(f"  {step:<26} {pct(v, 50):>8.1f} {pct(v, 99):>8.1f} {len(v):>6}")
    cpu = minus_idle(w.cpu, idle.cpu, w.seconds)
    total = sum(cpu.values())
    print(
        f"platform CPU per booking     {total * per:.1f} ms (raw {w.cpu_total() * per:.1f} ms; idle "
        f"{idle.cpu_total():.3f} CPU-s/s x {w.seconds:.1f} s subtracted)"
    )
    print(f"idle platform CPU            {idle.cpu_total():.3f} CPU-s per s (over {idle.seconds:.0f} s)")
    print(f"  {'service':<18} {'ms/booking':>10} {'idle CPU-s/s':>13}")
    order = [g for g in GROUP_ORDER if g in cpu] + sorted(g for g in cpu if g not in GROUP_ORDER)
    for g in sorted(order, key=lambda g: -cpu[g]):
        print(f"  {g:<18} {cpu[g] * per:>10.1f} {idle.cpu.get(g, 0.0):>13.4f}")
    client_cpu = share.client_cpu
    print(f"client CPU (load)            {client_cpu:.2f} s = {client_cpu * per:.1f} ms per booking")
    others = res["machine_busy"] - w.cpu_total() - client_cpu
    print(
        f"machine during the load      {res['machine_busy']:.1f} CPU-s busy of {w.seconds * (os.cpu_count() or 1):.1f}: "
        f"platform {w.cpu_total():.1f}, client {client_cpu:.1f}, other work {others:.1f}; load average "
        f"{res['load_avg'][0]:.1f} -> {res['load_avg'][1]:.1f}"
    )
    pg_x = (w.xacts - idle.xacts * w.seconds) / ok if ok else float("nan")
    pg_rb = (w.rollbacks - idle.rollbacks * w.seconds) / ok if ok else float("nan")
    print(
        f"PostgreSQL xacts per booking {pg_x:.1f}, of which rolled back {pg_rb:.1f} (raw "
        f"{w.xacts / ok if ok else float('nan'):.1f}; idle {idle.xacts:.1f} xacts/s subtracted)"
    )
    stmts = res.get("statements")
    print(
        f"PostgreSQL stmts per booking {stmts:.1f} ({res['statements_how']})"
        if stmts is not None
        else f"PostgreSQL stmts per booking n/a ({res['statements_how']})"
    )
    if res.get("statements_split"):
        print(res["statements_split"])
    grpc = minus_idle(w.grpc(), idle.grpc, w.seconds)
    grpc = {m: v for m, v in grpc.items() if abs(v) >= 0.5}
    print(
        f"gRPC calls per booking       {sum(grpc.values()) / ok if ok else float('nan'):.1f} server-side "
        f"(failed {_metrics.grpc_failed(w.metrics) / ok if ok else 0:.2f}; idle {sum(idle.grpc.values()):.1f} calls/s "
        "subtracted)"
    )
    for m, v in sorted(grpc.items(), key=lambda kv: -kv[1]):
        print(f"  {m:<44} {v / ok if ok else 0:>6.2f}")
    s2s = sum(v for m, v in grpc.items() if not m.startswith("booking."))
    print(f"  service to service (all but booking.*, the gateway's calls here)  {s2s / ok if ok else 0:.1f}")
    pub = _metrics.by_label(w.metrics, "airline_outbox_published_total", "service")
    con = _metrics.by_label(w.metrics, "airline_events_consumed_total", "consumer")
    print(
        f"events per booking           {sum(pub.values()) / ok if ok else 0:.1f} published, "
        f"{sum(con.values()) / ok if ok else 0:.1f} consumed"
    )
    print("  published: " + ", ".join(f"{k} {v / ok:.1f}" for k, v in sorted(pub.items())) if ok and pub else "")
    retries = sum(_metrics.by_label(w.metrics, "airline_grpc_client_retries_total", "method").values())
    print(f"gRPC client retries          {retries:.0f}")
    pgb = res["pgbench"]
    print(
        f"pgbench                      {pgb.tps:.0f} TPS ({pgb.seconds:.0f} s, {min(args.concurrency, 16)} clients); "
        f"{pgb.cpu_per_xact * 1000:.3f} ms CPU per transaction (postgres {pgb.postgres_cpu:.1f} s + "
        f"pgbench {pgb.pgbench_cpu:.1f} s)"
    )
    print(f"bookings/s / pgbench TPS     {rate / pgb.tps:.4f}")
    ratio = (total / ok) / pgb.cpu_per_xact if ok else float("nan")
    print(f"CPU per booking / per pgbench xact  {ratio:.0f}")
    rd = res["read"]
    gw, bare = rd["gateway"], rd["bare"]
    path = f"GET /api/v1/airports/{_flow.HOME}"
    print(f"trivial read {path}, {args.read_connections} connections, {args.read_seconds:.0f} s each:")
    print(
        f"  gateway                    {gw.rate:.0f} req/s, p50 {pct(gw.latencies, 50):.1f} ms, "
        f"p99 {pct(gw.latencies, 99):.1f} ms, errors {gw.errors}; platform CPU "
        f"{rd['gateway_cpu'] / max(gw.sent, 1) * 1000:.2f} ms/req, client CPU "
        f"{gw.client_cpu / max(gw.requests, 1) * 1e6:.0f} us/req"
    )
    print(
        f"  bare FastAPI (uvicorn)     {bare.rate:.0f} req/s, p50 {pct(bare.latencies, 50):.1f} ms, "
        f"p99 {pct(bare.latencies, 99):.1f} ms, errors {bare.errors}; app CPU "
        f"{rd['bare_cpu'] / max(bare.sent, 1) * 1000:.2f} ms/req, client CPU "
        f"{bare.client_cpu / max(bare.requests, 1) * 1e6:.0f} us/req"
    )
    print(f"  gateway / bare req/s       {gw.rate / bare.rate if bare.rate else float('nan'):.3f}")
    if "profile" in res:
        print(f"profile                      {res['profile']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="clean")
    parser.add_argument("--clients", type=int, help="guests in the load (clean 120, contention 300)")
    parser.add_argument("--concurrency", type=int, help="guests at once (clean 16, contention 64)")
    parser.add_argument("--rows", type=int, help="rows of 6 seats the load uses (contention 25; clean: enough)")
    parser.add_argument("--attempts", type=int, default=3, help="seat tries per guest")
    parser.add_argument("--client-procs", type=int, default=1, help="client processes sharing the load")
    parser.add_argument("--warmup", type=int, default=8, help="bookings before anything is measured")
    parser.add_argument("--statement-clients", type=int, default=20, help="bookings of the statement-count phase")
    parser.add_argument("--idle-seconds", type=float, default=10.0, help="idle platform measured this long")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after the load still in its window")
    parser.add_argument("--read-seconds", type=float, default=5.0)
    parser.add_argument("--read-connections", type=int, default=16)
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--profile", metavar="DIR", help="py-spy booking, reservation and payment into DIR")
    parser.add_argument("--startup-timeout", type=float, default=240)
    args = parser.parse_args()
    defaults = SCENARIOS[args.scenario]
    args.clients = args.clients or defaults["clients"]
    args.concurrency = args.concurrency or defaults["concurrency"]
    args.rows = args.rows or defaults.get("rows") or math.ceil(args.clients / 6) + 2
    try:
        import uvloop

        res = uvloop.run(run(args))
    except ImportError:
        res = asyncio.run(run(args))
    report(args, res)


if __name__ == "__main__":
    main()
