"""Helpers of the inventory tests: publishing booking events and waiting for their effect."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc

from airline.platform.events import Envelope
from airline.platform.kafka import make_producer
from airline.platform.settings import PlatformSettings


async def publish(
    settings: PlatformSettings,
    topic: str,
    key: str,
    type_: str,
    payload: dict[str, Any],
    envelope: Envelope | None = None,
) -> Envelope:
    envelope = envelope or Envelope(type=type_, version=1, producer="test", key=key, payload=payload)
    producer = make_producer(settings.kafka_bootstrap_servers or "", "inventory-test")
    await producer.start()
    try:
        await producer.send_and_wait(topic, envelope.to_json(), key=key.encode())
    finally:
        await producer.stop()
    return envelope


def booking_confirmed(flight_id: str, origin: str, cabin: str, passengers: list[tuple[str, str]]) -> dict[str, Any]:
    """BookingConfirmed as airline.booking.service.confirmed_payload shapes it."""
    bid = str(uuid.uuid4())
    leg = {
        "flight_id": flight_id,
        "number": "XA1",
        "origin": origin,
        "destination": "AOR",
        "scheduled_departure": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
    }
    people = [
        {
            "id": f"P{i + 1}",
            "type": ptype,
            "first_name": "Ann",
            "last_name": "Lee",
            "date_of_birth": "1990-01-01",
            "document": {},
            "infant_of": "",
            "meal": meal,
            "flights": [{"flight_id": flight_id, "seat": "", "e_ticket": ""}],
        }
        for i, (ptype, meal) in enumerate(passengers)
    ]
    return {
        "booking_id": bid,
        "pnr": "ABC123",
        "cabin_class": cabin,
        "trip_type": "one_way",
        "total": 100,
        "currency": "SGD",
        "flights": [leg],
        "passengers": people,
        "bags": [],
        "contact": {},
        "meals": [{"passenger_id": p["id"], "meal": p["meal"]} for p in people if p["meal"]],
    }


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 60) -> Any:
    async with asyncio.timeout(timeout):
        while True:
            try:
                value = await check()
            except grpc.aio.AioRpcError as e:
                if e.code() != grpc.StatusCode.NOT_FOUND:
                    raise
                value = None
            if value:
                return value
            await asyncio.sleep(0.2)
