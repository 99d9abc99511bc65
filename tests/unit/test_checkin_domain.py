"""Check-in rules without I/O: codes, the BCBP codec (Resolution 792), the windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from airline.checkin import bcbp, domain
from airline.platform.errors import Conflict, ValidationFailed

# The example of Resolution 792 (BCBP Implementation Guide, Attachment: one leg, no
# conditional items): Luc Desmarais, PNR ABC123, Air Canada 834 Montreal -> Frankfurt,
# day 326, business (J), seat 1A, sequence 25, checked in.
STANDARD = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"


def test_the_standards_example_parses_field_by_field() -> None:
    p = bcbp.parse(STANDARD)
    assert p.name == "DESMARAIS/LUC" and p.last_name == "DESMARAIS" and p.first_name == "LUC"
    assert p.electronic_ticket is True
    assert len(p.legs) == 1
    leg = p.legs[0]
    assert (leg.pnr, leg.origin, leg.destination, leg.carrier) == ("ABC123", "YUL", "FRA", "AC")
    assert (leg.flight_number, leg.julian_date, leg.compartment, leg.seat) == ("0834", 326, "J", "1A")
    assert (leg.sequence, leg.passenger_status, leg.conditional) == (25, "1", "")


def test_encoding_the_standards_example_gives_it_back_exactly() -> None:
    carrier, number = bcbp.flight_field("AC834")
    text = bcbp.encode(
        bcbp.Pass(
            bcbp.passenger_name("Desmarais", "Luc"),
            [
                bcbp.Leg(
                    pnr="ABC123",
                    origin="YUL",
                    destination="FRA",
                    carrier=carrier.strip(),
                    flight_number=number,
                    julian_date=326,
                    compartment="J",
                    seat="1A",
                    sequence=25,
                )
            ],
        )
    )
    assert text == STANDARD
    assert len(text) == 60


def test_field_positions_and_padding() -> None:
    assert bcbp.seat_field("12A") == "012A"
    assert bcbp.seat_field("") == "INF "
    assert bcbp.flight_field("XA101") == ("XA ", "0101 ")
    assert bcbp.flight_field("ZQ1234") == ("ZQ ", "1234 ")
    assert bcbp.sequence_field(7) == "0007 " and bcbp.sequence_field(12345) == "12345"
    assert bcbp.julian_date(date(2026, 2, 1)) == 32 and bcbp.julian_date(date(2024, 12, 31)) == 366
    # names: upper case A-Z, accents dropped, cut at 20 characters
    assert bcbp.passenger_name("Lovelace", "Ada") == "LOVELACE/ADA"
    assert bcbp.passenger_name("Nguyễn", "Thị Minh") == "NGUYEN/THI MINH"
    assert bcbp.passenger_name("Wolfeschlegelsteinhausen", "Hubert") == "WOLFESCHLEGELSTEINHA"
    # any script, transliterated as a passport's MRZ (ICAO 9303) and IATA write it
    assert bcbp.passenger_name("王", "小明") == "WANG/XIAOMING"
    assert bcbp.passenger_name("Müller", "Jürgen") == "MUELLER/JUERGEN"
    assert bcbp.passenger_name("O'Brien", "Seán") == "OBRIEN/SEAN"


def test_last_names_match_in_any_script_and_spelling() -> None:
    assert domain.last_name_matches("王", "王") and domain.last_name_matches("wang", "王")
    assert domain.last_name_matches("Nguyen", "Nguyễn") and domain.last_name_matches("MUELLER", "Müller")
    assert domain.last_name_matches("OBrien", "O'Brien")
    assert not domain.last_name_matches("Li", "王") and not domain.last_name_matches("", "王")


def test_roundtrip_with_a_conditional_section_and_two_legs() -> None:
    legs = [
        bcbp.Leg("TEB4C9", "XSP", "AOR", "XA", "0101 ", 330, "Y", "5C", 3, conditional="ABC"),
        bcbp.Leg("TEB4C9", "AOR", "XSP", "XA", "0102 ", 332, "Y", "", 12),
    ]
    text = bcbp.encode(bcbp.Pass("LOVELACE/ADA", legs))
    assert text[1] == "2"
    back = bcbp.parse(text)
    assert [x.seat for x in back.legs] == ["5C", "INF"]
    assert back.legs[0].conditional == "ABC" and back.legs[1].sequence == 12
    assert back.legs[1].flight_number == "0102" and back.legs[1].julian_date == 332


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "X1DESMARAIS/LUC       EABC123",
        STANDARD[:50],
        "M1NOSLASHNAME         E" + STANDARD[23:],
        STANDARD.replace("326J", "3X6J"),
    ],
)
def test_malformed_barcodes_are_refused_clearly(bad: str) -> None:
    with pytest.raises(ValidationFailed):
        bcbp.parse(bad)


def test_codes_use_the_alphabet_without_look_alikes() -> None:
    codes = {domain.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for c in codes:
        assert len(c) == 8 and domain.is_code(c)
        assert not set(c) & set("01ILO")
    assert domain.normalize_code(" ab2c-d3ef ") == "AB2CD3EF"
    assert not domain.is_code("AB2CD3E0")


def test_codes_are_stored_as_a_keyed_digest() -> None:
    d1 = domain.code_digest(b"k1", "ABCDEFGH")
    assert d1 == domain.code_digest(b"k1", "ABCDEFGH")
    assert d1 != domain.code_digest(b"k2", "ABCDEFGH") and "ABCDEFGH" not in d1


T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_the_window_opens_24h_and_closes_1h_before_departure() -> None:
    w = domain.window(T0, 24, 60)
    with pytest.raises(Conflict, match="opens at 2026-11-30 12:00 UTC") as e:
        domain.require_open(T0 - timedelta(hours=24, seconds=1), w, "XA101")
    assert e.value.code == "checkin_not_open"
    domain.require_open(T0 - timedelta(hours=24), w, "XA101")
    domain.require_open(T0 - timedelta(minutes=61), w, "XA101")
    with pytest.raises(Conflict, match="closed at 2026-12-01 11:00 UTC"):
        domain.require_open(T0 - timedelta(minutes=60), w, "XA101")


def test_no_shows_are_known_after_gate_close_or_departure() -> None:
    with pytest.raises(Conflict) as e:
        domain.require_gate_closed(T0 - timedelta(minutes=16), T0, 15, "boarding", "XA101")
    assert e.value.code == "gate_open"
    assert domain.require_gate_closed(T0 - timedelta(minutes=15), T0, 15, "boarding", "XA101") == T0 - timedelta(
        minutes=15
    )
    assert domain.require_gate_closed(T0 - timedelta(hours=2), T0, 15, "departed", "XA101") == T0 - timedelta(hours=2)


def test_codes_expire_after_the_last_flight_and_boarded_refusal_says_when() -> None:
    assert not domain.code_expired(T0 + timedelta(hours=23), T0, 24)
    assert domain.code_expired(T0 + timedelta(hours=25), T0, 24)
    assert "already boarded at 12:00" in domain.boarded_refusal(T0, "XA101").message


def test_compartments() -> None:
    assert domain.compartment("vip") == "J" and domain.compartment("normal") == "Y"


def test_a_replaced_pass_says_where_the_booking_went_and_a_cancelled_one_says_cancelled() -> None:
    replaced = domain.void_leg_refusal(False, "ZA1234")
    assert replaced.code == "pass_replaced" and "ZA1234" in replaced.message
    assert domain.void_leg_refusal(True, "ZA1234").code == "code_revoked"  # cancelled after the move
    assert domain.void_leg_refusal(False, None).code == "code_revoked"


def test_a_checked_in_passenger_is_checked_in_again_on_the_flight_that_replaces_theirs() -> None:
    from airline.checkin.reaccommodation import successor
    from airline.contracts.events.booking import BookedFlight

    via = BookedFlight(flight_id="f-via", number="ZA1", origin="XSP", destination="BKK")
    late = BookedFlight(flight_id="f-late", number="ZA2", origin="XSP", destination="AOR")
    onward = BookedFlight(flight_id="f-on", number="ZA3", origin="BKK", destination="AOR")
    assert successor({"origin": "XSP", "destination": "AOR"}, [via, late]) == "f-late"
    assert successor({"origin": "XSP", "destination": "AOR"}, [onward, via]) == "f-via"  # where they are
    assert successor({"origin": "KUL", "destination": "AOR"}, [onward, via]) == "f-on"
    assert successor({"origin": "XSP", "destination": "AOR"}, []) is None
