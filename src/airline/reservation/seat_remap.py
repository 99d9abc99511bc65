"""An aircraft swap on a flight's seat map, pure: who keeps their seat number, who is reseated
by the seat rules, and who has no seat for now.

A passenger keeps their seat when the new plane has a seat with that number in the same cabin
that may be sold (not blocked) and suits them (never a child in an exit row). The others are
reseated by `domain.choose_seats`, each booking's party together, on seats neither kept, taken
nor held; the parties that were seated earliest are served first. A party for which the cabin
has too few suitable seats is displaced whole: it waits without a seat until seats free up on
the flight (typically when the re-accommodation moves the bookings that no longer fit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from airline.platform.errors import Conflict
from airline.reservation.domain import AUTO, Assignment, FlightSeat, PassengerType, SeatRequest, choose_seats


@dataclass(frozen=True)
class Remap:
    kept: list[Assignment]
    moved: list[tuple[Assignment, Assignment]]  # (before, after): same passenger, new seat
    displaced: list[Assignment]  # without a seat for now (their former seat, or AUTO, in `seat`)


def fits(a: Assignment, seat: FlightSeat | None) -> bool:
    """May this passenger sit on this seat of the new plane (same number)?"""
    return (
        seat is not None
        and seat.cabin_class is a.cabin_class
        and not seat.blocked
        and not (seat.exit_row and a.passenger_type is PassengerType.CHILD)
    )


def _first_seated(party: Sequence[Assignment]) -> tuple[datetime, str]:
    times = [a.assigned_at for a in party if a.assigned_at is not None]
    return (min(times) if times else datetime.max, party[0].booking_ref)


def reseat(
    waiting: Iterable[Assignment], seats: Mapping[str, FlightSeat], unavailable: set[str]
) -> tuple[list[tuple[Assignment, Assignment]], list[Assignment]]:
    """Seats for passengers without a usable one, party by party (booking_ref), earliest seated
    first: (before, after) pairs, and those still without a seat."""
    parties: dict[str, list[Assignment]] = {}
    for a in waiting:
        parties.setdefault(a.booking_ref, []).append(a)
    moved: list[tuple[Assignment, Assignment]] = []
    left: list[Assignment] = []
    taken = set(unavailable)
    for party in sorted(parties.values(), key=_first_seated):
        requests = [SeatRequest(AUTO, a.passenger_ref, a.passenger_type, a.cabin_class) for a in party]
        try:
            chosen = choose_seats(requests, seats, taken)
        except Conflict:
            left += party
            continue
        by_ref = {r.passenger_ref: r.seat for r in chosen}
        for a in party:
            moved.append((a, replace(a, seat=by_ref[a.passenger_ref], hold_id=None)))
            taken.add(by_ref[a.passenger_ref])
    return moved, left


def remap(
    current: Sequence[Assignment],
    waiting: Sequence[Assignment],
    seats: Mapping[str, FlightSeat],
    held: Iterable[str] = (),
) -> Remap:
    """The flight's assignments on the new plane's `seats`. `waiting`: passengers displaced by an
    earlier swap (they are served after those who lose their seat now); `held`: seats held by
    someone (never given)."""
    kept = [a for a in current if fits(a, seats.get(a.seat))]
    losing = [a for a in current if not fits(a, seats.get(a.seat))]
    unavailable = {a.seat for a in kept} | set(held)
    moved, left = reseat(losing, seats, unavailable)
    unavailable |= {after.seat for _, after in moved}
    more, still = reseat(waiting, seats, unavailable)
    return Remap(kept, moved + more, left + still)
