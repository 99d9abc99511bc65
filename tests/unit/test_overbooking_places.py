"""Overbooking places (reservation/airport_places.py): the labels bound the allowance, and a
place is never taken for a seat of the seat map; a booking's seat at the airport is an empty
seat for every seated passenger."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from airline.airport.layouts import CabinClass
from airline.reservation import domain


@given(st.sampled_from(list(CabinClass)), st.integers(min_value=-3, max_value=40))
def test_a_cabin_has_exactly_its_allowance_of_places_none_of_them_a_seat(cabin: CabinClass, allowance: int) -> None:
    labels = domain.place_labels(cabin, allowance)
    assert len(labels) == max(allowance, 0) == len(set(labels))
    assert all(domain.is_place(label) for label in labels)
    assert all(not domain.SEAT_LABEL.fullmatch(label) for label in labels)


def test_a_seat_label_is_not_a_place() -> None:
    assert not domain.is_place("12C") and not domain.is_place("")
    assert domain.place_labels(CabinClass.NORMAL, 2) == ["@normal1", "@normal2"]


def test_places_sort_after_every_seat() -> None:
    labels = ["@normal2", "12C", "@normal1", "1A", "@vip1"]
    assert sorted(labels, key=domain.seat_order) == ["1A", "12C", "@normal1", "@vip1", "@normal2"]
