"""Tables of the flights schema (what the Alembic migrations build).

"No two flights at one gate at once" and "one flight number per local date" are decided by
PostgreSQL constraints, so they hold under any concurrency; the services turn their
violations into domain errors.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ExcludeConstraint

from airline.flights.domain import HOLDS_GATE, MAX_OVERBOOKING_PERCENT, FlightStatus
from airline.platform.db import flight_route_columns, service_metadata

SCHEMA = "flights"
metadata = service_metadata(SCHEMA)

_now = sa.func.now()
GATE_TAKEN = "flights_gate_free"
NUMBER_TAKEN = "flights_number_per_local_date"
_STATUSES = ", ".join(f"'{s.value}'" for s in FlightStatus)
_HOLDING = ", ".join(f"'{s.value}'" for s in sorted(HOLDS_GATE))

flights = sa.Table(
    "flights",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    *flight_route_columns(),
    sa.Column("origin_time_zone", sa.Text, nullable=False),
    sa.Column("destination_time_zone", sa.Text, nullable=False),
    sa.Column("origin_city", sa.Text, nullable=False, server_default=""),
    sa.Column("destination_city", sa.Text, nullable=False, server_default=""),
    sa.Column("plane_id", sa.Text, nullable=False),
    sa.Column("gate", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=False),
    sa.Column("scheduled_arrival", sa.DateTime(timezone=True), nullable=False),
    sa.Column("estimated_departure", sa.DateTime(timezone=True), nullable=False),
    sa.Column("estimated_arrival", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actual_departure", sa.DateTime(timezone=True), nullable=True),
    sa.Column("actual_arrival", sa.DateTime(timezone=True), nullable=True),
    sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("boarding_starts", sa.DateTime(timezone=True), nullable=False),
    sa.Column("departure_local_date", sa.Date, nullable=False),
    sa.Column("diverted_to", sa.Text, nullable=False, server_default=""),
    sa.Column("delay_code", sa.Text, nullable=False, server_default=""),
    sa.Column("status_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("round_trip_id", sa.Text, nullable=False, server_default=""),
    sa.Column("schedule_id", sa.Text, nullable=False, server_default=""),
    # set when the flight no longer needs its plane but the airport has not confirmed the
    # release yet; the recovery job retries until it has
    sa.Column("plane_release_pending", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint(f"status in ({_STATUSES})", name="flights_status_known"),
    sa.CheckConstraint("origin <> destination", name="flights_route"),
    sa.CheckConstraint("scheduled_departure < scheduled_arrival", name="flights_scheduled_times"),
    sa.CheckConstraint("estimated_departure < estimated_arrival", name="flights_estimated_times"),
    sa.CheckConstraint("boarding_starts < estimated_departure", name="flights_boarding_before_departure"),
    # needs btree_gist (created by the migration) for the text equality parts
    ExcludeConstraint(
        ("origin", "="),
        ("gate", "="),
        (sa.func.tstzrange(sa.column("boarding_starts"), sa.column("estimated_departure")), "&&"),
        using="gist",
        name=GATE_TAKEN,
        where=sa.text(f"status IN ({_HOLDING})"),
    ),
    sa.Index(
        NUMBER_TAKEN, "number", "departure_local_date", unique=True, postgresql_where=sa.text("status <> 'cancelled'")
    ),
    sa.Index("flights_route_date", "origin", "destination", "departure_local_date"),
    sa.Index("flights_origin_departure", "origin", "scheduled_departure"),
    sa.Index("flights_destination_arrival", "destination", "scheduled_arrival"),
    sa.Index("flights_pending", "created_at", postgresql_where=sa.text("status = 'pending' OR plane_release_pending")),
)

flight_cabins = sa.Table(
    "flight_cabins",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("capacity", sa.Integer, nullable=False),
    # seats of confirmed bookings, moved only through seat_ledger (one row per booking and
    # flight); may exceed capacity under overbooking, so it is not capped here
    sa.Column("sold", sa.Integer, nullable=False, server_default="0"),
    sa.Column("overbooking_percent", sa.Integer, nullable=False, server_default="0"),
    # the show-up forecast (basis points; 0 = none): when set it decides the allowance (domain)
    sa.Column("show_up_rate_bp", sa.Integer, nullable=False, server_default="0"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="flight_cabins_class_known"),
    sa.CheckConstraint("show_up_rate_bp = 0 or show_up_rate_bp between 5000 and 10000", name="flight_cabins_show_up"),
    sa.CheckConstraint("capacity >= 0 and sold >= 0", name="flight_cabins_not_negative"),
    sa.CheckConstraint("overbooking_percent between 0 and 20", name="flight_cabins_overbooking_range"),
)

# What each confirmed booking took on each flight: a booking moves `sold` once per flight,
# however often its events arrive.
seat_ledger = sa.Table(
    "seat_ledger",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("seats", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    # the booking class the offer sold in ("" = the route's fares, or a move) and the fare
    # revenue of this flight (base fares, no taxes), set in the sale's transaction
    sa.Column("bucket", sa.Text, nullable=False, server_default=""),
    sa.Column("amount", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("currency", sa.Text, nullable=False, server_default=""),
    sa.CheckConstraint("seats >= 0", name="seat_ledger_seats_not_negative"),
    sa.Index("seat_ledger_flight", "flight_id"),
    sa.Index("seat_ledger_created", "created_at"),
)

# Tombstones: a cancellation seen (perhaps before its confirmation, events come in any
# order) so that a late confirmation of a cancelled booking takes no seat.
cancelled_bookings = sa.Table(
    "cancelled_bookings",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)

announcements = sa.Table(
    "announcements",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    sa.Column("flight_number", sa.Text, nullable=False),
    sa.Column("airport", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint(
        "kind in ('delay','cancellation','diversion','gate_change','boarding','go_to_gate','final_call','free_text')",
        name="announcements_kind_known",
    ),
    sa.Index("announcements_airport_created", "airport", "created_at"),
    sa.Index("announcements_flight_created", "flight_id", "created_at"),
)

fares = sa.Table(
    "fares",
    metadata,
    sa.Column("origin", sa.Text, primary_key=True),
    sa.Column("destination", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("passenger_type", sa.Text, primary_key=True),
    sa.Column("trip_type", sa.Text, primary_key=True),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("amount >= 0", name="fares_amount_not_negative"),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="fares_currency_iso"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="fares_class_known"),
    sa.CheckConstraint("passenger_type in ('adult','child','infant')", name="fares_passenger_type_known"),
    sa.CheckConstraint("trip_type in ('one_way','round_trip')", name="fares_trip_type_known"),
)

fare_rules = sa.Table(
    "fare_rules",
    metadata,
    sa.Column("origin", sa.Text, primary_key=True),
    sa.Column("destination", sa.Text, primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("refundable", sa.Boolean, nullable=False),
    sa.Column("change_fee", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("checked_bags", sa.Integer, nullable=False),
    sa.Column("bag_weight_kg", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("no_show_refund", sa.Text, nullable=False, server_default="none"),
    sa.Column("taxes", sa.BigInteger, nullable=False, server_default="0"),
    sa.CheckConstraint("change_fee >= 0 and checked_bags >= 0 and bag_weight_kg >= 0", name="fare_rules_not_negative"),
    sa.CheckConstraint("no_show_refund in ('none','taxes')", name="fare_rules_no_show_refund_known"),
    sa.CheckConstraint("taxes >= 0", name="fare_rules_taxes_not_negative"),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="fare_rules_currency_iso"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="fare_rules_class_known"),
)


def sellable_seats(c: sa.Table) -> sa.ColumnElement[int]:
    """The cabin's capacity plus its overbooking allowance, in SQL: the same integer rule as
    domain.overbooking_allowance (a show-up rate capped at 20 % of the seats, else the percentage)."""
    by_show_up = sa.func.least(
        (c.c.capacity * (10_000 - c.c.show_up_rate_bp)) / sa.func.nullif(c.c.show_up_rate_bp, 0),
        (c.c.capacity * MAX_OVERBOOKING_PERCENT) / 100,
    )
    by_percent = (c.c.capacity * c.c.overbooking_percent) / 100
    return c.c.capacity + sa.case((c.c.show_up_rate_bp > 0, by_show_up), else_=by_percent)


# Booking classes per flight and cabin, dearest first (`rank` 0 is the top); see domain.buckets.
fare_buckets = sa.Table(
    "fare_buckets",
    metadata,
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cabin_class", sa.Text, primary_key=True),
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("adult_amount", sa.BigInteger, nullable=False),
    sa.Column("child_amount", sa.BigInteger, nullable=False),
    sa.Column("infant_amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("authorised", sa.Integer, nullable=False),
    sa.Column("open", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("close_at_load_percent", sa.Integer, nullable=False, server_default="0"),
    sa.Column("close_days_before", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("code ~ '^[A-Z]$'", name="fare_buckets_code"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="fare_buckets_class_known"),
    sa.CheckConstraint(
        "adult_amount >= 0 and child_amount >= 0 and infant_amount >= 0 and authorised >= 0",
        name="fare_buckets_not_negative",
    ),
    sa.UniqueConstraint("flight_id", "cabin_class", "rank", name="fare_buckets_rank"),
)

# Seats a draft booking claimed in a booking class when it was made from an offer (one row per
# booking and flight): they count against the bucket like sales until `expires_at` (the draft's
# expiry), and the sale of the booking replaces them (domain.buckets, revenue_store).
bucket_claims = sa.Table(
    "bucket_claims",
    metadata,
    sa.Column("booking_id", sa.Text, primary_key=True),
    sa.Column("flight_id", sa.Text, sa.ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cabin_class", sa.Text, nullable=False),
    sa.Column("bucket", sa.Text, nullable=False),
    sa.Column("seats", sa.Integer, nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("seats > 0", name="bucket_claims_seats_positive"),
    sa.CheckConstraint("cabin_class in ('vip','normal')", name="bucket_claims_class_known"),
    sa.Index("bucket_claims_flight", "flight_id", "cabin_class", "expires_at"),
    sa.Index("bucket_claims_expires", "expires_at"),
)

# Taxes and fees per airport and passenger type: a line of their own in every offer.
airport_taxes = sa.Table(
    "airport_taxes",
    metadata,
    sa.Column("airport", sa.Text, primary_key=True),
    sa.Column("passenger_type", sa.Text, primary_key=True),
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("applies_on", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.CheckConstraint("amount >= 0", name="airport_taxes_amount_not_negative"),
    sa.CheckConstraint("passenger_type in ('adult','child','infant')", name="airport_taxes_passenger_type_known"),
    sa.CheckConstraint("applies_on in ('departure','arrival')", name="airport_taxes_applies_on_known"),
)
