"""Money and seats a booking can be trusted with (issue 13): a booking is confirmed only by its
own payment; the flight's state decides what may still be paid and what a cancellation gives
back; a failed refund never leaves a cancelled booking with the passenger's money; open unpaid
bookings are bounded per account and per address; a PNR lookup shows a guest no documents."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from airline.booking.service import Access, BookingService
from airline.booking.store import BookingRepository
from airline.common.v1 import payment_method_pb2 as mpb
from airline.contracts.events import booking as booking_events
from airline.payment.v1 import payment_pb2 as ppb
from airline.payment.v1.payment_pb2_grpc import PaymentServiceStub
from airline.platform.auth import Principal, Role, current_principal
from airline.platform.db import utcnow
from airline.platform.errors import TooManyRequests, Unavailable
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.booking import (
    confirmed_one_way,
    held_one_way,
    offer_for,
    published,
    route_with_round_trip,
    seat_state,
)
from tests.support.factories import CARD_3DS, CARD_OK, key
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


@pytest.fixture
def booking(services: dict[str, RunningService]) -> Iterator[BookingService]:
    """The session's booking service; its settings and fault hook are restored afterwards."""
    service: BookingService = services["booking"].parts.service  # type: ignore[attr-defined]
    settings, fault = service.settings, service.fault
    yield service
    service.settings, service.fault = settings, fault


async def payments_of(api: httpx.AsyncClient, cs: str, reference: str) -> list[dict[str, Any]]:
    r = await api.get("/api/v1/payments", params={"reference": reference}, headers=auth(cs))
    assert r.status_code == 200, r.text
    return r.json()["payments"]  # type: ignore[no-any-return]


# --- 1. a booking is confirmed only by its own payment ------------------------------------------


async def test_a_forged_payment_never_confirms_a_booking(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, booking: BookingService, as_role: Any
) -> None:
    me = auth(tokens["passenger"])
    bid, _, me, _ = await held_one_way(api, tokens["ops"], me)
    r = await api.post(
        f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_3DS}
    )
    assert r.status_code == 202, r.text
    assert r.json()["step"] == "requires_action"  # the challenge is left unanswered
    own = r.json()["payment"]["payment_id"]

    # the passenger's own 1-unit payment carrying the booking's id is refused
    problem = assert_problem(
        await api.post(
            "/api/v1/payments",
            headers=me | {"Idempotency-Key": key()},
            json={"reference": bid, "amount": 1, "currency": "SGD", "capture": True, "method": CARD_OK},
        ),
        403,
    )
    assert problem["code"] == "reference_reserved"
    # someone who is not the payer sees none of the booking's payments
    agent = auth(tokens["agent"])
    r = await api.get("/api/v1/payments", params={"reference": bid}, headers=agent)
    assert r.status_code == 200 and r.json()["payments"] == []
    assert_problem(await api.get(f"/api/v1/payments/{own}", headers=agent), 404)

    # a captured 1-unit payment with the booking's id made by another service is not the booking's
    async with make_channel(settings.grpc_target("payment")) as channel:
        reply = await PaymentServiceStub(channel).AuthorisePayment(
            ppb.AuthorisePaymentRequest(
                idempotency_key=key(),
                reference=bid,
                amount=1,
                currency="SGD",
                capture=True,
                card=mpb.Card(number="4242424242424242", exp_month=12, exp_year=2035, cvc="123"),
            ),
            metadata=as_role(Role.SYSTEM, "baggage"),
        )
    assert (reply.payment.status, reply.payment.origin) == ("captured", "baggage")
    listed = await payments_of(api, tokens["cs"], bid)
    assert {p["origin"] for p in listed} == {"booking", "baggage"}

    await booking.recover(stale_after=0, only=[bid])
    r = await api.get(f"/api/v1/bookings/{bid}", headers=me)
    assert (r.json()["state"], r.json()["pnr"]) == ("awaiting_payment", None)
    # once the booking's time is up it expires: never confirmed by the forged payment
    await booking.recover(stale_after=0, now=utcnow() + timedelta(hours=2), only=[bid])
    r = await api.get(f"/api/v1/bookings/{bid}", headers=me)
    assert (r.json()["state"], r.json()["pnr"]) == ("expired", None)
    statuses = {p["origin"]: p["status"] for p in await payments_of(api, tokens["cs"], bid)}
    assert statuses == {"booking": "voided", "baggage": "captured"}


