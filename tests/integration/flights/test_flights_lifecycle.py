"""A flight's lifecycle and its disruptions (delay, cancellation, diversion, gate change) and the
events they publish, through the flights service's real gRPC server."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.contracts.events import flights as flight_events
from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.events import Envelope
from airline.platform.kafka import make_consumer
from airline.platform.settings import PlatformSettings
from tests.support.factories import unknown_airport_code
from tests.support.flights import (
    FAILED,
    INVALID,
    H,
    M,
    Metadata,
    World,
    available,
    dt,
    expect,
    flight_request,
    soon,
    ts,
)

# ---------------------------------------------------------------- lifecycle and disruptions


ALL_TARGETS = ["delayed", "boarding", "departed", "arrived", "cancelled", "diverted"]
PATHS = {
    "scheduled": [],
    "delayed": ["delayed"],
    "boarding": ["boarding"],
    "departed": ["boarding", "departed"],
    "arrived": ["boarding", "departed", "arrived"],
    "diverted": ["boarding", "departed", "diverted"],
    "cancelled": ["cancelled"],
}
ALLOWED = {
    "scheduled": {"delayed", "boarding", "cancelled"},
    "delayed": {"delayed", "boarding", "cancelled"},
    "boarding": {"departed", "delayed", "cancelled"},
    "departed": {"arrived", "diverted"},
    "diverted": {"arrived"},
    "arrived": set(),
    "cancelled": set(),
}


async def _go(fl: FlightServiceStub, ops: Metadata, flight: pb.Flight, target: str, alternate: str) -> pb.Flight:
    fid = flight.id
    if target == "delayed":
        new = dt(flight.estimated_departure) + 30 * M
        return await fl.DelayFlight(
            pb.DelayFlightRequest(
                flight_id=fid, new_departure=ts(new), delay_code="93", reason="late inbound aircraft"
            ),
            metadata=ops,
        )
    if target == "cancelled":
        return await fl.CancelFlight(pb.CancelFlightRequest(flight_id=fid, reason="technical fault"), metadata=ops)
    if target == "diverted":
        return await fl.DivertFlight(
            pb.DivertFlightRequest(flight_id=fid, diverted_to=alternate, reason="weather"), metadata=ops
        )
    return await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=fid, status=target), metadata=ops)


async def test_every_transition_the_lifecycle_forbids_is_refused(
    fl: FlightServiceStub, world: World, ops: Metadata
) -> None:
    x, a, b = await world.airport(), await world.airport(), await world.airport()
    t = soon()
    checked = 0
    for i, (state, path) in enumerate(PATHS.items()):
        plane = await world.plane(x)
        flight = await fl.CreateFlight(flight_request(x, a, plane, t + i * 2 * H, gate=f"G{i % 3 + 1}"), metadata=ops)
        for step in path:
            flight = await _go(fl, ops, flight, step, b)
        assert flight.status == state
        for target in ALL_TARGETS:
            if target in ALLOWED[state]:
                continue
            details = await expect(FAILED, _go(fl, ops, flight, target, b))
            assert state in details and target in details
            checked += 1
        after = await fl.GetFlight(pb.GetFlightRequest(id=flight.id))
        assert (after.status, after.version) == (flight.status, flight.version)  # nothing written
    assert checked == sum(len(set(ALL_TARGETS) - ALLOWED[s]) for s in PATHS)
    # "arrived -> boarding", the example, among them; gate changes only before boarding
    plane = await world.plane(x)
    f = await fl.CreateFlight(flight_request(x, a, plane, t + 20 * H), metadata=ops)
    f = await _go(fl, ops, f, "boarding", b)
    await expect(FAILED, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G2"), metadata=ops))
    await expect(INVALID, fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="cancelled"), metadata=ops))


async def test_flight_lifecycle_sets_times_and_frees_the_gate(
    fl: FlightServiceStub, world: World, ops: Metadata
) -> None:
    x, a = await world.airport(), await world.airport()
    p1, p2 = await world.plane(x), await world.plane(x)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, p1, t), metadata=ops)
    boarding = await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="boarding"), metadata=ops)
    assert (boarding.status, boarding.version) == ("boarding", 2)
    took_off = datetime.now(UTC).replace(microsecond=0) - 5 * M
    departed = await fl.UpdateStatus(
        pb.UpdateStatusRequest(flight_id=f.id, status="departed", at=ts(took_off)), metadata=ops
    )
    assert dt(departed.actual_departure) == took_off
    # departed: the gate is free for the rest of its window
    assert (await fl.CreateFlight(flight_request(x, a, p2, t + 10 * M), metadata=ops)).gate == "G1"
    await expect(
        INVALID,
        fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="arrived", at=ts(took_off - M)), metadata=ops),
    )
    arrived = await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="arrived"), metadata=ops)
    assert arrived.status == "arrived" and dt(arrived.actual_arrival) > took_off and arrived.version == 4
    announcements = await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))
    assert [(n.kind, n.airport) for n in announcements.announcements] == [("boarding", x)]
    assert "now boarding at gate G1" in announcements.announcements[0].message


async def test_delay(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x = await world.airport("Asia/Singapore", city="Singapore")
    a = await world.airport("Asia/Kuala_Lumpur", city="Alor Setar")
    p1, p2 = await world.plane(x), await world.plane(x)
    t = soon(hour=0)  # 08:00 local
    f = await fl.CreateFlight(flight_request(x, a, p1, t, gate="G1"), metadata=ops)
    # p1 flies back from A later in the day
    back = await fl.CreateFlight(flight_request(a, x, p1, t + 5 * H, gate="G1"), metadata=ops)
    later = await fl.CreateFlight(flight_request(x, a, p2, t + 3 * H, gate="G1"), metadata=ops)

    bad = [
        (INVALID, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t - M), delay_code="93", reason="r"), "later"),
        (
            INVALID,
            pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="9", reason="r"),
            "delay_code",
        ),
        (
            INVALID,
            pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="93", reason=" "),
            "reason",
        ),
        (
            INVALID,
            pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="93", reason="x" * 501),
            "reason",
        ),
        (INVALID, pb.DelayFlightRequest(flight_id=f.id, delay_code="93", reason="r"), "new_departure"),
        # the gate is held by `later` (boarding 10:20-11:00) at 10:45
        (
            FAILED,
            pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + 165 * M), delay_code="93", reason="r"),
            "change the gate",
        ),
        # the plane could not make its return flight at t+5h
        (FAILED, pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + 4 * H), delay_code="93", reason="r"), p1),
    ]
    for code, request, message in bad:
        assert message in await expect(code, fl.DelayFlight(request, metadata=ops))
    assert (await fl.GetFlight(pb.GetFlightRequest(id=f.id))).version == 1  # nothing written
    assert later.number in await expect(FAILED, fl.DelayFlight(bad[5][1], metadata=ops))

    delayed = await fl.DelayFlight(
        pb.DelayFlightRequest(
            flight_id=f.id, new_departure=ts(t + 135 * M), delay_code="93", reason="late arrival of the aircraft"
        ),
        metadata=ops,
    )
    assert (delayed.status, delayed.delay_code, delayed.status_reason) == (
        "delayed",
        "93",
        "late arrival of the aircraft",
    )
    assert dt(delayed.estimated_departure) == t + 135 * M and dt(delayed.estimated_arrival) == t + 135 * M + 90 * M
    assert dt(delayed.scheduled_departure) == t and dt(delayed.boarding_starts) == t + 95 * M
    assert delayed.version == 2
    (note,) = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))).announcements
    assert note.message == f"Flight {f.number} to Alor Setar is delayed to 10:15 (local): late arrival of the aircraft."
    assert (note.kind, note.airport, note.flight_number) == ("delay", x, f.number)
    assert note.id in {n.id for n in (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(airport=x))).announcements}
    # the old gate window is free, the plane's commitment moved with it
    assert p1 not in await available(ap, x, t + 2 * H, t + 3 * H)
    # delayed again, with an explicit arrival
    again = await fl.DelayFlight(
        pb.DelayFlightRequest(
            flight_id=f.id,
            new_departure=ts(t + 140 * M),
            new_arrival=ts(t + 140 * M + 80 * M),
            delay_code="41",
            reason="technical check",
        ),
        metadata=ops,
    )
    assert dt(again.estimated_arrival) == t + 220 * M and again.delay_code == "41"
    assert back.status == "scheduled"


async def test_cancellation_frees_the_plane_and_the_gate(
    fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata
) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, plane, t), metadata=ops)
    await expect(INVALID, fl.CancelFlight(pb.CancelFlightRequest(flight_id=f.id, reason=""), metadata=ops))
    cancelled = await fl.CancelFlight(pb.CancelFlightRequest(flight_id=f.id, reason="crew shortage"), metadata=ops)
    assert (cancelled.status, cancelled.status_reason) == ("cancelled", "crew shortage")
    assert plane in await available(ap, x, t - H, t + 4 * H)
    # the same number, plane and gate at the same time again
    again = await fl.CreateFlight(flight_request(x, a, plane, t, num=f.number), metadata=ops)
    assert again.status == "scheduled" and again.id != f.id
    (note,) = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))).announcements
    assert note.kind == "cancellation" and "crew shortage" in note.message


async def test_diversion(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    b = await world.airport(city="Bangkok")
    p1, p2 = await world.plane(x), await world.plane(x)
    t = soon()
    # p1: no next flight, so its commitment follows it to B
    f1 = await fl.CreateFlight(flight_request(x, a, p1, t, gate="G1"), metadata=ops)
    await expect(
        FAILED, fl.DivertFlight(pb.DivertFlightRequest(flight_id=f1.id, diverted_to=b, reason="weather"), metadata=ops)
    )
    for status in ("boarding", "departed"):
        await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f1.id, status=status), metadata=ops)
    await expect(
        INVALID, fl.DivertFlight(pb.DivertFlightRequest(flight_id=f1.id, diverted_to=a, reason="weather"), metadata=ops)
    )
    await expect(
        INVALID,
        fl.DivertFlight(
            pb.DivertFlightRequest(flight_id=f1.id, diverted_to=unknown_airport_code(), reason="weather"), metadata=ops
        ),
    )
    diverted = await fl.DivertFlight(
        pb.DivertFlightRequest(flight_id=f1.id, diverted_to=b, reason="thunderstorms at destination"), metadata=ops
    )
    assert (diverted.status, diverted.diverted_to, diverted.destination) == ("diverted", b, a)
    assert p1 in await available(ap, b, t + 3 * H, t + 5 * H)
    assert p1 not in await available(ap, a, t + 3 * H, t + 5 * H)
    notes = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f1.id))).announcements
    assert [n.kind for n in notes] == ["diversion", "boarding"]  # newest first
    note = notes[0]
    assert note.kind == "diversion" and "diverted to Bangkok" in note.message and "Knock-on" not in note.message
    arrived = await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f1.id, status="arrived"), metadata=ops)
    assert arrived.status == "arrived"

    # p2 has its next flight from A: the diversion is recorded, the knock-on named
    f2 = await fl.CreateFlight(flight_request(x, a, p2, t + 10 * H, gate="G2"), metadata=ops)
    nxt = await fl.CreateFlight(flight_request(a, x, p2, t + 14 * H, gate="G2"), metadata=ops)
    for status in ("boarding", "departed"):
        await fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f2.id, status=status), metadata=ops)
    diverted = await fl.DivertFlight(
        pb.DivertFlightRequest(flight_id=f2.id, diverted_to=b, reason="medical emergency"), metadata=ops
    )
    assert diverted.status == "diverted"
    note = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f2.id))).announcements[0]
    assert "Knock-on" in note.message and nxt.number in note.message


async def test_gate_change(fl: FlightServiceStub, ap: AirportServiceStub, world: World, ops: Metadata) -> None:
    x, a = await world.airport(), await world.airport()
    p1, p2 = await world.plane(x), await world.plane(x)
    await ap.UpdateGate(apb.UpdateGateRequest(airport_code=x, code="G3", status="maintenance"), metadata=ops)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, p1, t, gate="G1"), metadata=ops)
    other = await fl.CreateFlight(flight_request(x, a, p2, t + 10 * M, gate="G2"), metadata=ops)
    assert other.number in await expect(
        FAILED, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G2"), metadata=ops)
    )
    await expect(FAILED, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G3"), metadata=ops))
    await expect(INVALID, fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="Z7"), metadata=ops))
    await fl.CancelFlight(pb.CancelFlightRequest(flight_id=other.id, reason="x"), metadata=ops)
    moved = await fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="g2", reason="cleaning"), metadata=ops)
    assert (moved.gate, moved.version) == ("G2", 2)
    (note,) = (await fl.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=f.id))).announcements
    assert note.kind == "gate_change" and "gate G2 (was G1)" in note.message


async def test_events_carry_a_full_snapshot(
    fl: FlightServiceStub, world: World, ops: Metadata, settings: PlatformSettings
) -> None:
    x, a = await world.airport(), await world.airport()
    plane = await world.plane(x)
    t = soon()
    f = await fl.CreateFlight(flight_request(x, a, plane, t), metadata=ops)
    await expect(FAILED, fl.UpdateStatus(pb.UpdateStatusRequest(flight_id=f.id, status="arrived"), metadata=ops))
    await fl.DelayFlight(
        pb.DelayFlightRequest(flight_id=f.id, new_departure=ts(t + H), delay_code="93", reason="late"), metadata=ops
    )
    await fl.ChangeGate(pb.ChangeGateRequest(flight_id=f.id, gate="G2", reason="swap"), metadata=ops)
    await fl.CancelFlight(pb.CancelFlightRequest(flight_id=f.id, reason="storm"), metadata=ops)
    expected = {
        (flight_events.FLIGHT_SCHEDULED.topic, "FlightScheduled"),
        (flight_events.FLIGHT_DELAYED.topic, "FlightDelayed"),
        (flight_events.FLIGHT_GATE_CHANGED.topic, "FlightGateChanged"),
        (flight_events.FLIGHT_CANCELLED.topic, "FlightCancelled"),
    }
    consumer = make_consumer(
        settings.kafka_bootstrap_servers or "",
        f"flights-test-{uuid.uuid4().hex[:8]}",
        *(e.topic for e in flight_events.FLIGHT_CHANGES),
        flight_events.ANNOUNCEMENT_MADE.topic,
        session_timeout_ms=6000,
    )
    await consumer.start()
    seen: list[tuple[str, Envelope]] = []
    announced: list[Envelope] = []
    try:
        async with asyncio.timeout(60):
            while not (expected <= {(t_, e.type) for t_, e in seen} and len(announced) >= 3):
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    for r in records:
                        e = Envelope.from_json(r.value)
                        if e.key == f.id:
                            seen.append((r.topic, e))
                        elif r.topic == flight_events.ANNOUNCEMENT_MADE.topic and e.payload.get("flight_id") == f.id:
                            announced.append(e)
    finally:
        await consumer.stop()
    by_type = {e.type: e for _, e in seen}
    assert len(seen) == 4  # the refused transition emitted nothing
    delayed = by_type["FlightDelayed"].payload
    assert (
        delayed["previous_status"] == "scheduled" and delayed["delay_code"] == "93" and delayed["delay_minutes"] == 60
    )
    assert delayed["flight"]["status"] == "delayed" and delayed["flight"]["version"] == 2
    snapshot = by_type["FlightCancelled"].payload["flight"]
    for key in (
        "id",
        "number",
        "origin",
        "destination",
        "origin_time_zone",
        "destination_time_zone",
        "plane_id",
        "gate",
        "status",
        "scheduled_departure",
        "scheduled_arrival",
        "estimated_departure",
        "estimated_arrival",
        "actual_departure",
        "actual_arrival",
        "boarding_starts",
        "seats",
        "diverted_to",
        "delay_code",
        "status_reason",
        "version",
    ):
        assert key in snapshot, key
    assert snapshot["seats"] == [
        {"cabin_class": "vip", "capacity": 8, "sold": 0, "overbooking_percent": 0, "seats_left": 8},
        {"cabin_class": "normal", "capacity": 150, "sold": 0, "overbooking_percent": 0, "seats_left": 150},
    ]
    assert (snapshot["status"], snapshot["gate"], by_type["FlightCancelled"].payload["reason"]) == (
        "cancelled",
        "G2",
        "storm",
    )
    assert by_type["FlightGateChanged"].payload["previous_gate"] == "G1"
    assert {e.payload["kind"] for e in announced} == {"delay", "gate_change", "cancellation"}
    assert {e.key for e in announced} == {x}
