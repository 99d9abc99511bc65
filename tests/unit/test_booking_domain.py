"""Booking rules without I/O: state machine, PNRs, e-tickets, passengers, luggage, refunds."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.booking import domain, fares, passengers
from airline.booking.domain import State
from airline.booking.fares import BagPrices, FareRules
from airline.booking.passengers import PassengerInput, PassengerType
from airline.platform.errors import Conflict, ValidationFailed

TRAVEL = date(2027, 6, 15)
COUNTS = {PassengerType.ADULT: 2, PassengerType.CHILD: 1, PassengerType.INFANT: 1}


def pax(kind: str, born: str, infant_of: str = "", **kw: str) -> PassengerInput:
    values = dict(
        type=kind,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=born,
        document_type="passport",
        document_number="K1234567",
        document_country="SG",
        document_expiry="2035-01-01",
        infant_of=infant_of,
    )
    values.update(kw)
    return PassengerInput(**values)


FAMILY = [
    pax("adult", "1985-01-01"),
    pax("adult", "1986-01-01"),
    pax("child", "2020-01-01"),
    pax("infant", "2026-01-01", infant_of="P2"),
]


def test_state_machine() -> None:
    assert domain.transition(State.HELD, State.AWAITING_PAYMENT) is State.AWAITING_PAYMENT
    assert domain.transition(State.AWAITING_PAYMENT, State.CONFIRMED) is State.CONFIRMED
    assert domain.transition(State.AWAITING_PAYMENT, State.HELD) is State.HELD  # declined
    # a confirmed booking is cancelled in two steps: the refund is recorded before the seats go
    assert domain.transition(State.CONFIRMED, State.CANCELLING) is State.CANCELLING
    assert domain.transition(State.CANCELLING, State.CANCELLED) is State.CANCELLED
    with pytest.raises(Conflict):
        domain.transition(State.CONFIRMED, State.CANCELLED)
    for target in State:
        with pytest.raises(Conflict):
            domain.transition(State.EXPIRED, target)
    with pytest.raises(Conflict):
        domain.transition(State.HELD, State.CONFIRMED)  # never confirmed without a payment step


@given(st.integers(0, 10_000))
def test_pnrs_use_the_unambiguous_alphabet(_: int) -> None:
    pnr = domain.new_pnr()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", pnr)
    assert not set(pnr) & set("0O1IL")
    assert domain.normalise_pnr(pnr.lower()) == pnr


def test_a_pnr_with_an_ambiguous_character_is_refused() -> None:
    for bad in ("ABC0EF", "ABCDE", "ABCDEI", "ABCDEL"):
        with pytest.raises(ValidationFailed):
            domain.normalise_pnr(bad)


@given(st.integers(1, 10**10 - 1))
def test_ticket_numbers_are_13_digits_with_the_prefix(serial: int) -> None:
    number = domain.ticket_number("738", serial)
    assert len(number) == 13 and number.startswith("738") and int(number[3:]) == serial


def test_age_decides_the_type_on_the_day_of_travel() -> None:
    assert passengers.type_at(date(2025, 6, 16), TRAVEL) is PassengerType.INFANT  # 1 day short of 2
    assert passengers.type_at(date(2025, 6, 15), TRAVEL) is PassengerType.CHILD
    assert passengers.type_at(date(2015, 6, 16), TRAVEL) is PassengerType.CHILD
    assert passengers.type_at(date(2015, 6, 15), TRAVEL) is PassengerType.ADULT


def test_a_family_is_valid() -> None:
    out = passengers.validate_passengers(FAMILY, COUNTS, TRAVEL, TRAVEL)
    assert [(p.id, p.type) for p in out] == [
        ("P1", PassengerType.ADULT),
        ("P2", PassengerType.ADULT),
        ("P3", PassengerType.CHILD),
        ("P4", PassengerType.INFANT),
    ]
    assert out[3].infant_of == "P2"


@pytest.mark.parametrize(
    "change, field",
    [
        ({2: pax("adult", "2020-01-01")}, "type"),  # a child declared adult
        ({0: pax("adult", "1985-01-01", first_name="Ad4")}, "first_name"),
        ({0: pax("adult", "1985-01-01", document_expiry="2027-06-15")}, "expiry"),  # expires on travel day
        ({0: pax("adult", "1985-01-01", document_type="visa")}, "document.type"),
        ({0: pax("adult", "1985-01-01", document_country="SGP")}, "issuing_country"),
        ({3: pax("infant", "2026-01-01", infant_of="P3")}, "infant_of"),  # a child's lap
        ({3: pax("infant", "2026-01-01")}, "infant_of"),
        ({3: pax("adult", "1980-01-01")}, "passengers"),  # counts do not match the offer
    ],
)
def test_bad_passengers_are_refused(change: dict[int, PassengerInput], field: str) -> None:
    people = [change.get(i, p) for i, p in enumerate(FAMILY)]
    with pytest.raises(ValidationFailed) as e:
        passengers.validate_passengers(people, COUNTS, TRAVEL, TRAVEL)
    assert field in e.value.details["field"]


def test_two_infants_cannot_share_a_lap() -> None:
    people = [
        pax("adult", "1985-01-01"),
        pax("infant", "2026-01-01", infant_of="P1"),
        pax("infant", "2026-02-01", infant_of="P1"),
    ]
    with pytest.raises(ValidationFailed):
        passengers.validate_passengers(people, {PassengerType.ADULT: 1, PassengerType.INFANT: 2}, TRAVEL, TRAVEL)


def test_names_allow_hyphens_apostrophes_and_accents_and_match_upper_case() -> None:
    assert passengers.clean_name("  O'Hara-Hopper ", "n") == "O'Hara-Hopper"
    assert passengers.clean_name("José  María", "n") == "José María"
    assert passengers.last_name_matches("o'hara-hopper", "O'HARA-HOPPER")
    assert passengers.clean_name("王", "n") == "王" and passengers.clean_name("Nguyễn", "n") == "Nguyễn"
    assert passengers.last_name_matches("Nguyen", "Nguyễn") and passengers.last_name_matches("MUELLER", "Müller")
    assert not passengers.last_name_matches("Smith", "Nguyễn")
    for bad in ("", "A1", "--", "Ann--Lee", "x" * 61):
        with pytest.raises(ValidationFailed):
            passengers.clean_name(bad, "n")


def test_contact_needs_e164_and_an_email() -> None:
    assert passengers.validate_contact(" a@b.co ", "+65 9123 4567") == ("a@b.co", "+6591234567")
    for email, phone in (("a@b", "+6591234567"), ("a@b.co", "91234567"), ("a@b.co", "+0591234567")):
        with pytest.raises(ValidationFailed):
            passengers.validate_contact(email, phone)


def test_seats_are_one_per_seated_passenger() -> None:
    people = passengers.validate_passengers(FAMILY, COUNTS, TRAVEL, TRAVEL)
    chosen = passengers.seats_for_flight(people, {"P1": "3a", "P2": "3B", "P3": "3C"})
    assert chosen == {"P1": "3A", "P2": "3B", "P3": "3C"}
    for bad in (
        {"P1": "3A", "P2": "3B"},
        {"P1": "3A", "P2": "3B", "P3": "3C", "P4": "3D"},
        {"P1": "3A", "P2": "3A", "P3": "3C"},
    ):
        with pytest.raises(ValidationFailed):
            passengers.seats_for_flight(people, bad)


def test_luggage_allowance_and_prices() -> None:
    prices = BagPrices(per_piece=4500, per_overweight_kg=1000, max_pieces=5, max_overweight_kg=32)
    assert fares.included_pieces(PassengerType.ADULT, 1) == 1
    assert fares.included_pieces(PassengerType.INFANT, 2) == 0
    assert fares.bag_fee(0, 0, prices) == 0
    assert fares.bag_fee(2, 3, prices) == 2 * 4500 + 3 * 1000
    with pytest.raises(ValidationFailed):
        fares.bag_fee(6, 0, prices)
    with pytest.raises(ValidationFailed):
        fares.bag_fee(-1, 0, prices)


def test_refunds_follow_the_fare_rules() -> None:
    assert fares.refund_amount(100_000, [(True, 5000), (True, 5000)], False) == 90_000
    assert fares.refund_amount(8000, [(True, 5000), (True, 5000)], False) == 0
    assert fares.refund_amount(100_000, [(True, 5000), (False, 0)], False) == 0
    assert fares.refund_amount(100_000, [(False, 0)], True) == 100_000  # the airline cancelled the flight


def test_a_no_show_gets_the_taxes_by_its_rule_and_never_the_fare() -> None:
    # (no-show rule, taxes per passenger) per leg, as booked
    assert fares.no_show_refund([("taxes", 2500), ("taxes", 3000)], 2, 100_000) == 2 * 2500 + 2 * 3000
    assert fares.no_show_refund([("taxes", 2500), ("", 3000)], 2, 100_000) == 2 * 2500
    assert fares.no_show_refund([("none", 2500), ("", 0)], 3, 100_000) == 0
    assert fares.no_show_refund([("TAXES ", 2500)], 1, 100_000) == 2500
    assert fares.no_show_refund([("taxes", 90_000)], 2, 100_000) == 100_000  # never more than was paid
    assert fares.no_show_refund([], 2, 100_000) == 0


def test_a_cancellation_after_departure_ignores_the_refundable_fare() -> None:
    refundable = FareRules(
        checked_bags=1, bag_weight_kg=23, refundable=True, change_fee=5000, no_show_refund="", taxes=2000
    )
    taxes = replace(refundable, no_show_refund="taxes")
    assert fares.cancellation_refund(100_000, [refundable], 2, False, no_show=False) == 95_000
    assert fares.cancellation_refund(100_000, [refundable], 2, False, no_show=True) == 0
    assert fares.cancellation_refund(100_000, [taxes], 2, False, no_show=True) == 4000
    # the airline cancelled the flight: everything back, whatever else happened
    assert fares.cancellation_refund(100_000, [taxes], 2, True, no_show=True) == 100_000


def test_a_guest_sees_the_last_4_of_a_document_and_no_birth_date() -> None:
    p = {
        "id": "P1",
        "type": "adult",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": "1985-12-10",
        "document": {"type": "passport", "number": "K1234567", "issuing_country": "SG", "expiry": "2040-01-31"},
    }
    seen = passengers.guest_passenger(p)
    assert seen["document"]["number"] == "****4567" and seen["date_of_birth"] == ""
    assert seen["document"]["issuing_country"] == "SG" and seen["first_name"] == "Ada"
    assert p["document"]["number"] == "K1234567"  # the stored passenger is untouched
    assert passengers.mask_document_number("AB123") == "*B123"
