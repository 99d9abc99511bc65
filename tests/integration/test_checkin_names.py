"""Names of the real world check in: a booking for 王, Nguyễn, Müller and O'Brien keeps their
names as given; each checks in through the gateway with the name as written or as the
passport spells it, and the boarding pass's BCBP name field is A-Z."""

from __future__ import annotations

import re

import httpx
import pytest

from airline.checkin import bcbp
from airline.platform.settings import PlatformSettings
from tests.support.booking import book, issued_codes, near_trip
from tests.support.factories import person
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")
API = "/api/v1"


async def test_non_latin_and_accented_names_check_in_with_an_a_to_z_boarding_pass(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    far, outbound, inbound = await near_trip(api, tokens["ops"])
    people = [
        person("adult", "小明", "王", "1980-02-03"),
        person("adult", "Thị Minh", "Nguyễn", "1991-07-08"),
        person("adult", "Jürgen", "Müller", "1975-11-12"),
        person("adult", "Seán", "O'Brien", "1988-04-05"),
    ]
    booking = await book(api, tokens["passenger"], far, outbound, inbound, people, adults=4)
    # stored and shown as given
    assert [(p["first_name"], p["last_name"]) for p in booking["passengers"]] == [
        ("小明", "王"),
        ("Thị Minh", "Nguyễn"),
        ("Jürgen", "Müller"),
        ("Seán", "O'Brien"),
    ]
    r = await api.get(f"{API}/bookings/{booking['id']}", headers=auth(tokens["passenger"]))
    assert r.status_code == 200, r.text
    assert [p["last_name"] for p in r.json()["passengers"]] == ["王", "Nguyễn", "Müller", "O'Brien"]

    codes = {pid: e["payload"]["code"] for pid, e in (await issued_codes(settings, booking)).items()}
    typed = {"P1": "王", "P2": "nguyen", "P3": "Mueller", "P4": "OBRIEN"}
    expected = {"P1": "WANG/XIAOMING", "P2": "NGUYEN/THI MINH", "P3": "MUELLER/JUERGEN", "P4": "OBRIEN/SEAN"}
    for pid, last_name in typed.items():
        r = await api.post(
            f"{API}/checkin", json={"code": codes[pid], "last_name": last_name, "flight_id": outbound["id"]}
        )
        assert r.status_code == 200, (pid, r.text)
        [p] = r.json()["passes"]
        assert (p["passenger_id"], p["last_name"]) == (pid, booking["passengers"][int(pid[1]) - 1]["last_name"])
        field = p["bcbp"][2:22]
        assert re.fullmatch(r"[A-Z /]{20}", field), p["bcbp"]
        assert field.rstrip() == expected[pid]
        assert bcbp.parse(p["bcbp"]).name == expected[pid]
    # the other spellings of the same names open the same passes; a different name does not
    for pid, other in (("P1", "Wang"), ("P2", "Nguyễn"), ("P3", "Müller"), ("P3", "muller"), ("P4", "O’Brien")):
        r = await api.post(f"{API}/checkin", json={"code": codes[pid], "last_name": other, "flight_id": outbound["id"]})
        assert r.status_code == 200, (pid, other, r.text)
    assert_problem(
        await api.post(f"{API}/checkin", json={"code": codes["P1"], "last_name": "Li", "flight_id": outbound["id"]}),
        404,
    )
    # the agent's scan of the pass reads it back
    r = await api.get(f"{API}/flights/{outbound['id']}/passengers", headers=auth(tokens["agent"]))
    assert r.status_code == 200, r.text
    assert {x["last_name"] for x in r.json()["passengers"] if x["booking_id"] == booking["id"]} == {
        "王",
        "Nguyễn",
        "Müller",
        "O'Brien",
    }
