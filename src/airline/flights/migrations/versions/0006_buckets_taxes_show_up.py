"""revenue rules: booking classes (buckets) per flight and cabin, taxes and fees per airport and
passenger type, the show-up rate that sizes the overbooking allowance, and the bucket and fare
revenue of each sale in the seat ledger

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

S = "flights"


def upgrade() -> None:
    op.add_column(
        "flight_cabins", sa.Column("show_up_rate_bp", sa.Integer(), nullable=False, server_default="0"), schema=S
    )
    op.create_check_constraint(
        "flight_cabins_show_up",
        "flight_cabins",
        "show_up_rate_bp = 0 or show_up_rate_bp between 5000 and 10000",
        schema=S,
    )
    op.add_column("seat_ledger", sa.Column("bucket", sa.Text(), nullable=False, server_default=""), schema=S)
    op.add_column("seat_ledger", sa.Column("amount", sa.BigInteger(), nullable=False, server_default="0"), schema=S)
    op.add_column("seat_ledger", sa.Column("currency", sa.Text(), nullable=False, server_default=""), schema=S)
    op.create_index("seat_ledger_created", "seat_ledger", ["created_at"], schema=S)
    op.create_table(
        "fare_buckets",
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("adult_amount", sa.BigInteger(), nullable=False),
        sa.Column("child_amount", sa.BigInteger(), nullable=False),
        sa.Column("infant_amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(3), nullable=False),
        sa.Column("authorised", sa.Integer(), nullable=False),
        sa.Column("open", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("close_at_load_percent", sa.Integer(), server_default="0", nullable=False),
        sa.Column("close_days_before", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("code ~ '^[A-Z]$'", name="fare_buckets_code"),
        sa.CheckConstraint("cabin_class in ('vip','normal')", name="fare_buckets_class_known"),
        sa.CheckConstraint(
            "adult_amount >= 0 and child_amount >= 0 and infant_amount >= 0 and authorised >= 0",
            name="fare_buckets_not_negative",
        ),
        sa.ForeignKeyConstraint(["flight_id"], [f"{S}.flights.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("flight_id", "cabin_class", "code"),
        sa.UniqueConstraint("flight_id", "cabin_class", "rank", name="fare_buckets_rank"),
        schema=S,
    )
    op.create_table(
        "airport_taxes",
        sa.Column("airport", sa.Text(), nullable=False),
        sa.Column("passenger_type", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("applies_on", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount >= 0", name="airport_taxes_amount_not_negative"),
        sa.CheckConstraint("passenger_type in ('adult','child','infant')", name="airport_taxes_passenger_type_known"),
        sa.CheckConstraint("applies_on in ('departure','arrival')", name="airport_taxes_applies_on_known"),
        sa.PrimaryKeyConstraint("airport", "passenger_type", "code", "applies_on"),
        schema=S,
    )


def downgrade() -> None:
    op.drop_table("airport_taxes", schema=S)
    op.drop_table("fare_buckets", schema=S)
    op.drop_index("seat_ledger_created", "seat_ledger", schema=S)
    for col in ("currency", "amount", "bucket"):
        op.drop_column("seat_ledger", col, schema=S)
    op.drop_constraint("flight_cabins_show_up", "flight_cabins", schema=S, type_="check")
    op.drop_column("flight_cabins", "show_up_rate_bp", schema=S)
