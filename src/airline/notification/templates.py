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


def show_local(value: str | datetime | None, time_zone: str | None) -> str:
    """'24 Dec 2026 17:30 SGT' style: the airport's local time with its zone's abbreviation,
    or its UTC offset where the zone has no letters ('+08' becomes 'UTC+08:00'); UTC without
    a zone."""
    if value is None or value == "":
        return "time to be confirmed"
    shown = show_time(value, None)  # validates; the UTC form
    if not time_zone:
        return shown
    when = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    try:
        local = when.astimezone(ZoneInfo(time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        return shown
    name = local.strftime("%Z")
    if not name or name[0] in "+-":
        offset = local.strftime("%z")
        name = f"UTC{offset[:3]}:{offset[3:]}"
    return f"{local:%d %b %Y %H:%M} {name}"


# Wording of flight changes per language; a booking's language falls back to English.
# Another language is one more entry with the same keys.
_FLIGHT_CHANGE: dict[str, dict[str, Template]] = {
    "en": {
        "delay": Template("Flight $number $route (booking $pnr) is delayed. New departure: $departure$arrival.$reason"),
        "gate": Template("Flight $number $route (booking $pnr) now departs from gate $gate.$departure_note$reason"),
        "diversion": Template(
            "Flight $number $route (booking $pnr) is diverted to $diverted_to.$arrival_note$reason "
            "We will help you on to $destination."
        ),
        "cancellation": Template(
            "Flight $number $route (booking $pnr) is cancelled.$reason "
            "You may cancel for a full refund or contact us to rebook."
        ),
        "subject": Template("Important: flight $number (booking $pnr)"),
        "arrival": Template(", arriving $arrival"),
        "departure_note": Template(" Departure: $departure."),
        "arrival_note": Template(" Expected arrival there: $arrival."),
        "reason": Template(" Reason: $reason."),
    }
}
DEFAULT_LANGUAGE = "en"


def language_of(tag: str) -> str:
    """The wording to use for a BCP 47 tag ('pt-BR' -> 'pt' when only that exists)."""
    tag = (tag or "").strip().lower().replace("_", "-")
    for candidate in (tag, tag.split("-")[0]):
        if candidate in _FLIGHT_CHANGE:
            return candidate
    return DEFAULT_LANGUAGE


def flight_change(channel: Channel, facts: Mapping[str, Any], *, pnr: str, language: str = "") -> Rendered:
    """A delay, gate change, diversion or cancellation, worded from its facts; times in the
    local time of the airport they happen at."""
    lang = language_of(language)
    words = _FLIGHT_CHANGE[lang]
    change = str(facts["change"])
    if change not in ("delay", "gate", "diversion", "cancellation"):
        raise ValidationFailed(f"unknown flight change {change!r}", field="flight_change.change")
    departure = show_local(facts.get("estimated_departure"), facts.get("origin_time_zone"))
    arrival_tz = facts.get("diverted_to_time_zone") if change == "diversion" else facts.get("destination_time_zone")
    arrival = show_local(facts.get("estimated_arrival"), arrival_tz) if facts.get("estimated_arrival") else ""
    reason = " ".join(str(facts.get("reason") or "").split()).rstrip(".")
    values = {
        "number": facts.get("flight_number", ""),
        "route": f"{facts.get('origin', '')}-{facts.get('destination', '')}",
        "pnr": pnr,
        "departure": departure,
        "arrival": words["arrival"].substitute(arrival=arrival) if arrival else "",
        "departure_note": words["departure_note"].substitute(departure=departure)
        if facts.get("estimated_departure")
        else "",
        "arrival_note": words["arrival_note"].substitute(arrival=arrival) if arrival else "",
        "gate": facts.get("gate") or facts.get("value") or "",
        "diverted_to": facts.get("diverted_to") or facts.get("value") or "",
        "destination": facts.get("destination", ""),
        "reason": words["reason"].substitute(reason=reason) if reason else "",
    }
    text = words[change].substitute(values)
    template = f"flight_{change}.{lang}.v1"
    if channel is Channel.SMS:
        sms = _sms("flight_disruption", text)
        return Rendered(sms.kind, template, sms.channel, sms.subject, sms.body)
    mail = _email("flight_disruption", words["subject"].substitute(values), f"{text}\n\n{SIGNATURE}")
    return Rendered(mail.kind, template, mail.channel, mail.subject, mail.body)


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
