"""Helpers of the notification tests: publishing events the service consumes."""

from __future__ import annotations

from airline.platform.events import Envelope
from airline.platform.kafka import make_producer
from airline.platform.settings import PlatformSettings

PHONE = "+6591234567"


async def publish(settings: PlatformSettings, topic: str, *envelopes: Envelope) -> None:
    producer = make_producer(settings.require("kafka_bootstrap_servers"), "notification-tests")
    await producer.start()
    try:
        for e in envelopes:
            await producer.send_and_wait(topic, key=e.key.encode(), value=e.to_json())
    finally:
        await producer.stop()


def checkin_event(booking_id: str, passenger_id: str, code: str, phone: str = PHONE) -> Envelope:
    return Envelope(
        type="CheckinCodeIssued",
        version=1,
        producer="checkin",
        key=booking_id,
        payload={
            "booking_id": booking_id,
            "pnr": "K7Q2XA",
            "passenger_id": passenger_id,
            "first_name": "Ada",
            "last_name": "Lovelace",
            "phone": phone,
            "email": "ada@example.com",
            "code": code,
            "flights": [
                {
                    "flight_id": "f1",
                    "number": "XA101",
                    "origin": "XSP",
                    "destination": "SIN",
                    "scheduled_departure": "2026-12-01T06:05:00+00:00",
                }
            ],
        },
    )
