"""payment origin: who started a payment (direct, or the service that paid for its own purpose)

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("payments", sa.Column("origin", sa.Text(), server_default="", nullable=False), schema="payment")


def downgrade() -> None:
    op.drop_column("payments", "origin", schema="payment")
