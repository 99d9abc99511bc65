"""integrity: the cancelling state, a guest's keyed client address, the fare's no-show rule per leg

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint("bookings_state_known", "bookings", schema="booking", type_="check")
    op.create_check_constraint(
        "bookings_state_known",
        "bookings",
        "state in ('held','awaiting_payment','confirmed','cancelling','cancelled','expired')",
        schema="booking",
    )
    op.add_column("bookings", sa.Column("client_key", sa.Text(), server_default="", nullable=False), schema="booking")
    op.create_index(
        "bookings_client_key",
        "bookings",
        ["client_key"],
        unique=False,
        schema="booking",
        postgresql_where=sa.text("client_key <> ''"),
    )
    op.add_column(
        "booking_legs", sa.Column("no_show_refund", sa.Text(), server_default="", nullable=False), schema="booking"
    )
    op.add_column(
        "booking_legs", sa.Column("taxes", sa.BigInteger(), server_default="0", nullable=False), schema="booking"
    )


def downgrade() -> None:
    op.drop_column("booking_legs", "taxes", schema="booking")
    op.drop_column("booking_legs", "no_show_refund", schema="booking")
    op.drop_index(
        "bookings_client_key", table_name="bookings", schema="booking", postgresql_where=sa.text("client_key <> ''")
    )
    op.drop_column("bookings", "client_key", schema="booking")
    op.drop_constraint("bookings_state_known", "bookings", schema="booking", type_="check")
    op.create_check_constraint(
        "bookings_state_known",
        "bookings",
        "state in ('held','awaiting_payment','confirmed','cancelled','expired')",
        schema="booking",
    )
