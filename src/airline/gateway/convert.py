"""Small proto <-> JSON helpers shared by the route modules, and the date types of inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, TypeVar

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import AfterValidator, AwareDatetime

from airline.gateway.problems import ApiProblem
from airline.platform.date_window import EARLIEST, LATEST, check_date
from airline.platform.errors import ValidationFailed

D = TypeVar("D", date, datetime)


def _in_window(value: D) -> D:
    """A date the airline accepts (platform/date_window.py): year 9999 or 0001 is a 422 naming
    the field, never a timestamp conversion that fails with a 5xx further down."""
    try:
        check_date(value, "date")
    except ValidationFailed:
        raise ValueError(f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}") from None
    return value


InWindow = AfterValidator(_in_window)
DateIn = Annotated[date, InWindow]
"""A date input (birth date, a day of a timeline) within the accepted window."""
DateTimeIn = Annotated[AwareDatetime, InWindow]
"""A date-time input with its time zone, within the accepted window."""


def timestamp_out(message: Message, field: str) -> datetime | None:
    """A Timestamp field as an aware UTC datetime (None when unset)."""
    if not message.HasField(field):
        return None
    ts: Timestamp = getattr(message, field)
    return ts.ToDatetime(tzinfo=UTC)


def timestamp_in(value: datetime) -> Timestamp:
    # the last guard for a route that took a datetime without DateTimeIn: year 9999 at UTC-5 would
    # overflow in astimezone (a 500), and a service would store what no flight or person has
    if not EARLIEST <= value.date() <= LATEST:
        raise ApiProblem(
            422, f"dates must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}", "validation_failed"
        )
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(UTC))
    return ts
