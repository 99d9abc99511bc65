"""Events arrive in any order, or twice (issue 13, item 5): a booking's confirmation and
cancellation travel on different topics, so check-in and baggage see them in either order and
race them with their own use cases. Never a boarding pass, nor an accepted bag, for a
cancelled booking."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from airline.checkin.store import CheckinRepository
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.platform.db import make_engine
from airline.platform.errors import Conflict
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.booking import API, bag_body, book, confirmed_booking, drop, issued_codes, near_trip, published, scan
from tests.support.factories import person
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


@pytest.fixture
async def db(settings: PlatformSettings) -> AsyncIterator[sa.ext.asyncio.AsyncEngine]:
    engine = make_engine(settings.database_url or "", pool_size=2)
    yield engine
    await engine.dispose()


async def one_adult(api: httpx.AsyncClient, tokens: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    people = [person("adult", "Ada", "Lovelace", f"{day.year - 40}-12-10")]
    return await book(api, tokens["passenger"], far, outbound, inbound, people, adults=1), outbound


async def cancel(api: httpx.AsyncClient, tokens: dict[str, str], booking_id: str) -> None:
    r = await api.post(
        f"{API}/bookings/{booking_id}/cancel", headers=auth(tokens["passenger"]), json={"reason": "plans changed"}
    )
    assert r.status_code == 200, r.text


async def handled(db: Any, consumer: str, event_id: str, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while True:
            async with db.connect() as conn:
                if await conn.scalar(
                    sa.text(f"select count(*) from {consumer}.processed_events where consumer = :c and event_id = :e"),
                    {"c": consumer, "e": event_id},
                ):
                    return
            await asyncio.sleep(0.1)


async def test_a_confirmation_arriving_after_its_cancellation_issues_no_code(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, db: Any
) -> None:
    """BookingCancelled is delivered before BookingConfirmed (another topic, another partition):
    the late confirmation must not bring the booking back with codes a passenger checks in with."""
    booking, _ = await one_adult(api, tokens)
    boot = settings.kafka_bootstrap_servers or ""
    [confirmed] = await published(boot, booking_events.BOOKING_CONFIRMED.topic, booking["id"])
    bid = str(uuid.uuid4())  # the same booking as check-in has not seen it yet
    payload = {**confirmed["payload"], "booking_id": bid}
    cancelled = Envelope(
        type="BookingCancelled",
        version=1,
        producer="booking",
        key=bid,
        payload={"booking_id": bid, "pnr": payload["pnr"], "refunded_amount": 0, "reason": "x"},
    )
    late = Envelope(type="BookingConfirmed", version=1, producer="booking", key=bid, payload=payload)
    producer = AIOKafkaProducer(bootstrap_servers=boot)
    await producer.start()
    try:
        await producer.send_and_wait(booking_events.BOOKING_CANCELLED.topic, cancelled.to_json(), key=bid.encode())
        await handled(db, "checkin", cancelled.event_id)
        await producer.send_and_wait(booking_events.BOOKING_CONFIRMED.topic, late.to_json(), key=bid.encode())
        await handled(db, "checkin", late.event_id)
    finally:
        await producer.stop()
    async with db.connect() as conn:
        active = (
            await conn.execute(
                sa.text("select passenger_id from checkin.passengers where booking_id = :b and revoked_at is null"),
                {"b": bid},
            )
        ).all()
        queued = await conn.scalar(
            sa.text("select count(*) from checkin.outbox where key = :b and topic = :t"),
            {"b": bid, "t": checkin_events.CODE_ISSUED.topic},
        )
    assert active == [], "a cancelled booking got an active check-in code"
    assert queued == 0, "a check-in code was sent for a cancelled booking"


async def test_a_cancellation_after_check_in_revokes_the_boarding_pass(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    booking, outbound = await one_adult(api, tokens)
    code = (await issued_codes(settings, booking))["P1"]["payload"]["code"]
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Lovelace", "flight_id": outbound["id"]})
    assert r.status_code == 200, r.text
    boarding_pass = r.json()["passes"][0]
    me, agent = auth(tokens["passenger"]), auth(tokens["agent"])
    assert (await api.get(f"{API}/boarding-passes/{boarding_pass['id']}", headers=me)).status_code == 200

    await cancel(api, tokens, booking["id"])
    async with asyncio.timeout(30):
        while True:
            r = await api.get(f"{API}/boarding-passes/{boarding_pass['id']}", headers=me)
            if r.status_code != 200:
                break
            await asyncio.sleep(0.2)
    assert assert_problem(r, 410)["code"] == "code_revoked"
    for who in (agent, {}):  # staff too: a void pass is void for everyone
        r = await api.get(
            f"{API}/boarding-passes/{boarding_pass['id']}/qr.png",
            headers=who,
            params={} if who else {"code": code, "last_name": "Lovelace"},
        )
        assert r.status_code == 410, r.text
    r = await api.post(
        f"{API}/checkin/verify", headers=agent, json={"flight_id": outbound["id"], "bcbp": boarding_pass["bcbp"]}
    )
    assert assert_problem(r, 410)["code"] == "code_revoked"
    r = await api.post(
        f"{API}/boarding", headers=agent, json={"flight_id": outbound["id"], "bcbp": boarding_pass["bcbp"]}
    )
    assert assert_problem(r, 410)["code"] == "code_revoked"
    r = await api.post(f"{API}/checkin", headers=me, json={"booking_id": booking["id"]})
    assert r.status_code in (409, 410), r.text


async def test_a_check_in_racing_the_cancellation_gives_no_pass(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], db: Any
) -> None:
    """The check-in read the passenger's leg (booked), asked for a seat meanwhile, and the
    cancellation landed before it wrote the pass: refused, no pass written."""
    booking, outbound = await one_adult(api, tokens)
    svc = services["checkin"].parts.service  # type: ignore[attr-defined]
    async with asyncio.timeout(30):
        while True:
            async with svc.db.uow() as uow:
                before = await CheckinRepository(uow.conn).leg(booking["id"], "P1", outbound["id"])
            if before is not None:
                break
            await asyncio.sleep(0.1)
    assert before["status"] == "booked"
    await cancel(api, tokens, booking["id"])
    async with asyncio.timeout(30):
        while True:
            async with svc.db.uow() as uow:
                now = await CheckinRepository(uow.conn).leg(booking["id"], "P1", outbound["id"])
            if now is not None and now["status"] == "cancelled":
                break
            await asyncio.sleep(0.1)
    flight = await svc.flight(outbound["id"])
    with pytest.raises(Conflict) as refused:
        await svc._check_in(before, flight, "online", "test", svc.settings.closes_minutes)
    assert refused.value.code == "booking_cancelled"
    async with svc.db.uow() as uow:
        after = await CheckinRepository(uow.conn).leg(booking["id"], "P1", outbound["id"])
    assert after is not None and after["status"] == "cancelled" and after["bcbp"] is None


async def test_a_seat_change_after_the_cancellation_reissues_no_pass(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, db: Any
) -> None:
    """A SeatChanged delivered after the BookingCancelled (seat change racing the cancel) leaves
    the booking cancelled and its pass void; a check-in for it is refused."""
    booking, outbound = await one_adult(api, tokens)
    code = (await issued_codes(settings, booking))["P1"]["payload"]["code"]
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Lovelace", "flight_id": outbound["id"]})
    assert r.status_code == 200, r.text
    await cancel(api, tokens, booking["id"])
    boot = settings.kafka_bootstrap_servers or ""
    [cancelled] = await published(boot, booking_events.BOOKING_CANCELLED.topic, booking["id"])
    await handled(db, "checkin", cancelled["event_id"])
    bid = booking["id"]
    change = Envelope(
        type="SeatChanged",
        version=1,
        producer="booking",
        key=bid,
        payload={
            "booking_id": bid,
            "pnr": booking["pnr"],
            "flight_id": outbound["id"],
            "passenger_id": "P1",
            "old_seat": r.json()["passes"][0]["seat"],
            "new_seat": "30F",
        },
    )
    producer = AIOKafkaProducer(bootstrap_servers=boot)
    await producer.start()
    try:
        await producer.send_and_wait(booking_events.SEAT_CHANGED.topic, change.to_json(), key=bid.encode())
    finally:
        await producer.stop()
    await handled(db, "checkin", change.event_id)
    async with db.connect() as conn:
        leg = (
            await conn.execute(
                sa.text("select status, seat from checkin.legs where booking_id = :b and flight_id = :f"),
                {"b": bid, "f": outbound["id"]},
            )
        ).one()
    assert leg.status == "cancelled" and leg.seat != "30F"
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Lovelace"})
    assert assert_problem(r, 410)["code"] == "code_revoked"


async def test_bags_of_a_cancelled_booking_are_withdrawn_and_a_later_drop_is_refused(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    trip = await confirmed_booking(api, tokens)
    accepted = await drop(api, tokens, bag_body(trip, "P2"))
    assert accepted["status"] == "checked_in" and accepted["tag"]
    unpaid = await drop(api, tokens, bag_body(trip, "P2", kg="12"))  # beyond the 1 piece: a fee
    assert unpaid["status"] == "awaiting_payment"
    r = await api.post(
        f"/api/v1/bookings/{trip['booking']['id']}/cancel",
        headers=auth(tokens["passenger"]),
        json={"reason": "plans changed"},
    )
    assert r.status_code == 200, r.text

    agent = auth(tokens["agent"])
    async with asyncio.timeout(30):
        while True:
            r = await api.get(f"/api/v1/bookings/{trip['booking']['id']}/bags", headers=agent)
            assert r.status_code == 200, r.text
            statuses = {b["id"]: b["status"] for b in r.json()["bags"]}
            if set(statuses.values()) == {"withdrawn"}:
                break
            await asyncio.sleep(0.2)
    assert statuses == {accepted["id"]: "withdrawn", unpaid["id"]: "withdrawn"}
    r = await api.get(f"/api/v1/bags/{accepted['tag']}", headers=agent)
    assert r.status_code == 200 and r.json()["history"][-1]["status"] == "withdrawn", r.text
    problem = assert_problem(await api.post("/api/v1/bags", json=bag_body(trip, "P1"), headers=agent), 409)
    assert problem["code"] == "booking_cancelled"
    assert assert_problem(await scan(api, tokens, accepted["tag"], "screened"), 409)["code"] == "bag_withdrawn"
    r = await api.get(f"/api/v1/flights/{trip['flight']['id']}/baggage", headers=agent)
    assert r.status_code == 200 and r.json()["count"] == 0, r.text


async def airline_cli(settings: PlatformSettings, *argv: str) -> str:
    """`airline ...` as an operator runs it: its own process, configured by the environment."""
    import os
    import sys

    env = {
        **os.environ,
        "AIRLINE_DATABASE_URL": settings.database_url or "",
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys; from airline.cli import main; main(sys.argv[1:])",
        *argv,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, (out.decode(), err.decode())
    return out.decode()


async def test_events_replay_reapplies_a_parked_cancellation_exactly_once(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, db: Any
) -> None:
    """Check-in parked a BookingCancelled (say its handler failed until a fix was deployed):
    the pass stayed valid. `airline events replay --service checkin` re-delivers it: the pass is
    revoked, the event is applied once, and nothing is left to replay."""
    booking, outbound = await one_adult(api, tokens)
    code = (await issued_codes(settings, booking))["P1"]["payload"]["code"]
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Lovelace", "flight_id": outbound["id"]})
    assert r.status_code == 200, r.text
    pass_id = r.json()["passes"][0]["id"]
    bid = booking["id"]
    parked = Envelope(
        type="BookingCancelled",
        version=1,
        producer="booking",
        key=bid,
        payload={"booking_id": bid, "pnr": booking["pnr"], "refunded_amount": 0, "reason": "parked"},
    )
    topic = booking_events.BOOKING_CANCELLED.topic
    async with db.begin() as conn:
        await conn.execute(
            sa.text(
                'insert into checkin.dead_letters (consumer, topic, partition, "offset", raw, error) '
                "values ('checkin', :t, 0, 0, :raw, 'RuntimeError(''a bug'')')"
            ),
            {"t": topic, "raw": parked.to_json().decode()},
        )
    me = auth(tokens["passenger"])
    assert (await api.get(f"{API}/boarding-passes/{pass_id}", headers=me)).status_code == 200

    out = await airline_cli(settings, "events", "replay", "--service", "checkin", "--topic", topic, "--dry-run")
    assert "would replay" in out and parked.event_id in out, out
    out = await airline_cli(
        settings, "events", "replay", "--service", "checkin", "--topic", topic, "--since", "2000-01-01T00:00:00Z"
    )
    assert parked.event_id in out and "replayed 1 dead letter(s)" in out, out
    await handled(db, "checkin", parked.event_id, timeout=60)
    r = await api.get(f"{API}/boarding-passes/{pass_id}", headers=me)
    assert assert_problem(r, 410)["code"] == "code_revoked"
    out = await airline_cli(settings, "events", "replay", "--service", "checkin", "--topic", topic)
    assert "replayed 0 dead letter(s)" in out, out
    async with db.connect() as conn:
        left = await conn.scalar(
            sa.text("select count(*) from checkin.dead_letters where raw like :e"), {"e": f"%{parked.event_id}%"}
        )
        applied = await conn.scalar(
            sa.text("select count(*) from checkin.processed_events where consumer = 'checkin' and event_id = :e"),
            {"e": parked.event_id},
        )
    assert (left, applied) == (0, 1)


async def test_a_seat_change_arriving_before_its_confirmation_is_kept(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, db: Any
) -> None:
    """SeatChanged delivered before BookingConfirmed (other topic): the pass shows the new seat."""
    booking, outbound = await one_adult(api, tokens)
    boot = settings.kafka_bootstrap_servers or ""
    [confirmed] = await published(boot, booking_events.BOOKING_CONFIRMED.topic, booking["id"])
    bid = str(uuid.uuid4())
    payload = {**confirmed["payload"], "booking_id": bid}
    change = Envelope(
        type="SeatChanged",
        version=1,
        producer="booking",
        key=bid,
        payload={
            "booking_id": bid,
            "pnr": payload["pnr"],
            "flight_id": outbound["id"],
            "passenger_id": "P1",
            "old_seat": "1A",
            "new_seat": "29C",
        },
    )
    late = Envelope(type="BookingConfirmed", version=1, producer="booking", key=bid, payload=payload)
    producer = AIOKafkaProducer(bootstrap_servers=boot)
    await producer.start()
    try:
        await producer.send_and_wait(booking_events.SEAT_CHANGED.topic, change.to_json(), key=bid.encode())
        await handled(db, "checkin", change.event_id)
        await producer.send_and_wait(booking_events.BOOKING_CONFIRMED.topic, late.to_json(), key=bid.encode())
        await handled(db, "checkin", late.event_id)
    finally:
        await producer.stop()
    async with db.connect() as conn:
        seat = await conn.scalar(
            sa.text("select seat from checkin.legs where booking_id = :b and passenger_id = 'P1' and flight_id = :f"),
            {"b": bid, "f": outbound["id"]},
        )
    assert seat == "29C"
