"""The gate's upgrade list (issue 18): a plane with 2 business (vip) seats and 3 economy seats.
Vic bought a business seat and never comes; Val checks into the other one. In economy Ann
(cheap fare), Ben (three times her fare, his seat chosen at the sale) and Cy (with a lap infant) check in online and take
the three seats; Di finds economy full at the counter and is checked in on standby; Eve never
checks in. The agent lists Ann, then Ben, for an upgrade: the list puts Ben first (the fare),
and refuses Eve (not checked in), Val (top cabin), Di (standby), Cy (lap infant; once boarded:
boarded) and a passenger's token. Once check-in has closed, clearing the list frees Vic's seat
and gives it to Ben: reservation moves him, his boarding pass shows the new seat and
compartment, his old economy seat is free, and Ann stays on the list; clearing again changes
nothing. Standby cleared afterwards seats Di in Ben's old seat. After door close Eve is refused
as offloaded. Confirmations are fed to check-in's own BookingConfirmed handler, as in
test_departure_gate_lists.py."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
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

MIXED = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 1, "seat_letters": "AB"},
        {"cabin_class": "normal", "first_row": 2, "last_row": 2, "seat_letters": "ABC"},
    ]
}


async def confirm(
    svc: Any,
    flight: dict[str, Any],
    name: str,
    *,
    cabin: str = "normal",
    total: int = 10000,
    seat: str = "",
    with_infant: bool = False,
    bid: str = "",
    pid: str = "P1",
) -> tuple[str, str]:
    """A confirmed one-adult booking (and a lap infant) on the flight: (booking id, adult's code)."""
    bid = bid or f"upg-{secrets.token_hex(6)}"
    people = [(pid, "adult", name, "", seat)] + ([("P2", "infant", f"{name}Baby", pid, "")] if with_infant else [])
    payload = {
        "booking_id": bid,
        "pnr": secrets.token_hex(3).upper(),
        "cabin_class": cabin,
        "contact": CONTACT,
        "trip_type": "one_way",
        "total": total,
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
                "id": pid,
                "type": kind,
                "first_name": first,
                "last_name": "Upg",
                "date_of_birth": "2025-06-01" if kind == "infant" else "1980-01-01",
                "document": {"type": "passport", "number": f"U{secrets.token_hex(4).upper()}", "issuing_country": "SG"},
                "infant_of": infant_of,
                "flights": [{"flight_id": flight["id"], "seat": s, "e_ticket": ""}],
            }
            for pid, kind, first, infant_of, s in people
        ],
    }
    async with svc.db.uow() as uow:
        await svc.on_booking_confirmed(uow, Envelope("BookingConfirmed", 1, "booking", bid, payload))
        outbox = svc.db.outbox
        rows = (await uow.conn.execute(sa.select(outbox.c.envelope).where(outbox.c.key == bid))).scalars().all()
        await uow.commit()
    [code] = [
        r["payload"]["code"] for r in rows if r["type"] == "CheckinCodeIssued" and r["payload"]["first_name"] == name
    ]
    return bid, code


