"""Customer service's booking search through the gateway, against the real services: names
found despite accents, case and a misspelling; the PNR itself first; e-mail, phone, flight and
date; who may search (cs, ops) and what a search must give."""

from __future__ import annotations

import random
import string
from typing import Any

import httpx
import pytest

from tests.support.booking import free_seats, offer_for, route_with_round_trip, travel_day
from tests.support.factories import CARD_OK, key, person
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")
SEARCH = "/api/v1/bookings/search"


def _token(n: int = 6) -> str:
    return "".join(random.choices(string.ascii_lowercase, k=n))


async def _booked(api: httpx.AsyncClient, ops: str, first: str, last: str, email: str, phone: str) -> dict[str, Any]:
    """A confirmed one-way booking for one adult with these names and contact."""
    far, outbound, _ = await route_with_round_trip(api, ops)
    offer = await offer_for(api, far, outbound, None, adults=1)
    r = await api.post("/api/v1/bookings", json={"offer_id": offer["offer_id"]})
    assert r.status_code == 201, r.text
    bid, me = r.json()["id"], {"X-Manage-Token": r.json()["manage_token"]}
    people = [person("adult", first, last, "1985-12-10")]
    r = await api.put(
        f"/api/v1/bookings/{bid}/passengers",
        headers=me,
        json={"passengers": people, "contact": {"email": email, "phone": phone}},
    )
    assert r.status_code == 200, r.text
    seat = (await free_seats(api, outbound["id"], 1))[0]
    r = await api.put(
        f"/api/v1/bookings/{bid}/seats",
        headers=me,
        json={"flight_id": outbound["id"], "seats": [{"passenger_id": "P1", "seat": seat}]},
    )
    assert r.status_code == 200, r.text
    r = await api.post(f"/api/v1/bookings/{bid}/pay", headers=me | {"Idempotency-Key": key()}, json={"method": CARD_OK})
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    return {"booking": r.json(), "flight": outbound}


async def _ids(api: httpx.AsyncClient, token: str, **params: Any) -> list[str]:
    r = await api.get(SEARCH, params=params, headers=auth(token))
    assert r.status_code == 200, r.text
    return [h["id"] for h in r.json()["bookings"]]


async def test_cs_finds_a_booking_by_name_forgivingly_and_by_contact_and_flight(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    tag = _token()
    last = f"Nguyễn{tag}"
    email = f"Desk.{tag}@Example.com"
    phone = "+65 8" + "".join(random.choices(string.digits, k=7))
    made = await _booked(api, tokens["ops"], "Hoàng", last, email, phone)
    booking, flight = made["booking"], made["flight"]
    cs = tokens["cs"]

    # accents and case, then a letter missing, then a letter wrong: the booking is found
    for q in (f"nguyen{tag}", f"NGUYỄN{tag.upper()}", f"Nguen{tag}", f"hoang nguyem{tag}"):
        assert booking["id"] in await _ids(api, cs, q=q), q

    r = await api.get(SEARCH, params={"q": f"nguyen{tag}"}, headers=auth(cs))
    hit = next(h for h in r.json()["bookings"] if h["id"] == booking["id"])
    assert hit["pnr"] == booking["pnr"] and hit["state"] == "confirmed"
    assert [(p["first_name"], p["last_name"]) for p in hit["passengers"]] == [("Hoàng", last)]
    assert hit["contact"] == {"email": booking["contact"]["email"], "phone": booking["contact"]["phone"]}
    assert [(leg["flight_id"], leg["number"], leg["date"]) for leg in hit["legs"]] == [
        (flight["id"], flight["number"], travel_day(flight).isoformat())
    ]
    assert 0 < hit["score"] <= 1

    # the PNR itself ranks first (any case)
    r = await api.get(SEARCH, params={"q": booking["pnr"].lower()}, headers=auth(cs))
    assert r.status_code == 200, r.text
    assert r.json()["bookings"][0]["id"] == booking["id"] and r.json()["bookings"][0]["score"] == 2

    # e-mail (any case), phone (its digits), flight + its local date; criteria combine
    assert booking["id"] in await _ids(api, cs, email=email.lower())
    assert booking["id"] in await _ids(api, cs, phone=phone.replace(" ", "").replace("+", ""))
    day = travel_day(flight).isoformat()
    assert booking["id"] in await _ids(api, cs, flight=flight["number"].lower(), date=day)
    assert booking["id"] in await _ids(api, cs, flight=flight["number"], date=day, q=f"nguyen{tag}")
    other_day = travel_day(flight).replace(year=travel_day(flight).year + 1).isoformat()
    assert await _ids(api, cs, flight=flight["number"], date=other_day) == []
    assert await _ids(api, cs, email=email, q="zzqxwv" + tag) == []
    # ops may search too
    assert booking["id"] in await _ids(api, tokens["ops"], email=email)


async def test_who_may_search_and_what_a_search_needs(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    r = await api.get(SEARCH, params={"q": "Lovelace"})
    assert_problem(r, 401)
    for role in ("passenger", "agent"):
        r = await api.get(SEARCH, params={"q": "Lovelace"}, headers=auth(tokens[role]))
        assert_problem(r, 403)
    cs = auth(tokens["cs"])
    assert_problem(await api.get(SEARCH, headers=cs), 422)
    assert_problem(await api.get(SEARCH, params={"q": "  "}, headers=cs), 422)
    assert_problem(await api.get(SEARCH, params={"email": "not-an-address"}, headers=cs), 422)
    assert_problem(await api.get(SEARCH, params={"phone": "12"}, headers=cs), 422)
    assert_problem(await api.get(SEARCH, params={"flight": "not a flight"}, headers=cs), 422)
    assert_problem(await api.get(SEARCH, params={"date": "2030-01-01"}, headers=cs), 422)  # date needs a flight
    assert_problem(await api.get(SEARCH, params={"flight": "SQ1", "date": "tomorrow"}, headers=cs), 422)
    assert_problem(await api.get(SEARCH, params={"q": "Lovelace", "page_size": 0}, headers=cs), 422)
