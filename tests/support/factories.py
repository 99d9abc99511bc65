"""Unique test data: every key a test creates (airport code, plane id, registration, gate,
flight number, e-mail) comes from here, so no test meets another's leftovers; and the
REST creators of a valid airport, plane, gate and flight."""
from __future__ import annotations

import random
import secrets
import string
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from tests.support.http import auth

HOME = "XSP"  # the seed's airport X, where the seed's planes (and ours) are based


SMALL_LAYOUT = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 3, "last_row": 12, "seat_letters": "ABC DEF"},
    ],
}


SMALL_CAPACITY = {"vip": 8, "normal": 60}


def flight_number() -> str:
    return "Z" + secrets.choice(string.ascii_uppercase) + "".join(secrets.choice(string.digits) for _ in range(4))


MAX_TEST_DAYS_AHEAD = 390  # flights are created at most 400 days ahead (AIRLINE_FLIGHTS_MAX_DAYS_AHEAD)


def some_day_ahead(min_days: int = 30, max_days: int = MAX_TEST_DAYS_AHEAD) -> datetime:
    """A random whole minute weeks ahead (UTC), within what the flights service accepts."""
    max_days = min(max_days, MAX_TEST_DAYS_AHEAD)
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    return now + timedelta(days=random.randint(min(min_days, max_days), max_days), minutes=random.randint(0, 24 * 60 - 1))


async def new_plane(api: httpx.AsyncClient, ops: str, home: str = HOME) -> str:
    for _ in range(10):
        pid = "F" + "".join(secrets.choice(string.digits) for _ in range(7))
        r = await api.post("/api/v1/planes", headers=auth(ops), json={
            "id": pid, "registration": f"9V-{pid[-5:]}", "aircraft_type": "A319-100", "home_airport": home,
            "layout": SMALL_LAYOUT,
        })
        if r.status_code == 201:
            return pid
        assert r.status_code == 409, r.text
    raise AssertionError("no free plane id")


async def new_gate(api: httpx.AsyncClient, ops: str, airport: str = HOME) -> str:
    for _ in range(10):
        gate = "G" + "".join(secrets.choice(string.digits) for _ in range(5))
        r = await api.post(f"/api/v1/airports/{airport}/gates", headers=auth(ops), json={"code": gate})
        if r.status_code == 201:
            return gate
        assert r.status_code == 409, r.text
    raise AssertionError("no free gate code")


async def new_airport(api: httpx.AsyncClient, ops: str, time_zone: str = "Asia/Tokyo") -> str:
    for _ in range(30):
        code = "W" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))
        r = await api.post("/api/v1/airports", headers=auth(ops), json={
            "code": code, "name": f"Test {code}", "city": "Testville", "country": "JP", "time_zone": time_zone,
        })
        if r.status_code == 201:
            return code
        assert r.status_code == 409, r.text
    raise AssertionError("no free airport code")


async def create_flight(api: httpx.AsyncClient, ops: str, *, plane: str, gate: str, departure: datetime,
                        destination: str = "BKK", duration: int = 140, number: str | None = None) -> dict[str, Any]:
    r = await api.post("/api/v1/flights", headers=auth(ops), json={
        "number": number or flight_number(), "origin": HOME, "destination": destination,
        "departure": departure.isoformat(), "duration_minutes": duration, "plane_id": plane, "gate": gate,
    })
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
