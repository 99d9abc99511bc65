"""Door close (issue 18): bags of passengers offloaded at door close are flagged to come off
the flight; the flights whose door closed and who was offloaded are kept.

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

S = "baggage"


def upgrade() -> None:
    op.add_column("bags", sa.Column("offload", sa.Boolean(), nullable=False, server_default="false"), schema=S)
    op.add_column("bags", sa.Column("offload_flagged_at", sa.DateTime(timezone=True), nullable=True), schema=S)
    op.create_table(
        "offloaded_passengers",
        sa.Column("flight_id", sa.Text(), primary_key=True),
        sa.Column("booking_id", sa.Text(), primary_key=True),
        sa.Column("passenger_id", sa.Text(), primary_key=True),
        sa.Column("door_closed_at", sa.DateTime(timezone=True), nullable=False),
        schema=S,
    )
    op.create_table(
        "closed_doors",
        sa.Column("flight_id", sa.Text(), primary_key=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("closed_doors", schema=S)
    op.drop_table("offloaded_passengers", schema=S)
    op.drop_column("bags", "offload_flagged_at", schema=S)
    op.drop_column("bags", "offload", schema=S)
