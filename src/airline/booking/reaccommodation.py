"""Re-accommodation when the airline changes the plan (IROPS), pure: which changes move a
booking, and where each affected booking goes. No I/O: the service gathers the affected
bookings and the candidate flights with their free seats, this module decides, the service
holds the seats it decided (reservation's holds) and records the proposals.

When a booking must move (`must_move`):

- its flight is cancelled or diverted;
- its flight is retimed by more than the threshold (default 3 h) either way;
- a retime breaks a connection in the same booking: the changed leg now arrives later than the
  next leg's departure minus the minimum connection time;
- its flight's new plane has fewer seats than are sold in its cabin, and the booking is among
  those that no longer fit (`excess`, lowest priority first).

Where it goes (`plan`). Bookings are served one at a time in the documented priority order
(`priority_key`), each taking the best itinerary that still has room for the whole booking:

1. bookings in the VIP cabin;
2. bookings with an onward leg after the disrupted one (a missed connection costs more);
3. families: bookings with children or infants;
4. then by booking time, earliest first (and by booking id, so the order is total).

An itinerary is one flight on the same route, or two flights through another airport the airline
flies (a connection of at least `min_connection` and at most `max_connection`), departing no
earlier than the booking may leave and within `window` of it. Best = same cabin first, then
the other cabin (an upgrade for a normal-cabin booking; a VIP booking is moved down only when
nothing else is left), then the earliest arrival, then fewer flights. The whole booking is kept
together (every seated passenger on the same flights, infants with their adults, who travel on
laps and take no seat), and a flight never receives more passengers than it has free seats in a
cabin: each placement takes its seats from what the next booking sees. A booking with no
itinerary is `Unplaced` with the reason: the passenger gets the refund or voucher choice.

Each proposal also lists up to `alternatives` other itineraries that had room when the plan was
made, for the passenger who prefers another flight; those are not reserved, so choosing one is
checked against the seats free at that moment.

The plan is a function of its inputs: run twice on the same facts, it proposes the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = [
    "CABINS",
    "Candidate",
    "Itinerary",
    "LegChange",
    "Party",
    "Plan",
    "Policy",
    "Proposal",
    "Segment",
    "Unplaced",
    "excess",
    "must_move",
    "plan",
    "priority_key",
]

VIP = "vip"
NORMAL = "normal"
CABINS = (VIP, NORMAL)


@dataclass(frozen=True)
class Policy:
    """The desk's settings (each one an `AIRLINE_REACCOMMODATION_*` setting)."""

    retime_threshold: timedelta = timedelta(hours=3)
    window: timedelta = timedelta(hours=72)
    min_connection: timedelta = timedelta(minutes=60)
    max_connection: timedelta = timedelta(hours=12)
    other_cabin: bool = True
    alternatives: int = 3

    def __post_init__(self) -> None:
        if self.retime_threshold <= timedelta(0) or self.window <= timedelta(0):
            raise ValueError("the retime threshold and the window must be positive")
        if not timedelta(0) <= self.min_connection <= self.max_connection:
            raise ValueError("the minimum connection must be between zero and the maximum connection")
        if self.alternatives < 0:
            raise ValueError("alternatives must not be negative")


# --- when a booking must move


@dataclass(frozen=True)
class LegChange:
    """One leg of a booking before and after ops changed its flight."""

    status: str  # the flight's status after the change (scheduled, delayed, cancelled, diverted...)
    departure_before: datetime
    departure_after: datetime
    arrival_after: datetime
    next_departure: datetime | None = None  # the booking's next leg, if it connects onwards


def must_move(change: LegChange, policy: Policy = Policy()) -> str:
    """Why this leg's passengers must be re-accommodated, or "" when they keep their flight."""
    if change.status in ("cancelled", "diverted"):
        return change.status
    if abs(change.departure_after - change.departure_before) > policy.retime_threshold:
        return "retimed"
    if change.next_departure is not None and change.arrival_after + policy.min_connection > change.next_departure:
        return "connection_broken"
    return ""


