"""re-accommodation runs may name the bookings they move (an aircraft swap moves only those that
no longer fit)

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # [] : every booking the flight change moves (reaccommodation.must_move); else these ids only
    op.add_column(
        "booking_reaccommodation_runs",
        sa.Column("scope", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        schema="booking",
    )


def downgrade() -> None:
    op.drop_column("booking_reaccommodation_runs", "scope", schema="booking")
