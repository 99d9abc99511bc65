"""Message templates per kind: pure functions from facts to (subject, body), with string.Template
so a `$`-free text never needs escaping. Each rendering names its template and version, stored
with the message, so what a passenger received can be traced to the wording of the day.

Times are shown in the airport's local time when the facts carry its time zone, else in UTC
and say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from string import Template
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airline.notification.domain import Channel
from airline.platform.errors import ValidationFailed
from airline.platform.flight_status import FlightStatus

MAX_SMS = 480  # three concatenated SMS segments
MAX_SUBJECT = 200
MAX_EMAIL_BODY = 20_000
SIGNATURE = "XA Airline"


@dataclass(frozen=True)
class Rendered:
    kind: str
    template: str
    channel: Channel
    subject: str
    body: str


def show_time(value: str | datetime | None, time_zone: str | None = None) -> str:
    """'25 Nov 2026 14:05 local time' in `time_zone`, else '25 Nov 2026 06:05 UTC'."""
    if value is None or value == "":
        return "time to be confirmed"
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationFailed(f"{value!r} is not an ISO 8601 time", field="time") from None
    else:
        when = value
    if when.tzinfo is None:
        raise ValidationFailed(f"{value!r} needs a time zone", field="time")
    if time_zone:
        try:
            return f"{when.astimezone(ZoneInfo(time_zone)):%d %b %Y %H:%M} local time"
        except (ZoneInfoNotFoundError, ValueError):
            pass  # an unknown zone must not lose the message: fall back to UTC
    return f"{when.astimezone(UTC):%d %b %Y %H:%M} UTC"


def _leg(f: Mapping[str, Any]) -> str:
    route = f"{f.get('origin', '')}-{f.get('destination', '')}".strip("-")
    when = show_time(f.get("scheduled_departure"), f.get("origin_time_zone") or f.get("time_zone"))
    return f"{f.get('number', '')} {route} {when}".strip()


def _sms(kind: str, body: str) -> Rendered:
    body = " ".join(body.split())
    if len(body) > MAX_SMS:
        body = body[: MAX_SMS - 1] + "…"
    return Rendered(kind, f"{kind}.v1", Channel.SMS, "", body)


def _email(kind: str, subject: str, body: str) -> Rendered:
    return Rendered(kind, f"{kind}.v1", Channel.EMAIL, " ".join(subject.split())[:MAX_SUBJECT], body.strip() + "\n")


_CHECKIN_SMS = Template("$greeting your check-in code for booking $pnr is $code.$flights Show it at the airport.")


def checkin_code(*, code: str, pnr: str, first_name: str = "", flights: Sequence[Mapping[str, Any]] = ()) -> Rendered:
    greeting = f"{first_name}," if first_name else "Hello,"
    legs = f" Flight {', '.join(_leg(f) for f in flights)}." if flights else ""
    return _sms("checkin_code", _CHECKIN_SMS.substitute(greeting=greeting, pnr=pnr, code=code, flights=legs))


_CONFIRMED = Template("""\
Your booking $pnr is confirmed.

Flights:
$flights

Passengers:
$passengers

$total
Check in online with your booking reference $pnr and your last name.

