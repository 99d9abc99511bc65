"""The staff's reason (platform/reason.py) and how the booking's history names its steps."""

from __future__ import annotations

import pytest

from airline.booking.history import kind_of, summary
from airline.contracts.events import booking as booking_events
from airline.platform import reason
from airline.platform.auth import Principal, Role
from airline.platform.errors import Conflict, ValidationFailed


def test_a_reason_is_stripped_and_must_be_3_to_500_characters() -> None:
    assert reason.clean("  passenger called  ") == "passenger called"
    assert reason.clean(None) == reason.clean("   ") == ""
    for bad in ("ab", "x" * 501, "tab\tinside"):
        with pytest.raises(ValidationFailed) as e:
            reason.clean(bad)
        assert e.value.code == "reason_invalid"
    assert reason.clean("x" * 500) == "x" * 500


def test_a_reason_travels_in_ascii_metadata_and_comes_back_whole() -> None:
    said = "Mme Lefèvre a appelé: 100% malade"
    sent = reason.to_metadata(said)
    assert sent.isascii()
    assert reason.from_metadata(sent) == said
    assert reason.from_metadata("no") == ""  # malformed counts as none on the service's side
    assert reason.from_metadata(None) == ""


def test_staff_need_a_reason_on_the_named_rpcs_only() -> None:
    reason.require_reason("test.v1.Desk", ["Cancel"], [Role.CS, Role.OPS])
    cs, passenger = Principal("u1", Role.CS), Principal("u2", Role.PASSENGER)
    with pytest.raises(Conflict) as e:
        reason.check("/test.v1.Desk/Cancel", cs)
    assert e.value.code == "reason_required"
    reason.check("/test.v1.Desk/Cancel", passenger)  # passengers never need one
    reason.check("/test.v1.Desk/Cancel", None)  # nor guests
    reason.check("/test.v1.Desk/Get", cs)  # a read needs none
    token = reason.current_reason.set("the passenger asked")
    try:
        reason.check("/test.v1.Desk/Cancel", cs)
    finally:
        reason.current_reason.reset(token)


def test_history_kinds_are_named_after_the_events_and_unknown_ones_after_their_topic() -> None:
    assert kind_of(booking_events.BOOKING_CONFIRMED.topic) == "confirmed"
    assert kind_of(booking_events.PASSENGERS_NOTIFIED.topic) == "message_sent"
    assert kind_of(booking_events.CONFIRMATION_RESENT.topic) == "confirmation_resent"
    assert kind_of(booking_events.PASSENGER_RENAMED.topic) == "name_corrected"
    unknown = ".".join(("booking", "meal_added", "v1"))  # an event this module has no words for yet
    assert kind_of(unknown) == "meal_added"
    assert summary("meal_added", {}) == "Meal added."
    assert summary("seat_changed", {"passenger_id": "P1", "old_seat": "12A", "new_seat": "14C"}) == (
        "P1 moved from seat 12A to 14C."
    )
    assert summary("refunded", {"amount": 12345, "currency": "SGD"}) == "SGD 123.45 refunded to the card."
