"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-25 15:54:17.836852
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
    create_messaging_tables_v1("baggage")
    # tag serials: 6 digits of the licence plate, wrapping after 999999 (the unique tag guards)
    op.execute(
        sa.schema.CreateSequence(
            sa.Sequence("bag_tag_serial", minvalue=1, maxvalue=999999, cycle=True, schema="baggage")
        )
    )
    op.create_table(
        "bags",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("booking_id", sa.Text(), nullable=False),
        sa.Column("pnr", sa.Text(), nullable=False),
        sa.Column("passenger_id", sa.Text(), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), server_default="", nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("flight_number", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("plane_id", sa.Text(), server_default="", nullable=False),
        sa.Column("plane_registration", sa.Text(), server_default="", nullable=False),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("length_cm", sa.Integer(), nullable=False),
        sa.Column("width_cm", sa.Integer(), nullable=False),
        sa.Column("height_cm", sa.Integer(), nullable=False),
        sa.Column("fee", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("fee_reasons", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("payment_id", sa.Text(), server_default="", nullable=False),
        sa.Column("payment_key", sa.Text(), server_default="", nullable=False),
        sa.Column("drop_key", sa.Text(), nullable=True),
        sa.Column("dropped_by", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("(tag is null) = (status = 'awaiting_payment')", name="bags_tag_once_accepted"),
        sa.CheckConstraint("fee >= 0", name="bags_fee_not_negative"),
        sa.CheckConstraint("weight_g > 0", name="bags_weight_positive"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dropped_by", "drop_key", name="bags_drop_key_unique"),
        sa.UniqueConstraint("tag"),
        schema="baggage",
    )
    op.create_index("bags_booking", "bags", ["booking_id"], unique=False, schema="baggage")
    op.create_index("bags_flight", "bags", ["flight_id", "created_at"], unique=False, schema="baggage")
    op.create_index(
        "bags_name_prefix",
        "bags",
        ["name_key"],
        unique=False,
        schema="baggage",
        postgresql_ops={"name_key": "text_pattern_ops"},
    )
    op.create_index(
        "bags_passenger_flight", "bags", ["booking_id", "passenger_id", "flight_id"], unique=False, schema="baggage"
    )
    op.create_index("bags_status", "bags", ["status", "created_at"], unique=False, schema="baggage")
    op.create_table(
        "bag_events",
        sa.Column("bag_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("client_event_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("airport", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), server_default="", nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["bag_id"], ["baggage.bags.id"]),
        sa.PrimaryKeyConstraint("bag_id", "seq"),
        sa.UniqueConstraint("bag_id", "client_event_id", name="bag_events_client_event_unique"),
        schema="baggage",
    )


def downgrade() -> None:
    op.drop_table("bag_events", schema="baggage")
    op.drop_index("bags_status", table_name="bags", schema="baggage")
    op.drop_index("bags_passenger_flight", table_name="bags", schema="baggage")
    op.drop_index(
        "bags_name_prefix", table_name="bags", schema="baggage", postgresql_ops={"name_key": "text_pattern_ops"}
    )
    op.drop_index("bags_flight", table_name="bags", schema="baggage")
    op.drop_index("bags_booking", table_name="bags", schema="baggage")
    op.drop_table("bags", schema="baggage")
    op.execute(sa.schema.DropSequence(sa.Sequence("bag_tag_serial", schema="baggage")))
    drop_messaging_tables_v1("baggage")
