"""An overbooked cabin sold through real bookings (issue 18, part 3): a 10-seat cabin with a
show-up rate of 80 % (allowance min(floor(10 * (1/0.8 - 1)), 20 % of 10) = 2) sells its 10 seats,
then 2 "seat at the airport" places through the booking flow and payment, and refuses the next
(409 overbooking_full); parties racing for the last place get exactly one winner. Check-in seats
no one past the 10 seats (no_seat) and the gate lists the 2 seatless passengers as the
denied-boarding candidates.

Every real service through the gateway: booking -> reservation (holds places in Redis, sells
them in PostgreSQL) -> flights (the allowance) -> payment -> check-in (codes, gate list)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.platform.settings import PlatformSettings
from airline.reservation.store import ReservationRepository, unseated
from tests.support.booking import API, free_seats, issued_codes, offer_for
from tests.support.factories import (
    CARD_OK,
    CONTACT,
    HOME,
    UNIT,
    create_flight,
    key,
    new_airport,
    new_gate,
    new_plane,
    person,
)
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")

TEN_SEATS = {"cabins": [{"cabin_class": "normal", "first_row": 1, "last_row": 5, "seat_letters": "AB"}]}
RACERS = ("Kim", "Lee", "Max", "Ned")  # four parties race for the last place


async def overbooked_flight(api: httpx.AsyncClient, ops: str) -> tuple[str, dict[str, Any]]:
    """A new route and a flight in 3 hours (check-in open) on a 10-seat plane, 80 % show up."""
    far = await new_airport(api, ops, "Asia/Tokyo")
    plane = await new_plane(api, ops, layout=TEN_SEATS)
    departure = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    flight = await create_flight(
        api, ops, plane=plane, gate=await new_gate(api, ops), departure=departure, destination=far, duration=390
    )
    fares = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "normal",
            "passenger_type": pax,
            "trip_type": "one_way",
            "amount": UNIT[pax],
            "currency": "SGD",
        }
        for pax in UNIT
    ]
    rules = [
        {
            "origin": HOME,
            "destination": far,
            "cabin_class": "normal",
            "refundable": True,
            "change_fee": 5000,
            "currency": "SGD",
            "checked_bags": 1,
            "bag_weight_kg": 23,
        }
    ]
    r = await api.put(f"{API}/fares", json={"fares": fares, "rules": rules}, headers=auth(ops))
    assert r.status_code == 200, r.text
    r = await api.put(
        f"{API}/flights/{flight['id']}/cabins/normal/show-up-rate", json={"show_up_rate_bp": 8000}, headers=auth(ops)
    )
    assert r.status_code == 200, r.text
    return far, flight


async def draft(
    api: httpx.AsyncClient, far: str, flight: dict[str, Any], names: list[str]
) -> tuple[str, dict[str, str]]:
    """A guest's draft for adults named `names` (last name Over): (booking id, manage headers)."""
    offer = await offer_for(api, far, flight, None, adults=len(names))
    r = await api.post(f"{API}/bookings", json={"offer_id": offer["offer_id"]})
    assert r.status_code == 201, r.text
    bid, headers = r.json()["id"], {"X-Manage-Token": r.json()["manage_token"]}
    people = [person("adult", n, "Over", "1980-01-01") for n in names]
    r = await api.put(
        f"{API}/bookings/{bid}/passengers", headers=headers, json={"contact": CONTACT, "passengers": people}
    )
    assert r.status_code == 200, r.text
    return bid, headers


async def at_airport(api: httpx.AsyncClient, bid: str, headers: dict[str, str], fid: str) -> httpx.Response:
    return await api.put(
        f"{API}/bookings/{bid}/seats", headers=headers, json={"flight_id": fid, "seat_at_airport": True}
    )


