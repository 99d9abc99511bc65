"""overbooking places: passengers sold past a cabin's seats, seated at the airport if a seat frees up

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unseated_places",
        sa.Column("flight_id", sa.Text, sa.ForeignKey("reservation.flights.id"), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("passenger_ref", sa.Text, nullable=False),
        sa.Column("passenger_type", sa.Text, nullable=False),
        sa.Column("cabin_class", sa.Text, nullable=False),
        sa.Column("booking_ref", sa.Text, nullable=False),
        sa.Column("hold_id", sa.Text, nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("flight_id", "place", name="unseated_places_pkey"),
        sa.UniqueConstraint("flight_id", "passenger_ref", name="unseated_places_one_per_passenger"),
        sa.CheckConstraint("passenger_type in ('adult','child')", name="unseated_places_no_infant"),
        schema="reservation",
    )
    op.create_index("unseated_places_hold", "unseated_places", ["hold_id"], schema="reservation")
    op.create_index("unseated_places_booking", "unseated_places", ["booking_ref"], schema="reservation")


def downgrade() -> None:
    op.drop_index("unseated_places_booking", table_name="unseated_places", schema="reservation")
    op.drop_index("unseated_places_hold", table_name="unseated_places", schema="reservation")
    op.drop_table("unseated_places", schema="reservation")
