"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-25 13:58:34.691295
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from airline.platform.migrations import create_messaging_tables_v1, drop_messaging_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1("flights")
    # The gate exclusion constraint on flights needs gist support for the text equality;
    # extensions are per database, so it may already be there.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "fare_rules",
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("refundable", sa.Boolean(), nullable=False),
        sa.Column("change_fee", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("checked_bags", sa.Integer(), nullable=False),
        sa.Column("bag_weight_kg", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("cabin_class in ('vip','normal')", name="fare_rules_class_known"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="fare_rules_currency_iso"),
        sa.CheckConstraint(
            "change_fee >= 0 and checked_bags >= 0 and bag_weight_kg >= 0", name="fare_rules_not_negative"
        ),
        sa.PrimaryKeyConstraint("origin", "destination", "cabin_class"),
        schema="flights",
    )
    op.create_table(
        "fares",
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("passenger_type", sa.Text(), nullable=False),
        sa.Column("trip_type", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("cabin_class in ('vip','normal')", name="fares_class_known"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="fares_currency_iso"),
        sa.CheckConstraint("passenger_type in ('adult','child','infant')", name="fares_passenger_type_known"),
        sa.CheckConstraint("trip_type in ('one_way','round_trip')", name="fares_trip_type_known"),
        sa.CheckConstraint("amount >= 0", name="fares_amount_not_negative"),
        sa.PrimaryKeyConstraint("origin", "destination", "cabin_class", "passenger_type", "trip_type"),
        schema="flights",
    )
    op.create_table(
        "flights",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("origin_time_zone", sa.Text(), nullable=False),
        sa.Column("destination_time_zone", sa.Text(), nullable=False),
        sa.Column("origin_city", sa.Text(), server_default="", nullable=False),
        sa.Column("destination_city", sa.Text(), server_default="", nullable=False),
        sa.Column("plane_id", sa.Text(), nullable=False),
        sa.Column("gate", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled_arrival", sa.DateTime(timezone=True), nullable=False),
        sa.Column("estimated_departure", sa.DateTime(timezone=True), nullable=False),
        sa.Column("estimated_arrival", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actual_departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_arrival", sa.DateTime(timezone=True), nullable=True),
        sa.Column("boarding_starts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("departure_local_date", sa.Date(), nullable=False),
        sa.Column("diverted_to", sa.Text(), server_default="", nullable=False),
        sa.Column("delay_code", sa.Text(), server_default="", nullable=False),
        sa.Column("status_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("round_trip_id", sa.Text(), server_default="", nullable=False),
        sa.Column("schedule_id", sa.Text(), server_default="", nullable=False),
        sa.Column("plane_release_pending", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("origin"), "="),
            (sa.column("gate"), "="),
            (sa.text("tstzrange(boarding_starts, estimated_departure)"), "&&"),
            where=sa.text("status IN ('boarding', 'delayed', 'pending', 'scheduled')"),
            using="gist",
            name="flights_gate_free",
        ),
        sa.CheckConstraint(
            "status in ('pending', 'scheduled', 'delayed', 'boarding', 'departed', 'arrived', 'cancelled', 'diverted')",
            name="flights_status_known",
        ),
        sa.CheckConstraint("boarding_starts < estimated_departure", name="flights_boarding_before_departure"),
        sa.CheckConstraint("estimated_departure < estimated_arrival", name="flights_estimated_times"),
        sa.CheckConstraint("origin <> destination", name="flights_route"),
        sa.CheckConstraint("scheduled_departure < scheduled_arrival", name="flights_scheduled_times"),
        sa.PrimaryKeyConstraint("id"),
        schema="flights",
    )
    op.create_index(
        "flights_destination_arrival", "flights", ["destination", "scheduled_arrival"], unique=False, schema="flights"
    )
    op.create_index(
        "flights_number_per_local_date",
        "flights",
        ["number", "departure_local_date"],
        unique=True,
        schema="flights",
        postgresql_where=sa.text("status <> 'cancelled'"),
    )
    op.create_index(
        "flights_origin_departure", "flights", ["origin", "scheduled_departure"], unique=False, schema="flights"
    )
    op.create_index(
        "flights_pending",
        "flights",
        ["created_at"],
        unique=False,
        schema="flights",
        postgresql_where=sa.text("status = 'pending' OR plane_release_pending"),
    )
    op.create_index(
        "flights_route_date",
        "flights",
        ["origin", "destination", "departure_local_date"],
        unique=False,
        schema="flights",
    )
    op.create_table(
        "announcements",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("flight_number", sa.Text(), nullable=False),
        sa.Column("airport", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind in ('delay','cancellation','diversion','gate_change','boarding')", name="announcements_kind_known"
        ),
        sa.ForeignKeyConstraint(["flight_id"], ["flights.flights.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        schema="flights",
    )
    op.create_index(
        "announcements_airport_created", "announcements", ["airport", "created_at"], unique=False, schema="flights"
    )
    op.create_index(
        "announcements_flight_created", "announcements", ["flight_id", "created_at"], unique=False, schema="flights"
    )
    op.create_table(
        "flight_cabins",
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("cabin_class in ('vip','normal')", name="flight_cabins_class_known"),
        sa.CheckConstraint("capacity >= 0 and sold >= 0", name="flight_cabins_not_negative"),
        sa.CheckConstraint("sold <= capacity", name="flight_cabins_sold_within_capacity"),
        sa.ForeignKeyConstraint(["flight_id"], ["flights.flights.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("flight_id", "cabin_class"),
        schema="flights",
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table("flight_cabins", schema="flights")
    op.drop_index("announcements_flight_created", table_name="announcements", schema="flights")
    op.drop_index("announcements_airport_created", table_name="announcements", schema="flights")
    op.drop_table("announcements", schema="flights")
    op.drop_index("flights_route_date", table_name="flights", schema="flights")
    op.drop_index(
        "flights_pending",
        table_name="flights",
        schema="flights",
        postgresql_where=sa.text("status = 'pending' OR plane_release_pending"),
    )
    op.drop_index("flights_origin_departure", table_name="flights", schema="flights")
    op.drop_index(
        "flights_number_per_local_date",
        table_name="flights",
        schema="flights",
        postgresql_where=sa.text("status <> 'cancelled'"),
    )
    op.drop_index("flights_destination_arrival", table_name="flights", schema="flights")
    op.drop_table("flights", schema="flights")
    op.drop_table("fares", schema="flights")
    op.drop_table("fare_rules", schema="flights")
    # ### end Alembic commands ###
    drop_messaging_tables_v1("flights")
