"""The Booking aggregate keeps its own invariants (domain.py): what may be paid, what a failed
payment, a compensation, a cancellation and a flight's cancellation do to it. No I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from airline.booking.domain import Booking, Leg, PaymentRecord, SeatChoice, State
from airline.booking.fares import BagPrices, FareRules
from airline.booking.passengers import Document, Passenger, PassengerType
from airline.platform.errors import Conflict, ValidationFailed

NOW = datetime(2027, 6, 1, 12, tzinfo=UTC)
DOC = Document("passport", "K1234567", "SG", date(2035, 1, 1))
ADA = Passenger("P1", PassengerType.ADULT, "Ada", "Lovelace", date(1985, 1, 1), DOC)
BABY = Passenger("P2", PassengerType.INFANT, "Baby", "Lovelace", date(2027, 1, 1), DOC, infant_of="P1")
PRICES = BagPrices(per_piece=4500, per_overweight_kg=1000, max_pieces=5, max_overweight_kg=32)


def leg(i: int, *, refundable: bool = True, change_fee: int = 1000) -> Leg:
    return Leg(
        i,
        f"F{i}",
        f"AL10{i}",
        "X",
        "A",
        "Asia/Singapore",
        NOW + timedelta(days=5 + i),
        NOW + timedelta(days=5 + i, hours=2),
        None,
        None,
        "scheduled",
        "",
        FareRules(1, 23, refundable, change_fee, "taxes", 700),
        hold_id=f"H{i}",
    )


def draft(**kw: object) -> Booking:
    values: dict[str, object] = {
        "id": "b1",
        "owner": "",
        "client_key": "",
        "state": State.HELD,
        "step": "seats",
        "offer_id": "o",
        "cabin_class": "economy",
        "trip_type": "round_trip",
        "adults": 1,
        "children": 0,
        "infants": 1,
        "currency": "SGD",
        "fare_total": 40_000,
        "expires_at": NOW + timedelta(minutes=15),
        "legs": [leg(0), leg(1)],
        "passengers": [ADA, BABY],
        "contact_email": "ada@example.com",
        "contact_phone": "+6591234567",
        "seats": [SeatChoice("F0", "P1", "3A"), SeatChoice("F1", "P1", "4C")],
    }
    values.update(kw)
    return Booking(**values)  # type: ignore[arg-type]


def test_paying_needs_passengers_seats_on_every_flight_and_a_live_booking() -> None:
    with pytest.raises(Conflict, match="seats on flight AL101"):
        draft(seats=[SeatChoice("F0", "P1", "3A")]).start_payment(NOW)
    with pytest.raises(Conflict, match="expired"):
        draft().start_payment(NOW + timedelta(hours=1))
    with pytest.raises(Conflict, match="passengers"):
        draft(passengers=[]).start_payment(NOW)
    b = draft(pay_attempt=2, payment=PaymentRecord(status="failed"))
    assert b.start_payment(NOW) == 3
    assert (b.state, b.step, b.payment) == (State.AWAITING_PAYMENT, "authorising", PaymentRecord())
    with pytest.raises(Conflict):
        b.start_payment(NOW)  # already paying


def test_a_payment_that_will_not_come_makes_a_draft_again_only_while_one_was_awaited() -> None:
    b = draft()
    assert not b.back_to_held("declined", PaymentRecord(status="failed"))  # nothing awaited
    b.start_payment(NOW)
    assert b.back_to_held("hold_expired", PaymentRecord(), clear_seats_of="F0")
    assert (b.state, b.step) == (State.HELD, "hold_expired")
    assert b.seats_on("F0") == {} and b.legs[0].hold_id == "" and b.seats_on("F1") == {"P1": "4C"}


def test_lost_seats_leave_a_draft_without_seats_or_holds_and_say_what_happened_to_the_money() -> None:
    b = draft()
    b.start_payment(NOW)
    b.record("authorised", PaymentRecord(payment_id="pay-1", status="authorised"))
    b.seats_lost("seats_lost: " + "x" * 300, captured=False)
    assert b.state is State.HELD and b.seats == [] and b.holds() == [] and len(b.step) == 200
    assert (b.payment.payment_id, b.payment.status) == ("pay-1", "voided")


def test_confirming_gives_each_passenger_a_ticket_per_flight_and_only_from_awaiting_payment() -> None:
    with pytest.raises(Conflict):
        draft().confirm("pay-1", "ABC234", ["1", "2", "3", "4"])
    b = draft()
    b.start_payment(NOW)
    b.confirm("pay-1", "ABC234", ["7380000000001", "7380000000002", "7380000000003", "7380000000004"])
    assert (b.state, b.step, b.pnr, b.payment.status) == (State.CONFIRMED, "done", "ABC234", "captured")
    assert [(t.passenger_id, t.flight_id) for t in b.tickets] == [
        ("P1", "F0"),
        ("P2", "F0"),
        ("P1", "F1"),
        ("P2", "F1"),
    ]


def test_passengers_cannot_change_type_once_seats_are_chosen() -> None:
    b = draft()
    child = Passenger("P1", PassengerType.CHILD, "Ada", "Lovelace", date(2020, 1, 1), DOC)
    with pytest.raises(Conflict) as refused:
        b.set_passengers([child, BABY], "ada@example.com", "+6591234567")
    assert refused.value.code == "seats_chosen"
    b.set_passengers([ADA, BABY], "ada@example.org", "+6591234567")  # same types: fine
    assert (b.contact_email, b.step) == ("ada@example.org", "passengers")


def test_seats_replace_the_flight_s_hold_and_never_seat_an_infant() -> None:
    b = draft()
    with pytest.raises(ValidationFailed):
        b.seat_choice("F0", {"P1": "3A", "P2": "3B"})
    leg0, seats = b.seat_choice("F0", {"p1": " 5d "})
    assert leg0.flight_id == "F0" and seats == {"P1": "5D"}
    assert b.place_seats("F0", seats, "H-new") == "H0"
    assert b.seats_on("F0") == {"P1": "5D"} and b.legs[0].hold_id == "H-new"


def test_luggage_totals_and_bounds() -> None:
    b = draft()
    b.set_luggage([("F0", "p1", 1, 3), ("F1", "P1", 0, 0)], PRICES)
    assert b.bag_total == 4500 + 3000 and b.total == 40_000 + 7500 and len(b.bags) == 1
    with pytest.raises(ValidationFailed):
        b.set_luggage([("F0", "P1", 1, 0), ("F0", "P1", 2, 0)], PRICES)  # twice for one flight
    with pytest.raises(ValidationFailed):
        b.set_luggage([("F9", "P1", 1, 0)], PRICES)


def test_cancelling_refunds_by_the_fare_rules_or_the_no_show_rule_and_records_the_decision_first() -> None:
    b = draft(state=State.CONFIRMED, pnr="ABC234", payment=PaymentRecord("pay-1", "captured"))
    assert b.refund_on_cancel(no_show=False) == 40_000 - 2 * 1000
    assert b.refund_on_cancel(no_show=True) == 2 * 2 * 700  # taxes per passenger, per leg
    b.start_cancelling("plans changed", 38_000, no_show=False)
    assert (b.state, b.payment.cancel_refund) == (State.CANCELLING, 38_000)
    b.finish_cancelling(38_000)
    assert (b.state, b.refunded_amount, b.payment.status) == (State.CANCELLED, 38_000, "partially_refunded")
    with pytest.raises(Conflict):
        b.start_cancelling("again", 0, no_show=False)


def test_a_refund_by_staff_counts_in_the_total_and_a_cancellation_pays_only_what_is_left() -> None:
    b = draft(state=State.CONFIRMED, pnr="ABC235", payment=PaymentRecord("pay-1", "captured"))
    b.refunded_by_staff(39_500)  # of 40,000: the fare rules' 38,000 is more than what is left
    assert (b.refunded_amount, b.payment.staff_refunds) == (39_500, 39_500)
    assert PaymentRecord.from_dict(b.payment.to_dict()) == b.payment  # stored and read back
    assert b.refund_on_cancel(no_show=False) == 500
    b.start_cancelling("plans changed", 500, no_show=False)
    b.cancel_refunded(500)
    b.finish_cancelling(500)
    assert (b.refunded_amount, b.payment.status) == (40_000, "refunded")


def test_a_flight_the_airline_cancels_marks_live_bookings_and_tells_only_confirmed_ones() -> None:
    held, confirmed, gone = draft(), draft(state=State.CONFIRMED), draft(state=State.EXPIRED)
    assert not held.flight_cancelled_by_airline("F1", "AL101", "weather")
    assert confirmed.flight_cancelled_by_airline("F1", "AL101", "weather")
    assert not gone.flight_cancelled_by_airline("F1", "AL101", "weather")
    assert held.flight_cancelled and held.disruption == "flight AL101 cancelled: weather"
    assert not gone.flight_cancelled and gone.legs[1].status == "cancelled"  # the leg still follows the flight
    assert confirmed.refund_on_cancel(no_show=True) == confirmed.total  # the airline cancelled: everything back


def test_a_seat_at_the_airport_is_an_empty_seat_for_every_seated_passenger_and_may_be_paid() -> None:
    b = draft(seats=[SeatChoice("F1", "P1", "4C")])
    with pytest.raises(ValidationFailed):
        b.airport_choice("F9")
    leg0, seats = b.airport_choice("F0")
    assert leg0.flight_id == "F0" and seats == {"P1": ""}  # never the infant on a lap
    assert b.place_seats("F0", seats, "H-places") == "H0"
    assert b.seats_on("F0") == {"P1": ""} and b.legs[0].hold_id == "H-places"
    b.start_payment(NOW)  # a place on every flight counts as a seat there
    assert b.state is State.AWAITING_PAYMENT
    with pytest.raises(Conflict):
        draft(passengers=[]).airport_choice("F0")
