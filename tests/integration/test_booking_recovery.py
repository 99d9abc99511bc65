"""Crash safety of the payment saga: a booking process killed at any step, then a fresh one
running its recovery pass, ends with a confirmed paid booking or a released unpaid one - never
a charge without a booking, never a taken seat without payment. The invariant is read from the
services that own the money and the seats (payment ListPayments, reservation ListAssignments)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from airline.booking.service import Access, BookingService, Crash
from airline.payment.client import PaymentMethod
from airline.payment.v1 import payment_pb2 as ppb
from airline.payment.v1.payment_pb2_grpc import PaymentServiceStub
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService, definition_of, start_service
from airline.platform.settings import PlatformSettings
from airline.reservation.v1 import reservation_pb2 as rpb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.booking import free_seats, offer_for, route_with_round_trip
from tests.support.factories import CONTACT, key, person
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")

CARD = PaymentMethod(card_number="4242424242424242", card_exp_month=12, card_exp_year=2035, card_cvc="123")


@pytest.fixture
async def booking_process(settings: PlatformSettings) -> AsyncIterator[Any]:
    """Start booking processes of our own (no broker: the session's process relays the outbox)."""
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


async def ready_to_pay(api: httpx.AsyncClient, tokens: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    me = auth(tokens["passenger"])
    far, outbound, inbound = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, inbound, adults=1, children=1)
    bid = (await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me)).json()["id"]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=me,
        json={
            "contact": CONTACT,
            "passengers": [
                person("adult", "Crash", "Test", "1975-05-05"),
                person("child", "Small", "Test", "2019-05-05"),
            ],
        },
    )
    assert r.status_code == 200, r.text
    for flight in (outbound, inbound):
        seats = await free_seats(api, flight["id"], 2)
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=me,
            json={
                "flight_id": flight["id"],
                "seats": [{"passenger_id": "P1", "seat": seats[0]}, {"passenger_id": "P2", "seat": seats[1]}],
            },
        )
        assert r.status_code == 200, r.text
    return bid, [outbound, inbound]


async def facts(
    settings: PlatformSettings, cs: str, bid: str, flights: list[dict[str, Any]]
) -> tuple[list[Any], list[Any]]:
    """What payment and reservation say about this booking."""
    md = [("authorization", f"Bearer {cs}")]
    async with (
        make_channel(settings.grpc_target("payment")) as p,
        make_channel(settings.grpc_target("reservation")) as r,
    ):
        payments = (
            await PaymentServiceStub(p).ListPayments(ppb.ListPaymentsRequest(reference=bid), metadata=md)
        ).payments
        seats = []
        for f in flights:
            seats += (
                await ReservationServiceStub(r).ListAssignments(
                    rpb.ListAssignmentsRequest(flight_id=f["id"], booking_ref=bid), metadata=md
                )
            ).assignments
    return list(payments), seats


def crash_at(step: str) -> Any:
    async def fault(name: str) -> None:
        if name == step:
            raise Crash(step)

    return fault


@pytest.mark.parametrize("step", ["authorising", "authorised", "seats_confirmed", "captured"])
async def test_a_crash_at_a_saga_step_is_finished_or_compensated(
    step: str, api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, booking_process: Any
) -> None:
    bid, flights = await ready_to_pay(api, tokens)
    crashing = await booking_process()
    service: BookingService = crashing.parts.service
    access = Access(booking_id=bid, manage_token=service.manage_token(bid))
    service.fault = crash_at(step)
    with pytest.raises(Crash):
        await service.pay(access, key(), CARD)
    await crashing.stop(grace=0.1)  # the process is gone mid-saga
    assert (await service.get(access))["state"] == "awaiting_payment"

    fresh = await booking_process()
    recovered: BookingService = fresh.parts.service
    await recovered.recover(stale_after=0, only=[bid])
    booking = await recovered.get(access)
    payments, seats = await facts(settings, tokens["cs"], bid, flights)
    if step == "authorising":  # nothing was charged: the draft is held again, seats not taken
        assert booking["state"] == "held" and payments == [] and seats == []
        return
    assert booking["state"] == "confirmed" and booking["pnr"]
    assert [(p.status, p.captured_amount) for p in payments] == [("captured", booking["total"])]
    assert sorted((a.flight_id, a.seat) for a in seats) == sorted((s["flight_id"], s["seat"]) for s in booking["seats"])
    assert len(seats) == 4

    await recovered.recover(stale_after=0, only=[bid])  # a second pass changes nothing
    assert [(p.status, p.captured_amount) for p in (await facts(settings, tokens["cs"], bid, flights))[0]] == [
        ("captured", booking["total"])
    ]


