"""Voluntary changes (issue 15, item 1), pure: what moving a leg of a confirmed booking to
another flight costs, by the fare rules kept when it was booked, and when it may happen. No I/O
(changes_service.py asks flights for today's fares and runs the change).

The rules, per changed leg:

- change fee: the kept rule's `change_fee` for every passenger who holds a seat (adults and
  children); an infant on a lap pays none (as it gets no luggage allowance, fares.py);
- fare difference: today's fare of the new flight (flights' fares for the same route, cabin,
  trip type and passenger types) minus what was paid for the leg. What was paid for a leg: the
  fare of the last change that moved it when there was one, else the booking's fare total
  split evenly over its legs (the first leg takes the remainder): the offer was priced as one
  total, so an even share is what the leg is worth;
- the differences of the changed legs are added up: total due = the fees + the difference when
  it is positive; a negative one is the residual, given back as a voucher when every changed
  leg's kept rule is refundable, else forfeited (a non-refundable fare gives no money back, as
  at cancellation);
- a leg whose flight has left cannot change (`departed`), and none closer to its departure than
  AIRLINE_BOOKING_CHANGE_CLOSE_HOURS (`change_closed`); the new flight has to leave after that
  window too.

The booking's fare total stays what its sale took (a later cancellation refunds by the kept
rules from it, against that payment); a change's payment is the change's own (booking_changes,
the booking's history), and a card asking for 3-D Secure cannot pay a change (402: another card).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from airline.booking.fares import FareRules
from airline.booking.passengers import PassengerType
from airline.platform.errors import Conflict


@dataclass(frozen=True)
class Party:
    adults: int
    children: int
    infants: int

    @property
    def fee_payers(self) -> int:
        """Who pays a change fee: every passenger with a seat (an infant on a lap pays none)."""
        return self.adults + self.children

    def counts(self) -> dict[PassengerType, int]:
        return {
            PassengerType.ADULT: self.adults,
            PassengerType.CHILD: self.children,
            PassengerType.INFANT: self.infants,
        }


def leg_share(fare_total: int, legs: int, position: int) -> int:
    """The booking's fare total split evenly over its legs; the first leg takes the remainder."""
    if legs <= 0 or not 0 <= position < legs:
        raise ValueError("no such leg")
    share, rest = divmod(max(0, fare_total), legs)
    return share + (rest if position == 0 else 0)


def party_fare(unit: Mapping[PassengerType, int], party: Party) -> int | None:
    """One flight's fare for the party from the per-passenger fares of each type (None when a
    passenger type that travels has no fare: the flight cannot be sold to this party)."""
    total = 0
    for ptype, count in party.counts().items():
        if count <= 0:
            continue
        if ptype not in unit:
            return None
        total += unit[ptype] * count
    return total


@dataclass(frozen=True)
class LegPrice:
    change_fee: int
    fare_difference: int  # today's fare minus what was paid (negative: cheaper)
    new_fare: int  # what the leg is worth after the change


def price_leg(rules: FareRules, party: Party, paid: int, new_fare: int) -> LegPrice:
    return LegPrice(max(0, rules.change_fee) * party.fee_payers, new_fare - paid, new_fare)


@dataclass(frozen=True)
class Price:
    change_fee: int
    fare_difference: int
    total_due: int
    residual: int  # what the cheaper fare leaves over (before the rule says whether it comes back)
    residual_voucher: int  # what comes back as a voucher

    def as_dict(self) -> dict[str, int]:
        return {
            "change_fee": self.change_fee,
            "fare_difference": self.fare_difference,
            "total_due": self.total_due,
            "residual_voucher": self.residual_voucher,
        }


def residual_allowed(rules: Sequence[FareRules]) -> bool:
    """A residual comes back (as a voucher) only when every changed leg's kept rule is refundable."""
    return bool(rules) and all(r.refundable for r in rules)


def price(legs: Sequence[LegPrice], rules: Sequence[FareRules]) -> Price:
    fee = sum(leg.change_fee for leg in legs)
    difference = sum(leg.fare_difference for leg in legs)
    residual = max(0, -difference)
    return Price(
        change_fee=fee,
        fare_difference=difference,
        total_due=fee + max(0, difference),
        residual=residual,
        residual_voucher=residual if residual_allowed(rules) else 0,
    )


def closes_at(departure: datetime, close_hours: float) -> datetime:
    return departure - timedelta(hours=close_hours)


def require_open(number: str, departure: datetime, departed: bool, now: datetime, close_hours: float) -> None:
    """A leg may change until the closing window before its departure (never once it has left)."""
    if departed or departure <= now:
        raise Conflict(f"flight {number} has departed: it can no longer be changed", code="departed")
    if now >= closes_at(departure, close_hours):
        raise Conflict(
            f"flight {number} leaves in less than {close_hours:g} h: changes are closed", code="change_closed"
        )


def may_take(departure: datetime, now: datetime, close_hours: float) -> bool:
    """A new flight is offered only when it leaves after the closing window."""
    return now < closes_at(departure, close_hours)


def refund_on_cancel(charged: int, change_fee: int, *, in_full: bool, refundable: bool, no_show: bool) -> int:
    """What cancelling the booking gives back of a change's own payment (the sale's payment is
    refunded by the fare rules, domain.refund_on_cancel): all of it when the sale is refunded in
    full (the airline cancelled, or a re-accommodation was declined for the refund); its fare
    difference (never the fee, a service already given) when the fare is refundable and the
    passenger did not miss the flight; nothing otherwise."""
    if charged <= 0:
        return 0
    if in_full:
        return charged
    if refundable and not no_show:
        return max(0, charged - max(0, change_fee))
    return 0
