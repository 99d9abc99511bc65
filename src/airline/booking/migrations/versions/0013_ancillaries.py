"""paid ancillaries after the sale: one row per quote bought, one per EMD issued, the EMD serial
(ancillaries_store.py)

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.schema.CreateSequence(sa.Sequence("emd_serial", start=1, minvalue=1, maxvalue=999_999_999, schema="booking"))
    )
    op.create_table(
        "booking_ancillary_purchases",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("booking_id", sa.Text, sa.ForeignKey("booking.bookings.id"), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False, server_default="1"),
        sa.Column("quote", JSONB, nullable=False),
        sa.Column("payment_id", sa.Text, nullable=False, server_default=""),
        sa.Column("charged", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("refunded", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint(
            "state in ('started', 'declined', 'bought', 'abandoned')", name="booking_ancillary_purchases_state"
        ),
        schema="booking",
    )
    op.create_index(
        "ix_booking_booking_ancillary_purchases_booking_id",
        "booking_ancillary_purchases",
        ["booking_id"],
        schema="booking",
    )
    op.create_table(
        "booking_emds",
        sa.Column("number", sa.Text, primary_key=True),
        sa.Column("purchase_id", sa.Text, sa.ForeignKey("booking.booking_ancillary_purchases.id"), nullable=False),
        sa.Column("booking_id", sa.Text, sa.ForeignKey("booking.bookings.id"), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("flight_id", sa.Text, nullable=False),
        sa.Column("passenger_id", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False, server_default=""),
        sa.Column("pieces", sa.Integer, nullable=False, server_default="0"),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("kind in ('bag', 'meal')", name="booking_emds_kind"),
        sa.CheckConstraint("amount >= 0", name="booking_emds_amount"),
        schema="booking",
    )
    op.create_index("ix_booking_booking_emds_booking_id", "booking_emds", ["booking_id"], schema="booking")


def downgrade() -> None:
    op.drop_table("booking_emds", schema="booking")
    op.drop_table("booking_ancillary_purchases", schema="booking")
    op.execute(sa.schema.DropSequence(sa.Sequence("emd_serial", schema="booking")))
