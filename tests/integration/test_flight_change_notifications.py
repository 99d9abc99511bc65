"""Issue 14, item 3 — tell people, once each: a delay, gate change or diversion reaches the
contact of each confirmed booking on the flight as one SMS and one e-mail (through booking's
PassengersNotified and the notification service, against the real services and broker); a
redelivered or replayed event sends nothing more; a change undone within the settle window
sends nothing; a delay shows the new time in the airport's local time; drafts get nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa

from airline.contracts.events import booking as booking_events
from airline.notification.service import NotificationService
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.booking import free_seats, offer_for, published, route_with_round_trip
from tests.support.factories import CARD_OK, key, new_gate, person, utc
from tests.support.http import auth
from tests.support.notification import publish

pytestmark = pytest.mark.usefixtures("seed_airports")

SETTLE = 3.0


@pytest.fixture
async def settle(services: dict[str, RunningService]) -> AsyncIterator[NotificationService]:
    """The running notification service with a short settle window (the default is 60 s)."""
    service: NotificationService = services["notification"].parts.service  # type: ignore[attr-defined]
    before = service.settings
    service.settings = before.model_copy(update={"settle_seconds": SETTLE})
    try:
        yield service
    finally:
        service.settings = before


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 60) -> Any:
    async with asyncio.timeout(timeout):
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(0.2)


async def book(
    api: httpx.AsyncClient, far: str, flight: dict[str, Any], n: int, *, pay: bool = True
) -> tuple[str, dict[str, str]]:
    """A booking for one adult with a seat on `flight`, its contact numbered `n`; paid when `pay`."""
    offer = await offer_for(api, far, flight, None, adults=1)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]})
    assert r.status_code == 201, r.text
    bid, headers = r.json()["id"], {"X-Manage-Token": r.json()["manage_token"]}
    contact = {"email": f"pax{n}-{bid[:8]}@example.com", "phone": f"+659123{n:04d}"}
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=headers,
        json={"contact": contact, "passengers": [person("adult", "Ada", f"Lovelace{'abcdefgh'[n]}", "1985-12-10")]},
    )
    assert r.status_code == 200, r.text
    seat = (await free_seats(api, flight["id"], 1))[0]
    r = await api.put(
        f"/api/v1/bookings/{bid}/seats",
        headers=headers,
        json={"flight_id": flight["id"], "seats": [{"passenger_id": "P1", "seat": seat}]},
    )
    assert r.status_code == 200, r.text
    if pay:
        r = await api.post(
            f"/api/v1/bookings/{bid}/pay", headers=headers | {"Idempotency-Key": key()}, json={"method": CARD_OK}
        )
        assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    return bid, contact


async def disruption_messages(api: httpx.AsyncClient, admin: str, booking_id: str) -> list[dict[str, Any]]:
    r = await api.get(
        "/api/v1/notifications",
        params={"reference": booking_id, "kind": "flight_disruption", "page_size": 200},
        headers=auth(admin),
    )
    assert r.status_code == 200, r.text
    return r.json()["messages"]  # type: ignore[no-any-return]


async def settled(api: httpx.AsyncClient, admin: str, booking_id: str, count: int) -> list[dict[str, Any]]:
    """The booking's flight-change messages once `count` exist and none is still held."""

    async def done() -> list[dict[str, Any]] | None:
        got = await disruption_messages(api, admin, booking_id)
        return got if len(got) >= count and all(m["status"] != "queued" for m in got) else None

    return await eventually(done)  # type: ignore[no-any-return]


async def handled(services: dict[str, RunningService], event_id: str) -> bool:
    """Whether the notification service's consumer has recorded this event."""
    async with services["notification"].runtime.db.uow() as uow:
        q = sa.text("SELECT 1 FROM notification.processed_events WHERE event_id = :id")
        return (await uow.conn.execute(q, {"id": event_id})).first() is not None


