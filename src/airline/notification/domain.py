"""Notification rules: channels, statuses, recipient validation, dedupe keys, retry backoff.
Pure Python, no I/O."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
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
    # a held flight-change message that was not sent: a later change replaced or undid it
    SUPERSEDED = "superseded"


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
        raise ValidationFailed(
            f"status must be queued, sent, failed or superseded, got {value!r}", field="status"
        ) from None


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


# ---------------------------------------------------------------- flight changes: once each

# Changes worth waiting for: the airline may undo or replace them within the settle window.
# A cancellation is final: it goes at once.
SETTLED_CHANGES = frozenset({"delay", "gate", "diversion"})
# ... and it makes what is still held of the others moot.
FINAL_CHANGE = "cancellation"


def flight_change_dedupe_key(booking_id: str, flight_id: str, change: str, sequence: int, channel: Channel) -> str:
    """One message per booking contact per change: the change is named by the flight's version
    after it, so a redelivered or replayed event (whoever produced it again) finds the first."""
    return dedupe_key("flight_change", booking_id, flight_id, change, str(sequence), channel.value)


def flight_change_group(booking_id: str, flight_id: str, change: str, channel: Channel) -> str:
    """The messages that may supersede one another: one contact, one flight, one kind of change."""
    return dedupe_key("flight_change_group", booking_id, flight_id, change, channel.value)


@dataclass(frozen=True)
class HeldChange:
    sequence: int  # the flight's version after the change
    value: str  # the changed fact after the change (gate, departure time, airport)
    previous: str  # ... and before it
    status: str


def why_not_send(candidate: HeldChange, group: Sequence[HeldChange]) -> str:
    """At send time, after the settle window: why this message is not to be sent ("" = send it).

    A later change of the same kind supersedes it (that one tells the newest value). And a
    change that brings back what the contact was last told (the value of the last message
    sent, or, when none was, the value before the first change since) is no news: A1->A2->A1
    within the window sends nothing, while a 30 then a 60 minute delay sends the 60."""
    if any(other.sequence > candidate.sequence for other in group):
        return "superseded by a later change within the settle window"
    earlier = sorted((o for o in group if o.sequence < candidate.sequence), key=lambda o: o.sequence)
    sent = [o for o in earlier if o.status == Status.SENT]
    if sent:
        known = sent[-1].value
    else:
        known = earlier[0].previous if earlier else candidate.previous
    if candidate.value == known:
        return "undone within the settle window: the contact's last news stands"
    return ""
