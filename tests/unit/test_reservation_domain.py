"""Seat rules and seat-map values of the reservation service, without I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.airport.domain import CabinClass, CabinSpec, parse_layout
from airline.platform.errors import Conflict, ValidationFailed
from airline.reservation import domain
from airline.reservation.domain import MAX_SEATS_PER_HOLD, PassengerType, SeatRequest, SeatState

LAYOUT = parse_layout(
    [CabinSpec("vip", 1, 2, "AC DF"), CabinSpec("normal", 3, 12, "ABC DEF")], exit_rows=[10], blocked_seats=["12F"]
)
SEATS = {s.seat: s for s in domain.flight_seats(LAYOUT)}


def req(seat: str, ref: str = "p1", kind: str = "adult", cabin: str = "normal") -> tuple[str, str, str, str]:
    return (seat, ref, kind, cabin)


def check(*raw: tuple[str, str, str, str]) -> list[SeatRequest]:
    requests = domain.parse_seat_requests(raw)
    domain.check_seat_requests(requests, SEATS)
    return requests


def test_flight_seats_come_from_the_layout() -> None:
    assert len(SEATS) == 2 * 4 + 10 * 6
    assert SEATS["1A"].cabin_class is CabinClass.VIP and SEATS["1A"].position == "window"
    assert SEATS["1C"].position == "aisle" and SEATS["3B"].position == "middle"
    assert SEATS["10C"].exit_row and not SEATS["9C"].exit_row
    assert SEATS["12F"].blocked and not SEATS["12E"].blocked


def test_a_valid_request_is_normalised() -> None:
    [r] = check(req(" 03a ", kind="CHILD"))
    assert (r.seat, r.passenger_type, r.cabin_class) == ("3A", PassengerType.CHILD, CabinClass.NORMAL)
    assert domain.parse_seat_requests([("4B", "p", "", "normal")])[0].passenger_type is PassengerType.ADULT


def test_infants_get_no_seat() -> None:
    with pytest.raises(ValidationFailed, match="infant"):
        check(req("3A", "adult-1"), req("3B", "baby", kind="infant"))


def test_a_child_is_not_seated_in_an_exit_row() -> None:
    with pytest.raises(ValidationFailed, match="exit row"):
        check(req("10A", kind="child"))
    check(req("10A", kind="adult"))


def test_the_cabin_must_be_the_fare_class() -> None:
    with pytest.raises(ValidationFailed, match="vip cabin"):
        check(req("1A", cabin="normal"))
    with pytest.raises(ValidationFailed, match="normal cabin"):
        check(req("3A", cabin="vip"))
    check(req("1A", cabin="vip"))


def test_blocked_and_unknown_seats_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="blocked"):
        check(req("12F"))
    with pytest.raises(ValidationFailed, match="does not exist"):
        check(req("1B", cabin="vip"))  # VIP rows have no B
    with pytest.raises(ValidationFailed, match="does not exist"):
        check(req("40A"))
    for bad in ("", "A1", "1", "12AB", "0A"):
        with pytest.raises(ValidationFailed):
            check(req(bad))


def test_one_seat_per_passenger_and_no_seat_twice() -> None:
    with pytest.raises(ValidationFailed, match="two seats"):
        check(req("3A", "p1"), req("3B", "p1"))
    with pytest.raises(ValidationFailed, match="twice"):
        check(req("3A", "p1"), req("03A", "p2"))


def test_between_one_and_nine_seats() -> None:
    with pytest.raises(ValidationFailed, match="at least one"):
        domain.parse_seat_requests([])
    nine = [req(f"{3 + i // 6}{'ABCDEF'[i % 6]}", f"p{i}") for i in range(MAX_SEATS_PER_HOLD)]
    assert len(check(*nine)) == 9
    with pytest.raises(ValidationFailed, match="at most 9"):
        check(*nine, req("9A", "p-extra"))


def test_bad_values_are_named() -> None:
    with pytest.raises(ValidationFailed, match="passenger_type"):
        check(req("3A", kind="pet"))
    with pytest.raises(ValidationFailed, match="cabin_class"):
        check(req("3A", cabin="first"))
    with pytest.raises(ValidationFailed, match="passenger_ref"):
        check(req("3A", ref=""))
    with pytest.raises(ValidationFailed, match="passenger_ref"):
        check(req("3A", ref="x" * 65))


def test_ttl_may_only_be_shortened() -> None:
    assert domain.ttl_for(0, 600) == 600
    assert domain.ttl_for(5, 600) == 5
    assert domain.ttl_for(6000, 600) == 600
    with pytest.raises(ValidationFailed):
        domain.ttl_for(-1, 600)


def test_postgres_wins_over_redis_in_the_seat_state() -> None:
    assert domain.seat_state("3A", {"3A"}, {"3A": "h1"}) is SeatState.TAKEN
    assert domain.seat_state("3A", set(), {"3A": "h1"}) is SeatState.HELD
    assert domain.seat_state("3A", set(), {}) is SeatState.FREE


def test_seat_events_never_name_the_holder() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    message = domain.seat_event("SeatsHeld", "f1", ["12A", "3C", "3A"], at)
    assert message == {
        "type": "SeatsHeld",
        "flight_id": "f1",
        "seats": ["3A", "3C", "12A"],
        "state": "held",
        "at": at.isoformat(),
    }
    assert domain.seat_event("SeatsReleased", "f1", ["3A"], at, "expired")["state"] == "free"
    assert domain.seat_event("SeatsAssigned", "f1", ["3A"], at)["state"] == "taken"
    assert domain.live_channel("f1") == "live:seatmap:f1"


labels = st.sampled_from(sorted(SEATS))


@given(taken=st.sets(labels), held=st.dictionaries(labels, st.sampled_from(["h1", "h2"])))
def test_availability_adds_up(taken: set[str], held: dict[str, str]) -> None:
    counts = domain.availability(SEATS.values(), taken, held)
    assert [c.cabin_class for c in counts] == [CabinClass.VIP, CabinClass.NORMAL]
    for c in counts:
        sellable = [s for s in SEATS.values() if s.cabin_class is c.cabin_class and not s.blocked]
        assert c.total == len(sellable) == c.free + c.held + c.taken
        assert c.taken == sum(1 for s in sellable if s.seat in taken)
        assert c.held == sum(1 for s in sellable if s.seat in held and s.seat not in taken)


@given(
    st.lists(
        st.tuples(labels, st.sampled_from(["adult", "child", "infant"]), st.sampled_from(["vip", "normal"])),
        min_size=1,
        max_size=12,
    )
)
def test_whatever_passes_the_rules_is_seatable(raw: list[tuple[str, str, str]]) -> None:
    """Any request either is refused or keeps every rule: no infant, no blocked seat, the cabin of
    the fare, no child in an exit row, one seat per passenger, at most nine."""
    requests = [(seat, f"p{i}", kind, cabin) for i, (seat, kind, cabin) in enumerate(raw)]
    try:
        accepted = check(*requests)
    except ValidationFailed:
        return
    assert 1 <= len(accepted) <= MAX_SEATS_PER_HOLD
    assert len({r.seat for r in accepted}) == len(accepted)
    for r in accepted:
        seat = SEATS[r.seat]
        assert r.passenger_type is not PassengerType.INFANT
        assert not seat.blocked and seat.cabin_class is r.cabin_class
        assert not (seat.exit_row and r.passenger_type is PassengerType.CHILD)


# ---------------------------------------------------------------- the flight's status


def test_what_a_flight_status_allows() -> None:
    from datetime import timedelta

    from airline.reservation.service import FlightInfo

    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)

    def info(
        status: str | None, departure: datetime | None = now + timedelta(days=2), cancelled: bool = False
    ) -> FlightInfo:
        return FlightInfo("f1", "P1", cancelled, {}, "XA101", status, departure)

    assert info("scheduled").why_not_sellable(now, 60) is None
    assert info("delayed").why_not_sellable(now, 60) is None
    assert info(None).why_not_sellable(now, 60) is None  # unknown: the flights service decides
    assert "cancelled" in (info("scheduled", cancelled=True).why_not_sellable(now, 60) or "")
    assert "departed" in (info("departed").why_not_sellable(now, 60) or "")
    assert "boarding" in (info("boarding").why_not_sellable(now, 60) or "")
    closing = now + timedelta(minutes=59)
    assert "closes for check-in" in (info("scheduled", closing).why_not_sellable(now, 60) or "")
    assert info("scheduled", closing).why_not_sellable(now, 30) is None
    # seat changes: refused only once the flight left or was cancelled
    assert [info(s).closed for s in ("scheduled", "boarding", "departed", "arrived", "diverted", "cancelled")] == [
        False,
        False,
        True,
        True,
        True,
        True,
    ]


def test_flight_facts_from_an_event() -> None:
    from airline.reservation.service import FlightFacts

    f = FlightFacts.of_event(
        {
            "id": "f1",
            "number": "XA101",
            "plane_id": "P1",
            "status": "delayed",
            "scheduled_departure": "2026-12-05T10:00:00+00:00",
            "estimated_departure": "2026-12-05T11:30:00+00:00",
            "version": 4,
        }
    )
    assert (f.status, f.departure, f.version) == ("delayed", datetime(2026, 12, 5, 11, 30, tzinfo=UTC), 4)


def test_account_refs() -> None:
    assert domain.account_ref(" user-1 ") == "user-1"
    assert domain.account_ref("guest:2001:db8::1") == "guest:2001:db8::1"
    with pytest.raises(ValidationFailed):
        domain.account_ref("")
    with pytest.raises(ValidationFailed):
        domain.account_ref("a b")


# --- choosing seats for requests that leave the seat to the service


def auto(*raw: tuple[str, str, str, str], unavailable: set[str] | None = None) -> dict[str, str]:
    requests = domain.parse_seat_requests(raw, allow_auto=True)
    chosen = domain.choose_seats(requests, SEATS, unavailable or set())
    domain.check_seat_requests(chosen, SEATS)
    return {r.passenger_ref: r.seat for r in chosen}


def test_an_empty_seat_is_only_allowed_when_the_service_chooses() -> None:
    with pytest.raises(ValidationFailed):
        domain.parse_seat_requests([req("")])
    assert domain.parse_seat_requests([req("")], allow_auto=True)[0].seat == domain.AUTO


def test_one_passenger_gets_the_first_free_seat_of_their_cabin() -> None:
    assert auto(req("", "a")) == {"a": "3A"}
    assert auto(req("", "a", cabin="vip"), unavailable={"1A"}) == {"a": "1C"}


def test_a_child_skips_exit_rows_and_blocked_seats_are_never_chosen() -> None:
    front = {s for s in SEATS if SEATS[s].row < 10 and SEATS[s].cabin_class is CabinClass.NORMAL}
    assert auto(req("", "kid", kind="child"), unavailable=front) == {"kid": "11A"}
    assert auto(req("", "adult"), unavailable=front) == {"adult": "10A"}
    rest = set(SEATS) - {"12F", "12E"}
    assert auto(req("", "a"), unavailable=rest) == {"a": "12E"}


def test_a_family_sits_together_in_one_row_and_the_exit_seat_goes_to_an_adult() -> None:
    # rows 3-9 full except one seat each: the family of 4 gets a row of its own (row 11)
    busy = {s for s in SEATS if 3 <= SEATS[s].row <= 9 and not s.endswith("A")}
    busy |= {"10A", "10B", "10C"}
    seats = auto(
        req("", "mum"), req("", "dad"), req("", "kid1", kind="child"), req("", "kid2", kind="child"), unavailable=busy
    )
    assert {SEATS[s].row for s in seats.values()} == {11}
    # three free seats in the exit row 10 and a child among three: the child never sits there
    only_exit = set(SEATS) - {"10D", "10E", "10F", "11A"}
    seats = auto(req("", "a1"), req("", "a2"), req("", "kid", kind="child"), unavailable=only_exit)
    assert seats["kid"] == "11A" and not SEATS[seats["kid"]].exit_row


def test_seats_given_are_kept_and_not_chosen_twice() -> None:
    seats = auto(req("3A", "a"), req("", "b"))
    assert seats == {"a": "3A", "b": "3B"}


def test_too_few_seats_is_a_conflict() -> None:
    normal = {s for s in SEATS if SEATS[s].cabin_class is CabinClass.NORMAL} - {"5A"}
    with pytest.raises(Conflict) as e:
        auto(req("", "a"), req("", "b"), unavailable=normal)
    assert e.value.code == "no_seats"


@given(
    st.sets(labels),
    st.lists(
        st.tuples(st.sampled_from(["adult", "child"]), st.sampled_from(["vip", "normal"])), min_size=1, max_size=9
    ),
)
def test_chosen_seats_keep_every_rule(unavailable: set[str], party: list[tuple[str, str]]) -> None:
    raw = [("", f"p{i}", kind, cabin) for i, (kind, cabin) in enumerate(party)]
    try:
        seats = auto(*raw, unavailable=unavailable)  # check_seat_requests inside: the rules hold
    except Conflict:
        # refused only when a cabin really lacks room for its passengers
        for cabin in {c for _, c in party}:
            wanted = [k for k, c in party if c == cabin]
            free = [
                s
                for s in SEATS.values()
                if s.cabin_class.value == cabin and not s.blocked and s.seat not in unavailable
            ]
            safe = [s for s in free if not s.exit_row]
            if len(free) < len(wanted) or len(safe) < wanted.count("child"):
                return
        raise
    assert len(set(seats.values())) == len(raw)
    assert not set(seats.values()) & unavailable


def test_children_are_seated_apart_rather_than_refused_when_exit_rows_split_the_safe_seats() -> None:
    # free: 3A, the whole exit row 10, 12A; one adult and two children: no run of three free
    # seats has two outside the exit row, so the children take 3A and 12A and the adult row 10
    free = {"3A", "10A", "10B", "10C", "10D", "10E", "10F", "12A"}
    seats = auto(req("", "a"), req("", "k1", kind="child"), req("", "k2", kind="child"), unavailable=set(SEATS) - free)
    assert {seats["k1"], seats["k2"]} == {"3A", "12A"} and seats["a"] == "10A"
