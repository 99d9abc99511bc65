"""Keep my seats (issue 19 item 1): a draft asks for more time, and its booking-class claim
(flights) and seat holds (reservation) move with its expiry, within a lifetime from its creation.

Through the gateway against every real service, PostgreSQL, Redis and the broker: the claim is
read from flights' own table, the hold's bound from reservation's Redis record, the draft's legs
from booking's own table.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import httpx
import pytest
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from redis.asyncio import Redis

from airline.booking.store import legs
from airline.flights.tables import bucket_claims
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FareServiceStub
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from airline.platform.simclock import HEADER as SIM_TIME
from airline.reservation.holds import hold_key
from tests.support.booking import free_seats
from tests.support.factories import CARD_OK, CONTACT, create_flight, key, new_gate, new_plane, person, some_day_ahead
from tests.support.http import assert_problem, auth
from tests.support.sales import one_way_route, search_params

pytestmark = pytest.mark.usefixtures("seed_airports")

KEEP = timedelta(seconds=600)  # the booking service's defaults: draft_keep_seconds,
LIFETIME = timedelta(seconds=2700)  # draft_max_lifetime_seconds
MARGIN = timedelta(seconds=120)  # and hold_margin_seconds (a claim outlasts its draft by it)
LADDER = [
    {"code": "Y", "adult_amount": 30000, "child_amount": 22500, "infant_amount": 3000, "currency": "SGD", "authorised": 60},
    {"code": "Q", "adult_amount": 10000, "child_amount": 7500, "infant_amount": 1000, "currency": "SGD", "authorised": 5},
]  # fmt: skip


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def stamp(moment: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(moment)
    return ts


def ms(moment: datetime) -> datetime:
    """To the millisecond, as reservation keeps times in Redis."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


async def new_draft(
    api: httpx.AsyncClient, ops: str, who: dict[str, str], sim: datetime | None = None
) -> tuple[dict[str, Any], dict[str, str], str]:
    """A draft for one adult on a new flight sold in booking classes: (the draft, the headers
    that manage it, its flight id). `sim`: made at that simulated instant."""
    far = await one_way_route(api, ops)
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), destination=far,
        departure=some_day_ahead(40, 80),
    )  # fmt: skip
    fid = flight["id"]
    r = await api.put(f"/api/v1/flights/{fid}/fares/buckets", json={"buckets": LADDER}, headers=auth(ops))
    assert r.status_code == 200, r.text
    clock = {SIM_TIME: sim.isoformat()} if sim else {}
    r = await api.get("/api/v1/search", params=search_params(far, flight), headers=clock)
    offer = next(o for o in r.json()["offers"] if o["legs"][0]["flight"]["id"] == fid)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=who | clock)
    assert r.status_code == 201, r.text
    draft = r.json()
    return draft, who or {"X-Manage-Token": draft["manage_token"]}, fid


async def draft_with_seat(
    api: httpx.AsyncClient, ops: str, who: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str], str]:
    """new_draft with its passenger and a seat held."""
    draft, headers, fid = await new_draft(api, ops, who)
    passengers = [person("adult", "Keep", "Seatson", "1984-03-02")]
    r = await api.put(
        f"/api/v1/bookings/{draft['id']}/passengers",
        headers=headers,
        json={"passengers": passengers, "contact": CONTACT},
    )
    assert r.status_code == 200, r.text
    (seat,) = await free_seats(api, fid, 1)
    r = await api.put(
        f"/api/v1/bookings/{draft['id']}/seats",
        headers=headers,
        json={"flight_id": fid, "seats": [{"passenger_id": "P1", "seat": seat}]},
    )
    assert r.status_code == 200, r.text
    return r.json(), headers, fid


async def claim_end(services: dict[str, RunningService], bid: str) -> datetime | None:
    async with services["flights"].runtime.db.uow() as uow:
        q = sa.select(bucket_claims.c.expires_at).where(bucket_claims.c.booking_id == bid)
        ends = (await uow.conn.execute(q)).scalars().all()
    assert len(ends) <= 1, ends
    return ends[0] if ends else None


async def hold_of(services: dict[str, RunningService], bid: str) -> str:
    async with services["booking"].runtime.db.uow() as uow:
        (hold_id,) = (await uow.conn.execute(sa.select(legs.c.hold_id).where(legs.c.booking_id == bid))).scalars()
    assert hold_id
    return str(hold_id)


async def hold_bound(redis: Redis, hold_id: str) -> tuple[datetime, datetime]:
    """(expires_at, not_after) of the hold, as reservation keeps them."""
    expires, not_after = await redis.hmget(hold_key(hold_id), ["expires_at", "not_after"])
    assert expires is not None and not_after is not None
    return tuple(datetime.fromtimestamp(int(v) / 1000, tz=UTC) for v in (expires, not_after))  # type: ignore[return-value]


