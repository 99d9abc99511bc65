"""What the booking needs from its own store and from the services it drives: reservation (seat holds and
assignments), payment (authorise, capture, void, refund) and flights (offers, a flight's status
now). The use cases speak only to these ports; `adapters.py` implements them over gRPC, and the
unit tests with in-memory fakes.

Every port raises the platform's domain errors (NotFound, Conflict, ...) for a refusal, and
Unavailable when the other service cannot be reached (the outcome is then unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from airline.booking.domain import Booking, Leg
from airline.payment.client import PaymentMethod

# Payment states as payment reports them.
CAPTURED = ("captured", "partially_refunded", "refunded")
LIVE_PAYMENT = ("authorised", "requires_action", "pending")
# The origin the payment service gives the payments this service starts (its service name):
# only such a payment, the one the booking recorded, for its exact amount, confirms a booking.
OWN_ORIGIN = "booking"


@dataclass(frozen=True)
class SeatRequest:
    seat: str
    passenger_ref: str  # "<booking id>-<passenger id>"
    passenger_type: str
    cabin_class: str


@dataclass(frozen=True)
class SeatHoldRequest:
    flight_id: str
    owner: str  # the booking id
    hold_id: str  # chosen by the booking: a retried call cannot hold twice
    seats: Sequence[SeatRequest]
    account: str  # whose seats they are, for reservation's per-account limit
    not_after: datetime  # no hold outlives its booking
    # overbooking places instead of seats (every seat empty): sold past a full cabin's seats
    seat_at_airport: bool = False


@dataclass(frozen=True)
class Held:
    labels: dict[str, str]  # passenger ref -> the seat label reservation gave
    expires_at: datetime | None  # when the hold ends unless extended (None: not said)


class ReservationPort(Protocol):
    async def hold_seats(self, request: SeatHoldRequest) -> Held: ...

    async def extend_hold(self, hold_id: str, not_after: datetime | None = None) -> datetime | None:
        """Keeps the hold alive (and bound by `not_after` now, when its booking lives longer);
        when it now ends (None: not said)."""
        ...

    async def release_hold(self, hold_id: str) -> None: ...

    async def confirm_hold(self, hold_id: str, booking_ref: str) -> None:
        """The held seats become the booking's assignments (idempotent)."""
        ...

    async def release_assignments(self, booking_ref: str, passenger_refs: Sequence[str] = ()) -> int | None:
        """Gives the booking's seats back (only these passengers' when given); how many there
        were (None: not said)."""
        ...

    async def assign_seat(self, flight_id: str, booking_ref: str, seat: SeatRequest) -> str:
        """Moves an assigned passenger to `seat.seat`; the label given ("" if none)."""
        ...


@dataclass(frozen=True)
class Payment:
    id: str
    status: str
    amount: int = 0
    currency: str = ""
    origin: str = ""  # the service that started it
    next_action: str = ""
    failure_code: str = ""
    failure_message: str = ""
    voucher_amount: int = 0  # of `amount`, what a voucher paid (the card or e-wallet the rest)
    voucher_code: str = field(default="", repr=False)


@dataclass(frozen=True)
class Authorisation:
    idempotency_key: str
    reference: str  # the booking id
    amount: int
    currency: str
    on_behalf_of: str  # the account, or "guest"
    capture: bool = False  # a sale: authorised and captured in one call (the seats are already the booking's)


class PaymentPort(Protocol):
    async def authorise(self, request: Authorisation, method: PaymentMethod) -> Payment:
        """Authorises, and captures too when `request.capture` asks for a sale (the same
        idempotency key gives the same payment)."""
        ...

    async def complete_challenge(self, payment_id: str, code: str) -> Payment: ...

    async def capture(self, payment_id: str) -> Payment: ...

    async def void(self, payment_id: str) -> None: ...

    async def refund(self, payment_id: str, amount: int, reason: str, idempotency_key: str) -> str | None:
        """`amount` 0 refunds what is left; the refund's id (None: not said)."""
        ...

    async def issue_voucher(self, amount: int, currency: str, reason: str, idempotency_key: str) -> str:
        """A voucher worth `amount`; its code (the same one for a repeated key)."""
        ...

    async def payments_for(self, reference: str) -> list[Payment]: ...


@dataclass(frozen=True)
class FlightNow:
    number: str
    status: str
    departure: datetime | None  # estimated, else scheduled
    scheduled_arrival: datetime | None = None
    estimated_arrival: datetime | None = None
    actual_arrival: datetime | None = None
    cancelled_at: datetime | None = None  # when the airline cancelled it (the notice given)


@dataclass(frozen=True)
class Offer:
    """A priced offer as flights signed it: the booking's header and its legs."""

    cabin_class: str
    trip_type: str
    adults: int
    children: int
    infants: int
    currency: str
    total: int
    legs: Sequence[Leg]


class FlightsPort(Protocol):
    async def offer(self, offer_id: str, booking_id: str = "", claim_until: datetime | None = None) -> Offer:
        """The offer as flights signed it, checked against its flights now. With `booking_id`
        (a draft being made from it) flights also claims its booking-class seats for that
        booking until `claim_until`, atomically; the same booking id asking again is the same
        claim."""
        ...

    async def release_claims(self, booking_id: str) -> None:
        """The seats `booking_id` claimed sell again at once (a draft that was not made)."""
        ...

    async def extend_claims(self, booking_id: str, claim_until: datetime) -> None:
        """The seats `booking_id` claimed stay claimed until `claim_until` (a draft kept longer)."""
        ...

    async def flight(self, flight_id: str) -> FlightNow: ...


class AirportPort(Protocol):
    async def distance_km(self, origin: str, destination: str) -> float | None:
        """The route's great-circle distance as airport computes it (None: no coordinates)."""
        ...


@dataclass(frozen=True)
class Ports:
    reservation: ReservationPort
    payment: PaymentPort
    flights: FlightsPort
    airport: AirportPort | None = None  # only passenger rights need it


class Bookings(Protocol):
    """The booking's own store (store.BookingRepository; a dict in the unit tests)."""

    async def get(self, booking_id: str, *, lock: bool = False) -> Booking | None: ...

    async def add(self, b: Booking) -> None: ...

    async def save(self, b: Booking) -> None: ...

    async def by_pnr(self, pnr: str) -> Booking | None: ...

    async def by_owner(self, owner: str, limit: int = 200) -> list[Booking]: ...

    async def bookings_on(self, flight_id: str) -> list[str]: ...

    async def open_ids(
        self,
        older_than: datetime | None = None,
        states: Sequence[str] = ("held", "awaiting_payment"),
        expired_by: datetime | None = None,
        limit: int = 500,
    ) -> list[str]: ...

    async def lock_key(self, key: str) -> None: ...

    async def count_open(self, now: datetime, *, owner: str = "", client_key: str = "") -> int: ...

    async def next_serials(self, n: int) -> list[int]: ...

    async def replay_key(self, scope: str, key: str, request_hash: str) -> str | None:
        """The booking (scope, key) answered with; None if new; IdempotencyKeyReused if the
        key was used for a different request."""

    async def remember_key(self, scope: str, key: str, request_hash: str, booking_id: str) -> str:
        """Records the key in this transaction; the booking that stands (the first one's)."""

    async def notify(self, booking_id: str, kind: str, email: str, phone: str, message: str) -> None: ...


class Transaction(Protocol):
    """One unit of work: the bookings, and the events written with them (outbox)."""

    @property
    def bookings(self) -> Bookings: ...

    async def emit(self, topic: str, key: str, type_: str, payload: dict[str, Any]) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
