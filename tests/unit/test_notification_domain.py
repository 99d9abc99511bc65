"""Notification rules and templates, without I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from airline.notification import domain, templates
from airline.notification.domain import Channel
from airline.notification.service import decode_page_token, encode_page_token
from airline.platform.errors import ValidationFailed

FLIGHT = {
    "flight_id": "f1",
    "number": "XA101",
    "origin": "XSP",
    "destination": "SIN",
    "scheduled_departure": "2026-12-01T06:05:00+00:00",
}


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "raw,expected",
    [("+6591234567", "+6591234567"), ("+65 9123 4567", "+6591234567"), ("+1 (415) 555-0100", "+14155550100")],
)
def test_phone_numbers_are_normalised_to_e164(raw: str, expected: str) -> None:
    assert domain.phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "91234567", "+0123456789", "+65abc4567", "+1234567890123456", "++6591234567"])
def test_a_phone_number_not_in_e164_is_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as e:
        domain.phone(raw)
    assert e.value.details["field"] == "recipient"


def test_email_addresses_are_validated_without_the_network() -> None:
    assert domain.email(" Ada@Example.com ") == "Ada@example.com"
    for bad in ("", "ada", "ada@", "@example.com", "ada@@example.com", "ada example@x.com"):
        with pytest.raises(ValidationFailed):
            domain.email(bad)


def test_the_recipient_is_checked_for_its_channel() -> None:
    assert domain.recipient(Channel.SMS, "+6591234567") == "+6591234567"
    with pytest.raises(ValidationFailed):
        domain.recipient(Channel.SMS, "ada@example.com")
    with pytest.raises(ValidationFailed):
        domain.recipient(Channel.EMAIL, "+6591234567")


def test_channel_and_status_must_be_known() -> None:
    assert domain.channel(" SMS ") is Channel.SMS
    assert domain.status("sent") is domain.Status.SENT
    with pytest.raises(ValidationFailed):
        domain.channel("fax")
    with pytest.raises(ValidationFailed):
        domain.status("delivered")


# ---------------------------------------------------------------- dedupe and backoff


def test_the_dedupe_key_names_the_fact_and_nothing_else() -> None:
    a = domain.dedupe_key("checkin_code", "b1", "p1", "7KQ2M9XA")
    assert a == domain.dedupe_key("checkin_code", "b1", "p1", "7KQ2M9XA")
    assert a != domain.dedupe_key("checkin_code", "b1", "p2", "7KQ2M9XA")
    # the separator keeps ("ab","c") and ("a","bc") apart
    assert domain.dedupe_key("ab", "c") != domain.dedupe_key("a", "bc")
    assert len(domain.dedupe_key("x" * 10_000)) == 64


def test_idempotency_keys_are_scoped_to_the_caller() -> None:
    assert domain.api_dedupe_key("ops-1", "k") == domain.api_dedupe_key("ops-1", "k")
    assert domain.api_dedupe_key("ops-1", "k") != domain.api_dedupe_key("ops-2", "k")


def test_backoff_doubles_and_is_capped() -> None:
    delays = [domain.backoff(n, 2.0, 30.0) for n in range(1, 7)]
    assert delays == [timedelta(seconds=s) for s in (2, 4, 8, 16, 30, 30)]


def test_page_tokens_round_trip_and_refuse_forgeries() -> None:
    when = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)
    token = encode_page_token({"created_at": when, "id": "abc"})
    assert decode_page_token(token) == (when, "abc")
    for bad in ("nope", "", "eyJ4Ijog", encode_page_token({"created_at": datetime(2026, 1, 1), "id": "a"})):
        with pytest.raises(ValidationFailed):
            decode_page_token(bad)


# ---------------------------------------------------------------- templates


def test_times_are_local_when_the_zone_is_known_else_utc() -> None:
    assert templates.show_time("2026-12-01T06:05:00Z", "Asia/Singapore") == "01 Dec 2026 14:05 local time"
    assert templates.show_time("2026-12-01T06:05:00Z") == "01 Dec 2026 06:05 UTC"
    assert templates.show_time("2026-12-01T06:05:00Z", "Not/AZone") == "01 Dec 2026 06:05 UTC"
    assert templates.show_time(None) == "time to be confirmed"
    with pytest.raises(ValidationFailed):
        templates.show_time("2026-12-01T06:05:00")  # a time without a zone means nothing
    with pytest.raises(ValidationFailed):
        templates.show_time("tomorrow")


def test_the_checkin_code_sms_carries_the_code_pnr_and_flight() -> None:
    r = templates.checkin_code(
        code="7KQ2M9XA", pnr="K7Q2XA", first_name="Ada", flights=[FLIGHT | {"origin_time_zone": "Asia/Singapore"}]
    )
    assert r.channel is Channel.SMS and r.kind == "checkin_code" and r.template == "checkin_code.v1"
    assert r.subject == ""
    assert r.body.startswith("Ada, your check-in code for booking K7Q2XA is 7KQ2M9XA.")
    assert "XA101 XSP-SIN 01 Dec 2026 14:05 local time" in r.body
    assert len(r.body) <= templates.MAX_SMS


def test_the_confirmation_email_lists_flights_passengers_and_total() -> None:
    r = templates.booking_confirmed(
        pnr="K7Q2XA",
        flights=[FLIGHT],
        total=123450,
        currency="SGD",
        passengers=[
            {"first_name": "Ada", "last_name": "Lovelace", "flights": [{"flight_id": "f1", "seat": "3A"}]},
            {"first_name": "Charles", "last_name": "Babbage", "flights": [{"flight_id": "f1", "seat": ""}]},
        ],
    )
    assert r.channel is Channel.EMAIL and r.subject == "Booking K7Q2XA confirmed"
    assert "XA101 XSP-SIN 01 Dec 2026 06:05 UTC" in r.body
    assert "  - Ada Lovelace (seats 3A)" in r.body and "  - Charles Babbage\n" in r.body
    assert "Total paid: 1234.50 SGD" in r.body


def test_disruptions_go_by_sms_and_email() -> None:
    text = templates.disruption_text(
        "XA101",
        "delayed",
        new_departure="2026-12-01T06:05:00Z",
        time_zone="Asia/Singapore",
        reason="late inbound aircraft",
        destination="SIN",
    )
    assert text == (
        "Flight XA101 to SIN is delayed; new departure 01 Dec 2026 14:05 local time: late inbound aircraft."
    )
    assert "is cancelled" in templates.disruption_text("XA101", "cancelled")
    with pytest.raises(ValidationFailed):
        templates.disruption_text("XA101", "boarding")
    sms = templates.flight_disruption(Channel.SMS, message=text)
    email = templates.flight_disruption(Channel.EMAIL, message=text, pnr="K7Q2XA", flight_number="XA101")
    assert sms.body == text and sms.subject == ""
    assert email.subject == "Important: flight XA101 (booking K7Q2XA)" and email.body.startswith(text)


def test_a_long_sms_is_cut_to_three_segments() -> None:
    r = templates.generic(Channel.SMS, text="word " * 300)
    assert len(r.body) == templates.MAX_SMS and r.body.endswith("…")


def test_bag_mishandled_names_the_tag_and_place() -> None:
    r = templates.bag_mishandled(tag="0157123456", place="SIN baggage hall")
    assert r.channel is Channel.SMS and "0157123456" in r.body and "SIN baggage hall" in r.body


@pytest.mark.parametrize(
    "kind,channel,params,error_field",
    [
        ("weather", Channel.SMS, {"text": "hi"}, "kind"),
        ("checkin_code", Channel.EMAIL, {"code": "7KQ2M9XA", "pnr": "K7Q2XA"}, "channel"),
        ("checkin_code", Channel.SMS, {"pnr": "K7Q2XA"}, "params.code"),
        ("checkin_code", Channel.SMS, {"code": "7KQ2", "pnr": "K7Q2XA"}, "params.code"),
        ("flight_disruption", Channel.SMS, {"flight_number": "XA101", "status": "late"}, "params.status"),
        ("generic", Channel.SMS, {"text": ""}, "params.text"),
        ("generic", Channel.SMS, {"text": "x" * 481}, "params.text"),
        ("generic", Channel.EMAIL, {"text": "bell\x07"}, "params.text"),
        ("bag_mishandled", Channel.SMS, {}, "params.tag"),
        ("generic", Channel.SMS, {"text": "hi", "scheduled_departure": "soon", "flight_number": "XA1"}, "time"),
    ],
)
def test_staff_requests_are_refused_when_the_template_cannot_be_filled(
    kind: str, channel: Channel, params: dict[str, str], error_field: str
) -> None:
    with pytest.raises(ValidationFailed) as e:
        templates.from_params(kind, channel, params)
    assert e.value.details["field"] == error_field


def test_staff_requests_render_every_kind() -> None:
    assert templates.from_params("checkin_code", Channel.SMS, {"code": "7KQ2M9XA", "pnr": "K7Q2XA"}).body.startswith(
        "Hello, your check-in code for booking K7Q2XA is 7KQ2M9XA."
    )
    assert (
        "Ada"
        in templates.from_params(
            "booking_confirmed", Channel.EMAIL, {"pnr": "K7Q2XA", "passengers": "Ada, Charles"}
        ).body
    )
    assert (
        templates.from_params(
            "flight_disruption", Channel.EMAIL, {"flight_number": "XA101", "status": "cancelled"}
        ).kind
        == "flight_disruption"
    )
    assert templates.from_params("bag_mishandled", Channel.SMS, {"tag": "0157123456"}).kind == "bag_mishandled"
    email = templates.from_params("generic", Channel.EMAIL, {"subject": "Found", "text": "Line one.\nLine two."})
    assert email.subject == "Found" and email.body == "Line one.\nLine two.\n"
