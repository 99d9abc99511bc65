"""The crew API through the gateway (real HTTP) against the running crew, flights and airport
services: ops manage the roster and flight crews, crew members answer their own assignments,
and nobody else sees any of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from airline.platform.auth import Role
from airline.platform.settings import SERVICES
from tests.support.crew import CrewWorld, dt, later
from tests.support.http import assert_problem, auth

pytestmark = pytest.mark.skipif("crew" not in SERVICES, reason="the gateway reaches crew once it is a platform service")


def bearer(metadata: Any) -> dict[str, str]:
    return {"Authorization": dict(metadata)["authorization"]}


async def test_crew_flow_through_the_gateway(api: httpx.AsyncClient, world: CrewWorld, as_role) -> None:  # type: ignore[no-untyped-def]
    ops = bearer(world.ops)
    created = []
    for role, n in (("captain", 2), ("first_officer", 1), ("purser", 1), ("flight_attendant", 2)):
        for i in range(n):
            user_id = f"gw-crew-{role}-{i}-{world.type}"
            r = await api.post(
                "/api/v1/crew/members",
                headers=ops,
                json={
                    "name": f"GW {role} {i}",
                    "role": role,
                    "qualifications": [world.type],
                    "home_base": world.home.lower(),
                    "email": f"{user_id}@crew.test",
                    "user_id": user_id,
                },
            )
            assert r.status_code == 201, r.text
            created.append(r.json())
    assert created[0]["home_base"] == world.home and created[0]["absences"] == []
    r = await api.get("/api/v1/crew/members", headers=ops, params={"home_base": world.home})
    assert {m["id"] for m in r.json()["members"]} == {m["id"] for m in created}
    members = {m["id"]: m for m in created}

    def me(member_id: str) -> dict[str, str]:
        return bearer(as_role(Role.CREW, members[member_id]["user_id"]))

    f = await world.flight(later(30))
    r = await api.post(f"/api/v1/flights/{f.id}/crew/propose", headers=ops)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["readiness"] == "pending" and body["short_roles"] == []
    assigned = {a["member_id"]: a for a in body["assignments"]}
    assert len(assigned) == 5

    captain = next(a for a in body["assignments"] if a["role"] == "captain")
    spare = next(m for m in created if m["role"] == "captain" and m["id"] != captain["member_id"])
    fo = next(a for a in body["assignments"] if a["role"] == "first_officer")

    # a crew member sees their own assignment and schedule
    r = await api.get("/api/v1/crew/me/assignments", headers=me(captain["member_id"]))
    assert r.status_code == 200
    assert [a["id"] for a in r.json()["assignments"]] == [captain["id"]]
    assert r.json()["member"]["id"] == captain["member_id"]
    r = await api.get("/api/v1/crew/me/notifications", headers=me(captain["member_id"]))
    assert any(n["assignment_id"] == captain["id"] for n in r.json()["notifications"])

    # nobody answers another member's assignment
    r = await api.post(f"/api/v1/crew/assignments/{captain['id']}/accept", headers=me(fo["member_id"]))
    assert_problem(r, 404)
    r = await api.post(
        f"/api/v1/crew/assignments/{captain['id']}/decline", headers=me(fo["member_id"]), json={"reason": "x"}
    )
    assert_problem(r, 404)
    # ops is not a crew member: the crew routes are for crew
    r = await api.post(f"/api/v1/crew/assignments/{captain['id']}/accept", headers=bearer(as_role(Role.PASSENGER)))
    assert_problem(r, 403)
    r = await api.post(f"/api/v1/crew/assignments/{captain['id']}/decline", headers=me(captain["member_id"]), json={})
    assert_problem(r, 422)

    r = await api.post(f"/api/v1/crew/assignments/{fo['id']}/accept", headers=me(fo["member_id"]))
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    r = await api.post(
        f"/api/v1/crew/assignments/{captain['id']}/decline",
        headers=me(captain["member_id"]),
        json={"reason": "medical appointment"},
    )
    assert r.status_code == 200 and r.json()["state"] == "declined"

    # the replacement is proposed and announced
    r = await api.get(f"/api/v1/flights/{f.id}/crew", headers=ops)
    fc = r.json()
    replacement = [a for a in fc["assignments"] if a["role"] == "captain" and a["state"] == "proposed"]
    assert [a["member_id"] for a in replacement] == [spare["id"]]
    r = await api.get("/api/v1/crew/me/notifications", headers=me(spare["id"]))
    assert any(n["assignment_id"] == replacement[0]["id"] for n in r.json()["notifications"])
    r = await api.post(
        f"/api/v1/crew/assignments/{replacement[0]['id']}/decline", headers=me(spare["id"]), json={"reason": "no"}
    )
    fc = (await api.get(f"/api/v1/flights/{f.id}/crew", headers=ops)).json()
    assert fc["readiness"] == "short" and fc["short_roles"] == ["captain"]

    # availability and manual assignment with an override
    dep = dt(f.estimated_departure)
    r = await api.put(
        f"/api/v1/crew/members/{captain['member_id']}/availability",
        headers=ops,
        json={
            "absences": [
                {
                    "kind": "sickness",
                    "starts_at": (dep - timedelta(days=1)).isoformat(),
                    "ends_at": (dep + timedelta(days=1)).isoformat(),
                }
            ]
        },
    )
    assert r.status_code == 200 and r.json()["absences"][0]["kind"] == "sickness"
    r = await api.put(
        f"/api/v1/crew/members/{captain['member_id']}/availability",
        headers=ops,
        json={"absences": [{"kind": "holiday", "starts_at": dep.isoformat(), "ends_at": dep.isoformat()}]},
    )
    assert_problem(r, 422)
    r = await api.post(f"/api/v1/flights/{f.id}/crew", headers=ops, json={"member_id": captain["member_id"]})
    assert_problem(r, 409)
    assert "unavailable" in r.json()["detail"]
    r = await api.post(
        f"/api/v1/flights/{f.id}/crew",
        headers=ops,
        json={"member_id": captain["member_id"], "override_reason": "fit to fly, doctor's note"},
    )
    assert r.status_code == 200, r.text
    mine = [a for a in r.json()["assignments"] if a["member_id"] == captain["member_id"] and a["state"] == "proposed"]
    assert mine[0]["override_reason"] and mine[0]["violations"][0]["rule"] == "unavailable"
    r = await api.delete(f"/api/v1/flights/{f.id}/crew/{captain['member_id']}", headers=ops, params={"reason": "swap"})
    assert r.status_code == 200 and "captain" in r.json()["short_roles"]

    # the roster
    r = await api.get(
        "/api/v1/crew/roster",
        headers=ops,
        params={"from": (dep - timedelta(days=1)).isoformat(), "to": (dep + timedelta(days=1)).isoformat()},
    )
    assert r.status_code == 200
    rows = {e["member"]["id"]: e["assignments"] for e in r.json()["entries"]}
    assert {a["flight_id"] for a in rows[fo["member_id"]]} == {f.id}


async def test_who_may_see_the_roster(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    for role in ("passenger", "crew", "agent", "cs", "inventory"):
        for path in ("/api/v1/crew/roster", "/api/v1/crew/members"):
            assert_problem(await api.get(path, headers=auth(tokens[role])), 403)
    assert_problem(await api.get("/api/v1/crew/roster"), 401)
    assert (await api.get("/api/v1/crew/roster", headers=auth(tokens["ops"]))).status_code == 200
    assert (await api.get("/api/v1/crew/roster", headers=auth(tokens["admin"]))).status_code == 200
    for role in ("passenger", "ops"):
        assert_problem(await api.get("/api/v1/crew/me/assignments", headers=auth(tokens[role])), 403)
    # a crew login without a crew member record
    assert_problem(await api.get("/api/v1/crew/me/assignments", headers=auth(tokens["crew"])), 404)
