"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:22:44.089744
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from airline.platform.migrations import create_messaging_tables_v1, drop_messaging_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1("reservation")
    op.create_table(
        "flights",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("plane_id", sa.Text(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("seats_loaded", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema="reservation",
    )
    op.create_table(
        "flight_seats",
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("seat", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("letter", sa.Text(), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("exit_row", sa.Boolean(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.CheckConstraint("cabin_class in ('vip','normal')", name="flight_seats_cabin_known"),
        sa.CheckConstraint("position in ('window','middle','aisle')", name="flight_seats_position_known"),
        sa.ForeignKeyConstraint(["flight_id"], ["reservation.flights.id"]),
        sa.PrimaryKeyConstraint("flight_id", "seat"),
        schema="reservation",
    )
    op.create_table(
        "seat_assignments",
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("seat", sa.Text(), nullable=False),
        sa.Column("passenger_ref", sa.Text(), nullable=False),
        sa.Column("passenger_type", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("booking_ref", sa.Text(), nullable=False),
        sa.Column("hold_id", sa.Text(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("passenger_type in ('adult','child')", name="seat_assignments_no_infant"),
        sa.ForeignKeyConstraint(
            ["flight_id", "seat"],
            ["reservation.flight_seats.flight_id", "reservation.flight_seats.seat"],
            name="seat_assignments_seat_exists",
        ),
        sa.PrimaryKeyConstraint("flight_id", "seat", name="seat_assignments_pkey"),
        sa.UniqueConstraint("flight_id", "passenger_ref", name="seat_assignments_one_seat_per_passenger"),
        schema="reservation",
    )
    op.create_index("seat_assignments_booking", "seat_assignments", ["booking_ref"], unique=False, schema="reservation")
    op.create_index("seat_assignments_hold", "seat_assignments", ["hold_id"], unique=False, schema="reservation")


def downgrade() -> None:
    op.drop_index("seat_assignments_hold", table_name="seat_assignments", schema="reservation")
    op.drop_index("seat_assignments_booking", table_name="seat_assignments", schema="reservation")
    op.drop_table("seat_assignments", schema="reservation")
    op.drop_table("flight_seats", schema="reservation")
    op.drop_table("flights", schema="reservation")
    drop_messaging_tables_v1("reservation")