# --- 2. state rules follow the flight -----------------------------------------------------------


async def test_pay_after_ops_cancelled_the_flight_is_refused_and_nothing_is_charged(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    bid, flight, me, _ = await held_one_way(api, tokens["ops"], auth(tokens["passenger"]))
    r = await api.post(
        f"/api/v1/flights/{flight['id']}/cancel", json={"reason": "technical fault"}, headers=auth(tokens["ops"])
    )
    assert r.status_code == 200, r.text
    problem = assert_problem(
        await api.post(
            f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK}
        ),
        409,
    )
    assert problem["code"] == "flight_not_sellable"
    assert await payments_of(api, tokens["cs"], bid) == []
    assert (await api.get(f"/api/v1/bookings/{bid}", headers=me)).json()["state"] == "held"


async def test_cancelling_after_departure_is_a_no_show_and_refunds_nothing_of_a_refundable_fare(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    # the fare is refundable, its no-show rule is "nothing" (no rule given)
    booked, flight, me, seat = await confirmed_one_way(api, tokens["ops"], auth(tokens["passenger"]))
    bid = booked["id"]
    for status in ("boarding", "departed"):
        r = await api.post(
            f"/api/v1/flights/{flight['id']}/status", json={"status": status}, headers=auth(tokens["ops"])
        )
        assert r.status_code == 200, r.text
    r = await api.post(f"/api/v1/bookings/{bid}/cancel", headers=me, json={"reason": "missed it"})
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["refunded_amount"]) == ("cancelled", 0)
    [payment] = await payments_of(api, tokens["cs"], bid)
    assert (payment["status"], payment["refunded_amount"]) == ("captured", 0)

    assert settings.kafka_bootstrap_servers
    [event] = await published(settings.kafka_bootstrap_servers, booking_events.BOOKING_CANCELLED.topic, bid)
    assert event["payload"] == {
        "booking_id": bid,
        "pnr": booked["pnr"],
        "refunded_amount": 0,
        "currency": "SGD",
        "reason": "missed it",
        "flights": [flight["id"]],
        "cabin_class": "normal",
        "seats": 1,
        "was_confirmed": True,
        "no_show": True,
    }


