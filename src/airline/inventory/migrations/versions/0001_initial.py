"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-25 15:10:05.598525
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from airline.platform.migrations import create_messaging_tables_v1, drop_messaging_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1("inventory")
    op.create_table(
        "flights",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), server_default="", nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), server_default="", nullable=False),
        sa.Column("scheduled_departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.Text(), server_default="scheduled", nullable=False),
        sa.Column("plan_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("needs_unload", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status in ('scheduled','cancelled')", name="flights_status_known"),
        sa.PrimaryKeyConstraint("id"),
        schema="inventory",
    )
    op.create_table(
        "items",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind in ('meal','special_meal','beverage','entertainment','amenity')", name="items_kind_known"
        ),
        sa.PrimaryKeyConstraint("code"),
        schema="inventory",
    )
    op.create_table(
        "flight_passengers",
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("cabin_class", sa.Text(), nullable=False),
        sa.Column("passenger_type", sa.Text(), nullable=False),
        sa.Column("meal", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count > 0", name="flight_passengers_count_positive"),
        sa.ForeignKeyConstraint(["flight_id"], ["inventory.flights.id"]),
        sa.PrimaryKeyConstraint("flight_id", "booking_id", "cabin_class", "passenger_type", "meal"),
        schema="inventory",
    )
    op.create_index("flight_passengers_booking", "flight_passengers", ["booking_id"], unique=False, schema="inventory")
    op.create_table(
        "load_plans",
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("delta", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["flight_id"], ["inventory.flights.id"]),
        sa.PrimaryKeyConstraint("flight_id", "version"),
        schema="inventory",
    )
    op.create_table(
        "loadings",
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("airport", sa.Text(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("consumed", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("loaded_by", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("consumed >= 0 and consumed <= quantity", name="loadings_consumed_within_loaded"),
        sa.CheckConstraint("quantity > 0", name="loadings_quantity_positive"),
        sa.ForeignKeyConstraint(["flight_id"], ["inventory.flights.id"]),
        sa.ForeignKeyConstraint(["item"], ["inventory.items.code"]),
        sa.PrimaryKeyConstraint("flight_id", "item"),
        schema="inventory",
    )
    op.create_table(
        "stock",
        sa.Column("airport", sa.Text(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("threshold", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("quantity >= 0", name="stock_quantity_not_negative"),
        sa.CheckConstraint("threshold >= 0", name="stock_threshold_not_negative"),
        sa.ForeignKeyConstraint(["item"], ["inventory.items.code"]),
        sa.PrimaryKeyConstraint("airport", "item"),
        schema="inventory",
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("airport", sa.Text(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("threshold", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["airport", "item"], ["inventory.stock.airport", "inventory.stock.item"]),
        sa.PrimaryKeyConstraint("id"),
        schema="inventory",
    )
    op.create_index(
        "alerts_one_open",
        "alerts",
        ["airport", "item"],
        unique=True,
        schema="inventory",
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.create_table(
        "consumption",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("quantity > 0", name="consumption_quantity_positive"),
        sa.ForeignKeyConstraint(["flight_id", "item"], ["inventory.loadings.flight_id", "inventory.loadings.item"]),
        sa.PrimaryKeyConstraint("id"),
        schema="inventory",
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table("consumption", schema="inventory")
    op.drop_index(
        "alerts_one_open", table_name="alerts", schema="inventory", postgresql_where=sa.text("resolved_at IS NULL")
    )
    op.drop_table("alerts", schema="inventory")
    op.drop_table("stock", schema="inventory")
    op.drop_table("loadings", schema="inventory")
    op.drop_table("load_plans", schema="inventory")
    op.drop_index("flight_passengers_booking", table_name="flight_passengers", schema="inventory")
    op.drop_table("flight_passengers", schema="inventory")
    op.drop_table("items", schema="inventory")
    op.drop_table("flights", schema="inventory")
    # ### end Alembic commands ###
    drop_messaging_tables_v1("inventory")
