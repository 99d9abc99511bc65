"""The gate of an overbooked cabin (issue 18): 8 passengers confirmed for a 6-seat cabin (sold
past capacity, as an overbooking allowance does) -> online check-in seats five (a sixth seat is
held by a passenger who never comes) and tells the seventh there is no seat -> at the counter
she is checked in on standby (no seat, STBY on the pass) and cannot board -> the gate lists
exactly 2 denied-boarding candidates (a volunteer first, then who has not checked in) and the
standby list -> once check-in has closed the agent clears standby: the no-show's seat goes to
her and she boards -> the door closes and offloads whoever did not board. Confirmations are fed
to the check-in service's own BookingConfirmed handler (the booking saga cannot confirm seats
the seat map does not have)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.checkin import bcbp
from airline.platform.auth import Role
from airline.platform.events import Envelope
from airline.platform.grpc import make_channel
from airline.platform.settings import PlatformSettings
from airline.reservation.v1 import reservation_pb2 as rpb
from airline.reservation.v1 import reservation_pb2_grpc as rpb_grpc
from tests.support.booking import API, plane_with
from tests.support.factories import CONTACT, create_flight, new_gate
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")

SIX_SEATS = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 2, "seat_letters": "ABC"}]}


async def confirm(
    svc: Any, flight: dict[str, Any], names: list[str], bid: str = "", seats: dict[str, str] | None = None
) -> tuple[str, dict[str, str]]:
    """A confirmed booking of adults on the flight (seats as given, else none); its codes by name."""
    bid = bid or f"gate-{secrets.token_hex(6)}"
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
                "flights": [{"flight_id": flight["id"], "seat": (seats or {}).get(name, ""), "e_ticket": ""}],
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


async def test_an_overbooked_cabin_lists_candidates_and_clears_its_standby_passenger_into_a_no_shows_seat(
    api: httpx.AsyncClient,
    tokens: dict[str, str],
    services: dict[str, Any],
    settings: PlatformSettings,
    as_role: Callable[..., Any],
) -> None:
    ops, agent = tokens["ops"], auth(tokens["agent"])
    plane = await plane_with(api, ops, SIX_SEATS)
    departure = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    flight = await create_flight(api, ops, plane=plane, gate=await new_gate(api, ops), departure=departure)
    fid = flight["id"]
    svc = services["checkin"].parts.service

    # Cy2 holds a seat from the sale (the seat map has it) but never checks in
    cy = f"gate-{secrets.token_hex(6)}"
    async with make_channel(settings.grpc_target("reservation"), 5) as channel:
        held = await rpb_grpc.ReservationServiceStub(channel).AssignSeats(
            rpb.AssignSeatsRequest(
                flight_id=fid,
                booking_ref=cy,
                seats=[rpb.SeatRequest(seat="", passenger_ref="P2", passenger_type="adult", cabin_class="normal")],
            ),
            metadata=as_role(Role.AGENT),
        )
    no_show_seat = held.assignments[0].seat
    bookings = [
        await confirm(svc, flight, ["Ann1", "Ann2"]),
        await confirm(svc, flight, ["Ben1", "Ben2"]),
        await confirm(svc, flight, ["Cy1", "Cy2"], cy, {"Cy2": no_show_seat}),
        await confirm(svc, flight, ["Di1", "Di2"]),
    ]
    code = {name: c for _, codes in bookings for name, c in codes.items()}
    booking_of = {name: bid for bid, codes in bookings for name in codes}

    # five check in online and take the five free seats; Di1 finds none online
    for name in ("Ann1", "Ann2", "Ben1", "Ben2", "Cy1"):
        r = await api.post(f"{API}/checkin", json={"code": code[name], "last_name": "Gate", "flight_id": fid})
        assert r.status_code == 200, r.text
    r = await api.post(f"{API}/checkin", json={"code": code["Di1"], "last_name": "Gate", "flight_id": fid})
    assert assert_problem(r, 409)["code"] == "no_seat"
    # at the counter she is checked in on standby: no seat, STBY on the pass, no boarding yet
    r = await api.post(f"{API}/checkin/check-in", headers=agent, json={"flight_id": fid, "code": code["Di1"]})
    assert r.status_code == 200, r.text
    assert r.json()["seat"] == "" and bcbp.parse(r.json()["bcbp"]).legs[0].seat == "STBY"
    r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": code["Di1"]})
    assert assert_problem(r, 409)["code"] == "standby_not_cleared"

    gate = f"{API}/flights/{fid}/departure/gate-lists"
    [cabin] = (await api.get(gate, headers=agent)).json()["cabins"]
    assert (cabin["cabin_class"], cabin["seats"], cabin["passengers"], cabin["over"]) == ("normal", 6, 8, 2)
    # nobody volunteers yet: the two who have not checked in
    assert [x["name"] for x in cabin["denied_boarding_candidates"]] == ["Cy2 Gate", "Di2 Gate"]
    assert [x["name"] for x in cabin["standby"]] == ["Di1 Gate"]

    # Ben1 volunteers: he comes first, then the first who has not checked in
    r = await api.put(
        f"{API}/flights/{fid}/departure/volunteers/{booking_of['Ben1']}/P1", headers=agent, json={"volunteer": True}
    )
    assert r.status_code == 200, r.text
    [cabin] = r.json()["cabins"]
    assert [x["name"] for x in cabin["volunteers"]] == ["Ben1 Gate"]
    assert [x["name"] for x in cabin["denied_boarding_candidates"]] == ["Ben1 Gate", "Cy2 Gate"]
    assert "volunteers first" in r.json()["priority"]
    assert (await api.get(gate, headers=auth(tokens["passenger"]))).status_code == 403

    # Ann1 boards. Standby is cleared only once check-in has closed
    r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": code["Ann1"]})
    assert r.status_code == 200, r.text
    clear = f"{API}/flights/{fid}/departure/standby/clear"
    assert assert_problem(await api.post(clear, headers=agent), 409)["code"] == "checkin_open"
    before = svc.clock
    try:
        svc.clock = lambda: departure - timedelta(minutes=30)
        r = await api.post(clear, headers=agent)
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["released_seats"] == [no_show_seat] and out["still_standby"] == []
        assert [(x["name"], x["seat"]) for x in out["cleared"]] == [("Di1 Gate", no_show_seat)]
        seat_map = (await api.get(f"{API}/flights/{fid}/seats")).json()["seats"]
        assert {s["seat"]: s["state"] for s in seat_map}[no_show_seat] == "taken"
        again = (await api.post(clear, headers=agent)).json()
        assert again["released_seats"] == [] and again["cleared"] == []
        r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": code["Di1"]})
        assert r.status_code == 200, r.text
        assert r.json()["seat"] == no_show_seat and bcbp.parse(r.json()["bcbp"]).legs[0].seat == no_show_seat

        svc.clock = lambda: departure - timedelta(minutes=5)
        r = await api.post(f"{API}/flights/{fid}/departure/close-door", headers=auth(ops))
    finally:
        svc.clock = before
    assert r.status_code == 200, r.text
    assert len(r.json()["offloaded"]) == 6  # all but Ann1 and Di1
    [cabin] = (await api.get(gate, headers=agent)).json()["cabins"]
    assert (cabin["passengers"], cabin["over"], cabin["denied_boarding_candidates"], cabin["standby"]) == (2, 0, [], [])
