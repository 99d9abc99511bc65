"""Departure control to the door (issue 18) against every real service, through the gateway: a
flight where two passengers do not board -> late check-in and a late gate scan refused -> the
door closes (twice = once) and offloads both -> baggage flags their bags (a loaded one must be
unloaded, a flagged one cannot be loaded) while another passenger's bag is untouched ->
"departed" refused until the bag is out -> manifests, APIS export (JSON and CSV) and the load
sheet match who flew. And ops may depart over the refusal with a reason that is recorded.

The check-in service's clock is moved past gate close (its use cases read `service.clock`);
every other service runs on the real time."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from airline.contracts.events import flights as flight_events
from airline.platform.settings import PlatformSettings
from tests.support.booking import API, bag_body, book, confirmed_booking, drop, issued_codes, near_trip, published, scan
from tests.support.factories import family
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@contextmanager
def checkin_clock(services: dict[str, Any], at: datetime) -> Iterator[None]:
    svc = services["checkin"].parts.service
    before = svc.clock
    svc.clock = lambda: at
    try:
        yield
    finally:
        svc.clock = before


async def reconciled(api: httpx.AsyncClient, agent: dict[str, str], flight_id: str, bags: int) -> dict[str, Any]:
    """The reconciliation once baggage has heard the door close (DoorClosed through Kafka)."""
    async with asyncio.timeout(60):
        while True:
            r = await api.get(f"{API}/flights/{flight_id}/departure/reconciliation", headers=agent)
            assert r.status_code == 200, r.text
            body: dict[str, Any] = r.json()
            if body["door_closed"] and len(body["to_offload"]) >= bags:
                return body
            await asyncio.sleep(0.2)


def refused(r: httpx.Response, code: str) -> dict[str, Any]:
    problem: dict[str, Any] = assert_problem(r, 409)
    assert problem["code"] == code, problem
    return problem


async def loaded(api: httpx.AsyncClient, tokens: dict[str, str], tag: str) -> None:
    for status in ("screened", "loaded"):
        r = await scan(api, tokens, tag, status, location="hold")
        assert r.status_code == 200, r.text


async def test_two_passengers_who_do_not_board_are_offloaded_with_their_bags(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, services: dict[str, Any]
) -> None:
    ops, agent = auth(tokens["ops"]), auth(tokens["agent"])
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    fid = outbound["id"]
    day = datetime.fromisoformat(outbound["scheduled_departure_local"]).date()
    # P1 Ada (adult, vegetarian meal), P2 William (adult), P3 Byron (child), P4 Annabella (infant on P1)
    people = family(day)
    booking = await book(api, tokens["passenger"], far, outbound, inbound, people, 2, 1, 1)
    bid = booking["id"]
    code = {pid: e["payload"]["code"] for pid, e in (await issued_codes(settings, booking)).items()}

    for pid in ("P1", "P4", "P2"):  # Byron (P3) never checks in
        r = await api.post(f"{API}/checkin", json={"code": code[pid], "last_name": "Lovelace", "flight_id": fid})
        assert r.status_code == 200, r.text
    trip = {"booking": booking, "flight": outbound}
    ada_bag = await drop(api, tokens, bag_body(trip, "P1", kg="18.5"))
    william_bag = await drop(api, tokens, bag_body(trip, "P2", kg="21.0"))
    byron_bag = await drop(api, tokens, bag_body(trip, "P3", kg="12.0"))
    await loaded(api, tokens, ada_bag["tag"])
    await loaded(api, tokens, william_bag["tag"])
    r = await scan(api, tokens, byron_bag["tag"], "screened")
    assert r.status_code == 200, r.text
    for pid in ("P1", "P4"):  # Ada boards with her infant; William does not come to the gate
        r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": code[pid]})
        assert r.status_code == 200, r.text

    # the gate list: the cabin is not overbooked, so nobody is named; a volunteer is recorded (and withdrawn)
    gate = f"{API}/flights/{fid}/departure/gate-lists"
    r = await api.put(f"{API}/flights/{fid}/departure/volunteers/{bid}/P2", headers=agent, json={"volunteer": True})
    assert r.status_code == 200, r.text
    [normal] = [c for c in r.json()["cabins"] if c["cabin_class"] == "normal"]
    assert [x["passenger_id"] for x in normal["volunteers"]] == ["P2"]
    assert normal["over"] == 0 and normal["denied_boarding_candidates"] == [] and normal["passengers"] >= 3
    r = await api.put(f"{API}/flights/{fid}/departure/volunteers/{bid}/P1", headers=agent, json={"volunteer": True})
    assert assert_problem(r, 409)["code"] == "not_volunteerable"  # Ada has boarded
    r = await api.put(f"{API}/flights/{fid}/departure/volunteers/{bid}/P2", headers=agent, json={"volunteer": False})
    assert r.status_code == 200
    assert [c["volunteers"] for c in (await api.get(gate, headers=ops)).json()["cabins"]] == [[]] * len(
        r.json()["cabins"]
    )

    # the door cannot close while the gate is open
    refused(await api.post(f"{API}/flights/{fid}/departure/close-door", headers=agent), "gate_open")
    # bags are in the hold and the door has not closed: nobody knows yet whose passenger stayed behind
    refused(await api.post(f"{API}/flights/{fid}/status", headers=ops, json={"status": "departed"}), "door_not_closed")

    departure = utc(outbound["scheduled_departure"])
    with checkin_clock(services, departure - timedelta(minutes=10)):
        # -- after check-in and gate close: a late check-in (online, counter) and a late scan are refused
        late = await api.post(f"{API}/checkin", json={"code": code["P3"], "last_name": "Lovelace", "flight_id": fid})
        assert assert_problem(late, 409)["code"] == "checkin_closed"
        r = await api.post(f"{API}/checkin/check-in", headers=agent, json={"flight_id": fid, "code": code["P3"]})
        problem = assert_problem(r, 409)
        assert problem["code"] == "checkin_closed" and "counter check-in" in problem["detail"]
        r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": code["P2"]})
        assert assert_problem(r, 409)["code"] == "boarding_closed"

        # -- the door closes: William (checked in) and Byron (not) are offloaded
        r = await api.post(f"{API}/flights/{fid}/departure/close-door", headers=agent)
        assert r.status_code == 200, r.text
        door = r.json()
        assert not door["already_closed"]
        assert sorted((x["passenger_id"], x["status"]) for x in door["offloaded"]) == [
            ("P2", "offloaded"),
            ("P3", "offloaded"),
        ]
        # twice = once: the same closing, nobody else offloaded
        again = (await api.post(f"{API}/flights/{fid}/departure/close-door", headers=ops)).json()
        assert again["already_closed"] and again["closed_at"] == door["closed_at"]
        assert {x["passenger_id"] for x in again["offloaded"]} == {"P2", "P3"}
        # the offloaded cannot board any more, nor check in again
        r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": code["P2"]})
        assert r.status_code == 409
        r = await api.post(f"{API}/checkin/check-in", headers=agent, json={"flight_id": fid, "code": code["P3"]})
        assert r.status_code == 409

    # -- baggage flags their bags: William's is still loaded, Byron's is not; Ada's is untouched
    rec = await reconciled(api, agent, fid, 2)
    assert {b["tag"] for b in rec["to_offload"]} == {william_bag["tag"], byron_bag["tag"]}
    assert rec["still_loaded"] == [william_bag["tag"]] and not rec["ready"]
    assert rec["flying_bags"] == 1 and rec["flying_weight_kg"] == 18.5
    r = await api.get(f"{API}/bags/{ada_bag['tag']}", headers=agent)
    assert r.status_code == 200 and r.json()["status"] == "loaded"
    # no new bag for an offloaded passenger
    r = await api.post(f"{API}/bags", json=bag_body(trip, "P2", kg="5.0"), headers=agent)
    assert assert_problem(r, 409)["code"] == "passenger_offloaded"
    # a flagged bag is never loaded (again)
    refused(await scan(api, tokens, byron_bag["tag"], "loaded"), "bag_offloaded")

    # -- "departed" is refused while William's bag is in the hold
    assert (await api.post(f"{API}/flights/{fid}/status", headers=ops, json={"status": "boarding"})).status_code == 200
    r = await api.post(f"{API}/flights/{fid}/status", headers=ops, json={"status": "departed"})
    problem = refused(r, "offloaded_bags_loaded")
    assert william_bag["tag"] in problem["detail"]

    # the agent unloads it; now the flight may leave, its bags reconciled
    r = await scan(api, tokens, william_bag["tag"], "unloaded", location="offloaded at door close")
    assert r.status_code == 200, r.text
    refused(await scan(api, tokens, william_bag["tag"], "loaded"), "bag_offloaded")
    rec = (await api.get(f"{API}/flights/{fid}/departure/reconciliation", headers=agent)).json()
    assert rec["ready"] and rec["still_loaded"] == []
    r = await api.post(f"{API}/flights/{fid}/status", headers=ops, json={"status": "departed"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "departed"

    # -- the final manifest: who flew, by type; the special meal of who flew; the bags that fly
    m = (await api.get(f"{API}/flights/{fid}/departure/manifest", headers=ops)).json()
    assert m["door_closed"]
    assert m["boarded"] == {"adults": 1, "children": 0, "infants": 1, "total": 2}
    assert m["offloaded"] == {"adults": 1, "children": 1, "infants": 0, "total": 2}
    assert m["special_meals"] == {"vegetarian": 1}
    status = {(x["booking_id"], x["passenger_id"]): x["status"] for x in m["passengers"]}
    assert status[(bid, "P1")] == status[(bid, "P4")] == "boarded"
    assert status[(bid, "P2")] == status[(bid, "P3")] == "offloaded"
    assert [b["tag"] for b in m["bags"]["bags"]] == [ada_bag["tag"]] and m["bags"]["total_weight_kg"] == 18.5

    # -- APIS: exactly who flew, with their travel documents, as JSON and as CSV
    apis = (await api.get(f"{API}/flights/{fid}/departure/apis", headers=agent)).json()
    assert apis["final"]
    by_name = {p["first_name"]: p for p in people}
    assert sorted(x["first_name"] for x in apis["passengers"]) == ["Ada", "Annabella"]
    for x in apis["passengers"]:
        doc = by_name[x["first_name"]]["document"]
        assert (x["document_number"], x["document_type"], x["nationality"], x["document_expiry"]) == (
            doc["number"],
            doc["type"],
            doc["issuing_country"],
            doc["expiry"],
        )
        assert x["date_of_birth"] == by_name[x["first_name"]]["date_of_birth"] and x["last_name"] == "Lovelace"
    r = await api.get(f"{API}/flights/{fid}/departure/apis", headers=agent, params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted((x["first_name"], x["document_number"]) for x in rows) == sorted(
        (x["first_name"], x["document_number"]) for x in apis["passengers"]
    )

    # -- the load sheet: who flew at standard masses, the one bag that flies, against the type's limits
    r = await api.get(f"{API}/flights/{fid}/departure/loadsheet", headers=ops)
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["final"] and s["passengers"]["total"] == 2 and s["bags"] == 1 and s["bag_kg"] == 19
    assert s["passenger_kg"] == 84  # one adult at 84 kg, the infant at 0
    holds = {c["name"]: c for c in s["compartments"]}
    assert holds["FWD"]["bag_kg"] + holds["AFT"]["bag_kg"] == 19 and holds["Y"]["passengers"] == 2
    assert s["total_payload_kg"] == 84 + 19
    assert s["aircraft_type"] and s["basis"].startswith("standard masses")
    r = await api.get(f"{API}/flights/{fid}/departure/loadsheet", headers=agent)  # the gate agent reads it too
    assert r.status_code == 200 and r.json()["total_payload_kg"] == s["total_payload_kg"]
    # passengers may not see any of it
    me = auth(tokens["passenger"])
    for path in ("manifest", "apis", "loadsheet", "reconciliation"):
        assert (await api.get(f"{API}/flights/{fid}/departure/{path}", headers=me)).status_code == 403
    assert (await api.post(f"{API}/flights/{fid}/departure/close-door", headers=me)).status_code == 403


async def test_ops_departs_over_a_loaded_offloaded_bag_only_with_a_reason_that_is_recorded(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, services: dict[str, Any]
) -> None:
    ops, agent = auth(tokens["ops"]), auth(tokens["agent"])
    trip = await confirmed_booking(api, tokens)  # nobody checks in: all three are offloaded
    fid = trip["flight"]["id"]
    bag = await drop(api, tokens, bag_body(trip, "P2"))
    await loaded(api, tokens, bag["tag"])
    async with asyncio.timeout(60):  # check-in knows the booking once it heard BookingConfirmed
        while len((await api.get(f"{API}/flights/{fid}/passengers", headers=agent)).json()["passengers"]) < 3:
            await asyncio.sleep(0.2)
    with checkin_clock(services, utc(trip["flight"]["scheduled_departure"]) - timedelta(minutes=5)):
        r = await api.post(f"{API}/flights/{fid}/departure/close-door", headers=ops)
        assert r.status_code == 200, r.text
        assert len(r.json()["offloaded"]) == 3
    rec = await reconciled(api, agent, fid, 1)
    assert rec["still_loaded"] == [bag["tag"]]

    assert (await api.post(f"{API}/flights/{fid}/status", headers=ops, json={"status": "boarding"})).status_code == 200
    refused(
        await api.post(f"{API}/flights/{fid}/status", headers=ops, json={"status": "departed"}), "offloaded_bags_loaded"
    )
    reason = "bag 2 position 41L inaccessible; security cleared by duty manager"
    r = await api.post(
        f"{API}/flights/{fid}/status", headers=ops, json={"status": "departed", "override_reason": reason}
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "departed" and reason in r.json()["status_reason"]
    [event] = await published(settings.kafka_bootstrap_servers or "", flight_events.FLIGHT_DEPARTED.topic, fid)
    assert event["payload"]["override_reason"] == reason
