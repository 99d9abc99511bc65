"""Notification rules: channels, statuses, recipient validation, dedupe keys, retry backoff.
Pure Python, no I/O."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from enum import StrEnum

from email_validator import EmailNotValidError, validate_email

from airline.platform.errors import ValidationFailed


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


# E.164: a plus, a country code not starting with 0, at most 15 digits in all.
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MAX_REFERENCE = 64
MAX_IDEMPOTENCY_KEY = 255


def channel(value: str) -> Channel:
    try:
        return Channel(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"channel must be sms or email, got {value!r}", field="channel") from None


def status(value: str) -> Status:
    try:
        return Status(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"status must be queued, sent or failed, got {value!r}", field="status") from None


def phone(value: str) -> str:
    """An E.164 number; spaces, dashes and brackets people type are dropped first."""
    cleaned = re.sub(r"[\s\-().]", "", value or "")
    if not _E164.match(cleaned):
        raise ValidationFailed(f"{value!r} is not a phone number in E.164 form (e.g. +6591234567)", field="recipient")
    return cleaned


def email(value: str) -> str:
    try:
        # no DNS lookup: the machines may be offline, and a typo'd domain is the provider's bounce
        return validate_email((value or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError as e:
        raise ValidationFailed(f"{value!r} is not an e-mail address: {e}", field="recipient") from None


def recipient(ch: Channel, value: str) -> str:
    return phone(value) if ch is Channel.SMS else email(value)


def reference(value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_REFERENCE or not value.isprintable():
        raise ValidationFailed(f"reference must be at most {MAX_REFERENCE} printable characters", field="reference")
    return value


def idempotency_key(value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_IDEMPOTENCY_KEY or not value.isprintable():
        raise ValidationFailed(
            f"idempotency_key must be at most {MAX_IDEMPOTENCY_KEY} printable characters", field="idempotency_key"
        )
    return value


def dedupe_key(*parts: str) -> str:
    """One message per fact: the parts name the fact (e.g. kind, booking, passenger, code).
    Hashed so that any length of parts fits the unique index."""
    joined = "\x1f".join(parts)
    return hashlib.sha256(joined.encode()).hexdigest()


def api_dedupe_key(caller: str, key: str) -> str:
    # scoped per caller: two staff members picking the same key never collide
    return dedupe_key("api", caller, key)


def backoff(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Delay before the next try after `attempts` failed ones: exponential, capped."""
    return timedelta(seconds=min(max_seconds, base_seconds * (2 ** max(0, attempts - 1))))
