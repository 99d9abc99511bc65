"""The flat-field mapping between a message and same-named attributes (platform/protobuf.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from types import SimpleNamespace

from airline.crew.v1 import crew_pb2 as pb
from airline.platform.protobuf import fields_of_message, fields_to_message

FLAT = {
    "id", "flight_id", "flight_number", "member_id", "member_name", "role", "state", "origin", "destination",
    "report_at", "departure", "arrival", "release_at", "source", "override_reason", "answer_reason",
    "needs_attention", "created_at", "answered_at",
}  # fmt: skip


class State(Enum):
    PROPOSED = "proposed"


def assignment(**changes: object) -> SimpleNamespace:
    values: dict[str, object] = {name: "" for name in FLAT}
    values.update(
        needs_attention=True,
        state=State.PROPOSED,
        report_at=datetime(2026, 12, 1, 6, 30, tzinfo=UTC),
        departure=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        arrival=None,
        release_at=None,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        answered_at=None,
        violations=[{"rule": "never copied"}],
    )
    values.update(changes)
    return SimpleNamespace(**values)


def test_every_singular_scalar_and_timestamp_is_mapped_and_repeated_fields_are_left_to_the_caller() -> None:
    fields = fields_to_message(pb.Assignment, assignment(id="a-1"))
    assert set(fields) == FLAT  # `violations` (repeated) is not there
    message = pb.Assignment(**fields)
    assert message.id == "a-1" and message.state == "proposed" and message.needs_attention is True
    assert message.HasField("report_at") and not message.HasField("arrival")


def test_a_message_reads_back_into_the_same_values_with_unset_times_as_none() -> None:
    source = assignment(id="a-2", member_name="Ana Lima")
    back = fields_of_message(pb.Assignment(**fields_to_message(pb.Assignment, source)))
    assert back["id"] == "a-2" and back["member_name"] == "Ana Lima" and back["state"] == "proposed"
    assert back["report_at"] == source.report_at and back["departure"] == source.departure
    assert back["arrival"] is None and back["answered_at"] is None
