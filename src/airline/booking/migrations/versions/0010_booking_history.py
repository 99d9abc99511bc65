"""booking history: every change of a booking with who did it and why (history.py)

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_history",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("booking_id", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.clock_timestamp()),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("actor_role", sa.Text, nullable=False),
        sa.Column("actor_subject", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("details", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        schema="booking",
    )
    op.create_index("ix_booking_booking_history_booking_id", "booking_history", ["booking_id"], schema="booking")


def downgrade() -> None:
    op.drop_index("ix_booking_booking_history_booking_id", table_name="booking_history", schema="booking")
    op.drop_table("booking_history", schema="booking")