async def pay(api: httpx.AsyncClient, bid: str, headers: dict[str, str]) -> dict[str, Any]:
    r = await api.post(
        f"{API}/bookings/{bid}/pay", headers=headers | {"Idempotency-Key": key()}, json={"method": CARD_OK}
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "confirmed", r.text
    return r.json()  # type: ignore[no-any-return]


async def sell_seats(
    api: httpx.AsyncClient, fid: str, parties: list[tuple[str, dict[str, str]]]
) -> dict[str, dict[str, Any]]:
    """Each party of five takes free seats and pays: the confirmed bookings by id."""
    bookings: dict[str, dict[str, Any]] = {}
    for bid, headers in parties:
        seats = await free_seats(api, fid, 5)
        body = {"flight_id": fid, "seats": [{"passenger_id": f"P{i + 1}", "seat": s} for i, s in enumerate(seats)]}
        r = await api.put(f"{API}/bookings/{bid}/seats", headers=headers, json=body)
        assert r.status_code == 200, r.text
        bookings[bid] = await pay(api, bid, headers)
    return bookings


async def places(services: dict[str, Any], fid: str) -> set[str]:
    """The passengers holding an overbooking place of the flight, as reservation sold them."""
    async with services["reservation"].runtime.db.uow() as uow:
        rows = await uow.conn.execute(sa.select(unseated.c.passenger_ref).where(unseated.c.flight_id == fid))
        return set(rows.scalars())


async def test_an_overbooked_cabin_sells_its_allowance_at_the_airport_and_the_gate_lists_them(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    ops = tokens["ops"]
    far, flight = await overbooked_flight(api, ops)
    fid = flight["id"]
    # every draft is made now, while search still offers the flight
    seated = [
        await draft(api, far, flight, party)
        for party in (["Amy", "Bea", "Cal", "Dot", "Eve"], ["Fay", "Gus", "Hal", "Ida", "Jon"])
    ]
    first = await draft(api, far, flight, ["Ava"])
    racers = [await draft(api, far, flight, [name]) for name in RACERS]
    late = await draft(api, far, flight, ["Lou"])

    # a seat at the airport is refused while the cabin has seats: choose them
    r = await at_airport(api, *first, fid)
    assert assert_problem(r, 409)["code"] == "seats_available"
    # bad input: both seats and seat_at_airport, or neither
    both = {"flight_id": fid, "seat_at_airport": True, "seats": [{"passenger_id": "P1", "seat": "1A"}]}
    assert_problem(await api.put(f"{API}/bookings/{first[0]}/seats", headers=first[1], json=both), 422)
    assert_problem(await api.put(f"{API}/bookings/{first[0]}/seats", headers=first[1], json={"flight_id": fid}), 422)

    # the ten seats sell to two parties of five
    bookings = await sell_seats(api, fid, seated)
    assert await free_seats_count(api, fid) == 0

    # the first place at the airport: held, paid, shown as such
    r = await at_airport(api, *first, fid)
    assert r.status_code == 200, r.text
    assert r.json()["seats"] == [{"flight_id": fid, "passenger_id": "P1", "seat": "", "seat_at_airport": True}]
    r = await at_airport(api, *first, fid)  # a retry keeps the same hold
    assert r.status_code == 200, r.text
    bookings[first[0]] = await pay(api, *first)
    assert bookings[first[0]]["seats"][0]["seat_at_airport"] is True

    # parties race for the last place: exactly one wins, the others are told the cabin is sold
    answers = await asyncio.gather(*(at_airport(api, bid, headers, fid) for bid, headers in racers))
    winners = [racers[i] for i, a in enumerate(answers) if a.status_code == 200]
    assert len(winners) == 1, [a.text for a in answers]
    for a in answers:
        if a.status_code != 200:
            assert assert_problem(a, 409)["code"] == "overbooking_full"
    bookings[winners[0][0]] = await pay(api, *winners[0])

    # the 13th passenger: no seat, no place (and a loser cannot pay without one)
    assert assert_problem(await at_airport(api, *late, fid), 409)["code"] == "overbooking_full"
    loser = next(x for x in racers if x != winners[0])
    r = await api.post(
        f"{API}/bookings/{loser[0]}/pay", headers=loser[1] | {"Idempotency-Key": key()}, json={"method": CARD_OK}
    )
    assert assert_problem(r, 409)["code"] == "seats_missing"
    for bid, headers in [x for x in racers if x != winners[0]] + [late]:  # the drafts nobody pays are given up
        r = await api.post(f"{API}/bookings/{bid}/cancel", headers=headers, json={"reason": "no place left"})
        assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text

    # check-in: the ten seated passengers check in; the two at the airport find no seat
    codes: dict[str, str] = {}
    for b in bookings.values():
        by_pid = await issued_codes(settings, b)
        names = {p["id"]: p["first_name"] for p in b["passengers"]}
        codes |= {names[pid]: e["payload"]["code"] for pid, e in by_pid.items()}
    airport = {"Ava", next(p["first_name"] for p in bookings[winners[0][0]]["passengers"])}
    assert len(codes) == 12
    for name in sorted(set(codes) - airport):
        r = await api.post(f"{API}/checkin", json={"code": codes[name], "last_name": "Over", "flight_id": fid})
        assert r.status_code == 200, r.text
    for name in sorted(airport):
        r = await api.post(f"{API}/checkin", json={"code": codes[name], "last_name": "Over", "flight_id": fid})
        assert assert_problem(r, 409)["code"] == "no_seat"

    r = await api.get(f"{API}/flights/{fid}/departure/gate-lists", headers=auth(tokens["agent"]))
    assert r.status_code == 200, r.text
    [cabin] = r.json()["cabins"]
    assert (cabin["seats"], cabin["passengers"], cabin["over"]) == (10, 12, 2)
    assert sorted(x["name"] for x in cabin["denied_boarding_candidates"]) == sorted(f"{n} Over" for n in airport)


async def free_seats_count(api: httpx.AsyncClient, fid: str) -> int:
    r = await api.get(f"{API}/flights/{fid}/seats")
    assert r.status_code == 200, r.text
    return sum(1 for s in r.json()["seats"] if s["state"] == "free" and s["cabin_class"] == "normal")


async def test_a_place_given_back_sells_again_and_a_seat_found_at_check_in_ends_a_place(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, services: dict[str, Any]
) -> None:
    far, flight = await overbooked_flight(api, tokens["ops"])
    fid = flight["id"]
    parties = [await draft(api, far, flight, ["Amy", "Bea", "Cal", "Dot", "Eve"])]
    parties.append(await draft(api, far, flight, ["Fay", "Gus", "Hal", "Ida", "Jon"]))
    ava, ben, lou = [await draft(api, far, flight, [name]) for name in ("Ava", "Ben", "Lou")]
    seated = await sell_seats(api, fid, parties)
    confirmed = {}
    for bid, headers in (ava, ben):
        assert (await at_airport(api, bid, headers, fid)).status_code == 200
        confirmed[bid] = await pay(api, bid, headers)
    assert await places(services, fid) == {f"{ava[0]}-P1", f"{ben[0]}-P1"}
    assert assert_problem(await at_airport(api, *lou, fid), 409)["code"] == "overbooking_full"

    # Ben cancels: his place is given back and sells again, to Lou
    r = await api.post(f"{API}/bookings/{ben[0]}/cancel", headers=ben[1], json={"reason": "plans changed"})
    assert r.status_code == 200, r.text
    assert await places(services, fid) == {f"{ava[0]}-P1"}
    assert (await at_airport(api, *lou, fid)).status_code == 200
    await pay(api, *lou)
    assert await places(services, fid) == {f"{ava[0]}-P1", f"{lou[0]}-P1"}

    # a party of five cancels: Ava, at the airport, checks in and gets one of their seats, which
    # ends her place (Lou keeps his)
    bid, headers = parties[0]
    r = await api.post(f"{API}/bookings/{bid}/cancel", headers=headers, json={"reason": "plans changed"})
    assert r.status_code == 200, r.text
    assert seated[bid]["state"] == "confirmed"
    code = (await issued_codes(settings, confirmed[ava[0]]))["P1"]["payload"]["code"]
    r = await api.post(f"{API}/checkin", json={"code": code, "last_name": "Over", "flight_id": fid})
    assert r.status_code == 200, r.text
    async with services["reservation"].runtime.db.uow() as uow:
        seats = {a.passenger_ref: a.seat for a in await ReservationRepository(uow.conn).list(fid, None)}
    assert seats.get(f"{ava[0]}-P1", "") in {s["seat"] for s in seated[bid]["seats"]}
    assert await places(services, fid) == {f"{lou[0]}-P1"}
    # her booking hears of the seat (reservation's SeatsAssigned) and shows it
    async with asyncio.timeout(60):
        while True:
            [mine] = (await api.get(f"{API}/bookings/{ava[0]}", headers=ava[1])).json()["seats"]
            if mine["seat"]:
                break
            await asyncio.sleep(0.2)
    assert (mine["seat"], mine.get("seat_at_airport", False)) == (seats[f"{ava[0]}-P1"], False)
