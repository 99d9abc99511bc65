"""re-accommodation: one run per flight change, one proposal per (booking, disrupted flight)

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EMPTY = sa.text("'[]'::jsonb")


def upgrade() -> None:
    op.create_table(
        "booking_reaccommodation_runs",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("flight_id", sa.Text, nullable=False),
        sa.Column("change", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="pending"),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("flight_id", "change", name="booking_reaccommodation_runs_once"),
        sa.CheckConstraint("state in ('pending','done')", name="booking_reaccommodation_runs_state"),
        schema="booking",
    )
    op.create_index(
        "booking_reaccommodation_runs_pending",
        "booking_reaccommodation_runs",
        ["created_at"],
        schema="booking",
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "booking_reaccommodations",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("booking_id", sa.Text, sa.ForeignKey("booking.bookings.id"), nullable=False),
        sa.Column("flight_id", sa.Text, nullable=False),
        sa.Column("flight_number", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("options", JSONB, nullable=False, server_default=_EMPTY),
        sa.Column("seats", JSONB, nullable=False, server_default=_EMPTY),
        sa.Column("unplaced_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("chosen", sa.Integer, nullable=False, server_default="0"),
        sa.Column("taken", sa.Text, nullable=False, server_default=""),
        sa.Column("refund_amount", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("voucher_amount", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("voucher_code", sa.Text, nullable=False, server_default=""),
        sa.Column("voided_tickets", JSONB, nullable=False, server_default=_EMPTY),
        sa.Column("removed_leg", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("booking_id", "flight_id", name="booking_reaccommodations_once"),
        sa.CheckConstraint(
            "state in ('reserving','proposed','accepted','applied','declining','refunded','unplaced','kept')",
            name="booking_reaccommodations_state",
        ),
        schema="booking",
    )
    op.create_index("booking_reaccommodations_flight", "booking_reaccommodations", ["flight_id"], schema="booking")
    op.create_index(
        "booking_reaccommodations_due",
        "booking_reaccommodations",
        ["deadline"],
        schema="booking",
        postgresql_where=sa.text("state = 'proposed'"),
    )


def downgrade() -> None:
    op.drop_table("booking_reaccommodations", schema="booking")
    op.drop_table("booking_reaccommodation_runs", schema="booking")
