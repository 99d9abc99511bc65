"""Seats sold by revenue rules (issue 18, part 3): booking classes with nested availability,
search at the cheapest open bucket, taxes as lines of their own in the offer and on the receipt,
an overbooking allowance from a show-up rate, and the ops revenue report.

Everything runs through the gateway against every real service, PostgreSQL and the broker.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import ConsumerRecord
from prometheus_client import REGISTRY

from airline.contracts.events import booking as booking_events
from airline.flights import consumers as flights_consumers
from airline.flights.fares import OfferCodec
from airline.flights.revenue import RevenueService
from airline.platform.consumer import EventConsumer
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from tests.support.factories import HOME, create_flight, new_gate, new_plane, person, some_day_ahead
from tests.support.http import assert_problem, auth
from tests.support.sales import confirmed_booking, one_way_route, search_params, seats_of, wait_for_seats_left

pytestmark = pytest.mark.usefixtures("seed_airports")

SEATS_SOLD = "airline_flights_seats_sold_total"

LADDER = [
    {"code": "Y", "adult_amount": 30000, "child_amount": 22500, "infant_amount": 3000, "currency": "SGD", "authorised": 60},
    {"code": "M", "adult_amount": 20000, "child_amount": 15000, "infant_amount": 2000, "currency": "SGD", "authorised": 40},
    {"code": "Q", "adult_amount": 10000, "child_amount": 7500, "infant_amount": 1000, "currency": "SGD", "authorised": 2},
]  # fmt: skip


def adults(n: int, last: str) -> list[dict[str, Any]]:
    return [person("adult", f"Ada{chr(65 + i)}", last, f"198{i}-02-0{1 + i}") for i in range(n)]


async def search(api: httpx.AsyncClient, far: str, flight: dict[str, Any], n: int = 1) -> dict[str, Any] | None:
    r = await api.get("/api/v1/search", params=search_params(far, flight, adults=n))
    assert r.status_code == 200, r.text
    return next((o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == flight["id"]), None)


async def flight_on_new_route(api: httpx.AsyncClient, ops: str, max_days: int = 300) -> tuple[str, dict[str, Any]]:
    far = await one_way_route(api, ops)
    flight = await create_flight(
        api,
        ops,
        plane=await new_plane(api, ops),
        gate=await new_gate(api, ops),
        destination=far,
        departure=some_day_ahead(40, max_days),
    )
    return far, flight


def assert_lines_sum(offer: dict[str, Any]) -> None:
    fares = sum(x["amount"] for x in offer["fare_lines"])
    taxes = sum(t["amount"] for t in offer["taxes"])
    assert offer["total"] == fares + taxes == sum(x["amount"] for x in offer["breakdown"])


async def test_the_cheapest_bucket_sells_out_and_search_rises_to_the_next_with_taxes_on_offer_and_receipt(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService]
) -> None:
    ops = tokens["ops"]
    far, flight = await flight_on_new_route(api, ops, max_days=80)
    fid = flight["id"]
    # taxes of the new airport only (arriving there), so no other test's prices move
    taxes = [
        {"airport": far, "passenger_type": "adult", "code": "E7", "name": "Arrival fee", "amount": 700,
         "currency": "SGD", "applies_on": "arrival"},
        {"airport": far, "passenger_type": "adult", "code": "AV", "name": "Aviation levy", "amount": 250,
         "currency": "SGD", "applies_on": "arrival"},
        {"airport": far, "passenger_type": "adult", "code": "DP", "name": "Departure charge", "amount": 9999,
         "currency": "SGD"},  # charged leaving `far`: not on this outbound
    ]  # fmt: skip
    r = await api.put("/api/v1/taxes", json={"taxes": taxes}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert {t["code"] for t in r.json()["taxes"]} == {"E7", "AV", "DP"}
    r = await api.get("/api/v1/taxes", params={"airport": far})
    assert [t["code"] for t in r.json()["taxes"]] == ["AV", "DP", "E7"]

    # before buckets: the route's fares, and the taxes as lines of their own
    offer = await search(api, far, flight)
    assert offer is not None and offer["legs"][0]["fare_bucket"] == ""
    assert {(t["code"], t["amount"]) for t in offer["taxes"]} == {("E7", 700), ("AV", 250)}
    assert_lines_sum(offer)

    r = await api.put(f"/api/v1/flights/{fid}/fares/buckets", json={"buckets": LADDER}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert r.json()["selling"] == "Q"
    assert [(b["code"], b["available"]) for b in r.json()["buckets"]] == [("Y", 60), ("M", 40), ("Q", 2)]

    # Q has 2 seats: a party of 2 gets Q
    offer = await search(api, far, flight, n=2)
    assert offer is not None and offer["legs"][0]["fare_bucket"] == "Q"
    assert offer["fare_lines"] == [{"passenger_type": "adult", "count": 2, "unit_amount": 10000, "amount": 20000}]
    assert offer["total"] == 20000 + 2 * (700 + 250)
    assert_lines_sum(offer)
    r = await api.get(f"/api/v1/offers/{offer['offer_id']}")  # the signed offer still verifies
    assert r.status_code == 200, r.text
    assert r.json()["total"] == offer["total"] and r.json()["legs"][0]["fare_bucket"] == "Q"
    # a party of 3 does not fit in Q: it is priced in M
    bigger = await search(api, far, flight, n=3)
    assert bigger is not None and bigger["legs"][0]["fare_bucket"] == "M"

    single_q = await search(api, far, flight)  # a one-seat offer in Q, booked by nobody
    assert single_q is not None and single_q["legs"][0]["fare_bucket"] == "Q"
    sold_in_q = REGISTRY.get_sample_value(SEATS_SOLD, {"cabin": "normal", "bucket": "Q"}) or 0.0
    booking = await confirmed_booking(api, tokens["passenger"], offer, adults(2, "Bucketson"))
    assert booking["total"] == offer["total"]
    await wait_for_seats_left(api, fid, 58, deadline_s=15)

    # the sale is recorded in Q: Q is sold out, search rises to M
    r = await api.get(f"/api/v1/flights/{fid}/fares/buckets", headers=auth(tokens["agent"]))
    assert r.status_code == 200, r.text
    normal = next(c for c in r.json()["cabins"] if c["cabin_class"] == "normal")
    assert [(b["code"], b["sold"], b["available"]) for b in normal["buckets"]] == [
        ("Y", 0, 58),
        ("M", 0, 38),
        ("Q", 2, 0),
    ]
    assert normal["selling"] == "M"
    after = await search(api, far, flight)
    assert after is not None and after["legs"][0]["fare_bucket"] == "M"
    # Q's price is not honoured once Q is sold out: its offer says search again
    problem = assert_problem(await api.get(f"/api/v1/offers/{single_q['offer_id']}"), 409)
    assert problem["code"] == "fare_bucket_closed"
    # the flights process's metrics (the services of this session run in this process)
    assert REGISTRY.get_sample_value(SEATS_SOLD, {"cabin": "normal", "bucket": "Q"}) == sold_in_q + 2
    assert after["fare_lines"][0]["unit_amount"] == 20000 and after["total"] == 20000 + 950

    # the receipt: the fare per e-ticket without the taxes, each tax on its own line
    r = await api.get(f"/api/v1/bookings/{booking['id']}/receipt", headers=auth(tokens["passenger"]))
    assert r.status_code == 200, r.text
    lines = r.json()["lines"]
    tax_lines = [x for x in lines if x["kind"] == "tax"]
    assert sorted(x["amount"] for x in tax_lines) == [500, 1400]  # AV and E7 for 2 adults
    assert any("Arrival fee (E7" in x["description"] for x in tax_lines)
    assert sum(x["amount"] for x in lines if x["kind"] == "fare") == 20000
    assert r.json()["total_paid"] == offer["total"]

    # the revenue report: what was sold, at the bucket's fare (no taxes)
    dep = datetime.fromisoformat(flight["scheduled_departure"])
    window = {"from": (dep - timedelta(minutes=1)).isoformat(), "to": (dep + timedelta(minutes=1)).isoformat()}
    r = await api.get("/api/v1/ops/revenue", params=window, headers=auth(ops))
    assert r.status_code == 200, r.text
    row = next(x for x in r.json()["flights"] if x["flight_id"] == fid and x["cabin_class"] == "normal")
    assert (row["capacity"], row["sold"], row["sellable"], row["bookings"]) == (60, 2, 60, 1)
    assert row["revenue"] == [{"currency": "SGD", "amount": 20000}]
    assert row["load_factor_percent"] == pytest.approx(3.3)
    await RevenueService(services["flights"].runtime.db).refresh_metrics(days_ahead=90)
    gauge = {"flight": f"{flight['number']}/{dep:%Y-%m-%d}", "cabin": "normal"}
    assert REGISTRY.get_sample_value("airline_flights_load_factor", gauge) == pytest.approx(2 / 60)
    money = {"flight": gauge["flight"], "currency": "SGD"}
    assert REGISTRY.get_sample_value("airline_flights_revenue_minor", money) == 20000
    today = datetime.now().astimezone().date()
    r = await api.get(
        "/api/v1/ops/revenue",
        params={"from": (datetime.now().astimezone() - timedelta(hours=1)).isoformat()},
        headers=auth(tokens["admin"]),
    )
    assert r.status_code == 200, r.text
    days = r.json()["days"]
    assert sum(d["bookings"] for d in days) >= 1 and sum(d["revenue"] for d in days) >= 20000
    assert all(abs((datetime.fromisoformat(d["day"]).date() - today).days) <= 1 for d in days)


async def test_an_overbooked_cabin_sells_exactly_capacity_plus_its_allowance_then_refuses(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService]
) -> None:
    """Sold through the seat-ledger sale path the booking saga's confirmation takes (the
    flights service's own handlers behind a consumer of their own, fed confirmations)."""
    ops = tokens["ops"]
    far, flight = await flight_on_new_route(api, ops)
    fid = flight["id"]
    path = f"/api/v1/flights/{fid}/cabins/normal/show-up-rate"
    # 90 % show up: allowance floor(60 * (1/0.9 - 1)) = 6
    r = await api.put(path, json={"show_up_rate_bp": 9000}, headers=auth(ops))
    assert r.status_code == 200, r.text
    cabin = await seats_of(api, fid)
    assert (cabin["capacity"], cabin["seats_left"]) == (60, 66)

    consumer = EventConsumer(
        services["flights"].runtime.db,
        f"flights-test-{uuid.uuid4().hex[:8]}",
        "unused",
        flights_consumers.handlers(),
        max_attempts=1,
    )
    offset = iter(range(10**6))

    async def sell(n: int) -> None:
        bid = str(uuid.uuid4())
        env = Envelope(
            type="BookingConfirmed",
            version=1,
            producer="booking",
            key=bid,
            payload={
                "booking_id": bid,
                "cabin_class": "normal",
                "flights": [{"flight_id": fid}],
                "passengers": [{"id": f"P{i}", "type": "adult"} for i in range(n)],
            },
        )
        topic = booking_events.BOOKING_CONFIRMED.topic
        rec = ConsumerRecord(topic, 0, next(offset), 0, 0, bid.encode(), env.to_json(), None, 0, 0, [])  # type: ignore[var-annotated]
        assert await consumer.handle(rec) == "applied"

    for _ in range(6):
        await sell(9)
    await sell(6)  # the plane's 60 seats are sold
    cabin = await seats_of(api, fid)
    assert (cabin["sold"], cabin["seats_left"]) == (60, 6)
    offer = await search(api, far, flight, n=6)
    assert offer is not None and offer["legs"][0]["seats_left"] == 6
    stale = await search(api, far, flight, n=1)
    assert stale is not None
    await sell(6)  # exactly the allowance
    cabin = await seats_of(api, fid)
    assert (cabin["sold"], cabin["seats_left"]) == (66, 0)
    assert await search(api, far, flight, n=1) is None
    problem = assert_problem(await api.get(f"/api/v1/offers/{stale['offer_id']}"), 409)
    assert problem["code"] == "not_enough_seats"

    # a percentage again replaces the rate: 10 % of 60 = 6 too; 0 % sells nothing more
    r = await api.put(f"/api/v1/flights/{fid}/cabins/normal/overbooking", json={"percent": 0}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert (await seats_of(api, fid))["seats_left"] == 0


async def test_revenue_rules_are_for_ops_and_bad_input_is_refused(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    far, flight = await flight_on_new_route(api, ops)
    fid = flight["id"]
    buckets = f"/api/v1/flights/{fid}/fares/buckets"
    assert_problem(await api.put(buckets, json={"buckets": LADDER}), 401)
    for role in ("passenger", "agent", "crew"):
        assert_problem(await api.put(buckets, json={"buckets": LADDER}, headers=auth(tokens[role])), 403)
        assert_problem(await api.put("/api/v1/taxes", json={"taxes": []}, headers=auth(tokens[role])), 403)
    assert_problem(await api.get("/api/v1/ops/revenue", headers=auth(tokens["agent"])), 403)
    assert_problem(await api.get(buckets, headers=auth(tokens["passenger"])), 403)
    unnested = [LADDER[0], {**LADDER[2], "authorised": 70}]
    problem = assert_problem(await api.put(buckets, json={"buckets": unnested}, headers=auth(ops)), 422)
    assert "nested" in problem["detail"]
    dearer_below = [LADDER[2], {**LADDER[0], "code": "B", "authorised": 1}]
    assert_problem(await api.put(buckets, json={"buckets": dearer_below}, headers=auth(ops)), 422)
    assert_problem(await api.put(buckets, json={"buckets": [LADDER[0], LADDER[0]]}, headers=auth(ops)), 422)
    assert_problem(
        await api.put(buckets, json={"buckets": [{**LADDER[0], "adult_amount": 1.5}]}, headers=auth(ops)), 422
    )
    assert_problem(
        await api.put(f"/api/v1/flights/{uuid.uuid4()}/fares/buckets", json={"buckets": LADDER}, headers=auth(ops)), 404
    )
    bad_rate = f"/api/v1/flights/{fid}/cabins/normal/show-up-rate"
    for rate in (4999, 10001, 0.9):
        assert_problem(await api.put(bad_rate, json={"show_up_rate_bp": rate}, headers=auth(ops)), 422)
    tax = {"airport": far, "passenger_type": "adult", "code": "SG", "amount": 100, "currency": "SGD"}
    assert_problem(
        await api.put("/api/v1/taxes", json={"taxes": [{**tax, "applies_on": "transit"}]}, headers=auth(ops)), 422
    )
    assert_problem(await api.put("/api/v1/taxes", json={"taxes": [tax, tax]}, headers=auth(ops)), 422)
    assert_problem(
        await api.get("/api/v1/ops/revenue", params={"from": "2027-01-10T00:00:00Z", "to": "2027-01-01T00:00:00Z"},
                      headers=auth(ops)),
        422,
    )  # fmt: skip
    # nothing was written by the refused requests
    r = await api.get(buckets, headers=auth(ops))
    assert all(c["buckets"] == [] for c in r.json()["cabins"])
    assert (await api.get("/api/v1/taxes", params={"airport": far})).json()["taxes"] == []
    # an empty ladder removes the buckets; a tax is removed by its key
    assert (await api.put(buckets, json={"buckets": LADDER}, headers=auth(ops))).status_code == 200
    assert (await api.put(buckets, json={"buckets": []}, headers=auth(ops))).json()["buckets"] == []
    assert (await api.put("/api/v1/taxes", json={"taxes": [tax]}, headers=auth(ops))).status_code == 200
    r = await api.put("/api/v1/taxes", json={"remove": [tax]}, headers=auth(ops))
    assert r.status_code == 200 and r.json()["taxes"] == []
    assert HOME != far


async def test_a_moved_booking_takes_its_fare_revenue_to_its_new_flight_and_gives_its_bucket_seats_back(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService]
) -> None:
    """Fed to the flights service's own handlers (the sale path of a confirmation and of a
    re-accommodation), with an offer the running service signed."""
    ops = tokens["ops"]
    far, first = await flight_on_new_route(api, ops, max_days=80)
    dep = datetime.fromisoformat(first["scheduled_departure"])
    second = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), destination=far,
        departure=dep + timedelta(days=1),
    )  # fmt: skip
    r = await api.put(f"/api/v1/flights/{first['id']}/fares/buckets", json={"buckets": LADDER}, headers=auth(ops))
    assert r.status_code == 200, r.text
    offer = await search(api, far, first, n=2)
    assert offer is not None and offer["legs"][0]["fare_bucket"] == "Q"

    codec = OfferCodec(services["flights"].runtime.settings.secret("flights_offer_key"), 1800)
    consumer = EventConsumer(
        services["flights"].runtime.db,
        f"flights-test-{uuid.uuid4().hex[:8]}",
        "unused",
        flights_consumers.handlers(codec.sold),
        max_attempts=1,
    )
    offset = iter(range(10**6))
    bid = str(uuid.uuid4())
    pax = [{"id": f"P{i}", "type": "adult", "first_name": "Ada", "last_name": f"Moved{i}"} for i in (1, 2)]

    async def feed(topic: str, kind: str, payload: dict[str, Any]) -> None:
        env = Envelope(type=kind, version=1, producer="booking", key=bid, payload=payload)
        rec = ConsumerRecord(topic, 0, next(offset), 0, 0, bid.encode(), env.to_json(), None, 0, 0, [])  # type: ignore[var-annotated]
        assert await consumer.handle(rec) == "applied"

    await feed(
        booking_events.BOOKING_CONFIRMED.topic,
        "BookingConfirmed",
        {"booking_id": bid, "cabin_class": "normal", "flights": [{"flight_id": first["id"]}], "passengers": pax,
         "offer_id": offer["offer_id"]},
    )  # fmt: skip
    window = {"from": (dep - timedelta(minutes=1)).isoformat(), "to": (dep + timedelta(days=1, minutes=1)).isoformat()}

    async def revenue_of(fid: str) -> tuple[int, list[dict[str, Any]]]:
        r = await api.get("/api/v1/ops/revenue", params=window, headers=auth(ops))
        assert r.status_code == 200, r.text
        row = next(x for x in r.json()["flights"] if x["flight_id"] == fid and x["cabin_class"] == "normal")
        return row["bookings"], row["revenue"]

    assert await revenue_of(first["id"]) == (1, [{"currency": "SGD", "amount": 20000}])
    assert await revenue_of(second["id"]) == (0, [])
    moved = {
        "booking_id": bid, "pnr": "MOVED1", "proposal_id": str(uuid.uuid4()), "reason": "cancelled",
        "cabin_class": "normal", "removed_flights": [first["id"]], "added_flights": [second["id"]],
        "flights": [{"flight_id": second["id"], "number": second["number"], "origin": HOME, "destination": far}],
        "passengers": pax, "contact": {},
    }  # fmt: skip
    for _ in range(2):  # a repeat (a new event id) moves nothing more
        await feed(booking_events.BOOKING_REACCOMMODATED.topic, "BookingReaccommodated", moved)
        assert await revenue_of(first["id"]) == (0, [])
        assert await revenue_of(second["id"]) == (1, [{"currency": "SGD", "amount": 20000}])
    r = await api.get(f"/api/v1/flights/{first['id']}/fares/buckets", headers=auth(ops))
    normal = next(c for c in r.json()["cabins"] if c["cabin_class"] == "normal")
    assert [(b["code"], b["sold"], b["available"]) for b in normal["buckets"]] == [
        ("Y", 0, 60),
        ("M", 0, 40),
        ("Q", 0, 2),
    ]
    assert normal["selling"] == "Q"
