"""Flight rules without I/O: lifecycle, legs and schedules, disruptions, fares, search input,
pricing and offer tokens."""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airline.flights import domain
from airline.flights import seed as flights_seed
from airline.flights.domain import (
    CabinClass,
    CabinSeats,
    Fare,
    Flight,
    FlightStatus,
    PassengerType,
    TripType,
)
from airline.flights.fares import OfferCodec
from airline.platform.errors import Conflict, ValidationFailed

S = FlightStatus
T0 = datetime(2027, 3, 1, 0, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)
M = timedelta(minutes=1)
BOARDING = timedelta(minutes=40)
TURNAROUND = timedelta(minutes=45)


def flight(status: FlightStatus = S.SCHEDULED, **kw: object) -> Flight:
    f = Flight(
        id="f1", number="XA101", origin="XSP", destination="AOR", origin_time_zone="Asia/Singapore",
        destination_time_zone="Asia/Kuala_Lumpur", destination_city="Alor Setar", plane_id="P1", gate="X1",
        status=status, scheduled_departure=T0, scheduled_arrival=T0 + 90 * M, estimated_departure=T0,
        estimated_arrival=T0 + 90 * M, boarding_starts=T0 - BOARDING, departure_local_date=date(2027, 3, 1),
        seats=(CabinSeats(CabinClass.VIP, 8, 2), CabinSeats(CabinClass.NORMAL, 150, 0)),
    )
    return replace(f, **kw)  # type: ignore[arg-type]


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


# ---------------------------------------------------------------- legs


def test_leg_is_normalised_and_checked() -> None:
    leg = domain.new_leg(" xa101 ", "xsp", "aor", T0, 85, "p1", "x1")
    assert (leg.number, leg.origin, leg.destination, leg.plane_id, leg.gate) == ("XA101", "XSP", "AOR", "P1", "X1")
    assert leg.arrival == T0 + 85 * M
    assert domain.block_window(leg, TURNAROUND) == (T0, T0 + 130 * M)
    assert domain.gate_window(T0, BOARDING) == (T0 - BOARDING, T0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("XA101", "XSP", "XSP", T0, 85, "P1", "X1"), "differ"),
        (("XA101", "XS", "AOR", T0, 85, "P1", "X1"), "origin"),
        (("X", "XSP", "AOR", T0, 85, "P1", "X1"), "number"),
        (("XA12345", "XSP", "AOR", T0, 85, "P1", "X1"), "number"),
        (("XA101", "XSP", "AOR", T0.replace(tzinfo=None), 85, "P1", "X1"), "time zone"),
        (("XA101", "XSP", "AOR", T0, 0, "P1", "X1"), "duration"),
        (("XA101", "XSP", "AOR", T0, 20 * 60 + 1, "P1", "X1"), "duration"),
        (("XA101", "XSP", "AOR", T0, 85, "1P", "X1"), "plane_id"),
        (("XA101", "XSP", "AOR", T0, 85, "P1", "X-1"), "gate"),
    ],
)
def test_bad_legs(args: tuple, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationFailed, match=message):
        domain.new_leg(*args)


def test_departure_must_be_in_the_future() -> None:
    leg = domain.new_leg("XA101", "XSP", "AOR", T0, 85, "P1", "X1")
    domain.check_in_future([leg], T0 - M)
    with pytest.raises(ValidationFailed, match="future"):
        domain.check_in_future([leg], T0)


def test_return_leg_needs_the_turnaround() -> None:
    out = domain.new_leg("XA101", "XSP", "AOR", T0, 85, "P1", "X1")
    domain.check_return_leg(out, domain.new_leg("XA102", "AOR", "XSP", T0 + 130 * M, 85, "P1", "A1"), TURNAROUND)
    with pytest.raises(ValidationFailed, match="turnaround"):
        domain.check_return_leg(out, domain.new_leg("XA102", "AOR", "XSP", T0 + 129 * M, 85, "P1", "A1"), TURNAROUND)


