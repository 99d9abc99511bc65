"""booking's SeatsAssigned handler is Selective (platform/consumer.py): its test on the envelope
turns down exactly the events the handler would do nothing with, so the common one, a hold the
booking confirmed itself, costs the booking service no transaction."""

from __future__ import annotations

from typing import Any

import pytest

from airline.booking.consumers import handlers
from airline.booking.seat_swaps import SWAP, acts_on
from airline.contracts.events import reservation as reservation_events
from airline.platform.consumer import Selective
from airline.platform.events import Envelope

SEAT = {
    "flight_id": "F1",
    "seat": "12A",
    "passenger_ref": "b1-P1",
    "passenger_type": "adult",
    "cabin_class": "normal",
    "booking_ref": "b1",
}


def envelope(**payload: Any) -> Envelope:
    body = {"flight_id": "F1", "booking_ref": "b1", "assignments": [SEAT], **payload}
    return Envelope(type="SeatsAssigned", version=1, producer="reservation", key="F1", payload=body)


@pytest.mark.parametrize(
    ("payload", "acted_on"),
    [
        ({"hold_id": "h-1"}, False),  # a hold the booking confirmed: its own choice, in its copy already
        ({"hold_id": "h-1", "reason": SWAP}, True),  # an aircraft swap re-seats, whatever the hold
        ({"hold_id": None}, True),  # given at the airport (no hold): the booking's copy follows
        ({"hold_id": "", "reason": SWAP, "sequence": 3}, True),
        ({"hold_id": None, "assignments": []}, False),  # nothing assigned
    ],
)
def test_the_filter_turns_down_only_what_the_handler_ignores(payload: dict[str, Any], acted_on: bool) -> None:
    e = envelope(**payload)
    reservation_events.SEATS_ASSIGNED.parse(e)  # a payload the catalogue accepts
    assert acts_on(e) is acted_on


def test_the_booking_consumer_uses_the_filter() -> None:
    handler = handlers()[reservation_events.SEATS_ASSIGNED.topic]
    assert isinstance(handler, Selective) and handler.wants is acts_on
