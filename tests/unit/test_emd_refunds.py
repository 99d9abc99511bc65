"""emd_refunds' pure rules: the keys and the cap on what a purchase has left to refund."""

from __future__ import annotations

from airline.booking.emd_refunds import booking_key, capped, passenger_key


def test_keys_per_emd_and_per_purchase() -> None:
    assert passenger_key("B1", "1238000000001") == "booking-B1-emd-1238000000001-cancel"
    assert booking_key("B1", "p", 0) == "booking-B1-ancillaries-p-cancel"  # the key of old: a retry finds it
    assert booking_key("B1", "p", 4500) == "booking-B1-ancillaries-p-cancel-rest"


def test_capped_never_above_what_is_left() -> None:
    assert capped([4500, 1600], 10_000) == [4500, 1600]
    assert capped([4500, 1600], 5000) == [4500, 500]
    assert capped([4500, 1600], 0) == [0, 0]
    assert capped([0, -3, 100], -5) == [0, 0, 0]