async def test_seats_lost_while_the_process_was_down_void_the_authorisation(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, booking_process: Any
) -> None:
    bid, flights = await ready_to_pay(api, tokens)
    crashing = await booking_process()
    service: BookingService = crashing.parts.service
    access = Access(booking_id=bid, manage_token=service.manage_token(bid))
    service.fault = crash_at("authorised")
    with pytest.raises(Crash):
        await service.pay(access, key(), CARD)
    await crashing.stop(grace=0.1)
    # meanwhile the return flight's hold is gone (released by staff, expired...)
    booking = await service.get(access)
    async with make_channel(settings.grpc_target("reservation")) as channel:
        await ReservationServiceStub(channel).ReleaseHold(
            rpb.ReleaseHoldRequest(hold_id=booking["legs"][1]["hold_id"]),
            metadata=[("authorization", f"Bearer {tokens['cs']}")],
        )

    fresh = await booking_process()
    recovered: BookingService = fresh.parts.service
    await recovered.recover(stale_after=0, only=[bid])
    booking = await recovered.get(access)
    payments, seats = await facts(settings, tokens["cs"], bid, flights)
    assert booking["state"] == "held" and booking["seats"] == []
    assert [(p.status, p.captured_amount) for p in payments] == [("voided", 0)]
    assert seats == []  # the outbound seats confirmed before were given back too
    for f in flights:
        states = {s["seat"]: s["state"] for s in (await api.get(f"/api/v1/flights/{f['id']}/seats")).json()["seats"]}
        assert "taken" not in {
            states[s["seat"]] for s in (await service.get(access))["seats"] if s["flight_id"] == f["id"]
        }


async def test_the_payment_process_killed_after_authorising_is_finished_by_recovery(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, booking_process: Any
) -> None:
    """A payment process of our own authorises, then dies before the capture: the booking is
    left with seats assigned and money only authorised; once payment answers again (the
    session's payment process, same database), the recovery pass captures and confirms."""
    from airline.platform.errors import Unavailable

    bid, flights = await ready_to_pay(api, tokens)
    payment = await start_service(
        definition_of("payment"), settings.model_copy(update={"kafka_bootstrap_servers": None}), bind="127.0.0.1:0"
    )
    try:
        crashing = await start_service(
            definition_of("booking"),
            settings.model_copy(update={"kafka_bootstrap_servers": None, "payment_grpc": payment.target}),
            bind="127.0.0.1:0",
        )
        service: BookingService = crashing.parts.service
        access = Access(booking_id=bid, manage_token=service.manage_token(bid))

        async def kill_payment(name: str) -> None:
            if name == "authorised":
                await payment.stop(grace=0.1)

        service.fault = kill_payment
        with pytest.raises(Unavailable):
            await service.pay(access, key(), CARD)
        assert (await service.get(access))["step"] == "seats_confirmed"
        await crashing.stop(grace=0.1)
        payments, seats = await facts(settings, tokens["cs"], bid, flights)
        assert [p.status for p in payments] == ["authorised"] and len(seats) == 4  # mid-saga: not yet paid

        recovered: BookingService = (await booking_process()).parts.service
        await recovered.recover(stale_after=0, only=[bid])
        booking = await recovered.get(access)
        payments, seats = await facts(settings, tokens["cs"], bid, flights)
        assert booking["state"] == "confirmed"
        assert [(p.status, p.captured_amount) for p in payments] == [("captured", booking["total"])]
        assert len(seats) == 4
    finally:
        if not payment._stop.is_set():
            await payment.stop(grace=0.1)
