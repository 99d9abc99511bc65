"""Passenger rights (issue 14, item 2) against the real services: a cancelled flight's
passengers are owed the policy's band for the route's great-circle distance (airport's
coordinates) under the EU261-like policy and nothing under "none"; a 4 h arrival delay is
compensated, 2 h is not; a claim pays once (a second claim, and concurrent claims, return the
same record); a refund to the card never exceeds what was paid; only the owner, the manage
token's holder and staff see or claim it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.booking.ports import PaymentPort
from airline.booking.service import BookingService
from airline.payment.store import vouchers
from airline.platform.errors import Unavailable
from airline.platform.runtime import RunningService
from tests.support.booking import free_seats, offer_for, route_with_round_trip
from tests.support.factories import CARD_OK, CONTACT, create_flight, key, new_gate, new_plane, person, utc
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")

# where the test's new airport is put (from Seletar, XSP 1.4169, 103.8678): the distance bands
NEAR = (2.7456, 101.7099)  # Kuala Lumpur: about 310 km, the first band (SGD 363.00 under eu261)
FAR = (35.7720, 140.3929)  # Tokyo Narita: about 5,300 km, the third band (SGD 870.00)


@pytest.fixture
def booking(services: dict[str, RunningService]) -> Iterator[BookingService]:
    """The session's booking service; its settings are restored afterwards."""
    service: BookingService = services["booking"].parts.service  # type: ignore[attr-defined]
    settings = service.settings
    yield service
    service.settings = settings


async def confirmed(
    api: httpx.AsyncClient,
    ops: str,
    headers: dict[str, str],
    *,
    at: tuple[float, float],
    adults: int = 1,
    round_trip: bool = False,
    days_ahead: float = 3,
    outbound_minutes: int = 390,
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A paid booking from XSP to a new airport at `at`: (booking id, its flight, the booking).
    One way, it flies in `days_ahead` days (a cancellation then gives less than the policy's
    14 days of notice); a round trip flies the route's own flights, months ahead."""
    far, outbound, inbound = await route_with_round_trip(api, ops)
    if not round_trip:
        soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=days_ahead)
        plane, gate = await new_plane(api, ops), await new_gate(api, ops)
        outbound = await create_flight(
            api, ops, plane=plane, gate=gate, departure=soon, destination=far, duration=outbound_minutes
        )
    r = await api.patch(f"/api/v1/airports/{far}", headers=auth(ops), json={"latitude": at[0], "longitude": at[1]})
    assert r.status_code == 200 and r.json()["latitude"] == at[0], r.text
    offer = await offer_for(api, far, outbound, inbound if round_trip else None, adults=adults)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=headers)
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    headers = headers | ({"X-Manage-Token": r.json()["manage_token"]} if "Authorization" not in headers else {})
    people = [person("adult", name, "Rights", "1980-01-01") for name in ["Ada", "Bea", "Cy", "Di"][:adults]]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers", headers=headers, json={"passengers": people, "contact": CONTACT}
    )
    assert r.status_code == 200, r.text
    for flight in [outbound, inbound] if round_trip else [outbound]:
        seats = await free_seats(api, flight["id"], adults)
        choice = [{"passenger_id": f"P{i + 1}", "seat": s} for i, s in enumerate(seats)]
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats", headers=headers, json={"flight_id": flight["id"], "seats": choice}
        )
        assert r.status_code == 200, r.text
    r = await api.post(
        f"/api/v1/bookings/{bid}/pay", headers=headers | {"Idempotency-Key": key()}, json={"method": CARD_OK}
    )
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    return bid, outbound, r.json() | {"headers": headers, "inbound": inbound}


async def vouchers_for(services: dict[str, RunningService], flight_number: str) -> list[Any]:
    async with services["payment"].runtime.db.engine.connect() as conn:
        q = sa.select(vouchers).where(vouchers.c.reason.contains(f"flight {flight_number} "))
        return list((await conn.execute(q)).all())


