"""flight-change messages are held for a settle window and may be superseded: their group,
the flight's version after the change and the changed value before and after it

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SCHEMA = "notification"


def upgrade() -> None:
    op.add_column("messages", sa.Column("hold_group", sa.Text(), server_default="", nullable=False), schema=_SCHEMA)
    op.add_column(
        "messages", sa.Column("change_sequence", sa.BigInteger(), server_default="0", nullable=False), schema=_SCHEMA
    )
    op.add_column("messages", sa.Column("change_value", sa.Text(), server_default="", nullable=False), schema=_SCHEMA)
    op.add_column(
        "messages", sa.Column("change_previous", sa.Text(), server_default="", nullable=False), schema=_SCHEMA
    )
    op.drop_constraint("messages_status_known", "messages", schema=_SCHEMA, type_="check")
    op.create_check_constraint(
        "messages_status_known", "messages", "status in ('queued','sent','failed','superseded')", schema=_SCHEMA
    )
    op.create_index(
        "messages_hold_group",
        "messages",
        ["hold_group", "change_sequence"],
        unique=False,
        schema=_SCHEMA,
        postgresql_where=sa.text("hold_group <> ''"),
    )


def downgrade() -> None:
    op.drop_index(
        "messages_hold_group", table_name="messages", schema=_SCHEMA, postgresql_where=sa.text("hold_group <> ''")
    )
    op.execute("UPDATE notification.messages SET status = 'failed' WHERE status = 'superseded'")
    op.drop_constraint("messages_status_known", "messages", schema=_SCHEMA, type_="check")
    op.create_check_constraint(
        "messages_status_known", "messages", "status in ('queued','sent','failed')", schema=_SCHEMA
    )
    for column in ("change_previous", "change_value", "change_sequence", "hold_group"):
        op.drop_column("messages", column, schema=_SCHEMA)
