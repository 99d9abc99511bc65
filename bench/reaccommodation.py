"""Re-accommodation benchmark (issue 14): a flight with 30 booked passengers is cancelled; how
long until every booking has a proposal on the later flight, and what the platform spends on it,
next to the gateway's trivial read in the same run.

Usage (from the project root, with the project's virtualenv):

    .venv/bin/python bench/reaccommodation.py                # 5 rounds
    .venv/bin/python bench/reaccommodation.py --rounds 1     # a quick check

What one run does:
1. Starts `python -m airline up` in a temporary data directory on free ports (bench/_platform.py)
   and measures the idle platform (CPU per second, subtracted from each window).
2. Per round, as the demo ops user: a new airport (a route nobody else prices), two planes of
   the tests' small layout (8 VIP, 60 normal seats), normal and VIP fares, the flight to cancel
   5 h from now and a later one 4 h after it (as tests/integration/test_reaccommodation_
   acceptance.py). The demo passenger books it through the REST API (search, create,
   passengers, seats, pay; 3 bookings at once, the most one account may have unpaid): 30
   seated passengers in 18 bookings, the acceptance test's groups (a family of 4 and one of 3
   with a lap infant each, a mother with her infant, two trios, three couples, ten singles)
   with one couple in the VIP cabin.
3. Waits --settle seconds, then until the platform is back near its idle CPU (what the bookings
   set off is done), cancels the first flight (ops, `POST /flights/{id}/cancel`) and from its
   200 polls every `--poll-interval` (50 ms) the flight's re-accommodation view (`GET
   /flights/{id}/reaccommodation`, ops: one request gives every affected booking's state;
   polling the 18 bookings one by one would cost the platform more than the work measured)
   until every booking is "proposed". The figure is the time from the cancel's 200 to the poll
   that saw the last proposal. Then, outside the window, every booking is read as the passenger sees it
   (`GET /bookings/{id}`): state "proposed", first option on the later flight, one seat per
   seated passenger, no seat promised twice.
4. Platform CPU (every process, postgres included, /proc) from just before the cancel to the
   last proposal seen: raw, and net of the idle rate and of the polls (their CPU per request is
   measured after the rounds), per booking and per seated passenger.
5. Baseline, once the platform is quiet again: --reads GET /api/v1/airports/XSP one after the
   other (as search_bookings.py), p50/p99 and platform CPU per request; then as many polls.
   Then the WARNING/ERROR lines of the services' logs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import string
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _flow import CARD, CONTACT, HOME, ok
from _http import Connection, pct
from _measure import Rates, measure
from _pg import PgTarget
from _platform import RunningPlatform, started_platform_handle
from _procs import delta, machine_busy_seconds, platform_snapshot
from booking import commit

API = "/api/v1"
LAYOUT = {  # tests/support/factories.py SMALL_LAYOUT
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 3, "last_row": 12, "seat_letters": "ABC DEF"},
    ]
}
UNIT = {"adult": 30000, "child": 22000, "infant": 5000}
# name: (adults, children, infants, cabin); 30 seated passengers, infants on laps
GROUPS: dict[str, tuple[int, int, int, str]] = {
    "family_four": (2, 2, 1, "normal"),
    "family_three": (2, 1, 1, "normal"),
    "mother": (1, 0, 1, "normal"),
    "trio_a": (3, 0, 0, "normal"),
    "trio_b": (3, 0, 0, "normal"),
    "couple_vip": (2, 0, 0, "vip"),
    "couple_b": (2, 0, 0, "normal"),
    "couple_c": (2, 0, 0, "normal"),
    **{f"single_{chr(97 + i)}": (1, 0, 0, "normal") for i in range(10)},
}
SEATED = sum(a + c for a, c, _, _ in GROUPS.values())


def years_ago(years: int, days: int = 0) -> str:
    today = datetime.now(UTC).date()
    return (today.replace(year=today.year - years, day=min(today.day, 28)) - timedelta(days=days)).isoformat()


def people(tag: str, adults: int, children: int, infants: int) -> list[dict[str, Any]]:
    def person(kind: str, first: str, born: str, **extra: Any) -> dict[str, Any]:
        doc = {"type": "passport", "number": "K" + secrets.token_hex(4).upper(), "issuing_country": "SG"}
        return {"type": kind, "first_name": first, "last_name": tag, "date_of_birth": born,
                "document": {**doc, "expiry": "2040-01-31"}, **extra}  # fmt: skip

    out = [person("adult", f"Ad{chr(65 + i)}", f"198{i}-02-03") for i in range(adults)]
    out += [person("child", f"Ch{chr(65 + i)}", years_ago(7)) for i in range(children)]
    out += [person("infant", f"In{chr(65 + i)}", years_ago(0, 40), infant_of=f"P{i + 1}") for i in range(infants)]
    return out


def code(prefix: str, n: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    return prefix + "".join(secrets.choice(alphabet) for _ in range(n))


async def new_route(c: Connection, ops: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    """A new airport with normal and VIP fares from HOME, and two flights to it on new planes:
    5 h from now and 4 h later."""
    while True:
        far = code(random.choice("RUWY"), 2, string.ascii_uppercase)  # never the seed's, never Q..
        body = {"code": far, "name": f"Bench {far}", "city": "Bench", "country": "JP", "time_zone": "Asia/Tokyo"}
        r = await c.request("POST", f"{API}/airports", body, ops)
        if r.status == 201:
            break
        ok(r, "airport", 409)
    soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=5)
    flights = []
    for hours in (0, 4):
        plane = code("R", 8)
        body = {"id": plane, "registration": code("9V-", 6), "aircraft_type": "A319-100", "home_airport": HOME,
                "layout": LAYOUT}  # fmt: skip
        ok(await c.request("POST", f"{API}/planes", body, ops), "plane", 201)
        gate = code("G", 5, string.digits)
        ok(await c.request("POST", f"{API}/airports/{HOME}/gates", {"code": gate}, ops), "gate", 201)
        body = {"number": code("Z", 1, string.ascii_uppercase) + code("", 4, string.digits), "origin": HOME,
                "destination": far, "departure": (soon + timedelta(hours=hours)).isoformat(),
                "duration_minutes": 390, "plane_id": plane, "gate": gate}  # fmt: skip
        flights.append(ok(await c.request("POST", f"{API}/flights", body, ops), "flight", 201))
    cabins = ("normal", "vip")
    fares = [
        {"origin": HOME, "destination": far, "cabin_class": cabin, "passenger_type": pax, "trip_type": "one_way",
         "amount": amount * (3 if cabin == "vip" else 1), "currency": "SGD"}
        for cabin in cabins for pax, amount in UNIT.items()
    ]  # fmt: skip
    rules = [
        {"origin": HOME, "destination": far, "cabin_class": cabin, "refundable": True, "change_fee": 0,
         "currency": "SGD", "checked_bags": 1, "bag_weight_kg": 23}
        for cabin in cabins
    ]  # fmt: skip
    ok(await c.request("PUT", f"{API}/fares", {"fares": fares, "rules": rules}, ops), "fares")
    return far, flights


async def book_all(gateway: str, me: dict[str, str], far: str, flight: dict[str, Any], at_once: int) -> dict[str, Any]:
    """Every group of GROUPS booked and paid on `flight`; seats handed out beforehand (each group
    in a row or two of its cabin) so that concurrent bookings never compete for one."""
    c = Connection(gateway)
    seat_map = ok(await c.request("GET", f"{API}/flights/{flight['id']}/seats"), "seat map")["seats"]
    await c.close()
    free = {cab: [s["seat"] for s in seat_map if s["cabin_class"] == cab and s["state"] == "free"
                  and not s["exit_row"] and not s["blocked"]] for cab in ("normal", "vip")}  # fmt: skip
    seats: dict[str, list[str]] = {}
    for name, (adults, children, _, cabin) in GROUPS.items():
        seats[name], free[cabin] = free[cabin][: adults + children], free[cabin][adults + children :]
    day = datetime.fromisoformat(flight["scheduled_departure_local"]).date().isoformat()
    queue = list(GROUPS)
    booked: dict[str, Any] = {}

    async def one(c: Connection, name: str) -> None:
        adults, children, infants, cabin = GROUPS[name]
        query = {"origin": HOME, "destination": far, "date": day, "adults": adults, "children": children,
                 "infants": infants, "cabin_class": cabin}  # fmt: skip
        offers = ok(await c.request("GET", f"{API}/search", params=query), "search")["offers"]
        offer = next(o for o in offers if [leg["flight"]["id"] for leg in o["legs"]] == [flight["id"]])
        key = me | {"Idempotency-Key": secrets.token_hex(16)}
        bid = ok(await c.request("POST", f"{API}/bookings", {"offer_id": offer["offer_id"]}, key), "create", 201)["id"]
        body = {"passengers": people(name.replace("_", "").title(), adults, children, infants), "contact": CONTACT}
        pax = ok(await c.request("PUT", f"{API}/bookings/{bid}/passengers", body, me), "passengers")["passengers"]
        seated = [p["id"] for p in pax if p["type"] != "infant"]
        choice = [{"passenger_id": p, "seat": s} for p, s in zip(seated, seats[name], strict=True)]
        body = {"flight_id": flight["id"], "seats": choice}
        ok(await c.request("PUT", f"{API}/bookings/{bid}/seats", body, me), "seats")
        key = me | {"Idempotency-Key": secrets.token_hex(16)}
        paid = ok(await c.request("POST", f"{API}/bookings/{bid}/pay", {"method": CARD}, key), "pay")
        if paid["state"] != "confirmed":
            raise SystemExit(f"pay {name}: {paid['state']}")
        booked[name] = {"id": bid, "seated": len(seated), "cabin": cabin}

    async def worker() -> None:
        c = Connection(gateway)
        try:
            while queue:
                await one(c, queue.pop(0))
        finally:
            await c.close()

    await asyncio.gather(*(worker() for _ in range(at_once)))
    return booked


async def cancel_and_wait(
    args: argparse.Namespace, platform: RunningPlatform, ops: dict[str, str], flight_id: str, ids: set[str]
) -> dict[str, Any]:
    """Cancel `flight_id` and poll its re-accommodation view until every booking of `ids` is
    proposed: times from the cancel's 200, CPU from just before the cancel to the last poll."""
    c = Connection(platform.gateway)
    await c.request("GET", f"{API}/flights/{flight_id}/reaccommodation", headers=ops)  # connection open
    busy0 = machine_busy_seconds()
    cpu0 = await asyncio.to_thread(platform_snapshot, platform.pid, platform.data_dir)
    t_send = time.perf_counter()
    r = await c.request("POST", f"{API}/flights/{flight_id}/cancel", {"reason": "aircraft on ground"}, ops)
    t0 = time.perf_counter()
    ok(r, "cancel")
    seen: dict[str, float] = {}
    states: Counter[str] = Counter()
    polls = 0
    while True:
        polls += 1
        view = ok(await c.request("GET", f"{API}/flights/{flight_id}/reaccommodation", headers=ops), "status")
        now = time.perf_counter() - t0
        states = Counter(b["state"] for b in view["bookings"] if b["booking_id"] in ids)
        for b in view["bookings"]:
            if b["booking_id"] in ids and b["state"] == "proposed":
                seen.setdefault(b["booking_id"], now)
        if len(seen) == len(ids) or states["unplaced"]:
            break
        if now > args.timeout:
            break
        await asyncio.sleep(args.poll_interval)
    t_end = time.perf_counter()
    cpu1 = await asyncio.to_thread(platform_snapshot, platform.pid, platform.data_dir)
    busy = machine_busy_seconds() - busy0
    await c.close()
    cpu = delta(cpu0, cpu1)
    return {
        "all_proposed": len(seen) == len(ids),
        "seconds": max(seen.values()) if len(seen) == len(ids) else float("nan"),
        "first": min(seen.values()) if seen else float("nan"),
        "cancel_ms": (t0 - t_send) * 1000,
        "window": t_end - t_send,
        "polls": polls,
        "cpu": cpu,
        "other_cpu": busy - sum(cpu.values()),
        "states": dict(states),
        "run_state": view["run_state"],
        "last_error": view.get("last_error", ""),
    }


