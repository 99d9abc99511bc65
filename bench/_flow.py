"""The booking benchmark's traffic: the set-up of a flight of its own (as the demo ops user) and
the guests who book it (create, passengers, seat, pay), timed per step, over the lean client.
A share of the guests can run in another process (run_share_in_process) so that the client
never is the bottleneck on a machine with more cores."""

from __future__ import annotations

import asyncio
import random
import resource
import secrets
import string
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from _http import Connection, Response

HOME = "XSP"
CARD = {"type": "card", "number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}
CONTACT = {"email": "bench@example.com", "phone": "+6591234567"}
STEPS = ("create", "passengers", "seat_won", "seat_lost", "pay")
OUTCOMES = ("confirmed", "no_seat", "lost_at_payment", "error")


def ok(r: Response, what: str, *codes: int) -> Any:
    if r.status not in (codes or (200, 201)):
        raise SystemExit(f"{what}: {r.status} {r.text[:300]}")
    return r.json()


async def setup(gateway: str, rows: int) -> tuple[str, str, list[str]]:
    """A route, plane, flight and fares of the benchmark's own; the offer id and the free seats."""
    c = Connection(gateway)
    r = await c.request("POST", "/api/v1/auth/login", {"email": "ops@airline.local", "password": "ops-demo-pass"})
    ops = {"Authorization": f"Bearer {ok(r, 'login')['access_token']}"}
    far = "V" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))
    airport = {"code": far, "name": f"Bench {far}", "city": "Bench", "country": "JP", "time_zone": "Asia/Tokyo"}
    ok(await c.request("POST", "/api/v1/airports", airport, ops), "airport", 201, 409)
    plane = "B" + "".join(secrets.choice(string.digits) for _ in range(6))
    layout = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": rows, "seat_letters": "ABC DEF"}]}
    body = {
        "id": plane,
        "registration": f"9V-{plane[-5:]}",
        "aircraft_type": "A320-200",
        "home_airport": HOME,
        "layout": layout,
    }
    ok(await c.request("POST", "/api/v1/planes", body, ops), "plane", 201)
    gate = "BG" + plane[-4:]
    ok(await c.request("POST", f"/api/v1/airports/{HOME}/gates", {"code": gate}, ops), "gate", 201, 409)
    departure = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=random.randint(150, 390))
    body = {
        "number": "B" + plane[-4:],
        "origin": HOME,
        "destination": far,
        "departure": departure.isoformat(),
        "duration_minutes": 300,
        "plane_id": plane,
        "gate": gate,
    }
    flight = ok(await c.request("POST", "/api/v1/flights", body, ops), "flight", 201)
    route = {"origin": HOME, "destination": far, "cabin_class": "normal"}
    fares = [
        {**route, "passenger_type": p, "trip_type": "one_way", "amount": 20000, "currency": "SGD"}
        for p in ("adult", "child", "infant")
    ]
    rules = [{**route, "refundable": False, "change_fee": 0, "currency": "SGD", "checked_bags": 1, "bag_weight_kg": 23}]
    ok(await c.request("PUT", "/api/v1/fares", {"fares": fares, "rules": rules}, ops), "fares")
    day = datetime.fromisoformat(flight["scheduled_departure_local"]).date().isoformat()
    query = {"origin": HOME, "destination": far, "date": day, "adults": 1}
    offers = ok(await c.request("GET", "/api/v1/search", params=query), "search")["offers"]
    offer = next(o for o in offers if o["legs"][0]["flight"]["id"] == flight["id"])
    seat_map = ok(await c.request("GET", f"/api/v1/flights/{flight['id']}/seats"), "seat map")
    seats = [s["seat"] for s in seat_map["seats"] if not s["exit_row"] and not s["blocked"]]
    await c.close()
    return offer["offer_id"], flight["id"], seats


@dataclass
class ShareResult:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    errors: list[str] = field(default_factory=list)
    started: float = 0.0  # wall clock (time.time()), comparable across processes
    ended: float = 0.0
    client_cpu: float = 0.0  # this process's CPU-seconds during the share

    def merge(self, other: ShareResult) -> None:
        for step in STEPS:
            self.latencies[step].extend(other.latencies[step])
        for k in OUTCOMES:
            self.outcomes[k] += other.outcomes[k]
        self.errors.extend(other.errors[: max(0, 5 - len(self.errors))])
        self.started = min(self.started or other.started, other.started)
        self.ended = max(self.ended, other.ended)
        self.client_cpu += other.client_cpu


