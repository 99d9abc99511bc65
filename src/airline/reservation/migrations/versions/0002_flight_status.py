"""a copy of each flight's status (from the flights events) so holds and seat changes follow it

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Null until the flight's next event or the next lookup fills them in (the service asks
    # the flights service for a flight whose status it does not know).
    op.add_column("flights", sa.Column("number", sa.Text(), nullable=True), schema="reservation")
    op.add_column("flights", sa.Column("status", sa.Text(), nullable=True), schema="reservation")
    op.add_column("flights", sa.Column("departure", sa.DateTime(timezone=True), nullable=True), schema="reservation")
    op.add_column("flights", sa.Column("status_version", sa.BigInteger(), nullable=True), schema="reservation")


def downgrade() -> None:
    op.drop_column("flights", "status_version", schema="reservation")
    op.drop_column("flights", "departure", schema="reservation")
    op.drop_column("flights", "status", schema="reservation")
    op.drop_column("flights", "number", schema="reservation")