async def check_proposals(
    gateway: str, me: dict[str, str], booked: dict[str, Any], later_id: str, later_seats: set[str]
) -> list[str]:
    """What the passenger sees on each booking; the problems found (none expected)."""
    c = Connection(gateway)
    problems, promised = [], []
    for name, b in booked.items():
        prop = ok(await c.request("GET", f"{API}/bookings/{b['id']}", headers=me), "booking").get("reaccommodation")
        if not prop or prop.get("state") != "proposed":
            problems.append(f"{name}: {prop and prop.get('state')}")
            continue
        first = prop["options"][0]
        if [f["flight_id"] for f in first["flights"]] != [later_id] or len(first["seats"]) != b["seated"]:
            problems.append(f"{name}: option {json.dumps(first)[:200]}")
        promised += [s["seat"] for s in first["seats"]]
    await c.close()
    if len(promised) != len(set(promised)):
        problems.append(f"seats promised twice: {sorted(s for s, n in Counter(promised).items() if n > 1)}")
    if not set(promised) <= later_seats:
        problems.append("promised seats not taken on the later flight's seat map")
    return problems


async def one_by_one(platform: RunningPlatform, pg: PgTarget, path: str, n: int, headers: dict[str, str]) -> Any:
    """`n` GETs of `path` one after the other: the window with the latencies as its result."""

    async def work() -> list[float]:
        c = Connection(platform.gateway)
        latencies = []
        for _ in range(n):
            t = time.perf_counter()
            ok(await c.request("GET", path, headers=headers), path)
            latencies.append(time.perf_counter() - t)
        await c.close()
        return latencies

    return await measure(platform, pg, work, 0.0, False)


