"""the outbox keeps a published event for a while, marked with the broker it went to, to
publish it again if that broker lost its log (platform/outbox.py)

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from airline.platform.migrations import add_outbox_replay_v2, drop_outbox_replay_v2

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_replay_v2("baggage")


def downgrade() -> None:
    drop_outbox_replay_v2("baggage")
