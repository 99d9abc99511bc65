"""The gate list of an overbooked cabin (issue 18): 8 passengers confirmed for a 6-seat cabin
(sold past capacity, as an overbooking allowance does) -> check-in seats the first six and tells
the seventh there is no seat -> the gate lists exactly 2 denied-boarding candidates, a volunteer
first, then who has not checked in, then the latest check-in -> the door closes and offloads
whoever did not board. Confirmations are fed to the check-in service's own BookingConfirmed
handler (the booking saga cannot confirm seats the seat map does not have)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.platform.events import Envelope
from tests.support.booking import API, plane_with
from tests.support.factories import CONTACT, create_flight, new_gate
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")

SIX_SEATS = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 2, "seat_letters": "ABC"}]}


async def confirm(svc: Any, flight: dict[str, Any], names: list[str]) -> tuple[str, dict[str, str]]:
    """A confirmed booking of adults without seats on the flight; its check-in codes by passenger."""
    bid = f"gate-{secrets.token_hex(6)}"
    payload = {
        "booking_id": bid,
        "pnr": secrets.token_hex(3).upper(),
        "cabin_class": "normal",
        "contact": CONTACT,
        "trip_type": "one_way",
        "total": 10000,
        "currency": "SGD",
        "flights": [
            {
                "flight_id": flight["id"],
                "number": flight["number"],
                "origin": flight["origin"],
                "destination": flight["destination"],
                "scheduled_departure": flight["scheduled_departure"],
            }
        ],
        "passengers": [
            {
                "id": f"P{i + 1}",
                "type": "adult",
                "first_name": name,
                "last_name": "Gate",
                "date_of_birth": "1980-01-01",
                "document": {"type": "passport", "number": f"G{secrets.token_hex(4).upper()}", "issuing_country": "SG"},
                "infant_of": "",
                "flights": [{"flight_id": flight["id"], "seat": "", "e_ticket": ""}],
            }
            for i, name in enumerate(names)
        ],
    }
    async with svc.db.uow() as uow:
        await svc.on_booking_confirmed(uow, Envelope("BookingConfirmed", 1, "booking", bid, payload))
        outbox = svc.db.outbox
        rows = (await uow.conn.execute(sa.select(outbox.c.envelope).where(outbox.c.key == bid))).scalars().all()
        await uow.commit()
    codes = {r["payload"]["first_name"]: r["payload"]["code"] for r in rows if r["type"] == "CheckinCodeIssued"}
    return bid, codes


async def test_an_overbooked_cabin_lists_its_volunteers_and_denied_boarding_candidates(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, Any]
) -> None:
    ops, agent = tokens["ops"], auth(tokens["agent"])
    plane = await plane_with(api, ops, SIX_SEATS)
    departure = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    flight = await create_flight(api, ops, plane=plane, gate=await new_gate(api, ops), departure=departure)
    fid = flight["id"]
    svc = services["checkin"].parts.service
    bookings = [await confirm(svc, flight, [f"{x}1", f"{x}2"]) for x in ("Ann", "Ben", "Cy", "Di")]
    code = {name: c for _, codes in bookings for name, c in codes.items()}
    booking_of = {name: bid for bid, codes in bookings for name in codes}

    # six check in (seats assigned), in this order; the seventh finds no seat; Di2 never comes
    for name in ("Ann1", "Ann2", "Ben1", "Ben2", "Cy1", "Cy2"):
        r = await api.post(f"{API}/checkin", json={"code": code[name], "last_name": "Gate", "flight_id": fid})
        assert r.status_code == 200, r.text
    r = await api.post(f"{API}/checkin", json={"code": code["Di1"], "last_name": "Gate", "flight_id": fid})
    assert assert_problem(r, 409)["code"] == "no_seat"

    gate = f"{API}/flights/{fid}/departure/gate-lists"
    [cabin] = (await api.get(gate, headers=agent)).json()["cabins"]
    assert (cabin["cabin_class"], cabin["seats"], cabin["passengers"], cabin["over"]) == ("normal", 6, 8, 2)
    # nobody volunteers yet: the two not checked in (in list order), never anyone checked in before them
    assert sorted(x["name"] for x in cabin["denied_boarding_candidates"]) == ["Di1 Gate", "Di2 Gate"]

    # Ben1 volunteers: he comes first, then one of those not checked in
    r = await api.put(
        f"{API}/flights/{fid}/departure/volunteers/{booking_of['Ben1']}/P1", headers=agent, json={"volunteer": True}
    )
    assert r.status_code == 200, r.text
    [cabin] = r.json()["cabins"]
    assert [x["name"] for x in cabin["volunteers"]] == ["Ben1 Gate"]
    candidates = [x["name"] for x in cabin["denied_boarding_candidates"]]
    assert len(candidates) == 2 and candidates[0] == "Ben1 Gate" and candidates[1] in ("Di1 Gate", "Di2 Gate")
    assert "priority" in r.json() and "volunteers first" in r.json()["priority"]

    # Ann1 boards; the others do not: at door close the six who did not board are offloaded
    r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": code["Ann1"]})
    assert r.status_code == 200, r.text
    assert (await api.get(gate, headers=auth(tokens["passenger"]))).status_code == 403
    checkin_clock = svc.clock
    svc.clock = lambda: departure - timedelta(minutes=5)
    try:
        r = await api.post(f"{API}/flights/{fid}/departure/close-door", headers=auth(ops))
    finally:
        svc.clock = checkin_clock
    assert r.status_code == 200, r.text
    assert len(r.json()["offloaded"]) == 7
    [cabin] = (await api.get(gate, headers=agent)).json()["cabins"]
    assert (cabin["passengers"], cabin["over"], cabin["denied_boarding_candidates"]) == (1, 0, [])
