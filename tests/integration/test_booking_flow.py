"""The booking flow through the gateway's REST API, against every real service: search ->
booking -> passengers -> seats per flight -> luggage -> pay -> confirmed with PNR, e-tickets,
seats and a paid extra bag; then who may see it, and manage (seat change, cancel + refund)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from airline.booking.domain import PNR_ALPHABET
from airline.contracts.events import booking as booking_events
from airline.platform.settings import PlatformSettings
from tests.support.booking import free_seats, offer_for, published, route_with_round_trip, travel_day
from tests.support.factories import CARD_DECLINED, CARD_OK, CONTACT, UNIT, family, key, person
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


async def confirmed_family_booking(api: httpx.AsyncClient, tokens: dict[str, str]) -> dict[str, Any]:
    """The acceptance scenario: 2 adults + 1 child + 1 infant, round trip, an extra bag."""
    me = auth(tokens["passenger"])
    far, outbound, inbound = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, inbound, adults=2, children=1, infants=1)
    expected_fare = 2 * (UNIT["adult"] * 2) + UNIT["child"] * 2 + UNIT["infant"] * 2
    assert offer["total"] == expected_fare

    create_key = key()
    r = await api.post(
        "/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me | {"Idempotency-Key": create_key}
    )
    assert r.status_code == 201, r.text
    booking = r.json()
    bid = booking["id"]
    assert booking["state"] == "held" and booking["total"] == expected_fare and booking["currency"] == "SGD"
    assert [leg["flight_id"] for leg in booking["legs"]] == [outbound["id"], inbound["id"]]
    assert (booking["adults"], booking["children"], booking["infants"]) == (2, 1, 1)
    assert booking["trip_type"] == "round_trip" and booking["cabin_class"] == "normal"

    # a retry with the same key and body is the first booking; another body with that key is 422
    r = await api.post(
        "/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me | {"Idempotency-Key": create_key}
    )
    assert r.status_code == 200 and r.json()["id"] == bid and r.headers["idempotent-replayed"] == "true"
    other = await offer_for(api, far, outbound, None, adults=1)
    problem = assert_problem(
        await api.post(
            "/api/v1/bookings", json={"offer_id": other["offer_id"]}, headers=me | {"Idempotency-Key": create_key}
        ),
        422,
    )
    assert problem["code"] == "idempotency_key_reused"

    # passengers: a child declared as adult is refused, nothing written
    wrong = family(travel_day(outbound))
    wrong[2]["type"] = "adult"
    assert_problem(
        await api.put(f"/api/v1/bookings/{bid}/passengers", headers=me, json={"passengers": wrong, "contact": CONTACT}),
        422,
    )
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=me,
        json={"passengers": family(travel_day(outbound)), "contact": CONTACT},
    )
    assert r.status_code == 200, r.text
    assert [(p["id"], p["type"]) for p in r.json()["passengers"]] == [
        ("P1", "adult"),
        ("P2", "adult"),
        ("P3", "child"),
        ("P4", "infant"),
    ]
    assert r.json()["passengers"][3]["infant_of"] == "P1"

    # seats per flight (no seat for the infant)
    chosen: dict[str, dict[str, str]] = {}
    for flight in (outbound, inbound):
        seats = await free_seats(api, flight["id"], 3)
        chosen[flight["id"]] = dict(zip(("P1", "P2", "P3"), seats))
        r = await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=me,
            json={
                "flight_id": flight["id"],
                "seats": [{"passenger_id": p, "seat": s} for p, s in chosen[flight["id"]].items()],
            },
        )
        assert r.status_code == 200, r.text
        seat_map = (await api.get(f"/api/v1/flights/{flight['id']}/seats")).json()
        states = {s["seat"]: s["state"] for s in seat_map["seats"]}
        assert all(states[s] == "held" for s in seats)

    # luggage: the fare includes 1 x 23 kg per passenger (infant none); P1 buys one extra piece outbound
    r = await api.put(
        f"/api/v1/bookings/{bid}/luggage",
        headers=me,
        json={"bags": [{"flight_id": outbound["id"], "passenger_id": "P1", "extra_pieces": 1}]},
    )
    assert r.status_code == 200, r.text
    booking = r.json()
    assert booking["bag_total"] == 4500 and booking["total"] == expected_fare + 4500
    allowance = {(b["flight_id"], b["passenger_id"]): b["included_pieces"] for b in booking["bags"]}
    assert allowance[(outbound["id"], "P1")] == 1 and allowance[(inbound["id"], "P4")] == 0

    # pay: authorised, seats confirmed, captured, confirmed
    pay_key = key()
    r = await api.post(
        f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": pay_key}, json={"method": CARD_OK}
    )
    assert r.status_code == 200, r.text
    booking = r.json()
    assert booking["state"] == "confirmed", booking
    assert "4242 4242" not in r.text and "4242424242424242" not in r.text
    assert re.fullmatch(f"[{PNR_ALPHABET}]{{6}}", booking["pnr"])
    tickets = booking["tickets"]
    assert len(tickets) == 4 * 2
    assert all(re.fullmatch(r"738\d{10}", t["number"]) for t in tickets)
    assert len({t["number"] for t in tickets}) == 8
    assert {(t["passenger_id"], t["flight_id"]) for t in tickets} == {
        (p, f) for p in ("P1", "P2", "P3", "P4") for f in (outbound["id"], inbound["id"])
    }
    assert {(s["flight_id"], s["passenger_id"], s["seat"]) for s in booking["seats"]} == {
        (f, p, s) for f, m in chosen.items() for p, s in m.items()
    }
    assert booking["payment"]["status"] == "captured"

    # the same pay request again: the first result, no second charge; another body: 422
    r = await api.post(
        f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": pay_key}, json={"method": CARD_OK}
    )
    assert r.status_code == 200 and r.json()["pnr"] == booking["pnr"] and r.headers["idempotent-replayed"] == "true"
    assert_problem(
        await api.post(
            f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": pay_key}, json={"method": CARD_DECLINED}
        ),
        422,
    )
    r = await api.get("/api/v1/payments", params={"reference": bid}, headers=auth(tokens["cs"]))
    assert r.status_code == 200, r.text
    payments = r.json()["payments"]
    assert [(p["status"], p["captured_amount"]) for p in payments] == [("captured", expected_fare + 4500)]

    # the seats are taken now (assignments), not held
    for flight_id, seats in chosen.items():
        states = {s["seat"]: s["state"] for s in (await api.get(f"/api/v1/flights/{flight_id}/seats")).json()["seats"]}
        assert all(states[s] == "taken" for s in seats.values())
    return {"booking": booking, "outbound": outbound, "inbound": inbound, "chosen": chosen, "far": far}


async def test_full_flow_round_trip_family_with_an_extra_bag(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    done = await confirmed_family_booking(api, tokens)
    booking = done["booking"]
    # BookingConfirmed carries what check-in, baggage and inventory need
    [event] = await published(
        settings.kafka_bootstrap_servers or "", booking_events.BOOKING_CONFIRMED.topic, booking["id"]
    )
    assert event["type"] == "BookingConfirmed"
    payload = event["payload"]
    assert payload["pnr"] == booking["pnr"] and payload["contact"]["phone"] == CONTACT["phone"]
    p1 = next(p for p in payload["passengers"] if p["id"] == "P1")
    assert p1["meal"] == "vegetarian" and p1["last_name"] == "Lovelace"
    assert {f["seat"] for f in p1["flights"]} == {done["chosen"][f]["P1"] for f in done["chosen"]}
    assert all(re.fullmatch(r"738\d{10}", f["e_ticket"]) for f in p1["flights"])
    extra = [b for b in payload["bags"] if b["extra_pieces"]]
    assert extra == [
        {
            "flight_id": done["outbound"]["id"],
            "passenger_id": "P1",
            "extra_pieces": 1,
            "overweight_kg": 0,
            "included_pieces": 1,
            "fee": 4500,
            "bag_weight_kg": 23,
        }
    ]


async def test_who_may_see_a_booking_and_manage_it(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    done = await confirmed_family_booking(api, tokens)
    booking, outbound = done["booking"], done["outbound"]
    bid, pnr = booking["id"], booking["pnr"]

    # the owner sees it, in the list and by id
    r = await api.get("/api/v1/bookings", headers=auth(tokens["passenger"]))
    assert r.status_code == 200 and bid in {b["id"] for b in r.json()["bookings"]}
    assert (await api.get(f"/api/v1/bookings/{bid}", headers=auth(tokens["passenger"]))).status_code == 200

    # another passenger: 404 for the id and nothing in their list; no token, no manage token: 404
    r = await api.post(
        "/api/v1/users",
        headers=auth(tokens["admin"]),
        json={
            "email": f"other-{key()[:8]}@test.airline",
            "password": "other-password-123",
            "full_name": "Other",
            "role": "passenger",
        },
    )
    assert r.status_code == 201, r.text
    r = await api.post("/api/v1/auth/login", json={"email": r.json()["email"], "password": "other-password-123"})
    other = auth(r.json()["access_token"])
    assert_problem(await api.get(f"/api/v1/bookings/{bid}", headers=other), 404)
    assert bid not in {b["id"] for b in (await api.get("/api/v1/bookings", headers=other)).json()["bookings"]}
    assert_problem(await api.post(f"/api/v1/bookings/{bid}/cancel", headers=other), 404)
    assert_problem(await api.get(f"/api/v1/bookings/{bid}"), 404)
    assert_problem(await api.get(f"/api/v1/bookings/{bid}", headers={"X-Manage-Token": "x" * 32}), 404)

    # a guest with PNR + last name finds it; a wrong last name finds nothing
    r = await api.get("/api/v1/bookings/lookup", params={"pnr": pnr.lower(), "last_name": "lovelace"})
    assert r.status_code == 200 and r.json()["id"] == bid
    assert_problem(await api.get("/api/v1/bookings/lookup", params={"pnr": pnr, "last_name": "Babbage"}), 404)
    assert_problem(await api.get(f"/api/v1/bookings/{bid}", params={"pnr": pnr, "last_name": "Babbage"}), 404)

    # customer service sees any booking, and changes a seat
    r = await api.get(f"/api/v1/bookings/{bid}", headers=auth(tokens["cs"]))
    assert r.status_code == 200 and r.json()["pnr"] == pnr
    new_seat = (await free_seats(api, outbound["id"], 1))[0]
    r = await api.post(
        f"/api/v1/bookings/{bid}/seat-change",
        headers=auth(tokens["cs"]) | {"X-Airline-Reason": "the passenger asked for a window seat"},
        json={"flight_id": outbound["id"], "passenger_id": "P2", "seat": new_seat},
    )
    assert r.status_code == 200, r.text
    assert {(s["flight_id"], s["passenger_id"]): s["seat"] for s in r.json()["seats"]}[
        (outbound["id"], "P2")
    ] == new_seat
    states = {s["seat"]: s["state"] for s in (await api.get(f"/api/v1/flights/{outbound['id']}/seats")).json()["seats"]}
    assert states[new_seat] == "taken" and states[done["chosen"][outbound["id"]]["P2"]] == "free"

    # the guest cancels with PNR + last name: refundable fare -> paid minus the legs' change fees
    r = await api.post(
        f"/api/v1/bookings/{bid}/cancel", params={"pnr": pnr, "last_name": "Lovelace"}, json={"reason": "plans changed"}
    )
    assert r.status_code == 200, r.text
    cancelled = r.json()
    assert cancelled["state"] == "cancelled" and cancelled["refunded_amount"] == booking["total"] - 2 * 5000
    r = await api.get("/api/v1/payments", params={"reference": bid}, headers=auth(tokens["cs"]))
    assert r.json()["payments"][0]["refunded_amount"] == booking["total"] - 2 * 5000
    states = {s["seat"]: s["state"] for s in (await api.get(f"/api/v1/flights/{outbound['id']}/seats")).json()["seats"]}
    assert states[new_seat] == "free"
    cs_with_reason = {**auth(tokens["cs"]), "X-Airline-Reason": "the passenger asked on the phone"}
    assert_problem(await api.post(f"/api/v1/bookings/{bid}/cancel", headers=cs_with_reason), 409)


async def test_a_guest_books_with_a_manage_token_and_a_declined_card_keeps_the_booking_held(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    far, outbound, _ = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, None, adults=1)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]})
    assert r.status_code == 201, r.text
    bid, token = r.json()["id"], r.json()["manage_token"]
    assert token and (await api.get(f"/api/v1/bookings/{bid}")).status_code == 404
    guest = {"X-Manage-Token": token}
    assert (await api.get(f"/api/v1/bookings/{bid}", headers=guest)).json()["manage_token"] is None
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=guest,
        json={"passengers": [person("adult", "Grace", "O'Hara-Hopper", "1990-01-01")], "contact": CONTACT},
    )
    assert r.status_code == 200, r.text
    seat = (await free_seats(api, outbound["id"], 1))[0]
    r = await api.put(
        f"/api/v1/bookings/{bid}/seats",
        headers=guest,
        json={"flight_id": outbound["id"], "seats": [{"passenger_id": "P1", "seat": seat}]},
    )
    assert r.status_code == 200, r.text
    assert_problem(await api.post(f"/api/v1/bookings/{bid}/pay", headers=guest, json={"method": CARD_OK}), 400)

    problem = assert_problem(
        await api.post(
            f"/api/v1/bookings/{bid}/pay", headers=guest | {"Idempotency-Key": key()}, json={"method": CARD_DECLINED}
        ),
        402,
    )
    assert problem["code"] == "card_declined" and problem["booking"]["state"] == "held"
    states = {s["seat"]: s["state"] for s in (await api.get(f"/api/v1/flights/{outbound['id']}/seats")).json()["seats"]}
    assert states[seat] == "held"  # the passenger may pay again while the hold lives

    r = await api.post(
        f"/api/v1/bookings/{bid}/pay", headers=guest | {"Idempotency-Key": key()}, json={"method": CARD_OK}
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed"
    pnr = r.json()["pnr"]
    r = await api.get("/api/v1/payments", params={"reference": bid}, headers=auth(tokens["cs"]))
    assert sorted(p["status"] for p in r.json()["payments"]) == ["captured", "failed"]
    r = await api.get("/api/v1/bookings/lookup", params={"pnr": pnr, "last_name": "o'hara-hopper"})
    assert r.status_code == 200 and r.json()["id"] == bid


async def test_changing_seats_before_paying_and_a_3d_secure_payment(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    me = auth(tokens["passenger"])
    far, outbound, _ = await route_with_round_trip(api, tokens["ops"])
    offer = await offer_for(api, far, outbound, None, adults=2)
    bid = (await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]}, headers=me)).json()["id"]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=me,
        json={
            "contact": CONTACT,
            "passengers": [
                person("adult", "Ann", "Secure", "1970-01-01"),
                person("adult", "Bob", "Secure", "1971-01-01"),
            ],
        },
    )
    assert r.status_code == 200, r.text
    a, b, c = await free_seats(api, outbound["id"], 3)

    async def choose(s1: str, s2: str) -> httpx.Response:
        return await api.put(
            f"/api/v1/bookings/{bid}/seats",
            headers=me,
            json={
                "flight_id": outbound["id"],
                "seats": [{"passenger_id": "P1", "seat": s1}, {"passenger_id": "P2", "seat": s2}],
            },
        )

    assert (await choose(a, b)).status_code == 200
    assert (await choose(a, b)).status_code == 200  # the same again: nothing changes
    r = await choose(a, c)  # keep one seat, move the other
    assert r.status_code == 200, r.text
    assert {s["passenger_id"]: s["seat"] for s in r.json()["seats"]} == {"P1": a, "P2": c}
    states = {s["seat"]: s["state"] for s in (await api.get(f"/api/v1/flights/{outbound['id']}/seats")).json()["seats"]}
    assert (states[a], states[b], states[c]) == ("held", "free", "held")

    card = dict(CARD_OK, number="4000 0000 0000 3220")
    r = await api.post(f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": card})
    assert r.status_code == 202, r.text
    assert r.json()["state"] == "awaiting_payment" and r.json()["payment"]["next_action"] == "three_d_secure_challenge"
    r = await api.post(f"/api/v1/bookings/{bid}/pay/challenge", headers=me, json={"code": "123456"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed" and r.json()["pnr"]
    assert_problem(await api.post(f"/api/v1/bookings/{bid}/pay/challenge", headers=me, json={"code": "123456"}), 409)
