"""aircraft swap: the version of the flight whose plane the seats come from, and the passengers
a swap left without a seat for now

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("flights", sa.Column("plane_version", sa.BigInteger(), nullable=True), schema="reservation")
    op.create_table(
        "displaced_passengers",
        sa.Column("flight_id", sa.Text, sa.ForeignKey("reservation.flights.id"), nullable=False),
        sa.Column("passenger_ref", sa.Text, nullable=False),
        sa.Column("passenger_type", sa.Text, nullable=False),
        sa.Column("cabin_class", sa.Text, nullable=False),
        sa.Column("booking_ref", sa.Text, nullable=False),
        sa.Column("previous_seat", sa.Text, nullable=False, server_default=""),
        sa.Column("displaced_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("flight_id", "passenger_ref", name="displaced_passengers_pkey"),
        sa.CheckConstraint("passenger_type in ('adult','child')", name="displaced_passengers_no_infant"),
        schema="reservation",
    )
    op.create_index("displaced_passengers_booking", "displaced_passengers", ["booking_ref"], schema="reservation")


def downgrade() -> None:
    op.drop_index("displaced_passengers_booking", table_name="displaced_passengers", schema="reservation")
    op.drop_table("displaced_passengers", schema="reservation")
    op.drop_column("flights", "plane_version", schema="reservation")
