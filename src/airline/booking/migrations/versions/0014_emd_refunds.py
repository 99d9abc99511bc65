"""refunds per EMD: what a cancellation gave back of each EMD and under which idempotency key
(a passenger cancelled alone refunds their EMDs; the booking's cancellation later only the rest)

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "booking_emds", sa.Column("refunded", sa.BigInteger, nullable=False, server_default="0"), schema="booking"
    )
    op.add_column("booking_emds", sa.Column("refund_key", sa.Text, nullable=False, server_default=""), schema="booking")
    # purchases refunded before (by a booking's cancellation, one refund per purchase): their
    # EMDs decided under that key, the purchase's refund spread over them in order
    op.execute(
        """
        UPDATE booking.booking_emds e
        SET refund_key = 'booking-' || e.booking_id || '-ancillaries-' || e.purchase_id || '-cancel',
            refunded = s.part
        FROM (
            SELECT e2.number,
                   LEAST(e2.amount, GREATEST(0, p.refunded - COALESCE(SUM(e2.amount) OVER (
                       PARTITION BY e2.purchase_id ORDER BY e2.number
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))) AS part
            FROM booking.booking_emds e2
            JOIN booking.booking_ancillary_purchases p ON p.id = e2.purchase_id
            WHERE p.refunded > 0
        ) s
        WHERE s.number = e.number
        """
    )


def downgrade() -> None:
    op.drop_column("booking_emds", "refund_key", schema="booking")
    op.drop_column("booking_emds", "refunded", schema="booking")
