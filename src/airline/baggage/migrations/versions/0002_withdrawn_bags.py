"""withdrawn bags (their booking was cancelled) and the cancelled bookings seen

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 05:25:00
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
        "cancelled_bookings",
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("booking_id"),
        schema="baggage",
    )
    op.drop_constraint("bags_tag_once_accepted", "bags", schema="baggage", type_="check")
    op.create_check_constraint(
        "bags_tag_once_accepted",
        "bags",
        "status = 'withdrawn' or (tag is null) = (status = 'awaiting_payment')",
        schema="baggage",
    )


def downgrade() -> None:
    op.execute("delete from baggage.bags where status = 'withdrawn' and tag is null")
    op.execute("update baggage.bags set status = 'checked_in' where status = 'withdrawn'")
    op.drop_constraint("bags_tag_once_accepted", "bags", schema="baggage", type_="check")
    op.create_check_constraint(
        "bags_tag_once_accepted", "bags", "(tag is null) = (status = 'awaiting_payment')", schema="baggage"
    )
    op.drop_table("cancelled_bookings", schema="baggage")
