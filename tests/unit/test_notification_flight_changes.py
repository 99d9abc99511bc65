"""Flight changes told once each (issue 14, item 3): the dedupe key names the change, the
supersede rule drops a change replaced or undone within the settle window, and the wording
shows times in the airport's local time with its zone."""

from __future__ import annotations

import pytest

from airline.notification import domain, templates
from airline.notification.domain import Channel, HeldChange, Status


def held(sequence: int, value: str, previous: str, status: str = Status.QUEUED) -> HeldChange:
    return HeldChange(sequence, value, previous, status)


def test_the_dedupe_key_names_the_change_and_the_channel() -> None:
    key = domain.flight_change_dedupe_key("b1", "f1", "gate", 7, Channel.SMS)
    assert key == domain.flight_change_dedupe_key("b1", "f1", "gate", 7, Channel.SMS)  # a redelivery finds it
    others = {
        domain.flight_change_dedupe_key("b1", "f1", "gate", 8, Channel.SMS),  # the next change
        domain.flight_change_dedupe_key("b1", "f1", "gate", 7, Channel.EMAIL),
        domain.flight_change_dedupe_key("b2", "f1", "gate", 7, Channel.SMS),
        domain.flight_change_dedupe_key("b1", "f1", "delay", 7, Channel.SMS),
    }
    assert key not in others and len(others) == 4
    # one group per contact, flight and kind of change, whatever the version
    assert domain.flight_change_group("b1", "f1", "gate", Channel.SMS) != domain.flight_change_group(
        "b1", "f1", "delay", Channel.SMS
    )


def test_a_lone_change_is_sent() -> None:
    assert domain.why_not_send(held(2, "A2", "A1"), []) == ""


def test_a_gate_changed_and_changed_back_sends_nothing() -> None:
    first, back = held(2, "A2", "A1"), held(3, "A1", "A2")
    assert "superseded" in domain.why_not_send(first, [back])
    assert "undone" in domain.why_not_send(back, [first])


def test_a_delay_made_longer_sends_only_the_newest() -> None:
    thirty, sixty = held(2, "10:30", "10:00"), held(3, "11:00", "10:30")
    assert domain.why_not_send(thirty, [sixty])
    assert domain.why_not_send(sixty, [thirty]) == ""


def test_a_delay_undone_sends_nothing() -> None:
    delayed, undone = held(2, "10:30", "10:00"), held(3, "10:00", "10:30")
    assert domain.why_not_send(delayed, [undone]) and domain.why_not_send(undone, [delayed])


def test_a_change_back_after_the_window_is_news() -> None:
    # A1->A2 was sent (the window passed); A2->A1 later must be told
    sent, back = held(2, "A2", "A1", Status.SENT), held(3, "A1", "A2")
    assert domain.why_not_send(back, [sent]) == ""
    # ... and a change back to what was last sent, through a value never sent, is no news
    middle, again = held(4, "A3", "A1", Status.SUPERSEDED), held(5, "A1", "A3")
    assert "undone" in domain.why_not_send(again, [held(3, "A1", "A2", Status.SENT), middle])


def test_the_order_of_arrival_does_not_matter_only_the_sequence() -> None:
    first, back = held(2, "A2", "A1"), held(3, "A1", "A2")
    assert domain.why_not_send(back, [first]) == domain.why_not_send(back, [first][::-1])
    assert domain.why_not_send(first, [back])  # a later sequence supersedes, whenever it came


DELAY = {
    "change": "delay",
    "sequence": 3,
    "flight_number": "XA101",
    "origin": "XSP",
    "destination": "LHR",
    "origin_time_zone": "Asia/Singapore",
    "destination_time_zone": "Europe/London",
    "estimated_departure": "2026-12-24T09:30:00Z",
    "estimated_arrival": "2026-12-24T23:00:00+00:00",
    "reason": "late inbound aircraft",
}


def test_a_delay_shows_the_airports_local_times_with_their_zones() -> None:
    sms = templates.flight_change(Channel.SMS, DELAY, pnr="K7Q2XA")
    assert sms.kind == "flight_disruption" and sms.template == "flight_delay.en.v1"
    # Singapore has no letters for its zone in the tz database: the offset is shown
    assert "New departure: 24 Dec 2026 17:30 UTC+08:00" in sms.body
    assert "arriving 24 Dec 2026 23:00 GMT" in sms.body
    assert "K7Q2XA" in sms.body and "late inbound aircraft" in sms.body
    mail = templates.flight_change(Channel.EMAIL, DELAY, pnr="K7Q2XA")
    assert mail.subject == "Important: flight XA101 (booking K7Q2XA)" and sms.body in mail.body


def test_an_unknown_zone_falls_back_to_utc_and_says_so() -> None:
    assert templates.show_local("2026-12-24T09:30:00Z", "Mars/Olympus") == "24 Dec 2026 09:30 UTC"
    assert templates.show_local("2026-07-01T09:30:00Z", "Europe/Berlin") == "01 Jul 2026 11:30 CEST"


@pytest.mark.parametrize("change", ["gate", "diversion", "cancellation"])
def test_every_change_has_its_wording(change: str) -> None:
    facts = DELAY | {"change": change, "gate": "X2", "diverted_to": "KUL", "diverted_to_time_zone": "Asia/Kuala_Lumpur"}
    body = templates.flight_change(Channel.SMS, facts, pnr="K7Q2XA").body
    assert "XA101" in body and "K7Q2XA" in body
    assert {"gate": "gate X2", "diversion": "diverted to KUL", "cancellation": "cancelled"}[change] in body


def test_the_booking_language_picks_the_wording_and_falls_back_to_english() -> None:
    assert templates.language_of("") == "en"
    assert templates.language_of("en-GB") == "en"
    assert templates.language_of("xx-YY") == "en"
    assert templates.flight_change(Channel.SMS, DELAY, pnr="K", language="de").template == "flight_delay.en.v1"