def test_conflicts_within_one_request() -> None:
    tzs = {"XSP": "Asia/Singapore", "AOR": "Asia/Kuala_Lumpur"}
    a = domain.new_leg("XA101", "XSP", "AOR", T0, 85, "P1", "X1")
    same_number_day = domain.new_leg("XA101", "XSP", "AOR", T0 + 2 * H, 85, "P2", "X2")
    same_gate = domain.new_leg("XA201", "XSP", "AOR", T0 + 30 * M, 85, "P3", "X1")
    after = domain.new_leg("XA301", "XSP", "AOR", T0 + 40 * M, 85, "P4", "X1")  # boards as `a` leaves
    problems = domain.duplicates_in_request([a, same_number_day, same_gate, after], tzs, BOARDING)
    assert any("XA101 on 2027-03-01 appears twice" in p for p in problems)
    assert any(p.startswith("XA201 on 2027-03-01: gate X1 is taken by XA101 07:20-08:00 local") for p in problems)
    assert not any(p.startswith("XA301") and "XA101" in p for p in problems)


def test_flight_from_leg_copies_capacity_and_local_date() -> None:
    leg = domain.new_leg("XA101", "XSP", "AOR", datetime(2027, 3, 1, 17, 0, tzinfo=timezone.utc), 85, "P1", "X1")
    f = domain.flight_from_leg(
        leg, "id", domain.AirportInfo("XSP", "Asia/Singapore", "Singapore"),
        domain.AirportInfo("AOR", "Asia/Kuala_Lumpur", "Alor Setar"), {"normal": 150, "vip": 8}, BOARDING,
    )
    assert f.departure_local_date == date(2027, 3, 2)  # 01:00 the next day in Singapore
    assert [(c.cabin_class, c.capacity, c.sold) for c in f.seats] == [(CabinClass.VIP, 8, 0), (CabinClass.NORMAL, 150, 0)]
    assert f.status is S.PENDING and f.boarding_starts == leg.departure - BOARDING
    assert f.seats_left(CabinClass.VIP) == 8


# ---------------------------------------------------------------- schedules


def spec(**kw: object) -> domain.ScheduleSpec:
    base: dict[str, object] = dict(
        number="XA101", origin="XSP", destination="AOR", pid="P1", gate="X1", departure_local_time="08:00",
        duration_minutes=85, first_date="2027-03-01", days=7, weekdays=[],
    )
    return domain.schedule_spec(**{**base, **kw})  # type: ignore[arg-type]


