"""Events of the booking service."""

from __future__ import annotations

from typing import Any

from airline.contracts.events.base import EventType, Payload

DOMAIN = "booking"


class BookedFlight(Payload):
    flight_id: str
    number: str
    origin: str
    destination: str
    scheduled_departure: str | None = None


class PassengerFlight(Payload):
    flight_id: str
    seat: str = ""
    e_ticket: str = ""


class BookedPassenger(Payload):
    id: str
    type: str
    first_name: str
    last_name: str
    date_of_birth: Any = None
    document: dict[str, Any] | None = None
    infant_of: str | None = None
    meal: str | None = None
    flights: list[PassengerFlight] = []


class Contact(Payload):
    email: str = ""
    phone: str = ""


class BookingConfirmed(Payload):
    booking_id: str
    pnr: str
    cabin_class: str
    trip_type: str
    total: int  # minor units of `currency`
    currency: str
    flights: list[BookedFlight]
    passengers: list[BookedPassenger]
    bags: list[dict[str, Any]] = []
    contact: Contact
    meals: list[dict[str, Any]] = []
    voucher_amount: int = 0  # of `total`, what a voucher paid
    card_amount: int = 0  # of `total`, what the card or e-wallet paid
    offer_id: str = ""  # the signed offer it was sold on (flights reads the booking class of each flight)


class BookingCancelled(Payload):
    """Consumers rely on booking_id alone (each one knows which of its rows belong to it)."""

    booking_id: str
    pnr: str | None = None  # none before confirmation
    refunded_amount: int = 0  # minor units of `currency`
    currency: str = ""
    reason: str | None = None
    flights: list[str] = []  # flight ids
    cabin_class: str = ""
    seats: int = 0  # seats the booking held (infants sit on a lap)
    was_confirmed: bool = False
    no_show: bool = False


class BookingExpired(Payload):
    booking_id: str


class SeatChanged(Payload):
    booking_id: str
    pnr: str
    flight_id: str
    passenger_id: str
    old_seat: str
    new_seat: str


class FlightChangeNotice(Payload):
    """What changed on a flight, for the notification service to word (in the booking's
    language, times in the airport's local time) and to settle: `value` and `previous` are the
    changed fact after and before (a gate, an ISO departure time, an airport), `sequence` the
    flight's version after the change (orders changes of one flight; names the change)."""

    change: str  # delay | gate | diversion | cancellation
    sequence: int
    value: str = ""
    previous: str = ""
    flight_number: str
    origin: str
    destination: str
    origin_time_zone: str = ""
    destination_time_zone: str = ""
    scheduled_departure: str | None = None
    estimated_departure: str | None = None
    estimated_arrival: str | None = None
    gate: str | None = None
    diverted_to: str | None = None
    diverted_to_time_zone: str = ""
    reason: str = ""


class PassengersNotified(Payload):
    """`message` is booking's own English wording (kept for older consumers); `flight_change`,
    added compatibly (optional), carries the facts the notification service words itself."""

    booking_id: str
    pnr: str
    flight_id: str
    kind: str
    email: str = ""
    phone: str = ""
    message: str
    language: str = ""  # the booking's language (BCP 47) when it is known; "" = the default
    flight_change: FlightChangeNotice | None = None
    # names the fact told (e.g. a proposal's id): one message per booking, kind and fact, even
    # when the event is produced again under another id; "" = one per event
    fact: str = ""


class BookingReaccommodated(Payload):
    """A confirmed booking moved by the airline (re-accommodation, issue 14): it no longer flies
    `removed_flights` and now flies `flights`, its passengers' seats and e-tickets as they are
    after the move (the whole booking, as BookingConfirmed shows it). Consumers treat it as
    "gone from the removed flights, booked on the new ones": check-in stops the old boarding
    passes and opens the new flights (same check-in code), baggage reroutes checked bags with
    a tracking event, inventory and flights move their counts. Keyed by booking id; idempotent
    by `proposal_id` (one move per proposal)."""

    booking_id: str
    pnr: str
    proposal_id: str
    reason: str  # cancelled | diverted | retimed | connection_broken | aircraft_swap
    cabin_class: str  # the cabin after the move (a move may change it)
    removed_flights: list[str]  # flight ids
    added_flights: list[str]  # flight ids (also in `flights`)
    flights: list[BookedFlight]  # every flight of the booking after the move, in order
    passengers: list[BookedPassenger]  # with their flights' seats and e-tickets after the move
    contact: Contact
    bags: list[dict[str, Any]] = []  # as in BookingConfirmed, on the flights after the move


class PassengerSeat(Payload):
    flight_id: str
    passenger_id: str
    seat: str


class VoidedTicket(Payload):
    passenger_id: str
    flight_id: str
    number: str