async def test_the_upgrade_list_goes_up_by_fare_into_a_no_shows_seat_and_frees_the_old_seat_for_standby(
    api: httpx.AsyncClient,
    tokens: dict[str, str],
    services: dict[str, Any],
    settings: PlatformSettings,
    as_role: Callable[..., Any],
) -> None:
    ops, agent = tokens["ops"], auth(tokens["agent"])
    plane = await plane_with(api, ops, MIXED)
    departure = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    flight = await create_flight(api, ops, plane=plane, gate=await new_gate(api, ops), departure=departure)
    fid = flight["id"]
    svc = services["checkin"].parts.service

    # Vic's business seat and Ben's economy seat come from the sale (reservation has them under
    # the booking's own passenger reference; check-in's own seats are under booking-passenger)
    vic, ben = f"upg-{secrets.token_hex(6)}", f"upg-{secrets.token_hex(6)}"
    sold = {vic: "1A", ben: "2A"}
    ref = {vic: "V1", ben: "B1"}  # a passenger reference is unique on a flight
    async with make_channel(settings.grpc_target("reservation"), 5) as channel:
        stub = rpb_grpc.ReservationServiceStub(channel)
        for bid, cabin in ((vic, "vip"), (ben, "normal")):
            hold = await stub.HoldSeats(
                rpb.HoldSeatsRequest(
                    flight_id=fid,
                    seats=[
                        rpb.SeatRequest(
                            seat=sold[bid], passenger_ref=ref[bid], passenger_type="adult", cabin_class=cabin
                        )
                    ],
                ),
                metadata=as_role(Role.AGENT),
            )
            await stub.ConfirmHold(
                rpb.ConfirmHoldRequest(hold_id=hold.hold_id, booking_ref=bid), metadata=as_role(Role.AGENT)
            )
    vic_seat = sold[vic]
    booked = {
        "Val": await confirm(svc, flight, "Val", cabin="vip", total=90000),
        "Ann": await confirm(svc, flight, "Ann", total=10000),
        "Ben": await confirm(svc, flight, "Ben", total=30000, seat=sold[ben], bid=ben, pid="B1"),
        "Cy": await confirm(svc, flight, "Cy", total=12000, with_infant=True),
        "Di": await confirm(svc, flight, "Di"),
        "Eve": await confirm(svc, flight, "Eve"),
    }
    await confirm(svc, flight, "Vic", cabin="vip", total=90000, seat=vic_seat, bid=vic, pid="V1")
    seat = {}
    for name in ("Val", "Ann", "Ben", "Cy"):
        r = await api.post(f"{API}/checkin", json={"code": booked[name][1], "last_name": "Upg", "flight_id": fid})
        assert r.status_code == 200, r.text
        seat[name] = r.json()["passes"][0]["seat"]
    assert seat["Val"].startswith("1") and all(seat[n].startswith("2") for n in ("Ann", "Ben", "Cy"))
    assert seat["Ben"] == sold[ben]
    r = await api.post(f"{API}/checkin/check-in", headers=agent, json={"flight_id": fid, "code": booked["Di"][1]})
    assert r.status_code == 200, r.text
    assert r.json()["seat"] == ""  # economy is full: Di is on standby

    def upgrade(name: str) -> str:
        return f"{API}/flights/{fid}/departure/upgrades/{booked[name][0]}/{'B1' if name == 'Ben' else 'P1'}"

    r = await api.put(upgrade("Ann"), headers=agent)
    assert r.status_code == 200, r.text
    r = await api.put(upgrade("Ben"), headers=auth(ops))  # ops may list too
    assert r.status_code == 200, r.text
    assert (await api.put(upgrade("Ann"), headers=agent)).status_code == 200  # again: same place
    cabins = {c["cabin_class"]: c for c in r.json()["cabins"]}
    assert [x["name"] for x in cabins["vip"]["upgrades"]] == ["Ben Upg", "Ann Upg"]  # the fare before who asked first
    assert cabins["normal"]["upgrades"] == []
    assert "highest fare paid" in r.json()["priority"]
    gate = (await api.get(f"{API}/flights/{fid}/departure/gate-lists", headers=agent)).json()
    [vip] = [c for c in gate["cabins"] if c["cabin_class"] == "vip"]
    assert [(x["name"], x["fare_per_seat"]) for x in vip["upgrades"]] == [("Ben Upg", 30000), ("Ann Upg", 10000)]

    # the refusals
    assert assert_problem(await api.put(upgrade("Eve"), headers=agent), 409)["code"] == "not_checked_in"
    assert assert_problem(await api.put(upgrade("Val"), headers=agent), 409)["code"] == "top_cabin"
    assert assert_problem(await api.put(upgrade("Di"), headers=agent), 409)["code"] == "on_standby"
    assert assert_problem(await api.put(upgrade("Cy"), headers=agent), 409)["code"] == "travels_with_infant"
    r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": booked["Cy"][1]})
    assert r.status_code == 200, r.text
    assert assert_problem(await api.put(upgrade("Cy"), headers=agent), 409)["code"] == "already_boarded"
    assert (await api.put(upgrade("Ann"), headers=auth(tokens["passenger"]))).status_code == 403
    clear = f"{API}/flights/{fid}/departure/upgrades/clear"
    assert (await api.post(clear, headers=auth(tokens["passenger"]))).status_code == 403
    assert assert_problem(await api.post(clear, headers=agent), 409)["code"] == "checkin_open"

    before = svc.clock
    try:
        svc.clock = lambda: departure - timedelta(minutes=30)
        # another agent's clearing of this flight is under way (its lock held): told to look again
        url = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")  # type: ignore[union-attr]
        other = await asyncpg.connect(url)
        try:
            key = f"checkin-gate-lists:{fid}"
            assert await other.fetchval("select pg_try_advisory_lock(hashtextextended($1, 0))", key)
            assert assert_problem(await api.post(clear, headers=agent), 409)["code"] == "clearing_in_progress"
            standby = f"{API}/flights/{fid}/departure/standby/clear"
            assert assert_problem(await api.post(standby, headers=agent), 409)["code"] == "clearing_in_progress"
            await other.fetchval("select pg_advisory_unlock(hashtextextended($1, 0))", key)
        finally:
            await other.close()
        r = await api.post(clear, headers=agent)
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["released_seats"] == [vic_seat]
        assert [(x["name"], x["seat"], x["cabin_class"], x["upgraded_from_seat"]) for x in out["upgraded"]] == [
            ("Ben Upg", vic_seat, "vip", seat["Ben"])
        ]
        assert [x["name"] for x in out["still_listed"]] == ["Ann Upg"]
        states = {s["seat"]: s["state"] for s in (await api.get(f"{API}/flights/{fid}/seats")).json()["seats"]}
        assert (states[vic_seat], states[seat["Ben"]]) == ("taken", "free")
        again = (await api.post(clear, headers=agent)).json()
        assert (again["released_seats"], again["upgraded"]) == ([], [])
        assert [x["name"] for x in again["still_listed"]] == ["Ann Upg"]
        assert assert_problem(await api.delete(upgrade("Ben"), headers=agent), 409)["code"] == "already_upgraded"

        # Ben boards on his re-issued pass: the business seat and compartment J
        r = await api.post(f"{API}/boarding", headers=agent, json={"flight_id": fid, "code": booked["Ben"][1]})
        assert r.status_code == 200, r.text
        ben = r.json()
        [leg] = bcbp.parse(ben["bcbp"]).legs
        assert (ben["seat"], ben["cabin_class"], leg.seat, leg.compartment) == (vic_seat, "vip", vic_seat, "J")

        # Ben's old seat went back: standby cleared now seats Di there
        r = await api.post(f"{API}/flights/{fid}/departure/standby/clear", headers=agent)
        assert r.status_code == 200, r.text
        assert [(x["name"], x["seat"]) for x in r.json()["cleared"]] == [("Di Upg", seat["Ben"])]

        # Ann is taken off the list (and taking her off again is harmless)
        for _ in range(2):
            r = await api.delete(upgrade("Ann"), headers=agent)
            assert r.status_code == 200, r.text
            assert [c["upgrades"] for c in r.json()["cabins"]] == [[], []]

        svc.clock = lambda: departure - timedelta(minutes=5)
        r = await api.post(f"{API}/flights/{fid}/departure/close-door", headers=auth(ops))
        assert r.status_code == 200, r.text
        assert assert_problem(await api.post(clear, headers=agent), 409)["code"] == "door_closed"
    finally:
        svc.clock = before
    assert assert_problem(await api.put(upgrade("Eve"), headers=agent), 409)["code"] == "offloaded"
