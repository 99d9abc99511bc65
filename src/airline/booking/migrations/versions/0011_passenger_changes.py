"""partial cancellation: one row per passenger cancelled alone, written with the decision (who
leaves, the refund) before any money moves and marked done once refunded and applied, so a
retried or concurrent request refunds once; name corrections: each one with the name as booked,
so corrections add up against it (3 letters in all, not 3 each time)

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_passenger_cancellations",
        sa.Column("booking_id", sa.Text, sa.ForeignKey("booking.bookings.id"), nullable=False),
        sa.Column("passenger_id", sa.Text, nullable=False),
        sa.Column("leaving", JSONB, nullable=False),
        sa.Column("share", sa.BigInteger, nullable=False),
        sa.Column("refund", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("booking_id", "passenger_id", name="booking_passenger_cancellations_pkey"),
        sa.CheckConstraint("state in ('refunding','done')", name="booking_passenger_cancellations_state"),
        sa.CheckConstraint("refund >= 0 and refund <= share", name="booking_passenger_cancellations_refund"),
        schema="booking",
    )
    op.create_table(
        "booking_name_corrections",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("booking_id", sa.Text, sa.ForeignKey("booking.bookings.id"), nullable=False),
        sa.Column("passenger_id", sa.Text, nullable=False),
        sa.Column("booked_first_name", sa.Text, nullable=False),
        sa.Column("booked_last_name", sa.Text, nullable=False),
        sa.Column("first_name", sa.Text, nullable=False),
        sa.Column("last_name", sa.Text, nullable=False),
        sa.Column("letters", sa.Integer, nullable=False),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Index("booking_name_corrections_passenger", "booking_id", "passenger_id"),
        schema="booking",
    )


def downgrade() -> None:
    op.drop_table("booking_name_corrections", schema="booking")
    op.drop_table("booking_passenger_cancellations", schema="booking")
