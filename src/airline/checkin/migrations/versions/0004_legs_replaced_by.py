"""legs.replaced_by: the flight(s) a re-accommodated booking moved to (issue 14)

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("legs", sa.Column("replaced_by", sa.Text(), nullable=True), schema="checkin")


def downgrade() -> None:
    op.drop_column("legs", "replaced_by", schema="checkin")
