"""Small proto <-> JSON helpers shared by the route modules."""
from __future__ import annotations

from datetime import datetime, timezone

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp


def timestamp_out(message: Message, field: str) -> datetime | None:
    """A Timestamp field as an aware UTC datetime (None when unset)."""
    if not message.HasField(field):
        return None
    ts: Timestamp = getattr(message, field)
    return ts.ToDatetime(tzinfo=timezone.utc)


def timestamp_in(value: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(timezone.utc))
    return ts
