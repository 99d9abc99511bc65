"""Aircraft swap (issue 14, item 4) against the real services: ops change a flight's plane;
seats whose number exists on the new plane are kept, the others reseated together by the seat
rules; on a smaller plane exactly the lowest-priority bookings that no longer fit are
re-accommodated (reason aircraft_swap) and, once they accept, the passengers left without a
seat get one; the same event twice changes nothing; refusals are problem+json."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

import httpx
import pytest

from airline.booking.consumers import on_flight_plane_changed
from airline.booking.reaccommodation_store import ReaccommodationRepository
from airline.booking.store import BookingRepository
from airline.contracts.events import booking as booking_events
from airline.contracts.events import flights as flight_events
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from airline.reservation.store import ReservationRepository
from tests.support.booking import published
from tests.support.factories import create_flight, new_gate, new_plane
from tests.support.http import auth
from tests.support.reaccommodation import API, book, eventually, group, proposals, route

pytestmark = pytest.mark.usefixtures("seed_airports")

# same size as the default small plane (8 VIP, 60 normal) but its normal rows start at 4
SHIFTED = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 4, "last_row": 13, "seat_letters": "ABC DEF"},
    ]
}
# 4 VIP and 5 normal seats
SMALLER = {
    "cabins": [
        {"cabin_class": "vip", "first_row": 1, "last_row": 1, "seat_letters": "AC DF"},
        {"cabin_class": "normal", "first_row": 3, "last_row": 3, "seat_letters": "ABC DE"},
    ]
}


async def seats_of(api: httpx.AsyncClient, me: dict[str, str], bid: str, flight_id: str) -> dict[str, str]:
    b = (await api.get(f"{API}/bookings/{bid}", headers=me)).json()
    return {s["passenger_id"]: s["seat"] for s in b["seats"] if s["flight_id"] == flight_id}


async def assignments(services: dict[str, RunningService], flight_id: str) -> dict[str, tuple[str, str]]:
    """passenger -> (booking, seat) in reservation."""
    async with services["reservation"].runtime.db.uow() as uow:
        rows = await ReservationRepository(uow.conn).list(flight_id, None)
    return {a.passenger_ref: (a.booking_ref, a.seat) for a in rows}


async def swap(api: httpx.AsyncClient, ops: dict[str, str], flight_id: str, plane: str) -> httpx.Response:
    return await api.post(f"{API}/flights/{flight_id}/plane", headers=ops, json={"plane_id": plane, "reason": "swap"})


async def test_a_same_size_swap_keeps_seat_numbers_and_reseats_the_rest_together(
    api: httpx.AsyncClient, tokens: dict[str, str], services: dict[str, RunningService], settings: PlatformSettings
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    far, (f0,) = await route(api, tokens["ops"], [])
    booked = {name: await book(api, me, far, f0, group(tag, 2)) for name, tag in [("a", "Swapa"), ("b", "Swapb")]}
    booked |= {name: await book(api, me, far, f0, group(tag, 2)) for name, tag in [("c", "Swapc"), ("d", "Swapd")]}
    before = {name: await seats_of(api, me, b["id"], f0["id"]) for name, b in booked.items()}
    assert sorted(before["d"].values()) == ["4A", "4B"]  # rows 3 then 4, in booking order

    plane = await new_plane(api, tokens["ops"], layout=SHIFTED)
    r = await swap(api, ops, f0["id"], plane)
    assert r.status_code == 200, r.text
    assert r.json()["plane_id"] == plane
    assert {c["cabin_class"]: c["capacity"] for c in r.json()["seats"]} == {"vip": 8, "normal": 60}

    async def remapped() -> dict[str, tuple[str, str]] | None:
        found = await assignments(services, f0["id"])
        return found if not any(seat.startswith("3") for _, seat in found.values()) and len(found) == 8 else None

    after = await eventually(remapped)
    seats = [seat for _, seat in after.values()]
    assert len(set(seats)) == 8  # nobody double-seated
    for name, b in booked.items():
        mine = sorted(seat for bid, seat in after.values() if bid == b["id"])
        if name == "d":
            assert mine == sorted(before["d"].values())  # the seat numbers exist: kept
        else:
            assert len({s[:-1] for s in mine}) == 1, (name, mine)  # reseated together, one row
    # the bookings' seats follow, and only the reseated contacts are told, once each
    for b in booked.values():
        mine = {ref.removeprefix(f"{b['id']}-"): seat for ref, (bid, seat) in after.items() if bid == b["id"]}
        assert await eventually(lambda b=b, mine=mine: _same(api, me, b["id"], f0["id"], mine))
    for name, b in booked.items():
        async with services["booking"].runtime.db.uow() as uow:
            notes = await BookingRepository(uow.conn).notifications(b["id"])
        told = [n["message"] for n in notes if n["kind"] == "seat_changed"]
        assert len(told) == (0 if name == "d" else 1), (name, told)
    # check-in hears of each reseated passenger (a pass already issued shows the new seat)
    mine = {
        ref.removeprefix(f"{booked['a']['id']}-"): seat
        for ref, (bid, seat) in after.items()
        if bid == booked["a"]["id"]
    }
    changed = await published(
        settings.kafka_bootstrap_servers or "", booking_events.SEAT_CHANGED.topic, booked["a"]["id"], 2
    )
    assert {e["payload"]["passenger_id"]: e["payload"]["new_seat"] for e in changed} == mine
    assert {e["payload"]["old_seat"] for e in changed} == set(before["a"].values())
    # a same-size plane moves nobody
    assert not any((await proposals(api, me, [b["id"] for b in booked.values()])).values())
    # the same plane again changes nothing
    again = await swap(api, ops, f0["id"], plane)
    assert again.status_code == 200 and again.json()["version"] == r.json()["version"]


async def _same(api: httpx.AsyncClient, me: dict[str, str], bid: str, flight_id: str, want: dict[str, str]) -> bool:
    return await seats_of(api, me, bid, flight_id) == want


async def test_a_smaller_plane_re_accommodates_exactly_who_no_longer_fits(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, services: dict[str, RunningService]
) -> None:
    me, ops = auth(tokens["passenger"]), auth(tokens["ops"])
    far, (f0, f1) = await route(api, tokens["ops"], [None])
    # 7 normal passengers for 5 normal seats, by the documented priority: the family first (3),
    # then by booking time the single (1); the couple no longer fits whole and moves; the solo,
    # booked after it, still fits in the seat left (reaccommodation.excess)
    people = {
        "single": group("Swsingle", 1),
        "family": group("Swfamily", 2, 1),
        "couple": group("Swcouple", 2),
        "solo": group("Swsolo", 1),
    }
    booked = {name: await book(api, me, far, f0, p) for name, p in people.items()}
    ids = {name: b["id"] for name, b in booked.items()}

    plane = await new_plane(api, tokens["ops"], layout=SMALLER)
    r = await swap(api, ops, f0["id"], plane)
    assert r.status_code == 200, r.text

    async def moving() -> dict[str, dict[str, Any]] | None:
        found = await proposals(api, me, list(ids.values()))
        return found if found[ids["couple"]].get("state") == "proposed" else None

    found = await eventually(moving)
    p = found[ids["couple"]]
    assert p["reason"] == "aircraft_swap"
    assert [f["flight_id"] for f in p["options"][0]["flights"]] == [f1["id"]]
    assert not found[ids["family"]] and not found[ids["single"]] and not found[ids["solo"]]

    # five seats, five passengers seated, nobody twice; two wait for a seat
    seated = await assignments(services, f0["id"])
    assert len(seated) == 5 and len({seat for _, seat in seated.values()}) == 5
    assert {seat for _, seat in seated.values()} <= {"3A", "3B", "3C", "3D", "3E"}
    async with services["reservation"].runtime.db.uow() as uow:
        waiting = await ReservationRepository(uow.conn).displaced_of(f0["id"])
    assert len(waiting) == 2

    # the same event twice changes nothing (the handlers run again, past the consumers' dedupe)
    events = await published(settings.kafka_bootstrap_servers or "", flight_events.FLIGHT_PLANE_CHANGED.topic, f0["id"])
    envelope = Envelope.from_json(json.dumps(events[0]))
    reservation = services["reservation"].parts.service  # type: ignore[attr-defined]
    async with services["reservation"].runtime.db.uow() as uow:
        await reservation.on_plane_changed(uow, envelope)
        await uow.commit()
    async with services["booking"].runtime.db.uow() as uow:
        await on_flight_plane_changed(uow, envelope)
        await uow.commit()
    assert await assignments(services, f0["id"]) == seated
    async with services["booking"].runtime.db.uow() as uow:
        runs = await ReaccommodationRepository(uow.conn).runs_of(f0["id"])
    assert [(run.reason, sorted(run.scope)) for run in runs] == [("aircraft_swap", [ids["couple"]])]

    # the excess accept: their seats go back, and the passengers left without one get them
    r = await api.post(f"{API}/bookings/{ids['couple']}/reaccommodation/accept", headers=me, json={})
    assert r.status_code == 200, r.text
    assert [leg["flight_id"] for leg in r.json()["legs"]] == [f1["id"]]

    async def everyone_seated() -> dict[str, tuple[str, str]] | None:
        found = await assignments(services, f0["id"])
        return found if len(found) == 5 and Counter(b for b, _ in found.values()) == want else None

    want = Counter({ids["family"]: 3, ids["single"]: 1, ids["solo"]: 1})
    final = await eventually(everyone_seated)
    assert len({seat for _, seat in final.values()}) == 5
    async with services["reservation"].runtime.db.uow() as uow:
        assert not await ReservationRepository(uow.conn).displaced_of(f0["id"])
    events = await published(
        settings.kafka_bootstrap_servers or "", booking_events.BOOKING_REACCOMMODATED.topic, ids["couple"]
    )
    assert events[0]["payload"]["reason"] == "aircraft_swap"


async def test_refusals_are_problem_json(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = auth(tokens["ops"])
    far, (f0,) = await route(api, tokens["ops"], [])
    r = await swap(api, ops, f0["id"], "Q9999")
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert "Q9999" in r.json()["detail"]
    # a plane flying at the same time elsewhere is busy
    busy = await new_plane(api, tokens["ops"])
    departure = datetime.fromisoformat(f0["scheduled_departure"].replace("Z", "+00:00"))
    await create_flight(
        api, tokens["ops"], plane=busy, gate=await new_gate(api, tokens["ops"]), departure=departure, destination=far
    )
    r = await swap(api, ops, f0["id"], busy)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json"), r.text
    # nobody but ops
    plane = await new_plane(api, tokens["ops"])
    r = await swap(api, auth(tokens["cs"]), f0["id"], plane)
    assert r.status_code == 403, r.text
    # a departed flight keeps its plane
    for step in ("boarding", "departed"):
        r = await api.post(f"{API}/flights/{f0['id']}/status", headers=ops, json={"status": step})
        assert r.status_code == 200, r.text
    r = await swap(api, ops, f0["id"], plane)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert "scheduled or delayed" in r.json()["detail"]
