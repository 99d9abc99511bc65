"""Seats left is the truth (issue 13): what confirmed bookings took, moved by the flights
service's consumer of the booking events exactly once per booking and flight; search never
offers a cabin without enough seats or a flight whose sales have closed; ops' overbooking
policy; offers of a flight that left; dates outside the real world's window.

Everything runs through the gateway against every real service, PostgreSQL and the broker.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import ConsumerRecord

from airline.contracts.events import booking as booking_events
from airline.flights import consumers as flights_consumers
from airline.platform.consumer import EventConsumer
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from tests.support.booking import free_seats, offer_for, plane_with, route_with_round_trip
from tests.support.factories import (
    CARD_OK,
    CONTACT,
    HOME,
    UNIT,
    create_flight,
    family,
    flight_number,
    key,
    new_airport,
    new_gate,
    new_plane,
    person,
    some_day_ahead,
)
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")

TINY_LAYOUT = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 2, "seat_letters": "ABC"}]}  # 6


async def seats_of(api: httpx.AsyncClient, flight_id: str, cabin: str = "normal") -> dict[str, Any]:
    r = await api.get(f"/api/v1/flights/{flight_id}")
    assert r.status_code == 200, r.text
    return next(c for c in r.json()["seats"] if c["cabin_class"] == cabin)  # type: ignore[no-any-return]


async def wait_for_seats_left(api: httpx.AsyncClient, flight_id: str, wanted: int, deadline_s: float) -> float:
    """Poll the flight view until seats_left is `wanted`; returns the seconds it took."""
    start = time.monotonic()
    last: dict[str, Any] = {}
    while time.monotonic() - start < deadline_s:
        last = await seats_of(api, flight_id)
        if last["seats_left"] == wanted:
            return time.monotonic() - start
        await asyncio.sleep(0.02)
    raise AssertionError(
        f"seats_left still {last.get('seats_left')} (sold {last.get('sold')}) after {deadline_s}s, wanted {wanted}"
    )


async def confirmed_booking(
    api: httpx.AsyncClient, token: str, offer: dict[str, Any], passengers: list[dict[str, Any]]
) -> dict[str, Any]:
    """Create, name, seat and pay a booking of `offer`; returns the confirmed booking."""
    me = auth(token)
    r = await api.post(
        "/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me | {"Idempotency-Key": key()}
    )
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers", headers=me, json={"passengers": passengers, "contact": CONTACT}
    )
    assert r.status_code == 200, r.text
    seated = [p["id"] for p in r.json()["passengers"] if p["type"] != "infant"]
    for leg in offer["legs"]:
        fid = leg["flight"]["id"]
        seats = await free_seats(api, fid, len(seated))
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=me,
            json={"flight_id": fid, "seats": [{"passenger_id": p, "seat": s} for p, s in zip(seated, seats)]},
        )
        assert r.status_code == 200, r.text
    r = await api.post(f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed", r.json()
    return r.json()  # type: ignore[no-any-return]


def travellers(n: int, last: str = "Hopper") -> list[dict[str, Any]]:
    return [person("adult", f"Grace{chr(65 + i)}", last, "1980-01-0" + str(1 + i % 9)) for i in range(n)]


async def one_way_route(api: httpx.AsyncClient, ops: str) -> str:
    """A new airport with one-way normal fares from home (a route nobody else prices)."""
    far = await new_airport(api, ops, "Asia/Tokyo")
    fares = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "normal",
            "passenger_type": pax,
            "trip_type": "one_way",
            "amount": UNIT[pax],
            "currency": "SGD",
        }
        for pax in UNIT
    ]
    r = await api.put("/api/v1/fares", json={"fares": fares}, headers=auth(ops))
    assert r.status_code == 200, r.text
    return far


def search_params(far: str, flight: dict[str, Any], adults: int = 1) -> dict[str, Any]:
    day = datetime.fromisoformat(flight["scheduled_departure_local"]).date()
    return {"origin": HOME, "destination": far, "date": day.isoformat(), "adults": adults, "cabin_class": "normal"}


async def offered(api: httpx.AsyncClient, params: dict[str, Any]) -> list[str]:
    r = await api.get("/api/v1/search", params=params)
    assert r.status_code == 200, r.text
    return [o["legs"][0]["flight"]["id"] for o in r.json()["offers"]]


# --- seats left follows confirmations and cancellations -------------------------------------


async def test_seats_left_drops_by_the_confirmed_passengers_within_a_second_and_rises_on_cancel(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    far, outbound, inbound = await route_with_round_trip(api, tokens["ops"])
    before = {f["id"]: (await seats_of(api, f["id"]))["seats_left"] for f in (outbound, inbound)}
    assert before[outbound["id"]] == 60  # the small plane's normal cabin, nothing sold

    # 2 adults, 1 child, 1 infant on a lap: 3 seats on each flight
    offer = await offer_for(api, far, outbound, inbound, adults=2, children=1, infants=1)
    assert [leg["seats_left"] for leg in offer["legs"]] == [60, 60]
    travel = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    booking = await confirmed_booking(api, tokens["passenger"], offer, family(travel, "Seatcount"))
    confirmed_at = time.monotonic()
    for fid in (outbound["id"], inbound["id"]):
        await wait_for_seats_left(api, fid, before[fid] - 3, deadline_s=1.0 - (time.monotonic() - confirmed_at))
    latency = time.monotonic() - confirmed_at
    print(f"seats_left followed the confirmation in {latency * 1000:.0f} ms")
    assert latency <= 1.0
    seats = await seats_of(api, outbound["id"])
    assert (seats["sold"], seats["seats_left"], seats["available"]) == (3, 57, 57)

    # search says the same
    again = await offer_for(api, far, outbound, inbound, adults=1)
    assert [leg["seats_left"] for leg in again["legs"]] == [57, 57]

    r = await api.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=auth(tokens["passenger"]))
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "cancelled"
    cancelled_at = time.monotonic()
    for fid in (outbound["id"], inbound["id"]):
        await wait_for_seats_left(api, fid, before[fid], deadline_s=1.0 - (time.monotonic() - cancelled_at))
    print(f"seats_left followed the cancellation in {(time.monotonic() - cancelled_at) * 1000:.0f} ms")
    assert (await seats_of(api, outbound["id"]))["sold"] == 0


async def test_repeated_and_out_of_order_booking_events_move_the_seats_once(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService]
) -> None:
    """The flights service's own handlers behind a consumer of their own (its processed-event
    record, its database), fed records directly: no made-up booking reaches the other
    services' consumers of the booking topics."""
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead(60, 300)
    )
    fid = flight["id"]
    consumer = EventConsumer(
        services["flights"].runtime.db,
        f"flights-test-{uuid.uuid4().hex[:8]}",
        "unused",
        flights_consumers.handlers(),
        max_attempts=1,
    )
    offset = iter(range(10**6))

    def record(topic: str, env: Envelope) -> ConsumerRecord:  # type: ignore[type-arg]
        return ConsumerRecord(topic, 0, next(offset), 0, 0, env.key.encode(), env.to_json(), None, 0, 0, [])

    def confirmed(booking_id: str, kinds: list[str]) -> ConsumerRecord:  # type: ignore[type-arg]
        return record(
            booking_events.BOOKING_CONFIRMED.topic,
            Envelope(
                type="BookingConfirmed",
                version=1,
                producer="booking",
                key=booking_id,
                payload={
                    "booking_id": booking_id,
                    "cabin_class": "normal",
                    "flights": [{"flight_id": fid}],
                    "passengers": [{"id": f"P{i + 1}", "type": t} for i, t in enumerate(kinds)],
                },
            ),
        )

    def cancelled(booking_id: str) -> ConsumerRecord:  # type: ignore[type-arg]
        return record(
            booking_events.BOOKING_CANCELLED.topic,
            Envelope(
                type="BookingCancelled",
                version=1,
                producer="booking",
                key=booking_id,
                payload={"booking_id": booking_id, "flights": [fid]},
            ),
        )

    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    first = confirmed(a, ["adult", "adult", "infant"])  # 2 seats
    assert await consumer.handle(first) == "applied"
    assert await consumer.handle(first) == "duplicate"  # the same event delivered twice
    assert await consumer.handle(confirmed(a, ["adult", "adult", "infant"])) == "applied"  # re-emitted: new id
    assert (await seats_of(api, fid))["sold"] == 2

    # a cancellation that overtakes its confirmation: the late confirmation takes nothing
    assert await consumer.handle(cancelled(b)) == "applied"
    assert await consumer.handle(confirmed(b, ["adult", "adult", "adult"])) == "applied"
    assert (await seats_of(api, fid))["sold"] == 2

    # cancelled twice, A gives its 2 seats back once; confirmed again after that, it takes none
    assert await consumer.handle(cancelled(a)) == "applied"
    assert await consumer.handle(cancelled(a)) == "applied"
    assert await consumer.handle(confirmed(a, ["adult"])) == "applied"
    seats = await seats_of(api, fid)
    assert (seats["sold"], seats["seats_left"]) == (0, 60)