async def test_a_cancelled_flight_is_owed_its_band_under_eu261_and_nothing_under_none(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    bid, flight, _ = await confirmed(api, tokens["ops"], me, at=NEAR, adults=2)
    url = f"/api/v1/bookings/{bid}/compensation"

    r = await api.get(url, headers=me)
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["policy"] == "eu261", r.text
    r = await api.post(url, headers=me, json={"method": "voucher"})
    assert r.status_code == 409 and r.json()["code"] == "no_compensation_due", r.text

    r = await api.post(f"/api/v1/flights/{flight['id']}/cancel", headers=ops, json={"reason": "crew shortage"})
    assert r.status_code == 200, r.text

    due = (await api.get(url, headers=me)).json()
    assert [(i["passenger_id"], i["reason"], i["status"], i["amount"], i["currency"]) for i in due["items"]] == [
        ("P1", "cancelled", "due", 36300, "SGD"),
        ("P2", "cancelled", "due", 36300, "SGD"),
    ]
    assert 250 < due["items"][0]["distance_km"] < 400 and due["total_due"] == 72600
    assert "cancelled by the airline" in due["items"][0]["explanation"]

    booking.settings = booking.settings.model_copy(update={"compensation_policy": "none"})
    r = await api.get(url, headers=me)
    assert r.json()["policy"] == "none" and r.json()["items"] == [], r.text
    r = await api.post(url, headers=me, json={"method": "voucher"})
    assert r.status_code == 409 and r.json()["code"] == "no_compensation_due", r.text
    booking.settings = booking.settings.model_copy(update={"compensation_policy": "eu261"})

    # the fare paid (2 x 300.00) is less than what is owed: no refund to the card beyond it
    r = await api.post(url, headers=me, json={"method": "refund"})
    assert r.status_code == 409 and r.json()["code"] == "refund_exceeds_payment", r.text

    paid = await api.post(url, headers=me, json={"method": "voucher"})
    assert paid.status_code == 200, paid.text
    items = paid.json()["items"]
    assert [(i["status"], i["method"], i["amount"]) for i in items] == [("paid", "voucher", 36300)] * 2
    assert all(i["requested_by"].startswith("passenger:") and i["reference"] and i["paid_at"] for i in items)
    assert paid.json()["total_paid"] == 72600 and paid.json()["total_due"] == 0
    code = items[0]["reference"]
    v = await api.get(f"/api/v1/vouchers/{code}", headers=me)
    assert v.status_code == 200 and v.json()["balance"] == 36300 and v.json()["currency"] == "SGD", v.text

    # again (even as another method): the same record, nothing paid twice
    again = await api.post(url, headers=me, json={"method": "refund"})
    assert again.status_code == 200 and again.json()["items"] == items, again.text
    assert len(await vouchers_for(services, flight["number"])) == 2
    # ops and customer service see it too
    assert (await api.get(url, headers=ops)).json()["items"] == items
    assert (await api.get(url, headers=auth(tokens["cs"]))).json()["items"] == items


async def test_four_hours_late_is_compensated_two_hours_is_not(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    # the return flights are delayed (the plane has nothing after them to collide with)
    late, _, b = await confirmed(api, tokens["ops"], me, at=NEAR, round_trip=True)
    slightly, _, other = await confirmed(api, tokens["ops"], me, at=NEAR, round_trip=True)
    flight = b["inbound"]
    for f, hours in ((flight, 4), (other["inbound"], 2)):
        new_departure = utc(f["scheduled_departure"]) + timedelta(hours=hours)
        r = await api.post(
            f"/api/v1/flights/{f['id']}/delay",
            headers=ops,
            json={"new_departure": new_departure.isoformat(), "delay_code": "93", "reason": "late inbound aircraft"},
        )
        assert r.status_code == 200, r.text

    owed = (await api.get(f"/api/v1/bookings/{late}/compensation", headers=me)).json()
    assert [(i["flight_id"], i["reason"], i["delay_minutes"], i["amount"]) for i in owed["items"]] == [
        (flight["id"], "arrival_delay", 240, 36300)
    ]
    assert (await api.get(f"/api/v1/bookings/{slightly}/compensation", headers=me)).json()["items"] == []
    r = await api.post(f"/api/v1/bookings/{slightly}/compensation", headers=me, json={"method": "voucher"})
    assert r.status_code == 409 and r.json()["code"] == "no_compensation_due", r.text

    # a round trip paid 600.00: the 363.00 owed for one flight can go back to the card
    assert b["total"] >= 36300
    r = await api.post(f"/api/v1/bookings/{late}/compensation", headers=me, json={"method": "refund"})
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert (item["status"], item["method"], item["amount"]) == ("paid", "refund", 36300) and item["reference"]
    payments = await api.get("/api/v1/payments", params={"reference": late}, headers=auth(tokens["cs"]))
    [payment] = payments.json()["payments"]
    assert payment["refunded_amount"] == 36300, payment
    r = await api.post(f"/api/v1/bookings/{late}/compensation", headers=me, json={"method": "refund"})
    assert r.json()["items"] == [item]
    payments = await api.get("/api/v1/payments", params={"reference": late}, headers=auth(tokens["cs"]))
    assert payments.json()["payments"][0]["refunded_amount"] == 36300  # refunded once


async def test_concurrent_claims_pay_once(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService]
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    bid, flight, _ = await confirmed(api, tokens["ops"], me, at=FAR, adults=2)
    r = await api.post(f"/api/v1/flights/{flight['id']}/cancel", headers=ops, json={"reason": "typhoon"})
    assert r.status_code == 200, r.text

    url = f"/api/v1/bookings/{bid}/compensation"
    answers = await asyncio.gather(*(api.post(url, headers=me, json={"method": "voucher"}) for _ in range(6)))
    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    first = answers[0].json()["items"]
    assert all(a.json()["items"] == first for a in answers)
    assert [(i["status"], i["amount"]) for i in first] == [("paid", 87000)] * 2
    assert len({i["reference"] for i in first}) == 2
    assert len(await vouchers_for(services, flight["number"])) == 2  # one per passenger, not per claim
    # the contact is told once per payout: one SMS and one e-mail per passenger's claim
    async with asyncio.timeout(60):
        while True:
            r = await api.get(
                "/api/v1/notifications",
                params={"reference": bid, "kind": "flight_disruption", "page_size": 200},
                headers=auth(tokens["admin"]),
            )
            assert r.status_code == 200, r.text
            told = [m for m in r.json()["messages"] if "compensation of SGD 870.00" in m["body"]]
            if len(told) >= 4:
                break
            await asyncio.sleep(0.2)
    assert sorted(m["channel"] for m in told) == ["email", "email", "sms", "sms"]
    assert {ref for ref in (i["reference"] for i in first) if any(ref in m["body"] for m in told)} == {
        i["reference"] for i in first
    }


class AnswerLost:
    """Payment as seen through a connection that breaks after the voucher is issued: the money
    moved, the booking never heard (a crash between the payout and recording it)."""

    def __init__(self, real: PaymentPort) -> None:
        self.real = real
        self.lost = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def issue_voucher(self, amount: int, currency: str, reason: str, idempotency_key: str) -> str:
        code = await self.real.issue_voucher(amount, currency, reason, idempotency_key)
        if not self.lost:
            self.lost += 1
            raise Unavailable("payment did not answer")
        return code


async def test_a_payout_whose_answer_was_lost_is_completed_by_the_retry_not_paid_again(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    bid, flight, _ = await confirmed(api, tokens["ops"], me, at=NEAR)
    r = await api.post(f"/api/v1/flights/{flight['id']}/cancel", headers=ops, json={"reason": "volcanic ash"})
    assert r.status_code == 200, r.text
    url = f"/api/v1/bookings/{bid}/compensation"
    real = booking.ctx.ports
    booking.ctx.ports = replace(real, payment=AnswerLost(real.payment))  # type: ignore[arg-type]
    try:
        r = await api.post(url, headers=me, json={"method": "voucher"})
        assert r.status_code == 503, r.text
        [item] = (await api.get(url, headers=me)).json()["items"]
        assert item["status"] == "pending" and item["method"] == "voucher"  # recorded before the payout
        r = await api.post(url, headers=me, json={"method": "voucher"})
        assert r.status_code == 200, r.text
    finally:
        booking.ctx.ports = real
    [paid] = r.json()["items"]
    assert paid["status"] == "paid" and paid["claim_id"] == item["claim_id"]
    [voucher] = await vouchers_for(services, flight["number"])  # the first payout, not a second one
    assert voucher.code == paid["reference"]


async def test_the_recovery_job_pays_a_claim_a_dead_request_left_pending(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    bid, flight, _ = await confirmed(api, tokens["ops"], me, at=NEAR)
    r = await api.post(f"/api/v1/flights/{flight['id']}/cancel", headers=ops, json={"reason": "runway closed"})
    assert r.status_code == 200, r.text
    url = f"/api/v1/bookings/{bid}/compensation"
    real = booking.ctx.ports
    booking.ctx.ports = replace(real, payment=AnswerLost(real.payment))  # type: ignore[arg-type]
    try:
        assert (await api.post(url, headers=me, json={"method": "voucher"})).status_code == 503
        assert await booking.rights.finish_pending(stale_after=0) >= 1
    finally:
        booking.ctx.ports = real
    [item] = (await api.get(url, headers=me)).json()["items"]
    assert item["status"] == "paid"
    [voucher] = await vouchers_for(services, flight["number"])
    assert voucher.code == item["reference"]


async def test_only_the_owner_the_token_and_staff_reach_it(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = auth(tokens["ops"])
    guest_bid, flight, guest = await confirmed(api, tokens["ops"], {}, at=NEAR)
    r = await api.post(f"/api/v1/flights/{flight['id']}/cancel", headers=ops, json={"reason": "strike"})
    assert r.status_code == 200, r.text
    url = f"/api/v1/bookings/{guest_bid}/compensation"

    # another passenger, an airport agent, nobody, or the PNR and a last name: not found
    for headers in (auth(tokens["passenger"]), auth(tokens["agent"]), {}):
        for call in (api.get(url, headers=headers), api.post(url, headers=headers, json={"method": "voucher"})):
            r = await call
            assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), r.text
    r = await api.get(url, params={"pnr": guest["pnr"], "last_name": "Rights"})
    assert r.status_code == 404, r.text
    assert (await api.get("/api/v1/bookings/not-a-booking/compensation", headers=ops)).status_code == 404

    # bad input is a 422 problem, never a 500
    for body in ({"method": "cash"}, {}, {"method": "voucher", "extra": 1}):
        r = await api.post(url, headers=guest["headers"], json=body)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text

    # the guest with the manage token claims; staff (customer service) could have too
    r = await api.post(url, headers=guest["headers"], json={"method": "voucher"})
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["status"] == "paid" and item["requested_by"] == "guest"


async def test_a_cancellation_announced_fourteen_days_ahead_is_not_owed_under_eu261(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Flights keep when a flight was cancelled; the policy's notice (14 days under eu261)
    exempts a cancellation the passengers were told of long enough before departure."""
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    early, far_flight, _ = await confirmed(api, tokens["ops"], me, at=NEAR, days_ahead=15)
    late, near_flight, _ = await confirmed(api, tokens["ops"], me, at=NEAR, days_ahead=13)
    for flight in (far_flight, near_flight):
        r = await api.post(f"/api/v1/flights/{flight['id']}/cancel", headers=ops, json={"reason": "schedule change"})
        assert r.status_code == 200, r.text
        told = datetime.fromisoformat(r.json()["cancelled_at"].replace("Z", "+00:00"))
        assert abs((datetime.now(UTC) - told).total_seconds()) < 60
    r = await api.get(f"/api/v1/bookings/{early}/compensation", headers=me)
    assert r.status_code == 200 and r.json()["items"] == [], r.text
    r = await api.get(f"/api/v1/bookings/{late}/compensation", headers=me)
    assert [(i["reason"], i["amount"], i["status"]) for i in r.json()["items"]] == [("cancelled", 36300, "due")], r.text
