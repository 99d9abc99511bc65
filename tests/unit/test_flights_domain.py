"""Flight rules without I/O: the status lifecycle, disruptions, announcements, the event
snapshot and the seats a flight sells. Schedules: test_flights_schedule.py; fares, search
and offers: test_flights_fares.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.flights import domain
from airline.flights.domain import CabinClass, CabinSeats, Flight, FlightStatus
from airline.platform.errors import Conflict, ValidationFailed
from tests.support.flights_domain import BOARDING, T0, H, M, S, flight

# ---------------------------------------------------------------- lifecycle


EXPECTED = {
    S.SCHEDULED: {S.DELAYED, S.BOARDING, S.CANCELLED},
    S.DELAYED: {S.DELAYED, S.BOARDING, S.CANCELLED},
    S.BOARDING: {S.DEPARTED, S.DELAYED, S.CANCELLED},
    S.DEPARTED: {S.ARRIVED, S.DIVERTED},
    S.DIVERTED: {S.ARRIVED},
    S.ARRIVED: set(),
    S.CANCELLED: set(),
}


@pytest.mark.parametrize("current", list(EXPECTED))
@pytest.mark.parametrize("target", [s for s in FlightStatus if s is not S.PENDING])
def test_transition_table(current: FlightStatus, target: FlightStatus) -> None:
    if target in EXPECTED[current]:
        domain.check_transition("XA101", current, target)
    else:
        with pytest.raises(Conflict) as info:
            domain.check_transition("XA101", current, target)
        assert f"from {current.value} to {target.value}" in info.value.message


def test_arrived_to_boarding_is_refused() -> None:
    with pytest.raises(Conflict, match="cannot go from arrived to boarding"):
        domain.apply_progress(flight(S.ARRIVED), S.BOARDING, T0)


@given(st.lists(st.sampled_from([s for s in FlightStatus if s is not S.PENDING]), max_size=12))
def test_any_walk_follows_the_lifecycle(targets: list[FlightStatus]) -> None:
    """Whatever is asked, a flight only ever moves along the table, and terminal states stay."""
    state = S.SCHEDULED
    terminal_reached: FlightStatus | None = None
    for target in targets:
        try:
            domain.check_transition("XA101", state, target)
        except Conflict:
            assert target not in EXPECTED[state]
            continue
        assert target in EXPECTED[state]
        assert terminal_reached is None  # nothing leaves arrived or cancelled
        state = target
        if state in (S.ARRIVED, S.CANCELLED):
            terminal_reached = state
    assert terminal_reached in (None, state)


def test_pending_is_never_visible_and_only_becomes_scheduled() -> None:
    assert S.PENDING not in domain.VISIBLE
    assert domain.TRANSITIONS[S.PENDING] == {S.SCHEDULED}
    assert S.PENDING in domain.HOLDS_GATE and S.DEPARTED not in domain.HOLDS_GATE


def test_progress_statuses() -> None:
    assert domain.progress_status(" Boarding ") is S.BOARDING
    for bad in ("cancelled", "delayed", "diverted", "flying", ""):
        with pytest.raises(ValidationFailed):
            domain.progress_status(bad)


def test_progress_sets_actual_times() -> None:
    departed = domain.apply_progress(flight(S.BOARDING), S.DEPARTED, T0 + 5 * M)
    assert (departed.status, departed.actual_departure, departed.version) == (S.DEPARTED, T0 + 5 * M, 2)
    with pytest.raises(ValidationFailed):
        domain.apply_progress(departed, S.ARRIVED, T0)
    arrived = domain.apply_progress(departed, S.ARRIVED, T0 + 2 * H)
    assert arrived.actual_arrival == T0 + 2 * H and arrived.version == 3


# ---------------------------------------------------------------- disruptions


def test_delay_shifts_arrival_and_gate_window() -> None:
    f = flight()
    plan = domain.plan_delay(f, T0 + 135 * M, None, "93", "  late  inbound ")
    assert (plan.new_arrival, plan.reason) == (T0 + 225 * M, "late inbound")
    delayed = domain.apply_delay(f, plan, BOARDING)
    assert delayed.status is S.DELAYED and delayed.boarding_starts == T0 + 95 * M and delayed.version == 2
    assert domain.delay_minutes(delayed) == 135
    assert domain.announce_delay(delayed) == "Flight XA101 to Alor Setar is delayed to 10:15 (local): late inbound."


@pytest.mark.parametrize(
    ("new_departure", "new_arrival", "code", "reason", "message"),
    [
        (T0, None, "93", "r", "later"),
        (T0 - H, None, "93", "r", "later"),
        (T0 + H, T0 + H, "93", "r", "after new_departure"),
        (T0 + H, None, "930", "r", "delay_code"),
        (T0 + H, None, "AB", "r", "delay_code"),
        (T0 + H, None, "93", "", "reason"),
        (T0 + H, None, "93", "x" * 501, "reason"),
        (T0 + H, None, "93", "bad\x00", "control"),
    ],
)
def test_bad_delays(
    new_departure: datetime, new_arrival: datetime | None, code: str, reason: str, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        domain.plan_delay(flight(), new_departure, new_arrival, code, reason)


def test_delay_after_departure_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        domain.plan_delay(flight(S.DEPARTED), T0 + H, None, "93", "r")


def test_cancel_divert_gate_change() -> None:
    cancelled = domain.apply_cancel(flight(), "crew shortage", T0 - 20 * H)
    assert cancelled.status is S.CANCELLED and domain.announce_cancellation(cancelled).endswith(
        "cancelled: crew shortage."
    )
    assert cancelled.cancelled_at == T0 - 20 * H  # the notice passengers had
    with pytest.raises(ValidationFailed):
        domain.apply_cancel(flight(), " ", T0)
    with pytest.raises(Conflict):
        domain.apply_diversion(flight(S.BOARDING), "BKK", "weather", None)
    with pytest.raises(ValidationFailed, match="differ"):
        domain.apply_diversion(flight(S.DEPARTED), "AOR", "weather", None)
    diverted = domain.apply_diversion(flight(S.DEPARTED, actual_departure=T0), "BKK", "weather", T0 + 3 * H)
    assert (diverted.status, diverted.diverted_to, diverted.estimated_arrival) == (S.DIVERTED, "BKK", T0 + 3 * H)
    assert "Knock-on: plane P1" in domain.announce_diversion(diverted, "Bangkok", "plane P1 stays")
    moved = domain.apply_gate_change(flight(S.DELAYED), "X2")
    assert (
        domain.announce_gate_change(moved, "X1", "") == "Flight XA101 to Alor Setar now departs from gate X2 (was X1)."
    )
    with pytest.raises(Conflict):
        domain.apply_gate_change(flight(S.BOARDING), "X2")


def test_payload_is_a_full_json_snapshot() -> None:
    payload = domain.flight_payload(flight())
    assert payload["scheduled_departure"] == "2027-03-01T00:00:00+00:00" and payload["actual_departure"] is None
    assert payload["seats"][0] == {
        "cabin_class": "vip",
        "capacity": 8,
        "sold": 2,
        "overbooking_percent": 0,
        "seats_left": 6,
    }
    assert payload["status"] == "scheduled" and payload["version"] == 1


# ---------------------------------------------------------------- staff announcements


def test_staff_calls_name_the_flight_destination_and_gate() -> None:
    from airline.flights.domain import AnnouncementKind, staff_announcement, staff_announcement_kind

    flight = _staff_call_flight()
    assert staff_announcement(flight, AnnouncementKind.GO_TO_GATE, "") == (
        f"Passengers of {flight.number} to Singapore, please go to gate X2."
    )
    assert staff_announcement(flight, AnnouncementKind.FINAL_CALL, "").startswith(
        f"Final call for passengers of {flight.number} to Singapore: please go to gate X2"
    )
    assert staff_announcement(flight, AnnouncementKind.FREE_TEXT, "  Families   may board first. ") == (
        "Families may board first."
    )
    assert staff_announcement_kind("GO_TO_GATE") is AnnouncementKind.GO_TO_GATE
    for kind in ("delay", "boarding", "shout"):  # the automatic kinds are not staff's to make
        with pytest.raises(ValidationFailed):
            staff_announcement_kind(kind)


def test_staff_calls_are_refused_when_they_cannot_be_true() -> None:
    from dataclasses import replace

    from airline.flights.domain import AnnouncementKind, FlightStatus, staff_announcement

    flight = _staff_call_flight()
    for text in ("", "hi", "x" * 301, "bell\x07ring"):
        with pytest.raises(ValidationFailed):
            staff_announcement(flight, AnnouncementKind.FREE_TEXT, text)
    with pytest.raises(ValidationFailed):
        staff_announcement(flight, AnnouncementKind.GO_TO_GATE, "my own words")
    with pytest.raises(Conflict):
        staff_announcement(replace(flight, gate=""), AnnouncementKind.GO_TO_GATE, "")
    with pytest.raises(Conflict):
        staff_announcement(replace(flight, status=FlightStatus.DEPARTED), AnnouncementKind.FINAL_CALL, "")
    # free text about a cancelled flight is still useful ("please go to the transfer desk")
    assert staff_announcement(
        replace(flight, status=FlightStatus.CANCELLED),
        AnnouncementKind.FREE_TEXT,
        "Passengers of the cancelled flight, please see the transfer desk.",
    )


def _staff_call_flight() -> Flight:
    return flight(destination="SIN", destination_city="Singapore", gate="X2")


# ---------------------------------------------------------------- seats


def test_seats_left_counts_what_was_sold_and_the_overbooking_allowance() -> None:
    assert CabinSeats(CabinClass.NORMAL, 150, 6).left == 144
    assert CabinSeats(CabinClass.NORMAL, 150, 150).left == 0
    assert CabinSeats(CabinClass.NORMAL, 150, 150, 10).left == 15
    assert CabinSeats(CabinClass.VIP, 8, 0, 10).left == 8  # 8.8 rounds down: never a seat too many
    assert CabinSeats(CabinClass.NORMAL, 6, 7, 0).left == 0  # policy lowered below what is sold
    for bad in (-1, 21):
        with pytest.raises(ValidationFailed, match="0 to 20"):
            domain.overbooking_percent(bad)
    assert domain.overbooking_percent(20) == 20


def test_the_seats_a_booking_takes_leave_infants_on_a_lap() -> None:
    from airline.flights.consumers import flight_ids, seated

    assert seated([{"type": "adult"}, {"type": "child"}, {"type": "infant"}]) == 2
    assert flight_ids([{"flight_id": "a"}, {"flight_id": "b"}]) == ["a", "b"]
    assert flight_ids(["a", "b"]) == ["a", "b"]


def test_delays_and_diversions_to_absurd_dates_are_validation_errors() -> None:
    far = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    with pytest.raises(ValidationFailed, match="new_departure must be between"):
        domain.plan_delay(flight(), far, None, "93", "late")
    with pytest.raises(ValidationFailed, match="new_arrival must be between"):
        domain.plan_delay(flight(), T0 + H, far, "93", "late")
    with pytest.raises(ValidationFailed, match="estimated_arrival must be between"):
        domain.apply_diversion(flight(S.DEPARTED), "KUL", "weather", far)
