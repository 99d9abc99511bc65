"""Everything downstream follows a booking the airline moved (BookingReaccommodated, issue 14):
check-in replaces the legs and the checked-in passenger's boarding pass (the old one refused at
the gate with `pass_replaced`, the new one accepted), baggage reroutes the checked bag with a
`rerouted` tracking event, inventory moves the load plans and flights the seats sold. A second
delivery changes nothing; a move heard before its confirmation opens the booking on the new
flights only. The events are published directly, as booking's outbox would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from airline.contracts.events import baggage as baggage_events
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.platform.db import make_engine
from airline.platform.events import Envelope
from airline.platform.settings import PlatformSettings
from tests.support.booking import API, HOME, book, drop, free_seats, issued_codes, near_trip, published
from tests.support.factories import flight_number, new_gate, new_plane, person
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")

CONSUMERS = ("checkin", "baggage", "inventory", "flights")
CONFIRMATION_CONSUMERS = ("checkin", "inventory", "flights")  # baggage hears of bags, not bookings


@pytest.fixture
async def db(settings: PlatformSettings) -> AsyncIterator[sa.ext.asyncio.AsyncEngine]:
    engine = make_engine(settings.database_url or "", pool_size=2)
    yield engine
    await engine.dispose()


async def handled(db: Any, event_id: str, consumers: tuple[str, ...] = CONSUMERS, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        for consumer in consumers:
            while True:
                async with db.connect() as conn:
                    if await conn.scalar(
                        sa.text(f"select count(*) from {consumer}.processed_events where event_id = :e"),
                        {"e": event_id},
                    ):
                        break
                    parked = await conn.scalar(
                        sa.text(f"select count(*) from {consumer}.dead_letters where raw like :e"),
                        {"e": f"%{event_id}%"},
                    )
                    assert not parked, f"{consumer} parked the event"
                await asyncio.sleep(0.1)


async def send(settings: PlatformSettings, topic: str, envelope: Envelope) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers or "")
    await producer.start()
    try:
        await producer.send_and_wait(topic, envelope.to_json(), key=envelope.key.encode())
    finally:
        await producer.stop()


async def later_flight(api: httpx.AsyncClient, ops: str, far: str, after: dict[str, Any]) -> dict[str, Any]:
    """Another flight on the same route, two hours after `after`: where the booking moves."""
    departure = datetime.fromisoformat(after["scheduled_departure"]) + timedelta(hours=2)
    r = await api.post(
        f"{API}/flights",
        headers=auth(ops),
        json={
            "number": flight_number(),
            "origin": HOME,
            "destination": far,
            "departure": departure.isoformat(),
            "duration_minutes": 390,
            "plane_id": await new_plane(api, ops),
            "gate": await new_gate(api, ops),
        },
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def moved(confirmed: dict[str, Any], left: dict[str, Any], joined: dict[str, Any], seat: str) -> dict[str, Any]:
    """The BookingReaccommodated payload booking would write: the confirmed booking, off `left`,
    on `joined` (seat `seat` for its one adult)."""
    p = confirmed["payload"]
    flights = [
        {
            "flight_id": joined["id"],
            "number": joined["number"],
            "origin": joined["origin"],
            "destination": joined["destination"],
            "scheduled_departure": joined["scheduled_departure"],
        }
        if f["flight_id"] == left["id"]
        else f
        for f in p["flights"]
    ]
    passengers = [
        {
            **x,
            "flights": [
                {"flight_id": joined["id"], "seat": seat, "e_ticket": pf["e_ticket"]}
                if pf["flight_id"] == left["id"]
                else pf
                for pf in x["flights"]
            ],
        }
        for x in p["passengers"]
    ]
    return {
        "booking_id": p["booking_id"],
        "pnr": p["pnr"],
        "proposal_id": str(uuid.uuid4()),
        "reason": "cancelled",
        "cabin_class": p["cabin_class"],
        "removed_flights": [left["id"]],
        "added_flights": [joined["id"]],
        "flights": flights,
        "passengers": passengers,
        "contact": p["contact"],
        "bags": p.get("bags") or [],
    }


def envelope(kind: str, payload: dict[str, Any]) -> Envelope:
    return Envelope(type=kind, version=1, producer="booking", key=payload["booking_id"], payload=payload)


async def state(db: Any, booking_id: str, flights: list[str]) -> dict[str, Any]:
    """What the four services hold of the booking and its flights."""
    async with db.connect() as conn:

        async def rows(q: str, **params: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in (await conn.execute(sa.text(q), params)).all()]

        return {
            "legs": await rows(
                "select flight_id, status, coalesce(replaced_by, ''), coalesce(pass_id, ''), coalesce(bcbp, '')"
                " from checkin.legs where booking_id = :b order by flight_id",
                b=booking_id,
            ),
            "codes": await rows(
                "select count(*) from checkin.outbox where key = :b and topic = :t",
                b=booking_id,
                t=checkin_events.CODE_ISSUED.topic,
            ),
            "bags": await rows(
                "select id, flight_id, status, seq from baggage.bags where booking_id = :b order by id", b=booking_id
            ),
            "sold": await rows(
                "select flight_id, sum(sold) from flights.flight_cabins where flight_id = any(:f)"
                " group by flight_id order by flight_id",
                f=flights,
            ),
            "ledger": await rows(
                "select flight_id, seats from flights.seat_ledger where booking_id = :b order by flight_id",
                b=booking_id,
            ),
            "counted": await rows(
                "select flight_id, sum(count) from inventory.flight_passengers where booking_id = :b"
                " group by flight_id order by flight_id",
                b=booking_id,
            ),
            "plans": await rows(
                "select flight_id, max(version) from inventory.load_plans where flight_id = any(:f)"
                " group by flight_id order by flight_id",
                f=flights,
            ),
        }


async def test_a_moved_booking_takes_its_pass_bag_meals_and_seats_to_the_new_flight_once(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, db: Any
) -> None:
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    booking = await book(
        api,
        tokens["passenger"],
        far,
        outbound,
        inbound,
        [person("adult", "Ada", "Lovelace", f"{day.year - 40}-12-10")],
        adults=1,
    )
    bid = booking["id"]
    joined = await later_flight(api, tokens["ops"], far, outbound)
    boot = settings.kafka_bootstrap_servers or ""
    [confirmed] = await published(boot, booking_events.BOOKING_CONFIRMED.topic, bid)
    await handled(db, confirmed["event_id"], CONFIRMATION_CONSUMERS)

    # checked in on the outbound flight, a bag dropped and tagged
    code = (await issued_codes(settings, booking))["P1"]["payload"]["code"]
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Lovelace", "flight_id": outbound["id"]})
    assert r.status_code == 200, r.text
    old_pass = r.json()["passes"][0]
    trip = {"booking": booking, "flight": outbound}
    bag = await drop(
        api,
        tokens,
        {
            "booking_id": bid,
            "passenger_id": "P1",
            "flight_id": trip["flight"]["id"],
            "weight_kg": "18",
            "length_cm": 55,
            "width_cm": 40,
            "height_cm": 23,
        },
    )
    assert bag["status"] == "checked_in" and bag["tag"]
    flights = [outbound["id"], joined["id"]]
    before = await state(db, bid, flights)

    [seat] = await free_seats(api, joined["id"], 1)
    payload = moved(confirmed, outbound, joined, seat)
    first = envelope("BookingReaccommodated", payload)
    await send(settings, booking_events.BOOKING_REACCOMMODATED.topic, first)
    await handled(db, first.event_id)
    after = await state(db, bid, flights)

    # check-in: the old pass is refused everywhere, the new one is accepted
    agent = auth(tokens["agent"])
    for flight in (outbound, joined):
        r = await api.post(
            f"{API}/checkin/verify", headers=agent, json={"flight_id": flight["id"], "bcbp": old_pass["bcbp"]}
        )
        problem = assert_problem(r, 410)
        assert problem["code"] == "pass_replaced" and joined["number"] in problem["detail"], problem
    r = await api.get(f"{API}/boarding-passes/{old_pass['id']}", headers=agent)
    assert assert_problem(r, 410)["code"] == "pass_replaced"
    legs = {leg[0]: leg for leg in after["legs"]}
    assert legs[outbound["id"]][1:3] == ("cancelled", joined["number"])
    assert legs[joined["id"]][1] == "checked_in" and legs[joined["id"]][4], legs
    new_bcbp = legs[joined["id"]][4]
    r = await api.post(f"{API}/checkin/verify", headers=agent, json={"flight_id": joined["id"], "bcbp": new_bcbp})
    assert r.status_code == 200, r.text
    assert r.json()["passenger_id"] == "P1"
    r = await api.get(f"{API}/boarding-passes/{legs[joined['id']][3]}", headers=agent)
    assert r.status_code == 200 and r.json()["seat"] == seat, r.text
    assert after["codes"] == before["codes"], "a second check-in code was sent for an unchanged code"

    # baggage: the bag is on the new flight, its tracker shows why
    r = await api.get(f"{API}/bags/{bag['tag']}", headers=agent)
    assert r.status_code == 200, r.text
    assert r.json()["flight_id"] == joined["id"] and r.json()["history"][-1]["status"] == "rerouted", r.text
    tracked = await published(boot, baggage_events.BAG_TRACKED.topic, bag["id"], 2)
    assert [e["payload"]["status"] for e in tracked][-1] == "rerouted"
    assert tracked[-1]["payload"]["flight_id"] == joined["id"]

    # flights: one seat moved; inventory: the passenger (and the plans) moved
    sold_before, sold_after = dict(before["sold"]), dict(after["sold"])
    assert sold_after[outbound["id"]] == sold_before[outbound["id"]] - 1
    assert sold_after[joined["id"]] == sold_before[joined["id"]] + 1
    assert dict(after["counted"]) == {joined["id"]: 1, inbound["id"]: 1}
    plans_before, plans_after = dict(before["plans"]), dict(after["plans"])
    assert plans_after[outbound["id"]] > plans_before[outbound["id"]]
    assert plans_after[joined["id"]] > plans_before.get(joined["id"], 0)

    # delivered again (another event id, the same move): nothing changes
    again = envelope("BookingReaccommodated", payload)
    await send(settings, booking_events.BOOKING_REACCOMMODATED.topic, again)
    await handled(db, again.event_id)
    assert await state(db, bid, flights) == after


async def test_a_move_heard_before_its_confirmation_books_the_new_flights_only(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, db: Any
) -> None:
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    booking = await book(
        api,
        tokens["passenger"],
        far,
        outbound,
        inbound,
        [person("adult", "Ada", "Byron", f"{day.year - 30}-01-10")],
        adults=1,
    )
    joined = await later_flight(api, tokens["ops"], far, outbound)
    [confirmed] = await published(
        settings.kafka_bootstrap_servers or "", booking_events.BOOKING_CONFIRMED.topic, booking["id"]
    )
    bid = str(uuid.uuid4())  # the same booking as no service has seen it yet
    confirmed = {**confirmed, "payload": {**confirmed["payload"], "booking_id": bid}}
    flights = [outbound["id"], joined["id"]]
    before = await state(db, bid, flights)
    early = envelope("BookingReaccommodated", moved(confirmed, outbound, joined, ""))
    late = envelope("BookingConfirmed", confirmed["payload"])
    await send(settings, booking_events.BOOKING_REACCOMMODATED.topic, early)
    await handled(db, early.event_id)
    await send(settings, booking_events.BOOKING_CONFIRMED.topic, late)
    await handled(db, late.event_id, CONFIRMATION_CONSUMERS)

    after = await state(db, bid, flights)
    assert [(leg[0], leg[1]) for leg in after["legs"]] == sorted([(joined["id"], "booked"), (inbound["id"], "booked")])
    assert after["codes"] == [(1,)], "one code for the one passenger"
    assert dict(after["ledger"]) == {joined["id"]: 1, inbound["id"]: 1, outbound["id"]: 0}
    assert dict(after["sold"])[outbound["id"]] == dict(before["sold"])[outbound["id"]]
    assert dict(after["sold"])[joined["id"]] == dict(before["sold"])[joined["id"]] + 1
    assert dict(after["counted"]) == {joined["id"]: 1, inbound["id"]: 1}
