"""Customer-service search benchmark: GET /api/v1/bookings/search over --bookings bookings
(100,000 by default), latency and platform CPU per search, next to the gateway's trivial read in
the same run.

Usage (from the project root, with the project's virtualenv):

    .venv/bin/python bench/search_bookings.py                       # 100,000 bookings, 300 searches a kind
    .venv/bin/python bench/search_bookings.py --bookings 5000 --searches 100   # a quick check

What one run does:
1. Starts `python -m airline up` in a temporary data directory on free ports (bench/_platform.py);
   its migrations made the search column and indexes (booking migration 0009).
2. Loads --bookings confirmed bookings straight into the booking service's tables with COPY
   (not through the API: the search is what is measured): 1-3 passengers each, names drawn from
   lists with accents (Nguyễn, Müller, Hernández ...), a unique e-mail and phone, one or two legs
   on --flights flight numbers over --days days; then ANALYZE.
3. Measures the idle platform (CPU per second, subtracted from each window).
4. Per kind, --searches searches one after the other (one connection, so latency is the
   search's own) as the demo cs user: `name` (a passenger's first and last name without accents,
   case changed, one letter of the last name dropped or replaced), `email`, `phone` (other
   formatting), `flight+date`, `pnr` (lower case); then as many GET /api/v1/airports/XSP (the
   trivial read). For each: p50/p90/p99 ms, platform CPU per request (idle subtracted), and how
   often the booking searched for was on the first page (the name: a booking with that
   passenger's last name first).
5. Stops the platform and prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import string
import time
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from _http import pct
from _measure import Rates, measure
from _pg import PgTarget
from _platform import RunningPlatform, started_platform_handle

FIRST = [
    "Hoàng", "Thị", "Minh", "Anh", "José", "María", "Zoë", "Chloé", "Jürgen", "Søren", "Björn", "Ana",
    "Wei", "Mei", "Ravi", "Priya", "Siti", "Ahmad", "Élodie", "François", "Łukasz", "Agnieszka", "Ömer",
    "Ayşe", "Kenji", "Yuki", "Olivia", "Liam", "Noah", "Emma", "Ingrid", "Håkon", "Renée", "Andrés",
]  # fmt: skip
LAST = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Müller", "Schröder", "Hernández", "García",
    "López", "Pérez", "Gómez", "Sánchez", "Søndergaard", "Åkesson", "Lindqvist", "Kowalczyk",
    "Wiśniewski", "Dąbrowski", "Yılmaz", "Öztürk", "Çelik", "Tan", "Lim", "Wong", "Chatterjee",
    "Krishnan", "Rahman", "Hassan", "Takahashi", "Watanabe", "Smith", "O'Brien", "MacDonald",
    "Dubois", "Lefèvre", "Fontaine", "Rossi", "Esposito", "Bianchi", "Ferreira", "Gonçalves",
]  # fmt: skip
AIRPORTS = [("XSP", "Asia/Singapore"), ("AOR", "Asia/Kuala_Lumpur"), ("BKK", "Asia/Bangkok"), ("CGK", "Asia/Jakarta")]
PNR_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def ascii_only(s: str) -> str:
    return plain(s).encode("ascii", "ignore").decode()


def plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def typo(name: str, rng: random.Random) -> str:
    """One letter dropped or replaced (not the first), accents gone, case changed."""
    s = plain(name)
    letters = [i for i, c in enumerate(s) if c.isalpha() and i > 0]
    if len(s) >= 5 and letters:
        i = rng.choice(letters)
        s = s[:i] + s[i + 1 :] if rng.random() < 0.5 else s[:i] + rng.choice(string.ascii_lowercase) + s[i + 1 :]
    return rng.choice([s.lower(), s.upper(), s])


def copy_text(rows: list[tuple[Any, ...]]) -> bytes:
    """COPY text format: tabs between fields, backslashes and control characters escaped."""

    def field(v: Any) -> str:
        if v is None:
            return "\\N"
        s = v if isinstance(v, str) else str(v)
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    return "".join("\t".join(field(v) for v in r) + "\n" for r in rows).encode()


BOOKING_COLUMNS = [
    "id", "owner", "state", "offer_id", "cabin_class", "trip_type", "adults", "children", "infants",
    "currency", "fare_total", "passengers", "contact_email", "contact_phone", "pnr", "expires_at", "created_at",
]  # fmt: skip
LEG_COLUMNS = [
    "booking_id", "position", "flight_id", "number", "origin", "destination", "origin_time_zone",
    "scheduled_departure", "scheduled_arrival", "status", "checked_bags", "bag_weight_kg", "refundable", "change_fee",
]  # fmt: skip


def make_data(
    n: int, flights: int, days: int, rng: random.Random
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[dict[str, Any]]]:
    import json

    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    numbers = [f"XB{100 + i}" for i in range(flights)]
    route = {num: (AIRPORTS[i % 4], AIRPORTS[(i + 1) % 4]) for i, num in enumerate(numbers)}
    hour = {num: 6 + i % 14 for i, num in enumerate(numbers)}
    pnrs: set[str] = set()
    bookings, legs, facts = [], [], []
    for i in range(n):
        bid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        while True:
            pnr = "".join(rng.choices(PNR_ALPHABET, k=6))
            if pnr not in pnrs:
                pnrs.add(pnr)
                break
        people = []
        last = rng.choice(LAST)
        for k in range(rng.choice((1, 1, 2, 2, 3))):
            people.append(
                {
                    "id": f"P{k + 1}",
                    "type": "adult",
                    "first_name": rng.choice(FIRST),
                    "last_name": last if rng.random() < 0.7 else rng.choice(LAST),
                    "date_of_birth": "1985-01-01",
                    "document": {
                        "type": "passport",
                        "number": f"K{i:08d}",
                        "issuing_country": "SG",
                        "expiry": "2040-01-01",
                    },
                    "infant_of": "",
                    "meal": "",
                }
            )
        email = f"{ascii_only(people[0]['first_name']).lower()}.{ascii_only(last).lower().replace(chr(39), '')}.{i}@example.com"
        phone = f"+658{i:07d}"
        created = start - timedelta(days=30, seconds=rng.randrange(30 * 86400))
        bookings.append(
            (bid, "", "confirmed", "bench", "normal", "one_way", len(people), 0, 0, "SGD", 15000 * len(people),
             json.dumps(people), email, phone, pnr, created + timedelta(minutes=15), created)
        )  # fmt: skip
        num = rng.choice(numbers)
        day = start + timedelta(days=rng.randrange(days))
        dep = day + timedelta(hours=hour[num])
        (o, otz), (d, _) = route[num]
        # scheduled_departure is UTC; the hour above is roughly local (UTC+7/8): fine for a load
        legs.append((bid, 0, f"{num}-{day:%Y%m%d}", num, o, d, otz, dep.isoformat(), (dep + timedelta(hours=2)).isoformat(),
                     "scheduled", 1, 23, "false", 5000))  # fmt: skip
        facts.append({"id": bid, "pnr": pnr, "people": people, "email": email, "phone": phone, "flight": num,
                      "day": dep.astimezone(__import__("zoneinfo").ZoneInfo(otz)).date().isoformat()})  # fmt: skip
    return bookings, legs, facts


async def load(pg: PgTarget, bookings: list[tuple[Any, ...]], legs: list[tuple[Any, ...]]) -> float:
    t0 = time.perf_counter()
    conn = await pg.connect()
    try:
        async with conn.transaction():
            for i in range(0, len(bookings), 20000):
                await conn.copy_to_table(
                    "bookings", schema_name="booking", columns=BOOKING_COLUMNS,
                    source=io.BytesIO(copy_text(bookings[i : i + 20000])),
                )  # fmt: skip
                await conn.copy_to_table(
                    "booking_legs", schema_name="booking", columns=LEG_COLUMNS,
                    source=io.BytesIO(copy_text(legs[i : i + 20000])),
                )  # fmt: skip
        await conn.execute("ANALYZE booking.bookings; ANALYZE booking.booking_legs")
    finally:
        await conn.close()
    return time.perf_counter() - t0


def queries(
    kind: str, facts: list[dict[str, Any]], n: int, rng: random.Random
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    out = []
    for f in rng.sample(facts, n):
        p = rng.choice(f["people"])
        if kind == "name":
            params = {"q": f"{plain(p['first_name']).lower()} {typo(p['last_name'], rng)}"}
            f = dict(f, target_last=plain(p["last_name"]).lower())
        elif kind == "email":
            params = {"email": f["email"].upper()}
        elif kind == "phone":
            d = f["phone"][1:]
            params = {"phone": f"+{d[:2]} {d[2:6]} {d[6:]}"}
        elif kind == "flight+date":
            params = {"flight": f["flight"].lower(), "date": f["day"], "page_size": 50}
        else:
            params = {"q": f["pnr"].lower()}
        out.append((params, f))
    return out


def hit_ok(kind: str, fact: dict[str, Any], hits: list[dict[str, Any]]) -> bool:
    if kind == "name":
        return bool(hits) and any(plain(p["last_name"]).lower() == fact["target_last"] for p in hits[0]["passengers"])
    if kind in ("email", "phone", "pnr"):
        return bool(hits) and hits[0]["id"] == fact["id"]
    return any(h["id"] == fact["id"] for h in hits) or len(hits) == 50


async def run_kind(
    client: httpx.AsyncClient, path: str, work: list[tuple[dict[str, Any], dict[str, Any]]], kind: str
) -> dict[str, Any]:
    latencies, errors, ok = [], 0, 0
    for params, fact in work:
        t0 = time.perf_counter()
        r = await client.get(path, params=params)
        latencies.append(time.perf_counter() - t0)
        if r.status_code != 200:
            errors += 1
            if errors <= 3:
                print(f"  {kind} {params}: {r.status_code} {r.text[:200]}", flush=True)
            continue
        if kind == "trivial" or hit_ok(kind, fact, r.json()["bookings"]):
            ok += 1
    return {"latencies": latencies, "errors": errors, "ok": ok}


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    print(f"making {args.bookings} bookings ...", flush=True)
    bookings, legs, facts = make_data(args.bookings, args.flights, args.days, rng)
    async with started_platform_handle(args.startup_timeout) as platform:
        pg = PgTarget.of(platform.data_dir)
        seconds = await load(pg, bookings, legs)
        print(f"loaded {len(bookings)} bookings and {len(legs)} legs with COPY in {seconds:.1f} s", flush=True)
        if args.explain:
            await explain(pg, queries("name", facts, 1, rng)[0][0]["q"])
        await report(args, platform, pg, facts, rng)


async def explain(pg: PgTarget, q: str) -> None:
    """The plan of one name search (the statement search.py sends, its parameter inlined)."""
    from airline.booking.search import _statement, criteria

    statement, params = _statement(criteria(q))
    sql = str(statement).replace(":q", "$1").replace(":limit", "$2")
    conn = await pg.connect()
    try:
        await conn.execute("SET enable_seqscan = off")  # as search.py sets it
        plan = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, params["q"], params["limit"])
        print(f"plan of q={q!r}:\n" + "\n".join(r[0] for r in plan), flush=True)
    finally:
        await conn.close()


async def report(
    args: argparse.Namespace, platform: RunningPlatform, pg: PgTarget, facts: list[dict[str, Any]], rng: random.Random
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
        r = await client.post("/api/v1/auth/login", json={"email": "cs@airline.local", "password": "cs-demo-pass"})
        if r.status_code != 200:
            raise SystemExit(f"login as cs failed: {r.status_code} {r.text}")
        client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        warm = queries("name", facts, min(50, len(facts)), rng)
        await run_kind(client, "/api/v1/bookings/search", warm, "name")  # connections, caches
        print(f"measuring the idle platform for {args.idle_seconds:.0f} s ...", flush=True)
        idle = Rates.of(await measure(platform, pg, lambda: asyncio.sleep(args.idle_seconds), 0.0, False))
        kinds = ["name", "email", "phone", "flight+date", "pnr", "trivial"]
        rows = []
        for kind in kinds:
            if kind == "trivial":
                work: list[tuple[dict[str, Any], dict[str, Any]]] = [({}, {})] * args.searches
                path = "/api/v1/airports/XSP"
            else:
                work, path = queries(kind, facts, args.searches, rng), "/api/v1/bookings/search"
            print(f"{kind}: {len(work)} requests ...", flush=True)
            job: Callable[[], Awaitable[dict[str, Any]]] = lambda w=work, p=path, k=kind: run_kind(client, p, w, k)  # noqa: E731
            w = await measure(platform, pg, job, 0.0, False)
            cpu = w.cpu_total() - idle.cpu_total() * w.seconds
            rows.append((kind, w.result, cpu / len(work), w.cpu, w.seconds))
    print()
    print(
        f"== booking search benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.bookings} bookings, "
        f"{args.searches} requests a kind, one at a time; idle platform {idle.cpu_total():.3f} CPU-s/s subtracted"
    )
    print(
        f"{'kind':<12} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'CPU ms/req':>11} {'found':>7} {'errors':>6}"
    )
    for kind, res, cpu, _, _ in rows:
        lat = res["latencies"]
        print(
            f"{kind:<12} {pct(lat, 50):>8.1f} {pct(lat, 90):>8.1f} {pct(lat, 99):>8.1f} {max(lat) * 1000:>8.1f} "
            f"{cpu * 1000:>11.2f} {res['ok'] / len(lat):>7.0%} {res['errors']:>6}"
        )
    print("CPU per request by group (ms): " + "; ".join(
        f"{kind}: " + ", ".join(f"{g} {v / len(res['latencies']) * 1000:.1f}" for g, v in sorted(groups.items(), key=lambda x: -x[1])[:3])
        for kind, res, _, groups, _ in rows
    ))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bookings", type=int, default=100_000)
    ap.add_argument("--searches", type=int, default=300, help="requests per kind")
    ap.add_argument("--flights", type=int, default=200, help="flight numbers")
    ap.add_argument("--days", type=int, default=60, help="days the legs are spread over")
    ap.add_argument("--idle-seconds", type=float, default=5.0)
    ap.add_argument("--startup-timeout", type=float, default=240.0)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--explain", action="store_true", help="print the plan of one name search")
    args = ap.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
