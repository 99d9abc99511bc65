"""Search benchmark: how fast the gateway answers GET /api/v1/search over a realistic schedule.

Usage (from the project root, with the project's virtualenv):

    # start the whole platform in a fresh temporary data directory, seed, measure, stop it
    .venv/bin/python bench/search.py

    # measure a gateway that is already running (nothing is started or stopped)
    .venv/bin/python bench/search.py --url http://127.0.0.1:8000

    # options
    .venv/bin/python bench/search.py --requests 5000 --concurrency 32 --min-flights 1500

What it does:
1. Without --url, runs `python -m airline --data-dir <tmpdir> up --port <free port>` as a child
   process, waits (bounded) for /healthz to answer 200, and stops it at the end with SIGTERM
   (waiting for it to exit; SIGKILL only if it does not within a minute).
2. Logs in as the local demo ops user (ops@airline.local / ops-demo-pass; override with
   --email/--password).
3. Seeds, if the schedule has fewer than --min-flights flights: extra planes P100, P101, ...
   based at XSP, a gate of their own for each at XSP and at the destination, and one 30-day
   recurring round-trip schedule per plane between XSP and AOR/BKK/CGK (POST /api/v1/schedules);
   fares and fare rules for those routes (PUT /api/v1/fares) where a route has none.
4. Sends --requests searches (mixed routes, dates, flexible days, passenger mixes, cabins, one-way
   and round trips) from --concurrency workers on one httpx.AsyncClient, then as many trivial
   reads (GET /api/v1/airports/XSP) the same way, and prints the flights in the schedule,
   requests, errors, p50/p90/p99 latency in ms, requests per second, the trivial read's p50/p99
   and the ratio search p99 / trivial-read p99 (issue 16's target: at most 5 at 10,000 flights).

Only localhost is accepted as --url; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import httpx
from _platform import started_platform  # bench/ is on sys.path when a script here runs

HOME = "XSP"
# destination, block minutes, return departure offset (minutes after the outbound's departure, local clocks)
ROUTES = [("AOR", 85, 180), ("BKK", 145, 210), ("CGK", 110, 180)]
FIRST_PLANE = 100
LAYOUT = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 3, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 4, "last_row": 30, "seat_letters": "ABC DEF"},
    ],
    "exit_rows": [12, 13],
}
SCHEDULE_DAYS = 30
LOCALHOST = {"127.0.0.1", "localhost", "::1"}


@asynccontextmanager
async def platform(url: str | None, startup_timeout: float) -> AsyncIterator[str]:
    """The gateway URL: the one given, or a platform started (and stopped) here."""
    if url:
        host = urlparse(url).hostname or ""
        if host not in LOCALHOST:
            raise SystemExit(f"--url must point at this machine (localhost), not {host!r}")
        yield url.rstrip("/")
        return
    async with started_platform(startup_timeout) as (gateway, _):
        yield gateway


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    if r.status_code != 200:
        raise SystemExit(f"login as {email} failed: {r.status_code} {r.text}")
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def count_flights(client: httpx.AsyncClient) -> int:
    """Flights in the schedule (counted per airport and direction: a listing returns at most 1000)."""
    r = await client.get("/api/v1/airports")
    r.raise_for_status()
    total = 0
    for airport in r.json()["airports"]:
        offset_from = datetime.now(UTC) - timedelta(days=400)
        # walk forward in windows, each listing at most 1000 flights (bounded: 100 windows)
        for _ in range(100):
            page = await client.get(
                "/api/v1/flights",
                params={
                    "airport": airport["code"],
                    "direction": "departures",
                    "from": offset_from.isoformat(),
                    "to": (offset_from + timedelta(days=3650)).isoformat(),
                    "limit": 1000,
                },
            )
            page.raise_for_status()
            flights = page.json()["flights"]
            if len(flights) < 1000:
                total += len(flights)
                break
            total += sum(1 for f in flights if f["scheduled_departure"] != flights[-1]["scheduled_departure"])
            offset_from = datetime.fromisoformat(flights[-1]["scheduled_departure"].replace("Z", "+00:00"))
    return total


async def seed(client: httpx.AsyncClient, ops: dict[str, str], min_flights: int) -> None:
    have = await count_flights(client)
    if have >= min_flights:
        print(f"{have} flights already scheduled: no seeding", flush=True)
        return
    per_plane = 2 * SCHEDULE_DAYS
    planes = -(-(min_flights - have) // per_plane)
    first = date.today() + timedelta(days=1)
    print(f"{have} flights scheduled; adding {planes} planes with {per_plane} flights each ...", flush=True)
    for i in range(planes):
        n = FIRST_PLANE + i
        plane, (destination, minutes, turn) = f"P{n}", ROUTES[i % len(ROUTES)]
        r = await client.post(
            "/api/v1/planes",
            headers=ops,
            json={
                "id": plane,
                "registration": f"9V-B{n}",
                "aircraft_type": "A320-200",
                "home_airport": HOME,
                "layout": LAYOUT,
            },
        )
        if r.status_code not in (201, 409):
            raise SystemExit(f"plane {plane}: {r.status_code} {r.text}")
        out_gate, back_gate = f"XB{n}", f"{destination[0]}B{n}"
        for airport, gate in ((HOME, out_gate), (destination, back_gate)):
            r = await client.post(f"/api/v1/airports/{airport}/gates", headers=ops, json={"code": gate})
            if r.status_code not in (201, 409):
                raise SystemExit(f"gate {gate}: {r.status_code} {r.text}")
        departure = datetime(2000, 1, 1, 6, 0) + timedelta(minutes=20 * (i % 6))
        back = departure + timedelta(minutes=turn)
        # Singapore and Kuala Lumpur are UTC+8, Bangkok and Jakarta UTC+7
        if destination in ("BKK", "CGK"):
            back -= timedelta(hours=1)
        r = await client.post(
            "/api/v1/schedules",
            headers=ops,
            json={
                "number": f"XB{n}",
                "origin": HOME,
                "destination": destination,
                "plane_id": plane,
                "gate": out_gate,
                "departure_local_time": departure.strftime("%H:%M"),
                "duration_minutes": minutes,
                "first_date": first.isoformat(),
                "days": SCHEDULE_DAYS,
                "return_number": f"XC{n}",
                "return_gate": back_gate,
                "return_departure_local_time": back.strftime("%H:%M"),
                "return_duration_minutes": minutes,
            },
        )
        if r.status_code == 409:
            print(f"  {plane}: already scheduled ({r.json().get('detail', '')[:100]})", flush=True)
        elif r.status_code != 201:
            raise SystemExit(f"schedule for {plane}: {r.status_code} {r.text}")
    fares, rules = [], []
    for destination, _, _ in ROUTES:
        for origin, dest in ((HOME, destination), (destination, HOME)):
            r = await client.get("/api/v1/fares", params={"origin": origin, "destination": dest})
            r.raise_for_status()
            if r.json()["fares"]:
                continue
            for cabin, base in (("normal", 15000), ("vip", 38000)):
                for trip, share in (("one_way", 1.0), ("round_trip", 0.88)):
                    for pax, pax_share in (("adult", 1.0), ("child", 0.75), ("infant", 0.1)):
                        fares.append(
                            {
                                "origin": origin,
                                "destination": dest,
                                "cabin_class": cabin,
                                "passenger_type": pax,
                                "trip_type": trip,
                                "amount": int(base * share * pax_share) // 100 * 100,
                                "currency": "SGD",
                            }
                        )
                rules.append(
                    {
                        "origin": origin,
                        "destination": dest,
                        "cabin_class": cabin,
                        "refundable": cabin == "vip",
                        "change_fee": 0 if cabin == "vip" else 5000,
                        "currency": "SGD",
                        "checked_bags": 2 if cabin == "vip" else 1,
                        "bag_weight_kg": 23,
                    }
                )
    if fares:
        r = await client.put("/api/v1/fares", headers=ops, json={"fares": fares, "rules": rules})
        if r.status_code != 200:
            raise SystemExit(f"fares: {r.status_code} {r.text}")
    print(f"seeded: {await count_flights(client)} flights scheduled", flush=True)


def random_search(rng: random.Random) -> dict[str, Any]:
    destination = rng.choice(ROUTES)[0]
    origin, dest = (HOME, destination) if rng.random() < 0.6 else (destination, HOME)
    day = date.today() + timedelta(days=rng.randint(1, SCHEDULE_DAYS))
    adults = rng.randint(1, 4)
    params: dict[str, Any] = {
        "origin": origin,
        "destination": dest,
        "date": day.isoformat(),
        "flexible_days": rng.choice([0, 0, 1, 3]),
        "adults": adults,
        "children": rng.choice([0, 0, 1, 2]),
        "infants": rng.choice([0, 0, 0, min(1, adults)]),
        "cabin_class": rng.choice(["normal", "normal", "normal", "vip"]),
    }
    if rng.random() < 0.4:
        params["trip_type"] = "round_trip"
        params["return_date"] = (day + timedelta(days=rng.randint(0, 7))).isoformat()
    return params


async def run_searches(
    client: httpx.AsyncClient, requests: int, concurrency: int, seed_value: int
) -> tuple[list[float], int, float, int]:
    rng = random.Random(seed_value)
    queries = [random_search(rng) for _ in range(requests)]
    latencies: list[float] = []
    errors: list[str] = []
    offers = 0
    next_index = 0

    async def worker() -> None:
        nonlocal next_index, offers
        while next_index < len(queries):
            query = queries[next_index]
            next_index += 1
            started = time.perf_counter()
            try:
                r = await client.get("/api/v1/search", params=query)
                ok = r.status_code == 200
                if ok:
                    offers += len(r.json()["offers"])
                else:
                    errors.append(f"{r.status_code} {r.text[:200]}")
            except httpx.HTTPError as e:
                errors.append(repr(e))
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    for error in errors[:5]:
        print(f"  error: {error}", file=sys.stderr)
    return latencies, len(errors), elapsed, offers


async def run_reads(client: httpx.AsyncClient, requests: int, concurrency: int) -> list[float]:
    """The baseline in the same run: the trivial read `GET /api/v1/airports/XSP` (one airport
    from the airport service through the gateway), as many and as many at once as the searches."""
    latencies: list[float] = []
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            started = time.perf_counter()
            r = await client.get(f"/api/v1/airports/{HOME}")
            r.raise_for_status()
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", help="a running gateway on this machine (default: start the platform here)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--min-flights", type=int, default=1000, help="seed until the schedule has this many")
    parser.add_argument("--email", default="ops@airline.local")
    parser.add_argument("--password", default="ops-demo-pass")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the search mix")
    parser.add_argument("--startup-timeout", type=float, default=240)
    args = parser.parse_args()
    if not 1 <= args.requests <= 1_000_000 or not 1 <= args.concurrency <= 1000:
        raise SystemExit("--requests must be 1..1000000 and --concurrency 1..1000")

    async with platform(args.url, args.startup_timeout) as url:
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
            ops = await login(client, args.email, args.password)
            await seed(client, ops, args.min_flights)
            flights = await count_flights(client)
            await run_searches(client, min(50, args.requests), min(4, args.concurrency), args.seed + 1)  # warm-up
            latencies, errors, elapsed, offers = await run_searches(client, args.requests, args.concurrency, args.seed)
            await run_reads(client, min(50, args.requests), min(4, args.concurrency))  # warm-up
            reads = sorted(x * 1000 for x in await run_reads(client, args.requests, args.concurrency))
    ms = sorted(x * 1000 for x in latencies)
    print()
    print(f"flights in schedule : {flights}")
    print(f"requests            : {len(latencies)} (concurrency {args.concurrency})")
    print(f"errors              : {errors}")
    print(f"offers returned     : {offers} ({offers / max(1, len(latencies)):.1f} per search)")
    print(f"latency p50/p90/p99 : {percentile(ms, 50):.1f} / {percentile(ms, 90):.1f} / {percentile(ms, 99):.1f} ms")
    print(f"throughput          : {len(latencies) / elapsed:.1f} requests/s over {elapsed:.1f}s")
    print(
        f"trivial read p50/p99: {percentile(reads, 50):.1f} / {percentile(reads, 99):.1f} ms "
        f"(GET /api/v1/airports/{HOME}, {len(reads)} at concurrency {args.concurrency}, same run)"
    )
    print(f"search p99 / trivial-read p99: {percentile(ms, 99) / percentile(reads, 99):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
