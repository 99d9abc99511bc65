"""platform/flight_status.py: what each status means for check-in, bags, boarding and crew, and
which status a copy kept from out-of-order events may take."""

from __future__ import annotations

import pytest

from airline.platform import flight_status as fs

ALL = [s.value for s in fs.FlightStatus if s is not fs.S.PENDING]
OPEN = {"scheduled", "delayed", "boarding"}


@pytest.mark.parametrize("status", ALL)
def test_checkin_bags_and_boarding_only_before_the_flight_leaves(status: str) -> None:
    expected = status in OPEN
    assert fs.checkin_allowed(status) is expected
    assert fs.bag_drop_allowed(status) is expected
    assert fs.boarding_allowed(status) is expected
    assert fs.crew_may_change(status) is expected
    assert (fs.why_checkin_closed("XA1", status) is None) is expected


def test_why_check_in_closed_names_the_reason() -> None:
    assert fs.why_checkin_closed("XA1", "cancelled") == ("flight_cancelled", "flight XA1 is cancelled")
    assert fs.why_checkin_closed("XA1", "diverted") == ("checkin_closed", "flight XA1 has diverted: check-in is closed")


@pytest.mark.parametrize("status", ALL)
def test_crew_meanings(status: str) -> None:
    assert fs.crew_auto_proposal(status) is (status in {"scheduled", "delayed"})
    assert fs.crew_duty_under_way(status) is (status in {"departed", "diverted"})
    assert fs.crew_duty_finished(status) is (status in {"arrived", "cancelled"})
    assert fs.gate_closed_by_status(status) is (status in {"departed", "arrived", "diverted"})
    assert fs.is_cancelled(status) is (status == "cancelled")


@pytest.mark.parametrize(
    "current, heard, taken",
    [
        (None, "departed", True),
        ("scheduled", "scheduled", True),
        ("scheduled", "departed", True),  # boarding was missed or comes later
        ("scheduled", "arrived", True),
        ("delayed", "delayed", True),
        ("departed", "delayed", False),  # a late delay never undoes the departure
        ("departed", "scheduled", False),
        ("arrived", "departed", False),
        ("arrived", "diverted", False),
        ("diverted", "arrived", True),
        ("cancelled", "scheduled", False),
        ("cancelled", "departed", False),
        ("boarding", "delayed", True),  # the lifecycle allows it: a delay at the gate
    ],
)
def test_a_status_heard_late_never_undoes_a_later_one(current: str | None, heard: str, taken: bool) -> None:
    assert fs.follows(current, heard) is taken


def test_reachable_follows_the_lifecycle_transitively() -> None:
    assert fs.reachable(fs.S.SCHEDULED, fs.S.ARRIVED)
    assert not fs.reachable(fs.S.ARRIVED, fs.S.SCHEDULED)
    assert not fs.reachable(fs.S.CANCELLED, fs.S.CANCELLED)


def test_visible_and_progress_sets() -> None:
    assert sorted(fs.VISIBLE) == sorted(ALL) and "pending" not in fs.VISIBLE
    assert fs.PROGRESS == {"boarding", "departed", "arrived"} and fs.PROGRESS <= fs.VISIBLE
    assert fs.CLOSED | fs.UPCOMING | {fs.S.BOARDING} == fs.VISIBLE
