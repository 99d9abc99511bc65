"""flights keep when they were cancelled: the notice passengers had decides their rights
(a compensation policy may exempt a cancellation announced long enough before departure)

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
    op.add_column("flights", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True), schema="flights")


def downgrade() -> None:
    op.drop_column("flights", "cancelled_at", schema="flights")