# --- who is served first


@dataclass(frozen=True)
class Party:
    """An affected booking: its passengers travel together."""

    booking_id: str
    cabin: str
    adults: int
    children: int
    infants: int
    booked_at: datetime
    origin: str  # where the disrupted journey starts (the disrupted leg's origin)
    destination: str  # where it must end (the disrupted leg's destination)
    not_before: datetime  # the earliest departure the passengers can take
    arrive_by: datetime | None = None  # an onward leg's departure minus the minimum connection
    has_onward: bool = False

    def __post_init__(self) -> None:
        if self.cabin not in CABINS:
            raise ValueError(f"unknown cabin {self.cabin!r}")
        if self.adults < 1 or self.children < 0 or not 0 <= self.infants <= self.adults:
            raise ValueError("a booking has at least one adult and at most one infant per adult")

    @property
    def seats(self) -> int:
        """Seats it needs: infants travel on an adult's lap."""
        return self.adults + self.children

    @property
    def family(self) -> bool:
        return self.children > 0 or self.infants > 0


def priority_key(party: Party) -> tuple[int, int, int, datetime, str]:
    """The documented order (module docstring): VIP cabin, onward legs, families, booking time."""
    return (
        0 if party.cabin == VIP else 1,
        0 if party.has_onward else 1,
        0 if party.family else 1,
        party.booked_at,
        party.booking_id,
    )


def excess(parties: Iterable[Party], seats: Mapping[str, int]) -> list[Party]:
    """An aircraft swap: the bookings that no longer fit, per cabin, lowest priority first.

    `seats` is the new plane's seat count per cabin. The highest-priority bookings keep their
    flight while their seats fit; a booking that does not fit moves, whole (never split), and a
    smaller one after it may still fit in the seats left.
    """
    moving: list[Party] = []
    left = dict(seats)
    for party in sorted(parties, key=priority_key):
        if left.get(party.cabin, 0) >= party.seats:
            left[party.cabin] -= party.seats
        else:
            moving.append(party)
    return sorted(moving, key=priority_key, reverse=True)


# --- where they go


@dataclass(frozen=True)
class Candidate:
    """A flight that could take passengers, with its free (unsold, unheld) seats per cabin."""

    flight_id: str
    number: str
    origin: str
    destination: str
    departure: datetime
    arrival: datetime
    free: Mapping[str, int]


@dataclass(frozen=True)
class Segment:
    flight_id: str
    number: str
    origin: str
    destination: str
    departure: datetime
    arrival: datetime
    cabin: str


@dataclass(frozen=True)
class Itinerary:
    segments: tuple[Segment, ...]

    @property
    def departure(self) -> datetime:
        return self.segments[0].departure

    @property
    def arrival(self) -> datetime:
        return self.segments[-1].arrival

    @property
    def flight_ids(self) -> tuple[str, ...]:
        return tuple(s.flight_id for s in self.segments)


@dataclass(frozen=True)
class Proposal:
    booking_id: str
    rank: int  # 1 = served first
    itinerary: Itinerary
    alternatives: tuple[Itinerary, ...] = ()

    @property
    def cabin_changed(self) -> bool:
        return any(s.cabin != self.itinerary.segments[0].cabin for s in self.itinerary.segments)


@dataclass(frozen=True)
class Unplaced:
    booking_id: str
    rank: int
    reason: str


@dataclass(frozen=True)
class Plan:
    proposals: tuple[Proposal, ...]
    unplaced: tuple[Unplaced, ...]
    free: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # flight id → cabin → seats left

    def proposal_for(self, booking_id: str) -> Proposal | None:
        return next((p for p in self.proposals if p.booking_id == booking_id), None)


