"""Contention, for real: 200 concurrent clients race through the running gateway, booking,
reservation and payment services for the last 10 seats of a flight."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest

from airline.booking.service import Access
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from airline.reservation.v1 import reservation_pb2 as rpb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.booking import offer_for, route_with_round_trip
from tests.support.factories import CARD_OK, CONTACT, key, person
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")

TEN_SEATS = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 1, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 2, "last_row": 3, "seat_letters": "ABC DE"},
    ]
}
CLIENTS = 200


async def draft(api: httpx.AsyncClient, token: str, offer_id: str, gate: asyncio.Semaphore) -> str:
    """A booking with its passenger, ready to choose a seat (set up before the race: every
    service here shares one process and one event loop, which 200 simultaneous drafts would
    only queue behind each other)."""
    me = auth(token)
    async with gate:
        r = await api.post("/api/v1/bookings", json={"offer_id": offer_id}, headers=me | {"Idempotency-Key": key()})
        assert r.status_code == 201, r.text
        bid: str = r.json()["id"]
        r = await api.put(
            f"/api/v1/bookings/{bid}/passengers",
            headers=me,
            json={"passengers": [person("adult", "Racer", "Contender", "1980-02-02")], "contact": CONTACT},
        )
        assert r.status_code == 200, r.text
    return bid


async def one_client(
    gateway_url: str, token: str, bid: str, flight_id: str, seats: list[str], start: asyncio.Event
) -> dict[str, Any]:
    me = auth(token)
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as api:
        seat = random.choice(seats)
        await start.wait()
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=me,
            json={"flight_id": flight_id, "seats": [{"passenger_id": "P1", "seat": seat}]},
        )
        if r.status_code == 409:
            return {"id": bid, "outcome": "lost", "code": assert_problem(r, 409).get("code"), "seat": seat}
        assert r.status_code == 200, r.text
        r = await api.post(
            f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK}
        )
        assert r.status_code == 200, r.text
        return {"id": bid, "outcome": r.json()["state"], "seat": seat, "pnr": r.json()["pnr"]}


async def test_200_clients_race_for_the_last_10_seats(
    gateway_url: str, api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    far, outbound, _ = await route_with_round_trip(api, tokens["ops"], layout=TEN_SEATS)
    offer = await offer_for(api, far, outbound, None, adults=1)
    seat_map = (await api.get(f"/api/v1/flights/{outbound['id']}/seats")).json()
    seats = [s["seat"] for s in seat_map["seats"] if s["cabin_class"] == "normal" and s["state"] == "free"]
    assert len(seats) == 10

    gate = asyncio.Semaphore(20)
    drafts = await asyncio.gather(*(draft(api, tokens["passenger"], offer["offer_id"], gate) for _ in range(CLIENTS)))
    start = asyncio.Event()
    racing = [
        asyncio.create_task(one_client(gateway_url, tokens["passenger"], bid, outbound["id"], seats, start))
        for bid in drafts
    ]
    await asyncio.sleep(0.5)  # every client connected and waiting: then all go at once
    start.set()
    results = await asyncio.gather(*racing)

    outcomes = Counter(r["outcome"] for r in results)
    assert outcomes == {"confirmed": 10, "lost": CLIENTS - 10}, outcomes
    winners = [r for r in results if r["outcome"] == "confirmed"]
    assert sorted(r["seat"] for r in winners) == sorted(seats)  # each seat sold once
    assert len({r["pnr"] for r in winners}) == 10
    assert {r["code"] for r in results if r["outcome"] == "lost"} <= {"seat_held", "seat_taken"}

    # reservation's own record: 10 assignments, one per seat, each to a confirmed booking
    async with make_channel(settings.grpc_target("reservation")) as channel:
        listed = await ReservationServiceStub(channel).ListAssignments(
            rpb.ListAssignmentsRequest(flight_id=outbound["id"]), metadata=[("authorization", f"Bearer {tokens['cs']}")]
        )
    assert sorted(a.seat for a in listed.assignments) == sorted(seats)
    assert {a.booking_ref for a in listed.assignments} == {r["id"] for r in winners}
    for w in winners[:3]:
        r = await api.get("/api/v1/payments", params={"reference": w["id"]}, headers=auth(tokens["cs"]))
        assert [p["status"] for p in r.json()["payments"]] == ["captured"]
    for r_ in [r for r in results if r["outcome"] == "lost"][:5]:  # losers were never charged
        r = await api.get("/api/v1/payments", params={"reference": r_["id"]}, headers=auth(tokens["cs"]))
        assert r.json()["payments"] == []

    seat_map = (await api.get(f"/api/v1/flights/{outbound['id']}/seats")).json()
    normal = next(a for a in seat_map["availability"] if a["cabin_class"] == "normal")
    assert (normal["taken"], normal["held"], normal["free"]) == (10, 0, 0)


async def test_an_abandoned_booking_expires_with_its_seat_holds(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService]
) -> None:
    me = auth(tokens["passenger"])
    far, outbound, inbound = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, inbound, adults=1)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me)
    bid = r.json()["id"]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=me,
        json={"passengers": [person("adult", "Gone", "Away", "1970-07-07")], "contact": CONTACT},
    )
    assert r.status_code == 200, r.text
    held = {}
    for flight in (outbound, inbound):
        seat_map = (await api.get(f"/api/v1/flights/{flight['id']}/seats")).json()
        held[flight["id"]] = next(
            s["seat"]
            for s in seat_map["seats"]
            if s["state"] == "free" and s["cabin_class"] == "normal" and not s["exit_row"]
        )
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=me,
            json={"flight_id": flight["id"], "seats": [{"passenger_id": "P1", "seat": held[flight["id"]]}]},
        )
        assert r.status_code == 200, r.text
    expires = r.json()["expires_at"]

    service = services["booking"].parts.service  # type: ignore[attr-defined]
    from datetime import datetime

    # before its time nothing happens; after it, the booking expires and its seats are free
    await service.recover(only=[bid])
    assert (await api.get(f"/api/v1/bookings/{bid}", headers=me)).json()["state"] == "held"
    later = datetime.fromisoformat(expires.replace("Z", "+00:00")) + timedelta(seconds=1)
    assert (await service.recover(now=later, only=[bid]))["expired"] == 1
    booking = await service.get(Access(booking_id=bid, manage_token=service.manage_token(bid)))
    assert booking["state"] == "expired"
    for flight_id, seat in held.items():
        states = {s["seat"]: s["state"] for s in (await api.get(f"/api/v1/flights/{flight_id}/seats")).json()["seats"]}
        assert states[seat] == "free"
    assert_problem(
        await api.post(
            f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK}
        ),
        409,
    )
