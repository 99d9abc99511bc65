"""a voucher pays part of a payment (the card the rest): the voucher part of a payment and of
its refunds, the vouchers' ledger of debits and credits, and a voucher's expiry

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "payment"


def upgrade() -> None:
    money = {"nullable": False, "server_default": "0"}
    op.add_column("payments", sa.Column("voucher_amount", sa.BigInteger, **money), schema=S)
    op.add_column("payments", sa.Column("voucher_refunded", sa.BigInteger, **money), schema=S)
    # a voucher-only payment's voucher part is all of it (and what it refunded went back to it)
    op.execute(
        "update payment.payments set voucher_amount = amount, voucher_refunded = refunded_amount "
        "where method = 'voucher'"
    )
    op.create_check_constraint(
        "payments_voucher_within", "payments", "voucher_amount >= 0 and voucher_amount <= amount", schema=S
    )
    op.create_check_constraint(
        "payments_voucher_refunds_within",
        "payments",
        "voucher_refunded >= 0 and voucher_refunded <= voucher_amount and voucher_refunded <= refunded_amount",
        schema=S,
    )
    op.add_column("refunds", sa.Column("voucher_amount", sa.BigInteger, **money), schema=S)
    op.execute(
        "update payment.refunds r set voucher_amount = r.amount from payment.payments p "
        "where p.id = r.payment_id and p.method = 'voucher'"
    )
    op.add_column("vouchers", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True), schema=S)
    op.create_table(
        "voucher_redemptions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("code", sa.Text, sa.ForeignKey("payment.vouchers.code"), nullable=False),
        sa.Column("payment_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("amount > 0", name="voucher_redemptions_amount_positive"),
        sa.CheckConstraint("kind in ('debit','credit')", name="voucher_redemptions_kind_known"),
        schema=S,
    )
    op.create_index("voucher_redemptions_code", "voucher_redemptions", ["code"], schema=S)
    op.create_index("voucher_redemptions_payment", "voucher_redemptions", ["payment_id"], schema=S)


def downgrade() -> None:
    op.drop_table("voucher_redemptions", schema=S)
    op.drop_column("vouchers", "expires_at", schema=S)
    op.drop_column("refunds", "voucher_amount", schema=S)
    op.drop_constraint("payments_voucher_refunds_within", "payments", schema=S)
    op.drop_constraint("payments_voucher_within", "payments", schema=S)
    op.drop_column("payments", "voucher_refunded", schema=S)
    op.drop_column("payments", "voucher_amount", schema=S)
