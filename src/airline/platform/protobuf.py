"""Timestamps between protobuf messages and aware UTC datetimes, and the flat fields a message
shares by name with a domain object or a public model, for every gRPC mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
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


def _flat_fields(message_type: type[Message]) -> list[tuple[str, bool]]:
    """(name, is_timestamp) of every singular scalar or Timestamp field; nested and repeated ones excluded."""
    out = []
    for f in message_type.DESCRIPTOR.fields:
        if f.is_repeated:
            continue
        if f.type != FieldDescriptor.TYPE_MESSAGE:
            out.append((f.name, False))
        elif f.message_type.full_name == Timestamp.DESCRIPTOR.full_name:
            out.append((f.name, True))
    return out


def fields_to_message(message_type: type[Message], source: object) -> dict[str, Any]:
    """The flat fields of `message_type` read from `source`'s same-named attributes: an Enum by its
    value, a datetime as a Timestamp. The caller adds the nested and repeated fields."""
    out: dict[str, Any] = {}
    for name, is_time in _flat_fields(message_type):
        value = getattr(source, name)
        out[name] = timestamp(value) if is_time else value.value if isinstance(value, Enum) else value
    return out


def fields_of_message(message: Message) -> dict[str, Any]:
    """The flat fields of `message` (an unset Timestamp as None), for a model with the same names."""
    out: dict[str, Any] = {}
    for name, is_time in _flat_fields(type(message)):
        if not is_time:
            out[name] = getattr(message, name)
        elif message.HasField(name):
            out[name] = getattr(message, name).ToDatetime(tzinfo=UTC)
        else:
            out[name] = None
    return out
