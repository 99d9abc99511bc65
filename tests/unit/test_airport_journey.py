"""The plane-journey rule: one leg at a time, departing from where the plane is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from airline.airport.domain import Commitment, Plane, PlaneStatus, SeatLayout, journey_conflicts

T0 = datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)
PLANE = Plane("P1", "9V-XA1", "A320-200", PlaneStatus.ACTIVE, "XSP", SeatLayout(cabins=()))


def leg(ref: str, origin: str, dest: str, start_h: float, hours: float = 3) -> Commitment:
    return Commitment(ref, "P1", origin, dest, T0 + start_h * H, T0 + (start_h + hours) * H)


def test_a_connected_round_trip_from_home_is_fine() -> None:
    assert journey_conflicts(PLANE, [], [leg("out", "XSP", "AOR", 0), leg("back", "AOR", "XSP", 4)]) == []


def test_a_plane_cannot_depart_from_an_airport_it_is_not_at() -> None:
    problems = journey_conflicts(PLANE, [], [leg("f", "BKK", "XSP", 0)])
    assert len(problems) == 1 and "home airport XSP, not BKK" in problems[0]
    # nor after a leg that took it elsewhere
    problems = journey_conflicts(PLANE, [leg("a", "XSP", "AOR", 0)], [leg("b", "BKK", "XSP", 5)])
    assert len(problems) == 1 and "will be at AOR" in problems[0] and "not BKK" in problems[0]


def test_a_new_leg_must_hand_the_plane_over_to_the_next_one() -> None:
    later = leg("later", "XSP", "CGK", 10)
    assert journey_conflicts(PLANE, [later], [leg("new", "XSP", "AOR", 0)]) != []
    assert journey_conflicts(PLANE, [later], [leg("new", "XSP", "AOR", 0), leg("new-back", "AOR", "XSP", 4)]) == []


def test_overlaps_are_named() -> None:
    problems = journey_conflicts(PLANE, [leg("a", "XSP", "AOR", 0)], [leg("b", "AOR", "XSP", 2)])
    assert len(problems) == 1 and "already committed to a" in problems[0]


def test_an_existing_break_does_not_block_unrelated_plans() -> None:
    diverted = [leg("d1", "XSP", "BKK", 0), leg("d2", "AOR", "XSP", 5)]  # d1 was diverted to BKK
    assert journey_conflicts(PLANE, diverted, [leg("n1", "XSP", "CGK", 20), leg("n2", "CGK", "XSP", 24)]) == []


def test_every_problem_is_reported_and_inactive_planes_refused() -> None:
    grounded = Plane("P1", "9V-XA1", "A320-200", PlaneStatus.MAINTENANCE, "XSP", SeatLayout(cabins=()))
    problems = journey_conflicts(grounded, [], [leg("x", "BKK", "AOR", 0)])
    assert len(problems) == 2 and "maintenance" in problems[0]


AIRPORTS = ["XSP", "AOR", "BKK", "CGK"]


@st.composite
def journeys(draw: st.DrawFn) -> list[Commitment]:
    """A random sequence of legs, mostly connected and spaced (so that many plans are sound),
    sometimes overlapping or departing from the wrong airport."""
    legs, t, at = [], 0.0, "XSP"
    for i in range(draw(st.integers(1, 8))):
        t += draw(st.sampled_from([-2.0, 0.0, 0.5, 3.0, 6.0, 6.0, 6.0]))
        origin = at if draw(st.integers(0, 9)) < 8 else draw(st.sampled_from(AIRPORTS))
        dest = draw(st.sampled_from([a for a in AIRPORTS if a != origin]))
        at = dest
        legs.append(leg(f"L{i}", origin, dest, t, draw(st.sampled_from([1.0, 2.5, 4.0]))))
        t += 3
    return legs


@given(journeys(), st.data())
def test_no_accepted_plan_breaks_the_journey(legs: list[Commitment], data: st.DataObject) -> None:
    split = data.draw(st.integers(0, len(legs)))
    existing, wanted = legs[:split], legs[split:]
    if journey_conflicts(PLANE, [], existing):
        return  # only judge additions to a sound journey
    if journey_conflicts(PLANE, existing, wanted):
        return
    timeline = sorted(legs, key=lambda c: c.starts_at)
    assert timeline[0].origin == PLANE.home_airport
    for before, after in zip(timeline, timeline[1:]):
        assert before.ends_at <= after.starts_at, "accepted legs never overlap"
        assert before.destination == after.origin, "the plane departs from where it is"
