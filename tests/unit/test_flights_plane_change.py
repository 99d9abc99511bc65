"""An aircraft swap on the flight aggregate: the cabins take the new plane's sizes, what was sold
stays, and only a flight still on the ground before boarding may change its plane."""

from __future__ import annotations

import pytest

from airline.flights import domain
from airline.flights.domain import CabinClass, CabinSeats
from airline.platform.errors import Conflict, ValidationFailed
from tests.support.flights_domain import S, flight


def test_the_cabins_take_the_new_planes_sizes_and_keep_what_was_sold() -> None:
    before = flight(seats=(CabinSeats(CabinClass.VIP, 8, 6, 10), CabinSeats(CabinClass.NORMAL, 150, 120)))
    after = domain.apply_plane_change(before, "P4", {"vip": 4, "normal": 100})
    assert after.plane_id == "P4" and after.version == before.version + 1
    assert after.seats == (CabinSeats(CabinClass.VIP, 4, 6, 10), CabinSeats(CabinClass.NORMAL, 100, 120))
    assert after.seats_left(CabinClass.VIP) == 0 and after.seats_left(CabinClass.NORMAL) == 0


def test_a_cabin_the_new_plane_lacks_keeps_its_sales_at_capacity_zero() -> None:
    after = domain.apply_plane_change(flight(), "P5", {"normal": 180})
    assert after.cabin(CabinClass.VIP) == CabinSeats(CabinClass.VIP, 0, 2)
    assert after.cabin(CabinClass.NORMAL) == CabinSeats(CabinClass.NORMAL, 180, 0)


def test_a_new_cabin_appears() -> None:
    only_normal = flight(seats=(CabinSeats(CabinClass.NORMAL, 150, 3),))
    after = domain.apply_plane_change(only_normal, "P2", {"vip": 8, "normal": 150})
    assert after.cabin(CabinClass.VIP) == CabinSeats(CabinClass.VIP, 8, 0)


@pytest.mark.parametrize("status", [S.BOARDING, S.DEPARTED, S.ARRIVED, S.CANCELLED, S.DIVERTED])
def test_only_a_scheduled_or_delayed_flight_changes_its_plane(status: domain.FlightStatus) -> None:
    with pytest.raises(Conflict, match="can change only while scheduled or delayed"):
        domain.apply_plane_change(flight(status), "P4", {"normal": 100})


def test_a_plane_without_seats_or_with_an_unknown_cabin_is_refused() -> None:
    with pytest.raises(Conflict, match="no seats"):
        domain.apply_plane_change(flight(), "P4", {"normal": 0})
    with pytest.raises(ValidationFailed, match="unknown cabins"):
        domain.apply_plane_change(flight(), "P4", {"first": 4, "normal": 100})