def test_daily_schedule_keeps_the_local_time() -> None:
    days = domain.expand_schedule(spec(), "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    assert len(days) == 7 and all(back is None for _, back in days)
    local = [d.departure.astimezone(ZoneInfo("Asia/Singapore")) for d, _ in days]
    assert [x.date() for x in local] == [date(2027, 3, 1) + timedelta(days=i) for i in range(7)]
    assert {x.strftime("%H:%M") for x in local} == {"08:00"}


def test_schedule_across_a_dst_change_keeps_the_wall_clock() -> None:
    days = domain.expand_schedule(spec(first_date="2027-03-26", days=4), "Europe/London", "Asia/Kuala_Lumpur", TURNAROUND)
    utc_hours = [d.departure.hour for d, _ in days]
    assert utc_hours == [8, 8, 7, 7]  # BST starts on 2027-03-28
    assert {d.departure.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") for d, _ in days} == {"08:00"}


def test_schedule_weekdays_and_return() -> None:
    s = spec(days=14, weekdays=[1, 3, 5], return_number="XA102", return_gate="A1", return_departure_local_time="15:00")
    days = domain.expand_schedule(s, "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    assert {d.departure.astimezone(ZoneInfo("Asia/Singapore")).isoweekday() for d, _ in days} == {1, 3, 5}
    assert len(days) == 6
    for out, back in days:
        assert back is not None and (back.origin, back.destination, back.gate, back.number) == ("AOR", "XSP", "A1", "XA102")
        assert back.departure.astimezone(ZoneInfo("Asia/Kuala_Lumpur")).strftime("%H:%M") == "15:00"
        assert back.duration == out.duration  # defaults to the outbound's


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"days": 0}, "days"),
        ({"days": 367}, "days"),
        ({"weekdays": [0]}, "weekdays"),
        ({"departure_local_time": "24:00"}, "departure_local_time"),
        ({"first_date": "01/03/2027"}, "first_date"),
        ({"return_number": "XA101", "return_gate": "A1", "return_departure_local_time": "15:00"}, "differ"),
        ({"return_gate": "A1", "return_departure_local_time": "15:00"}, "return_number"),
    ],
)
def test_bad_schedules(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        spec(**kw)


def test_schedule_return_before_turnaround_and_too_many_legs() -> None:
    tight = spec(return_number="XA102", return_gate="A1", return_departure_local_time="09:30")
    with pytest.raises(ValidationFailed, match="turnaround"):
        domain.expand_schedule(tight, "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    long = spec(days=300, return_number="XA102", return_gate="A1", return_departure_local_time="15:00")
    with pytest.raises(ValidationFailed, match="at most 500"):
        domain.expand_schedule(long, "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)
    with pytest.raises(ValidationFailed, match="no flight"):
        domain.expand_schedule(spec(days=1, weekdays=[2]), "Asia/Singapore", "Asia/Kuala_Lumpur", TURNAROUND)


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
def test_bad_delays(new_departure: datetime, new_arrival: datetime | None, code: str, reason: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        domain.plan_delay(flight(), new_departure, new_arrival, code, reason)


def test_delay_after_departure_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        domain.plan_delay(flight(S.DEPARTED), T0 + H, None, "93", "r")


def test_cancel_divert_gate_change() -> None:
    cancelled = domain.apply_cancel(flight(), "crew shortage")
    assert cancelled.status is S.CANCELLED and domain.announce_cancellation(cancelled).endswith("cancelled: crew shortage.")
    with pytest.raises(ValidationFailed):
        domain.apply_cancel(flight(), " ")
    with pytest.raises(Conflict):
        domain.apply_diversion(flight(S.BOARDING), "BKK", "weather", None)
    with pytest.raises(ValidationFailed, match="differ"):
        domain.apply_diversion(flight(S.DEPARTED), "AOR", "weather", None)
    diverted = domain.apply_diversion(flight(S.DEPARTED, actual_departure=T0), "BKK", "weather", T0 + 3 * H)
    assert (diverted.status, diverted.diverted_to, diverted.estimated_arrival) == (S.DIVERTED, "BKK", T0 + 3 * H)
    assert "Knock-on: plane P1" in domain.announce_diversion(diverted, "Bangkok", "plane P1 stays")
    moved = domain.apply_gate_change(flight(S.DELAYED), "X2")
    assert domain.announce_gate_change(moved, "X1", "") == "Flight XA101 to Alor Setar now departs from gate X2 (was X1)."
    with pytest.raises(Conflict):
        domain.apply_gate_change(flight(S.BOARDING), "X2")


def test_payload_is_a_full_json_snapshot() -> None:
    payload = domain.flight_payload(flight())
    assert payload["scheduled_departure"] == "2027-03-01T00:00:00+00:00" and payload["actual_departure"] is None
    assert payload["seats"][0] == {"cabin_class": "vip", "capacity": 8, "sold": 2, "overbooking_percent": 0,
                                   "seats_left": 6}
    assert payload["status"] == "scheduled" and payload["version"] == 1


# ---------------------------------------------------------------- fares and search input


def test_fares_are_checked() -> None:
    f = domain.new_fare("xsp", "aor", "VIP", "Adult", "round_trip", 31000, "SGD")
    assert f.key == ("XSP", "AOR", CabinClass.VIP, PassengerType.ADULT, TripType.ROUND_TRIP)
    for args, message in [
        (("XSP", "AOR", "vip", "adult", "one_way", -1, "SGD"), "amount"),
        (("XSP", "AOR", "vip", "adult", "one_way", 1, "SG"), "currency"),
        (("XSP", "AOR", "vip", "adult", "one_way", 1, "sgd"), "currency"),
        (("XSP", "XSP", "vip", "adult", "one_way", 1, "SGD"), "differ"),
        (("XSP", "AOR", "first", "adult", "one_way", 1, "SGD"), "cabin_class"),
        (("XSP", "AOR", "vip", "senior", "one_way", 1, "SGD"), "passenger_type"),
        (("XSP", "AOR", "vip", "adult", "open_jaw", 1, "SGD"), "trip_type"),
    ]:
        with pytest.raises(ValidationFailed, match=message):
            domain.new_fare(*args)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed, match="twice"):
        domain.check_fare_batch([f, f], [])
    other = domain.new_fare("XSP", "AOR", "vip", "child", "round_trip", 1, "MYR")
    with pytest.raises(ValidationFailed, match="one currency"):
        domain.check_fare_batch([f, other], [])
    with pytest.raises(ValidationFailed, match="bag_weight_kg"):
        domain.new_rules("XSP", "AOR", "vip", True, 0, "SGD", 2, 0)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"adults": 0}, "at least one adult"),
        ({"adults": 1, "infants": 2}, "lap"),
        ({"adults": 4, "children": 4, "infants": 2}, "at most 9"),
        ({"children": -1}, "negative"),
        ({"cls": "first"}, "cabin_class"),
        ({"ttype": "multi_city"}, "trip_type"),
        ({"ttype": "round_trip"}, "return_date is required"),
        ({"ttype": "round_trip", "return_date": "2027-02-28"}, "not be before"),
        ({"return_date": "2027-03-05"}, "only for round trips"),
        ({"departure_date": "2027-3-1"}, "departure_date"),
        ({"flexible_days": 4}, "flexible_days"),
        ({"flexible_days": -1}, "flexible_days"),
        ({"destination": "XSP"}, "differ"),
    ],
)
def test_bad_searches(kw: dict[str, object], message: str) -> None:
    base: dict[str, object] = dict(origin="XSP", destination="AOR", departure_date="2027-03-01", flexible_days=0,
                                   adults=2, children=0, infants=0, cls="vip", ttype="one_way", return_date="")
    with pytest.raises(ValidationFailed, match=message):
        domain.search_query(**{**base, **kw})  # type: ignore[arg-type]


