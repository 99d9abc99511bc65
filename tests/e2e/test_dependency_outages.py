"""Kill -9 each embedded server under `airline up` while passengers book: the supervisor starts it
again, the services reconnect without a restart, readiness turns false and back to true, and
no confirmed booking is lost or doubled; the outboxes drain and every confirmed booking gets its
confirmation e-mail exactly once (issue 20).

The load is a few guests booking one-way seats through the gateway and retrying as a passenger
would; a payment whose answer was lost is asked again with the same Idempotency-Key."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import sqlalchemy as sa

from airline.platform.db import make_engine
from airline.platform.settings import SERVICES
from tests.support.booking import offer_for, route_with_round_trip
from tests.support.factories import CARD_OK, CONTACT, key, person
from tests.support.platform import Platform, stop_stray_postgres

pytestmark = pytest.mark.e2e

BACK_WITHIN_S = 30  # the platform serves fully again this long after the server's return
WORKERS = 4


@dataclass
class Load:
    """What the booking guests did: confirmed booking ids, and how many attempts failed."""

    confirmed: set[str] = field(default_factory=set)
    failed: int = 0


async def _book_once(api: httpx.AsyncClient, offer: dict[str, Any], flight_id: str, seats: list[str]) -> str | None:
    """One guest's booking; None when a step failed (the guest starts over). A payment whose
    answer did not come back is asked again with the same key until it has one."""
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers={"Idempotency-Key": key()})
    if r.status_code != 201:
        return None
    bid, manage = r.json()["id"], {"X-Manage-Token": r.json()["manage_token"]}
    guest = person("adult", "Chaos", "Monkey", "1980-01-01")
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers", headers=manage, json={"passengers": [guest], "contact": CONTACT}
    )
    if r.status_code != 200:
        return None
    pid = r.json()["passengers"][0]["id"]
    for seat in secrets.SystemRandom().sample(seats, 6):
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=manage,
            json={"flight_id": flight_id, "seats": [{"passenger_id": pid, "seat": seat}]},
        )
        if r.status_code == 200:
            break
    else:
        return None
    pay_key = key()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            r = await api.post(
                f"/api/v1/bookings/{bid}/pay", headers=manage | {"Idempotency-Key": pay_key}, json={"method": CARD_OK}
            )
        except httpx.HTTPError:
            await asyncio.sleep(0.5)
            continue
        if r.status_code == 200:
            return bid if r.json()["state"] == "confirmed" else None
        if r.status_code < 500 and r.status_code not in (409, 429):
            return None  # a definite no (e.g. the hold expired during the outage)
        await asyncio.sleep(0.5)  # unknown outcome: ask again, same key
    return None


async def _guest(
    api: httpx.AsyncClient, offer: dict[str, Any], flight_id: str, seats: list[str], load: Load, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        try:
            bid = await _book_once(api, offer, flight_id, seats)
        except httpx.HTTPError:
            bid = None
        if bid is None:
            load.failed += 1
            await asyncio.sleep(0.3)
        else:
            load.confirmed.add(bid)


async def _wait_for(what: str, check: Callable[[], Awaitable[bool]], within: float, every: float = 0.25) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < within:
        if await check():
            return time.monotonic() - t0
        await asyncio.sleep(every)
    raise AssertionError(f"{what} not within {within:.0f}s")


def _service_pids(platform: Platform) -> dict[str, int]:
    assert platform.proc is not None
    out = {}
    for p in psutil.Process(platform.proc.pid).children():
        cmd = p.cmdline()
        if "serve" in cmd:
            out[cmd[-1]] = p.pid
    return out


def _server_pid(platform: Platform, server: str) -> int:
    """The pid of an embedded server: postgres' postmaster, or the redis / broker child."""
    if server == "postgres":
        return int((platform.data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    assert platform.proc is not None
    needle = "redis-server" if server == "redis" else "tansu"
    for p in psutil.Process(platform.proc.pid).children():
        try:
            if needle in " ".join(p.cmdline()):
                return p.pid
        except psutil.Error:  # a zombie on its way out
            continue
    raise AssertionError(f"no {server} under airline up")


async def _ready(api: httpx.AsyncClient) -> bool:
    """Every service ready (the gateway answers 200 while only some are: "degraded")."""
    try:
        r = await api.get("/readyz", timeout=3)
        services = r.json().get("services", {}) if r.status_code == 200 else {}
        return bool(services) and all(s.get("status") == "ready" for s in services.values())
    except (httpx.HTTPError, ValueError):
        return False


async def _sql(url: str, query: str) -> list[Any]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(sa.text(query))).all())
    finally:
        await engine.dispose()


def _database_url(pid: int) -> str:
    """The PostgreSQL URL `airline up` gave its services (its embedded server's socket)."""
    return psutil.Process(pid).environ()["DATABASE_URL"]


