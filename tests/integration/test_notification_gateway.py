"""Notifications through the gateway (the SMS outbox staff and developers read) and staff
waiting-hall announcements reaching the live departures stream."""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from typing import Any

import grpc
import httpx
import pytest

from airline.contracts.events import checkin as checkin_events
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1 import flights_pb2_grpc as fpb_grpc
from airline.platform.auth import Role
from airline.platform.settings import PlatformSettings
from tests.support.factories import HOME, create_flight, new_gate, new_plane
from tests.support.http import assert_problem, auth, soon, stream, wait_until_live
from tests.support.notification import PHONE, checkin_event, publish

pytestmark = pytest.mark.usefixtures("seed_airports")


def sms(text: str, reference: str) -> dict[str, Any]:
    return {"channel": "sms", "recipient": PHONE, "kind": "generic", "params": {"text": text}, "reference": reference}


async def test_staff_read_the_sms_outbox_newest_first_in_pages(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    reference = f"GW{secrets.token_hex(4)}"
    ids = []
    for i in range(3):
        r = await api.post("/api/v1/notifications", json=sms(f"note {i}", reference), headers=auth(tokens["ops"]))
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "sent" and body["provider"] == "local" and body["body"] == f"note {i}"
        ids.append(body["id"])
    for role in ("admin", "ops", "cs"):
        r = await api.get(
            "/api/v1/notifications", params={"reference": reference, "page_size": 2}, headers=auth(tokens[role])
        )
        assert r.status_code == 200, r.text
        first = r.json()
        assert [m["id"] for m in first["messages"]] == [ids[2], ids[1]] and first["next_page_token"]
    r = await api.get(
        "/api/v1/notifications",
        headers=auth(tokens["cs"]),
        params={"reference": reference, "page_size": 2, "page_token": first["next_page_token"]},
    )
    assert [m["id"] for m in r.json()["messages"]] == [ids[0]] and r.json()["next_page_token"] == ""
    r = await api.get(f"/api/v1/notifications/{ids[0]}", headers=auth(tokens["cs"]))
    assert r.status_code == 200 and r.json()["body"] == "note 0" and r.json()["recipient"] == PHONE


async def test_passengers_and_agents_may_not_read_the_outbox(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    for role in ("passenger", "agent", "crew", "inventory"):
        body = assert_problem(await api.get("/api/v1/notifications", headers=auth(tokens[role])), 403)
        assert body["code"] == "permission_denied"
        assert_problem(await api.get(f"/api/v1/notifications/{uuid.uuid4()}", headers=auth(tokens[role])), 403)
    assert_problem(await api.get("/api/v1/notifications"), 401)
    for role in ("cs", "agent", "passenger"):
        assert_problem(await api.post("/api/v1/notifications", json=sms("hi", ""), headers=auth(tokens[role])), 403)


async def test_a_retried_post_with_the_same_idempotency_key_sends_once(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    reference = f"IK{secrets.token_hex(4)}"
    headers = auth(tokens["ops"]) | {"Idempotency-Key": str(uuid.uuid4())}
    replies = await asyncio.gather(
        *(
            api.post("/api/v1/notifications", json=sms("Gate X2 closes in 10 minutes.", reference), headers=headers)
            for _ in range(6)
        )
    )
    assert {r.status_code for r in replies} == {201}
    assert len({r.json()["id"] for r in replies}) == 1
    r = await api.get("/api/v1/notifications", params={"reference": reference}, headers=auth(tokens["ops"]))
    assert len(r.json()["messages"]) == 1
    body = assert_problem(
        await api.post("/api/v1/notifications", json=sms("Something else.", reference), headers=headers), 409
    )
    assert body["code"] == "idempotency_key_reused"
    assert_problem(
        await api.post(
            "/api/v1/notifications",
            json=sms("x", reference),
            headers=auth(tokens["ops"]) | {"Idempotency-Key": "has space"},
        ),
        422,
    )


async def test_bad_messages_are_refused_with_a_clear_problem(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops = auth(tokens["ops"])
    body = assert_problem(
        await api.post("/api/v1/notifications", json=sms("hi", "") | {"recipient": "91234567"}, headers=ops), 422
    )
    assert "E.164" in body["detail"]
    assert_problem(await api.post("/api/v1/notifications", json=sms("hi", "") | {"kind": "weather"}, headers=ops), 422)
    body = assert_problem(
        await api.post(
            "/api/v1/notifications",
            headers=ops,
            json={
                "channel": "email",
                "recipient": "ada@example.com",
                "kind": "checkin_code",
                "params": {"code": "7KQ2M9XA", "pnr": "K7Q2XA"},
            },
        ),
        422,
    )
    assert "sms" in body["detail"]
    assert_problem(await api.get(f"/api/v1/notifications/{uuid.uuid4()}", headers=ops), 404)
    assert_problem(await api.get("/api/v1/notifications", params={"page_token": "forged"}, headers=ops), 422)
    assert_problem(await api.get("/api/v1/notifications", params={"status": "delivered"}, headers=ops), 422)


async def test_a_checkin_code_sms_is_readable_through_the_api(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    booking = str(uuid.uuid4())
    await publish(settings, checkin_events.CODE_ISSUED.topic, checkin_event(booking, "p1", "4HX7QK2M"))
    deadline = time.monotonic() + 60
    while True:
        r = await api.get(
            "/api/v1/notifications",
            params={"reference": booking, "kind": "checkin_code"},
            headers=auth(tokens["admin"]),
        )
        assert r.status_code == 200, r.text
        if r.json()["messages"] or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    [message] = r.json()["messages"]
    assert message["channel"] == "sms" and message["recipient"] == PHONE and "4HX7QK2M" in message["body"]


async def test_the_openapi_documents_notifications(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/api/v1/openapi.json")).json()
    assert "notifications" in {t["name"] for t in spec["tags"]}
    assert spec["paths"]["/api/v1/notifications"]["get"]["tags"] == ["notifications"]
    assert {"post", "get"} <= set(spec["paths"]["/api/v1/notifications"])
    assert "/api/v1/notifications/{message_id}" in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/flights/{flight_id}/announcements"]


# ---------------------------------------------------------------- waiting-hall announcements


async def test_staff_calls_reach_the_waiting_hall_stream(
    api: httpx.AsyncClient, gateway_url: str, tokens: dict[str, str]
) -> None:
    ops, agent = tokens["ops"], tokens["agent"]
    gate, other_gate = await new_gate(api, ops), await new_gate(api, ops)
    flight = await create_flight(api, ops, plane=await new_plane(api, ops), gate=gate, departure=soon())
    fid = flight["id"]
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as hall:
        async with stream(hall, f"/api/v1/airports/{HOME}/departures/live") as board:
            assert (await board.next())["event"] == "snapshot"
            await wait_until_live(api, ops, board, fid, [other_gate, gate])
            r = await api.get(f"/api/v1/flights/{fid}", headers=auth(ops))
            gate_now = r.json()["gate"]
            r = await api.post(f"/api/v1/flights/{fid}/announcements", json={"kind": "go_to_gate"}, headers=auth(agent))
            assert r.status_code == 201, r.text
            made = r.json()
            assert made["kind"] == "go_to_gate" and made["airport"] == HOME
            assert made["message"].startswith(f"Passengers of {flight['number']} to ")
            assert made["message"].endswith(f"please go to gate {gate_now}.")
            event = await board.until(
                lambda e: e["event"] == "announcement" and e["data"]["id"] == made["id"], timeout=10
            )
            assert event["data"]["message"] == made["message"]

            r = await api.post(
                f"/api/v1/flights/{fid}/announcements",
                headers=auth(ops),
                json={"kind": "free_text", "text": "Families with small children may board first."},
            )
            assert r.status_code == 201, r.text
            free = r.json()
            await board.until(lambda e: e["event"] == "announcement" and e["data"]["id"] == free["id"], timeout=10)
    r = await api.get("/api/v1/announcements", params={"flight_id": fid})
    kinds = [a["kind"] for a in r.json()["announcements"]]
    assert "go_to_gate" in kinds and "free_text" in kinds


async def test_staff_calls_are_checked(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    ops, agent = tokens["ops"], tokens["agent"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=soon()
    )
    path = f"/api/v1/flights/{flight['id']}/announcements"
    for role in ("passenger", "crew", "cs"):
        assert_problem(await api.post(path, json={"kind": "final_call"}, headers=auth(tokens[role])), 403)
    assert_problem(await api.post(path, json={"kind": "final_call"}), 401)
    assert_problem(await api.post(path, json={"kind": "delay"}, headers=auth(agent)), 422)
    assert_problem(await api.post(path, json={"kind": "free_text", "text": "x" * 301}, headers=auth(agent)), 422)
    assert_problem(await api.post(path, json={"kind": "free_text", "text": "  "}, headers=auth(agent)), 422)
    assert_problem(
        await api.post(
            f"/api/v1/flights/{uuid.uuid4()}/announcements", json={"kind": "final_call"}, headers=auth(agent)
        ),
        404,
    )
    r = await api.post(path, json={"kind": "final_call"}, headers=auth(agent))
    assert r.status_code == 201 and r.json()["message"].startswith("Final call for passengers of")
    r = await api.post(f"/api/v1/flights/{flight['id']}/cancel", json={"reason": "technical fault"}, headers=auth(ops))
    assert r.status_code == 200, r.text
    body = assert_problem(await api.post(path, json={"kind": "go_to_gate"}, headers=auth(agent)), 409)
    assert "cancelled" in body["detail"]


async def test_the_flights_service_checks_who_makes_a_call(
    services: dict[str, Any], as_role: Any, api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """The role check holds on the RPC too, not only in the gateway."""
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=soon()
    )
    request = fpb.MakeAnnouncementRequest(flight_id=flight["id"], kind="go_to_gate")
    async with grpc.aio.insecure_channel(services["flights"].target) as channel:
        stub = fpb_grpc.FlightServiceStub(channel)
        for role in (Role.PASSENGER, Role.CS, Role.CREW):
            with pytest.raises(grpc.aio.AioRpcError) as e:
                await stub.MakeAnnouncement(request, metadata=as_role(role))
            assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
        made = await stub.MakeAnnouncement(request, metadata=as_role(Role.AGENT))
        assert made.kind == "go_to_gate" and made.flight_id == flight["id"]