def test_search_defaults_and_date_ranges() -> None:
    q = domain.search_query("xsp", "aor", "2027-03-01", 2, 2, 1, 1, "", "round_trip", "2027-03-05")
    assert (q.cabin_class, q.passengers.seated) == (CabinClass.NORMAL, 3)
    assert q.outbound_dates() == (date(2027, 2, 27), date(2027, 3, 3))
    assert q.return_dates() == (date(2027, 3, 3), date(2027, 3, 7))


# ---------------------------------------------------------------- pricing


def fares_for(amounts: dict[PassengerType, int], currency: str = "SGD") -> dict[PassengerType, Fare]:
    return {t: Fare("XSP", "AOR", CabinClass.VIP, t, TripType.ROUND_TRIP, a, currency) for t, a in amounts.items()}


amount = st.integers(min_value=0, max_value=10**7)
leg_fares = st.fixed_dictionaries({t: amount for t in PassengerType})


@given(
    legs=st.lists(leg_fares, min_size=1, max_size=2),
    adults=st.integers(1, 9),
    children=st.integers(0, 8),
    infants=st.integers(0, 9),
)
def test_price_is_the_sum_over_legs_times_counts(legs: list[dict[PassengerType, int]], adults: int, children: int, infants: int) -> None:
    infants = min(infants, adults)
    if adults + children + infants > 9:
        return
    pax = domain.passengers(adults, children, infants)
    p = domain.price([fares_for(leg) for leg in legs], pax)
    assert p is not None and p.currency == "SGD"
    counts = dict(pax.counts())
    assert [line.passenger_type for line in p.lines] == list(counts)
    for line in p.lines:
        assert line.unit_amount == sum(leg[line.passenger_type] for leg in legs)
        assert line.amount == line.unit_amount * counts[line.passenger_type]
    assert p.total == sum(line.amount for line in p.lines)


def test_price_needs_every_travelling_fare_and_one_currency() -> None:
    pax = domain.passengers(2, 1, 1)
    full = {PassengerType.ADULT: 30000, PassengerType.CHILD: 22000, PassengerType.INFANT: 3000}
    p = domain.price([fares_for(full), fares_for(full)], pax)
    assert p is not None and p.total == 2 * 60000 + 44000 + 6000
    no_infant = {PassengerType.ADULT: 30000, PassengerType.CHILD: 22000}
    assert domain.price([fares_for(full), fares_for(no_infant)], pax) is None
    # an infant fare missing does not matter when no infant travels
    assert domain.price([fares_for(no_infant)], domain.passengers(1, 1, 0)) is not None
    assert domain.price([fares_for(full), fares_for(full, "MYR")], pax) is None


def test_round_trip_combinations_need_an_hour_on_the_ground() -> None:
    out = flight()
    ok = flight(id="r1", estimated_departure=out.estimated_arrival + H, estimated_arrival=out.estimated_arrival + 3 * H)
    tight = flight(id="r2", estimated_departure=out.estimated_arrival + 59 * M, estimated_arrival=out.estimated_arrival + 3 * H)
    assert domain.combine_round_trips([out], [ok, tight]) == [(out, ok)]


