"""idempotency keys of bag drops (platform/idempotency.py): the same key with another request
is refused instead of replayed

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 08:15:00
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
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column(
            "result", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
        schema="baggage",
    )
    op.create_index("idempotency_keys_created", "idempotency_keys", ["created_at"], unique=False, schema="baggage")


def downgrade() -> None:
    op.drop_index("idempotency_keys_created", table_name="idempotency_keys", schema="baggage")
    op.drop_table("idempotency_keys", schema="baggage")
