"""Seat maps, holds and the live seat map through the gateway's REST API and SSE, against the
real reservation, flights and airport services."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from airline.reservation.v1 import reservation_pb2 as pb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.http import auth, stream
from tests.support.reservation import Platform


@pytest.fixture(scope="module")
async def world(settings: PlatformSettings, services: dict[str, RunningService]) -> AsyncIterator[Platform]:
    async with (
        make_channel(settings.reservation_grpc, 20) as rc,
        make_channel(settings.flights_grpc, 20) as fc,
        make_channel(settings.airport_grpc, 20) as ac,
    ):
        yield Platform(
            settings, ReservationServiceStub(rc), FlightServiceStub(fc), AirportServiceStub(ac), services["reservation"]
        )


def bearer(metadata: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {"Authorization": metadata[0][1]}


def seat(label: str, ref: str = "pax-1", kind: str = "adult", cabin: str = "normal") -> dict[str, str]:
    return {"seat": label, "passenger_ref": ref, "passenger_type": kind, "cabin_class": cabin}


def assert_problem(r: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    for word in words:
        assert word in body["detail"], body
    return body


async def test_seat_map_over_rest(api: httpx.AsyncClient, world: Platform) -> None:
    flight = await world.flight()
    r = await api.get(f"/api/v1/flights/{flight.id}/seats")  # anyone
    assert r.status_code == 200, r.text
    body = r.json()
    seats = {s["seat"]: s for s in body["seats"]}
    assert body["flight_id"] == flight.id and body["plane_id"] == flight.plane_id and body["cancelled"] is False
    assert seats["1A"] == {
        "seat": "1A",
        "cabin_class": "vip",
        "row": 1,
        "letter": "A",
        "position": "window",
        "exit_row": False,
        "blocked": False,
        "state": "free",
        "mine": False,
    }
    assert seats["5C"]["exit_row"] and seats["5C"]["position"] == "aisle" and seats["10F"]["blocked"]
    assert body["availability"] == [
        {"cabin_class": "vip", "total": 8, "free": 8, "held": 0, "taken": 0},
        {"cabin_class": "normal", "total": 47, "free": 47, "held": 0, "taken": 0},
    ]
    assert_problem(await api.get("/api/v1/flights/00000000-0000-0000-0000-000000000000/seats"), 404, "does not exist")
    schema = (await api.get("/api/v1/openapi.json")).json()
    for path in (
        "/api/v1/flights/{flight_id}/seats",
        "/api/v1/flights/{flight_id}/holds",
        "/api/v1/holds/{hold_id}/extend",
        "/api/v1/holds/{hold_id}",
        "/api/v1/flights/{flight_id}/seats/live",
    ):
        assert path in schema["paths"], path


async def test_hold_extend_release_over_rest(api: httpx.AsyncClient, world: Platform, tokens: dict[str, str]) -> None:
    flight = await world.flight()
    holds = f"/api/v1/flights/{flight.id}/holds"
    alice = auth(tokens["passenger"])
    bob = bearer(world.as_(Role.PASSENGER))
    assert_problem(await api.post(holds, json={"seats": [seat("3A")]}), 401)
    r = await api.post(holds, json={"seats": [seat("3A"), seat("3B", "pax-2", "child")]}, headers=alice)
    assert r.status_code == 201, r.text
    hold = r.json()
    assert [s["seat"] for s in hold["seats"]] == ["3A", "3B"] and hold["flight_id"] == flight.id
    assert 590 < (datetime.fromisoformat(hold["expires_at"]) - datetime.now(UTC)).total_seconds() <= 601

    mine = {s["seat"]: s for s in (await api.get(f"/api/v1/flights/{flight.id}/seats", headers=alice)).json()["seats"]}
    theirs = {s["seat"]: s for s in (await api.get(f"/api/v1/flights/{flight.id}/seats", headers=bob)).json()["seats"]}
    assert (mine["3A"]["state"], mine["3A"]["mine"]) == ("held", True)
    assert (theirs["3A"]["state"], theirs["3A"]["mine"]) == ("held", False)

    body = assert_problem(
        await api.post(holds, json={"seats": [seat("3B"), seat("3C", "pax-3")]}, headers=bob), 409, "3B"
    )
    assert body["code"] == "seat_held"
    assert_problem(await api.post(holds, json={"seats": [seat("4A", "baby", "infant")]}, headers=bob), 422, "infant")
    assert_problem(await api.post(holds, json={"seats": [seat("5A", "kid", "child")]}, headers=bob), 422, "exit row")
    assert_problem(await api.post(holds, json={"seats": [seat("1A", cabin="normal")]}, headers=bob), 422, "vip cabin")
    assert_problem(
        await api.post(
            holds,
            json={"seats": [seat(f"6{c}", f"p{c}") for c in "ABCDEF"] + [seat(f"7{c}", f"q{c}") for c in "ABCD"]},
            headers=bob,
        ),
        422,
    )

    hold_path = f"/api/v1/holds/{hold['hold_id']}"
    assert_problem(await api.post(f"{hold_path}/extend", headers=bob), 403)
    assert_problem(await api.delete(hold_path, headers=bob), 403)
    r = await api.post(f"{hold_path}/extend", headers=alice)
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["expires_at"]) >= datetime.fromisoformat(hold["expires_at"])
    assert (await api.get(hold_path, headers=alice)).json()["hold_id"] == hold["hold_id"]
    r = await api.delete(hold_path, headers=alice)
    assert r.status_code == 200, r.text
    assert r.json() == {"hold_id": hold["hold_id"], "released": ["3A", "3B"]}
    assert_problem(await api.delete(hold_path, headers=alice), 404)
    r = await api.post(holds, json={"seats": [seat("3B"), seat("3C", "pax-3")]}, headers=bob)
    assert r.status_code == 201, r.text

    # idempotent by the client's own hold id
    again = {"seats": [seat("8A")], "hold_id": "my-hold-1"}
    first = await api.post(holds, json=again, headers=alice)
    second = await api.post(holds, json=again, headers=alice)
    assert first.status_code == second.status_code == 201 and first.json() == second.json()


async def test_live_seat_map_sees_holds_releases_and_expiry(
    api: httpx.AsyncClient, world: Platform, gateway_url: str
) -> None:
    flight = await world.flight()
    _, pax = world.passenger()
    async with httpx.AsyncClient(base_url=gateway_url, timeout=None) as browser:
        async with stream(browser, f"/api/v1/flights/{flight.id}/seats/live") as events:
            snapshot = await events.next()
            assert snapshot["event"] == "snapshot" and snapshot["retry"] == "2000"
            assert snapshot["data"]["flight_id"] == flight.id and len(snapshot["data"]["seats"]) == 56

            # a hold made over REST and given back
            r = await api.post(f"/api/v1/flights/{flight.id}/holds", json={"seats": [seat("4C")]}, headers=bearer(pax))
            assert r.status_code == 201, r.text
            held = await events.until(lambda e: e["event"] == "seats", timeout=5)
            assert (held["data"]["type"], held["data"]["seats"], held["data"]["state"]) == ("SeatsHeld", ["4C"], "held")
            assert "hold_id" not in held["data"] and "owner" not in held["data"]
            await api.delete(f"/api/v1/holds/{r.json()['hold_id']}", headers=bearer(pax))
            released = await events.until(lambda e: e["event"] == "seats", timeout=5)
            assert (released["data"]["type"], released["data"]["seats"], released["data"]["reason"]) == (
                "SeatsReleased",
                ["4C"],
                "released",
            )

            # a hold that runs out: the map hears of it (how soon is printed, not asserted)
            short = await world.hold(flight.id, pax, "4D", "4E", ttl_seconds=1)
            expires = short.expires_at.ToDatetime(tzinfo=UTC).timestamp()
            held = await events.until(lambda e: e["event"] == "seats", timeout=30)
            assert (held["data"]["type"], held["data"]["seats"]) == ("SeatsHeld", ["4D", "4E"])
            expired = await events.until(lambda e: e["event"] == "seats", timeout=30)
            lag = time.time() - expires
            assert (
                expired["data"]["type"],
                expired["data"]["seats"],
                expired["data"]["state"],
                expired["data"]["reason"],
            ) == ("SeatsReleased", ["4D", "4E"], "free", "expired")
            print(f"\nhold expiry -> seat map: {lag * 1000:.0f} ms")  # a figure, not a claim

            # and an assignment
            hold = await world.hold(flight.id, pax, "4F")
            await events.until(lambda e: e["event"] == "seats", timeout=5)
            await world.rs.ConfirmHold(
                pb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref="BK-LIVE"), metadata=world.system
            )
            taken = await events.until(lambda e: e["event"] == "seats", timeout=5)
            assert (taken["data"]["type"], taken["data"]["seats"], taken["data"]["state"]) == (
                "SeatsAssigned",
                ["4F"],
                "taken",
            )

    r = await api.get(f"/api/v1/flights/{flight.id}/seats")
    states = {s["seat"]: s["state"] for s in r.json()["seats"]}
    assert (states["4C"], states["4D"], states["4E"], states["4F"]) == ("free", "free", "free", "taken")
    assert_problem(await api.get("/api/v1/flights/00000000-0000-0000-0000-000000000000/seats/live"), 404)


async def test_rest_seat_map_says_whether_the_flight_sells_and_holds_are_bounded(
    api: httpx.AsyncClient, world: Platform
) -> None:
    """Status and sellability on the REST seat map; a cancelled flight is a 409
    `flight_not_sellable`; the 10th seat held by one account on one flight is a 429."""
    from airline.flights.v1 import flights_pb2 as fpb

    flight = await world.flight()
    _, pax = world.passenger()
    body = (await api.get(f"/api/v1/flights/{flight.id}/seats")).json()
    assert (body["status"], body["sellable"], body["not_sellable_reason"]) == ("scheduled", True, None)

    settings = world.service.parts.service.settings  # type: ignore[attr-defined]
    before, settings.max_seats_per_account = settings.max_seats_per_account, 9  # the default, whatever the env says
    try:
        holds = f"/api/v1/flights/{flight.id}/holds"
        r = await api.post(
            holds,
            json={"seats": [seat(f"3{x}", f"a{x}") for x in "ABCDEF"] + [seat(f"4{x}", f"b{x}") for x in "ABC"]},
            headers=bearer(pax),
        )
        assert r.status_code == 201, r.text
        body = assert_problem(
            await api.post(holds, json={"seats": [seat("4D", "c1")]}, headers=bearer(pax)), 429, "at most 9 seats"
        )
        assert body["code"] == "seat_hold_limit"
    finally:
        settings.max_seats_per_account = before

    await world.fl.CancelFlight(fpb.CancelFlightRequest(flight_id=flight.id, reason="strike"), metadata=world.ops)
    deadline = time.monotonic() + 30
    while (body := (await api.get(f"/api/v1/flights/{flight.id}/seats")).json())["status"] != "cancelled":
        assert time.monotonic() < deadline, body["status"]
        await asyncio.sleep(0.1)
    assert body["sellable"] is False and "cancelled" in body["not_sellable_reason"]
    problem = assert_problem(
        await api.post(f"/api/v1/flights/{flight.id}/holds", json={"seats": [seat("9A")]}, headers=bearer(pax)),
        409,
        "cancelled",
    )
    assert problem["code"] == "flight_not_sellable"
