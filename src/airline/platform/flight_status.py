"""What a flight's status means for everyone who acts on it: one module of pure functions,
imported by every service (and the gateway) instead of restating the rules.

The flights service owns the status and its lifecycle (which status may follow which); the
other services keep a copy from the flights events, or ask, and decide with these functions:

- **sellable**: a new booking, a seat hold, a payment or a seat change is allowed only while
  the flight is scheduled or delayed *and* its check-in has not closed (sales close with
  check-in: `SALES_CLOSE_MINUTES` before the expected departure by default);
- **has left**: departed, arrived or diverted (in the air or on the ground elsewhere);
- **flown** (for refunds): the flight left, or its expected departure time has passed while
  nobody marked it cancelled: a cancellation from then on is a no-show;
- **closed**: no more check-in, bag drop or seat change: the flight left or was cancelled, or
  check-in closed;
- **upcoming**: scheduled or delayed: plans around it (a proposed crew, a load plan) may still
  be made and changed automatically; from boarding on only a person changes them;
- **check-in / bag drop / boarding allowed**: the flight has not left and was not cancelled
  (the time windows are each service's own: check-in opens and closes, the gate closes);
- **crew duty**: a duty may be changed while the flight is not closed; it is under way once the
  flight left and over when it arrived (or the flight was cancelled).

A copy kept from events may hear them out of order (different topics have no common order):
`follows` tells whether a status heard later may replace the one kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class FlightStatus(StrEnum):
    PENDING = "pending"  # internal to the flights service: being created; never visible
    SCHEDULED = "scheduled"
    DELAYED = "delayed"
    BOARDING = "boarding"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"
    DIVERTED = "diverted"


S = FlightStatus

# The lifecycle: which status may follow which (the flights service enforces it).
TRANSITIONS: dict[FlightStatus, frozenset[FlightStatus]] = {
    S.PENDING: frozenset({S.SCHEDULED}),
    S.SCHEDULED: frozenset({S.DELAYED, S.BOARDING, S.CANCELLED}),
    S.DELAYED: frozenset({S.DELAYED, S.BOARDING, S.CANCELLED}),
    S.BOARDING: frozenset({S.DEPARTED, S.DELAYED, S.CANCELLED}),
    S.DEPARTED: frozenset({S.ARRIVED, S.DIVERTED}),
    S.DIVERTED: frozenset({S.ARRIVED}),
    S.ARRIVED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Seats are sold (and held, paid, changed) only in these states, and only until sales close.
SELLING = frozenset({S.SCHEDULED, S.DELAYED})
# In the air, or on the ground at the end of the trip (or somewhere else).
LEFT = frozenset({S.DEPARTED, S.ARRIVED, S.DIVERTED})
# Nobody boards, checks in or drops a bag any more.
CLOSED = LEFT | {S.CANCELLED}

# What anyone outside the flights service may see (a pending flight is still being created).
VISIBLE = frozenset(s for s in FlightStatus if s is not S.PENDING)
# Set by ops as the flight progresses (the others follow from delays, cancellations, diversions).
PROGRESS = frozenset({S.BOARDING, S.DEPARTED, S.ARRIVED})
# Before boarding: automatic planning (crew proposals, load plans) still follows the flight.
UPCOMING = frozenset({S.SCHEDULED, S.DELAYED})
# Nothing more will happen to the flight.
FINAL = frozenset({S.ARRIVED, S.CANCELLED})

# Sales close when check-in closes: this long before the expected departure (the check-in
# service's own window is tunable; this is the default every service starts from).
SALES_CLOSE_MINUTES = 60


def parse(value: str) -> FlightStatus:
    """A status as other services receive it (events, gRPC): unknown text is a bug upstream."""
    return FlightStatus(value.strip().lower())


def can_transition(current: FlightStatus, target: FlightStatus) -> bool:
    return target in TRANSITIONS[current]


def sales_close_at(departure: datetime, close_minutes: float = SALES_CLOSE_MINUTES) -> datetime:
    return departure - timedelta(minutes=close_minutes)


def sellable(
    status: str, departure: datetime | None, now: datetime, close_minutes: float = SALES_CLOSE_MINUTES
) -> bool:
    """May seats on this flight be sold, held, paid for or changed now? `departure` is the
    expected (estimated) departure; unknown means "not closed by time"."""
    if parse(status) not in SELLING:
        return False
    return departure is None or now < sales_close_at(departure, close_minutes)


def why_not_sellable(
    number: str, status: str, departure: datetime | None, now: datetime, close_minutes: float = SALES_CLOSE_MINUTES
) -> str | None:
    """None when sellable, else the reason in words (for a 409 the passenger reads)."""
    st = parse(status)
    if st is S.CANCELLED:
        return f"flight {number} is cancelled"
    if st in LEFT:
        return f"flight {number} has {st.value}"
    if st not in SELLING:
        return f"flight {number} is {st.value}: sales and changes have closed"
    if departure is not None and now >= sales_close_at(departure, close_minutes):
        return (
            f"flight {number} closes for check-in at {sales_close_at(departure, close_minutes):%Y-%m-%d %H:%M} UTC: "
            "sales and changes have closed"
        )
    return None


def has_left(status: str) -> bool:
    return parse(status) in LEFT


def is_closed(status: str) -> bool:
    """No check-in, bag drop or boarding any more (it left or was cancelled)."""
    return parse(status) in CLOSED


def flown(status: str, departure: datetime | None, now: datetime) -> bool:
    """For refunds: the flight left, or its time came and it was not cancelled (a passenger
    who cancels from then on did not show up)."""
    st = parse(status)
    if st is S.CANCELLED:
        return False
    if st in LEFT:
        return True
    return departure is not None and now >= departure


def is_cancelled(status: str) -> bool:
    return parse(status) is S.CANCELLED


def is_upcoming(status: str) -> bool:
    """Scheduled or delayed: automatic planning (crew proposals) may still act on it."""
    return parse(status) in UPCOMING


def reachable(current: FlightStatus, target: FlightStatus) -> bool:
    """Can the lifecycle lead from `current` to `target` in one or more steps?"""
    seen: set[FlightStatus] = set()
    todo = [current]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt is target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def follows(current: str | None, heard: str) -> bool:
    """May a copy that holds `current` take `heard` (from an event that may come late)? Yes when
    the lifecycle can lead there or it is the same status; a late "delayed" never undoes a
    "departed", and nothing undoes "arrived" or "cancelled"."""
    if current is None:
        return True
    now, new = parse(current), parse(heard)
    return now is new or reachable(now, new)


def checkin_allowed(status: str) -> bool:
    """Check-in (online or at the counter) as far as the status goes: not left, not cancelled."""
    return not is_closed(status)


def why_checkin_closed(number: str, status: str) -> tuple[str, str] | None:
    """None while the status allows check-in, else (refusal code, message)."""
    st = parse(status)
    if st is S.CANCELLED:
        return "flight_cancelled", f"flight {number} is cancelled"
    if st in LEFT:
        return "checkin_closed", f"flight {number} has {st.value}: check-in is closed"
    return None


def bag_drop_allowed(status: str) -> bool:
    """Bags are accepted while the flight has neither left nor been cancelled."""
    return not is_closed(status)


def boarding_allowed(status: str) -> bool:
    """Passengers board until the flight leaves (or is cancelled)."""
    return not is_closed(status)


def gate_closed_by_status(status: str) -> bool:
    """The flight left: its gate closed whatever the clock says (no-shows are known)."""
    return has_left(status)


def crew_may_change(status: str) -> bool:
    """Crew may be proposed, assigned or withdrawn by ops while the flight is not closed."""
    return not is_closed(status)


def crew_auto_proposal(status: str) -> bool:
    """The crew service proposes crews by itself only before boarding."""
    return is_upcoming(status)


def crew_duty_under_way(status: str) -> bool:
    return has_left(status) and parse(status) is not S.ARRIVED


def crew_duty_finished(status: str) -> bool:
    """The flight arrived (its crew is released) or was cancelled (the duty never happens)."""
    return parse(status) in FINAL
