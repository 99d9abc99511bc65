"""each leg keeps when its seat hold ends, so paying (and each draft step) extends a hold only
when it would end before the payment is done, not on every step

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
    op.add_column(
        "booking_legs", sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True), schema="booking"
    )


def downgrade() -> None:
    op.drop_column("booking_legs", "hold_expires_at", schema="booking")