class PassengerCancelled(Payload):
    """One passenger of a confirmed booking cancelled alone (issue 15), with the infant on their
    lap when they had one (`passenger_ids`): their seats (`seats`, given back to reservation),
    e-tickets (`voided_tickets`) and extra bags are gone, `refunded_amount` went back to the
    payment. Check-in voids their codes and passes; inventory and flights count them out of the
    flights' loads (`seated` seats in `cabin_class` on each of `flights`). Keyed by booking id;
    happens once per passenger."""

    booking_id: str
    pnr: str
    passenger_id: str
    passenger_ids: list[str]
    flights: list[str]  # flight ids
    cabin_class: str
    seated: int  # passengers leaving who had a seat (an infant has none)
    passengers: list[dict[str, Any]] = []  # who leaves: {"id", "type", "meal"} (load plans count them)
    seats: list[PassengerSeat] = []
    voided_tickets: list[VoidedTicket] = []
    refunded_amount: int = 0
    currency: str = ""
    reason: str = ""


class PassengerRenamed(Payload):
    """A misspelt name corrected (at most 3 letters, issue 15): the passenger's new name and
    their new e-tickets (`tickets`, one per flight; `voided_tickets` no longer count). Check-in
    renames the passenger and reissues a boarding pass already issued (the old one stops
    scanning). Keyed by booking id."""

    booking_id: str
    pnr: str
    passenger_id: str
    first_name: str
    last_name: str
    previous_first_name: str
    previous_last_name: str
    tickets: list[VoidedTicket]
    voided_tickets: list[VoidedTicket] = []


class ConfirmationResent(BookingConfirmed):
    """The booking's confirmation sent again to its contact (issue 15: the passenger, or
    customer service on their behalf, asked for it): the booking as BookingConfirmed shows it
    now. The notification service sends one message per `resend_id` (the request's idempotency
    key), however often the event arrives. Keyed by booking id."""

    resend_id: str


BOOKING_CONFIRMED = EventType(DOMAIN, "booking_confirmed", "BookingConfirmed", BookingConfirmed)
BOOKING_CANCELLED = EventType(DOMAIN, "booking_cancelled", "BookingCancelled", BookingCancelled)
BOOKING_EXPIRED = EventType(DOMAIN, "booking_expired", "BookingExpired", BookingExpired)
SEAT_CHANGED = EventType(DOMAIN, "seat_changed", "SeatChanged", SeatChanged)
PASSENGERS_NOTIFIED = EventType(DOMAIN, "passengers_notified", "PassengersNotified", PassengersNotified)
BOOKING_REACCOMMODATED = EventType(DOMAIN, "booking_reaccommodated", "BookingReaccommodated", BookingReaccommodated)
PASSENGER_CANCELLED = EventType(DOMAIN, "passenger_cancelled", "PassengerCancelled", PassengerCancelled)
PASSENGER_RENAMED = EventType(DOMAIN, "passenger_renamed", "PassengerRenamed", PassengerRenamed)
CONFIRMATION_RESENT = EventType(DOMAIN, "confirmation_resent", "ConfirmationResent", ConfirmationResent)


class BookingChanged(BookingReaccommodated):
    """A confirmed booking its passenger (or staff for them) moved to other flights: a voluntary
    change (issue 15, changes.py), paid by the fare rules kept at booking. It has the shape of
    BookingReaccommodated (the whole booking after the move; `proposal_id` is the change's id,
    `reason` "voluntary_change"), so check-in, baggage, inventory and flights follow it with
    the handler they have for a move; idempotent the same way. Keyed by booking id."""

    change_id: str
    change_fee: int = 0  # minor units of `currency`
    fare_difference: int = 0  # today's fare minus what was paid (negative: cheaper)
    total_paid: int = 0
    residual_voucher: int = 0  # given back as a voucher (the rule allowing)
    currency: str = ""


BOOKING_CHANGED = EventType(DOMAIN, "booking_changed", "BookingChanged", BookingChanged)


class AncillaryItem(Payload):
    """One EMD of a purchase: an extra bag (`pieces` more) or a pre-ordered meal (`code`)."""

    emd_number: str
    kind: str  # bag | meal
    flight_id: str
    passenger_id: str
    pieces: int = 0
    code: str = ""
    amount: int = 0  # minor units of the purchase's `currency`


class AncillariesPurchased(Payload):
    """Paid ancillaries bought after the sale (issue 15, booking's ancillaries.py): extra bag
    pieces and pre-ordered meals, one EMD each, paid at once (`payment_id`, `total`). The
    booking's bag grid grew already (GetBooking shows the new allowance to the bag drop);
    inventory counts the meals in the flight's load plan. Keyed by booking id; a repeat of the
    same `purchase_id` is the same purchase."""

    booking_id: str
    pnr: str
    purchase_id: str
    cabin_class: str
    currency: str
    total: int = 0
    payment_id: str = ""
    items: list[AncillaryItem] = []


ANCILLARIES_PURCHASED = EventType(DOMAIN, "ancillaries_purchased", "AncillariesPurchased", AncillariesPurchased)