def _routes(
    party: Party, candidates: Sequence[Candidate], excluded: frozenset[str], policy: Policy
) -> list[tuple[Candidate, ...]]:
    """Every one- or two-flight way from the party's origin to its destination in the window."""
    latest = party.not_before + policy.window
    usable = [
        c
        for c in candidates
        if c.flight_id not in excluded and party.not_before <= c.departure and c.arrival > c.departure
    ]
    routes: list[tuple[Candidate, ...]] = []
    for first in usable:
        if first.origin != party.origin or first.departure > latest:
            continue
        if first.destination == party.destination:
            routes.append((first,))
            continue
        for second in usable:
            if (
                second.origin == first.destination
                and second.destination == party.destination
                and policy.min_connection <= second.departure - first.arrival <= policy.max_connection
            ):
                routes.append((first, second))
    return [r for r in routes if party.arrive_by is None or r[-1].arrival <= party.arrive_by]


def _cabins(party: Party, policy: Policy) -> list[str]:
    others = [c for c in CABINS if c != party.cabin] if policy.other_cabin else []
    return [party.cabin, *others]


def _fits(route: tuple[Candidate, ...], cabin: str, seats: int, free: Mapping[str, Mapping[str, int]]) -> bool:
    return all(free[c.flight_id].get(cabin, 0) >= seats for c in route)


def _itinerary(route: tuple[Candidate, ...], cabin: str) -> Itinerary:
    return Itinerary(
        tuple(Segment(c.flight_id, c.number, c.origin, c.destination, c.departure, c.arrival, cabin) for c in route)
    )


def _options(
    party: Party, routes: list[tuple[Candidate, ...]], free: Mapping[str, Mapping[str, int]], policy: Policy
) -> list[Itinerary]:
    """The itineraries with room for the whole party, best first."""
    options: list[tuple[int, datetime, int, tuple[str, ...], Itinerary]] = []
    for preference, cabin in enumerate(_cabins(party, policy)):
        for route in routes:
            if _fits(route, cabin, party.seats, free):
                itinerary = _itinerary(route, cabin)
                options.append((preference, itinerary.arrival, len(route), tuple(c.number for c in route), itinerary))
    options.sort(key=lambda o: o[:4])
    return [o[4] for o in options]


def plan(
    parties: Iterable[Party], candidates: Sequence[Candidate], policy: Policy = Policy(), excluded: Iterable[str] = ()
) -> Plan:
    """Serve the parties in priority order, each on its best itinerary with room (module docstring).

    `excluded` are flights nobody may be moved to (the disrupted flight itself).
    """
    ids = [c.flight_id for c in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("a candidate flight is listed twice")
    if any(n < 0 for c in candidates for n in c.free.values()):
        raise ValueError("free seats cannot be negative")
    free: dict[str, dict[str, int]] = {c.flight_id: dict(c.free) for c in candidates}
    barred = frozenset(excluded)
    ordered = sorted(parties, key=priority_key)
    if len({p.booking_id for p in ordered}) != len(ordered):
        raise ValueError("a booking is listed twice")
    chosen: list[tuple[int, Party, Itinerary, list[tuple[Candidate, ...]]]] = []
    unplaced: list[Unplaced] = []
    for rank, party in enumerate(ordered, start=1):
        routes = _routes(party, candidates, barred, policy)
        options = _options(party, routes, free, policy)
        if not options:
            reason = "no_flight_in_window" if not routes else "no_seats_in_window"
            unplaced.append(Unplaced(party.booking_id, rank, reason))
            continue
        best = options[0]
        for segment in best.segments:
            free[segment.flight_id][segment.cabin] -= party.seats
        chosen.append((rank, party, best, routes))
    proposals = []
    for rank, party, best, routes in chosen:
        others = [o for o in _options(party, routes, free, policy) if o != best]
        proposals.append(Proposal(party.booking_id, rank, best, tuple(others[: policy.alternatives])))
    return Plan(tuple(proposals), tuple(unplaced), free)
