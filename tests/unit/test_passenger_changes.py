"""One passenger after the sale, pure (booking/passenger_changes.py): who may be cancelled alone,
their refund share, the name-correction distance."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.booking import passenger_changes as pc
from airline.booking.domain import Booking, Leg, PaymentRecord, SeatChoice, State, Ticket
from airline.booking.fares import BagPrices, FareRules
from airline.booking.passengers import Document, Passenger, PassengerType
from airline.booking.values import ExtraBag
from airline.platform.errors import Conflict, NotFound, ValidationFailed

NOW = datetime(2027, 6, 1, 12, tzinfo=UTC)
DOC = Document("passport", "K1234567", "SG", date(2035, 1, 1))
PRICES = BagPrices(per_piece=3000, per_overweight_kg=1000, max_pieces=3, max_overweight_kg=20)
REFUNDABLE = FareRules(checked_bags=1, bag_weight_kg=23, refundable=True, change_fee=1000)
NON_REFUNDABLE = FareRules(checked_bags=1, bag_weight_kg=23, refundable=False, change_fee=0)


def person(pid: str, kind: PassengerType, infant_of: str = "") -> Passenger:
    return Passenger(pid, kind, "Ada", "Lovelace", date(1985, 1, 1), DOC, infant_of)


ADULT, CHILD, INFANT = PassengerType.ADULT, PassengerType.CHILD, PassengerType.INFANT


def offer_id(breakdown: list[list[object]]) -> str:
    def part(d: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part({'breakdown': breakdown})}.signature"


# --- who may leave --------------------------------------------------------------------------


def test_one_of_three_adults_leaves_alone() -> None:
    three = [person("P1", ADULT), person("P2", ADULT), person("P3", ADULT)]
    assert pc.check_who_may_leave(three, "P2") == ("P2",)


def test_the_last_passenger_cannot_be_cancelled_alone() -> None:
    with pytest.raises(Conflict) as e:
        pc.check_who_may_leave([person("P1", ADULT)], "P1")
    assert e.value.code == "last_passenger"


def test_an_adults_lap_infant_leaves_with_them() -> None:
    group = [person("P1", ADULT), person("P2", ADULT), person("P3", INFANT, infant_of="P1")]
    assert pc.check_who_may_leave(group, "P1") == ("P1", "P3")


def test_an_adult_and_their_infant_alone_are_the_last_passengers() -> None:
    with pytest.raises(Conflict) as e:
        pc.check_who_may_leave([person("P1", ADULT), person("P2", INFANT, infant_of="P1")], "P1")
    assert e.value.code == "last_passenger"


def test_the_last_adult_cannot_leave_a_child_alone() -> None:
    with pytest.raises(Conflict) as e:
        pc.check_who_may_leave([person("P1", ADULT), person("P2", CHILD)], "P1")
    assert e.value.code == "unaccompanied_minor"
    # the child may go, the adult stays
    assert pc.check_who_may_leave([person("P1", ADULT), person("P2", CHILD)], "P2") == ("P2",)


def test_an_unknown_or_cancelled_passenger_is_not_found() -> None:
    with pytest.raises(NotFound):
        pc.check_who_may_leave([person("P1", ADULT), person("P2", ADULT)], "P9")


def test_departed_flights_refuse() -> None:
    pc.require_not_departed([])
    with pytest.raises(Conflict) as e:
        pc.require_not_departed(["XA101"])
    assert e.value.code == "departed"


# --- the refund share -----------------------------------------------------------------------


def test_unit_fares_come_from_the_offers_breakdown() -> None:
    oid = offer_id([["adult", 2, 30000, 60000], ["child", 1, 22500, 22500]])
    units = pc.unit_fares(oid, 82500, {ADULT: 2, CHILD: 1, INFANT: 0})
    assert units[ADULT] == 30000 and units[CHILD] == 22500


def test_unit_fares_split_evenly_when_the_offer_cannot_be_read_or_disagrees() -> None:
    assert pc.unit_fares("not-a-token", 90000, {ADULT: 3, CHILD: 0, INFANT: 0})[ADULT] == 30000
    wrong = offer_id([["adult", 3, 50000, 150000]])  # not what the booking paid: not trusted
    assert pc.unit_fares(wrong, 90000, {ADULT: 3, CHILD: 0, INFANT: 0})[ADULT] == 30000


def test_refund_is_their_fare_and_bags_minus_each_legs_change_fee() -> None:
    p2 = person("P2", ADULT)
    bags = [ExtraBag("f1", "P2", 1, 0), ExtraBag("f1", "P1", 2, 0)]
    share, refund = pc.passenger_refund(
        leaving=[p2],
        bags=bags,
        units={ADULT: 30000},
        prices=PRICES,
        rules=[REFUNDABLE, REFUNDABLE],
        flight_cancelled=False,
        refundable_left=10**9,
    )
    assert share == 30000 + 3000  # their fare and their own extra bag, not P1's
    assert refund == share - 2 * 1000


def test_non_refundable_fare_gives_nothing_unless_the_airline_cancelled() -> None:
    kw = dict(leaving=[person("P2", ADULT)], bags=[], units={ADULT: 30000}, prices=PRICES, refundable_left=10**9)
    assert pc.passenger_refund(rules=[NON_REFUNDABLE], flight_cancelled=False, **kw) == (30000, 0)  # type: ignore[arg-type]
    assert pc.passenger_refund(rules=[NON_REFUNDABLE], flight_cancelled=True, **kw) == (30000, 30000)  # type: ignore[arg-type]


@given(
    unit=st.integers(0, 10**7),
    fee=st.integers(0, 10**6),
    left=st.integers(0, 10**8),
    pieces=st.integers(0, 3),
    cancelled=st.booleans(),
)
def test_refund_never_exceeds_the_share_nor_what_is_left(
    unit: int, fee: int, left: int, pieces: int, cancelled: bool
) -> None:
    rules = FareRules(checked_bags=1, bag_weight_kg=23, refundable=True, change_fee=fee)
    share, refund = pc.passenger_refund(
        leaving=[person("P1", ADULT), person("P3", INFANT, infant_of="P1")],
        bags=[ExtraBag("f1", "P1", pieces, 0)],
        units={ADULT: unit, INFANT: unit // 10},
        prices=PRICES,
        rules=[rules],
        flight_cancelled=cancelled,
        refundable_left=left,
    )
    assert share == unit + unit // 10 + pieces * PRICES.per_piece
    assert 0 <= refund <= min(share, left)


# --- name correction ------------------------------------------------------------------------


def test_three_letters_are_a_free_correction() -> None:
    assert pc.check_name_correction("Jon", "Smiht", "John", "Smith") == 2  # an insertion and a swap
    assert pc.check_name_correction("Ada", "Lovelace", "Adam", "Lovelane") == 2
    assert pc.check_name_correction("Ana", "Bell", "Anna", "Belle") == 2
    assert pc.check_name_correction("Ada", "Lovelace", "Eda", "Luvelase") == 3


def test_four_letters_are_another_person() -> None:
    with pytest.raises(ValidationFailed) as e:
        pc.check_name_correction("Ada", "Lovelace", "Eda", "Luvelose")
    assert e.value.code == "name_change_too_large"


def test_case_and_accents_do_not_count() -> None:
    assert pc.name_change_size("José", "Müller", "JOSE", "muller") == 0
    with pytest.raises(ValidationFailed) as e:
        pc.check_name_correction("José", "Müller", "jose", "MULLER")
    assert e.value.code == "name_unchanged"
    with pytest.raises(ValidationFailed) as e:
        pc.check_name_correction("Ada", "Lovelace", "Ada", "Lovelace")
    assert e.value.code == "name_unchanged"


_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)


@given(a=_NAME, b=_NAME, c=_NAME)
def test_edit_distance_is_a_metric_like_distance(a: str, b: str, c: str) -> None:
    assert pc.edit_distance(a, a) == 0
    assert pc.edit_distance(a, b) == pc.edit_distance(b, a)
    assert pc.edit_distance(a, b) <= max(len(a), len(b))
    assert abs(len(a) - len(b)) <= pc.edit_distance(a, b)
    # one edit more is at most one more
    assert pc.edit_distance(a + c[0], b) <= pc.edit_distance(a, b) + 1


@given(name=_NAME, i=st.integers(0, 11))
def test_swapping_two_adjacent_letters_counts_one(name: str, i: int) -> None:
    if len(name) < 2:
        return
    i %= len(name) - 1
    swapped = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    assert pc.edit_distance(name, swapped) == (0 if swapped == name else 1)


# --- the booking after one passenger left ---------------------------------------------------


def confirmed_three() -> Booking:
    legs = [
        Leg(i, f"F{i}", f"AL10{i}", "X", "A", "UTC", NOW, NOW, None, None, "scheduled", "", REFUNDABLE)
        for i in range(2)
    ]
    people = [person("P1", ADULT), person("P2", ADULT), person("P3", ADULT)]
    b = Booking(
        id="b1",
        owner="",
        client_key="",
        state=State.CONFIRMED,
        step="done",
        offer_id="o",
        cabin_class="normal",
        trip_type="round_trip",
        adults=3,
        children=0,
        infants=0,
        currency="SGD",
        fare_total=90_000,
        expires_at=NOW,
        legs=legs,
        passengers=people,
        seats=[SeatChoice(f"F{i}", p.id, f"{i + 1}{'ABC'[n]}") for i in range(2) for n, p in enumerate(people)],
        tickets=[Ticket(p.id, f"F{i}", f"738{i}{n:09d}") for i in range(2) for n, p in enumerate(people)],
        payment=PaymentRecord("pay-1", "captured"),
        pnr="ABC234",
    )
    return b


def test_a_passenger_leaves_then_the_whole_booking_is_cancelled_and_the_money_adds_up() -> None:
    b = confirmed_three()
    pc.settle(b, 30_000, 28_000)  # decided: P3's share, minus each leg's change fee
    assert b.refunded_amount == 0  # nothing given back before payment says so
    voided = pc.remove_passengers(b, ["P3"], 28_000)
    assert {t.passenger_id for t in voided} == {"P3"} and len(voided) == 2
    assert [p.cancelled for p in b.passengers] == [False, False, True]
    assert not b.passenger("P3").seated  # type: ignore[union-attr]
    assert all(x.passenger_id != "P3" for x in [*b.seats, *b.tickets])
    assert (b.refunded_amount, b.payment.status, b.total) == (28_000, "partially_refunded", 90_000)
    assert b.ticket_pairs() == [("P1", "F0"), ("P2", "F0"), ("P1", "F1"), ("P2", "F1")]
    # the others' cancellation: what they paid, by the same rules; never P3's share again
    assert b.refund_on_cancel(no_show=False) == 60_000 - 2 * 1000
    b.start_cancelling("plans changed", 58_000, no_show=False)
    b.finish_cancelling(58_000)
    assert b.refunded_amount == 28_000 + 58_000 and b.payment.status == "partially_refunded"


def test_renaming_gives_that_passenger_new_tickets_only() -> None:
    b = confirmed_three()
    voided = pc.rename_passenger(b, "P2", "Wiliam", "Lovelace", ["7389999999991", "7389999999992"])
    assert {(t.passenger_id, t.flight_id) for t in voided} == {("P2", "F0"), ("P2", "F1")}
    mine = [t for t in b.tickets if t.passenger_id == "P2"]
    assert [(t.flight_id, t.number) for t in mine] == [("F0", "7389999999991"), ("F1", "7389999999992")]
    assert len(b.tickets) == 6 and b.passenger("P2").first_name == "Wiliam"  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        pc.rename_passenger(replace(b, state=State.CANCELLED), "P2", "Will", "Lovelace", ["1", "2"])


def test_corrections_add_up_against_the_name_as_booked() -> None:
    booked = ("Ada", "Lovelace")
    # first correction: Ada Lovelace -> Adda Lovelase (2); then -> Edda Luvelase: 4 from the booked name
    assert pc.check_name_correction("Ada", "Lovelace", "Adda", "Lovelase") == 2
    with pytest.raises(ValidationFailed) as e:
        pc.check_name_correction("Adda", "Lovelase", "Edda", "Luvelase", booked)
    assert e.value.code == "name_change_too_large"
    # back towards the booked name is fine, and so is one more letter within 3 in all
    assert pc.check_name_correction("Adda", "Lovelase", "Ada", "Lovelase", booked) == 1
    assert pc.check_name_correction("Adda", "Lovelase", "Adda", "Luvelase", booked) == 3