async def _timed(out: ShareResult, step: str, coro: Any) -> Response:
    t0 = time.perf_counter()
    r: Response = await coro
    out.latencies[step].append(time.perf_counter() - t0)
    return r


def _fail(out: ShareResult, what: str, r: Response) -> None:
    out.outcomes["error"] += 1
    if len(out.errors) < 5:
        out.errors.append(f"{what}: {r.status} {r.text[:200]}")


async def book(
    c: Connection, out: ShareResult, offer_id: str, flight_id: str, seats: list[str], first: str | None, attempts: int
) -> None:
    """One guest: create a booking (1 adult), name the passenger, take a seat (`first`, then random
    ones on 409, at most `attempts` tries), pay with the sandbox card."""
    # each guest from an address of its own (the platform trusts one proxy hop): a guest's held
    # seats count against its client address, at most 9 at once per flight
    me = {"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"}
    key = me | {"Idempotency-Key": secrets.token_hex(16)}
    r = await _timed(out, "create", c.request("POST", "/api/v1/bookings", {"offer_id": offer_id}, key))
    if r.status != 201:
        return _fail(out, "create", r)
    created = r.json()
    bid, token = created["id"], me | {"X-Manage-Token": created["manage_token"]}
    document = {"type": "passport", "number": "K" + secrets.token_hex(4).upper(), "issuing_country": "SG"}
    passenger = {
        "type": "adult",
        "first_name": "Bench",
        "last_name": "Mark",
        "date_of_birth": "1980-01-01",
        "document": {**document, "expiry": "2045-01-01"},
    }
    body = {"contact": CONTACT, "passengers": [passenger]}
    r = await _timed(out, "passengers", c.request("PUT", f"/api/v1/bookings/{bid}/passengers", body, token))
    if r.status != 200:
        return _fail(out, "passengers", r)
    for attempt in range(attempts):
        seat = first if attempt == 0 and first else random.choice(seats)
        body = {"flight_id": flight_id, "seats": [{"passenger_id": "P1", "seat": seat}]}
        t0 = time.perf_counter()
        r = await c.request("PUT", f"/api/v1/bookings/{bid}/seats", body, token)
        if r.status == 200:
            out.latencies["seat_won"].append(time.perf_counter() - t0)
            break
        if r.status != 409:
            return _fail(out, "seat", r)
        out.latencies["seat_lost"].append(time.perf_counter() - t0)
    else:
        out.outcomes["no_seat"] += 1
        return
    headers = token | {"Idempotency-Key": secrets.token_hex(16)}
    r = await _timed(out, "pay", c.request("POST", f"/api/v1/bookings/{bid}/pay", {"method": CARD}, headers))
    if r.status == 200 and r.json()["state"] == "confirmed":
        out.outcomes["confirmed"] += 1
    elif r.status == 409:
        out.outcomes["lost_at_payment"] += 1
    else:
        _fail(out, "pay", r)


async def run_share(
    gateway: str,
    offer_id: str,
    flight_id: str,
    seats: list[str],
    firsts: list[str | None],
    concurrency: int,
    attempts: int,
) -> ShareResult:
    """len(firsts) guests (guest i tries firsts[i] first, or a random seat when None), from
    `concurrency` workers with a keep-alive connection each."""
    out = ShareResult()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    for first in firsts:
        queue.put_nowait(first)

    async def worker() -> None:
        c = Connection(gateway)
        try:
            while not queue.empty():
                first = queue.get_nowait()
                try:
                    await book(c, out, offer_id, flight_id, seats, first, attempts)
                except (OSError, TimeoutError, ValueError, KeyError) as e:
                    out.outcomes["error"] += 1
                    out.errors.append(f"{type(e).__name__}: {e}"[:200])
                    await c.close()
        finally:
            await c.close()

    r0 = resource.getrusage(resource.RUSAGE_SELF)
    out.started = time.time()
    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(firsts))))))
    out.ended = time.time()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    out.client_cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    return out


def run_share_in_process(*args: Any) -> ShareResult:
    """run_share in a process of its own (a ProcessPoolExecutor worker)."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    return asyncio.run(run_share(*args))


def warm_up() -> None:
    """Nothing: submitted once so that a pool's processes exist before the measured window."""