$signature""")


def booking_confirmed(
    *,
    pnr: str,
    flights: Sequence[Mapping[str, Any]],
    passengers: Sequence[Mapping[str, Any]],
    total: int | None = None,
    currency: str = "",
) -> Rendered:
    def passenger(p: Mapping[str, Any]) -> str:
        name = f"{p.get('first_name', '')} {p.get('last_name', '')}".strip()
        seats = [f"{s['seat']}" for s in p.get("flights", ()) if s.get("seat")]
        return f"  - {name}" + (f" (seats {', '.join(seats)})" if seats else "")

    amount = f"Total paid: {total / 100:.2f} {currency}" if total is not None and currency else ""
    body = _CONFIRMED.substitute(
        pnr=pnr,
        flights="\n".join(f"  - {_leg(f)}" for f in flights) or "  (none)",
        passengers="\n".join(passenger(p) for p in passengers) or "  (none)",
        total=amount,
        signature=SIGNATURE,
    )
    return _email("booking_confirmed", f"Booking {pnr} confirmed", body)


def flight_disruption(channel: Channel, *, message: str, pnr: str = "", flight_number: str = "") -> Rendered:
    """A delay or cancellation, worded by whoever knows it (booking writes the message)."""
    if channel is Channel.SMS:
        return _sms("flight_disruption", message)
    about = f"flight {flight_number}" if flight_number else "your flight"
    subject = f"Important: {about}" + (f" (booking {pnr})" if pnr else "")
    return _email("flight_disruption", subject, f"{message}\n\n{SIGNATURE}")


def disruption_text(
    flight_number: str,
    status: str,
    *,
    new_departure: str = "",
    time_zone: str = "",
    reason: str = "",
    destination: str = "",
) -> str:
    to = f" to {destination}" if destination else ""
    why = f": {reason}" if reason else ""
    if status == FlightStatus.CANCELLED:
        return (
            f"Flight {flight_number}{to} is cancelled{why}. You may cancel for a full refund or contact us to rebook."
        )
    if status == FlightStatus.DELAYED:
        return (
            f"Flight {flight_number}{to} is delayed; new departure {show_time(new_departure, time_zone or None)}{why}."
        )
    raise ValidationFailed(f"status must be delayed or cancelled, got {status!r}", field="params.status")


def bag_mishandled(*, tag: str, place: str = "") -> Rendered:
    where = f" It was last seen at {place}." if place else ""
    return _sms(
        "bag_mishandled",
        f"We are sorry: your bag {tag} did not arrive with you.{where} "
        "We are tracing it and will deliver it to you; no need to wait at the airport.",
    )


def generic(channel: Channel, *, text: str, subject: str = "") -> Rendered:
    if channel is Channel.SMS:
        return _sms("generic", text)
    return _email("generic", subject or "A message from XA Airline", text)


# ---------------------------------------------------------------- staff requests (SendMessage)

KINDS = ("checkin_code", "booking_confirmed", "flight_disruption", "bag_mishandled", "generic")
_CHANNELS = {
    "checkin_code": {Channel.SMS},
    "booking_confirmed": {Channel.EMAIL},
    "flight_disruption": {Channel.SMS, Channel.EMAIL},
    "bag_mishandled": {Channel.SMS},
    "generic": {Channel.SMS, Channel.EMAIL},
}


def _need(params: Mapping[str, str], name: str, max_len: int = 300) -> str:
    value = " ".join((params.get(name) or "").split())
    if not value:
        raise ValidationFailed(f"params.{name} is required for this kind", field=f"params.{name}")
    if len(value) > max_len or not value.isprintable():
        raise ValidationFailed(f"params.{name} must be at most {max_len} printable characters", field=f"params.{name}")
    return value


def _opt(params: Mapping[str, str], name: str, max_len: int = 300) -> str:
    return _need(params, name, max_len) if (params.get(name) or "").strip() else ""


def from_params(kind: str, channel: Channel, params: Mapping[str, str]) -> Rendered:
    """Render a staff request; refuses an unknown kind, a kind on the wrong channel and
    missing or oversized parameters."""
    if kind not in _CHANNELS:
        raise ValidationFailed(f"unknown kind {kind!r}; one of {', '.join(KINDS)}", field="kind")
    if channel not in _CHANNELS[kind]:
        raise ValidationFailed(
            f"{kind} is sent by {' or '.join(sorted(_CHANNELS[kind]))}, not {channel}", field="channel"
        )
    flight = {
        "number": _opt(params, "flight_number", 8),
        "origin": _opt(params, "origin", 3),
        "destination": _opt(params, "destination", 3),
        "scheduled_departure": _opt(params, "scheduled_departure", 40),
        "time_zone": _opt(params, "time_zone", 60),
    }
    flights = [flight] if flight["number"] else []
    if flight["scheduled_departure"]:
        show_time(flight["scheduled_departure"])  # validates before anything is stored
    if kind == "checkin_code":
        code = _need(params, "code", 8)
        if len(code) != 8 or not code.isalnum():
            raise ValidationFailed("params.code must be 8 letters or digits", field="params.code")
        return checkin_code(
            code=code, pnr=_need(params, "pnr", 8), first_name=_opt(params, "first_name", 60), flights=flights
        )
    if kind == "booking_confirmed":
        names = [n.strip() for n in _need(params, "passengers", 1000).split(",") if n.strip()]
        return booking_confirmed(
            pnr=_need(params, "pnr", 8), flights=flights, passengers=[{"first_name": n} for n in names]
        )
    if kind == "flight_disruption":
        number = _need(params, "flight_number", 8)
        text = disruption_text(
            number,
            _need(params, "status", 20),
            new_departure=_opt(params, "new_departure", 40),
            time_zone=flight["time_zone"],
            reason=_opt(params, "reason"),
            destination=flight["destination"],
        )
        return flight_disruption(channel, message=text, pnr=_opt(params, "pnr", 8), flight_number=number)
    if kind == "bag_mishandled":
        return bag_mishandled(tag=_need(params, "tag", 20), place=_opt(params, "place", 120))
    # the text keeps its line breaks (an e-mail has paragraphs); only control characters are refused
    text = (params.get("text") or "").strip()
    limit = MAX_SMS if channel is Channel.SMS else MAX_EMAIL_BODY
    if not text or len(text) > limit or not text.replace("\n", "").replace("\t", "").isprintable():
        raise ValidationFailed(f"params.text is required: 1-{limit} printable characters", field="params.text")
    return generic(channel, text=text, subject=_opt(params, "subject", MAX_SUBJECT))
