"""idempotency keys in the platform's shape (platform/idempotency.py): the booking id moves into
the `result` JSON, so keys remembered before the upgrade still replay their booking

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "idempotency_keys",
        sa.Column(
            "result", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        schema="booking",
    )
    op.execute("update booking.idempotency_keys set result = jsonb_build_object('booking_id', booking_id)")
    op.drop_column("idempotency_keys", "booking_id", schema="booking")
    op.create_index("idempotency_keys_created", "idempotency_keys", ["created_at"], unique=False, schema="booking")


def downgrade() -> None:
    op.drop_index("idempotency_keys_created", table_name="idempotency_keys", schema="booking")
    op.add_column(
        "idempotency_keys", sa.Column("booking_id", sa.Text(), server_default="", nullable=False), schema="booking"
    )
    op.execute("update booking.idempotency_keys set booking_id = coalesce(result->>'booking_id', '')")
    op.alter_column("idempotency_keys", "booking_id", server_default=None, schema="booking")
    op.drop_column("idempotency_keys", "result", schema="booking")
