"""The booking aggregate and its rules, pure: the state machine, PNRs, e-ticket numbers, seats,
totals, and (by its fare rules, fares.py) luggage prices, refunds and the no-show rule. No I/O.

State machine::

    held --pay--> awaiting_payment --captured--> confirmed --cancel--> cancelled (+ refund)
      ^                 |
      +---declined------+            held / awaiting_payment --TTL, no capture--> expired
    held --cancel--> cancelled (a draft given up: its holds are released, nothing was paid)
    confirmed --cancel--> cancelling --refund recorded, seats released--> cancelled
      (a refund that fails leaves the booking cancelling, with its seats, until it is paid back)

`Booking` is the aggregate: every change of a booking goes through one of its methods, which
keep its invariants (the state machine, seats only for seated passengers, totals). The store
maps it to rows and back; nothing above the store sees a row.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airline.booking.fares import BagPrices, FareRules, bag_fee, cancellation_refund
from airline.booking.passengers import Passenger, PassengerType, seats_for_flight
from airline.booking.values import ExtraBag, PaymentRecord, SeatChoice, Ticket
from airline.platform.errors import Conflict, ValidationFailed
from airline.platform.flight_status import FlightStatus

__all__ = [
    "OPEN",
    "PNR_ALPHABET",
    "PNR_LENGTH",
    "TRANSITIONS",
    "Booking",
    "ExtraBag",
    "Leg",
    "PaymentRecord",
    "PnrTaken",
    "SeatChoice",
    "State",
    "Ticket",
    "new_pnr",
    "normalise_pnr",
    "require_state",
    "ticket_number",
    "transition",
]


class State(StrEnum):
    HELD = "held"
    AWAITING_PAYMENT = "awaiting_payment"
    CONFIRMED = "confirmed"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


TRANSITIONS: dict[State, frozenset[State]] = {
    State.HELD: frozenset({State.AWAITING_PAYMENT, State.CANCELLED, State.EXPIRED}),
    State.AWAITING_PAYMENT: frozenset({State.HELD, State.CONFIRMED, State.EXPIRED}),
    State.CONFIRMED: frozenset({State.CANCELLING}),
    State.CANCELLING: frozenset({State.CANCELLED}),
    State.CANCELLED: frozenset(),
    State.EXPIRED: frozenset(),
}
OPEN = (State.HELD, State.AWAITING_PAYMENT)


def transition(current: State, target: State) -> State:
    if target not in TRANSITIONS[current]:
        raise Conflict(
            f"a booking that is {current.value} cannot become {target.value}", code="booking_state", state=current.value
        )
    return target


def require_state(current: State, *allowed: State, action: str) -> None:
    if current not in allowed:
        raise Conflict(
            f"cannot {action}: the booking is {current.value} (needs {' or '.join(a.value for a in allowed)})",
            code="booking_state",
            state=current.value,
        )


# --- PNR and e-tickets ----------------------------------------------------------------------

# No 0/O, 1/I/L: a PNR is read over the phone and typed from paper.
PNR_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PNR_LENGTH = 6
_PNR = re.compile(f"^[{PNR_ALPHABET}]{{{PNR_LENGTH}}}$")


def new_pnr() -> str:
    return "".join(secrets.choice(PNR_ALPHABET) for _ in range(PNR_LENGTH))


def normalise_pnr(value: str) -> str:
    value = value.strip().upper()
    if not _PNR.fullmatch(value):
        raise ValidationFailed("a booking reference is 6 letters and digits", field="pnr")
    return value


def ticket_number(prefix: str, serial: int) -> str:
    """13 digits: the airline's 3-digit accounting code and a 10-digit serial (no check digit:
    the serial comes from a database sequence, so numbers are unique by construction)."""
    if not re.fullmatch(r"[0-9]{3}", prefix):
        raise ValueError("the ticket prefix is 3 digits")
    if not 0 < serial < 10**10:
        raise ValueError("the ticket serial is out of range")
    return f"{prefix}{serial:010d}"


# --- the aggregate --------------------------------------------------------------------------


class PnrTaken(Exception):
    """Another booking drew the same PNR (the store's unique constraint said so): draw again."""


@dataclass(frozen=True)
class Leg:
    """One flight as sold, its live status (flights' events) and this booking's seat hold."""

    position: int
    flight_id: str
    number: str
    origin: str
    destination: str
    origin_time_zone: str
    scheduled_departure: datetime
    scheduled_arrival: datetime
    estimated_departure: datetime | None
    estimated_arrival: datetime | None
    status: str
    status_reason: str
    rules: FareRules
    hold_id: str = ""
    hold_expires_at: datetime | None = None  # when reservation said the hold ends (None: not known)

    def hold_ends_before(self, moment: datetime) -> bool:
        """True when the leg's hold may end before `moment` (also when its end is not known)."""
        return bool(self.hold_id) and (self.hold_expires_at is None or self.hold_expires_at < moment)

    @property
    def departure(self) -> datetime:
        return self.estimated_departure or self.scheduled_departure

    def local_departure_day(self) -> date:
        try:
            zone = ZoneInfo(self.origin_time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        return self.scheduled_departure.astimezone(zone).date()


@dataclass
class Booking:
    """One booking from its draft to its end (see the state machine above)."""

    id: str
    owner: str  # the signed-in subject; "" for a guest
    client_key: str  # a guest's client address as a keyed digest, never the address
    state: State
    step: str  # the last step recorded (the saga's progress, for recovery and for the client)
    offer_id: str
    cabin_class: str
    trip_type: str
    adults: int
    children: int
    infants: int
    currency: str
    fare_total: int
    expires_at: datetime
    legs: list[Leg]
    bag_total: int = 0
    passengers: list[Passenger] = field(default_factory=list)
    contact_email: str = ""
    contact_phone: str = ""
    seats: list[SeatChoice] = field(default_factory=list)
    bags: list[ExtraBag] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    payment: PaymentRecord = field(default_factory=PaymentRecord)
    pay_attempt: int = 0
    pnr: str | None = None
    flight_cancelled: bool = False
    disruption: str = ""
    refunded_amount: int = 0
    cancel_reason: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    # --- what it is

    @property
    def total(self) -> int:
        return self.fare_total + self.bag_total

    def choice_and_money(self) -> dict[str, Any]:
        """What was chosen and what it costs, as stored and as shown to its passenger."""
        return {
            "cabin_class": self.cabin_class,
            "trip_type": self.trip_type,
            "adults": self.adults,
            "children": self.children,
            "infants": self.infants,
            "currency": self.currency,
            "fare_total": self.fare_total,
            "bag_total": self.bag_total,
        }

    def counts(self) -> dict[PassengerType, int]:
        return {
            PassengerType.ADULT: self.adults,
            PassengerType.CHILD: self.children,
            PassengerType.INFANT: self.infants,
        }

    def seated_ids(self) -> set[str]:
        return {p.id for p in self.passengers if p.seated}

    def leg(self, flight_id: str) -> Leg | None:
        return next((leg for leg in self.legs if leg.flight_id == flight_id.strip()), None)

    def passenger(self, passenger_id: str) -> Passenger | None:
        return next((p for p in self.passengers if p.id == passenger_id), None)

    def seats_on(self, flight_id: str) -> dict[str, str]:
        return {s.passenger_id: s.seat for s in self.seats if s.flight_id == flight_id}

    def travel_days(self) -> tuple[date, date]:
        return self.legs[0].local_departure_day(), self.legs[-1].local_departure_day()

    def holds(self) -> list[str]:
        return [leg.hold_id for leg in self.legs if leg.hold_id]

    def require(self, *allowed: State, action: str) -> None:
        require_state(self.state, *allowed, action=action)

    def _become(self, target: State, step: str) -> None:
        self.state = transition(self.state, target)
        self.step = step

    def holds_ending_before(self, moment: datetime) -> list[str]:
        """The holds that may end before `moment`: only these need an extension."""
        return [leg.hold_id for leg in self.legs if leg.hold_ends_before(moment)]

    def _set_hold(self, flight_id: str, hold_id: str, expires_at: datetime | None = None) -> None:
        self.legs = [
            replace(leg, hold_id=hold_id, hold_expires_at=expires_at if hold_id else None)
            if leg.flight_id == flight_id
            else leg
            for leg in self.legs
        ]

    def hold_extended(self, hold_id: str, expires_at: datetime) -> None:
        self.legs = [replace(leg, hold_expires_at=expires_at) if leg.hold_id == hold_id else leg for leg in self.legs]

    # --- the draft

    def set_passengers(self, passengers: Sequence[Passenger], email: str, phone: str) -> None:
        """`passengers` as passengers.validate_passengers checked them against this booking."""
        self.require(State.HELD, action="change passengers")
        before = {p.id: p.type for p in self.passengers}
        if self.seats and any(before.get(p.id) is not p.type for p in passengers):
            raise Conflict(
                "seats are chosen for the passengers as they were: keep each passenger's type "
                "in the same place, or start a new booking",
                code="seats_chosen",
            )
        self.passengers, self.contact_email, self.contact_phone = list(passengers), email, phone
        self.step = "passengers"

    def seat_choice(self, flight_id: str, choices: Mapping[str, str]) -> tuple[Leg, dict[str, str]]:
        """The leg and passenger id -> seat a choice of seats on one flight means (checked)."""
        self.require(State.HELD, action="choose seats")
        if not self.passengers:
            raise Conflict("give the passengers' details before choosing seats", code="passengers_missing")
        leg = self.leg(flight_id)
        if leg is None:
            raise ValidationFailed(f"flight {flight_id} is not part of this booking", field="flight_id")
        return leg, seats_for_flight(self.passengers, {k.strip().upper(): v for k, v in choices.items()})

    def airport_choice(self, flight_id: str) -> tuple[Leg, dict[str, str]]:
        """The leg and passenger id -> "" (a seat at the airport) for every seated passenger."""
        self.require(State.HELD, action="choose seats")
        if not self.passengers:
            raise Conflict("give the passengers' details before choosing seats", code="passengers_missing")
        leg = self.leg(flight_id)
        if leg is None:
            raise ValidationFailed(f"flight {flight_id} is not part of this booking", field="flight_id")
        return leg, {pid: "" for pid in sorted(self.seated_ids())}

    def place_seats(
        self, flight_id: str, seats: Mapping[str, str], hold_id: str, hold_expires_at: datetime | None = None
    ) -> str:
        """The seats of one flight, now held by `hold_id` (until `hold_expires_at`); gives the hold they replace."""
        self.require(State.HELD, action="choose seats")
        replaced = next((leg.hold_id for leg in self.legs if leg.flight_id == flight_id), "")
        mine = [SeatChoice(flight_id, pid, seat) for pid, seat in sorted(seats.items())]
        self.seats = [s for s in self.seats if s.flight_id != flight_id] + mine
        self._set_hold(flight_id, hold_id, hold_expires_at)
        self.step = "seats"
        return replaced

    def drop_seats(self, flight_id: str) -> None:
        self.seats = [s for s in self.seats if s.flight_id != flight_id]
        self._set_hold(flight_id, "")

    def set_luggage(self, bags: Sequence[tuple[str, str, int, int]], prices: BagPrices) -> None:
        """(flight id, passenger id, extra pieces, overweight kg) per passenger and flight."""
        self.require(State.HELD, action="change luggage")
        if not self.passengers:
            raise Conflict("give the passengers' details before luggage", code="passengers_missing")
        flights, pids = {leg.flight_id for leg in self.legs}, {p.id for p in self.passengers}
        chosen: dict[tuple[str, str], ExtraBag] = {}
        total = 0
        for flight_id, pid, pieces, kg in bags:
            flight_id, pid = flight_id.strip(), pid.strip().upper()
            if flight_id not in flights:
                raise ValidationFailed(f"flight {flight_id} is not part of this booking", field="bags.flight_id")
            if pid not in pids:
                raise ValidationFailed(f"no passenger {pid} in this booking", field="bags.passenger_id")
            if (flight_id, pid) in chosen:
                raise ValidationFailed(f"{pid} appears twice for flight {flight_id}", field="bags")
            total += bag_fee(pieces, kg, prices)
            if pieces or kg:
                chosen[(flight_id, pid)] = ExtraBag(flight_id, pid, pieces, kg)
        self.bags, self.bag_total, self.step = list(chosen.values()), total, "luggage"

    # --- the payment saga

    def start_payment(self, now: datetime) -> int:
        """held -> awaiting_payment once everything to pay for is there; the attempt's number."""
        self.require(State.HELD, action="pay")
        if self.expires_at <= now:
            raise Conflict("this booking has expired; start again from the search", code="booking_expired")
        if not self.passengers or not self.contact_email:
            raise Conflict("give the passengers' details before paying", code="passengers_missing")
        for leg in self.legs:
            if set(self.seats_on(leg.flight_id)) != self.seated_ids() or not leg.hold_id:
                raise Conflict(f"choose seats on flight {leg.number} before paying", code="seats_missing")
        self._become(State.AWAITING_PAYMENT, "authorising")
        self.pay_attempt += 1
        self.payment = PaymentRecord()
        return self.pay_attempt

    def record(self, step: str, payment: PaymentRecord | None = None) -> None:
        self.step = step
        if payment is not None:
            self.payment = payment

    def back_to_held(self, step: str, payment: PaymentRecord, *, clear_seats_of: str = "") -> bool:
        """A payment that will not come: a draft again. False if no payment was awaited."""
        if self.state is not State.AWAITING_PAYMENT:
            return False
        if clear_seats_of:
            self.drop_seats(clear_seats_of)
        self._become(State.HELD, step)
        self.payment = payment
        return True

    def seats_lost(self, reason: str, *, captured: bool, paid: bool = True) -> None:
        """Compensated: seats (and money, when `paid`) given back, a draft without seats again."""
        self.legs = [replace(leg, hold_id="", hold_expires_at=None) for leg in self.legs]
        self.state, self.step, self.seats = State.HELD, reason[:200], []
        if paid:
            self.payment = replace(self.payment, status="refunded" if captured else "voided")

    def ticket_pairs(self) -> list[tuple[str, str]]:
        """(passenger id, flight id) of every e-ticket the booking gets, in their order."""
        return [(p.id, leg.flight_id) for leg in self.legs for p in self.passengers if not p.cancelled]

    def confirm(self, payment_id: str, pnr: str, ticket_numbers: Sequence[str]) -> None:
        self._become(State.CONFIRMED, "done")
        self.pnr = pnr
        pairs = self.ticket_pairs()
        self.tickets = [Ticket(pid, fid, n) for (pid, fid), n in zip(pairs, ticket_numbers, strict=True)]
        self.payment = replace(self.payment, payment_id=payment_id, status="captured", next_action="")

    # --- manage

    def cancel_draft(self, reason: str) -> None:
        self._become(State.CANCELLED, "cancelled")
        self.cancel_reason = reason

    def refund_on_cancel(self, no_show: bool) -> int:
        # passengers cancelled alone were settled then: the rest is what the others paid
        paid, travelling = self.total - self.payment.passenger_shares, [p for p in self.passengers if not p.cancelled]
        refund = cancellation_refund(
            paid, [leg.rules for leg in self.legs], len(travelling), self.flight_cancelled, no_show
        )
        return min(refund, self.total - self.payment.refunds_before_cancel)

    def start_cancelling(self, reason: str, refund: int, no_show: bool) -> None:
        """The decision is recorded first: a refund that fails is retried with the same amount."""
        self._become(State.CANCELLING, "cancelling")
        self.cancel_reason = reason
        self.payment = replace(self.payment, cancel_refund=refund, no_show=no_show)

    def cancel_refunded(self, amount: int) -> None:
        self.step, self.refunded_amount = "cancel_refunded", self.payment.refunds_before_cancel + amount

    def finish_cancelling(self, amount: int) -> None:
        whole = amount + self.payment.refunds_before_cancel == self.total
        status = "refunded" if whole else "partially_refunded" if amount else self.payment.status or "captured"
        self._become(State.CANCELLED, "cancelled")
        self.refunded_amount = self.payment.refunds_before_cancel + amount
        self.payment = replace(self.payment, status=status)

    def refunded_by_staff(self, amount: int) -> None:
        """Staff refunded `amount` of the fare's payment by hand: a cancellation pays it no more."""
        self.refunded_amount += amount
        self.payment = replace(self.payment, staff_refunds=self.payment.staff_refunds + amount)

    def change_seat(self, flight_id: str, passenger_id: str, seat: str) -> str:
        """Moves one passenger on one flight; gives the seat they had."""
        old = self.seats_on(flight_id).get(passenger_id, "")
        self.seats = [
            replace(s, seat=seat) if (s.flight_id, s.passenger_id) == (flight_id, passenger_id) else s
            for s in self.seats
        ]
        return old

    def expire(self) -> None:
        self._become(State.EXPIRED, "expired")

    # --- what flights tells

    def flight_cancelled_by_airline(self, flight_id: str, number: str, reason: str) -> bool:
        """The airline cancelled one of its flights; True if the passengers are to be told."""
        cancelled = FlightStatus.CANCELLED.value
        self.legs = [
            replace(leg, status=cancelled, status_reason=reason) if leg.flight_id == flight_id else leg
            for leg in self.legs
        ]
        if self.state not in (State.CONFIRMED, State.HELD, State.AWAITING_PAYMENT):
            return False
        self.flight_cancelled = True
        self.disruption = f"flight {number} cancelled" + (f": {reason}" if reason else "")
        return self.state is State.CONFIRMED

    def flight_changed(
        self,
        flight_id: str,
        status: str,
        reason: str,
        estimated_departure: datetime | None,
        estimated_arrival: datetime | None,
    ) -> None:
        self.legs = [
            replace(
                leg,
                status=status,
                status_reason=reason,
                estimated_departure=estimated_departure,
                estimated_arrival=estimated_arrival,
            )
            if leg.flight_id == flight_id
            else leg
            for leg in self.legs
        ]

    def reaccommodate(
        self, flight_id: str, new_legs: Sequence[Leg], seats: Sequence[SeatChoice], ticket_numbers: Sequence[str]
    ) -> list[Ticket]:
        """The airline moved the booking off `flight_id` onto `new_legs` (live facts; the fare
        rules, extra bags and meals as booked), its seats there as assigned, one new e-ticket per
        passenger and new leg (`ticket_numbers` in that order); gives the voided tickets."""
        self.require(State.CONFIRMED, action="re-accommodate")
        old = self.leg(flight_id)
        if old is None or not new_legs:
            raise Conflict(f"flight {flight_id} is not part of this booking", code="not_on_flight")
        i = self.legs.index(old)
        moved = [replace(leg, rules=old.rules, hold_id="", hold_expires_at=None) for leg in new_legs]
        self.legs = [replace(leg, position=n) for n, leg in enumerate([*self.legs[:i], *moved, *self.legs[i + 1 :]])]
        added = {leg.flight_id for leg in moved}
        self.seats = [s for s in self.seats if s.flight_id != flight_id] + [s for s in seats if s.flight_id in added]
        self.bags = [x for x in self.bags if x.flight_id != flight_id] + [
            replace(x, flight_id=f) for x in self.bags if x.flight_id == flight_id for f in sorted(added)
        ]
        voided = [t for t in self.tickets if t.flight_id == flight_id]
        pairs = [(p.id, leg.flight_id) for leg in moved for p in self.passengers if not p.cancelled]
        self.tickets = [t for t in self.tickets if t.flight_id != flight_id] + [
            Ticket(pid, fid, n) for (pid, fid), n in zip(pairs, ticket_numbers, strict=True)
        ]
        self.flight_cancelled = False  # the cancelled flight is no longer the booking's
        self.disruption = f"moved from flight {old.number} to {', '.join(leg.number for leg in moved)}"
        return voided
