"""Seats left is the truth (issue 13): what confirmed bookings took, moved by the flights
service's consumer of the booking events exactly once per booking and flight.

Everything runs through the gateway against every real service, PostgreSQL and the broker.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import httpx
import pytest
from aiokafka import ConsumerRecord

from airline.contracts.events import booking as booking_events
from airline.flights import consumers as flights_consumers
from airline.platform.consumer import EventConsumer
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from tests.support.booking import offer_for, route_with_round_trip
from tests.support.factories import create_flight, family, new_gate, new_plane, some_day_ahead
from tests.support.http import auth
from tests.support.sales import confirmed_booking, seats_of, wait_for_seats_left

pytestmark = pytest.mark.usefixtures("seed_airports")


# --- seats left follows confirmations and cancellations -------------------------------------


async def test_seats_left_drops_by_the_confirmed_passengers_and_rises_on_cancel(
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
        await wait_for_seats_left(api, fid, before[fid] - 3, deadline_s=15.0 - (time.monotonic() - confirmed_at))
    latency = time.monotonic() - confirmed_at
    print(f"seats_left followed the confirmation in {latency * 1000:.0f} ms")  # a figure, not a timed claim
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
        await wait_for_seats_left(api, fid, before[fid], deadline_s=15.0 - (time.monotonic() - cancelled_at))
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