async def _outage(platform: Platform, api: httpx.AsyncClient, server: str, load: Load) -> None:
    before = len(load.confirmed)
    await _wait_for("some bookings before the outage", lambda: _count_above(load, before, 2), 60)
    victim = _server_pid(platform, server)
    os.kill(victim, signal.SIGKILL)
    if server == "postgres":  # only the database makes services unready
        # the supervisor has it back within seconds: look often not to miss the window
        await _wait_for("readiness to turn false", lambda: _not(_ready(api)), 15, every=0.05)

    async def back() -> bool:
        try:
            return _server_pid(platform, server) != victim
        except (AssertionError, OSError, ValueError):
            return False

    await _wait_for(f"{server} to be started again", back, 60)
    took = await _wait_for(f"readiness after {server} returned", lambda: _ready(api), BACK_WITHIN_S)
    print(f"\n{server}: killed, restarted, ready again {took:.1f}s after its return")
    returned = len(load.confirmed)
    await _wait_for(
        f"bookings confirmed again after {server} returned", lambda: _count_above(load, returned, 2), BACK_WITHIN_S
    )


async def _count_above(load: Load, n: int, more: int) -> bool:
    return len(load.confirmed) >= n + more


async def _not(probe: Awaitable[bool]) -> bool:
    return not await probe


async def test_each_embedded_server_killed_during_bookings_comes_back_and_nothing_is_lost(tmp_path: Path) -> None:
    platform = Platform(tmp_path / "data")
    stop = asyncio.Event()
    workers: list[asyncio.Task[None]] = []
    try:
        platform.start()
        async with httpx.AsyncClient(base_url=platform.base, timeout=30) as api:
            r = await api.post("/api/v1/auth/login", json={"email": "ops@airline.local", "password": "ops-demo-pass"})
            ops = r.json()["access_token"]
            far, outbound, _ = await route_with_round_trip(api, ops)
            offer = await offer_for(api, far, outbound, None)
            seat_map = (await api.get(f"/api/v1/flights/{outbound['id']}/seats")).json()
            seats = [s["seat"] for s in seat_map["seats"] if s["state"] == "free" and not s["exit_row"]]
            services = _service_pids(platform)
            assert set(services) >= set(SERVICES)
            load = Load()
            workers = [
                asyncio.create_task(_guest(api, offer, outbound["id"], seats, load, stop)) for _ in range(WORKERS)
            ]
            for server in ("postgres", "redis", "broker"):
                await _outage(platform, api, server, load)
            stop.set()
            await asyncio.gather(*workers)
            assert _service_pids(platform) == services, "no service was restarted"

            url = _database_url(services["booking"])
            schemas = ", ".join(f"'{s}'" for s in SERVICES)

            async def drained() -> bool:
                waiting = 0
                for (schema,) in await _sql(url, f"select nspname from pg_namespace where nspname in ({schemas})"):
                    rows = await _sql(url, f'select count(*) from "{schema}".outbox where published_at is null')
                    waiting += rows[0][0]
                return waiting == 0

            await _wait_for("every outbox to drain", drained, 60)
            confirmed = sorted(load.confirmed)
            ids = ", ".join(f"'{b}'" for b in confirmed)
            assert len(confirmed) >= 8, f"too few bookings to tell anything: {load}"

            states = await _sql(url, f"select id, state from booking.bookings where id in ({ids})")
            assert {b: s for b, s in states} == dict.fromkeys(confirmed, "confirmed"), "a confirmed booking was lost"
            captured = await _sql(
                url,
                f"select reference, count(*) from payment.payments where reference in ({ids}) "
                "and status = 'captured' group by reference",
            )
            assert {b: n for b, n in captured} == dict.fromkeys(confirmed, 1), "a booking was paid twice or not at all"

            async def mailed_once() -> bool:
                sent = await _sql(
                    url,
                    "select reference, count(*) from notification.messages where kind = 'booking_confirmed' "
                    f"and reference in ({ids}) group by reference",
                )
                counts = {b: n for b, n in sent}
                assert all(n == 1 for n in counts.values()), f"a confirmation went out twice: {counts}"
                unsent[:] = sorted(set(confirmed) - set(counts))
                return not unsent

            unsent: list[str] = []
            # a bound on "eventually", not a speed: after the broker's restart the notification
            # consumer rejoins its group (and retries what failed meanwhile) on a loaded machine
            try:
                await _wait_for("every confirmed booking's e-mail", mailed_once, 120)
            except AssertionError as e:
                raise AssertionError(f"{e}: {len(unsent)} of {len(confirmed)} never told, e.g. {unsent[:3]}") from None
            print(f"{len(confirmed)} bookings confirmed through three outages, {load.failed} attempts failed")
    finally:
        stop.set()
        for w in workers:
            w.cancel()
        if platform.proc is not None and platform.proc.poll() is None:
            platform.stop(signal.SIGTERM)
        stop_stray_postgres(tmp_path / "data" / "postgres")
