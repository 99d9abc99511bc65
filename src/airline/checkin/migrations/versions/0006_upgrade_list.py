"""The gate's upgrade list (issue 18): who an agent listed for the next cabin up (when, by whom),
the cabin a passenger was moved to at the gate (a leg's own cabin, over the booking's), and what
the booking paid per seat and flight (the list's priority).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "checkin"


def upgrade() -> None:
    op.add_column("legs", sa.Column("upgrade_requested_at", sa.DateTime(timezone=True), nullable=True), schema=S)
    op.add_column("legs", sa.Column("upgrade_requested_by", sa.Text(), nullable=False, server_default=""), schema=S)
    op.add_column("legs", sa.Column("upgraded_cabin", sa.Text(), nullable=True), schema=S)
    op.add_column("legs", sa.Column("upgraded_from_seat", sa.Text(), nullable=False, server_default=""), schema=S)
    op.add_column("legs", sa.Column("upgraded_at", sa.DateTime(timezone=True), nullable=True), schema=S)
    op.add_column(
        "passengers", sa.Column("fare_per_seat", sa.BigInteger(), nullable=False, server_default="0"), schema=S
    )
    op.add_column("passengers", sa.Column("fare_currency", sa.Text(), nullable=False, server_default=""), schema=S)


def downgrade() -> None:
    op.drop_column("passengers", "fare_currency", schema=S)
    op.drop_column("passengers", "fare_per_seat", schema=S)
    for name in ("upgraded_at", "upgraded_from_seat", "upgraded_cabin", "upgrade_requested_by", "upgrade_requested_at"):
        op.drop_column("legs", name, schema=S)
