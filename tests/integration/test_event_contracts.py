"""Every event a real flow publishes matches its catalogue entry, on the wire.

A flight is created, booked and paid (check-in codes, seats, payment, load plan), a passenger
checks in, the return flight is delayed, a second booking is cancelled (refund, seats back);
then every event of the flow is read back from the broker and validated against the
catalogue. The outbox already refuses a payload its schema rejects, so a producer that breaks
its consumers fails this flow at the step that emits it; this test also proves the envelope on
the wire (type, version, payload as JSON) is what the catalogue declares. Last, every topic a
running consumer subscribes to must be catalogued."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.contracts.events import CATALOGUE, PayloadRejected, UncataloguedTopic, all_topics, by_topic
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.contracts.events import flights as flight_events
from airline.contracts.events import inventory as inventory_events
from airline.contracts.events import payment as payment_events
from airline.contracts.events import reservation as reservation_events
from airline.platform.events import Envelope
from airline.platform.kafka import ensure_topics, make_consumer
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.booking import book, confirmed_one_way, near_trip, published
from tests.support.factories import family
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")


async def read_flow(
    bootstrap: str, markers: set[str], wanted: dict[str, set[str]], timeout: float = 90
) -> list[tuple[str, dict[str, Any]]]:
    """(topic, raw envelope) of every event mentioning one of `markers`, read from the start of
    every catalogued topic until each topic in `wanted` has shown an event with its markers."""
    topics = all_topics()
    await ensure_topics(bootstrap, topics)
    consumer = make_consumer(bootstrap, f"contracts-{uuid.uuid4().hex[:8]}", *topics, session_timeout_ms=6000)
    await consumer.start()
    found: list[tuple[str, dict[str, Any]]] = []
    missing = {topic: set(need) for topic, need in wanted.items()}
    try:
        async with asyncio.timeout(timeout):
            while missing:
                for records in (await consumer.getmany(timeout_ms=300)).values():
                    for r in records:
                        raw = r.value.decode()
                        hits = {m for m in markers if m in raw}
                        if not hits:
                            continue
                        found.append((r.topic, json.loads(raw)))
                        if r.topic in missing:
                            missing[r.topic] -= hits
                            if not missing[r.topic]:
                                del missing[r.topic]
    except TimeoutError:
        raise AssertionError(f"never published: {missing}") from None
    finally:
        await consumer.stop()
    return found


async def test_every_event_of_a_real_flow_matches_the_catalogue(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    ops = tokens["ops"]
    far, outbound, inbound = await near_trip(api, ops)
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    booking = await book(api, tokens["passenger"], far, outbound, inbound, family(day), adults=2, children=1, infants=1)
    bid = booking["id"]
    bootstrap = settings.kafka_bootstrap_servers or ""
    codes = await published(bootstrap, checkin_events.CODE_ISSUED.topic, bid, len(booking["passengers"]))
    code = next(e["payload"]["code"] for e in codes if e["payload"]["passenger_id"] == "P1")
    r = await api.post("/api/v1/checkin", json={"code": code, "last_name": "Lovelace"})
    assert r.status_code == 200, r.text

    later = datetime.fromisoformat(inbound["scheduled_departure"].replace("Z", "+00:00")) + timedelta(hours=1)
    r = await api.post(
        f"/api/v1/flights/{inbound['id']}/delay",
        headers=auth(ops),
        json={"new_departure": later.isoformat(), "delay_code": "93", "reason": "late inbound aircraft"},
    )
    assert r.status_code == 200, r.text

    cancelled, other_flight, headers, _ = await confirmed_one_way(api, ops)
    r = await api.post(f"/api/v1/bookings/{cancelled['id']}/cancel", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "cancelled"

    flow = {bid, cancelled["id"], outbound["id"], inbound["id"], other_flight["id"]}
    events = await read_flow(
        bootstrap,
        flow,
        {
            flight_events.FLIGHT_SCHEDULED.topic: {outbound["id"], inbound["id"], other_flight["id"]},
            flight_events.FLIGHT_DELAYED.topic: {inbound["id"]},
            flight_events.ANNOUNCEMENT_MADE.topic: {inbound["id"]},
            booking_events.BOOKING_CONFIRMED.topic: {bid, cancelled["id"]},
            booking_events.BOOKING_CANCELLED.topic: {cancelled["id"]},
            checkin_events.CODE_ISSUED.topic: {bid},
            checkin_events.PASSENGER_CHECKED_IN.topic: {bid},
            payment_events.PAYMENT_CAPTURED.topic: {bid, cancelled["id"]},
            payment_events.PAYMENT_REFUNDED.topic: {cancelled["id"]},
            reservation_events.SEATS_ASSIGNED.topic: {outbound["id"], inbound["id"]},
            reservation_events.SEATS_RELEASED.topic: {cancelled["id"]},
            inventory_events.LOAD_PLAN_CHANGED.topic: {outbound["id"]},
        },
    )
    seen: set[str] = set()
    for topic, raw in events:
        envelope = Envelope.from_json(json.dumps(raw))  # the envelope format is unchanged on the wire
        event = by_topic(topic)
        assert (envelope.type, envelope.version) == (event.type, event.version), topic
        event.parse(envelope)  # raises PayloadRejected naming the topic and the field
        seen.add(topic)
    assert len(seen) >= 12


def test_every_topic_a_consumer_subscribes_to_is_catalogued(services: dict[str, RunningService]) -> None:
    from airline.gateway import live

    subscribed = {
        (name, topic)
        for name, svc in services.items()
        for consumer in svc.parts.consumers
        for topic in consumer.handlers
    }
    subscribed |= {("gateway", topic) for topic in live.TOPICS}
    assert {name for name, _ in subscribed} >= {
        "booking",
        "checkin",
        "crew",
        "flights",
        "inventory",
        "notification",
        "reservation",
        "baggage",
        "gateway",
    }
    assert sorted(hit for hit in subscribed if hit[1] not in CATALOGUE) == []


async def test_the_outbox_refuses_what_the_catalogue_does_not_declare(services: dict[str, RunningService]) -> None:
    db = services["inventory"].runtime.db
    key = f"contract-{uuid.uuid4().hex[:8]}"
    plan = {
        "flight_id": key,
        "flight_number": "XA1",
        "origin": "XSP",
        "version": 1,
        "items": {"meal-normal": 3},
        "loaded": False,
        "reason": "test",
    }
    event = inventory_events.LOAD_PLAN_CHANGED
    async with db.uow() as uow:
        with pytest.raises(PayloadRejected, match=r"inventory\.load_plan_changed\.v1.*items\.meal-normal"):
            await uow.emit_event(event, key, plan | {"items": {"meal-normal": "three"}})
        with pytest.raises(UncataloguedTopic):
            await uow.emit("inventory.plan_guessed.v1", key, "PlanGuessed", plan)
        with pytest.raises(ValueError, match="LoadPlanChanged v1, not PlanChanged v1"):
            await uow.emit(event.topic, key, "PlanChanged", plan)
        written = await uow.conn.scalar(sa.select(sa.func.count()).select_from(db.outbox).where(db.outbox.c.key == key))
        assert written == 0
        await uow.emit_event(event, key, plan)  # the same payload, as declared, is accepted
        assert (
            await uow.conn.scalar(sa.select(sa.func.count()).select_from(db.outbox).where(db.outbox.c.key == key)) == 1
        )
        await uow.rollback()  # nothing of this reaches the broker