@pytest.mark.parametrize("step", ["cancel_refunding", "cancel_refunded"])
async def test_a_failed_refund_leaves_the_booking_cancelling_with_its_seats_until_recovery_finishes(
    step: str, api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    """cancel_refunding: the refund call fails; cancel_refunded: the refund went through and the
    process failed before the seats were released. Either way the booking stays cancelling
    with its seats, and the recovery pass finishes it with exactly one refund."""
    booked, flight, me, seat = await confirmed_one_way(api, tokens["ops"], auth(tokens["passenger"]))
    bid = booked["id"]
    refund = booked["total"] - 5000  # refundable fare minus the change fee

    async def fail(name: str) -> None:
        if name == step:
            raise Unavailable("a service the booking needs did not answer")

    booking.fault = fail
    assert_problem(await api.post(f"/api/v1/bookings/{bid}/cancel", headers=me, json={"reason": "ill"}), 503)
    booking.fault = None
    paid_back = 0 if step == "cancel_refunding" else refund
    r = await api.get(f"/api/v1/bookings/{bid}", headers=me)
    assert (r.json()["state"], r.json()["refunded_amount"]) == ("cancelling", paid_back)
    assert await seat_state(api, flight["id"], seat) == "taken"  # not given away before the refund
    assert [p["refunded_amount"] for p in await payments_of(api, tokens["cs"], bid)] == [paid_back]

    await booking.recover(stale_after=0, only=[bid])
    r = await api.get(f"/api/v1/bookings/{bid}", headers=me)
    assert (r.json()["state"], r.json()["refunded_amount"]) == ("cancelled", refund)
    assert [p["refunded_amount"] for p in await payments_of(api, tokens["cs"], bid)] == [refund]
    assert await seat_state(api, flight["id"], seat) == "free"
    await booking.recover(stale_after=0, only=[bid])  # again: nothing is refunded twice
    assert [p["refunded_amount"] for p in await payments_of(api, tokens["cs"], bid)] == [refund]


# --- 3. open unpaid bookings are bounded --------------------------------------------------------


async def test_one_account_has_at_most_3_open_unpaid_bookings_even_when_created_at_once(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    booking.settings = booking.settings.model_copy(update={"max_open_per_account": 3})  # the default
    far, outbound, _ = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, None, adults=1)
    me = Principal(f"limit-{uuid.uuid4().hex[:12]}", Role.PASSENGER)

    async def create() -> dict[str, Any] | TooManyRequests:
        current_principal.set(me)  # this task's own context
        try:
            return await booking.create(offer["offer_id"], client_address="198.51.100.7")
        except TooManyRequests as e:
            return e

    results = await asyncio.gather(*(create() for _ in range(6)))
    made = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, TooManyRequests)]
    assert (len(made), len(refused)) == (3, 3), results
    assert {e.code for e in refused} == {"open_bookings_limit"}

    # a given-up draft makes room for one more
    async def cancel_and_create() -> Any:
        current_principal.set(me)
        await booking.cancel(Access(booking_id=made[0]["id"]))
        return await booking.create(offer["offer_id"])

    assert (await asyncio.create_task(cancel_and_create()))["state"] == "held"
    assert isinstance(await asyncio.create_task(create()), TooManyRequests)


async def test_guests_of_one_address_are_bounded_and_the_address_is_kept_only_as_a_keyed_digest(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    far, outbound, _ = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, None, adults=1)
    digest = booking.keyed("client-address", "127.0.0.1")  # the address the gateway sees here
    async with booking.db.uow() as uow:
        already = await BookingRepository(uow.conn).count_open(utcnow(), client_key=digest)
    booking.settings = booking.settings.model_copy(update={"max_open_per_address": already + 1})
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]})
    assert r.status_code == 201, r.text
    problem = assert_problem(await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}), 429)
    assert problem["code"] == "open_bookings_limit"
    # signed in, the account's own limit applies, not the address's
    assert (
        await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=auth(tokens["cs"]))
    ).status_code == 201
    async with booking.db.uow() as uow:
        row = await BookingRepository(uow.conn).get(r.json()["id"])
    assert row is not None and row.client_key == digest and "127.0.0.1" not in row.client_key


# --- 6. a PNR lookup shows a guest no documents ---------------------------------------------------


async def test_a_pnr_lookup_masks_travel_documents_and_hides_the_date_of_birth(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    me = auth(tokens["passenger"])
    booked, _, _, _ = await confirmed_one_way(api, tokens["ops"], me)
    number = booked["passengers"][0]["document"]["number"]
    params = {"pnr": booked["pnr"], "last_name": "Lovelace"}

    r = await api.get("/api/v1/bookings/lookup", params=params)
    assert r.status_code == 200, r.text
    [p] = r.json()["passengers"]
    assert p["document"]["number"] == "*" * (len(number) - 4) + number[-4:]
    assert not p.get("date_of_birth")
    # reaching it by id with the PNR and last name is the same lookup
    r = await api.get(f"/api/v1/bookings/{booked['id']}", params=params)
    assert r.status_code == 200, r.text
    [p] = r.json()["passengers"]
    assert p["document"]["number"].startswith("*") and not p.get("date_of_birth")
    # the owner and customer service still see the whole passenger
    for who in (me, auth(tokens["cs"])):
        [p] = (await api.get("/api/v1/bookings/lookup", params=params, headers=who)).json()["passengers"]
        assert (p["document"]["number"], p["date_of_birth"]) == (number, "1985-12-10")
