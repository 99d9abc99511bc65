"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:34:53.186992
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
    create_messaging_tables_v1("booking")
    # e-ticket serials: 10 digits after the airline's 3-digit prefix
    op.execute(
        sa.schema.CreateSequence(
            sa.Sequence("eticket_serial", schema="booking", start=1, minvalue=1, maxvalue=9999999999)
        )
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("step", sa.Text(), server_default="", nullable=False),
        sa.Column("offer_id", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("trip_type", sa.Text(), nullable=False),
        sa.Column("adults", sa.Integer(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("infants", sa.Integer(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("fare_total", sa.BigInteger(), nullable=False),
        sa.Column("bag_total", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column(
            "passengers", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column("contact_email", sa.Text(), server_default="", nullable=False),
        sa.Column("contact_phone", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "seats", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column(
            "bags", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column(
            "tickets", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column(
            "payment", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("pay_attempt", sa.Integer(), server_default="0", nullable=False),
        sa.Column("pnr", sa.Text(), nullable=True),
        sa.Column("flight_cancelled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("disruption", sa.Text(), server_default="", nullable=False),
        sa.Column("refunded_amount", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("cancel_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("state <> 'confirmed' or pnr is not null", name="bookings_confirmed_has_pnr"),
        sa.CheckConstraint(
            "state in ('held','awaiting_payment','confirmed','cancelled','expired')", name="bookings_state_known"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pnr"),
        schema="booking",
    )
    op.create_index(
        "bookings_open",
        "bookings",
        ["state", "updated_at"],
        unique=False,
        schema="booking",
        postgresql_where=sa.text("state in ('held','awaiting_payment')"),
    )
    op.create_index("bookings_owner", "bookings", ["owner", "created_at"], unique=False, schema="booking")
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
        schema="booking",
    )
    op.create_table(
        "booking_legs",
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("origin_time_zone", sa.Text(), nullable=False),
        sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled_arrival", sa.DateTime(timezone=True), nullable=False),
        sa.Column("estimated_departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("estimated_arrival", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("status_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("checked_bags", sa.Integer(), nullable=False),
        sa.Column("bag_weight_kg", sa.Integer(), nullable=False),
        sa.Column("refundable", sa.Boolean(), nullable=False),
        sa.Column("change_fee", sa.BigInteger(), nullable=False),
        sa.Column("hold_id", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.bookings.id"]),
        sa.PrimaryKeyConstraint("booking_id", "position"),
        schema="booking",
    )
    op.create_index("booking_legs_flight", "booking_legs", ["flight_id"], unique=False, schema="booking")
    op.create_table(
        "booking_notifications",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.bookings.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema="booking",
    )
    op.create_index(
        op.f("ix_booking_booking_notifications_booking_id"),
        "booking_notifications",
        ["booking_id"],
        unique=False,
        schema="booking",
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index(
        op.f("ix_booking_booking_notifications_booking_id"), table_name="booking_notifications", schema="booking"
    )
    op.drop_table("booking_notifications", schema="booking")
    op.drop_index("booking_legs_flight", table_name="booking_legs", schema="booking")
    op.drop_table("booking_legs", schema="booking")
    op.drop_table("idempotency_keys", schema="booking")
    op.drop_index("bookings_owner", table_name="bookings", schema="booking")
    op.drop_index(
        "bookings_open",
        table_name="bookings",
        schema="booking",
        postgresql_where=sa.text("state in ('held','awaiting_payment')"),
    )
    op.drop_table("bookings", schema="booking")
    op.execute(sa.schema.DropSequence(sa.Sequence("eticket_serial", schema="booking")))
    drop_messaging_tables_v1("booking")
