"""Baggage against every real service, through the gateway: a really confirmed booking, bags
dropped within and beyond the allowance, the excess paid through the payment service, tags,
tracking scans published on Kafka, who may see and do what, manifests, search, concurrent tag
issuing and the live bag stream."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
import uuid
from typing import Any

import grpc
import httpx
import pytest

from airline.baggage.v1 import baggage_pb2 as pb
from airline.baggage.v1 import baggage_pb2_grpc as pb_grpc
from airline.contracts.events import baggage as baggage_events
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.settings import PlatformSettings
from tests.support.booking import bag_body, confirmed_booking, drop, offer_for, published, scan
from tests.support.factories import CARD_DECLINED, CARD_OK, CONTACT, key
from tests.support.http import assert_problem, auth, stream

pytestmark = pytest.mark.usefixtures("seed_airports")

TAG = re.compile(r"^0738\d{6}$")


async def new_passenger(api: httpx.AsyncClient, tokens: dict[str, str]) -> str:
    email, password = f"pax-{secrets.token_hex(4)}@test.airline", "passenger-password-123"
    r = await api.post(
        "/api/v1/users",
        headers=auth(tokens["admin"]),
        json={"email": email, "password": password, "full_name": "Someone Else", "role": "passenger"},
    )
    assert r.status_code == 201, r.text
    r = await api.post("/api/v1/auth/login", json={"email": email, "password": password})
    return r.json()["access_token"]  # type: ignore[no-any-return]


async def test_bags_within_the_allowance_are_accepted_and_beyond_it_wait_until_paid(
    api: httpx.AsyncClient, tokens: dict[str, str], embedded_stack_kafka: str
) -> None:
    trip = await confirmed_booking(api, tokens, extra={"P1": 1})
    booking = trip["booking"]

    # P1: 1 piece in the fare + 1 bought -> two bags accepted at once, each with its own tag
    first = await drop(api, tokens, bag_body(trip, kg="23.0", location="counter 4"))
    assert first["status"] == "checked_in" and TAG.fullmatch(first["tag"]) and first["fee"] == 0
    assert (first["pnr"], first["passenger_name"], first["weight_g"]) == (booking["pnr"], "Ada Lovelace", 23000)
    assert first["flight_number"] == trip["flight"]["number"] and first["plane_id"] == trip["flight"]["plane_id"]
    assert first["plane_registration"].startswith("9V-")
    second = await drop(api, tokens, bag_body(trip, kg="12.25"))
    assert second["status"] == "checked_in" and second["tag"] != first["tag"]

    # the third is beyond the allowance and 2.4 kg overweight -> 4500 + 3 x 1000, no tag yet
    third = await drop(api, tokens, bag_body(trip, kg="25.4"))
    assert third["status"] == "awaiting_payment" and third["tag"] is None
    assert (third["fee"], third["currency"], third["fee_reasons"]) == (7500, "SGD", ["extra_piece", "overweight_3kg"])
    # unpaid: not accepted, cannot be tracked or found by a tag
    r = await api.get(
        "/api/v1/bags",
        params={"flight_id": trip["flight"]["id"], "status": "awaiting_payment"},
        headers=auth(tokens["agent"]),
    )
    assert [b["id"] for b in r.json()["bags"]] == [third["id"]]

    # a declined card: 402, nothing accepted
    pay = f"/api/v1/bags/{third['id']}/payment"
    problem = assert_problem(
        await api.post(pay, headers=auth(tokens["agent"]) | {"Idempotency-Key": key()}, json={"method": CARD_DECLINED}),
        402,
    )
    assert problem["code"] == "payment_declined"
    assert_problem(await api.post(pay, headers=auth(tokens["agent"]), json={"method": CARD_OK}), 400)  # no key

    # paid: accepted with a tag; the same key again applies once; another key is a conflict
    paid_key = key()
    r = await api.post(pay, headers=auth(tokens["agent"]) | {"Idempotency-Key": paid_key}, json={"method": CARD_OK})
    assert r.status_code == 200, r.text
    paid = r.json()
    assert paid["status"] == "checked_in" and TAG.fullmatch(paid["tag"]) and paid["payment_id"]
    again = await api.post(pay, headers=auth(tokens["agent"]) | {"Idempotency-Key": paid_key}, json={"method": CARD_OK})
    assert again.status_code == 200 and again.json()["tag"] == paid["tag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert_problem(
        await api.post(pay, headers=auth(tokens["agent"]) | {"Idempotency-Key": key()}, json={"method": CARD_OK}), 409
    )
    r = await api.get("/api/v1/payments", params={"reference": third["id"]}, headers=auth(tokens["cs"]))
    assert r.status_code == 200, r.text
    assert sorted((p["status"], p["captured_amount"]) for p in r.json()["payments"]) == [
        ("captured", 7500),
        ("failed", 0),
    ]

    # the infant has no allowance: any bag is an extra piece; an oversize one costs more
    infant = await drop(api, tokens, bag_body(trip, "P3", kg="8", dims=(90, 50, 30)))
    assert (infant["status"], infant["fee"], infant["fee_reasons"]) == (
        "awaiting_payment",
        4500 + 6000,
        ["extra_piece", "oversize"],
    )
    # an e-wallet works at the desk too
    r = await api.post(
        f"/api/v1/bags/{infant['id']}/payment",
        headers=auth(tokens["agent"]) | {"Idempotency-Key": key()},
        json={"method": {"type": "e_wallet", "provider": "paypal", "account": "ada@example.com"}},
    )
    assert r.status_code == 200 and r.json()["status"] == "checked_in", r.text

    # an idempotent drop: a retried request with its key is the first bag
    k = key()
    r1 = await api.post(
        "/api/v1/bags", json=bag_body(trip, "P2"), headers=auth(tokens["agent"]) | {"Idempotency-Key": k}
    )
    r2 = await api.post(
        "/api/v1/bags", json=bag_body(trip, "P2"), headers=auth(tokens["agent"]) | {"Idempotency-Key": k}
    )
    assert (r1.status_code, r2.status_code) == (201, 200) and r1.json()["tag"] == r2.json()["tag"]

    # acceptance events, in the same transaction as the bag (outbox -> Kafka)
    [accepted] = await published(embedded_stack_kafka, baggage_events.BAG_ACCEPTED.topic, paid["id"])
    assert accepted["type"] == "BagAccepted" and accepted["payload"]["tag"] == paid["tag"]
    assert accepted["payload"]["fee"] == 7500 and accepted["payload"]["payment_id"] == paid["payment_id"]


async def test_bad_drops_are_refused_with_nothing_written(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    trip = await confirmed_booking(api, tokens)
    agent = auth(tokens["agent"])
    assert_problem(await api.post("/api/v1/bags", json=bag_body(trip, "P9"), headers=agent), 404)
    assert_problem(await api.post("/api/v1/bags", json=bag_body(trip, kg="40"), headers=agent), 422)  # cargo
    assert_problem(await api.post("/api/v1/bags", json=bag_body(trip, kg="-1"), headers=agent), 422)
    assert_problem(
        await api.post("/api/v1/bags", json=dict(bag_body(trip), flight_id=str(uuid.uuid4())), headers=agent), 422
    )  # not a flight of the booking
    assert_problem(
        await api.post("/api/v1/bags", json=dict(bag_body(trip), booking_id=str(uuid.uuid4())), headers=agent), 404
    )
    # a booking that is not confirmed (held, unpaid)
    offer = await offer_for(api, trip["far"], trip["flight"], None, adults=1)
    r = await api.post(
        "/api/v1/bookings",
        json={"offer_id": offer["offer_id"]},
        headers=auth(tokens["passenger"]) | {"Idempotency-Key": key()},
    )
    held = r.json()
    problem = assert_problem(
        await api.post("/api/v1/bags", headers=agent, json=dict(bag_body(trip), booking_id=held["id"])), 409
    )
    assert problem["code"] == "booking_not_confirmed"
    # after departure: no more bags
    r = await api.post(
        f"/api/v1/flights/{trip['flight']['id']}/status", headers=auth(tokens["ops"]), json={"status": "boarding"}
    )
    assert r.status_code == 200, r.text
    r = await api.post(
        f"/api/v1/flights/{trip['flight']['id']}/status", headers=auth(tokens["ops"]), json={"status": "departed"}
    )
    assert r.status_code == 200, r.text
    problem = assert_problem(await api.post("/api/v1/bags", json=bag_body(trip), headers=agent), 409)
    assert problem["code"] == "flight_closed"
    r = await api.get("/api/v1/bags", params={"flight_id": trip["flight"]["id"]}, headers=agent)
    assert r.json()["bags"] == []


async def test_scans_follow_the_order_rules_are_idempotent_and_are_published(
    api: httpx.AsyncClient, tokens: dict[str, str], embedded_stack_kafka: str
) -> None:
    trip = await confirmed_booking(api, tokens)
    bag = await drop(api, tokens, bag_body(trip))
    tag, far = bag["tag"], trip["far"]
    assert_problem(await scan(api, tokens, tag, "loaded"), 409)  # not loaded before screened
    assert (await scan(api, tokens, tag, "screened", location="screening 1", event_id="s-1")).status_code == 200
    repeat = await scan(api, tokens, tag, "screened", location="screening 1", event_id="s-1")
    assert repeat.status_code == 200 and len(repeat.json()["history"]) == 2  # the same scan once
    assert_problem(await scan(api, tokens, tag, "claimed"), 409)  # claimed only after on belt
    for status, where, location in (
        ("loaded", "XSP", "X1 hold"),
        ("unloaded", far, "stand 4"),
        ("mishandled", far, "left on stand"),
        ("on_belt", far, "belt 3"),
    ):
        r = await scan(api, tokens, tag, status, where, location)
        assert r.status_code == 200, r.text
    r = await api.get(f"/api/v1/bags/{tag}", headers=auth(tokens["cs"]))
    history = r.json()["history"]
    assert [(e["seq"], e["status"], e["place"]["airport"]) for e in history] == [
        (1, "checked_in", "XSP"),
        (2, "screened", "XSP"),
        (3, "loaded", "XSP"),
        (4, "unloaded", far),
        (5, "mishandled", far),
        (6, "on_belt", far),
    ]
    assert r.json()["status"] == "on_belt"
    assert_problem(await scan(api, tokens, tag, "unknown"), 422)
    assert_problem(await scan(api, tokens, "0999999999", "screened"), 404)

    events = await published(embedded_stack_kafka, baggage_events.BAG_TRACKED.topic, bag["id"], count=6)
    assert [e["payload"]["status"] for e in events] == [e["status"] for e in history]
    mishandled = events[4]
    assert mishandled["type"] == "BagTracked" and mishandled["key"] == bag["id"]
    p = mishandled["payload"]
    assert (p["tag"], p["pnr"], p["passenger_id"], p["passenger_name"], p["phone"]) == (
        tag,
        trip["booking"]["pnr"],
        "P1",
        "Ada Lovelace",
        CONTACT["phone"],
    )
    assert p["place"] == {"airport": far, "location": "left on stand"} and p["at"]
    assert (p["flight_id"], p["flight_number"], p["booking_id"]) == (
        trip["flight"]["id"],
        trip["flight"]["number"],
        trip["booking"]["id"],
    )


async def test_who_may_do_and_see_what(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings, as_role: Any
) -> None:
    trip = await confirmed_booking(api, tokens, last="Hopper")
    bag = await drop(api, tokens, bag_body(trip))
    tag, pnr = bag["tag"], trip["booking"]["pnr"]
    me, other = auth(tokens["passenger"]), auth(await new_passenger(api, tokens))

    # only agents drop bags and record scans
    for role in ("passenger", "cs", "ops", "crew"):
        assert_problem(await api.post("/api/v1/bags", json=bag_body(trip), headers=auth(tokens[role])), 403)
        assert_problem(
            await api.post(
                f"/api/v1/bags/{tag}/events",
                headers=auth(tokens[role]),
                json={"status": "screened", "airport": "XSP", "event_id": "x"},
            ),
            403,
        )
    assert_problem(await api.post("/api/v1/bags", json=bag_body(trip)), 401)

    # the owner sees the bag; another passenger does not even learn it exists
    r = await api.get(f"/api/v1/bags/{tag}", headers=me)
    assert r.status_code == 200 and r.json()["id"] == bag["id"]
    assert_problem(await api.get(f"/api/v1/bags/{tag}", headers=other), 404)
    assert_problem(await api.get(f"/api/v1/bags/{tag}/tag.svg", headers=other), 404)
    assert_problem(await api.get(f"/api/v1/bookings/{trip['booking']['id']}/bags", headers=other), 404)
    assert_problem(await api.get(f"/api/v1/bags/{tag}/live", headers=other), 404)
    assert_problem(await api.get(f"/api/v1/bags/{tag}"), 401)
    # a guest with the PNR and a last name
    r = await api.get(f"/api/v1/bags/{tag}", params={"pnr": pnr, "last_name": "hopper"})
    assert r.status_code == 200, r.text
    assert_problem(await api.get(f"/api/v1/bags/{tag}", params={"pnr": pnr, "last_name": "Lovelace"}), 404)
    r = await api.get("/api/v1/baggage/lookup", params={"pnr": pnr, "last_name": "Hopper"})
    assert [b["tag"] for b in r.json()["bags"]] == [tag]
    r = await api.get(f"/api/v1/bookings/{trip['booking']['id']}/bags", headers=me)
    assert [b["tag"] for b in r.json()["bags"]] == [tag]

    # staff views are staff only
    for path in ("/api/v1/bags", f"/api/v1/flights/{trip['flight']['id']}/baggage"):
        assert_problem(await api.get(path, headers=me), 403)
        for role in ("agent", "ops", "cs", "admin"):
            assert (await api.get(path, headers=auth(tokens[role]))).status_code == 200

    # the printable tag
    r = await api.get(f"/api/v1/bags/{tag}/tag.svg", headers=me)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert f'data-tag="{tag}"' in r.text and trip["flight"]["number"] in r.text and "HOPPER/ADA" in r.text

    # the service itself checks the caller's role, not only the gateway
    async with make_channel(settings.grpc_target("baggage"), 10.0) as channel:
        stub = pb_grpc.BaggageServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await stub.RecordEvent(
                pb.RecordEventRequest(tag=tag, status="screened", airport="XSP", event_id="g-1"),
                metadata=as_role(Role.PASSENGER),
            )
        assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await stub.GetManifest(pb.GetManifestRequest(flight_id=trip["flight"]["id"]), metadata=as_role(Role.CREW))
        assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await stub.GetBag(pb.GetBagRequest(tag=tag), metadata=as_role(Role.PASSENGER))
        assert e.value.code() == grpc.StatusCode.NOT_FOUND
        # a system (e.g. a belt scanner integration) may record scans
        detail = await stub.RecordEvent(
            pb.RecordEventRequest(tag=tag, status="screened", airport="XSP", event_id="sys-1"),
            metadata=as_role(Role.SYSTEM),
        )
        assert detail.bag.status == "screened" and detail.history[-1].role == "system"


async def test_the_manifest_adds_up_and_search_finds_bags(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    name = "Zq" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
    trip = await confirmed_booking(api, tokens, extra={"P1": 2, "P2": 1}, last=name)
    weights = ["23.0", "18.35", "9.9", "21.05", "15"]
    bags = [await drop(api, tokens, bag_body(trip, p, kg=w)) for p, w in zip(("P1", "P1", "P1", "P2", "P2"), weights)]
    assert all(b["status"] == "checked_in" for b in bags)
    for b in bags[:2]:
        assert (await scan(api, tokens, b["tag"], "screened")).status_code == 200
        assert (await scan(api, tokens, b["tag"], "loaded", location="X1 hold")).status_code == 200
    unpaid = await drop(api, tokens, bag_body(trip, "P2", kg="5"))  # beyond P2's 2 pieces
    assert unpaid["status"] == "awaiting_payment"

    r = await api.get(f"/api/v1/flights/{trip['flight']['id']}/baggage", headers=auth(tokens["ops"]))
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["count"] == len(m["bags"]) == 5  # accepted bags only
    assert m["total_weight_g"] == sum(line["weight_g"] for line in m["bags"]) == 87_300
    assert m["total_weight_kg"] == 87.3
    assert sorted(m["not_loaded"]) == sorted(b["tag"] for b in bags[2:])
    assert {line["tag"]: line["status"] for line in m["bags"]}[bags[0]["tag"]] == "loaded"
    assert m["flight_number"] == trip["flight"]["number"] and m["plane_registration"].startswith("9V-")
    assert_problem(await api.get(f"/api/v1/flights/{uuid.uuid4()}/baggage", headers=auth(tokens["ops"])), 404)

    cs = auth(tokens["cs"])
    r = await api.get("/api/v1/bags", params={"name": name.upper()[:5]}, headers=cs)  # case-insensitive prefix
    assert {b["id"] for b in r.json()["bags"]} == {b["id"] for b in [*bags, unpaid]}
    r = await api.get("/api/v1/bags", params={"tag": bags[3]["tag"]}, headers=cs)
    assert [b["id"] for b in r.json()["bags"]] == [bags[3]["id"]]
    r = await api.get("/api/v1/bags", params={"flight_id": trip["flight"]["id"], "status": "loaded"}, headers=cs)
    assert {b["id"] for b in r.json()["bags"]} == {bags[0]["id"], bags[1]["id"]}
    # pages: 2 + 2 + 2, newest first, nothing twice
    seen: list[str] = []
    params: dict[str, Any] = {"name": name, "page_size": 2}
    while True:
        page = (await api.get("/api/v1/bags", params=params, headers=cs)).json()
        seen += [b["id"] for b in page["bags"]]
        if not page["next_page_token"]:
            break
        params["page_token"] = page["next_page_token"]
    assert seen == [b["id"] for b in reversed([*bags, unpaid])]
    assert_problem(await api.get("/api/v1/bags", params={"page_token": "garbage!"}, headers=cs), 422)
    assert_problem(await api.get("/api/v1/bags", params={"status": "lost"}, headers=cs), 422)


async def test_concurrent_drops_get_unique_tags(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    trip = await confirmed_booking(api, tokens, extra={"P1": 5, "P2": 5})  # 6 pieces each
    bodies = [bag_body(trip, p, kg="10") for p in ("P1", "P2") for _ in range(6)]
    results = await asyncio.gather(*(api.post("/api/v1/bags", json=b, headers=auth(tokens["agent"])) for b in bodies))
    assert [r.status_code for r in results] == [201] * 12, [r.text for r in results]
    tags = [r.json()["tag"] for r in results]
    assert all(TAG.fullmatch(t) for t in tags) and len(set(tags)) == 12
    assert all(r.json()["fee"] == 0 for r in results)
    # the seventh piece of each is charged, even when dropped at once
    more = await asyncio.gather(
        *(
            api.post("/api/v1/bags", json=bag_body(trip, p, kg="10"), headers=auth(tokens["agent"]))
            for p in ("P1", "P2")
        )
    )
    assert [(r.status_code, r.json()["fee"]) for r in more] == [(201, 4500), (201, 4500)]


async def test_the_live_bag_stream_shows_every_scan_in_order(
    api: httpx.AsyncClient, tokens: dict[str, str], gateway_url: str
) -> None:
    trip = await confirmed_booking(api, tokens)
    warm = await drop(api, tokens, bag_body(trip, "P2"))
    bag = await drop(api, tokens, bag_body(trip))
    tag, far = bag["tag"], trip["far"]
    me = auth(tokens["passenger"])
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30, headers=me) as passenger:
        # the gateway's feed starts at the newest events once it has its partitions: scan another
        # bag until a scan comes through
        async with stream(passenger, f"/api/v1/bags/{warm['tag']}/live") as follow:
            snapshot = await follow.next()
            assert snapshot["event"] == "snapshot" and snapshot["data"]["bag"]["tag"] == warm["tag"]
            deadline, status = time.monotonic() + 60, "screened"
            while True:
                assert (await scan(api, tokens, warm["tag"], status)).status_code == 200
                try:
                    await follow.until(lambda e: e.get("event") == "bag", timeout=3)
                    break
                except TimeoutError:
                    assert time.monotonic() < deadline, "no live bag update within 60 s"
                status = "mishandled" if status == "screened" else "screened"

        async with stream(passenger, f"/api/v1/bags/{tag}/live") as follow:
            snapshot = await follow.next()
            assert snapshot["event"] == "snapshot"
            assert [e["status"] for e in snapshot["data"]["bag"]["history"]] == ["checked_in"]
            journey = [
                ("screened", "XSP", "screening"),
                ("loaded", "XSP", "X1 hold"),
                ("unloaded", far, "stand 2"),
                ("on_belt", far, "belt 3"),
                ("claimed", far, "hall"),
            ]
            for status, where, location in journey:
                assert (await scan(api, tokens, tag, status, where, location)).status_code == 200
            live = [await follow.until(lambda e: e.get("event") == "bag", timeout=15) for _ in journey]
        r = await api.get(f"/api/v1/bags/{tag}", headers=me)
        history = r.json()["history"]
        assert [(e["seq"], e["status"], e["place"]) for e in history[1:]] == [
            (e["data"]["seq"], e["data"]["status"], e["data"]["place"]) for e in live
        ]
        assert [e["data"]["status"] for e in live] == [s for s, _, _ in journey]
        assert all("phone" not in e["data"] for e in live)  # the contact phone stays in the back office
        # a guest follows with the PNR and last name
        async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as guest:
            async with stream(guest, f"/api/v1/bags/{tag}/live?pnr={trip['booking']['pnr']}&last_name=Lovelace") as f:
                snap = await f.next()
                assert [e["status"] for e in snap["data"]["bag"]["history"]] == [
                    "checked_in",
                    *(s for s, _, _ in journey),
                ]


async def test_concurrent_payments_of_one_bag_charge_once(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    trip = await confirmed_booking(api, tokens)
    await drop(api, tokens, bag_body(trip))
    same, other = (await drop(api, tokens, bag_body(trip)), await drop(api, tokens, bag_body(trip, kg="30")))
    assert same["fee"] == 4500 and other["fee"] == 4500 + 7 * 1000
    agent = auth(tokens["agent"])

    # the same key sent twice at once (a double click): one payment, one tag, both answers alike
    k = key()
    r1, r2 = await asyncio.gather(
        *(
            api.post(
                f"/api/v1/bags/{same['id']}/payment", json={"method": CARD_OK}, headers=agent | {"Idempotency-Key": k}
            )
            for _ in range(2)
        )
    )
    assert (r1.status_code, r2.status_code) == (200, 200), (r1.text, r2.text)
    assert r1.json()["tag"] == r2.json()["tag"] and TAG.fullmatch(r1.json()["tag"])

    # two agents with different keys at once: one pays, the other is refused, nothing twice
    results = await asyncio.gather(
        *(
            api.post(
                f"/api/v1/bags/{other['id']}/payment",
                json={"method": CARD_OK},
                headers=agent | {"Idempotency-Key": key()},
            )
            for _ in range(2)
        )
    )
    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    assert {r.json().get("code") for r in results if r.status_code == 409} <= {
        "payment_in_progress",
        "bag_already_paid",
    }
    for bag, fee in ((same, 4500), (other, 11500)):
        r = await api.get("/api/v1/payments", params={"reference": bag["id"]}, headers=auth(tokens["cs"]))
        assert [(p["status"], p["captured_amount"]) for p in r.json()["payments"]] == [("captured", fee)]
