"""The re-accommodation planner: who must move, who is served first, and that a plan never
promises a seat twice, never splits a booking and is the same when run again."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.booking.reaccommodation import (
    Candidate,
    LegChange,
    Party,
    Plan,
    Policy,
    excess,
    must_move,
    plan,
    priority_key,
)

T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)


def party(
    bid: str,
    *,
    cabin: str = "normal",
    adults: int = 1,
    children: int = 0,
    infants: int = 0,
    booked: int = 0,
    origin: str = "XSP",
    destination: str = "BKK",
    onward: bool = False,
    arrive_by: datetime | None = None,
) -> Party:
    return Party(
        booking_id=bid,
        cabin=cabin,
        adults=adults,
        children=children,
        infants=infants,
        booked_at=T0 - timedelta(days=30) + timedelta(minutes=booked),
        origin=origin,
        destination=destination,
        not_before=T0,
        arrive_by=arrive_by,
        has_onward=onward,
    )


def flight(
    fid: str,
    dep_h: float,
    *,
    origin: str = "XSP",
    destination: str = "BKK",
    normal: int = 10,
    vip: int = 0,
    dur_h: float = 2.5,
) -> Candidate:
    dep = T0 + timedelta(hours=dep_h)
    return Candidate(
        fid, f"AL{fid}", origin, destination, dep, dep + timedelta(hours=dur_h), {"normal": normal, "vip": vip}
    )


# --- must_move


@pytest.mark.parametrize(
    ("status", "shift", "arrival_shift", "next_dep", "why"),
    [
        ("cancelled", timedelta(0), timedelta(0), None, "cancelled"),
        ("diverted", timedelta(0), timedelta(0), None, "diverted"),
        ("delayed", 3 * H, 3 * H, None, ""),  # exactly the threshold: keeps the flight
        ("delayed", 3 * H + timedelta(minutes=1), 3 * H, None, "retimed"),
        ("scheduled", -4 * H, -4 * H, None, "retimed"),  # moved earlier counts too
        ("delayed", 1 * H, 1 * H, T0 + 4 * H, "connection_broken"),  # arrives 11:30 + 60 min > 12:00
        ("delayed", 1 * H, 1 * H, T0 + 5 * H, ""),  # 11:30 + 60 min <= 13:00
    ],
)
def test_must_move(
    status: str, shift: timedelta, arrival_shift: timedelta, next_dep: datetime | None, why: str
) -> None:
    change = LegChange(status, T0, T0 + shift, T0 + timedelta(hours=2.5) + arrival_shift, next_dep)
    assert must_move(change) == why


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        Policy(retime_threshold=timedelta(0))
    with pytest.raises(ValueError):
        Policy(min_connection=3 * H, max_connection=H)
    with pytest.raises(ValueError):
        party("x", adults=1, infants=2)
    with pytest.raises(ValueError):
        party("x", cabin="first")


# --- priority


def test_priority_vip_then_onward_then_family_then_booking_time() -> None:
    early_single = party("a", booked=0)
    late_family = party("b", booked=50, children=1)
    onward = party("c", booked=90, onward=True)
    vip = party("d", booked=100, cabin="vip")
    order = sorted([early_single, late_family, onward, vip], key=priority_key)
    assert [p.booking_id for p in order] == ["d", "c", "b", "a"]


def test_thirty_passengers_twenty_seats_priority_decides_and_nothing_is_oversold() -> None:
    # groups with infants and a VIP among them, 30 seated passengers; 20 seats on the next
    # flight, 12 more the next day
    parties = [
        party("vip", cabin="vip", adults=2, booked=40),
        party("fam1", adults=2, children=2, infants=1, booked=30),
        party("fam2", adults=2, children=1, booked=10),
        party("conn", adults=1, onward=True, booked=35),
    ] + [party(f"solo{i:02d}", booked=i) for i in range(20)]
    assert sum(p.seats for p in parties) == 30
    result = plan(parties, [flight("next", 2, normal=20), flight("tomorrow", 26, normal=12)], excluded=["cancelled"])
    assert not result.unplaced
    by_id = {p.booking_id: p for p in result.proposals}
    # VIP has no VIP seats: moved to normal (the only cabin left), first served
    assert by_id["vip"].rank == 1 and by_id["vip"].itinerary.flight_ids == ("next",)
    assert by_id["vip"].itinerary.segments[0].cabin == "normal"
    assert by_id["conn"].rank == 2 and by_id["conn"].itinerary.flight_ids == ("next",)
    assert [by_id[b].rank for b in ("fam1", "fam2")] == [4, 3]  # families by booking time: fam2 booked first
    on_next = [p for p in result.proposals if p.itinerary.flight_ids == ("next",)]
    seated = {p.booking_id: next(x for x in parties if x.booking_id == p.booking_id).seats for p in on_next}
    assert sum(seated.values()) == 20
    # the earliest-booked solos fill the rest of the next flight; the later ones go tomorrow
    solos_next = sorted(b for b in seated if b.startswith("solo"))
    assert solos_next == [f"solo{i:02d}" for i in range(len(solos_next))]
    assert result.free["next"]["normal"] == 0 and result.free["tomorrow"]["normal"] == 2


def test_a_booking_is_never_split_and_a_smaller_one_takes_the_seats_left() -> None:
    result = plan([party("big", adults=4, booked=0), party("small", adults=2, booked=5)], [flight("f", 2, normal=3)])
    assert [u.booking_id for u in result.unplaced] == ["big"]
    assert result.unplaced[0].reason == "no_seats_in_window"
    assert result.proposal_for("small") is not None and result.free["f"]["normal"] == 1


def test_unplaced_without_any_flight_says_so() -> None:
    result = plan([party("p")], [flight("f", 2, origin="XSP", destination="CGK")])
    assert result.unplaced[0].reason == "no_flight_in_window"


def test_same_cabin_first_then_earliest_arrival_then_fewer_flights() -> None:
    candidates = [
        flight("direct-late", 10),
        flight("leg1", 1, destination="AOR", dur_h=1),
        flight("leg2", 3, origin="AOR", destination="BKK", dur_h=1),  # arrives 12:00, direct-late 20:30
        flight("vip-early", 0.5, normal=0, vip=8),
    ]
    result = plan([party("p")], candidates)
    best = result.proposals[0]
    assert best.itinerary.flight_ids == ("leg1", "leg2")
    # the upgrade arrives earliest but a different cabin comes after every same-cabin option
    assert [a.flight_ids for a in best.alternatives] == [("direct-late",), ("vip-early",)]


def test_connection_limits_and_onward_deadline() -> None:
    too_tight = [flight("a1", 1, destination="AOR", dur_h=1), flight("a2", 2.5, origin="AOR", dur_h=1)]
    assert plan([party("p")], too_tight).unplaced  # 30 min < 60 min minimum connection
    direct = [flight("late", 10)]
    late_arrival = T0 + timedelta(hours=8)
    assert plan([party("p", onward=True, arrive_by=late_arrival)], direct).unplaced
    assert plan([party("p", onward=True, arrive_by=late_arrival + 5 * H)], direct).proposals


def test_the_window_and_the_disrupted_flight_are_respected() -> None:
    candidates = [flight("gone", 1), flight("far", 80)]
    result = plan([party("p")], candidates, excluded=["gone"])
    assert result.unplaced and result.unplaced[0].reason == "no_flight_in_window"
    result = plan([party("p")], candidates, Policy(window=timedelta(hours=96)), excluded=["gone"])
    assert result.proposals[0].itinerary.flight_ids == ("far",)


def test_other_cabin_can_be_switched_off() -> None:
    only_vip = [flight("f", 2, normal=0, vip=5)]
    assert plan([party("p")], only_vip).proposals
    assert plan([party("p")], only_vip, Policy(other_cabin=False)).unplaced


def test_aircraft_swap_moves_exactly_who_no_longer_fits() -> None:
    parties = [party(f"s{i}", booked=i) for i in range(8)] + [party("fam", adults=2, children=1, booked=100)]
    moving = excess(parties, {"normal": 7, "vip": 0})
    # the family (priority over singles) and the 4 earliest singles keep 7 seats; 4 singles move
    assert {p.booking_id for p in moving} == {"s4", "s5", "s6", "s7"}
    assert [p.booking_id for p in moving] == ["s7", "s6", "s5", "s4"]  # lowest priority first


def test_inputs_are_checked() -> None:
    with pytest.raises(ValueError):
        plan([party("p"), party("p")], [flight("f", 2)])
    with pytest.raises(ValueError):
        plan([party("p")], [flight("f", 2), flight("f", 3)])


# --- properties over random networks


AIRPORTS = ("XSP", "AOR", "BKK", "CGK")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Party], list[Candidate]]:
    n_flights = draw(st.integers(1, 12))
    candidates = []
    for i in range(n_flights):
        origin, destination = draw(st.permutations(AIRPORTS))[:2]
        candidates.append(
            flight(
                f"f{i}",
                draw(st.floats(0, 80)),
                origin=origin,
                destination=destination,
                normal=draw(st.integers(0, 8)),
                vip=draw(st.integers(0, 3)),
                dur_h=draw(st.floats(0.5, 5)),
            )
        )
    parties = []
    for i in range(draw(st.integers(1, 15))):
        adults = draw(st.integers(1, 4))
        parties.append(
            party(
                f"b{i}",
                cabin=draw(st.sampled_from(("vip", "normal"))),
                adults=adults,
                children=draw(st.integers(0, 3)),
                infants=draw(st.integers(0, adults)),
                booked=draw(st.integers(0, 1000)),
                origin="XSP",
                destination=draw(st.sampled_from(("AOR", "BKK", "CGK"))),
                onward=draw(st.booleans()),
            )
        )
    return parties, candidates


def _check(parties: list[Party], candidates: list[Candidate], result: Plan) -> None:
    by_id = {p.booking_id: p for p in parties}
    assert {p.booking_id for p in result.proposals} | {u.booking_id for u in result.unplaced} == set(by_id)
    taken: dict[tuple[str, str], int] = {}
    for proposal in result.proposals:
        p = by_id[proposal.booking_id]
        segments = proposal.itinerary.segments
        assert segments[0].origin == p.origin and segments[-1].destination == p.destination
        assert segments[0].departure >= p.not_before
        for s in segments:  # the whole booking on every flight of its itinerary
            taken[(s.flight_id, s.cabin)] = taken.get((s.flight_id, s.cabin), 0) + p.seats
    for c in candidates:
        for cabin, seats in c.free.items():
            assert taken.get((c.flight_id, cabin), 0) <= seats  # never a seat promised twice
            assert result.free[c.flight_id][cabin] == seats - taken.get((c.flight_id, cabin), 0)
    ranks = sorted([p.rank for p in result.proposals] + [u.rank for u in result.unplaced])
    assert ranks == list(range(1, len(parties) + 1))


@given(scenarios())
def test_plans_never_oversell_never_split_and_account_for_everyone(
    scenario: tuple[list[Party], list[Candidate]],
) -> None:
    parties, candidates = scenario
    _check(parties, candidates, plan(parties, candidates))


@given(scenarios(), st.randoms(use_true_random=False))
def test_a_plan_is_the_same_whatever_the_input_order_and_when_run_again(
    scenario: tuple[list[Party], list[Candidate]], rnd: random.Random
) -> None:
    parties, candidates = scenario
    first = plan(parties, candidates)
    shuffled = parties[:]
    rnd.shuffle(shuffled)
    assert plan(shuffled, candidates) == first
    assert plan(parties, candidates) == first


@given(scenarios())
def test_nobody_is_left_out_while_a_flight_still_has_room_for_them(
    scenario: tuple[list[Party], list[Candidate]],
) -> None:
    parties, candidates = scenario
    result = plan(parties, candidates)
    # what is left after everyone was served: an unplaced booking fits on no itinerary of it
    left = [
        Candidate(c.flight_id, c.number, c.origin, c.destination, c.departure, c.arrival, result.free[c.flight_id])
        for c in candidates
    ]
    for u in result.unplaced:
        p = next(x for x in parties if x.booking_id == u.booking_id)
        assert not plan([p], left).proposals
