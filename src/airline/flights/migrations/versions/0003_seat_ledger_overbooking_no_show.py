"""seats sold follow confirmed bookings (a ledger, once per booking and flight), the overbooking
policy per flight and cabin, and the fare's no-show rule and taxes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # sold is what was confirmed: a fact that may exceed the plane's seats under overbooking
    # (or after ops lowered the policy), so the database no longer caps it at capacity
    op.drop_constraint("flight_cabins_sold_within_capacity", "flight_cabins", schema="flights", type_="check")
    op.add_column(
        "flight_cabins",
        sa.Column("overbooking_percent", sa.Integer(), nullable=False, server_default="0"),
        schema="flights",
    )
    op.create_check_constraint(
        "flight_cabins_overbooking_range", "flight_cabins", "overbooking_percent between 0 and 20", schema="flights"
    )
    op.create_table(
        "seat_ledger",
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("seats >= 0", name="seat_ledger_seats_not_negative"),
        sa.PrimaryKeyConstraint("booking_id", "flight_id"),
        schema="flights",
    )
    op.create_index("seat_ledger_flight", "seat_ledger", ["flight_id"], schema="flights")
    op.create_table(
        "cancelled_bookings",
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("booking_id"),
        schema="flights",
    )
    op.add_column(
        "fare_rules", sa.Column("no_show_refund", sa.Text(), nullable=False, server_default="none"), schema="flights"
    )
    op.add_column(
        "fare_rules", sa.Column("taxes", sa.BigInteger(), nullable=False, server_default="0"), schema="flights"
    )
    op.create_check_constraint(
        "fare_rules_no_show_refund_known", "fare_rules", "no_show_refund in ('none','taxes')", schema="flights"
    )
    op.create_check_constraint("fare_rules_taxes_not_negative", "fare_rules", "taxes >= 0", schema="flights")


def downgrade() -> None:
    op.drop_constraint("fare_rules_taxes_not_negative", "fare_rules", schema="flights", type_="check")
    op.drop_constraint("fare_rules_no_show_refund_known", "fare_rules", schema="flights", type_="check")
    op.drop_column("fare_rules", "taxes", schema="flights")
    op.drop_column("fare_rules", "no_show_refund", schema="flights")
    op.drop_table("cancelled_bookings", schema="flights")
    op.drop_index("seat_ledger_flight", "seat_ledger", schema="flights")
    op.drop_table("seat_ledger", schema="flights")
    op.drop_constraint("flight_cabins_overbooking_range", "flight_cabins", schema="flights", type_="check")
    op.drop_column("flight_cabins", "overbooking_percent", schema="flights")
    op.execute("UPDATE flights.flight_cabins SET sold = capacity WHERE sold > capacity")
    op.create_check_constraint(
        "flight_cabins_sold_within_capacity", "flight_cabins", "sold <= capacity", schema="flights"
    )
