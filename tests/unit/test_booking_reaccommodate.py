"""Booking.reaccommodate (domain.py): the airline moves a confirmed booking off one flight onto
one or two others; the other legs, the fare rules and the extra bags stay; the moved leg's
seats and e-tickets are replaced (the old tickets given back as voided). No I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from airline.booking.domain import Booking, ExtraBag, Leg, SeatChoice, State
from airline.platform.errors import Conflict
from tests.unit.test_booking_aggregate import NOW, draft, leg


def confirmed() -> Booking:
    b = draft()
    b.seats = [SeatChoice("F0", "P1", "3A"), SeatChoice("F1", "P1", "4C")]
    b.bags = [ExtraBag("F0", "P1", 1, 0)]
    b.start_payment(NOW)
    b.confirm("pay-1", "ABC234", ["7380000000001", "7380000000002", "7380000000003", "7380000000004"])
    b.flight_cancelled = True
    return b


def new_leg(flight_id: str, hours: int) -> Leg:
    return replace(
        leg(0), flight_id=flight_id, number=f"AL{flight_id}", scheduled_departure=NOW + timedelta(days=6, hours=hours)
    )


def test_the_moved_leg_is_replaced_by_the_new_flights_and_the_rest_stays() -> None:
    b = confirmed()
    rules = b.legs[0].rules
    voided = b.reaccommodate(
        "F0",
        [new_leg("G1", 1), replace(new_leg("G2", 5), rules=replace(rules, checked_bags=0))],
        [SeatChoice("G1", "P1", "7D"), SeatChoice("G2", "P1", "8A"), SeatChoice("ZZ", "P1", "1A")],
        ["7380000000009", "7380000000010", "7380000000011", "7380000000012"],
    )
    assert [(leg.position, leg.flight_id) for leg in b.legs] == [(0, "G1"), (1, "G2"), (2, "F1")]
    assert all(leg.rules == rules for leg in b.legs[:2]) and not any(leg.hold_id for leg in b.legs[:2])
    assert {(s.flight_id, s.seat) for s in b.seats} == {("F1", "4C"), ("G1", "7D"), ("G2", "8A")}
    assert [(t.flight_id, t.number) for t in voided] == [("F0", "7380000000001"), ("F0", "7380000000002")]
    assert sorted((t.flight_id, t.passenger_id, t.number) for t in b.tickets) == [
        ("F1", "P1", "7380000000003"),
        ("F1", "P2", "7380000000004"),
        ("G1", "P1", "7380000000009"),
        ("G1", "P2", "7380000000010"),
        ("G2", "P1", "7380000000011"),
        ("G2", "P2", "7380000000012"),
    ]
    assert sorted((x.flight_id, x.extra_pieces) for x in b.bags) == [("G1", 1), ("G2", 1)]
    assert b.state is State.CONFIRMED and not b.flight_cancelled and "ALG1" in b.disruption


def test_only_a_confirmed_booking_on_that_flight_moves() -> None:
    with pytest.raises(Conflict):
        draft().reaccommodate("F0", [new_leg("G1", 1)], [], ["1", "2"])
    with pytest.raises(Conflict):
        confirmed().reaccommodate("F9", [new_leg("G1", 1)], [], ["1", "2"])
    with pytest.raises(ValueError):  # one new ticket per passenger and new flight
        confirmed().reaccommodate("F0", [new_leg("G1", 1)], [], ["1"])
