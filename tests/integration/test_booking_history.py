"""A booking's history through the gateway, against the real services (issue 15, the
customer-service desk): every step in order with who did it and why; cs acting on a
passenger's behalf without a reason is refused and nothing is written; only the booking's own
passenger and staff read it; resending the confirmation sends exactly one more message."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import jwt
import pytest

from tests.support.booking import confirmed_one_way, free_seats
from tests.support.factories import key
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")
API = "/api/v1"
REASON = "X-Airline-Reason"


def subject(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


async def history(api: httpx.AsyncClient, bid: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    r = await api.get(f"{API}/bookings/{bid}/history", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["booking_id"] == bid
    return body["entries"]  # type: ignore[no-any-return]


async def confirmations(api: httpx.AsyncClient, admin: dict[str, str], bid: str, wanted: int) -> list[dict[str, Any]]:
    """The booking's confirmation e-mails (the local mail adapter's outbox), once `wanted` are there."""
    found: list[dict[str, Any]] = []
    for _ in range(100):
        r = await api.get(f"{API}/notifications", params={"reference": bid, "kind": "booking_confirmed"}, headers=admin)
        assert r.status_code == 200, r.text
        found = r.json()["messages"]
        if len(found) >= wanted:
            return found
        await asyncio.sleep(0.2)
    return found


async def test_history_lists_every_step_with_who_and_why_and_cs_needs_a_reason(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    me, cs, admin = auth(tokens["passenger"]), auth(tokens["cs"]), auth(tokens["admin"])
    booking, flight, _, seat = await confirmed_one_way(api, tokens["ops"], me)
    bid = booking["id"]

    # the passenger moves to another seat
    new_seat = next(s for s in await free_seats(api, flight["id"], 2) if s != seat)
    r = await api.post(
        f"{API}/bookings/{bid}/seat-change",
        headers=me,
        json={"flight_id": flight["id"], "passenger_id": "P1", "seat": new_seat},
    )
    assert r.status_code == 200, r.text

    # cs resends the confirmation with a reason; the same request again sends nothing more
    assert len(await confirmations(api, admin, bid, 1)) == 1
    resend = cs | {REASON: "passenger lost the e-mail", "Idempotency-Key": key()}
    for _ in range(2):
        r = await api.post(f"{API}/bookings/{bid}/confirmation/resend", headers=resend)
        assert r.status_code == 202, r.text
        assert r.json() == {"booking_id": bid, "resent": True}
    sent = await confirmations(api, admin, bid, 2)
    assert len(sent) == 2
    await asyncio.sleep(1.0)  # a second message would have come by now
    assert len(await confirmations(api, admin, bid, 3)) == 2

    # cs without a reason (or with a useless one) is refused, and nothing happens
    before = await history(api, bid, cs)
    body = assert_problem(await api.post(f"{API}/bookings/{bid}/cancel", headers=cs), 422)
    assert body["code"] == "reason_required"
    body = assert_problem(await api.post(f"{API}/bookings/{bid}/cancel", headers=cs | {REASON: "ok"}), 422)
    assert body["code"] == "reason_invalid"
    body = assert_problem(await api.post(f"{API}/bookings/{bid}/confirmation/resend", headers=cs), 422)
    assert body["code"] == "reason_required"
    assert (await api.get(f"{API}/bookings/{bid}", headers=me)).json()["state"] == "confirmed"
    assert await history(api, bid, cs) == before

    # cs cancels on the passenger's behalf, with a reason
    r = await api.post(f"{API}/bookings/{bid}/cancel", headers=cs | {REASON: "passenger called: ill, cannot travel"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "cancelled"

    steps = await history(api, bid, cs)
    kinds = [e["kind"] for e in steps]
    assert kinds == [
        "created",
        "passengers_set",
        "seats_selected",
        "payment_started",
        "payment_captured",
        "confirmed",
        "seat_changed",
        "confirmation_resent",
        "refunded",
        "cancelled",
    ], kinds
    assert [e["at"] for e in steps] == sorted(e["at"] for e in steps)
    passenger = {"role": "passenger", "subject": subject(tokens["passenger"])}
    by_cs = {"role": "cs", "subject": subject(tokens["cs"])}
    by_kind = {e["kind"]: e for e in steps}
    for kind in ("created", "passengers_set", "seats_selected", "payment_captured", "confirmed", "seat_changed"):
        assert by_kind[kind]["actor"] == passenger, by_kind[kind]
        assert by_kind[kind]["reason"] is None
        assert by_kind[kind]["summary"]
    assert by_kind["seat_changed"]["details"]["new_seat"] == new_seat
    assert new_seat in by_kind["seat_changed"]["summary"]
    assert by_kind["confirmed"]["details"]["pnr"] == booking["pnr"]
    assert by_kind["confirmation_resent"]["actor"] == by_cs
    assert by_kind["confirmation_resent"]["reason"] == "passenger lost the e-mail"
    for kind in ("refunded", "cancelled"):
        assert by_kind[kind]["actor"] == by_cs
        assert by_kind[kind]["reason"] == "passenger called: ill, cannot travel"
    assert by_kind["refunded"]["details"]["amount"] == r.json()["refunded_amount"] > 0

    # the passenger reads their own booking's history; ops too
    assert [e["kind"] for e in await history(api, bid, me)] == kinds
    assert [e["kind"] for e in await history(api, bid, auth(tokens["ops"]))] == kinds


async def test_only_the_booking_s_passenger_and_staff_read_its_history(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    booking, _, guest, _ = await confirmed_one_way(api, tokens["ops"])  # a guest's booking (manage token)
    bid = booking["id"]
    kinds = [e["kind"] for e in await history(api, bid, guest)]
    assert kinds[0] == "created" and "confirmed" in kinds
    assert all(e["actor"]["role"] == "guest" for e in await history(api, bid, guest))
    r = await api.get(f"{API}/bookings/{bid}/history", params={"pnr": booking["pnr"], "last_name": "Lovelace"})
    assert r.status_code == 200 and [e["kind"] for e in r.json()["entries"]] == kinds

    # another passenger, an agent, a wrong token, nobody: "not found", as the booking itself
    for headers in (auth(tokens["passenger"]), auth(tokens["agent"]), {"X-Manage-Token": "x" * 32}, {}):
        assert_problem(await api.get(f"{API}/bookings/{bid}/history", headers=headers), 404)
        assert_problem(await api.post(f"{API}/bookings/{bid}/confirmation/resend", headers=headers), 404)
    r = await api.get(f"{API}/bookings/{bid}/history", params={"pnr": booking["pnr"], "last_name": "Someoneelse"})
    assert_problem(r, 404)

    # the guest resends without any reason: passengers never need one
    r = await api.post(f"{API}/bookings/{bid}/confirmation/resend", headers=guest)
    assert r.status_code == 202, r.text
    last = (await history(api, bid, guest))[-1]
    assert last["kind"] == "confirmation_resent" and last["reason"] is None and last["actor"]["role"] == "guest"


async def test_the_reason_header_is_documented_on_booking_changes(api: httpx.AsyncClient) -> None:
    schema = (await api.get(f"{API}/openapi.json")).json()
    assert schema["components"]["parameters"]["AirlineReason"]["name"] == REASON
    ref = {"$ref": "#/components/parameters/AirlineReason"}
    assert ref in schema["paths"]["/api/v1/bookings/{booking_id}/cancel"]["post"]["parameters"]
    assert ref in schema["paths"]["/api/v1/bookings/{booking_id}/confirmation/resend"]["post"]["parameters"]
    assert ref not in schema["paths"]["/api/v1/bookings/{booking_id}/history"]["get"].get("parameters", [])


async def test_the_platform_s_own_steps_are_the_system_s_and_messages_sent_are_listed(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    booking, flight, _, _ = await confirmed_one_way(api, tokens["ops"], me)
    r = await api.post(f"{API}/flights/{flight['id']}/cancel", headers=ops, json={"reason": "technical fault"})
    assert r.status_code == 200, r.text
    told: list[dict[str, Any]] = []
    for _ in range(150):
        told = [e for e in await history(api, booking["id"], me) if e["kind"] == "message_sent"]
        if told:
            break
        await asyncio.sleep(0.2)
    assert told, "the passengers were told of the cancellation"
    assert told[0]["actor"]["role"] == "system" and told[0]["reason"] is None
    assert told[0]["summary"].startswith("Message sent to the booking's contact:")
    assert set(told[0]["details"]["channels"]) <= {"email", "sms"} and told[0]["details"]["channels"]
