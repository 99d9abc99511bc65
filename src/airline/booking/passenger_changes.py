"""After the sale, one passenger at a time (issue 15), pure: who may leave a confirmed booking
and what they get back, and how far a name may be corrected for free. No I/O.

Cancelling one passenger of several:
- only a confirmed booking, and only before any of its flights has left (after that the
  passenger is a no-show of the whole booking);
- never the last passenger still travelling (that is cancelling the booking);
- an adult's infant on the lap leaves with them; the last adult cannot leave children alone;
- the refund is that passenger's own share — their fare (the offer's unit price of their type,
  all legs together) and the extra bags bought for them — under the fare rules kept at booking,
  as a whole cancellation applies them (fares.cancellation_refund), never more than what is
  still refundable on the payment.

Correcting a name: an edit distance (Damerau-Levenshtein, adjacent swaps counting one) over the
first and the last name, compared case- and accent-insensitively; 1..3 letters is a correction
(free, new e-tickets), 0 changes nothing, more is another person (a new booking)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from airline.booking.domain import Booking, State, Ticket
from airline.booking.fares import BagPrices, FareRules, bag_fee, cancellation_refund, offer_claims
from airline.booking.passengers import Passenger, PassengerType
from airline.booking.values import ExtraBag
from airline.platform.errors import Conflict, NotFound, ValidationFailed

MAX_NAME_CORRECTION = 3  # letters


# --- cancelling one passenger ---------------------------------------------------------------


@dataclass(frozen=True)
class PassengerCancel:
    """What cancelling `passenger_id` means: who leaves (the passenger and their lap infant)
    and the refund owed for them."""

    passenger_id: str
    leaving: tuple[str, ...]
    share: int  # what was paid for them
    refund: int  # what goes back by the fare rules, capped by what is left refundable


def unit_fares(offer_id: str, fare_total: int, counts: Mapping[PassengerType, int]) -> dict[PassengerType, int]:
    """Each passenger type's price, all legs together, as the offer the booking was made from
    priced it (its `breakdown` claim, read from the offer id the booking keeps: flights signed
    it and checked it when the booking was created). An offer that cannot be read: the fare
    split evenly between the passengers (rounded down, so never more than was paid)."""
    units: dict[PassengerType, int] = {}
    lines = offer_claims(offer_id).get("breakdown")
    for line in lines if isinstance(lines, list) else []:
        try:
            ptype, _count, unit, _amount = line
            units[PassengerType(str(ptype))] = max(0, int(unit))
        except (ValueError, TypeError):
            continue
    travelling = {t for t, n in counts.items() if n > 0}
    if travelling <= set(units) and sum(units[t] * counts[t] for t in travelling) == fare_total:
        return units
    people = sum(counts.values())
    even = fare_total // people if people > 0 else 0
    return dict.fromkeys(PassengerType, even)


def leaving_with(passengers: Sequence[Passenger], passenger_id: str) -> tuple[str, ...]:
    """The passenger and the infant on their lap (if any, and still travelling)."""
    infants = [p.id for p in passengers if p.infant_of == passenger_id and p.type is PassengerType.INFANT]
    return (passenger_id, *infants)


def check_who_may_leave(passengers: Sequence[Passenger], passenger_id: str) -> tuple[str, ...]:
    """The ids leaving when `passenger_id` is cancelled, or why not. `passengers`: those still
    travelling (cancelled ones left out)."""
    if not any(p.id == passenger_id for p in passengers):
        raise NotFound(f"no passenger {passenger_id} travelling in this booking", field="passenger_id")
    leaving = leaving_with(passengers, passenger_id)
    staying = [p for p in passengers if p.id not in leaving]
    if not staying:
        raise Conflict(f"{passenger_id} is the only passenger left: cancel the booking instead", code="last_passenger")
    if not any(p.type is PassengerType.ADULT for p in staying):
        raise Conflict(
            f"{passenger_id} is the last adult: the children of the booking cannot travel alone "
            "(cancel them first, or the booking)",
            code="unaccompanied_minor",
        )
    return leaving


def passenger_refund(
    *,
    leaving: Sequence[Passenger],
    bags: Sequence[ExtraBag],
    units: Mapping[PassengerType, int],
    prices: BagPrices,
    rules: Sequence[FareRules],
    flight_cancelled: bool,
    refundable_left: int,
) -> tuple[int, int]:
    """(share paid, refund) for the passengers leaving: their fares and their extra bags, by
    the fare rules of every leg (a non-refundable leg: nothing; else minus each leg's change
    fee; a flight the airline cancelled: all of it), never over `refundable_left`."""
    ids = {p.id for p in leaving}
    share = sum(units.get(p.type, 0) for p in leaving) + sum(
        bag_fee(x.extra_pieces, x.overweight_kg, prices) for x in bags if x.passenger_id in ids
    )
    refund = cancellation_refund(share, rules, len(leaving), flight_cancelled, no_show=False)
    return share, max(0, min(refund, share, refundable_left))


def require_not_departed(departed_numbers: Sequence[str]) -> None:
    if departed_numbers:
        raise Conflict(
            f"flight {', '.join(departed_numbers)} has left: a passenger can no longer be cancelled alone",
            code="departed",
        )


def remove_passengers(b: Booking, leaving: Sequence[str], refund: int) -> list[Ticket]:
    """The booking without them (their cancellation decided by `settle`): marked cancelled,
    their seats, e-tickets and extra bags gone, `refund` given back; gives the voided e-tickets."""
    b.require(State.CONFIRMED, action="cancel a passenger")
    gone = set(leaving)
    voided = [t for t in b.tickets if t.passenger_id in gone]
    b.passengers = [replace(p, cancelled=True) if p.id in gone else p for p in b.passengers]
    b.seats = [s for s in b.seats if s.passenger_id not in gone]
    b.tickets = [t for t in b.tickets if t.passenger_id not in gone]
    b.bags = [x for x in b.bags if x.passenger_id not in gone]
    b.refunded_amount += refund
    if refund > 0:
        b.payment = replace(b.payment, status="partially_refunded")
    return voided


def settle(b: Booking, share: int, refund: int) -> None:
    """A passenger's cancellation decided: their `share` of the payment is theirs no more and
    `refund` of it goes back, so a whole cancellation decided meanwhile counts neither again."""
    b.payment = replace(
        b.payment,
        passenger_shares=b.payment.passenger_shares + share,
        passenger_refunds=b.payment.passenger_refunds + refund,
    )


def rename_passenger(b: Booking, passenger_id: str, first: str, last: str, numbers: Sequence[str]) -> list[Ticket]:
    """The passenger's name corrected, one new e-ticket per leg (`numbers` in the legs' order)
    in place of theirs; gives the voided e-tickets."""
    b.require(State.CONFIRMED, action="correct a name")
    voided = [t for t in b.tickets if t.passenger_id == passenger_id]
    fresh = [Ticket(passenger_id, leg.flight_id, n) for leg, n in zip(b.legs, numbers, strict=True)]
    b.passengers = [replace(p, first_name=first, last_name=last) if p.id == passenger_id else p for p in b.passengers]
    b.tickets = [t for t in b.tickets if t.passenger_id != passenger_id] + fresh
    return voided


# --- correcting a name ----------------------------------------------------------------------


def name_key(value: str) -> str:
    """Case- and accent-insensitive: decomposed, combining marks dropped, case folded, spaces
    single (Müller = muller, JOSÉ = jose)."""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment): insertions, deletions, substitutions and
    swaps of two adjacent letters each count one."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def name_change_size(old_first: str, old_last: str, new_first: str, new_last: str) -> int:
    return edit_distance(name_key(old_first), name_key(new_first)) + edit_distance(
        name_key(old_last), name_key(new_last)
    )


def check_name_correction(
    old_first: str, old_last: str, new_first: str, new_last: str, booked: tuple[str, str] | None = None
) -> int:
    """The letters changed, when the correction is allowed; else why not (422). `booked`: the name
    as booked when it was corrected before: the limit counts from it, so corrections made one
    after the other cannot add up to another person."""
    if name_change_size(old_first, old_last, new_first, new_last) == 0:
        # the same letters (case and accents aside): nothing a ticket would show
        raise ValidationFailed("the name given is the name booked: nothing to correct", code="name_unchanged")
    size = name_change_size(*(booked or (old_first, old_last)), new_first, new_last)
    if size > MAX_NAME_CORRECTION:
        raise ValidationFailed(
            f"{size} letters differ from the name booked: a correction changes at most "
            f"{MAX_NAME_CORRECTION} (another traveller needs a new booking)",
            code="name_change_too_large",
            letters=size,
        )
    return size
