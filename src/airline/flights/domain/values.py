"""The small values a flight is made of (codes, numbers, reasons, dates and local times):
each checked and normalised once, with the error a caller can act on. Pure, no I/O."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from airline.platform import date_window
from airline.platform.errors import ValidationFailed

AIRPORT_CODE = re.compile(r"^[A-Z]{3}$")
# IATA: a two-character airline designator, 1 to 4 digits, an optional operational suffix
FLIGHT_NUMBER = re.compile(r"^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?$")
GATE_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
PLANE_ID = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
DELAY_CODE = re.compile(r"^[0-9]{2}$")
LOCAL_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
MAX_DURATION_MINUTES = 20 * 60
MAX_REASON = 500


def airport_code(value: str, field_name: str) -> str:
    code = value.strip().upper()
    if not AIRPORT_CODE.fullmatch(code):
        raise ValidationFailed(f"{field_name} must be a 3-letter IATA airport code, got {value!r}", field=field_name)
    return code


def flight_number(value: str, field_name: str = "number") -> str:
    number = value.strip().upper().replace(" ", "")
    if not FLIGHT_NUMBER.fullmatch(number):
        raise ValidationFailed(
            f"{field_name} must be an airline designator and 1 to 4 digits, like XA101, got {value!r}", field=field_name
        )
    return number


def gate_code(value: str, field_name: str = "gate") -> str:
    code = value.strip().upper()
    if not GATE_CODE.fullmatch(code):
        raise ValidationFailed(f"{field_name} must be a gate code like X1, got {value!r}", field=field_name)
    return code


def plane_id(value: str) -> str:
    pid = value.strip().upper()
    if not PLANE_ID.fullmatch(pid):
        raise ValidationFailed(f"plane_id must look like P1, got {value!r}", field="plane_id")
    return pid


def reason(value: str, field_name: str = "reason", required: bool = True) -> str:
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise ValidationFailed(f"{field_name} is required: the waiting hall shows it", field=field_name)
    if len(cleaned) > MAX_REASON:
        raise ValidationFailed(f"{field_name} must be at most {MAX_REASON} characters", field=field_name)
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise ValidationFailed(f"{field_name} must not contain control characters", field=field_name)
    return cleaned


def delay_code(value: str) -> str:
    code = value.strip()
    if not DELAY_CODE.fullmatch(code):
        raise ValidationFailed(
            f"delay_code must be a two-digit IATA delay code like 93, got {value!r}", field="delay_code"
        )
    return code


def local_date(value: str, field_name: str) -> date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            f"{field_name} must be a date like 2026-12-01, got {value!r}", field=field_name
        ) from None


def window_date(value: date, field_name: str) -> date:
    date_window.check_date(value, field_name)
    return value


def local_time(value: str, field_name: str) -> time:
    match = LOCAL_TIME.fullmatch(value.strip())
    if not match:
        raise ValidationFailed(f"{field_name} must be a local time like 08:00, got {value!r}", field=field_name)
    return time(int(match.group(1)), int(match.group(2)))


def duration(minutes: int, field_name: str = "duration_minutes") -> timedelta:
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise ValidationFailed(
            f"{field_name} must be 1 to {MAX_DURATION_MINUTES} minutes, got {minutes}", field=field_name
        )
    return timedelta(minutes=minutes)


def aware(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationFailed(f"{field_name} must carry a time zone", field=field_name)
    return value.astimezone(UTC)


@lru_cache(maxsize=256)
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def to_local(value: datetime, tz: str) -> datetime:
    return value.astimezone(zone(tz))


def hhmm(value: datetime, tz: str) -> str:
    return to_local(value, tz).strftime("%H:%M")


def at_local(day: date, clock: time, tz: str) -> datetime:
    """The UTC instant of a wall-clock time at an airport. A time skipped by a DST change
    moves forward; a repeated one takes its first occurrence (fold=0)."""
    local = datetime.combine(day, clock, tzinfo=zone(tz))
    # round-trip through UTC normalises non-existent wall times
    return local.astimezone(UTC)


def flight_time(value: datetime, field_name: str) -> datetime:
    """An aware time inside the window of real dates (1900-2100), so that no arithmetic on it
    overflows and no column refuses it: a clear 422 instead."""
    value = aware(value, field_name)
    date_window.check_date(value, field_name)
    return value
