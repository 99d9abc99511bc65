"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-25 15:52:53.898062
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from airline.platform.migrations import create_messaging_tables_v1, drop_messaging_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1("notification")
    op.create_table(
        "messages",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("template", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), server_default="", nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.Text(), server_default="queued", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("provider", sa.Text(), server_default="", nullable=False),
        sa.Column("provider_id", sa.Text(), server_default="", nullable=False),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.Column("dedupe_key", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), server_default="", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel in ('sms','email')", name="messages_channel_known"),
        sa.CheckConstraint("status in ('queued','sent','failed')", name="messages_status_known"),
        sa.CheckConstraint("attempts >= 0", name="messages_attempts_not_negative"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key", name="messages_dedupe_key_unique"),
        schema="notification",
    )
    op.create_index("messages_created", "messages", ["created_at", "id"], unique=False, schema="notification")
    op.create_index(
        "messages_due",
        "messages",
        ["next_attempt_at"],
        unique=False,
        schema="notification",
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.create_index("messages_recipient", "messages", ["recipient", "created_at"], unique=False, schema="notification")
    op.create_index("messages_reference", "messages", ["reference", "created_at"], unique=False, schema="notification")


def downgrade() -> None:
    op.drop_index("messages_reference", table_name="messages", schema="notification")
    op.drop_index("messages_recipient", table_name="messages", schema="notification")
    op.drop_index(
        "messages_due", table_name="messages", schema="notification", postgresql_where=sa.text("status = 'queued'")
    )
    op.drop_index("messages_created", table_name="messages", schema="notification")
    op.drop_table("messages", schema="notification")
    drop_messaging_tables_v1("notification")