# --- search never offers what cannot be sold ------------------------------------------------


async def test_search_hides_a_full_cabin_until_ops_overbook_it(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    far = await one_way_route(api, ops)
    plane = await plane_with(api, ops, TINY_LAYOUT)
    flight = await create_flight(
        api, ops, plane=plane, gate=await new_gate(api, ops), destination=far, departure=some_day_ahead(60, 300)
    )
    fid = flight["id"]
    assert (await seats_of(api, fid))["seats_left"] == 6

    # 4 of 6 seats sold: 2 passengers are offered it, 3 are not
    r = await api.get("/api/v1/search", params=search_params(far, flight, adults=4))
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)
    await confirmed_booking(api, tokens["passenger"], offer, travellers(4))
    await wait_for_seats_left(api, fid, 2, deadline_s=5)
    assert fid in await offered(api, search_params(far, flight, adults=2))
    assert fid not in await offered(api, search_params(far, flight, adults=3))

    # full
    r = await api.get("/api/v1/search", params=search_params(far, flight, adults=2))
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)
    stale = offer  # an offer for 2 made while 2 seats were left
    await confirmed_booking(api, tokens["passenger"], offer, travellers(2, "Lamarr"))
    await wait_for_seats_left(api, fid, 0, deadline_s=5)
    assert fid not in await offered(api, search_params(far, flight, adults=1))
    problem = assert_problem(await api.get(f"/api/v1/offers/{stale['offer_id']}"), 409)
    assert problem["code"] == "not_enough_seats"
    problem = assert_problem(
        await api.post(
            "/api/v1/bookings",
            json={"offer_id": stale["offer_id"]},
            headers=auth(tokens["passenger"]) | {"Idempotency-Key": key()},
        ),
        409,
    )
    assert problem["code"] == "not_enough_seats"

    # ops overbook the cabin by 20 %: 6 * 1.2 = 7 seats may be sold, so 1 is left
    path = f"/api/v1/flights/{fid}/cabins/normal/overbooking"
    r = await api.put(path, json={"percent": 20}, headers=auth(ops))
    assert r.status_code == 200, r.text
    cabin = next(c for c in r.json()["seats"] if c["cabin_class"] == "normal")
    assert (cabin["capacity"], cabin["sold"], cabin["overbooking_percent"], cabin["seats_left"]) == (6, 6, 20, 1)
    assert fid in await offered(api, search_params(far, flight, adults=1))
    assert fid not in await offered(api, search_params(far, flight, adults=2))

    # back to 0: nothing more is sold, nothing taken back
    r = await api.put(path, json={"percent": 0}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert (await seats_of(api, fid))["seats_left"] == 0
    assert fid not in await offered(api, search_params(far, flight, adults=1))


async def test_overbooking_is_set_by_ops_only_within_0_to_20_percent(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead(60, 300)
    )
    path = f"/api/v1/flights/{flight['id']}/cabins/vip/overbooking"
    assert_problem(await api.put(path, json={"percent": 10}), 401)
    for role in ("passenger", "agent", "crew", "cs", "inventory"):
        problem = assert_problem(await api.put(path, json={"percent": 10}, headers=auth(tokens[role])), 403)
        assert problem["code"] == "permission_denied"
    for bad in ({"percent": 21}, {"percent": -1}, {"percent": 5.5}, {}):
        assert_problem(await api.put(path, json=bad, headers=auth(ops)), 422)
    assert_problem(
        await api.put(
            f"/api/v1/flights/{flight['id']}/cabins/first/overbooking", json={"percent": 1}, headers=auth(ops)
        ),
        422,
    )
    assert_problem(
        await api.put(f"/api/v1/flights/{uuid.uuid4()}/cabins/vip/overbooking", json={"percent": 1}, headers=auth(ops)),
        404,
    )
    vip = await seats_of(api, flight["id"], "vip")
    assert (vip["overbooking_percent"], vip["seats_left"]) == (0, 8)  # the default
    r = await api.put(path, json={"percent": 10}, headers=auth(ops))
    assert r.status_code == 200, r.text
    vip = await seats_of(api, flight["id"], "vip")
    assert (vip["capacity"], vip["overbooking_percent"], vip["seats_left"]) == (8, 10, 8)  # 8.8 rounds down
    r = await api.put(path, json={"percent": 13}, headers=auth(ops))
    assert (await seats_of(api, flight["id"], "vip"))["seats_left"] == 9
    assert (await seats_of(api, flight["id"], "normal"))["overbooking_percent"] == 0  # per cabin


async def test_search_and_offers_stop_when_sales_close_or_the_flight_left(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    far = await one_way_route(api, ops)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    gate = await new_gate(api, ops)
    # departing in 40 minutes: past sales close (60 minutes before departure)
    closing = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=gate, destination=far, departure=now + timedelta(minutes=40)
    )
    later = await create_flight(
        api,
        ops,
        plane=await new_plane(api, ops),
        gate=await new_gate(api, ops),
        destination=far,
        departure=now + timedelta(hours=5),
    )
    ids = await offered(api, search_params(far, closing) | {"flexible_days": 1})
    assert later["id"] in ids and closing["id"] not in ids

    # an offer made before the flight left cannot be read back or booked after
    flight = await create_flight(
        api,
        ops,
        plane=await new_plane(api, ops),
        gate=await new_gate(api, ops),
        destination=far,
        departure=some_day_ahead(60, 300),
    )
    r = await api.get("/api/v1/search", params=search_params(far, flight))
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == flight["id"])
    assert (await api.get(f"/api/v1/offers/{offer['offer_id']}")).status_code == 200
    for status in ("boarding", "departed"):
        r = await api.post(f"/api/v1/flights/{flight['id']}/status", json={"status": status}, headers=auth(ops))
        assert r.status_code == 200, r.text
    problem = assert_problem(await api.get(f"/api/v1/offers/{offer['offer_id']}"), 409)
    assert problem["code"] == "flight_not_sellable" and "departed" in problem["detail"]
    problem = assert_problem(
        await api.post(
            "/api/v1/bookings",
            json={"offer_id": offer["offer_id"]},
            headers=auth(tokens["passenger"]) | {"Idempotency-Key": key()},
        ),
        409,
    )
    assert problem["code"] == "flight_not_sellable"
    assert flight["id"] not in await offered(api, search_params(far, flight))