async def test_a_gate_change_reaches_each_confirmed_contact_once(
    api: httpx.AsyncClient,
    tokens: dict[str, str],
    settings: PlatformSettings,
    services: dict[str, RunningService],
    settle: NotificationService,
) -> None:
    ops, admin = tokens["ops"], tokens["admin"]
    far, flight, _ = await route_with_round_trip(api, ops)
    (first, c1), (second, c2) = await book(api, far, flight, 1), await book(api, far, flight, 2)
    draft, _ = await book(api, far, flight, 3, pay=False)

    gate = await new_gate(api, ops)
    r = await api.post(
        f"/api/v1/flights/{flight['id']}/gate", headers=auth(ops), json={"gate": gate, "reason": "apron works"}
    )
    assert r.status_code == 200, r.text

    for bid, contact in ((first, c1), (second, c2)):
        got = await settled(api, admin, bid, 2)
        assert sorted((m["channel"], m["recipient"], m["status"]) for m in got) == [
            ("email", contact["email"], "sent"),
            ("sms", contact["phone"], "sent"),
        ]
        assert all(f"gate {gate}" in m["body"] and flight["number"] in m["body"] for m in got)

    # the same PassengersNotified again (a redelivery) and once more under a new event id (a
    # replay, as if booking handled the gate change twice): nothing more is sent
    [event] = [
        e
        for e in await published(
            settings.kafka_bootstrap_servers or "", booking_events.PASSENGERS_NOTIFIED.topic, first
        )
        if e["payload"]["kind"] == "flight_gate_changed"
    ]
    again = Envelope.from_json(json.dumps(event))
    replayed = dataclasses.replace(again, event_id=f"{again.event_id[:-12]}{'0' * 12}")
    await publish(settings, booking_events.PASSENGERS_NOTIFIED.topic, again, replayed)
    await eventually(lambda: handled(services, replayed.event_id))
    await asyncio.sleep(SETTLE + 2 * settle.settings.dispatch_interval_seconds)
    assert len(await disruption_messages(api, admin, first)) == 2

    # a booking not yet paid has no ticket: its contact is told nothing
    assert await disruption_messages(api, admin, draft) == []


async def test_a_gate_change_undone_within_the_window_sends_nothing(
    api: httpx.AsyncClient, tokens: dict[str, str], settle: NotificationService
) -> None:
    ops, admin = tokens["ops"], tokens["admin"]
    far, flight, _ = await route_with_round_trip(api, ops)
    bid, _ = await book(api, far, flight, 1)
    other = await new_gate(api, ops)
    for gate in (other, flight["gate"]):
        r = await api.post(f"/api/v1/flights/{flight['id']}/gate", headers=auth(ops), json={"gate": gate})
        assert r.status_code == 200, r.text

    got = await settled(api, admin, bid, 4)
    assert len(got) == 4 and {m["status"] for m in got} == {"superseded"}, got
    assert {m["last_error"].split(":")[0] for m in got} == {
        "superseded by a later change within the settle window",
        "undone within the settle window",
    }


async def test_a_longer_delay_sends_one_message_with_the_local_time(
    api: httpx.AsyncClient, tokens: dict[str, str], settle: NotificationService
) -> None:
    ops, admin = tokens["ops"], tokens["admin"]
    far, flight, _ = await route_with_round_trip(api, ops)
    bid, contact = await book(api, far, flight, 1)
    scheduled = utc(flight["scheduled_departure"])
    for minutes in (30, 60):
        r = await api.post(
            f"/api/v1/flights/{flight['id']}/delay",
            headers=auth(ops),
            json={
                "new_departure": (scheduled + timedelta(minutes=minutes)).isoformat(),
                "delay_code": "93",
                "reason": "late crew",
            },
        )
        assert r.status_code == 200, r.text

    got = await settled(api, admin, bid, 4)
    sent = [m for m in got if m["status"] == "sent"]
    assert sorted((m["channel"], m["recipient"]) for m in sent) == [
        ("email", contact["email"]),
        ("sms", contact["phone"]),
    ]
    assert [m["status"] for m in got if m not in sent] == ["superseded", "superseded"]
    local = (scheduled + timedelta(minutes=60)).astimezone(ZoneInfo(flight["origin_time_zone"]))
    zone = local.strftime("%Z")
    zone = zone if zone[0] not in "+-" else f"UTC{local:%z}"[:6] + ":" + f"{local:%z}"[3:]
    for m in sent:
        assert f"New departure: {local:%d %b %Y %H:%M} {zone}" in m["body"], m["body"]
