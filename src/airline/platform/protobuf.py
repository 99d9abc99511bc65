"""Timestamps between protobuf messages and aware UTC datetimes, for every gRPC mapping."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from airline.platform.errors import ValidationFailed


def timestamp(value: datetime | None) -> Timestamp | None:
    """None stays unset (a proto3 message field)."""
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value)  # an aware datetime is converted to UTC
    return ts


def optional_time(message: Message, name: str) -> datetime | None:
    # an unset Timestamp reads as 1970-01-01, which would silently mean "the epoch"
    if not message.HasField(name):
        return None
    ts: Timestamp = getattr(message, name)
    try:
        when: datetime = ts.ToDatetime(tzinfo=UTC)
        return when
    except (ValueError, OverflowError):
        raise ValidationFailed(f"{name} is out of range", field=name) from None


def required_time(message: Message, name: str) -> datetime:
    value = optional_time(message, name)
    if value is None:
        raise ValidationFailed(f"{name} is required", field=name)
    return value
