"""bucket claims: the seats a draft booking takes in a booking class when it is made from an
offer, counted against the bucket until the draft's expiry or its sale

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "flights"


def upgrade() -> None:
    op.create_table(
        "bucket_claims",
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("bucket", sa.Text(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("seats > 0", name="bucket_claims_seats_positive"),
        sa.CheckConstraint("cabin_class in ('vip','normal')", name="bucket_claims_class_known"),
        sa.ForeignKeyConstraint(["flight_id"], [f"{S}.flights.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("booking_id", "flight_id"),
        schema=S,
    )
    op.create_index("bucket_claims_flight", "bucket_claims", ["flight_id", "cabin_class", "expires_at"], schema=S)
    op.create_index("bucket_claims_expires", "bucket_claims", ["expires_at"], schema=S)


def downgrade() -> None:
    op.drop_table("bucket_claims", schema=S)
