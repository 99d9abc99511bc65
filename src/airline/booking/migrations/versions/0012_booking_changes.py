"""voluntary changes of flights: one row per quote applied (changes_store.py)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EMPTY = sa.text("'[]'::jsonb")


def upgrade() -> None:
    op.create_table(
        "booking_changes",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("booking_id", sa.Text, sa.ForeignKey("booking.bookings.id"), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False, server_default="1"),
        sa.Column("quote", JSONB, nullable=False),
        sa.Column("seats", JSONB, nullable=False, server_default=_EMPTY),
        sa.Column("payment_id", sa.Text, nullable=False, server_default=""),
        sa.Column("charged", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("voucher_code", sa.Text, nullable=False, server_default=""),
        sa.Column("voided_tickets", JSONB, nullable=False, server_default=_EMPTY),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("state in ('started', 'declined', 'applied', 'abandoned')", name="booking_changes_state"),
        schema="booking",
    )
    op.create_index("ix_booking_booking_changes_booking_id", "booking_changes", ["booking_id"], schema="booking")


def downgrade() -> None:
    op.drop_table("booking_changes", schema="booking")
