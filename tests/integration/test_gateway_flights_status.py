"""A flight's lifecycle through the gateway (status steps, gate changes, delays, cancellations,
diversions) and the live feed's flight event topics, against the real flights and airport
services.

Every test flies its own planes from its own gates (created here, based at the seed's home
airport XSP) at random times weeks ahead, so no test collides with another test file's flights.
"""

from __future__ import annotations

from datetime import timedelta, timezone

import httpx
import pytest

from tests.support.factories import HOME, create_flight, new_gate, new_plane, some_day_ahead, utc
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.usefixtures("seed_airports")


# --- the live feed ---------------------------------------------------------------------------


def test_the_live_feed_follows_every_flight_event_topic() -> None:
    """The gateway follows every flight event the catalogue declares (each carries the flight's
    snapshot), and the announcements."""
    from airline.contracts.events import CATALOGUE
    from airline.contracts.events import flights as flight_events
    from airline.gateway import live

    published = {
        topic
        for topic, e in CATALOGUE.items()
        if e.domain == "flights" and issubclass(e.payload, flight_events.FlightChange)
    }
    assert flight_events.FLIGHT_PLANE_CHANGED.topic in published  # an aircraft swap shows on the boards too
    assert len(published) == 9 and published == set(live.FLIGHT_TOPICS)
    assert live.ANNOUNCEMENT_TOPIC == flight_events.ANNOUNCEMENT_MADE.topic


# --- the lifecycle -----------------------------------------------------------------------------


async def test_lifecycle_and_a_step_it_does_not_allow_is_409(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    plane, gate = await new_plane(api, ops), await new_gate(api, ops)
    flight = await create_flight(api, ops, plane=plane, gate=gate, departure=some_day_ahead())
    fid = flight["id"]
    versions = [flight["version"]]
    for status in ("boarding", "departed", "arrived"):
        r = await api.post(f"/api/v1/flights/{fid}/status", json={"status": status}, headers=auth(ops))
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
        versions.append(r.json()["version"])
    assert versions == sorted(versions) and len(set(versions)) == 4
    landed = r.json()
    assert landed["actual_departure"] and landed["actual_arrival"]
    assert landed["actual_departure_local"].endswith("+08:00")

    r = await api.post(f"/api/v1/flights/{fid}/status", json={"status": "boarding"}, headers=auth(ops))
    problem = assert_problem(r, 409)
    assert "arrived" in problem["detail"] and "boarding" in problem["detail"]
    assert_problem(await api.post(f"/api/v1/flights/{fid}/cancel", json={"reason": "too late"}, headers=auth(ops)), 409)
    r = await api.get(f"/api/v1/flights/{fid}")
    assert r.json()["status"] == "arrived" and r.json()["version"] == versions[-1]


async def test_gate_change_delay_cancel_and_divert(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = tokens["ops"]
    plane, gate, other_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops)
    departure = some_day_ahead()
    flight = await create_flight(api, ops, plane=plane, gate=gate, departure=departure, destination="BKK")
    fid = flight["id"]

    r = await api.post(
        f"/api/v1/flights/{fid}/gate", json={"gate": other_gate.lower(), "reason": "gate closed"}, headers=auth(ops)
    )
    assert r.status_code == 200, r.text
    assert r.json()["gate"] == other_gate

    new_departure = departure + timedelta(minutes=50)
    r = await api.post(
        f"/api/v1/flights/{fid}/delay",
        headers=auth(ops),
        json={
            "new_departure": new_departure.astimezone(timezone(timedelta(hours=8))).isoformat(),
            "delay_code": "93",
            "reason": "late inbound aircraft",
        },
    )
    assert r.status_code == 200, r.text
    delayed = r.json()
    assert delayed["status"] == "delayed" and delayed["delay_code"] == "93"
    assert delayed["status_reason"] == "late inbound aircraft"
    assert utc(delayed["estimated_departure"]) == new_departure
    assert utc(delayed["estimated_arrival"]) == new_departure + timedelta(minutes=140)  # shifted alike
    assert utc(delayed["scheduled_departure"]) == departure

    r = await api.get("/api/v1/announcements", params={"flight_id": fid})
    assert r.status_code == 200, r.text
    kinds = {a["kind"] for a in r.json()["announcements"]}
    assert "delay" in kinds, r.json()
    assert all(a["airport"] == HOME and a["flight_number"] == flight["number"] for a in r.json()["announcements"])

    for status in ("boarding", "departed"):
        assert (
            await api.post(f"/api/v1/flights/{fid}/status", json={"status": status}, headers=auth(ops))
        ).status_code == 200
    r = await api.post(
        f"/api/v1/flights/{fid}/divert",
        headers=auth(ops),
        json={
            "diverted_to": "cgk",
            "reason": "weather at BKK",
            "estimated_arrival": (new_departure + timedelta(hours=3)).isoformat(),
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "diverted" and r.json()["diverted_to"] == "CGK"

    # the diverted plane is at CGK now: the next flight from XSP takes another one
    second = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=gate, departure=departure + timedelta(days=2)
    )
    r = await api.post(f"/api/v1/flights/{second['id']}/cancel", json={"reason": "technical fault"}, headers=auth(ops))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled" and r.json()["status_reason"] == "technical fault"
    assert_problem(
        await api.post(
            f"/api/v1/flights/{second['id']}/delay",
            headers=auth(ops),
            json={
                "new_departure": (departure + timedelta(days=2, hours=1)).isoformat(),
                "delay_code": "93",
                "reason": "late",
            },
        ),
        409,
    )