async def quiet(platform: RunningPlatform, idle: float, at_least: float, at_most: float = 90.0) -> float:
    """Wait `at_least` seconds, then until a second of the platform costs at most twice its idle
    CPU (events, consumers and relays set off before are done): the seconds waited."""
    t0 = time.perf_counter()
    await asyncio.sleep(at_least)
    while time.perf_counter() - t0 < at_most:
        cpu0 = await asyncio.to_thread(platform_snapshot, platform.pid, platform.data_dir)
        t = time.perf_counter()
        await asyncio.sleep(1.0)
        cpu1 = await asyncio.to_thread(platform_snapshot, platform.pid, platform.data_dir)
        if sum(delta(cpu0, cpu1).values()) / (time.perf_counter() - t) <= max(2 * idle, idle + 0.05):
            break
    return time.perf_counter() - t0


def log_problems(data_dir: Path) -> dict[str, Counter[str]]:
    """WARNING and ERROR lines of the services' JSON logs (and tracebacks), by service and message."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for path in sorted((data_dir / "logs").glob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                if "Traceback" in line or "ERROR" in line:
                    out[path.stem][f"(not JSON) {line[:150]}"] += 1
                continue
            level = str(rec.get("log.level") or rec.get("log", {}).get("level") or "").upper()
            if level in ("WARNING", "ERROR", "CRITICAL"):
                out[path.stem][f"{level} {str(rec.get('message', ''))[:150]}"] += 1
    return out


async def run(args: argparse.Namespace) -> dict[str, Any]:
    res: dict[str, Any] = {"rounds": []}
    async with started_platform_handle(args.startup_timeout) as platform:
        pg = PgTarget.of(platform.data_dir)
        c = Connection(platform.gateway)
        tokens = {}
        for role in ("ops", "passenger"):
            body = {"email": f"{role}@airline.local", "password": f"{role}-demo-pass"}
            tokens[role] = {"Authorization": f"Bearer {ok(await c.request('POST', f'{API}/auth/login', body), 'login')['access_token']}"}  # fmt: skip
        await c.close()
        ops, me = tokens["ops"], tokens["passenger"]
        print(f"measuring the idle platform for {args.idle_seconds:.0f} s ...", flush=True)
        idle = Rates.of(await measure(platform, pg, lambda: asyncio.sleep(args.idle_seconds), 0.0, False))
        res["idle"] = idle.cpu_total()
        flight_id = ""
        for n in range(1, args.rounds + 1):
            c = Connection(platform.gateway)
            far, (f0, f1) = await new_route(c, ops)
            await c.close()
            t = time.perf_counter()
            booked = await book_all(platform.gateway, me, far, f0, args.at_once)
            print(f"round {n}: {len(booked)} bookings ({SEATED} seated) on {f0['number']} in {time.perf_counter() - t:.1f} s; cancelling ...", flush=True)  # fmt: skip
            waited = await quiet(platform, idle.cpu_total(), args.settle)  # what the bookings set off
            rnd = await cancel_and_wait(args, platform, ops, f0["id"], {b["id"] for b in booked.values()})
            c = Connection(platform.gateway)
            seat_map = ok(await c.request("GET", f"{API}/flights/{f1['id']}/seats"), "seat map")["seats"]
            await c.close()
            taken = {s["seat"] for s in seat_map if s["state"] != "free"}
            rnd["problems"] = await check_proposals(platform.gateway, me, booked, f1["id"], taken)
            rnd["bookings"] = len(booked)
            res["rounds"].append(rnd)
            flight_id = f0["id"]
            print(f"round {n}: quiet after {waited:.0f} s; all proposed {rnd['seconds']:.2f} s after the cancel's 200, states {rnd['states']}, "
                  f"{rnd['polls']} polls, problems {rnd['problems'] or 'none'}", flush=True)  # fmt: skip
        waited = await quiet(platform, idle.cpu_total(), args.settle)
        print(
            f"baselines (quiet after {waited:.0f} s): {args.reads} trivial reads and {args.reads} polls ...", flush=True
        )
        for name, path, headers in (
            ("trivial", f"{API}/airports/{HOME}", {}),
            ("poll", f"{API}/flights/{flight_id}/reaccommodation", ops),
        ):
            w = await one_by_one(platform, pg, path, args.reads, headers)
            res[name] = {
                "p50": pct(w.result, 50),
                "p99": pct(w.result, 99),
                "cpu_ms": (w.cpu_total() - idle.cpu_total() * w.seconds) / args.reads * 1000,
            }
        res["logs"] = log_problems(platform.data_dir)
        res["log_files"] = len(list((platform.data_dir / "logs").glob("*.log")))
    return res


def report(args: argparse.Namespace, res: dict[str, Any]) -> None:
    rounds = res["rounds"]
    idle, poll_cpu = res["idle"], res["poll"]["cpu_ms"] / 1000
    secs = [r["seconds"] for r in rounds if r["all_proposed"]]
    raw = sum(sum(r["cpu"].values()) for r in rounds)
    win = sum(r["window"] for r in rounds)
    polls = sum(r["polls"] for r in rounds)
    net = raw - idle * win - poll_cpu * polls
    nb = sum(r["bookings"] for r in rounds)
    groups: dict[str, float] = defaultdict(float)
    for r in rounds:
        for g, v in r["cpu"].items():
            groups[g] += v
    print()
    print(
        f"== re-accommodation benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}, "
        f"{os.cpu_count()} cores; {args.rounds} round(s) of {nb // max(1, len(rounds))} bookings "
        f"({SEATED} seated passengers, VIP couple and lap infants among them), poll every {args.poll_interval * 1000:.0f} ms"
    )
    print(f"{'round':<6} {'all proposed s':>14} {'first s':>8} {'cancel ms':>10} {'polls':>6} "
          f"{'platform CPU-s':>15} {'other work CPU-s':>17}  states / problems")  # fmt: skip
    for i, r in enumerate(rounds, 1):
        extra = ", ".join(r["problems"]) or r["last_error"] or ""
        print(f"{i:<6} {r['seconds']:>14.2f} {r['first']:>8.2f} {r['cancel_ms']:>10.0f} {r['polls']:>6} "
              f"{sum(r['cpu'].values()):>15.2f} {r['other_cpu']:>17.2f}  {r['states']} {extra}")  # fmt: skip
    ordered = sorted(secs)
    p50 = ordered[(len(ordered) - 1) // 2] if ordered else float("nan")
    print(f"seconds to all proposals     p50 {p50:.2f}, max {max(secs, default=float('nan')):.2f} "
          f"({len(secs)} of {len(rounds)} rounds all proposed; the claim: within 5 s)")  # fmt: skip
    print(f"platform CPU, cancel to last proposal: {raw:.2f} CPU-s raw over {win:.1f} s; net of idle "
          f"({idle:.3f} CPU-s/s) and of {polls} polls ({poll_cpu * 1000:.2f} ms each): {net:.2f} CPU-s")  # fmt: skip
    print(f"  per booking                {net / nb * 1000:.0f} ms (raw {raw / nb * 1000:.0f} ms); "
          f"per seated passenger {net / (SEATED * len(rounds)) * 1000:.0f} ms")  # fmt: skip
    top = sorted(groups.items(), key=lambda x: -x[1])[:8]
    print("  raw by service, per booking: " + ", ".join(f"{g} {v / nb * 1000:.0f}" for g, v in top) + " ms")
    for name, label in (("trivial", "trivial read GET /api/v1/airports/XSP"), ("poll", "poll GET /flights/{id}/reaccommodation")):  # fmt: skip
        b = res[name]
        print(f"{label:<40} p50 {b['p50']:.1f} ms, p99 {b['p99']:.1f} ms, platform CPU {b['cpu_ms']:.2f} ms/req "
              f"({args.reads} one at a time, idle subtracted)")  # fmt: skip
    print(f"per booking / trivial read   {net / nb * 1000 / res['trivial']['cpu_ms']:.0f} trivial reads' CPU")
    logs = res["logs"]
    print(f"log warnings/errors ({res['log_files']} service logs): " + ("none" if not logs else ""))
    for service, lines in logs.items():
        for msg, count in lines.most_common(3):
            print(f"  {service:<13} {count:>4} x {msg}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--poll-interval", type=float, default=0.05, help="seconds between polls")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds a round waits for every proposal")
    ap.add_argument("--at-once", type=int, default=3, help="bookings made at once (an account may have 3 unpaid)")
    ap.add_argument(
        "--settle",
        type=float,
        default=3.0,
        help="seconds at least before a cancel and the baselines (then until the platform is quiet)",
    )
    ap.add_argument("--reads", type=int, default=300, help="trivial reads (and polls) of the baselines")
    ap.add_argument("--idle-seconds", type=float, default=5.0)
    ap.add_argument("--startup-timeout", type=float, default=240.0)
    args = ap.parse_args()
    report(args, asyncio.run(run(args)))


if __name__ == "__main__":
    main()