# ---------------------------------------------------------------- offers


def test_offer_token_round_trips_and_cannot_be_altered() -> None:
    codec = OfferCodec("s" * 48, 1800)
    pax = domain.passengers(2, 1, 1)
    full = {PassengerType.ADULT: 30000, PassengerType.CHILD: 22000, PassengerType.INFANT: 3000}
    p = domain.price([fares_for(full)], pax)
    assert p is not None
    rules = [domain.default_rules("XSP", "AOR", CabinClass.VIP, "SGD")]
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=30)
    token = codec.encode(domain.offer_claims([flight()], pax, CabinClass.VIP, TripType.ONE_WAY, p, rules, expires))
    back = domain.offer_from_claims(codec.decode(token))
    assert (back.flight_ids, back.passengers, back.price, back.rules, back.expires_at) == (("f1",), pax, p, tuple(rules), expires)
    assert rules[0].checked_bags == 2 and rules[0].bag_weight_kg == 32 and not rules[0].refundable

    header, body, sig = token.split(".")
    with pytest.raises(ValidationFailed, match="not a valid offer"):
        codec.decode(f"{header}.{body[:-2]}AA.{sig}")
    with pytest.raises(ValidationFailed, match="not a valid offer"):
        OfferCodec("t" * 48, 1800).decode(token)
    import jwt

    stale = jwt.encode({"aud": "flights-offer", "exp": int(time.time()) - 5}, "s" * 48, algorithm="HS256")
    with pytest.raises(ValidationFailed, match="expired"):
        codec.decode(stale)
    other_audience = jwt.encode({"aud": "something-else", "exp": int(time.time()) + 60}, "s" * 48, algorithm="HS256")
    with pytest.raises(ValidationFailed, match="not a valid offer"):
        codec.decode(other_audience)


# ---------------------------------------------------------------- seed fares


def test_seed_fares_are_realistic_and_complete() -> None:
    request = flights_seed.seed_fares()
    assert len(request.fares) == 3 * 2 * 2 * 3 * 2 and len(request.rules) == 3 * 2 * 2
    by_key = {(f.origin, f.destination, f.cabin_class, f.passenger_type, f.trip_type): f.amount for f in request.fares}
    for dest, _ in flights_seed.ROUTES:
        one_way = by_key[("XSP", dest, "normal", "adult", "one_way")]
        assert 12000 <= one_way <= 25000
        assert 0.85 <= by_key[("XSP", dest, "normal", "adult", "round_trip")] / one_way <= 0.9
        assert by_key[("XSP", dest, "normal", "child", "one_way")] == pytest.approx(0.75 * one_way, abs=100)
        assert by_key[("XSP", dest, "vip", "adult", "one_way")] == pytest.approx(2.5 * one_way, abs=100)
        assert by_key[(dest, "XSP", "normal", "adult", "one_way")] == one_way
    assert {f.currency for f in request.fares} == {"SGD"}
    vip = [r for r in request.rules if r.cabin_class == "vip"]
    assert all(r.refundable and r.change_fee == 0 and (r.checked_bags, r.bag_weight_kg) == (2, 32) for r in vip)
    normal = [r for r in request.rules if r.cabin_class == "normal"]
    assert all(not r.refundable and r.change_fee == 5000 and (r.checked_bags, r.bag_weight_kg) == (1, 23) for r in normal)


# ---------------------------------------------------------------- staff announcements


def test_staff_calls_name_the_flight_destination_and_gate() -> None:
    from airline.flights.domain import AnnouncementKind, staff_announcement, staff_announcement_kind

    flight = _staff_call_flight()
    assert staff_announcement(flight, AnnouncementKind.GO_TO_GATE, "") == (
        f"Passengers of {flight.number} to Singapore, please go to gate X2.")
    assert staff_announcement(flight, AnnouncementKind.FINAL_CALL, "").startswith(
        f"Final call for passengers of {flight.number} to Singapore: please go to gate X2")
    assert staff_announcement(flight, AnnouncementKind.FREE_TEXT, "  Families   may board first. ") == (
        "Families may board first.")
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
    assert staff_announcement(replace(flight, status=FlightStatus.CANCELLED), AnnouncementKind.FREE_TEXT,
                              "Passengers of the cancelled flight, please see the transfer desk.")


