"""passenger rights: the compensation each passenger claimed per flight, recorded before it is
paid and unique per (booking, passenger, flight), so a claim made twice pays once

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_compensations",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("booking_id", sa.Text, sa.ForeignKey("booking.bookings.id"), nullable=False),
        sa.Column("passenger_id", sa.Text, nullable=False),
        sa.Column("flight_id", sa.Text, nullable=False),
        sa.Column("flight_number", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("policy", sa.Text, nullable=False),
        sa.Column("distance_km", sa.Float, nullable=False),
        sa.Column("delay_minutes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("payment_id", sa.Text, nullable=False, server_default=""),
        sa.Column("reference", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("booking_id", "passenger_id", "flight_id", name="booking_compensations_once"),
        sa.CheckConstraint("method in ('voucher','refund')", name="booking_compensations_method"),
        sa.CheckConstraint("state in ('pending','paid')", name="booking_compensations_state"),
        sa.CheckConstraint("amount > 0", name="booking_compensations_amount"),
        schema="booking",
    )


def downgrade() -> None:
    op.drop_table("booking_compensations", schema="booking")
