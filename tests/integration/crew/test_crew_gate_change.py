"""Issue 14, item 3, for crew: a gate change reaches each member holding a duty on the flight as
one notification, and a replayed change (the same flights event under another id) adds none."""

from __future__ import annotations

import dataclasses
import json
import uuid

import sqlalchemy as sa

from airline.contracts.events import flights as flight_events
from airline.crew.v1 import crew_pb2 as pb
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform.events import Envelope
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.booking import published
from tests.support.crew import CrewWorld, eventually, soon
from tests.support.notification import publish


async def gate_notes(world: CrewWorld, member: pb.Member, flight_number: str) -> list[pb.Notification]:
    notes = await world.crew.MyNotifications(pb.MyNotificationsRequest(), metadata=world.me(member))
    return [n for n in notes.notifications if n.kind == "gate_changed" and flight_number in n.message]


async def test_a_gate_change_reaches_the_flights_crew_once(
    world: CrewWorld, settings: PlatformSettings, services: dict[str, RunningService]
) -> None:
    team = await world.full_crew()
    f = await world.flight(soon(), gate="G1")
    await world.proposed(f.id, 5)
    await world.flights.ChangeGate(fpb.ChangeGateRequest(flight_id=f.id, gate="G3", reason="works"), metadata=world.ops)

    for m in team:

        async def told(m: pb.Member = m) -> list[pb.Notification]:
            return await gate_notes(world, m, f.number)

        [note] = await eventually(told)
        assert "gate G3 (was G1)" in note.message

    # the flights event again under a new id (a replay): nobody is told twice
    [event] = await published(settings.kafka_bootstrap_servers or "", flight_events.FLIGHT_GATE_CHANGED.topic, f.id)
    replay = dataclasses.replace(Envelope.from_json(json.dumps(event)), event_id=str(uuid.uuid4()))
    await publish(settings, flight_events.FLIGHT_GATE_CHANGED.topic, replay)

    async def handled() -> bool:
        async with services["crew"].runtime.db.uow() as uow:
            q = sa.text("SELECT 1 FROM crew.processed_events WHERE event_id = :id")
            return (await uow.conn.execute(q, {"id": replay.event_id})).first() is not None

    await eventually(handled)
    for m in team:
        assert len(await gate_notes(world, m, f.number)) == 1
