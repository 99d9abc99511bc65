"""Baggage rules without I/O: measures, allowance and excess fees, licence plates, scan order,
and the printable tag."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from airline.baggage import domain, tagprint
from airline.baggage.domain import Allowance, Measure, Rates, Status
from airline.contracts.events import baggage as baggage_events
from airline.platform.errors import Conflict, ValidationFailed

RATES = Rates(extra_piece=4500, overweight_per_kg=1000, oversize=6000)
SMALL = 55 + 40 + 23  # a 118 cm suitcase


def test_weight_is_stored_in_grams_and_bounded() -> None:
    assert domain.grams("23.4") == 23_400
    assert domain.grams(Decimal("0.0015")) == 2  # to the nearest gram
    assert domain.grams("32") == 32_000
    for bad in ("0", "-1", "abc", "32.001", "NaN", "Infinity", "0.0004"):
        with pytest.raises(ValidationFailed):
            domain.grams(bad)


def test_dimensions_are_bounded() -> None:
    assert domain.dimensions(75, 50, 30) == (75, 50, 30)
    with pytest.raises(ValidationFailed):
        domain.dimensions(0, 50, 30)
    with pytest.raises(ValidationFailed):
        domain.dimensions(150, 100, 60)  # 310 cm in all: cargo


def test_within_the_allowance_costs_nothing() -> None:
    allowance = Allowance(pieces=1, piece_kg=23)
    [c] = domain.charges(allowance, [Measure(23_000, SMALL)], RATES)
    assert c.fee == 0 and c.reasons == []


def test_a_piece_beyond_the_allowance_is_an_extra_piece() -> None:
    allowance = Allowance(pieces=1, piece_kg=23)
    first, second = domain.charges(allowance, [Measure(20_000, SMALL), Measure(10_000, SMALL)], RATES)
    assert first.fee == 0
    assert second.fee == 4500 and second.reasons == ["extra_piece"]


def test_a_bought_piece_is_not_charged_again() -> None:
    allowance = Allowance(pieces=1, piece_kg=23, extra_pieces=1)
    charges = domain.charges(allowance, [Measure(20_000, SMALL)] * 3, RATES)
    assert [c.fee for c in charges] == [0, 0, 4500]


def test_overweight_is_charged_per_started_kilo_after_the_bought_pool() -> None:
    allowance = Allowance(pieces=2, piece_kg=23, overweight_kg=3)
    # 25.2 kg: 3 kg over (rounded up), all from the pool; then 24.1 kg: 2 kg over, the pool is empty
    first, second = domain.charges(allowance, [Measure(25_200, SMALL), Measure(24_100, SMALL)], RATES)
    assert first.fee == 0 and first.overweight_kg == 0
    assert second.fee == 2 * 1000 and second.reasons == ["overweight_2kg"]


def test_oversize_extra_and_overweight_add_up() -> None:
    allowance = Allowance(pieces=0, piece_kg=23)  # an infant: no allowance
    [c] = domain.charges(allowance, [Measure(25_000, 160)], RATES)
    assert c.fee == 4500 + 2 * 1000 + 6000
    assert c.reasons == ["extra_piece", "overweight_2kg", "oversize"]
    [ok] = domain.charges(Allowance(1, 23), [Measure(10_000, 158)], RATES)
    assert ok.fee == 0  # 158 cm is still within size


def test_licence_plate_has_ten_digits_with_the_airline_code() -> None:
    assert domain.licence_plate("738", 42) == "0738000042"
    assert domain.is_tag("0738000042")
    assert not domain.is_tag("1738000042") and not domain.is_tag("073800004") and not domain.is_tag("07380000a2")
    for code, serial in (("73", 1), ("738", 0), ("738", 1_000_000)):
        with pytest.raises(ValueError):
            domain.licence_plate(code, serial)
    with pytest.raises(ValidationFailed):
        domain.tag("12345")


@pytest.mark.parametrize(
    "path",
    [
        ["screened", "loaded", "unloaded", "on_belt", "claimed"],
        ["screened", "mishandled", "loaded", "unloaded", "on_belt", "claimed"],
        ["screened", "loaded", "unloaded", "loaded", "unloaded", "on_belt", "claimed"],
    ],
)
def test_a_bag_follows_its_journey(path: list[str]) -> None:
    s = Status.CHECKED_IN
    for step in path:
        s = domain.next_status(s, domain.tracking_status(step))
    assert s is Status.CLAIMED


@pytest.mark.parametrize(
    "current,wanted",
    [
        (Status.CHECKED_IN, Status.LOADED),  # not loaded before screened
        (Status.SCREENED, Status.ON_BELT),
        (Status.LOADED, Status.CLAIMED),  # claimed only from the belt
        (Status.UNLOADED, Status.CLAIMED),
        (Status.CLAIMED, Status.MISHANDLED),  # closed
        (Status.CLAIMED, Status.SCREENED),
    ],
)
def test_scans_out_of_order_are_refused(current: Status, wanted: Status) -> None:
    with pytest.raises(Conflict) as e:
        domain.next_status(current, wanted)
    assert e.value.code == "bag_out_of_order"


def test_mishandled_from_every_open_state_and_nothing_before_payment() -> None:
    for s in (Status.CHECKED_IN, Status.SCREENED, Status.LOADED, Status.UNLOADED, Status.ON_BELT):
        assert domain.next_status(s, Status.MISHANDLED) is Status.MISHANDLED
    with pytest.raises(Conflict) as e:
        domain.next_status(Status.AWAITING_PAYMENT, Status.SCREENED)
    assert e.value.code == "bag_not_accepted"
    with pytest.raises(ValidationFailed):
        domain.tracking_status("checked_in")  # only acceptance records it


def test_place_and_scan_ids() -> None:
    assert domain.place("xsp", "  X2   hold ") == ("XSP", "X2 hold")
    with pytest.raises(ValidationFailed):
        domain.place("XS", "belt 3")
    with pytest.raises(ValidationFailed):
        domain.client_event_id("")
    assert domain.name_prefix("  LoveLace ") == "lovelace"


def test_the_printable_tag_is_svg_with_an_itf_barcode() -> None:
    bag = {
        "tag": "0738000042",
        "first_name": "Ada",
        "last_name": "Lovelace & Co",
        "flight_number": "XA101",
        "origin": "XSP",
        "destination": "AOR",
        "pnr": "TEB4C9",
        "weight_g": 23400,
    }
    svg = tagprint.tag_svg(bag)
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")
    assert 'data-tag="0738000042"' in svg and "0738 000042" in svg
    assert "XA101" in svg and "AOR" in svg and "LOVELACE &amp; CO/ADA" in svg
    # ITF: 10 digits -> start + 5 digit pairs x 5 bars... + stop: many bars, drawn as rects
    assert len(re.findall(r"<rect", tagprint.barcode_svg("0738000042"))) > 20
    from xml.dom import minidom

    minidom.parseString(svg)  # well-formed XML


def test_a_scan_event_goes_to_its_bag_channel_without_the_contact_phone() -> None:
    from airline.gateway.live import BAG_TRACKED_TOPIC, TOPICS, render
    from airline.platform.events import Envelope

    assert BAG_TRACKED_TOPIC == baggage_events.BAG_TRACKED.topic and BAG_TRACKED_TOPIC in TOPICS
    payload = {
        "bag_id": "b1",
        "tag": "0738000042",
        "status": "loaded",
        "seq": 3,
        "place": {"airport": "XSP", "location": "X1 hold"},
        "at": "2026-01-01T00:00:00+00:00",
        "booking_id": "k",
        "pnr": "TEB4C9",
        "passenger_id": "P1",
        "passenger_name": "Ada Lovelace",
        "flight_id": "f",
        "flight_number": "XA101",
        "phone": "+6591234567",
        "event_id": "s-3",
    }
    envelope = Envelope(type="BagTracked", version=1, producer="baggage", key="b1", payload=payload)
    channels, message = render(BAG_TRACKED_TOPIC, envelope)
    assert channels == ["live:bag:0738000042"]
    assert (message["event"], message["tag"], message["seq"], message["id"]) == (
        "bag",
        "0738000042",
        3,
        envelope.event_id,
    )
    assert message["data"]["status"] == "loaded" and message["data"]["place"]["location"] == "X1 hold"
    assert "phone" not in message["data"] and "+6591234567" not in str(message)
    # nor the passenger, nor a field the event gains later: the public projection lists what is shown
    assert not {"pnr", "passenger_name", "booking_id", "passenger_id"} & message["data"].keys()
    later = Envelope(type="BagTracked", version=1, producer="baggage", key="b1", payload=payload | {"email": "a@b.c"})
    assert "a@b.c" not in str(render(BAG_TRACKED_TOPIC, later)[1])
    assert message["data"]["recorded_by"] is None  # a field the scan lacks is shown as null


def test_a_rerouted_bag_goes_on_the_joined_flight_of_its_route_and_scans_on_from_there() -> None:
    joined = [("f-via", "XSP", "BKK"), ("f-late", "XSP", "AOR"), ("f-other", "SIN", "AOR")]
    assert domain.reroute_flight("XSP", "AOR", joined) == "f-late"  # the same route
    assert domain.reroute_flight("XSP", "CGK", joined) == "f-via"  # else where the bag is
    assert domain.reroute_flight("KUL", "AOR", joined) == "f-late"  # else where it goes
    assert domain.reroute_flight("KUL", "CGK", joined) == "f-via"  # else the first
    assert domain.reroute_flight("XSP", "AOR", []) is None
    for status in (Status.SCREENED, Status.LOADED, Status.UNLOADED, Status.MISHANDLED):
        assert domain.next_status(Status.REROUTED, status) is status
    with pytest.raises(Conflict):
        domain.next_status(Status.REROUTED, Status.CLAIMED)
    assert Status.CLAIMED not in domain.REROUTABLE and Status.WITHDRAWN not in domain.REROUTABLE
    assert Status.LOADED in domain.REROUTABLE and Status.AWAITING_PAYMENT in domain.REROUTABLE
