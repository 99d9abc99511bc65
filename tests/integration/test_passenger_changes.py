"""One passenger after the sale (issue 15) through the gateway against every real service: one
passenger of three cancelled and refunded their share (payment's own record), the others keep
their seats and tickets, the seat map frees the seat, the same request twice and two at once
refund once, the last passenger cannot go alone, a later whole cancellation refunds only what is
left; a 3-letter name correction is free with new e-tickets and a reissued boarding pass (the
old one no longer scans), a 4-letter one is refused and changes nothing; a booking process that
dies between the decision and the change is finished by the recovery pass, refunding once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from airline.booking.service import Access, BookingService, Crash
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.platform.db import make_engine
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService, definition_of, start_service
from airline.platform.settings import PlatformSettings
from tests.support.booking import (
    API,
    bag_body,
    book,
    confirmed_booking,
    drop,
    issued_codes,
    near_trip,
    published,
    seat_state,
)
from tests.support.factories import UNIT, person
from tests.support.http import assert_problem, auth
from tests.support.sales import seats_of

pytestmark = pytest.mark.usefixtures("seed_airports")

CHANGE_FEE = 5000  # per leg, near_trip's refundable fare rules
ADULT_SHARE = 2 * UNIT["adult"]  # a round trip: two legs
REASON = {"X-Airline-Reason": "passenger called: cannot travel"}


async def three_adults(api: httpx.AsyncClient, tokens: dict[str, str], last: str = "Lovelace") -> dict[str, Any]:
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    assert day  # the trip is hours ahead: check-in is open on the outbound
    people = [
        person("adult", "Ada", last, "1985-12-10"),
        person("adult", "William", last, "1983-03-21"),
        person("adult", "Charles", last, "1991-12-26"),
    ]
    booking = await book(api, tokens["passenger"], far, outbound, inbound, people, adults=3)
    return {"booking": booking, "outbound": outbound, "inbound": inbound}


async def refunded_by_payment(api: httpx.AsyncClient, tokens: dict[str, str], bid: str) -> int:
    r = await api.get(f"{API}/payments", params={"reference": bid}, headers=auth(tokens["cs"]))
    assert r.status_code == 200, r.text
    [payment] = r.json()["payments"]
    return int(payment["refunded_amount"])


def of(b: dict[str, Any], kind: str, pid: str) -> list[dict[str, Any]]:
    return [x for x in b[kind] if x["passenger_id"] == pid]


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 30) -> None:
    async with asyncio.timeout(seconds):
        while not await check():
            await asyncio.sleep(0.2)


async def test_one_passenger_of_three_is_cancelled_and_refunded_their_share_once(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    trip = await three_adults(api, tokens)
    before = trip["booking"]
    bid, me = before["id"], auth(tokens["passenger"])
    seat_p3 = {s["flight_id"]: s["seat"] for s in of(before, "seats", "P3")}
    assert len(seat_p3) == 2 and len(of(before, "tickets", "P3")) == 2
    codes = await issued_codes(settings, before)
    fid = trip["outbound"]["id"]
    meals: list[int] = []

    async def meals_planned() -> bool:  # inventory's load plan counts the booking's passengers
        r = await api.get(f"{API}/flights/{fid}/load-plan", headers=auth(tokens["inventory"]))
        meals.append(r.json()["items"].get("meal-normal", 0) if r.status_code == 200 else 0)
        return meals[-1] > 0

    await eventually(meals_planned)
    counted = meals[-1]

    async def sold(n: int) -> bool:  # flights' seats sold (what search offers)
        return int((await seats_of(api, fid))["sold"]) == n

    await eventually(lambda: sold(3))

    r = await api.post(f"{API}/bookings/{bid}/passengers/P3/cancel", headers=me, json={"reason": "cannot travel"})
    assert r.status_code == 200, r.text
    after = r.json()
    share = ADULT_SHARE - 2 * CHANGE_FEE  # their fare by the refundable rules: minus each leg's change fee
    assert after["state"] == "confirmed" and after["refunded_amount"] == share
    assert [p["cancelled"] for p in after["passengers"]] == [False, False, True]
    assert not of(after, "seats", "P3") and not of(after, "tickets", "P3") and not of(after, "bags", "P3")
    for pid in ("P1", "P2"):  # the others keep their seats and tickets
        assert of(after, "seats", pid) == of(before, "seats", pid)
        assert of(after, "tickets", pid) == of(before, "tickets", pid)
    assert await refunded_by_payment(api, tokens, bid) == share
    for fid, seat in seat_p3.items():
        assert await seat_state(api, fid, seat) == "free"

    # the same request again: the same booking, nothing refunded twice
    r = await api.post(f"{API}/bookings/{bid}/passengers/P3/cancel", headers=me, json={"reason": "cannot travel"})
    assert r.status_code == 200 and r.json()["refunded_amount"] == share, r.text
    assert await refunded_by_payment(api, tokens, bid) == share

    # flights sells the seat again, inventory loads one meal less
    await eventually(lambda: sold(2))

    async def one_meal_less() -> bool:
        return await meals_planned() and meals[-1] == counted - 1

    await eventually(one_meal_less)

    # check-in follows: the cancelled passenger's code is revoked, the others' still work
    code_p3 = codes["P3"]["payload"]["code"]

    async def revoked() -> bool:
        r = await api.post(f"{API}/checkin", json={"code": code_p3, "last_name": "Lovelace"})
        return r.status_code == 410 and r.json()["code"] == "code_revoked"

    await eventually(revoked)
    r = await api.post(f"{API}/checkin", json={"code": codes["P1"]["payload"]["code"], "last_name": "Lovelace"})
    assert r.status_code == 200, r.text

    # customer service cancels a second one (with the reason staff give); then the last one cannot go alone
    r = await api.post(f"{API}/bookings/{bid}/passengers/P2/cancel", headers=auth(tokens["cs"]) | REASON)
    assert r.status_code == 200 and r.json()["refunded_amount"] == 2 * share, r.text
    problem = assert_problem(await api.post(f"{API}/bookings/{bid}/passengers/P1/cancel", headers=me), 409)
    assert problem["code"] == "last_passenger"
    assert_problem(await api.post(f"{API}/bookings/{bid}/passengers/P9/cancel", headers=me), 404)

    # the whole booking cancelled now refunds what is left of it, by the same rules
    r = await api.post(f"{API}/bookings/{bid}/cancel", headers=me)
    assert r.status_code == 200, r.text
    rest = before["total"] - 2 * ADULT_SHARE - 2 * CHANGE_FEE
    assert r.json()["state"] == "cancelled" and r.json()["refunded_amount"] == 2 * share + rest
    assert await refunded_by_payment(api, tokens, bid) == 2 * share + rest
    # someone else's booking is not found
    assert_problem(await api.post(f"{API}/bookings/{bid}/passengers/P1/cancel"), 404)


async def test_two_concurrent_cancels_of_one_passenger_refund_once(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    trip = await three_adults(api, tokens, last="Babbage")
    bid = trip["booking"]["id"]
    cs = auth(tokens["cs"]) | REASON
    replies = await asyncio.gather(
        *(api.post(f"{API}/bookings/{bid}/passengers/P2/cancel", headers=cs) for _ in range(2))
    )
    assert [r.status_code for r in replies] == [200, 200], [r.text for r in replies]
    share = ADULT_SHARE - 2 * CHANGE_FEE
    assert {r.json()["refunded_amount"] for r in replies} == {share}
    assert await refunded_by_payment(api, tokens, bid) == share
    r = await api.get(f"{API}/bookings/{bid}", headers=auth(tokens["passenger"]))
    assert [p["cancelled"] for p in r.json()["passengers"]] == [False, True, False]


async def test_the_two_last_passengers_cancelled_at_once_leave_one_travelling(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    people = [person("adult", "Ada", "Race", "1985-12-10"), person("adult", "William", "Race", "1983-03-21")]
    bid = (await book(api, tokens["passenger"], far, outbound, inbound, people, adults=2))["id"]
    me = auth(tokens["passenger"])
    replies = await asyncio.gather(
        *(api.post(f"{API}/bookings/{bid}/passengers/{pid}/cancel", headers=me) for pid in ("P1", "P2"))
    )
    assert sorted(r.status_code for r in replies) == [200, 409], [r.text for r in replies]
    refused = next(r for r in replies if r.status_code == 409)
    assert refused.json()["code"] == "last_passenger"
    r = await api.get(f"{API}/bookings/{bid}", headers=me)
    assert sorted(p["cancelled"] for p in r.json()["passengers"]) == [False, True]
    assert await refunded_by_payment(api, tokens, bid) == ADULT_SHARE - 2 * CHANGE_FEE


async def test_a_three_letter_correction_is_free_and_reissues_a_four_letter_one_is_refused(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    trip = await three_adults(api, tokens, last="Lovelace")
    before = trip["booking"]
    bid, me, agent = before["id"], auth(tokens["passenger"]), auth(tokens["agent"])
    outbound = trip["outbound"]
    codes = await issued_codes(settings, before)
    code = codes["P1"]["payload"]["code"]
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Lovelace"})
    assert r.status_code == 200, r.text
    [old_pass] = r.json()["passes"]

    # 4 letters: another person; nothing changes
    problem = assert_problem(
        await api.post(
            f"{API}/bookings/{bid}/passengers/P1/name-correction",
            headers=me,
            json={"first_name": "Eda", "last_name": "Luvelose"},
        ),
        422,
    )
    assert problem["code"] == "name_change_too_large"
    r = await api.get(f"{API}/bookings/{bid}", headers=me)
    assert r.json()["passengers"] == before["passengers"] and r.json()["tickets"] == before["tickets"]
    problem = assert_problem(
        await api.post(
            f"{API}/bookings/{bid}/passengers/P1/name-correction",
            headers=me,
            json={"first_name": "ADA", "last_name": "lovelace"},
        ),
        422,
    )
    assert problem["code"] == "name_unchanged"

    # 3 letters: corrected for free, new e-tickets for that passenger only
    r = await api.post(
        f"{API}/bookings/{bid}/passengers/P1/name-correction",
        headers=me,
        json={"first_name": "Eda", "last_name": "Luvelase"},
    )
    assert r.status_code == 200, r.text
    after = r.json()
    p1 = after["passengers"][0]
    assert (p1["first_name"], p1["last_name"]) == ("Eda", "Luvelase")
    assert after["total"] == before["total"] and after["refunded_amount"] == 0
    old_numbers = {t["number"] for t in of(before, "tickets", "P1")}
    new_numbers = {t["number"] for t in of(after, "tickets", "P1")}
    assert len(new_numbers) == 2 and not new_numbers & old_numbers
    assert of(after, "tickets", "P2") == of(before, "tickets", "P2")

    # check-in reissues the pass with the new name: the old barcode no longer scans, the new one does
    async def reissued() -> bool:
        r = await api.post(
            f"{API}/checkin/verify", headers=agent, json={"flight_id": outbound["id"], "bcbp": old_pass["bcbp"]}
        )
        return r.status_code == 404

    await eventually(reissued)
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Luvelase", "flight_id": outbound["id"]})
    assert r.status_code == 200, r.text
    [new_pass] = r.json()["passes"]
    assert new_pass["bcbp"] != old_pass["bcbp"] and "LUVELASE/EDA" in new_pass["bcbp"]
    r = await api.post(
        f"{API}/checkin/verify", headers=agent, json={"flight_id": outbound["id"], "bcbp": new_pass["bcbp"]}
    )
    assert r.status_code == 200, r.text

    # corrections add up against the name as booked: one letter more now is 4 in all
    problem = assert_problem(
        await api.post(
            f"{API}/bookings/{bid}/passengers/P1/name-correction",
            headers=me,
            json={"first_name": "Eda", "last_name": "Luvelose"},
        ),
        422,
    )
    assert problem["code"] == "name_change_too_large"


@pytest.fixture
async def booking_process(settings: PlatformSettings) -> AsyncIterator[Callable[[], Awaitable[RunningService]]]:
    """Booking processes of our own (no broker: the session's process relays the outbox)."""
    own = settings.model_copy(update={"kafka_bootstrap_servers": None})
    started: list[RunningService] = []

    async def start() -> RunningService:
        svc = await start_service(definition_of("booking"), own, bind="127.0.0.1:0")
        started.append(svc)
        return svc

    yield start
    for svc in started:
        if not svc._stop.is_set():
            await svc.stop(grace=0.1)


@pytest.mark.parametrize("step", ["passenger_cancel_refunding", "passenger_cancel_refunded"])
async def test_a_crash_half_way_is_finished_by_recovery_and_refunds_once(
    step: str, api: httpx.AsyncClient, tokens: dict[str, str], booking_process: Callable[[], Awaitable[RunningService]]
) -> None:
    trip = await three_adults(api, tokens, last="Crashley")
    bid = trip["booking"]["id"]
    seat = of(trip["booking"], "seats", "P2")[0]
    crashing = await booking_process()
    service: BookingService = crashing.parts.service
    access = Access(booking_id=bid, manage_token=service.manage_token(bid))

    async def crash(name: str) -> None:
        if name == step:
            raise Crash(step)

    service.fault = crash
    with pytest.raises(Crash):
        await service.cancel_passenger(access, "P2", "cannot travel")
    await crashing.stop(grace=0.1)  # the process is gone between the decision and the booking's change
    assert not (await service.get(access))["passengers"][1]["cancelled"]

    fresh = await booking_process()
    recovered: BookingService = fresh.parts.service
    assert (await recovered.recover(stale_after=0, only=[bid]))["passenger_cancellations"] == 1
    booking = await recovered.get(access)
    share = ADULT_SHARE - 2 * CHANGE_FEE
    assert booking["passengers"][1]["cancelled"] and booking["refunded_amount"] == share
    assert await refunded_by_payment(api, tokens, bid) == share
    assert await seat_state(api, seat["flight_id"], seat["seat"]) == "free"
    # the passenger asks again, recovery runs again: nothing more
    await recovered.cancel_passenger(access, "P2", "cannot travel")
    assert (await recovered.recover(stale_after=0, only=[bid]))["passenger_cancellations"] == 0
    assert await refunded_by_payment(api, tokens, bid) == share


async def test_a_passenger_cancelled_before_check_in_heard_of_the_booking_gets_no_code(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    """PassengerCancelled delivered before BookingConfirmed (another topic): the late confirmation
    issues codes to the others only; a second delivery of the cancellation changes nothing."""
    trip = await three_adults(api, tokens, last="Outoforder")
    boot = settings.kafka_bootstrap_servers or ""
    [confirmed] = await published(boot, booking_events.BOOKING_CONFIRMED.topic, trip["booking"]["id"])
    bid = str(uuid.uuid4())  # the same booking, as check-in has not seen it yet
    payload = {**confirmed["payload"], "booking_id": bid}
    gone = {
        "booking_id": bid,
        "pnr": payload["pnr"],
        "passenger_id": "P2",
        "passenger_ids": ["P2"],
        "flights": [f["flight_id"] for f in payload["flights"]],
        "cabin_class": "normal",
        "seated": 1,
        "passengers": [{"id": "P2", "type": "adult", "meal": ""}],
    }
    cancelled = Envelope(type="PassengerCancelled", version=1, producer="booking", key=bid, payload=gone)
    again = Envelope(type="PassengerCancelled", version=1, producer="booking", key=bid, payload=gone)
    late = Envelope(type="BookingConfirmed", version=1, producer="booking", key=bid, payload=payload)
    engine = make_engine(settings.database_url or "", pool_size=2)
    producer = AIOKafkaProducer(bootstrap_servers=boot)
    await producer.start()
    try:
        for topic, envelope in (
            (booking_events.PASSENGER_CANCELLED.topic, cancelled),
            (booking_events.BOOKING_CONFIRMED.topic, late),
            (booking_events.PASSENGER_CANCELLED.topic, again),
        ):
            await producer.send_and_wait(topic, envelope.to_json(), key=bid.encode())
            await handled(engine, envelope.event_id)
        async with engine.connect() as conn:
            active = (
                await conn.execute(
                    sa.text(
                        "select passenger_id from checkin.passengers where booking_id = :b and revoked_at is null"
                        " order by passenger_id"
                    ),
                    {"b": bid},
                )
            ).all()
            codes = await conn.scalar(
                sa.text("select count(*) from checkin.outbox where key = :b and topic = :t"),
                {"b": bid, "t": checkin_events.CODE_ISSUED.topic},
            )
            legs = await conn.scalar(
                sa.text("select count(*) from checkin.legs where booking_id = :b and passenger_id = 'P2'"), {"b": bid}
            )
    finally:
        await producer.stop()
        await engine.dispose()
    assert [r[0] for r in active] == ["P1", "P3"]
    assert codes == 2 and legs == 0


async def handled(engine: Any, event_id: str) -> None:
    async with asyncio.timeout(30):
        while True:
            async with engine.connect() as conn:
                if await conn.scalar(
                    sa.text(
                        "select count(*) from checkin.processed_events where consumer = 'checkin' and event_id = :e"
                    ),
                    {"e": event_id},
                ):
                    return
            await asyncio.sleep(0.1)


async def test_an_adult_leaves_with_their_lap_infant_and_their_bags_are_withdrawn(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Two adults and an infant on P1's lap, one way (refundable, 5000 change fee): P1 leaves with
    the infant, refunded both fares minus the change fee; P1's bag is withdrawn, P2's stays; no
    new bag for P1; P2 is then the last passenger."""
    trip = await confirmed_booking(api, tokens)
    bid, me, agent = trip["booking"]["id"], auth(tokens["passenger"]), auth(tokens["agent"])
    mine = await drop(api, tokens, bag_body(trip, "P1"))
    theirs = await drop(api, tokens, bag_body(trip, "P2"))
    assert mine["status"] == theirs["status"] == "checked_in"

    r = await api.post(f"{API}/bookings/{bid}/passengers/P1/cancel", headers=me)
    assert r.status_code == 200, r.text
    after = r.json()
    assert [p["cancelled"] for p in after["passengers"]] == [True, False, True]
    share = UNIT["adult"] + UNIT["infant"] - CHANGE_FEE
    assert after["refunded_amount"] == share and await refunded_by_payment(api, tokens, bid) == share

    async def withdrawn() -> bool:
        r = await api.get(f"{API}/bookings/{bid}/bags", headers=agent)
        statuses = {b["id"]: b["status"] for b in r.json()["bags"]}
        return statuses == {mine["id"]: "withdrawn", theirs["id"]: "checked_in"}

    await eventually(withdrawn)
    problem = assert_problem(await api.post(f"{API}/bags", json=bag_body(trip, "P1"), headers=agent), 409)
    assert problem["code"] == "passenger_cancelled"
    problem = assert_problem(await api.post(f"{API}/bookings/{bid}/passengers/P2/cancel", headers=me), 409)
    assert problem["code"] == "last_passenger"