def _staff_call_flight() -> Flight:
    return flight(destination="SIN", destination_city="Singapore", gate="X2")


# ---------------------------------------------------------------- seats, sales close, windows (issue 13)


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


def test_an_offer_is_bookable_only_while_its_flights_sell_and_have_the_seats() -> None:
    now = T0 - 2 * H
    domain.check_bookable([flight()], CabinClass.VIP, 6, now, 60)
    with pytest.raises(Conflict) as info:
        domain.check_bookable([flight()], CabinClass.VIP, 7, now, 60)
    assert info.value.code == "not_enough_seats" and "6 vip seat(s) left" in info.value.message
    for status, words in ((S.DEPARTED, "has departed"), (S.CANCELLED, "is cancelled"), (S.BOARDING, "boarding")):
        with pytest.raises(Conflict) as info:
            domain.check_bookable([flight(status)], CabinClass.NORMAL, 1, now, 60)
        assert info.value.code == "flight_not_sellable" and words in info.value.message
    with pytest.raises(Conflict) as info:  # 50 minutes before departure: sales closed
        domain.check_bookable([flight()], CabinClass.NORMAL, 1, T0 - 50 * M, 60)
    assert info.value.code == "flight_not_sellable"


def test_flight_dates_outside_the_window_are_validation_errors() -> None:
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    with pytest.raises(ValidationFailed, match="2100-12-31"):
        domain.new_leg("XA1", "XSP", "AOR", datetime(9999, 6, 1, tzinfo=timezone.utc), 60, "P1", "X1")
    leg = domain.new_leg("XA1", "XSP", "AOR", now + timedelta(days=401), 60, "P1", "X1")
    with pytest.raises(ValidationFailed, match="more than 400 days"):
        domain.check_in_future([leg], now)
    domain.check_in_future([leg], now, max_days_ahead=500)
    with pytest.raises(ValidationFailed, match="first_date"):
        domain.schedule_spec("XA1", "XSP", "AOR", "P1", "X1", "08:00", 60, "9999-01-01", 3, [])
    with pytest.raises(ValidationFailed, match="departure_date"):
        domain.search_query("XSP", "AOR", "9999-12-31", 3, 1, 0, 0, "normal", "one_way", "")


def test_fare_rules_no_show_refund_and_taxes() -> None:
    rules = domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23, no_show_refund="taxes", taxes=2500)
    assert (rules.no_show_refund, rules.taxes) == ("taxes", 2500)
    assert domain.FareRules.from_dict(rules.to_dict()) == rules
    old = {k: v for k, v in rules.to_dict().items() if k not in ("no_show_refund", "taxes")}
    assert (domain.FareRules.from_dict(old).no_show_refund, domain.FareRules.from_dict(old).taxes) == ("none", 0)
    assert domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23).no_show_refund == "none"
    with pytest.raises(ValidationFailed, match="none or taxes"):
        domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23, no_show_refund="fare")
    with pytest.raises(ValidationFailed, match="taxes"):
        domain.new_rules("XSP", "AOR", "normal", True, 0, "SGD", 1, 23, taxes=-1)
    cheap = domain.new_fare("XSP", "AOR", "normal", "infant", "one_way", 2000, "SGD")
    with pytest.raises(ValidationFailed, match="lowest fare"):
        domain.check_taxes_within_fares([cheap], [rules])


def test_the_seats_a_booking_takes_leave_infants_on_a_lap() -> None:
    from airline.flights.consumers import flight_ids, seated

    assert seated([{"type": "adult"}, {"type": "child"}, {"type": "infant"}]) == 2
    assert flight_ids([{"flight_id": "a"}, {"flight_id": "b"}]) == ["a", "b"]
    assert flight_ids(["a", "b"]) == ["a", "b"]


def test_delays_and_diversions_to_absurd_dates_are_validation_errors() -> None:
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc)
    with pytest.raises(ValidationFailed, match="new_departure must be between"):
        domain.plan_delay(flight(), far, None, "93", "late")
    with pytest.raises(ValidationFailed, match="new_arrival must be between"):
        domain.plan_delay(flight(), T0 + H, far, "93", "late")
    with pytest.raises(ValidationFailed, match="estimated_arrival must be between"):
        domain.apply_diversion(flight(S.DEPARTED), "KUL", "weather", far)
