"""The settle window of flight-change messages, on the notification service's real database:
held messages are rows (a restart within the window loses nothing), the dispatcher sends them
after the window exactly once, a replayed change finds its message, and a cancellation makes
what is still held for the flight moot."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from airline.notification.adapters.local import LocalEmailSender, LocalSmsSender
from airline.notification.service import NotificationService
from airline.notification.settings import NotificationSettings
from airline.notification.store import messages
from airline.platform.db import ServiceDatabase, make_engine
from airline.platform.events import Envelope
from airline.platform.migrations import upgrade
from airline.platform.runtime import definition_of

SETTLE = 1.0


@pytest.fixture
async def scratch_db(scratch_database: str) -> str:
    """A notification database of its own: the running service's dispatcher must not send these."""
    d = definition_of("notification")
    await asyncio.to_thread(upgrade, d.migrations_package, scratch_database, d.metadata.schema)
    return scratch_database


async def started(url: str) -> tuple[NotificationService, Any]:
    engine = make_engine(url, pool_size=2)
    db = ServiceDatabase(engine, definition_of("notification").metadata, producer="notification")
    settings = NotificationSettings(_env_file=None, settle_seconds=SETTLE)
    return NotificationService(db, settings, LocalSmsSender(), LocalEmailSender()), engine


def told(booking: str, change: str, sequence: int, value: str, previous: str) -> Envelope:
    return Envelope(
        type="PassengersNotified",
        version=1,
        producer="booking",
        key=booking,
        payload={
            "booking_id": booking,
            "pnr": "K7Q2XA",
            "flight_id": "f1",
            "kind": f"flight_{change}",
            "email": "ada@example.com",
            "phone": "+6591234567",
            "message": "(booking's own wording)",
            "flight_change": {
                "change": change,
                "sequence": sequence,
                "value": value,
                "previous": previous,
                "flight_number": "XA101",
                "origin": "XSP",
                "destination": "SIN",
                "origin_time_zone": "Asia/Singapore",
                "estimated_departure": value if change == "delay" else None,
                "gate": value if change == "gate" else None,
            },
        },
    )


async def handle(service: NotificationService, *events: Envelope) -> None:
    for e in events:
        async with service.db.uow() as uow:
            await service.on_passengers_notified(uow, e)
            await uow.commit()


async def rows(service: NotificationService, booking: str) -> list[dict[str, Any]]:
    async with service.db.engine.connect() as conn:
        q = sa.select(messages).where(messages.c.reference == booking).order_by(messages.c.change_sequence)
        return [dict(r) for r in (await conn.execute(q)).mappings()]


async def test_a_held_message_survives_a_restart_and_is_sent_once(scratch_db: str) -> None:
    booking = str(uuid.uuid4())
    first, engine = await started(scratch_db)
    await handle(first, told(booking, "gate", 5, "X2", "X1"))
    assert await first.dispatch_due() == 0  # within the window: held
    assert {r["status"] for r in await rows(first, booking)} == {"queued"}
    await engine.dispose()  # the process ends within the window

    second, engine = await started(scratch_db)
    try:
        await asyncio.sleep(SETTLE + 0.2)
        assert await second.dispatch_due() == 2
        got = await rows(second, booking)
        assert sorted((r["channel"], r["status"]) for r in got) == [("email", "sent"), ("sms", "sent")]
        assert all("gate X2" in r["body"] for r in got)
        # the same change again, under a new event id (a replay): the dedupe key finds it
        await handle(second, told(booking, "gate", 5, "X2", "X1"))
        assert await second.dispatch_due() == 0 and len(await rows(second, booking)) == 2
    finally:
        await engine.dispose()


async def test_a_cancellation_makes_the_held_delay_moot(scratch_db: str) -> None:
    booking = str(uuid.uuid4())
    service, engine = await started(scratch_db)
    try:
        await handle(
            service,
            told(booking, "delay", 2, "2026-12-24T10:30:00+00:00", "2026-12-24T10:00:00+00:00"),
            told(booking, "cancellation", 3, "cancelled", "delayed"),
        )
        got = await rows(service, booking)
        # the cancellation is final: sent at once; the delay will not follow it
        assert sorted((r["template"], r["channel"], r["status"]) for r in got) == [
            ("flight_cancellation.en.v1", "email", "sent"),
            ("flight_cancellation.en.v1", "sms", "sent"),
            ("flight_delay.en.v1", "email", "superseded"),
            ("flight_delay.en.v1", "sms", "superseded"),
        ]
        await asyncio.sleep(SETTLE + 0.2)
        assert await service.dispatch_due() == 0
    finally:
        await engine.dispose()


async def test_a_fact_named_by_its_producer_is_told_once_whatever_the_event_id(scratch_db: str) -> None:
    """For other steps told through PassengersNotified (a re-accommodation proposal, its result,
    compensation): `fact` names what is told, so producing the event again sends nothing more."""
    booking = str(uuid.uuid4())
    service, engine = await started(scratch_db)

    def proposal() -> Envelope:
        e = told(booking, "gate", 1, "", "")
        payload = {k: v for k, v in e.payload.items() if k != "flight_change"}
        payload |= {"kind": "reaccommodation_proposed", "message": "We offer you XA103 instead.", "fact": "p-1"}
        return Envelope(type=e.type, version=1, producer="booking", key=booking, payload=payload)

    try:
        await handle(service, proposal(), proposal())
        got = await rows(service, booking)
        assert sorted((r["channel"], r["status"]) for r in got) == [("email", "sent"), ("sms", "sent")]
        assert all("XA103" in r["body"] for r in got)
    finally:
        await engine.dispose()
