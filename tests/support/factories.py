"""Unique test data: every key a test creates (airport code, plane id, registration, gate,
flight number, e-mail) comes from here, so no test meets another's leftovers; and the
REST creators of a valid airport, plane, gate and flight."""

from __future__ import annotations

import random
import secrets
import string
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.support.http import auth

_issued: set[str] = set()  # every key handed out in this process: never the same one twice


def _fresh(draw: Callable[[], str]) -> str:
    for _ in range(1000):
        value = draw()
        if value not in _issued:
            _issued.add(value)
            return value
    raise AssertionError("the factory ran out of fresh values")


def _letters(n: int, alphabet: str = string.ascii_uppercase) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


UNKNOWN_FIRST = "Q"  # airport codes starting with Q are never created: they are the "unknown" ones
_CREATED_FIRST = string.ascii_uppercase.replace(UNKNOWN_FIRST, "")


def airport_code() -> str:
    """A code for a new airport: three letters, never Q.. and never one of the seed's."""
    from airline.airport.seed import SEED_AIRPORT_CODES

    while (code := _fresh(lambda: secrets.choice(_CREATED_FIRST) + _letters(2))) in SEED_AIRPORT_CODES:
        pass
    return code


def unknown_airport_code() -> str:
    """A well-formed code no test creates (airport_code never starts with Q), for "unknown airport"."""
    return _fresh(lambda: UNKNOWN_FIRST + _letters(2))


def plane_id(prefix: str = "T") -> str:
    """A new plane id (a letter and up to nine letters or digits)."""
    return _fresh(lambda: prefix + _letters(8, string.ascii_uppercase + string.digits))


def registration() -> str:
    """A new plane registration (unique like a real one; Singapore's 9V- prefix, six characters
    after it where the seed's have three)."""
    return _fresh(lambda: "9V-" + _letters(6, string.ascii_uppercase + string.digits))


def gate_code() -> str:
    return _fresh(lambda: "G" + _letters(5, string.digits))


def flight_number() -> str:
    """A flight number no other flight of this session has (numbers are unique per day)."""
    return _fresh(lambda: "Z" + _letters(1) + _letters(4, string.digits))


def email(tag: str = "user") -> str:
    return _fresh(lambda: f"{tag}-{secrets.token_hex(5)}@example.com")


HOME = "XSP"  # the seed's airport X, where the seed's planes (and ours) are based


SMALL_LAYOUT = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 3, "last_row": 12, "seat_letters": "ABC DEF"},
    ]
}


SMALL_CAPACITY = {"vip": 8, "normal": 60}


MAX_TEST_DAYS_AHEAD = 390  # flights are created at most 400 days ahead (AIRLINE_FLIGHTS_MAX_DAYS_AHEAD)


def some_day_ahead(min_days: int = 30, max_days: int = MAX_TEST_DAYS_AHEAD) -> datetime:
    """A random whole minute weeks ahead (UTC), within what the flights service accepts."""
    max_days = min(max_days, MAX_TEST_DAYS_AHEAD)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now + timedelta(
        days=random.randint(min(min_days, max_days), max_days), minutes=random.randint(0, 24 * 60 - 1)
    )


async def new_plane(api: httpx.AsyncClient, ops: str, home: str = HOME, layout: dict[str, Any] | None = None) -> str:
    """A new plane (the small layout unless given) based at `home`: its id."""
    pid = plane_id("F")
    r = await api.post(
        "/api/v1/planes",
        headers=auth(ops),
        json={
            "id": pid,
            "registration": registration(),
            "aircraft_type": "A319-100",
            "home_airport": home,
            "layout": layout or SMALL_LAYOUT,
        },
    )
    assert r.status_code == 201, r.text
    return pid


async def new_gate(api: httpx.AsyncClient, ops: str, airport: str = HOME) -> str:
    gate = gate_code()
    r = await api.post(f"/api/v1/airports/{airport}/gates", headers=auth(ops), json={"code": gate})
    assert r.status_code == 201, r.text
    return gate


async def new_airport(api: httpx.AsyncClient, ops: str, time_zone: str = "Asia/Tokyo") -> str:
    """A new airport. Codes are three letters and each xdist worker draws its own: two workers
    may draw the same one, so a code another worker created first is drawn again."""
    for _ in range(10):
        code = airport_code()
        r = await api.post(
            "/api/v1/airports",
            headers=auth(ops),
            json={"code": code, "name": f"Test {code}", "city": "Testville", "country": "JP", "time_zone": time_zone},
        )
        if r.status_code == 409 and r.json().get("code") == "already_exists":
            continue
        assert r.status_code == 201, r.text
        return code
    raise AssertionError("ten airport codes in a row were taken")


async def create_flight(
    api: httpx.AsyncClient,
    ops: str,
    *,
    plane: str,
    gate: str,
    departure: datetime,
    destination: str = "BKK",
    duration: int = 140,
    number: str | None = None,
) -> dict[str, Any]:
    r = await api.post(
        "/api/v1/flights",
        headers=auth(ops),
        json={
            "number": number or flight_number(),
            "origin": HOME,
            "destination": destination,
            "departure": departure.isoformat(),
            "duration_minutes": duration,
            "plane_id": plane,
            "gate": gate,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


CARD_OK = {
    "type": "card",
    "number": "4242 4242 4242 4242",
    "exp_month": 12,
    "exp_year": 2035,
    "cvc": "123",
    "holder": "Ada Lovelace",
}


CARD_DECLINED = dict(CARD_OK, number="4000 0000 0000 0002")


UNIT = {"adult": 30000, "child": 22000, "infant": 5000}  # per passenger per flight


def years_before(day: date, years: int) -> str:
    return day.replace(year=day.year - years, day=min(day.day, 28)).isoformat()


def person(kind: str, first: str, last: str, born: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "first_name": first,
        "last_name": last,
        "date_of_birth": born,
        "document": {
            "type": "passport",
            "number": "K" + secrets.token_hex(4).upper(),
            "issuing_country": "SG",
            "expiry": "2040-01-31",
        },
        **extra,
    }


def family(travel: date, last: str = "Lovelace") -> list[dict[str, Any]]:
    return [
        person("adult", "Ada", last, "1985-12-10", meal="vegetarian"),
        person("adult", "William", last, "1983-03-21"),
        person("child", "Byron", last, years_before(travel, 6)),
        person("infant", "Annabella", last, years_before(travel, 1), infant_of="P1"),
    ]


CONTACT = {"email": "ada@example.com", "phone": "+6591234567"}


def key() -> str:
    return str(uuid.uuid4())


CARD_3DS = dict(CARD_OK, number="4000 0000 0000 3220")
