"""The airport service through its real gRPC server, PostgreSQL and broker."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport import seed as airport_seed
from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.contracts.events import airport as airport_events
from airline.platform.auth import Role
from airline.platform.events import Envelope
from airline.platform.kafka import make_consumer
from airline.platform.settings import PlatformSettings
from tests.support.airport import (
    A320,
    T0,
    H,
    Metadata,
    commit_request,
    expect,
    new_airport,
    new_plane,
    plane_id,
    registration,
    ts,
)
from tests.support.factories import airport_code, unknown_airport_code

# ---------------------------------------------------------------- roles


async def test_anyone_reads_only_ops_writes(stub: AirportServiceStub, ops: Metadata, as_role) -> None:  # type: ignore[no-untyped-def]
    code = await new_airport(stub, ops)
    # no token at all
    assert (await stub.GetAirport(pb.GetAirportRequest(code=code))).code == code
    assert code in [a.code for a in (await stub.ListAirports(pb.ListAirportsRequest())).airports]
    await stub.ListPlanes(pb.ListPlanesRequest())
    request = pb.CreateGateRequest(airport_code=code, code="G1")
    await expect(grpc.StatusCode.UNAUTHENTICATED, stub.CreateGate(request))
    for role in (Role.PASSENGER, Role.AGENT, Role.SYSTEM):
        error = await expect(grpc.StatusCode.PERMISSION_DENIED, stub.CreateGate(request, metadata=as_role(role)))
        assert "ops" in (error.details() or "")
    assert (await stub.CreateGate(request, metadata=as_role(Role.ADMIN))).code == "G1"
    plane = await new_plane(stub, ops, code)
    commit = commit_request(f"R-{uuid.uuid4().hex}", plane.id, code, unknown_airport_code(), T0, T0 + H)
    await expect(grpc.StatusCode.PERMISSION_DENIED, stub.CommitPlane(commit, metadata=as_role(Role.AGENT)))


# ---------------------------------------------------------------- airports and gates


async def test_airport_lifecycle(stub: AirportServiceStub, ops: Metadata) -> None:
    code = await new_airport(stub, ops, country="QQ")
    got = await stub.GetAirport(pb.GetAirportRequest(code=code.lower()))
    assert (got.name, got.country, got.time_zone) == (f"Test {code}", "QQ", "UTC")
    assert got.created_at.seconds > 0
    listed = await stub.ListAirports(pb.ListAirportsRequest(country="qq"))
    assert code in [a.code for a in listed.airports] and {a.country for a in listed.airports} == {"QQ"}

    updated = await stub.UpdateAirport(
        pb.UpdateAirportRequest(code=code, name="Renamed", time_zone="Asia/Singapore"), metadata=ops
    )
    assert (updated.name, updated.city, updated.time_zone) == ("Renamed", "Testville", "Asia/Singapore")

    error = await expect(
        grpc.StatusCode.ALREADY_EXISTS,
        stub.CreateAirport(
            pb.CreateAirportRequest(code=code, name="Other", city="Else", country="QQ", time_zone="UTC"), metadata=ops
        ),
    )
    assert ("error-code", "already_exists") in tuple(error.trailing_metadata() or ())
    assert (await stub.GetAirport(pb.GetAirportRequest(code=code))).name == "Renamed"
    await expect(
        grpc.StatusCode.NOT_FOUND,
        stub.UpdateAirport(pb.UpdateAirportRequest(code=unknown_airport_code(), name="x"), metadata=ops),
    )
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.UpdateAirport(pb.UpdateAirportRequest(code=code, time_zone="Mars/Olympus"), metadata=ops),
    )
    assert (await stub.GetAirport(pb.GetAirportRequest(code=code))).time_zone == "Asia/Singapore"


@pytest.mark.parametrize(
    "request_",
    [
        pb.CreateAirportRequest(code="Q1Q", name="n", city="c", country="SG", time_zone="UTC"),
        pb.CreateAirportRequest(code=airport_code(), name="n", city="c", country="SGP", time_zone="UTC"),
        pb.CreateAirportRequest(code=airport_code(), name="n", city="c", country="SG", time_zone="Asia/Atlantis"),
        pb.CreateAirportRequest(code=airport_code(), name="", city="c", country="SG", time_zone="UTC"),
        pb.CreateAirportRequest(code=airport_code(), name="Nul\x00", city="c", country="SG", time_zone="UTC"),
    ],
)
async def test_bad_airport_is_refused_and_not_written(
    stub: AirportServiceStub, ops: Metadata, request_: pb.CreateAirportRequest
) -> None:
    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.CreateAirport(request_, metadata=ops))
    if request_.code.isalpha():  # a well-formed code: the refused airport must not exist
        await expect(grpc.StatusCode.NOT_FOUND, stub.GetAirport(pb.GetAirportRequest(code=request_.code)))


async def test_gates(stub: AirportServiceStub, ops: Metadata) -> None:
    code = await new_airport(stub, ops)
    for gate in ("X10", "X2", "x1"):
        await stub.CreateGate(pb.CreateGateRequest(airport_code=code, code=gate), metadata=ops)
    gates = (await stub.ListGates(pb.ListGatesRequest(airport_code=code))).gates
    assert [(g.code, g.status) for g in gates] == [("X1", "open"), ("X2", "open"), ("X10", "open")]

    await expect(
        grpc.StatusCode.ALREADY_EXISTS,
        stub.CreateGate(pb.CreateGateRequest(airport_code=code, code="X1", status="closed"), metadata=ops),
    )
    changed = await stub.UpdateGate(
        pb.UpdateGateRequest(airport_code=code, code="X2", status="maintenance"), metadata=ops
    )
    assert changed.status == "maintenance"
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.UpdateGate(pb.UpdateGateRequest(airport_code=code, code="X2", status="broken"), metadata=ops),
    )
    await expect(
        grpc.StatusCode.NOT_FOUND,
        stub.UpdateGate(pb.UpdateGateRequest(airport_code=code, code="X9", status="closed"), metadata=ops),
    )
    gates = (await stub.ListGates(pb.ListGatesRequest(airport_code=code))).gates
    assert [(g.code, g.status) for g in gates] == [("X1", "open"), ("X2", "maintenance"), ("X10", "open")]

    unknown = unknown_airport_code()
    await expect(
        grpc.StatusCode.NOT_FOUND, stub.CreateGate(pb.CreateGateRequest(airport_code=unknown, code="Z1"), metadata=ops)
    )
    await expect(grpc.StatusCode.NOT_FOUND, stub.ListGates(pb.ListGatesRequest(airport_code=unknown)))
    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.ListGates(pb.ListGatesRequest(airport_code="not-a-code")))
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.CreateGate(pb.CreateGateRequest(airport_code=code, code="X-1"), metadata=ops),
    )


# ---------------------------------------------------------------- planes


async def test_plane_lifecycle(stub: AirportServiceStub, ops: Metadata) -> None:
    home, other = await new_airport(stub, ops), await new_airport(stub, ops)
    plane = await new_plane(stub, ops, home.lower())
    assert (plane.status, plane.home_airport) == ("active", home)
    assert {c.cabin_class: c.seats for c in plane.capacity} == {"vip": 8, "normal": 149}
    assert list(plane.layout.exit_rows) == [12, 13] and list(plane.layout.blocked_seats) == ["27A"]
    assert await stub.GetPlane(pb.GetPlaneRequest(id=plane.id.lower())) == plane

    grounded = await stub.UpdatePlane(pb.UpdatePlaneRequest(id=plane.id, status="maintenance"), metadata=ops)
    assert (grounded.status, grounded.registration, grounded.layout) == (
        "maintenance",
        plane.registration,
        plane.layout,
    )
    in_maintenance = await stub.ListPlanes(pb.ListPlanesRequest(status="maintenance", home_airport=home))
    assert [p.id for p in in_maintenance.planes] == [plane.id]
    assert not (await stub.ListPlanes(pb.ListPlanesRequest(status="active", home_airport=home))).planes

    smaller = pb.SeatLayout(cabins=[pb.Cabin(cabin_class="normal", first_row=1, last_row=20, seat_letters="AB CD")])
    moved = await stub.UpdatePlane(
        pb.UpdatePlaneRequest(id=plane.id, home_airport=other, layout=smaller, aircraft_type="ATR 72-600"), metadata=ops
    )
    assert (moved.home_airport, moved.aircraft_type) == (other, "ATR 72-600")
    assert {c.cabin_class: c.seats for c in moved.capacity} == {"normal": 80}
    # an empty layout without replace_layout means "no change"; with it, it is refused
    same = await stub.UpdatePlane(pb.UpdatePlaneRequest(id=plane.id, layout=pb.SeatLayout()), metadata=ops)
    assert same.layout == moved.layout
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.UpdatePlane(pb.UpdatePlaneRequest(id=plane.id, replace_layout=True), metadata=ops),
    )
    await expect(
        grpc.StatusCode.NOT_FOUND, stub.UpdatePlane(pb.UpdatePlaneRequest(id="TNOPE", status="active"), metadata=ops)
    )
    await expect(grpc.StatusCode.NOT_FOUND, stub.GetPlane(pb.GetPlaneRequest(id="TNOPE")))
    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.ListPlanes(pb.ListPlanesRequest(status="flying")))


async def test_plane_uniqueness_is_decided_by_the_database(stub: AirportServiceStub, ops: Metadata) -> None:
    home = await new_airport(stub, ops)
    first, second = await new_plane(stub, ops, home), await new_plane(stub, ops, home)
    same_id = pb.CreatePlaneRequest(
        id=first.id, registration=registration(), aircraft_type="A320", home_airport=home, layout=A320
    )
    assert "plane" in (
        (await expect(grpc.StatusCode.ALREADY_EXISTS, stub.CreatePlane(same_id, metadata=ops))).details() or ""
    )
    same_reg = pb.CreatePlaneRequest(
        id=plane_id(), registration=first.registration, aircraft_type="A320", home_airport=home, layout=A320
    )
    error = await expect(grpc.StatusCode.ALREADY_EXISTS, stub.CreatePlane(same_reg, metadata=ops))
    assert "registration" in (error.details() or "")
    await expect(grpc.StatusCode.NOT_FOUND, stub.GetPlane(pb.GetPlaneRequest(id=same_reg.id)))
    error = await expect(
        grpc.StatusCode.ALREADY_EXISTS,
        stub.UpdatePlane(pb.UpdatePlaneRequest(id=second.id, registration=first.registration), metadata=ops),
    )
    assert "registration" in (error.details() or "")
    assert (await stub.GetPlane(pb.GetPlaneRequest(id=second.id))).registration == second.registration


async def test_concurrent_creates_of_one_airport_make_exactly_one(stub: AirportServiceStub, ops: Metadata) -> None:
    code = airport_code()
    request = pb.CreateAirportRequest(code=code, name="Race", city="Race", country="ZZ", time_zone="UTC")
    results = await asyncio.gather(
        *(stub.CreateAirport(request, metadata=ops) for _ in range(12)), return_exceptions=True
    )
    errors = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert all(e.code() == grpc.StatusCode.ALREADY_EXISTS for e in errors), [e.details() for e in errors]
    assert len(results) - len(errors) == 1  # a fresh code: exactly one create wins


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        (
            pb.SeatLayout(
                cabins=[
                    pb.Cabin(cabin_class="vip", first_row=1, last_row=3, seat_letters="AC DF"),
                    pb.Cabin(cabin_class="normal", first_row=3, last_row=20, seat_letters="ABC DEF"),
                ]
            ),
            "duplicate seat 3A",
        ),
        (
            pb.SeatLayout(cabins=[pb.Cabin(cabin_class="normal", first_row=1, last_row=9, seat_letters="ABB")]),
            "duplicate seat 1B",
        ),
        (pb.SeatLayout(), "at least one cabin"),
        (
            pb.SeatLayout(
                cabins=[pb.Cabin(cabin_class="normal", first_row=1, last_row=9, seat_letters="AB")], exit_rows=[10]
            ),
            "exit row 10",
        ),
        (
            pb.SeatLayout(
                cabins=[pb.Cabin(cabin_class="normal", first_row=1, last_row=9, seat_letters="AB")],
                blocked_seats=["9C"],
            ),
            "blocked seat 9C",
        ),
        (pb.SeatLayout(cabins=[pb.Cabin(cabin_class="normal", first_row=5, last_row=1, seat_letters="AB")]), "rows"),
    ],
)
async def test_bad_layout_is_refused_and_not_written(
    stub: AirportServiceStub, ops: Metadata, layout: pb.SeatLayout, message: str
) -> None:
    home = await new_airport(stub, ops)
    pid = plane_id()
    request = pb.CreatePlaneRequest(
        id=pid, registration=registration(), aircraft_type="A320", home_airport=home, layout=layout
    )
    error = await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.CreatePlane(request, metadata=ops))
    assert message in (error.details() or "")
    await expect(grpc.StatusCode.NOT_FOUND, stub.GetPlane(pb.GetPlaneRequest(id=pid)))


async def test_plane_needs_a_known_home_airport(stub: AirportServiceStub, ops: Metadata) -> None:
    pid, unknown = plane_id(), unknown_airport_code()
    request = pb.CreatePlaneRequest(
        id=pid, registration=registration(), aircraft_type="A320", home_airport=unknown, layout=A320
    )
    error = await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.CreatePlane(request, metadata=ops))
    assert unknown in (error.details() or "")
    await expect(grpc.StatusCode.NOT_FOUND, stub.GetPlane(pb.GetPlaneRequest(id=pid)))


# ---------------------------------------------------------------- availability and commitments


async def available(stub: AirportServiceStub, airport: str, start: datetime, end: datetime) -> set[str]:
    reply = await stub.ListAvailablePlanes(
        pb.ListAvailablePlanesRequest(airport_code=airport, to=ts(end), **{"from": ts(start)})
    )
    return {p.id for p in reply.planes}


async def test_availability_follows_commitments(stub: AirportServiceStub, ops: Metadata) -> None:
    x, b = await new_airport(stub, ops), await new_airport(stub, ops)
    p1, p2 = await new_plane(stub, ops, x), await new_plane(stub, ops, x)
    grounded = await new_plane(stub, ops, x, status="maintenance")
    assert await available(stub, x, T0, T0 + H) == {p1.id, p2.id}

    ref = f"FL-{uuid.uuid4().hex[:8]}"
    await stub.CommitPlane(commit_request(ref, p1.id, x, b, T0 + 2 * H, T0 + 5 * H), metadata=ops)
    assert await available(stub, x, T0, T0 + H) == {p1.id, p2.id}  # free before the flight
    assert await available(stub, x, T0, T0 + 3 * H) == {p2.id}  # overlaps the flight
    assert await available(stub, x, T0 + 5 * H, T0 + 6 * H) == {p2.id}  # p1 is at b by then
    assert await available(stub, b, T0 + 5 * H, T0 + 6 * H) == {p1.id}  # ends exactly at `from`
    assert await available(stub, b, T0 + 4 * H, T0 + 6 * H) == set()  # still in the air

    await stub.UpdatePlane(pb.UpdatePlaneRequest(id=p2.id, status="retired"), metadata=ops)
    assert await available(stub, x, T0, T0 + H) == {p1.id}
    assert grounded.id not in await available(stub, x, T0 - 10 * H, T0 - 9 * H)

    released = await stub.ReleasePlane(pb.ReleasePlaneRequest(reference=ref), metadata=ops)
    assert released.released
    assert await available(stub, x, T0 + 5 * H, T0 + 6 * H) == {p1.id}  # back home: no flight took it away
    assert not (await stub.ReleasePlane(pb.ReleasePlaneRequest(reference=ref), metadata=ops)).released


async def test_availability_input(stub: AirportServiceStub, ops: Metadata) -> None:
    x = await new_airport(stub, ops)
    await expect(
        grpc.StatusCode.NOT_FOUND,
        stub.ListAvailablePlanes(
            pb.ListAvailablePlanesRequest(airport_code=unknown_airport_code(), to=ts(T0 + H), **{"from": ts(T0)})
        ),
    )
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.ListAvailablePlanes(pb.ListAvailablePlanesRequest(airport_code=x, to=ts(T0), **{"from": ts(T0 + H)})),
    )
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.ListAvailablePlanes(pb.ListAvailablePlanesRequest(airport_code=x, to=ts(T0))),
    )
    await expect(
        grpc.StatusCode.INVALID_ARGUMENT,
        stub.ListAvailablePlanes(
            pb.ListAvailablePlanesRequest(airport_code=x, to=Timestamp(seconds=2**62), **{"from": ts(T0)})
        ),
    )


async def test_commit_is_idempotent_by_reference(stub: AirportServiceStub, ops: Metadata, as_role) -> None:  # type: ignore[no-untyped-def]
    x, b = await new_airport(stub, ops), await new_airport(stub, ops)
    plane, spare = await new_plane(stub, ops, x), await new_plane(stub, ops, x)
    system = as_role(Role.SYSTEM)
    ref = f"FL-{uuid.uuid4().hex[:8]}"
    request = commit_request(ref, plane.id, x, b, T0, T0 + 3 * H)
    first = await stub.CommitPlane(request, metadata=system)
    assert (first.reference, first.plane_id, first.starts_at) == (ref, plane.id, ts(T0))
    assert await stub.CommitPlane(request, metadata=system) == first

    # the same reference with new data moves that commitment (a delay), it never adds one
    delayed = await stub.CommitPlane(commit_request(ref, plane.id, x, b, T0 + H, T0 + 4 * H), metadata=system)
    assert delayed.starts_at == ts(T0 + H)
    assert await available(stub, x, T0, T0 + H) == {plane.id, spare.id}

    other = commit_request(f"FL-{uuid.uuid4().hex[:8]}", plane.id, x, b, T0 + 3 * H, T0 + 6 * H)
    error = await expect(grpc.StatusCode.FAILED_PRECONDITION, stub.CommitPlane(other, metadata=system))
    assert plane.id in (error.details() or "")
    # touching windows do not overlap: [T0+H, T0+4H) then [T0+4H, ...)
    back = commit_request(f"FL-{uuid.uuid4().hex[:8]}", plane.id, b, x, T0 + 4 * H, T0 + 7 * H)
    await stub.CommitPlane(back, metadata=system)

    # an aircraft swap: the flight moves to the spare
    swapped = await stub.CommitPlane(commit_request(ref, spare.id, x, b, T0 + H, T0 + 4 * H), metadata=system)
    assert swapped.plane_id == spare.id
    assert plane.id in await available(stub, x, T0, T0 + 4 * H)


async def test_commit_refusals_write_nothing(stub: AirportServiceStub, ops: Metadata) -> None:
    x, b = await new_airport(stub, ops), await new_airport(stub, ops)
    plane = await new_plane(stub, ops, x)
    grounded = await new_plane(stub, ops, x, status="maintenance")
    ref = f"FL-{uuid.uuid4().hex[:8]}"
    cases = [
        (grpc.StatusCode.FAILED_PRECONDITION, commit_request(ref, grounded.id, x, b, T0, T0 + H)),
        (grpc.StatusCode.NOT_FOUND, commit_request(ref, "TNOPE", x, b, T0, T0 + H)),
        (grpc.StatusCode.INVALID_ARGUMENT, commit_request(ref, plane.id, x, unknown_airport_code(), T0, T0 + H)),
        (grpc.StatusCode.INVALID_ARGUMENT, commit_request(ref, plane.id, x, b, T0 + H, T0)),
        (grpc.StatusCode.INVALID_ARGUMENT, commit_request(ref, plane.id, x, x, T0, T0 + H)),
        (
            grpc.StatusCode.INVALID_ARGUMENT,
            pb.CommitPlaneRequest(reference=ref, plane_id=plane.id, origin=x, destination=b, ends_at=ts(T0)),
        ),
    ]
    for code, request in cases:
        await expect(code, stub.CommitPlane(request, metadata=ops))
    assert not (await stub.ReleasePlane(pb.ReleasePlaneRequest(reference=ref), metadata=ops)).released
    assert await available(stub, x, T0, T0 + H) == {plane.id}


async def test_concurrent_commits_of_one_plane_exactly_one_wins(stub: AirportServiceStub, ops: Metadata) -> None:
    x, b = await new_airport(stub, ops), await new_airport(stub, ops)
    plane = await new_plane(stub, ops, x)
    # every window overlaps every other: all contain [T0+2H, T0+3H)
    requests = [
        commit_request(f"RACE-{i}-{uuid.uuid4().hex[:6]}", plane.id, x, b, T0 + (i % 3) * H, T0 + (3 + i % 4) * H)
        for i in range(30)
    ]
    results = await asyncio.gather(*(stub.CommitPlane(r, metadata=ops) for r in requests), return_exceptions=True)
    wins = [r for r in results if isinstance(r, pb.PlaneCommitment)]
    losses = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(wins) == 1 and len(losses) == len(requests) - 1
    assert {e.code() for e in losses} == {grpc.StatusCode.FAILED_PRECONDITION}
    # only the winner holds the plane: releasing the losers' references finds nothing
    released = await asyncio.gather(
        *(stub.ReleasePlane(pb.ReleasePlaneRequest(reference=r.reference), metadata=ops) for r in requests)
    )
    assert [r.released for r in released].count(True) == 1


async def test_concurrent_retries_of_one_commitment_agree(stub: AirportServiceStub, ops: Metadata) -> None:
    x, b = await new_airport(stub, ops), await new_airport(stub, ops)
    plane = await new_plane(stub, ops, x)
    request = commit_request(f"FL-{uuid.uuid4().hex[:8]}", plane.id, x, b, T0, T0 + 2 * H)
    results = await asyncio.gather(*(stub.CommitPlane(request, metadata=ops) for _ in range(15)))
    assert len({r.SerializeToString(deterministic=True) for r in results}) == 1


# ---------------------------------------------------------------- events


async def test_mutations_emit_events_and_refusals_do_not(
    stub: AirportServiceStub, ops: Metadata, settings: PlatformSettings
) -> None:
    x, b = await new_airport(stub, ops), await new_airport(stub, ops)
    await stub.CreateGate(pb.CreateGateRequest(airport_code=x, code="E1"), metadata=ops)
    await stub.UpdateGate(pb.UpdateGateRequest(airport_code=x, code="E1", status="closed"), metadata=ops)
    plane = await new_plane(stub, ops, x)
    bad = pb.CreatePlaneRequest(
        id=plane_id(),
        registration=registration(),
        aircraft_type="A320",
        home_airport=x,
        layout=pb.SeatLayout(cabins=[pb.Cabin(cabin_class="normal", first_row=1, last_row=2, seat_letters="AA")]),
    )
    await expect(grpc.StatusCode.INVALID_ARGUMENT, stub.CreatePlane(bad, metadata=ops))
    ref = f"FL-{uuid.uuid4().hex[:8]}"
    await stub.CommitPlane(commit_request(ref, plane.id, x, b, T0, T0 + H), metadata=ops)
    await expect(
        grpc.StatusCode.FAILED_PRECONDITION,
        stub.CommitPlane(commit_request(f"{ref}-2", plane.id, x, b, T0, T0 + H), metadata=ops),
    )
    await stub.ReleasePlane(pb.ReleasePlaneRequest(reference=ref), metadata=ops)
    await stub.UpdatePlane(pb.UpdatePlaneRequest(id=plane.id, status="maintenance"), metadata=ops)

    expected = {
        (airport_events.AIRPORT_CREATED.topic, "AirportCreated", x),
        (airport_events.GATE_CREATED.topic, "GateCreated", x),
        (airport_events.GATE_CHANGED.topic, "GateChanged", x),
        (airport_events.PLANE_REGISTERED.topic, "PlaneRegistered", plane.id),
        (airport_events.PLANE_COMMITTED.topic, "PlaneCommitted", plane.id),
        (airport_events.PLANE_RELEASED.topic, "PlaneReleased", plane.id),
        (airport_events.PLANE_STATUS_CHANGED.topic, "PlaneStatusChanged", plane.id),
    }
    ours = {x, plane.id, bad.id}
    consumer = make_consumer(
        settings.kafka_bootstrap_servers or "",
        f"airport-test-{uuid.uuid4().hex[:8]}",
        *{t for t, _, _ in expected},
        session_timeout_ms=6000,
    )
    await consumer.start()
    seen: list[tuple[str, Envelope]] = []
    try:
        async with asyncio.timeout(60):
            while not expected <= {(t, e.type, e.key) for t, e in seen}:
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    seen += [(r.topic, e) for r in records if (e := Envelope.from_json(r.value)).key in ours]
    finally:
        await consumer.stop()
    by_type = {e.type: e for _, e in seen}
    assert by_type["PlaneStatusChanged"].payload == {
        "plane_id": plane.id,
        "status": "maintenance",
        "previous_status": "active",
    }
    assert by_type["GateChanged"].payload["status"] == "closed"
    assert by_type["PlaneRegistered"].payload["capacity"] == {"vip": 8, "normal": 149}
    assert all(e.producer == "airport" for _, e in seen)
    assert bad.id not in {e.key for _, e in seen}  # the refused plane left no event
    assert [e.type for _, e in seen].count("PlaneCommitted") == 1  # nor did the refused commitment


# ---------------------------------------------------------------- seed


async def test_seed_is_idempotent(stub: AirportServiceStub, as_role) -> None:  # type: ignore[no-untyped-def]
    metadata = list(as_role(Role.ADMIN))
    await airport_seed.seed(stub, metadata)
    await airport_seed.seed(stub, metadata)
    for code in airport_seed.SEED_AIRPORT_CODES:
        await stub.GetAirport(pb.GetAirportRequest(code=code))
        gates = [g.code for g in (await stub.ListGates(pb.ListGatesRequest(airport_code=code))).gates]
        # other tests may add gates at the seed's airports; the seed's own are there once each
        assert [g for g in gates if g in airport_seed.SEED_GATES[code]] == airport_seed.SEED_GATES[code]
    home = await stub.GetAirport(pb.GetAirportRequest(code="XSP"))
    assert (home.name, home.time_zone) == ("Seletar Airport", "Asia/Singapore")
    fleet = (await stub.ListPlanes(pb.ListPlanesRequest(home_airport="XSP"))).planes
    seeded = {p.id: p for p in fleet if p.id in airport_seed.SEED_PLANE_IDS}
    assert sorted(seeded) == airport_seed.SEED_PLANE_IDS
    for p in seeded.values():
        assert {c.cabin_class: c.seats for c in p.capacity} == airport_seed.SEED_CAPACITY[p.aircraft_type]
    assert seeded["P1"].registration == "9V-XA1"