async def test_keep_my_seats_moves_the_draft_its_claim_and_its_hold_together_up_to_the_lifetime(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], settings: PlatformSettings
) -> None:
    me = auth(tokens["passenger"])
    draft, headers, _ = await draft_with_seat(api, tokens["ops"], me)
    bid, first_end = draft["id"], at(draft["expires_at"])
    made = first_end - timedelta(seconds=900)  # booking_ttl_seconds after its creation
    hold_id = await hold_of(services, bid)
    redis = Redis.from_url(settings.redis_url)
    try:
        assert await claim_end(services, bid) == first_end + MARGIN
        assert (await hold_bound(redis, hold_id))[1] == ms(first_end)

        # a double click is one keep: both answer the same new end
        answers = await asyncio.gather(*(api.post(f"/api/v1/bookings/{bid}/keep", headers=headers) for _ in range(2)))
        assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
        ends = {at(r.json()["expires_at"]) for r in answers}
        assert ends == {first_end + KEEP}, ends
        assert await claim_end(services, bid) == first_end + KEEP + MARGIN
        expires, bound = await hold_bound(redis, hold_id)
        assert bound == ms(first_end + KEEP) and expires == bound  # the seats as long as the draft
        r = await api.get(f"/api/v1/bookings/{bid}", headers=headers)
        assert at(r.json()["expires_at"]) == first_end + KEEP

        # kept again until the lifetime after its creation (its stored time, within a moment
        # of the expiry's 15 minutes before), then refused and nothing moves
        r = await api.post(f"/api/v1/bookings/{bid}/keep", headers=headers)
        assert r.status_code == 200, r.text
        assert at(r.json()["expires_at"]) == first_end + 2 * KEEP
        r = await api.post(f"/api/v1/bookings/{bid}/keep", headers=headers)
        assert r.status_code == 200, r.text
        last = at(r.json()["expires_at"])
        assert abs(last - (made + LIFETIME)) < timedelta(seconds=2), (last, made + LIFETIME)
        problem = assert_problem(await api.post(f"/api/v1/bookings/{bid}/keep", headers=headers), 409)
        assert problem["code"] == "keep_limit" and "45 minutes" in problem["detail"], problem
        assert await claim_end(services, bid) == last + MARGIN
        assert (await hold_bound(redis, hold_id))[1] == ms(last)

        r = await api.get(f"/api/v1/bookings/{bid}/history", headers=headers)
        assert r.status_code == 200, r.text
        kept = [e for e in r.json()["entries"] if e["kind"] == "draft_kept"]
        assert [at(e["details"]["expires_at"]) for e in kept] == [first_end + KEEP, first_end + 2 * KEEP, last], kept

        # paid: the draft is a booking now, and keeping it is refused
        r = await api.post(
            f"/api/v1/bookings/{bid}/pay", headers=headers | {"Idempotency-Key": key()}, json={"method": CARD_OK}
        )
        assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
        problem = assert_problem(await api.post(f"/api/v1/bookings/{bid}/keep", headers=headers), 409)
        assert problem["code"] == "booking_state"
    finally:
        await redis.aclose()


async def test_only_its_holder_keeps_a_draft_and_an_ended_draft_or_hold_is_not_revived(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], settings: PlatformSettings
) -> None:
    ops = tokens["ops"]
    draft, headers, fid = await draft_with_seat(api, ops, {})  # a guest's, kept by its manage token
    bid = draft["id"]
    for intruder in ({}, auth(tokens["passenger"]), {"X-Manage-Token": "not-the-token"}):
        assert_problem(await api.post(f"/api/v1/bookings/{bid}/keep", headers=intruder), 404)
    # nor may anyone but the booking service move its claim in flights
    later = stamp(at(draft["expires_at"]) + timedelta(hours=1))
    async with make_channel(settings.flights_grpc, 10) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await FareServiceStub(channel).ExtendBucketClaims(
                fpb.ExtendBucketClaimsRequest(booking_id=bid, claim_expires_at=later),
                metadata=(("authorization", f"Bearer {tokens['passenger']}"),),
            )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await claim_end(services, bid)) == at(draft["expires_at"]) + MARGIN  # untouched

    # its hold ran out (gone from Redis): refused, naming the flight, and the draft does not move
    hold_id = await hold_of(services, bid)
    redis = Redis.from_url(settings.redis_url)
    try:
        await redis.delete(hold_key(hold_id))
    finally:
        await redis.aclose()
    problem = assert_problem(await api.post(f"/api/v1/bookings/{bid}/keep", headers=headers), 409)
    assert problem["code"] == "hold_expired" and "choose seats again" in problem["detail"], problem
    r = await api.get(f"/api/v1/bookings/{bid}", headers=headers)
    assert r.json()["expires_at"] == draft["expires_at"]

    # a draft made 20 minutes ago has ended: it is not kept, and its claim stays ended
    then = datetime.now(UTC) - timedelta(minutes=20)
    old, old_headers, _ = await new_draft(api, ops, {}, sim=then)
    problem = assert_problem(await api.post(f"/api/v1/bookings/{old['id']}/keep", headers=old_headers), 409)
    assert problem["code"] == "booking_expired", problem
    end = await claim_end(services, old["id"])
    assert end is None or end < datetime.now(UTC)
