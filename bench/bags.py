"""Baggage search benchmark: how fast staff find bags (by tag, last-name prefix, flight, status)
and read a flight's manifest, over a few thousand bags dropped through the real API.

Usage (from the project root, with the project's virtualenv):

    .venv/bin/python bench/bags.py                      # start a platform, fill, measure, stop it
    .venv/bin/python bench/bags.py --flights 3 --rows 25 --requests 300 --concurrency 8

What it does:
1. Runs `python -m airline --data-dir <tmpdir> up --port <free port>` as a child process, waits
   (bounded) for /healthz, and stops it at the end (SIGTERM, SIGKILL only after a minute).
2. As the local demo ops user: --flights one-way flights of their own (a plane of --rows rows of
   6 seats each, fares with 1 x 23 kg included), as bench/booking.py does.
3. Fills every seat: a guest booking of 1 adult (last names drawn from a list, so prefixes
   repeat), 5 extra pieces bought, paid with the sandbox card; then the demo agent drops the
   passenger's 6 bags (all within the allowance: accepted, tagged) and scans some of them.
   With the defaults: 3 x 150 seats x 6 = 2700 bags.
4. Sends --requests searches of each kind from --concurrency workers and prints p50/p90/p99
   latency in ms and the rows each kind returned.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from _platform import started_platform  # bench/ is on sys.path when a script here runs
from booking import CARD, CONTACT, ok, setup  # the route/plane/flight/fares of bench/booking.py

NAMES = [
    "Tan",
    "Lim",
    "Lee",
    "Ng",
    "Ong",
    "Wong",
    "Goh",
    "Chua",
    "Chan",
    "Koh",
    "Teo",
    "Ang",
    "Yeo",
    "Tay",
    "Ho",
    "Low",
    "Toh",
    "Sim",
    "Chong",
    "Chia",
    "Seah",
    "Lau",
    "Kumar",
    "Singh",
    "Nair",
    "Pillai",
    "Rahman",
    "Ismail",
    "Hassan",
    "Abdullah",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Nguyen",
    "Tran",
    "Pham",
    "Hoang",
    "Phan",
    "Vu",
    "Dang",
    "Bui",
    "Do",
    "Ho",
    "Santos",
    "Reyes",
    "Cruz",
    "Bautista",
    "Garcia",
    "Mendoza",
    "Torres",
    "Flores",
    "Suzuki",
    "Sato",
    "Takahashi",
    "Tanaka",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000 if ordered else float("nan")


async def login(client: httpx.AsyncClient, role: str) -> dict[str, str]:
    r = await client.post(
        "/api/v1/auth/login", json={"email": f"{role}@airline.local", "password": f"{role}-demo-pass"}
    )
    return {"Authorization": f"Bearer {(await ok(r))['access_token']}"}


async def passenger_with_bags(
    client: httpx.AsyncClient, agent: dict[str, str], offer_id: str, flight_id: str, seat: str, tags: list[str]
) -> None:
    r = await client.post(
        "/api/v1/bookings", json={"offer_id": offer_id}, headers={"Idempotency-Key": secrets.token_hex(16)}
    )
    b = await ok(r, 201)
    bid, token = b["id"], {"X-Manage-Token": b["manage_token"]}
    await ok(
        await client.put(
            f"/api/v1/bookings/{bid}/passengers",
            headers=token,
            json={
                "contact": CONTACT,
                "passengers": [
                    {
                        "type": "adult",
                        "first_name": "Bench",
                        "last_name": random.choice(NAMES),
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
    )
    await ok(
        await client.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=token,
            json={"flight_id": flight_id, "seats": [{"passenger_id": "P1", "seat": seat}]},
        )
    )
    await ok(
        await client.put(
            f"/api/v1/bookings/{bid}/luggage",
            headers=token,
            json={"bags": [{"flight_id": flight_id, "passenger_id": "P1", "extra_pieces": 5}]},
        )
    )
    await ok(
        await client.post(
            f"/api/v1/bookings/{bid}/pay",
            headers=token | {"Idempotency-Key": secrets.token_hex(16)},
            json={"method": CARD},
        )
    )
    for _ in range(6):
        bag = await ok(
            await client.post(
                "/api/v1/bags",
                headers=agent,
                json={
                    "booking_id": bid,
                    "passenger_id": "P1",
                    "flight_id": flight_id,
                    "weight_kg": f"{random.uniform(5, 23):.1f}",
                    "length_cm": 70,
                    "width_cm": 45,
                    "height_cm": 28,
                },
            ),
            201,
        )
        tags.append(bag["tag"])
        if random.random() < 0.5:
            await ok(
                await client.post(
                    f"/api/v1/bags/{bag['tag']}/events",
                    headers=agent,
                    json={
                        "status": "screened",
                        "airport": "XSP",
                        "location": "screening",
                        "event_id": secrets.token_hex(8),
                    },
                )
            )


async def measure(
    name: str,
    n: int,
    concurrency: int,
    call: Callable[[], Awaitable[httpx.Response]],
    rows: Callable[[dict[str, Any]], int],
) -> None:
    latencies: list[float] = []
    found: list[int] = []
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            t0 = time.perf_counter()
            r = await call()
            latencies.append(time.perf_counter() - t0)
            found.append(rows(await ok(r)))

    await asyncio.gather(*(one() for _ in range(n)))
    print(
        f"{name:<28} p50 {pct(latencies, 50):6.1f} ms   p90 {pct(latencies, 90):6.1f} ms   "
        f"p99 {pct(latencies, 99):6.1f} ms   rows/answer avg {sum(found) / len(found):.1f}",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flights", type=int, default=3)
    parser.add_argument("--rows", type=int, default=25, help="rows of 6 seats per plane: 6 bags per seat")
    parser.add_argument("--requests", type=int, default=300, help="searches of each kind")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--fill-concurrency", type=int, default=16)
    parser.add_argument("--startup-timeout", type=float, default=240)
    args = parser.parse_args()
    async with started_platform(args.startup_timeout) as (gateway, _):
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(base_url=gateway, timeout=60, limits=limits) as client:
            agent, cs = await login(client, "agent"), await login(client, "cs")
            tags: list[str] = []
            flights: list[str] = []
            t0 = time.perf_counter()
            gate = asyncio.Semaphore(args.fill_concurrency)
            for _ in range(args.flights):
                offer_id, flight_id, seats = await setup(client, args.rows)
                flights.append(flight_id)

                async def fill(seat: str, offer_id: str = offer_id, flight_id: str = flight_id) -> None:
                    async with gate:
                        await passenger_with_bags(client, agent, offer_id, flight_id, seat, tags)

                await asyncio.gather(*(fill(s) for s in seats))
            print(f"{len(tags)} bags on {len(flights)} flights dropped in {time.perf_counter() - t0:.0f} s", flush=True)

            n, c = args.requests, args.concurrency
            bags = lambda body: len(body["bags"])  # noqa: E731
            await measure(
                "by tag",
                n,
                c,
                lambda: client.get("/api/v1/bags", headers=cs, params={"tag": random.choice(tags)}),
                bags,
            )
            await measure(
                "by name prefix (3 letters)",
                n,
                c,
                lambda: client.get("/api/v1/bags", headers=cs, params={"name": random.choice(NAMES)[:3].lower()}),
                bags,
            )
            await measure(
                "by full last name",
                n,
                c,
                lambda: client.get("/api/v1/bags", headers=cs, params={"name": random.choice(NAMES).upper()}),
                bags,
            )
            await measure(
                "by flight (page of 50)",
                n,
                c,
                lambda: client.get("/api/v1/bags", headers=cs, params={"flight_id": random.choice(flights)}),
                bags,
            )
            await measure(
                "by status screened",
                n,
                c,
                lambda: client.get("/api/v1/bags", headers=cs, params={"status": "screened"}),
                bags,
            )
            await measure(
                "flight manifest (all bags)",
                max(20, n // 10),
                c,
                lambda: client.get(f"/api/v1/flights/{random.choice(flights)}/baggage", headers=cs),
                lambda body: body["count"],
            )


if __name__ == "__main__":
    asyncio.run(main())
