"""Flight disruptions seen from bookings: a delayed flight's bookings show the new times; a
cancelled flight's bookings are marked, their passengers notified (a recorded message and a
PassengersNotified event), and a cancellation then refunds in full even on a
non-refundable fare."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from airline.contracts.events import booking as booking_events
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.booking import free_seats, offer_for, published, route_with_round_trip
from tests.support.factories import CARD_OK, CONTACT, key, person, utc
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 60) -> Any:
    async with asyncio.timeout(timeout):
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(0.2)


async def test_delay_and_cancellation_reach_the_bookings(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, services: dict[str, RunningService]
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    far, outbound, _ = await route_with_round_trip(api, tokens["ops"], refundable=False)
    offer = await offer_for(api, far, outbound, None, adults=1)
    bid = (await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me)).json()["id"]
    await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=me,
        json={"passengers": [person("adult", "Delia", "Late", "1981-08-08")], "contact": CONTACT},
    )
    seat = (await free_seats(api, outbound["id"], 1))[0]
    r = await api.put(
        f"/api/v1/bookings/{bid}/seats",
        headers=me,
        json={"flight_id": outbound["id"], "seats": [{"passenger_id": "P1", "seat": seat}]},
    )
    assert r.status_code == 200, r.text
    r = await api.post(f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    total = r.json()["total"]

    new_departure = utc(outbound["scheduled_departure"]) + timedelta(minutes=95)
    r = await api.post(
        f"/api/v1/flights/{outbound['id']}/delay",
        headers=ops,
        json={"new_departure": new_departure.isoformat(), "delay_code": "93", "reason": "late inbound aircraft"},
    )
    assert r.status_code == 200, r.text

    async def delayed() -> dict[str, Any] | None:
        leg = (await api.get(f"/api/v1/bookings/{bid}", headers=me)).json()["legs"][0]
        return leg if leg["status"] == "delayed" else None

    leg = await eventually(delayed)
    assert utc(leg["estimated_departure"]) == new_departure
    assert utc(leg["estimated_arrival"]) == new_departure + timedelta(minutes=390)
    assert leg["status"] == "delayed" and leg["status_reason"] == "late inbound aircraft"

    r = await api.post(f"/api/v1/flights/{outbound['id']}/cancel", headers=ops, json={"reason": "technical fault"})
    assert r.status_code == 200, r.text

    async def marked() -> dict[str, Any] | None:
        b = (await api.get(f"/api/v1/bookings/{bid}", headers=me)).json()
        return b if b["flight_cancelled"] else None

    booking = await eventually(marked)
    assert "technical fault" in booking["disruption"] and booking["legs"][0]["status"] == "cancelled"
    # the delay and the cancellation are each told (issue 14, item 3)
    told = await published(settings.kafka_bootstrap_servers or "", booking_events.PASSENGERS_NOTIFIED.topic, bid, 2)
    [event] = [e for e in told if e["payload"]["kind"] == "flight_cancelled"]
    assert event["payload"]["phone"] == CONTACT["phone"] and booking["pnr"] in event["payload"]["message"]
    from airline.booking.store import BookingRepository

    async with services["booking"].runtime.db.uow() as uow:
        notes = await BookingRepository(uow.conn).notifications(bid)
    # (the re-accommodation's own notice, here "no other flight: refund or voucher", is told by
    # its worker, whenever it runs: test_booking_reaccommodation.py counts those)
    assert [(n["kind"], n["email"]) for n in notes if n["kind"] != "reaccommodation"] == [
        ("flight_delayed", CONTACT["email"]),
        ("flight_cancelled", CONTACT["email"]),
    ]

    # the airline cancelled: a full refund, although the fare is non-refundable
    r = await api.post(f"/api/v1/bookings/{bid}/cancel", headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["refunded_amount"] == total
    assert datetime.fromisoformat(r.json()["updated_at"].replace("Z", "+00:00"))
