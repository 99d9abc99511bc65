"""Check-in rules: codes, the check-in window, gate close, who a code or pass belongs to.
Pure Python, no I/O."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from airline.platform import flight_status as flight_rules
from airline.platform import names
from airline.platform.errors import Conflict, ValidationFailed

# No look-alikes (0/O, 1/I/L): a code read over the phone or typed from an SMS survives.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_CODE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


class Status(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    BOARDED = "boarded"
    OFFLOADED = "offloaded"  # did not board by door close (checked in or not): off the flight
    CANCELLED = "cancelled"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a person typed, as a code: case and spaces/dashes forgiven; None if it cannot be one.
    (A code that cannot exist is answered like an unknown one: 404.)"""
    return re.sub(r"[\s-]", "", raw or "").upper()


def is_code(code: str) -> bool:
    return bool(_CODE.fullmatch(code))


def code_digest(key: bytes, code: str) -> str:
    """What is stored instead of the code: a leaked table gives no usable codes."""
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def name_key(name: str) -> str:
    """A last name as A-Z without spaces, from any script (Nguyễn -> NGUYEN, 王 -> WANG)."""
    return names.match_key(name)


def last_name_matches(typed: str, booked: str) -> bool:
    """The typed last name is the booked one: in its own script, without accents, or as the
    passport spells it (Müller = Muller = Mueller, 王 = Wang, O'Brien = OBrien)."""
    return names.names_match(typed, booked)


def document_key(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (number or "").upper())


COMPARTMENT = {"vip": "J", "normal": "Y"}


def compartment(cabin_class: str) -> str:
    return COMPARTMENT.get(cabin_class, "Y")


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime


def window(departure: datetime, opens_hours: float, closes_minutes: float) -> Window:
    return Window(departure - timedelta(hours=opens_hours), departure - timedelta(minutes=closes_minutes))


def _fmt(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M UTC")


def require_open(now: datetime, w: Window, flight: str, *, where: str = "check-in") -> None:
    """Inside [opens_at, closes_at); a clear 409 otherwise."""
    if now < w.opens_at:
        raise Conflict(
            f"{where} for flight {flight} opens at {_fmt(w.opens_at)}",
            code="checkin_not_open",
            opens_at=w.opens_at.isoformat(),
        )
    if now >= w.closes_at:
        raise Conflict(
            f"{where} for flight {flight} closed at {_fmt(w.closes_at)}",
            code="checkin_closed",
            closed_at=w.closes_at.isoformat(),
        )


def gate_closed_at(departure: datetime, gate_closes_minutes: float) -> datetime:
    return departure - timedelta(minutes=gate_closes_minutes)


def require_gate_closed(
    now: datetime, departure: datetime, gate_closes_minutes: float, flight_status: str, flight: str
) -> datetime:
    closed = gate_closed_at(departure, gate_closes_minutes)
    if flight_rules.gate_closed_by_status(flight_status):
        return min(closed, now)
    if now < closed:
        raise Conflict(
            f"the gate of flight {flight} closes at {_fmt(closed)}: no-shows are known after that",
            code="gate_open",
            gate_closes_at=closed.isoformat(),
        )
    return closed


def require_boarding_open(now: datetime, departure: datetime, gate_closes_minutes: float, flight: str) -> None:
    """Boarding closes with the gate (gate close = boarding close): a later scan is refused."""
    closed = gate_closed_at(departure, gate_closes_minutes)
    if now >= closed:
        raise Conflict(
            f"boarding of flight {flight} closed at {_fmt(closed)} (gate close)",
            code="boarding_closed",
            closed_at=closed.isoformat(),
        )


def require_checkin_closed(
    now: datetime, departure: datetime, closes_minutes: float, flight: str, what: str = "standby"
) -> None:
    """Standby and upgrades are cleared once nobody can check in any more: who did not is a no-show."""
    closed = departure - timedelta(minutes=closes_minutes)
    if now < closed:
        raise Conflict(
            f"check-in for flight {flight} is open until {_fmt(closed)}: the {what} list is cleared after that",
            code="checkin_open",
            closes_at=closed.isoformat(),
        )


def on_standby(leg: Mapping[str, Any]) -> bool:
    """Checked in without a seat (the cabin was full at the counter); an infant sits on a lap."""
    return leg["status"] == Status.CHECKED_IN.value and not leg["seat"] and leg["type"] != "infant"


def door_closed_refusal(flight: str, closed_at: datetime) -> Conflict:
    return Conflict(
        f"the door of flight {flight} closed at {_fmt(closed_at)}: nobody boards any more",
        code="door_closed",
        closed_at=closed_at.isoformat(),
    )


def travel_document(date_of_birth: object, document: dict[str, object] | None, meal: str | None) -> dict[str, str]:
    """What the final manifest and the APIS export keep of a booked passenger (the booking's
    event fields; empty when it had none). The document's issuing country stands for the
    nationality: the booking asks for no separate one."""
    doc = document or {}
    return {
        "date_of_birth": str(date_of_birth or "")[:10],
        "document_type": str(doc.get("type") or ""),
        "document_country": str(doc.get("issuing_country") or "").upper(),
        "document_expiry": str(doc.get("expiry") or "")[:10],
        "meal": str(meal or ""),
    }


def code_expired(now: datetime, last_departure: datetime | None, grace_hours: float) -> bool:
    """A code is spent once its last flight has left (with a margin for delays)."""
    return last_departure is not None and now > last_departure + timedelta(hours=grace_hours)


def boarded_refusal(boarded_at: datetime, flight: str) -> Conflict:
    return Conflict(
        f"already boarded at {boarded_at.strftime('%H:%M')} UTC (flight {flight})",
        code="already_boarded",
        boarded_at=boarded_at.isoformat(),
    )


def require_flight_id(raw: str) -> str:
    fid = (raw or "").strip()
    if not fid or len(fid) > 64 or not re.fullmatch(r"[A-Za-z0-9_-]+", fid):
        raise ValidationFailed("flight_id is required", field="flight_id")
    return fid


def void_leg_refusal(revoked: bool, replaced_by: str | None) -> Conflict:
    """Why a leg's code or pass no longer counts: its booking was cancelled, or the airline
    moved the booking to other flights (re-accommodation) and reissued what it needed."""
    if replaced_by and not revoked:
        return Conflict(
            f"this boarding pass was replaced: the booking was moved to flight {replaced_by}; use the new pass",
            code="pass_replaced",
            replaced_by=replaced_by,
        )
    return Conflict("this boarding pass was revoked: its booking was cancelled", code="code_revoked")
