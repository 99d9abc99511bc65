"""booking states (cancellation tombstones) and early seat changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_states",
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("state in ('confirmed','cancelled')", name="booking_states_state_known"),
        sa.PrimaryKeyConstraint("booking_id"),
        schema="checkin",
    )
    op.create_table(
        "early_seats",
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("passenger_id", sa.Text(), nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("seat", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("booking_id", "passenger_id", "flight_id"),
        schema="checkin",
    )
    # what the passengers' rows already tell: a revoked booking was cancelled
    op.execute("""
        insert into checkin.booking_states (booking_id, state)
        select booking_id, case when bool_or(revoked_at is not null) then 'cancelled' else 'confirmed' end
        from checkin.passengers group by booking_id
    """)


def downgrade() -> None:
    op.drop_table("early_seats", schema="checkin")
    op.drop_table("booking_states", schema="checkin")
