"""The window of dates the airline accepts from the outside world.

A date before 1900 or after 2100 is a typing error or an attack, never a real birth date,
document expiry or flight; a flight more than `MAX_DAYS_AHEAD` days ahead is beyond any
schedule an airline sells. Every service and the gateway check their inputs against the same
window, so such a date is a clear 422 (ValidationFailed) and never reaches a database column
or a timestamp conversion that would fail with a 5xx.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from airline.platform.errors import ValidationFailed

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
MAX_DAYS_AHEAD = 400
"""How far ahead a flight may be scheduled (days); services may configure less or more."""


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def within_window(value: date | datetime) -> bool:
    return EARLIEST <= _day(value) <= LATEST


def check_date(value: date | datetime, field: str) -> None:
    """422 for a date outside 1900-01-01 .. 2100-12-31."""
    if not within_window(value):
        raise ValidationFailed(f"{field} must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}", field=field)


def check_flight_time(
    value: datetime, field: str = "departure", *, max_days_ahead: int = MAX_DAYS_AHEAD, now: datetime | None = None
) -> None:
    """422 for a flight time outside the window or more than `max_days_ahead` days from now."""
    check_date(value, field)
    now = now or datetime.now(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value > now + timedelta(days=max_days_ahead):
        raise ValidationFailed(
            f"{field} is more than {max_days_ahead} days ahead; flights are scheduled at most "
            f"{max_days_ahead} days in advance",
            field=field,
        )