# --- dates of the real world ----------------------------------------------------------------


async def test_dates_outside_the_window_are_422_never_5xx(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = auth(tokens["ops"])
    base = {
        "number": flight_number(),
        "origin": HOME,
        "destination": "BKK",
        "duration_minutes": 60,
        "plane_id": "P1",
        "gate": "X1",
    }
    for departure in ("9999-06-01T08:00:00+00:00", "1800-06-01T08:00:00+00:00"):
        problem = assert_problem(
            await api.post("/api/v1/flights", headers=ops, json=base | {"departure": departure}), 422
        )
        assert problem["code"] == "validation_failed" and "between 1900-01-01 and 2100-12-31" in problem["detail"], (
            problem
        )
    too_far = (datetime.now(UTC) + timedelta(days=420)).replace(microsecond=0)
    problem = assert_problem(
        await api.post("/api/v1/flights", headers=ops, json=base | {"departure": too_far.isoformat()}), 422
    )
    assert "400 days" in problem["detail"], problem

    problem = assert_problem(
        await api.post(
            "/api/v1/flights/round-trips",
            headers=ops,
            json={
                "outbound": base | {"departure": "9999-06-01T08:00:00+00:00"},
                "return_number": flight_number(),
                "return_departure": "9999-06-01T12:00:00+00:00",
                "return_gate": "X2",
            },
        ),
        422,
    )
    assert "2100-12-31" in problem["detail"], problem
    schedule = {
        "number": flight_number(),
        "origin": HOME,
        "destination": "BKK",
        "plane_id": "P1",
        "gate": "X1",
        "departure_local_time": "08:00",
        "duration_minutes": 60,
        "days": 3,
    }
    for first in ("9999-01-01", (datetime.now(UTC) + timedelta(days=405)).date().isoformat()):
        problem = assert_problem(
            await api.post("/api/v1/schedules", headers=ops, json=schedule | {"first_date": first}), 422
        )
        assert problem["code"] == "validation_failed", problem

    search = {"origin": HOME, "destination": "BKK"}
    for params in (
        search | {"date": "9999-12-30", "flexible_days": 3},
        search | {"date": "1899-12-31"},
        search | {"date": "2030-01-01", "trip_type": "round_trip", "return_date": "9999-01-01"},
    ):
        problem = assert_problem(await api.get("/api/v1/search", params=params), 422)
        assert "between 1900-01-01 and 2100-12-31" in problem["detail"], (params, problem)


# --- the fare's no-show rule ----------------------------------------------------------------


async def test_fare_rules_carry_the_no_show_rule_and_taxes_into_offers(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    far = await one_way_route(api, ops)
    rule = {
        "origin": HOME,
        "destination": far,
        "cabin_class": "normal",
        "refundable": True,
        "change_fee": 1000,
        "currency": "SGD",
        "checked_bags": 1,
        "bag_weight_kg": 23,
    }
    for bad in ({"no_show_refund": "fare"}, {"taxes": -1}, {"taxes": UNIT["infant"] + 1}):
        problem = assert_problem(await api.put("/api/v1/fares", json={"rules": [rule | bad]}, headers=auth(ops)), 422)
        assert problem["code"] == "validation_failed", (bad, problem)
    r = await api.put(
        "/api/v1/fares", json={"rules": [rule | {"no_show_refund": "taxes", "taxes": 2500}]}, headers=auth(ops)
    )
    assert r.status_code == 200, r.text
    assert (r.json()["rules"][0]["no_show_refund"], r.json()["rules"][0]["taxes"]) == ("taxes", 2500)
    r = await api.get("/api/v1/fares", params={"origin": HOME, "destination": far})
    assert [(x["no_show_refund"], x["taxes"]) for x in r.json()["rules"]] == [("taxes", 2500)]
    # a fare below the taxes is refused too
    problem = assert_problem(
        await api.put(
            "/api/v1/fares",
            headers=auth(ops),
            json={
                "fares": [
                    {
                        "origin": HOME,
                        "destination": far,
                        "cabin_class": "normal",
                        "passenger_type": "infant",
                        "trip_type": "one_way",
                        "amount": 2000,
                        "currency": "SGD",
                    }
                ]
            },
        ),
        422,
    )
    assert "taxes" in problem["detail"]

    flight = await create_flight(
        api,
        ops,
        plane=await new_plane(api, ops),
        gate=await new_gate(api, ops),
        destination=far,
        departure=some_day_ahead(60, 300),
    )
    r = await api.get("/api/v1/search", params=search_params(far, flight))
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == flight["id"])
    assert (offer["legs"][0]["rules"]["no_show_refund"], offer["legs"][0]["rules"]["taxes"]) == ("taxes", 2500)
    again = (await api.get(f"/api/v1/offers/{offer['offer_id']}")).json()
    assert (again["legs"][0]["rules"]["no_show_refund"], again["legs"][0]["rules"]["taxes"]) == ("taxes", 2500)
    assert json.dumps(again)  # plain JSON
