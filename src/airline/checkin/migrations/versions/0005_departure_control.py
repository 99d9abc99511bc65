"""Departure control (issue 18): offloaded legs, volunteers, travel documents for APIS, special
meals, and the door of each flight (closed once).

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

S = "checkin"
PASSENGER_COLUMNS = ("date_of_birth", "document_type", "document_country", "document_expiry", "meal")


def upgrade() -> None:
    op.drop_constraint("legs_status_known", "legs", schema=S, type_="check")
    op.create_check_constraint(
        "legs_status_known", "legs", "status in ('booked','checked_in','boarded','offloaded','cancelled')", schema=S
    )
    op.add_column("legs", sa.Column("offloaded_at", sa.DateTime(timezone=True), nullable=True), schema=S)
    op.add_column("legs", sa.Column("volunteer", sa.Boolean(), nullable=False, server_default="false"), schema=S)
    for name in PASSENGER_COLUMNS:
        op.add_column("passengers", sa.Column(name, sa.Text(), nullable=False, server_default=""), schema=S)
    op.create_table(
        "flight_doors",
        sa.Column("flight_id", sa.Text(), primary_key=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Text(), nullable=False),
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("flight_doors", schema=S)
    for name in PASSENGER_COLUMNS:
        op.drop_column("passengers", name, schema=S)
    op.drop_column("legs", "volunteer", schema=S)
    op.drop_column("legs", "offloaded_at", schema=S)
    op.execute("update checkin.legs set status = 'checked_in' where status = 'offloaded'")
    op.drop_constraint("legs_status_known", "legs", schema=S, type_="check")
    op.create_check_constraint(
        "legs_status_known", "legs", "status in ('booked','checked_in','boarded','cancelled')", schema=S
    )
