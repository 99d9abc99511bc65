"""Live flight status over Server-Sent Events, end to end: a change posted to the gateway goes
gRPC -> flights service -> outbox -> Kafka-protocol broker -> the gateway's live consumer ->
Redis pub/sub -> the SSE client, all real and running."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import IllegalOperation
from redis.asyncio import Redis

from airline.gateway.live import ANNOUNCEMENT_TOPIC, TOPICS, LiveFeed, LiveHub, flight_channel
from airline.gateway.settings import GatewaySettings
from airline.platform.embedded import EmbeddedKafka
from airline.platform.events import Envelope
from airline.platform.kafka import ensure_topics, topic_partitions
from airline.platform.settings import PlatformSettings
from tests.support.factories import HOME, create_flight, new_gate, new_plane, some_day_ahead, utc
from tests.support.http import (
    Event,
    another_gateway,
    assert_problem,
    auth,
    flight_event,
    free_port,
    soon,
    stream,
    wait_until_live,
)

pytestmark = pytest.mark.usefixtures("seed_airports")


async def test_a_delay_reaches_the_waiting_hall_within_one_second(
    api: httpx.AsyncClient, gateway_url: str, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    plane, gate, other_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops)
    departure = soon()
    flight = await create_flight(api, ops, plane=plane, gate=gate, departure=departure, destination="BKK")
    fid = flight["id"]

    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as hall:
        async with stream(hall, f"/api/v1/airports/{HOME.lower()}/departures/live") as board:
            snapshot = await board.next()
            assert snapshot["event"] == "snapshot" and snapshot["id"]
            assert snapshot["data"]["airport"] == HOME and snapshot["data"]["direction"] == "departures"
            on_board = {f["id"]: f for f in snapshot["data"]["flights"]}
            assert on_board[fid]["status"] == "scheduled"
            assert all(f["origin"] == HOME for f in on_board.values())
            await wait_until_live(api, ops, board, fid, [gate, other_gate])

            new_departure = departure + timedelta(minutes=45)
            started = time.perf_counter()
            r = await api.post(
                f"/api/v1/flights/{fid}/delay",
                headers=auth(ops),
                json={
                    "new_departure": new_departure.isoformat(),
                    "delay_code": "93",
                    "reason": "late inbound aircraft",
                },
            )
            assert r.status_code == 200, r.text
            event = await board.until(flight_event(fid, status="delayed"), timeout=30)
            latency = time.perf_counter() - started
            print(f"\ndelay posted -> SSE flight event on the waiting-hall stream: {latency * 1000:.0f} ms")
            assert event["id"] and event["data"]["type"] == "FlightDelayed"
            assert event["data"]["previous_status"] == "scheduled"
            live = event["data"]["flight"]
            assert utc(live["estimated_departure"]) == new_departure
            assert live["estimated_departure_local"].endswith("+08:00")
            assert live["status_reason"] == "late inbound aircraft"

            # on a topic of its own, the announcement may have come first
            def delay_announcement(e: Event) -> bool:
                return e["event"] == "announcement" and e["data"]["flight_id"] == fid and e["data"]["kind"] == "delay"

            announcement = next((e for e in board.history if delay_announcement(e)), None) or await board.until(
                delay_announcement, timeout=5
            )
            assert announcement["id"] and announcement["data"]["airport"] == HOME

        # a client that (re)connects now starts from the delayed state
        async with stream(hall, f"/api/v1/airports/{HOME}/departures/live") as again:
            snapshot = await again.next()
            assert snapshot["event"] == "snapshot"
            now_on_board = {f["id"]: f for f in snapshot["data"]["flights"]}[fid]
            assert now_on_board["status"] == "delayed"
            assert utc(now_on_board["estimated_departure"]) == new_departure
            assert any(a["flight_id"] == fid and a["kind"] == "delay" for a in snapshot["data"]["announcements"])
        async with stream(hall, f"/api/v1/flights/{fid}/live") as follow:
            snapshot = await follow.next()
            assert snapshot["data"]["flight"]["status"] == "delayed"
            assert utc(snapshot["data"]["flight"]["estimated_departure"]) == new_departure


async def test_a_flight_stream_follows_its_flight_and_unsubscribes_when_the_client_leaves(
    api: httpx.AsyncClient, gateway_url: str, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    ops = tokens["ops"]
    plane, gate, other_gate = await new_plane(api, ops), await new_gate(api, ops), await new_gate(api, ops)
    flight = await create_flight(api, ops, plane=plane, gate=gate, departure=some_day_ahead())
    fid = flight["id"]
    channel = f"live:flight:{fid}"
    redis = Redis.from_url(settings.redis_url)
    try:
        async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as passenger:
            async with stream(passenger, f"/api/v1/flights/{fid}/live") as follow:
                snapshot = await follow.next()
                assert snapshot["data"]["flight"] == flight | {"version": snapshot["data"]["flight"]["version"]}
                assert dict(await redis.pubsub_numsub(channel)) == {channel.encode(): 1}
                await wait_until_live(api, ops, follow, fid, [gate, other_gate])
                r = await api.post(
                    f"/api/v1/flights/{fid}/cancel", json={"reason": "technical fault"}, headers=auth(ops)
                )
                assert r.status_code == 200, r.text
                # the flight event and its announcement travel on two topics: either may come first
                seen: dict[str, Event] = {}
                while len(seen) < 2:
                    event = await follow.until(
                        lambda e: (
                            flight_event(fid, status="cancelled")(e)
                            or (e["event"] == "announcement" and e["data"]["kind"] == "cancellation")
                        ),
                        timeout=5,
                    )
                    seen[event["event"]] = event
                assert seen["flight"]["data"]["type"] == "FlightCancelled"
                assert seen["flight"]["data"]["flight"]["version"] == r.json()["version"]
                assert seen["announcement"]["data"]["flight_id"] == fid
        # the client went away: the gateway lets go of the channel
        for _ in range(50):
            if dict(await redis.pubsub_numsub(channel)) == {channel.encode(): 0}:
                break
            await asyncio.sleep(0.1)
        assert dict(await redis.pubsub_numsub(channel)) == {channel.encode(): 0}
    finally:
        await redis.aclose()


async def test_updates_published_by_another_replica_reach_this_replicas_clients_in_order(
    api: httpx.AsyncClient, gateway_url: str, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    """Fan-out goes through Redis: whichever replica consumed an event, every replica's clients
    get it; a message older than what the client already has is dropped."""
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead()
    )
    fid, version = flight["id"], flight["version"]
    redis = Redis.from_url(settings.redis_url)

    def message(event_id: str, v: int, status: str) -> str:
        return json.dumps(
            {
                "event": "flight",
                "id": event_id,
                "type": "FlightBoarding",
                "flight_id": fid,
                "version": v,
                "origin": HOME,
                "destination": flight["destination"],
                "diverted_to": None,
                "data": {"type": "FlightBoarding", "flight": flight | {"status": status, "version": v}},
            }
        )

    try:
        async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as passenger:
            async with stream(passenger, f"/api/v1/flights/{fid}/live") as follow:
                assert (await follow.next())["event"] == "snapshot"
                await redis.publish(f"live:flight:{fid}", message("stale", version, "scheduled"))
                await redis.publish(f"live:flight:{fid}", message("fresh", version + 1, "boarding"))
                event = await follow.next(timeout=5)
                assert (event["event"], event["id"]) == ("flight", "fresh")
                assert event["data"]["flight"]["status"] == "boarding"
    finally:
        await redis.aclose()


async def test_streams_of_unknown_flights_and_airports_are_404_problems(api: httpx.AsyncClient) -> None:
    assert_problem(await api.get(f"/api/v1/flights/{uuid.uuid4()}/live"), 404)
    assert_problem(await api.get("/api/v1/airports/ZZZ/departures/live"), 404)
    assert_problem(await api.get("/api/v1/airports/12/departures/live"), 422)


async def test_a_gateway_without_its_broker_still_serves_and_stops_cleanly(
    settings: PlatformSettings, tokens: dict[str, str], api: httpx.AsyncClient
) -> None:
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead()
    )
    no_broker = settings.model_copy(update={"kafka_bootstrap_servers": f"127.0.0.1:{free_port()}"})
    started = time.monotonic()
    async with another_gateway(no_broker, GatewaySettings()) as client:
        assert (await client.get("/healthz")).status_code == 200
        r = await client.get(f"/api/v1/flights/{flight['id']}")
        assert r.status_code == 200, r.text
        async with stream(client, f"/api/v1/flights/{flight['id']}/live") as follow:
            snapshot = await follow.next()
            assert snapshot["data"]["flight"]["id"] == flight["id"]
        await asyncio.sleep(2)  # the feed keeps retrying the broker meanwhile
    assert time.monotonic() - started < 30


async def test_many_clients_coming_and_going_leave_no_subscription_behind(
    api: httpx.AsyncClient, gateway_url: str, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    """One Redis subscription per process carries every client's channels: concurrent joins and
    leaves on shared channels must end with nothing subscribed, and the hub still working."""
    ops = tokens["ops"]
    gate = await new_gate(api, ops)
    base = some_day_ahead()
    flights = [
        await create_flight(api, ops, plane=await new_plane(api, ops), gate=gate, departure=base + timedelta(days=i))
        for i in range(4)
    ]
    channels = [f"live:flight:{f['id']}" for f in flights]

    async def client(k: int) -> None:
        async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as c:
            for _ in range(3):
                async with stream(c, f"/api/v1/flights/{flights[k % 4]['id']}/live") as follow:
                    assert (await follow.next())["event"] == "snapshot"
                    await asyncio.sleep(random.random() * 0.05)

    await asyncio.gather(*(client(k) for k in range(40)))
    redis = Redis.from_url(settings.redis_url)
    try:
        for _ in range(50):
            if all(n == 0 for _, n in await redis.pubsub_numsub(*channels)):
                break
            await asyncio.sleep(0.1)
        assert all(n == 0 for _, n in await redis.pubsub_numsub(*channels))
        async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as c:
            async with stream(c, f"/api/v1/flights/{flights[0]['id']}/live") as follow:
                await follow.next()
                await redis.publish(
                    channels[0],
                    json.dumps(
                        {
                            "event": "flight",
                            "id": "after-the-crowd",
                            "flight_id": flights[0]["id"],
                            "version": 10**6,
                            "data": {"flight": flights[0]},
                        }
                    ),
                )
                assert (await follow.next(timeout=5))["id"] == "after-the-crowd"
    finally:
        await redis.aclose()


async def test_idle_streams_get_heartbeats(
    api: httpx.AsyncClient, gateway_url: str, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import fastapi.routing

    # 15 s in production; the gateway runs in this process, so the test can shorten it
    monkeypatch.setattr(fastapi.routing, "_PING_INTERVAL", 0.3)
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead()
    )
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as c:
        async with stream(c, f"/api/v1/flights/{flight['id']}/live") as follow:
            await follow.next()
            for _ in range(40):
                if follow.comments.count("ping") >= 2:
                    break
                await asyncio.sleep(0.1)
            assert follow.comments.count("ping") >= 2, follow.comments


async def test_without_redis_a_stream_sends_its_snapshot_and_ends_and_the_rest_still_works(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    ops = tokens["ops"]
    flight = await create_flight(
        api, ops, plane=await new_plane(api, ops), gate=await new_gate(api, ops), departure=some_day_ahead()
    )
    unreachable = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}"})
    async with another_gateway(unreachable, GatewaySettings()) as client:
        r = await client.get(f"/api/v1/flights/{flight['id']}/live")  # ends: read it whole
        assert r.status_code == 200, r.text
        assert r.text.count("event: snapshot") == 1 and flight["id"] in r.text
        assert "retry: " in r.text, "the browser is told when to reconnect to a fresh snapshot"
        assert (await client.get(f"/api/v1/flights/{flight['id']}")).status_code == 200


async def test_a_single_gateway_without_redis_fans_out_in_process(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    ops = tokens["ops"]
    gates = [await new_gate(api, ops), await new_gate(api, ops)]
    flight = await create_flight(api, ops, plane=await new_plane(api, ops), gate=gates[0], departure=some_day_ahead())
    async with another_gateway(settings.model_copy(update={"redis_url": None}), GatewaySettings()) as client:
        async with stream(client, f"/api/v1/flights/{flight['id']}/live") as follow:
            assert (await follow.next())["data"]["flight"]["id"] == flight["id"]
            await wait_until_live(client, ops, follow, flight["id"], gates)


def _announcement(flight_id: str, text: str) -> bytes:
    payload = {
        "id": str(uuid.uuid4()),
        "flight_id": flight_id,
        "flight_number": "XA1",
        "airport": HOME,
        "kind": "free_text",
        "message": text,
    }
    return Envelope(type="AnnouncementMade", version=1, producer="test", key=flight_id, payload=payload).to_json()


@asynccontextmanager
async def _feed_and_producer(bootstrap: str) -> AsyncIterator[tuple[LiveFeed, LiveHub, AIOKafkaProducer]]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    hub = LiveHub(None)
    await hub.start()
    feed = LiveFeed(hub, bootstrap)
    try:
        yield feed, hub, producer
    finally:
        await feed.stop()
        await hub.stop()
        await producer.stop()


async def test_the_live_feed_reads_every_partition_from_the_newest_event_in_no_consumer_group(
    settings: PlatformSettings,
) -> None:
    """A gateway's feed assigns itself its topics' partitions: no group for the broker to form at
    start (which it may delay by seconds) or to dissolve at stop, no heartbeats; it still relays
    what is published after it is ready, and nothing from before."""
    bootstrap = settings.kafka_bootstrap_servers
    assert bootstrap
    flight_id = str(uuid.uuid4())
    async with _feed_and_producer(bootstrap) as (feed, hub, producer):
        await producer.send_and_wait(ANNOUNCEMENT_TOPIC, _announcement(flight_id, "before"), key=flight_id.encode())
        feed.start()
        async with hub.subscribe([flight_channel(flight_id)]) as sub:
            await asyncio.wait_for(feed.ready.wait(), 30)
            assert feed.consumer is not None
            assignment = feed.consumer.assignment()
            assert assignment == set(await topic_partitions(bootstrap, list(TOPICS)))
            with pytest.raises(IllegalOperation, match="group_id"):  # it has no group to commit to
                await feed.consumer.committed(next(iter(assignment)))
            await producer.send_and_wait(ANNOUNCEMENT_TOPIC, _announcement(flight_id, "after"), key=flight_id.encode())
            message = await asyncio.wait_for(sub.next(), 30)
            assert message["data"]["message"] == "after"  # the earlier one was never relayed


async def test_the_live_feed_follows_a_restarted_broker_that_lost_its_log(tmp_path: Path) -> None:
    """The embedded broker keeps its log in memory: killed and restarted, it has no topics and
    its offsets start again at 0. The feed, which no group re-seeks, still relays what comes next."""
    port = free_port()
    broker = EmbeddedKafka(tmp_path / "kafka", port)
    broker.start()
    flight_id = str(uuid.uuid4())
    try:
        async with _feed_and_producer(broker.bootstrap) as (feed, hub, producer):
            async with hub.subscribe([flight_channel(flight_id)]) as sub:
                feed.start()
                await asyncio.wait_for(feed.ready.wait(), 30)
                for n in range(3):  # positions past what the new log will hold
                    await producer.send_and_wait(
                        ANNOUNCEMENT_TOPIC, _announcement(flight_id, f"first life {n}"), key=flight_id.encode()
                    )
                    assert (await asyncio.wait_for(sub.next(), 30))["data"]["message"] == f"first life {n}"
                assert broker.proc is not None
                broker.proc.kill()  # kill -9: the log goes with it
                broker.proc.wait()
                broker = EmbeddedKafka(tmp_path / "kafka", port)
                broker.start()
                # as the outbox relays do before their first send to a broker with another cluster id
                await ensure_topics(broker.bootstrap, list(TOPICS))
                # published until one arrives: the producer and the feed find the new broker in their own time
                async with asyncio.timeout(60):
                    while True:
                        await producer.send_and_wait(
                            ANNOUNCEMENT_TOPIC, _announcement(flight_id, "second life"), key=flight_id.encode()
                        )
                        with contextlib.suppress(TimeoutError):
                            message = await asyncio.wait_for(sub.next(), 2)
                            break
                assert message["data"]["message"] == "second life"
    finally:
        broker.stop()
