"""An aircraft swap on a seat map, without I/O: same seat numbers kept where the new plane has
them, the others reseated together by the seat rules, the parties with no room displaced whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airline.airport.domain import CabinClass, CabinSpec, parse_layout
from airline.reservation import domain, seat_remap
from airline.reservation.domain import Assignment, PassengerType

T0 = datetime(2027, 3, 1, tzinfo=UTC)


def seats_of(*specs: CabinSpec, exit_rows: list[int] | None = None) -> dict[str, domain.FlightSeat]:
    return {s.seat: s for s in domain.flight_seats(parse_layout(list(specs), exit_rows=exit_rows or []))}


def a(seat: str, ref: str, booking: str, kind: str = "adult", cabin: str = "normal", at: int = 0) -> Assignment:
    return Assignment(
        "f1", seat, ref, PassengerType(kind), CabinClass(cabin), booking, None, T0 + timedelta(minutes=at)
    )


OLD = [a("3A", "p1", "b1"), a("3B", "p2", "b1"), a("7A", "p3", "b2", at=1), a("7B", "p4", "b2", at=1)]


def test_seats_whose_number_exists_are_kept_and_the_others_reseated_together() -> None:
    new = seats_of(CabinSpec("normal", 3, 5, "ABC DEF"))
    result = seat_remap.remap(OLD, [], new)
    assert [x.seat for x in result.kept] == ["3A", "3B"]
    after = {b.passenger_ref: n.seat for b, n in result.moved}
    assert after == {"p3": "3C", "p4": "3D"} and not result.displaced


def test_a_held_or_kept_seat_is_never_given() -> None:
    new = seats_of(CabinSpec("normal", 3, 4, "ABC"))
    result = seat_remap.remap(OLD, [], new, held={"3C", "4A"})
    assert {n.seat for _, n in result.moved} == {"4B", "4C"}


def test_a_party_with_no_room_is_displaced_whole_and_the_earliest_seated_served_first() -> None:
    new = seats_of(CabinSpec("normal", 3, 3, "ABC"))  # three seats for four passengers
    result = seat_remap.remap([*OLD[2:], *OLD[:2]], [], new)
    assert [x.seat for x in result.kept] == ["3A", "3B"]
    assert not result.moved and {x.passenger_ref for x in result.displaced} == {"p3", "p4"}


def test_a_child_never_keeps_an_exit_seat_and_a_missing_cabin_displaces() -> None:
    new = seats_of(CabinSpec("normal", 3, 4, "ABC"), exit_rows=[3])
    child = a("3A", "c1", "b3", kind="child")
    vip = a("1A", "v1", "b4", cabin="vip")
    result = seat_remap.remap([child, vip], [], new)
    assert [(b.passenger_ref, n.seat) for b, n in result.moved] == [("c1", "4A")]
    assert [x.passenger_ref for x in result.displaced] == ["v1"]


def test_displaced_passengers_are_reseated_when_seats_free_up() -> None:
    new = seats_of(CabinSpec("normal", 3, 3, "ABC"))
    waiting = [a("7A", "p3", "b2"), a("7B", "p4", "b2")]
    moved, left = seat_remap.reseat(waiting, new, unavailable={"3A"})
    assert [n.seat for _, n in moved] == ["3B", "3C"] and not left
    moved, left = seat_remap.reseat(waiting, new, unavailable={"3A", "3B"})
    assert not moved and left == waiting
