"""Booking's side of telling passengers of a flight change (issue 14, item 3): only a confirmed
booking's contact is told, with the change's facts for the notification service to word."""

from __future__ import annotations

from typing import Any

import pytest

from airline.booking import consumers
from airline.booking.domain import State
from airline.contracts.events import booking as booking_events
from airline.contracts.events import flights as flight_events
from tests.unit.test_booking_aggregate import draft

SNAPSHOT = {
    "id": "F0",
    "number": "AL100",
    "origin": "X",
    "destination": "A",
    "origin_time_zone": "Asia/Singapore",
    "destination_time_zone": "Asia/Tokyo",
    "plane_id": "P1",
    "gate": "X2",
    "status": "scheduled",
    "scheduled_departure": "2026-12-24T01:00:00+00:00",
    "scheduled_arrival": "2026-12-24T07:30:00+00:00",
    "estimated_departure": "2026-12-24T01:00:00+00:00",
    "estimated_arrival": "2026-12-24T07:30:00+00:00",
    "status_reason": "an older delay's reason",
    "version": 7,
}


class FakeBookings:
    def __init__(self) -> None:
        self.notes: list[tuple[str, ...]] = []

    async def notify(self, booking_id: str, kind: str, email: str, phone: str, message: str) -> None:
        self.notes.append((booking_id, kind, email, phone, message))


class FakeTx:
    def __init__(self) -> None:
        self.bookings = FakeBookings()
        self.events: list[tuple[str, str, dict[str, Any]]] = []

    async def emit(self, topic: str, key: str, type_: str, payload: dict[str, Any]) -> None:
        self.events.append((topic, key, payload))


def gate_change() -> booking_events.FlightChangeNotice:
    event = flight_events.FLIGHT_GATE_CHANGED.validate(
        {"flight": SNAPSHOT, "previous_status": "scheduled", "previous_gate": "X1", "reason": ""}
    )
    return consumers.notice(event, "gate", "X2", "X1")


def test_a_notice_carries_the_change_its_version_and_its_own_reason() -> None:
    facts = gate_change()
    assert (facts.change, facts.sequence, facts.value, facts.previous) == ("gate", 7, "X2", "X1")
    assert facts.origin_time_zone == "Asia/Singapore" and facts.gate == "X2"
    assert facts.reason == ""  # not the flight's status reason, which belongs to an older change


@pytest.mark.parametrize(
    "state,told",
    [(State.HELD, False), (State.AWAITING_PAYMENT, False), (State.CONFIRMED, True), (State.CANCELLED, False)],
)
async def test_only_a_confirmed_bookings_contact_is_told(state: State, told: bool) -> None:
    b = draft(state=state, pnr="K7Q2XA")
    tx = FakeTx()
    await consumers.tell(tx, b, "F0", "flight_gate_changed", gate_change())  # type: ignore[arg-type]
    assert bool(tx.events) is told and bool(tx.bookings.notes) is told
    if told:
        [(topic, key, payload)] = tx.events
        assert topic == booking_events.PASSENGERS_NOTIFIED.topic and key == b.id
        parsed = booking_events.PASSENGERS_NOTIFIED.validate(payload)
        assert parsed.flight_change == gate_change() and parsed.phone == "+6591234567"
        assert "gate X2" in parsed.message and "K7Q2XA" in parsed.message


async def test_booking_records_a_delay_in_the_airports_local_time() -> None:
    event = flight_events.FLIGHT_DELAYED.validate(
        {
            "flight": SNAPSHOT | {"status": "delayed", "estimated_departure": "2026-12-24T02:30:00+00:00"},
            "previous_status": "scheduled",
            "delay_minutes": 90,
            "previous_estimated_departure": "2026-12-24T01:00:00Z",
            "reason": "late inbound aircraft",
        }
    )
    facts = consumers.notice(event, "delay", "2026-12-24T02:30:00+00:00", "2026-12-24T01:00:00+00:00")
    tx = FakeTx()
    await consumers.tell(tx, draft(state=State.CONFIRMED, pnr="K7Q2XA"), "F0", "flight_delayed", facts)  # type: ignore[arg-type]
    [(_, _, _, _, message)] = tx.bookings.notes
    assert "new departure 24 Dec 2026 10:30 +08: late inbound aircraft" in message
