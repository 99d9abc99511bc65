"""A booking class's seats are claimed when the draft is made (issue 18 part 3): flights checks
the offer's bucket and claims its seats for the new draft in one transaction, so concurrent
drafts cannot all take a bucket's last seats; the claim ends with the draft's expiry, its
cancellation or its sale (which takes its place: never counted twice).

Through the gateway against every real service, PostgreSQL and the broker; the drafts race for
real (concurrent requests). Drafts "made half an hour ago" are made by requests that carry the
simulation clock (X-Airline-Sim-Time): their claims end by the same rule as any draft's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.booking.service import BookingService
from airline.flights.tables import bucket_claims
from airline.platform.runtime import RunningService
from airline.platform.simclock import HEADER as SIM_TIME
from tests.support.booking import free_seats
from tests.support.factories import CARD_OK, CONTACT, create_flight, key, new_gate, new_plane, person, some_day_ahead
from tests.support.http import assert_problem, auth
from tests.support.sales import one_way_route, search_params, wait_for_seats_left

pytestmark = pytest.mark.usefixtures("seed_airports")

LADDER = [
    {"code": "Y", "adult_amount": 30000, "child_amount": 22500, "infant_amount": 3000, "currency": "SGD", "authorised": 60},
    {"code": "M", "adult_amount": 20000, "child_amount": 15000, "infant_amount": 2000, "currency": "SGD", "authorised": 40},
    {"code": "Q", "adult_amount": 10000, "child_amount": 7500, "infant_amount": 1000, "currency": "SGD", "authorised": 2},
]  # fmt: skip


@pytest.fixture
def booking(services: dict[str, RunningService]) -> Iterator[BookingService]:
    """The session's booking service; its settings are restored afterwards."""
    service: BookingService = services["booking"].parts.service  # type: ignore[attr-defined]
    settings = service.settings
    yield service
    service.settings = settings


async def flight_with_ladder(api: httpx.AsyncClient, ops: str, ladder: list[dict[str, Any]]) -> tuple[str, str]:
    far = await one_way_route(api, ops)
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), destination=far,
        departure=some_day_ahead(40, 80),
    )  # fmt: skip
    r = await api.put(f"/api/v1/flights/{flight['id']}/fares/buckets", json={"buckets": ladder}, headers=auth(ops))
    assert r.status_code == 200, r.text
    return far, flight


async def offer_in(api: httpx.AsyncClient, far: str, flight: dict[str, Any], at: datetime | None = None) -> str:
    """The bucket a one-adult search sells the flight in (at the simulated instant `at`)."""
    headers = {SIM_TIME: at.isoformat()} if at else {}
    r = await api.get("/api/v1/search", params=search_params(far, flight), headers=headers)
    assert r.status_code == 200, r.text
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == flight["id"])
    return offer["legs"][0]["fare_bucket"]  # type: ignore[no-any-return]


async def buckets(api: httpx.AsyncClient, ops: str, fid: str) -> list[tuple[str, int, int, int]]:
    """(code, sold, claimed, available) of the normal cabin's buckets."""
    r = await api.get(f"/api/v1/flights/{fid}/fares/buckets", headers=auth(ops))
    assert r.status_code == 200, r.text
    normal = next(c for c in r.json()["cabins"] if c["cabin_class"] == "normal")
    return [(b["code"], b["sold"], b["claimed"], b["available"]) for b in normal["buckets"]]


async def live_claims(services: dict[str, RunningService], fid: str) -> dict[str, int]:
    """booking id -> seats of the flight's claims that still count (read from flights' own table)."""
    async with services["flights"].runtime.db.uow() as uow:
        rows = (
            await uow.conn.execute(
                sa.select(bucket_claims.c.booking_id, bucket_claims.c.seats).where(
                    bucket_claims.c.flight_id == fid, bucket_claims.c.expires_at > sa.func.now()
                )
            )
        ).all()
    return {r.booking_id: r.seats for r in rows}


async def race(api: httpx.AsyncClient, token: str, offer_id: str, n: int, at: datetime | None = None) -> Any:
    """`n` drafts of one offer asked for at once, each with its own idempotency key:
    ([(key, created draft)], [refusal problem])."""
    base = auth(token) | ({SIM_TIME: at.isoformat()} if at else {})
    keys = [key() for _ in range(n)]
    answers = await asyncio.gather(
        *(
            api.post("/api/v1/bookings", json={"offer_id": offer_id}, headers=base | {"Idempotency-Key": k})
            for k in keys
        )
    )
    made = [(k, r.json()) for k, r in zip(keys, answers) if r.status_code == 201]
    refused = [assert_problem(r, 409) for r in answers if r.status_code != 201]
    return made, refused


