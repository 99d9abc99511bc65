"""airports get coordinates (WGS 84 degrees, both or neither): a route's great-circle distance
decides the band of a passenger's compensation

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

CHECK = "(latitude is null and longitude is null) or (latitude between -90 and 90 and longitude between -180 and 180)"


def upgrade() -> None:
    op.add_column("airports", sa.Column("latitude", sa.Float, nullable=True), schema="airport")
    op.add_column("airports", sa.Column("longitude", sa.Float, nullable=True), schema="airport")
    op.create_check_constraint("airports_coordinates", "airports", CHECK, schema="airport")


def downgrade() -> None:
    op.drop_constraint("airports_coordinates", "airports", schema="airport", type_="check")
    op.drop_column("airports", "longitude", schema="airport")
    op.drop_column("airports", "latitude", schema="airport")
