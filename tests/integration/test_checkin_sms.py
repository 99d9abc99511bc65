"""Seed: "Send code (8 characters) into phone number of passenger". Across three services: the
booking confirms, check-in issues the codes, notification texts them; read back through the SMS
outbox API as staff and developers read it."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import datetime
from typing import Any

import httpx
import pytest

from airline.platform.settings import PlatformSettings
from tests.support.booking import book, issued_codes, near_trip
from tests.support.factories import CONTACT, family
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


async def sms_of(api: httpx.AsyncClient, admin: str, booking_id: str, want: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 20
    while True:
        r = await api.get(
            "/api/v1/notifications",
            headers=auth(admin),
            params={"channel": "sms", "reference": booking_id, "page_size": 50},
        )
        assert r.status_code == 200, r.text
        messages = r.json()["messages"]
        if len(messages) >= want or time.monotonic() > deadline:
            return messages  # type: ignore[no-any-return]
        await asyncio.sleep(0.2)


async def test_a_confirmed_booking_texts_one_8_character_code_per_passenger(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    travel = datetime.fromisoformat(outbound["scheduled_departure"].replace("Z", "+00:00")).date()
    people = family(travel)
    booking = await book(api, tokens["passenger"], far, outbound, inbound, people, adults=2, children=1, infants=1)
    passengers = booking["passengers"]

    messages = await sms_of(api, tokens["admin"], booking["id"], len(passengers))
    await asyncio.sleep(1.0)  # a duplicate would land right after: give it the time to (not) come
    messages = await sms_of(api, tokens["admin"], booking["id"], len(passengers))

    assert len(messages) == len(passengers) == 4  # one SMS per passenger, infants included, none twice
    assert {m["kind"] for m in messages} == {"checkin_code"}
    assert {m["recipient"] for m in messages} == {CONTACT["phone"]}  # the booking's phone
    assert all(m["status"] == "sent" for m in messages)
    codes = [c for m in messages for c in re.findall(rf"\b[{ALPHABET}]{{8}}\b", m["body"])]
    assert len(codes) == len(set(codes)) == len(passengers)
    # and they are the very codes the check-in service issued, one per passenger
    issued = await issued_codes(settings, booking)
    assert sorted(codes) == sorted(e["payload"]["code"] for e in issued.values())
    for m in messages:
        owner = next(e["payload"] for e in issued.values() if e["payload"]["code"] in m["body"])
        assert owner["first_name"] in m["body"]
    # passengers and agents do not read the outbox
    for role in ("passenger", "agent"):
        r = await api.get("/api/v1/notifications", headers=auth(tokens[role]), params={"reference": booking["id"]})
        assert r.status_code == 403, r.text
