"""The flights service's domain: pure rules, no I/O. One module per role:

- `values`: the small checked values (airport codes, flight numbers, gates, reasons, local times);
- `flight`: the flight aggregate (cabins, seats left, sellability) and its event snapshot;
- `status`: the status lifecycle on a flight (progress, delays, cancellations, diversions, gate
  changes); which status may follow which is `airline.platform.flight_status`, shared by all;
- `announcements`: what a status change or a staff call says in the waiting hall;
- `schedule`: legs, round trips and recurring schedules, and gate conflicts within a request;
- `fares`: fares and fare rules;
- `search`: passengers, search queries, prices and signed offers.

Every public name is re-exported here, so `from airline.flights import domain` and
`domain.<name>` keep working; new code may import the module of its role directly.
"""

# the names below are re-exported, not used here
# ruff: noqa: F401
from airline.flights.domain.announcements import (
    MAX_ANNOUNCEMENT,
    STAFF_ANNOUNCEMENTS,
    AnnouncementKind,
    announce_boarding,
    announce_cancellation,
    announce_delay,
    announce_diversion,
    announce_gate_change,
    staff_announcement,
    staff_announcement_kind,
)
from airline.flights.domain.fares import (
    CURRENCY,
    MAX_AMOUNT,
    NO_SHOW_REFUNDS,
    Fare,
    FareRules,
    PassengerType,
    TripType,
    check_fare_batch,
    check_route_currencies,
    check_taxes_within_fares,
    currency,
    default_rules,
    new_fare,
    new_rules,
    passenger_type,
    trip_type,
)
from airline.flights.domain.flight import (
    MAX_OVERBOOKING_PERCENT,
    AirportInfo,
    CabinClass,
    CabinSeats,
    Flight,
    cabin_class,
    flight_payload,
    overbooking_percent,
)
from airline.flights.domain.schedule import (
    MAX_LEGS,
    MAX_SCHEDULE_DAYS,
    Leg,
    ScheduleSpec,
    block_window,
    check_in_future,
    check_return_leg,
    describe_gate_conflict,
    duplicates_in_request,
    expand_schedule,
    flight_from_leg,
    gate_window,
    new_leg,
    overlaps,
    schedule_spec,
)
from airline.flights.domain.search import (
    DEFAULT_OFFERS,
    MAX_FLEXIBLE_DAYS,
    MAX_OFFERS,
    MAX_PASSENGERS,
    MIN_RETURN_GAP,
    Offer,
    OfferLegView,
    Passengers,
    Price,
    PricedOffer,
    PriceLine,
    SearchQuery,
    check_bookable,
    combine_round_trips,
    offer_claims,
    offer_from_claims,
    passengers,
    price,
    search_query,
)
from airline.flights.domain.status import (
    GATE_CHANGE_ALLOWED,
    HOLDS_GATE,
    PLANE_CHANGE_ALLOWED,
    PROGRESS_STATUSES,
    SELLABLE,
    VISIBLE,
    Delay,
    S,
    apply_cancel,
    apply_delay,
    apply_diversion,
    apply_gate_change,
    apply_plane_change,
    apply_progress,
    check_transition,
    delay_minutes,
    plan_delay,
    progress_status,
)
from airline.flights.domain.values import (
    AIRPORT_CODE,
    DELAY_CODE,
    FLIGHT_NUMBER,
    GATE_CODE,
    LOCAL_TIME,
    MAX_DURATION_MINUTES,
    MAX_REASON,
    PLANE_ID,
    airport_code,
    at_local,
    aware,
    delay_code,
    duration,
    flight_number,
    flight_time,
    gate_code,
    hhmm,
    local_date,
    local_time,
    plane_id,
    reason,
    to_local,
    window_date,
    zone,
)

# the shared status and its lifecycle, under the names the flights service has always used
from airline.platform.flight_status import SELLING, TRANSITIONS, FlightStatus, can_transition