async def pay(api: httpx.AsyncClient, token: str, draft: dict[str, Any], fid: str, last: str) -> None:
    me = auth(token)
    bid = draft["id"]
    passengers = [person("adult", "Ada", last, "1985-02-01")]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers", headers=me, json={"passengers": passengers, "contact": CONTACT}
    )
    assert r.status_code == 200, r.text
    pid = r.json()["passengers"][0]["id"]
    (seat,) = await free_seats(api, fid, 1)
    r = await api.put(
        f"/api/v1/bookings/{bid}/seats",
        headers=me,
        json={"flight_id": fid, "seats": [{"passenger_id": pid, "seat": seat}]},
    )
    assert r.status_code == 200, r.text
    r = await api.post(f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed", r.json()


async def test_eight_drafts_race_for_a_buckets_last_two_seats_and_exactly_two_are_made_then_sold_once(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], booking: BookingService
) -> None:
    ops, passenger = tokens["ops"], tokens["passenger"]
    far, flight = await flight_with_ladder(api, ops, LADDER)
    fid = flight["id"]
    assert await offer_in(api, far, flight) == "Q"
    r = await api.get("/api/v1/search", params=search_params(far, flight))
    offer_id = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)["offer_id"]

    # drafts made long enough ago that they have expired since (their claims with them)
    settings = booking.settings
    lifetime = timedelta(seconds=settings.booking_ttl_seconds + settings.hold_margin_seconds)
    then = datetime.now(UTC) - lifetime - timedelta(minutes=10)
    made, refused = await race(api, passenger, offer_id, 8, at=then)
    assert (len(made), len(refused)) == (2, 6), (made, refused)
    assert {p["code"] for p in refused} == {"fare_bucket_closed"}
    assert await offer_in(api, far, flight, at=then + timedelta(minutes=1)) == "M"  # then, Q was in drafts
    # now those drafts have expired: Q sells again, to exactly as many drafts as it has seats
    assert await live_claims(services, fid) == {}
    assert await offer_in(api, far, flight) == "Q"
    assert (await api.get(f"/api/v1/offers/{offer_id}")).status_code == 200
    made, refused = await race(api, passenger, offer_id, 8)
    assert (len(made), len(refused)) == (2, 6), (made, refused)
    assert {p["code"] for p in refused} == {"fare_bucket_closed"}
    drafts = [d for _, d in made]
    assert await live_claims(services, fid) == {d["id"]: 1 for d in drafts}
    # the claimed seats are taken from Q and from every bucket above it, and search rises to M
    assert await buckets(api, ops, fid) == [("Y", 0, 0, 58), ("M", 0, 0, 38), ("Q", 0, 2, 0)]
    assert await offer_in(api, far, flight) == "M"
    problem = assert_problem(await api.get(f"/api/v1/offers/{offer_id}"), 409)
    assert problem["code"] == "fare_bucket_closed"

    # a retried creation (the same idempotency key) is the same draft and claims nothing more
    first_key, first = made[0]
    r = await api.post(
        "/api/v1/bookings", json={"offer_id": offer_id}, headers=auth(passenger) | {"Idempotency-Key": first_key}
    )
    assert r.status_code == 200, r.text
    assert r.json()["id"] == first["id"]
    assert await live_claims(services, fid) == {d["id"]: 1 for d in drafts}
    assert await buckets(api, ops, fid) == [("Y", 0, 0, 58), ("M", 0, 0, 38), ("Q", 0, 2, 0)]

    # paying turns each claim into its sale: Q sold 2, nothing claimed, nothing counted twice
    for i, d in enumerate(drafts):
        await pay(api, passenger, d, fid, f"Claimson{'AB'[i]}")
    await wait_for_seats_left(api, fid, 58, deadline_s=15)
    assert await buckets(api, ops, fid) == [("Y", 0, 0, 58), ("M", 0, 0, 38), ("Q", 2, 0, 0)]
    assert await live_claims(services, fid) == {}
    assert await offer_in(api, far, flight) == "M"


async def test_a_draft_refused_or_given_up_gives_its_claimed_seats_back(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], booking: BookingService
) -> None:
    ops, passenger = tokens["ops"], tokens["passenger"]
    ladder = [LADDER[0], {**LADDER[2], "authorised": 1}]
    far, flight = await flight_with_ladder(api, ops, ladder)
    fid = flight["id"]
    r = await api.get("/api/v1/search", params=search_params(far, flight))
    offer_id = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)["offer_id"]

    me = auth(passenger)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer_id}, headers=me | {"Idempotency-Key": key()})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    assert await live_claims(services, fid) == {bid: 1}
    assert await buckets(api, ops, fid) == [("Y", 0, 0, 59), ("Q", 0, 1, 0)]
    r = await api.get("/api/v1/search", params=search_params(far, flight))
    in_y = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)
    assert in_y["legs"][0]["fare_bucket"] == "Y"

    # refused after its seats were claimed (too many unpaid bookings open): the claim is given back
    booking.settings = booking.settings.model_copy(update={"max_open_per_account": 1})
    r = await api.post("/api/v1/bookings", json={"offer_id": in_y["offer_id"]}, headers=me | {"Idempotency-Key": key()})
    assert assert_problem(r, 429)["code"] == "open_bookings_limit"
    assert await live_claims(services, fid) == {bid: 1}
    assert await buckets(api, ops, fid) == [("Y", 0, 0, 59), ("Q", 0, 1, 0)]
    booking.settings = booking.settings.model_copy(update={"max_open_per_account": 100_000})

    # a draft given up: its cancellation (an event flights consumes) ends its claim
    r = await api.post(f"/api/v1/bookings/{bid}/cancel", headers=me, json={})
    assert r.status_code == 200, r.text
    for _ in range(300):  # the consumer's turn
        if not await live_claims(services, fid):
            break
        await asyncio.sleep(0.05)
    assert await live_claims(services, fid) == {}
    assert await buckets(api, ops, fid) == [("Y", 0, 0, 60), ("Q", 0, 0, 1)]
    assert await offer_in(api, far, flight) == "Q"
