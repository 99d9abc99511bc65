"""Check-in through the gateway against every real service: a confirmed booking gets one
code per passenger (CheckinCodeIssued on Kafka) -> online check-in -> boarding pass whose QR
decodes to an IATA BCBP string matching the booking -> the agent verifies by code and by QR
-> counter check-in -> boarding (a second and a concurrent scan board once) -> passenger list
and no-shows after departure -> a cancelled booking's code is refused (410)."""

from __future__ import annotations

import asyncio
import io
import random
import re
import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import httpx
import pytest
import zxingcpp
from PIL import Image

from airline.checkin import bcbp
from airline.checkin.v1 import checkin_pb2 as cpb
from airline.checkin.v1 import checkin_pb2_grpc as cpb_grpc
from airline.contracts.events import checkin as checkin_events
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.settings import PlatformSettings
from tests.support.booking import API, book, free_seats, issued_codes, near_trip, published
from tests.support.factories import CONTACT, HOME, family
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def decode_png(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


async def test_codes_check_in_passes_verify_board_and_no_shows(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, as_role: Any
) -> None:
    ops, agent, me = tokens["ops"], auth(tokens["agent"]), auth(tokens["passenger"])
    far, outbound, inbound = await near_trip(api, ops)
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    people = family(day)  # P1 Ada, P2 William (adults), P3 Byron (child), P4 Annabella (infant on P1)
    booking = await book(api, tokens["passenger"], far, outbound, inbound, people, adults=2, children=1, infants=1)
    bid, pnr = booking["id"], booking["pnr"]
    seat_of = {(s["flight_id"], s["passenger_id"]): s["seat"] for s in booking["seats"]}

    # -- one code per passenger, infants included, announced with exactly the agreed payload
    events = await issued_codes(settings, booking)
    assert sorted(events) == ["P1", "P2", "P3", "P4"]
    for e in events.values():
        assert e["type"] == "CheckinCodeIssued" and e["key"] == bid
        p = e["payload"]
        assert set(p) == {
            "booking_id",
            "pnr",
            "passenger_id",
            "first_name",
            "last_name",
            "phone",
            "email",
            "code",
            "flights",
        }
        assert (p["booking_id"], p["pnr"], p["phone"], p["email"]) == (bid, pnr, CONTACT["phone"], CONTACT["email"])
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", p["code"])
        assert [f["flight_id"] for f in p["flights"]] == [outbound["id"], inbound["id"]]
        assert set(p["flights"][0]) == {"flight_id", "number", "origin", "destination", "scheduled_departure"}
        assert p["flights"][0]["origin"] == HOME and p["flights"][0]["destination"] == far
    code = {pid: e["payload"]["code"] for pid, e in events.items()}
    assert len(set(code.values())) == 4

    # -- wrong code / wrong last name: the same 404, revealing nothing
    wrong_name = assert_problem(
        await api.post(f"{API}/checkin", json={"code": code["P1"], "last_name": "Babbage"}), 404
    )
    unknown = assert_problem(await api.post(f"{API}/checkin", json={"code": "ZZZZZZZZ", "last_name": "Lovelace"}), 404)
    assert wrong_name["detail"] == unknown["detail"] and wrong_name["code"] == unknown["code"] == "unknown_code"
    assert_problem(await api.post(f"{API}/checkin", json={"code": code["P1"]}), 422)

    # -- online check-in with the code: the next open flight is the outbound
    r = await api.post(f"{API}/checkin", json={"code": code["P1"].lower(), "last_name": "lovelace"})
    assert r.status_code == 200, r.text
    [p1] = r.json()["passes"]
    assert (p1["flight_id"], p1["passenger_id"], p1["pnr"], p1["seat"]) == (
        outbound["id"],
        "P1",
        pnr,
        seat_of[(outbound["id"], "P1")],
    )
    assert p1["sequence"] >= 1 and p1["checked_in_at"] and p1["boarded_at"] is None
    # again: the same pass
    r = await api.post(
        f"{API}/checkin", json={"code": code["P1"], "last_name": "Lovelace", "flight_id": outbound["id"]}
    )
    assert r.status_code == 200 and r.json()["passes"][0]["id"] == p1["id"]
    assert r.json()["passes"][0]["sequence"] == p1["sequence"]
    # the return flight is two days away: its window is not open
    problem = assert_problem(
        await api.post(
            f"{API}/checkin", json={"code": code["P1"], "last_name": "Lovelace", "flight_id": inbound["id"]}
        ),
        409,
    )
    opens = utc(inbound["scheduled_departure"]) - timedelta(hours=24)
    assert problem["code"] == "checkin_not_open" and opens.strftime("opens at %Y-%m-%d %H:%M UTC") in problem["detail"]

    # -- the pass: JSON, PNG QR (decoded back), SVG; the BCBP matches the booking field by field
    r = await api.get(f"{API}/boarding-passes/{p1['id']}", params={"code": code["P1"], "last_name": "Lovelace"})
    assert r.status_code == 200 and r.json()["bcbp"] == p1["bcbp"]
    r = await api.get(f"{API}/boarding-passes/{p1['id']}/qr.png", headers=me)  # the booking's owner
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    text = decode_png(r.content)
    assert text == p1["bcbp"]
    parsed = bcbp.parse(text)
    leg = parsed.legs[0]
    assert parsed.name == "LOVELACE/ADA" and parsed.electronic_ticket and text[0:2] == "M1"
    local_day = utc(outbound["scheduled_departure"]).astimezone(ZoneInfo("Asia/Singapore")).date()
    assert (leg.pnr, leg.origin, leg.destination) == (pnr, HOME, far)
    assert (leg.carrier, leg.flight_number) == (outbound["number"][:2], outbound["number"][2:])
    assert leg.julian_date == local_day.timetuple().tm_yday
    assert (leg.compartment, leg.seat, leg.sequence, leg.passenger_status) == (
        "Y",
        seat_of[(outbound["id"], "P1")],
        p1["sequence"],
        "1",
    )
    r = await api.get(f"{API}/boarding-passes/{p1['id']}/qr.svg", headers=agent)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    # nobody else reads it
    assert_problem(await api.get(f"{API}/boarding-passes/{p1['id']}"), 404)
    assert_problem(
        await api.get(f"{API}/boarding-passes/{p1['id']}", params={"code": code["P2"], "last_name": "Nobody"}), 404
    )

    # -- the agent verifies by code and by QR, with the document
    doc = {p["first_name"]: p["document"]["number"] for p in people}
    r = await api.post(
        f"{API}/checkin/verify",
        headers=agent,
        json={"flight_id": outbound["id"], "code": code["P2"], "document_number": doc["William"]},
    )
    assert r.status_code == 200, r.text
    v = r.json()
    assert (v["first_name"], v["last_name"], v["pnr"], v["passenger_type"], v["booking_id"], v["passenger_id"]) == (
        "William",
        "Lovelace",
        pnr,
        "adult",
        bid,
        "P2",
    )
    assert (v["status"], v["flight_matches"], v["document_checked"], v["document_matches"]) == (
        "booked",
        True,
        True,
        True,
    )
    assert v["seat"] == seat_of[(outbound["id"], "P2")] and v["boarding_pass"] is None
    r = await api.post(
        f"{API}/checkin/verify",
        headers=agent,
        json={"flight_id": outbound["id"], "bcbp": text, "document_number": "X0000000"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["passenger_id"], r.json()["status"], r.json()["document_matches"]) == ("P1", "checked_in", False)
    assert r.json()["boarding_pass"]["id"] == p1["id"]
    # a pass or code for another flight is refused
    wrong = assert_problem(
        await api.post(f"{API}/checkin/verify", headers=agent, json={"flight_id": inbound["id"], "bcbp": text}), 409
    )
    assert wrong["code"] == "wrong_flight" and outbound["number"] in wrong["detail"]
    other_far, other_out, _ = await near_trip(api, ops)
    wrong = assert_problem(
        await api.post(f"{API}/checkin/verify", headers=agent, json={"flight_id": other_out["id"], "code": code["P2"]}),
        409,
    )
    assert wrong["code"] == "wrong_flight"
    assert_problem(
        await api.post(
            f"{API}/checkin/verify", headers=agent, json={"flight_id": outbound["id"], "bcbp": "M1NOT A PASS"}
        ),
        422,
    )
    # passengers may not act as agents, at the gateway nor at the service
    assert_problem(
        await api.post(f"{API}/checkin/verify", headers=me, json={"flight_id": outbound["id"], "code": code["P2"]}), 403
    )
    async with make_channel(settings.grpc_target("checkin")) as channel:
        stub = cpb_grpc.CheckinServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as denied:
            await stub.Board(
                cpb.PassengerQuery(flight_id=outbound["id"], code=code["P2"]), metadata=as_role(Role.PASSENGER)
            )
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED

    # -- counter check-in: the wrong document is refused, the right one checks in (twice: same pass)
    problem = assert_problem(
        await api.post(
            f"{API}/checkin/check-in",
            headers=agent,
            json={"flight_id": outbound["id"], "code": code["P2"], "document_number": "X0000000"},
        ),
        409,
    )
    assert problem["code"] == "document_mismatch"
    r = await api.post(
        f"{API}/checkin/check-in",
        headers=agent,
        json={"flight_id": outbound["id"], "code": code["P2"], "document_number": doc["William"]},
    )
    assert r.status_code == 200, r.text
    p2 = r.json()
    r = await api.post(f"{API}/checkin/check-in", headers=agent, json={"flight_id": outbound["id"], "code": code["P2"]})
    assert r.status_code == 200 and r.json()["id"] == p2["id"] and r.json()["sequence"] == p2["sequence"]
    # the infant gets a pass of their own, no seat
    r = await api.post(f"{API}/checkin", json={"code": code["P4"], "last_name": "Lovelace"})
    assert r.status_code == 200, r.text
    [p4] = r.json()["passes"]
    assert (p4["seat"], p4["passenger_type"], p4["infant_of"]) == ("", "infant", "P1")
    assert bcbp.parse(p4["bcbp"]).legs[0].seat == "INF"
    assert len({p1["sequence"], p2["sequence"], p4["sequence"]}) == 3

    # -- boarding: by QR, a second scan refused; two concurrent scans board once
    problem = assert_problem(
        await api.post(f"{API}/boarding", headers=agent, json={"flight_id": outbound["id"], "code": code["P3"]}), 409
    )
    assert problem["code"] == "not_checked_in"
    r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": outbound["id"], "bcbp": text})
    assert r.status_code == 200, r.text
    boarded_at = utc(r.json()["boarded_at"])
    problem = assert_problem(
        await api.post(f"{API}/boarding", headers=agent, json={"flight_id": outbound["id"], "bcbp": text}), 409
    )
    assert problem["code"] == "already_boarded"
    assert f"already boarded at {boarded_at.strftime('%H:%M')}" in problem["detail"]
    scans = await asyncio.gather(
        *(
            api.post(f"{API}/boarding", headers=agent, json={"flight_id": outbound["id"], "bcbp": p2["bcbp"]})
            for _ in range(2)
        )
    )
    assert sorted(s.status_code for s in scans) == [200, 409], [s.text for s in scans]

    # -- the agent's list; no-shows only after gate close (here: once departed)
    r = await api.get(f"{API}/flights/{outbound['id']}/passengers", headers=agent)
    assert r.status_code == 200, r.text
    status = {x["passenger_id"]: x["status"] for x in r.json()["passengers"] if x["booking_id"] == bid}
    assert status == {"P1": "boarded", "P2": "boarded", "P3": "booked", "P4": "checked_in"}
    assert_problem(await api.get(f"{API}/flights/{outbound['id']}/passengers", headers=me), 403)
    problem = assert_problem(await api.get(f"{API}/flights/{outbound['id']}/no-shows", headers=agent), 409)
    assert problem["code"] == "gate_open"
    for s in ("boarding", "departed"):
        r = await api.post(f"{API}/flights/{outbound['id']}/status", headers=auth(ops), json={"status": s})
        assert r.status_code == 200, r.text
    r = await api.get(f"{API}/flights/{outbound['id']}/no-shows", headers=agent)
    assert r.status_code == 200, r.text
    assert [x["passenger_id"] for x in r.json()["not_checked_in"]] == ["P3"]
    assert [x["passenger_id"] for x in r.json()["checked_in_not_boarded"]] == ["P4"]
    # and a departed flight takes no check-in
    problem = assert_problem(
        await api.post(
            f"{API}/checkin", json={"code": code["P3"], "last_name": "Lovelace", "flight_id": outbound["id"]}
        ),
        409,
    )
    assert problem["code"] == "checkin_closed"

    # -- the events, keyed by the flight
    boot = settings.kafka_bootstrap_servers or ""
    checked = await published(boot, checkin_events.PASSENGER_CHECKED_IN.topic, outbound["id"], 3)
    assert {(e["payload"]["passenger_id"], e["payload"]["sequence"]) for e in checked} == {
        ("P1", p1["sequence"]),
        ("P2", p2["sequence"]),
        ("P4", p4["sequence"]),
    }
    assert all(e["type"] == "PassengerCheckedIn" and e["payload"]["booking_id"] == bid for e in checked)
    boarded = await published(boot, checkin_events.PASSENGER_BOARDED.topic, outbound["id"], 2)
    assert sorted(e["payload"]["passenger_id"] for e in boarded) == ["P1", "P2"]
    assert {e["payload"]["seat"] for e in boarded} == {p1["seat"], p2["seat"]}

    # -- cancelling the booking revokes its codes: 410
    r = await api.post(f"{API}/bookings/{bid}/cancel", headers=me, json={"reason": "plans changed"})
    assert r.status_code == 200, r.text
    async with asyncio.timeout(30):
        while True:
            r = await api.post(f"{API}/checkin", json={"code": code["P3"], "last_name": "Lovelace"})
            if r.status_code == 410:
                break
            await asyncio.sleep(0.2)
    assert assert_problem(r, 410)["code"] == "code_revoked"


def some_ip() -> dict[str, str]:
    # the gateway trusts X-Forwarded-For from 127.0.0.1 (uvicorn's default), so each test run
    # is a client of its own and never blocks another test
    return {"X-Forwarded-For": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"}


async def test_repeated_wrong_codes_from_one_client_are_slowed_down(api: httpx.AsyncClient) -> None:
    client = some_ip()
    guess = {"code": "ABCDEFGH", "last_name": "Guess"}
    for _ in range(10):
        body = {"code": "".join(secrets.choice("23456789ABCDEFGH") for _ in range(8)), "last_name": "Guess"}
        assert_problem(await api.post(f"{API}/checkin", json=body, headers=client), 404)
    r = await api.post(f"{API}/checkin", json=guess, headers=client)
    assert assert_problem(r, 429)["code"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 300
    # another client is not affected
    assert_problem(await api.post(f"{API}/checkin", json=guess, headers=some_ip()), 404)


async def test_a_seat_change_reaches_the_pass_and_a_seatless_passenger_gets_a_seat(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, services: dict[str, Any]
) -> None:
    ops, me, agent = tokens["ops"], auth(tokens["passenger"]), auth(tokens["agent"])
    far, outbound, inbound = await near_trip(api, ops)
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    booking = await book(api, tokens["passenger"], far, outbound, inbound, family(day)[:1], adults=1)
    bid = booking["id"]
    code = (await issued_codes(settings, booking))["P1"]["payload"]["code"]

    # a seat changed before check-in is the seat on the pass
    [new_seat, later_seat] = await free_seats(api, outbound["id"], 2)
    r = await api.post(
        f"{API}/bookings/{bid}/seat-change",
        headers=me,
        json={"flight_id": outbound["id"], "passenger_id": "P1", "seat": new_seat},
    )
    assert r.status_code == 200, r.text
    async with asyncio.timeout(30):
        while True:  # the checkin service follows the booking's SeatChanged
            r = await api.post(f"{API}/checkin/verify", headers=agent, json={"flight_id": outbound["id"], "code": code})
            assert r.status_code == 200, r.text
            if r.json()["seat"] == new_seat:
                break
            await asyncio.sleep(0.2)
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Lovelace"})
    assert r.status_code == 200, r.text
    assert r.json()["passes"][0]["seat"] == new_seat
    # ... and after check-in, the barcode is rewritten with the new seat
    pass_id = r.json()["passes"][0]["id"]
    r = await api.post(
        f"{API}/bookings/{bid}/seat-change",
        headers=me,
        json={"flight_id": outbound["id"], "passenger_id": "P1", "seat": later_seat},
    )
    assert r.status_code == 200, r.text
    async with asyncio.timeout(30):
        while True:
            r = await api.get(f"{API}/boarding-passes/{pass_id}", headers=me)
            assert r.status_code == 200, r.text
            if r.json()["seat"] == later_seat:
                break
            await asyncio.sleep(0.2)
    assert bcbp.parse(r.json()["bcbp"]).legs[0].seat == later_seat

    # a confirmation without a seat (the booking flow always sends one today; a schedule change
    # or an agent's booking may not): check-in assigns the first free seat of the cabin
    from airline.platform.events import Envelope

    svc = services["checkin"].parts.service
    ghost = f"ghost-{secrets.token_hex(6)}"
    payload = {
        "booking_id": ghost,
        "pnr": "GH0ST1",
        "cabin_class": "normal",
        "contact": CONTACT,
        "trip_type": "one_way",
        "total": 10000,
        "currency": "SGD",  # a whole BookingConfirmed
        "flights": [
            {
                "flight_id": outbound["id"],
                "number": outbound["number"],
                "origin": HOME,
                "destination": far,
                "scheduled_departure": outbound["scheduled_departure"],
            }
        ],
        "passengers": [
            {
                "id": "P1",
                "type": "adult",
                "first_name": "Grace",
                "last_name": "Hopper",
                "document": {"number": "K0000001"},
                "infant_of": "",
                "flights": [{"flight_id": outbound["id"], "seat": "", "e_ticket": "7380000000001"}],
            }
        ],
    }
    async with svc.db.uow() as uow:
        await svc.on_booking_confirmed(uow, Envelope("BookingConfirmed", 1, "booking", ghost, payload))
        import sqlalchemy as sa

        outbox = svc.db.outbox
        row = (await uow.conn.execute(sa.select(outbox.c.envelope).where(outbox.c.key == ghost))).scalar_one()
        await uow.commit()
    assert row["type"] == "CheckinCodeIssued"
    ghost_code = row["payload"]["code"]
    before = (await api.get(f"{API}/flights/{outbound['id']}/seats")).json()["seats"]
    free_before = {x["seat"] for x in before if x["state"] == "free" and x["cabin_class"] == "normal"}
    r = await api.post(f"{API}/checkin", json={"code": ghost_code, "last_name": "Hopper"})
    assert r.status_code == 200, r.text
    seat = r.json()["passes"][0]["seat"]
    assert seat and seat in free_before
    seat_map = (await api.get(f"{API}/flights/{outbound['id']}/seats")).json()
    assert {s["seat"]: s["state"] for s in seat_map["seats"]}[seat] == "taken"


async def test_concurrent_check_ins_get_unique_sequences_and_the_owner_checks_in_the_booking(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    ops, me = tokens["ops"], auth(tokens["passenger"])
    far, outbound, inbound = await near_trip(api, ops)
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    people = [dict(p, type="adult", infant_of="") for p in family(day)[:3]]
    people[2]["date_of_birth"] = "1990-01-01"
    first = await book(api, tokens["passenger"], far, outbound, inbound, people, adults=3)
    second = await book(api, tokens["passenger"], far, outbound, inbound, family(day)[:1], adults=1)
    codes = [e["payload"]["code"] for e in (await issued_codes(settings, first)).values()]

    # every passenger at once, each twice: one pass each, sequences unique on the flight
    replies = await asyncio.gather(
        *(api.post(f"{API}/checkin", json={"code": c, "last_name": "Lovelace"}) for c in codes + codes)
    )
    assert all(r.status_code == 200 for r in replies), [r.text for r in replies]
    passes = [r.json()["passes"][0] for r in replies]
    by_passenger: dict[str, set[tuple[str, int]]] = {}
    for p in passes:
        by_passenger.setdefault(p["passenger_id"], set()).add((p["id"], p["sequence"]))
    assert all(len(v) == 1 for v in by_passenger.values()) and len(by_passenger) == 3
    sequences = [next(iter(v))[1] for v in by_passenger.values()]
    assert len(set(sequences)) == 3

    # the booking's owner checks in a whole booking without codes; a stranger cannot
    await issued_codes(settings, second)  # (once the checkin service knows the booking)
    assert_problem(await api.post(f"{API}/checkin", json={"booking_id": second["id"]}), 404)
    r = await api.post(f"{API}/checkin", json={"booking_id": second["id"], "flight_id": outbound["id"]}, headers=me)
    assert r.status_code == 200, r.text
    [p] = r.json()["passes"]
    assert p["booking_id"] == second["id"] and p["sequence"] > max(sequences)
