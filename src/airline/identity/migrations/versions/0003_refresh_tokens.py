"""refresh tokens: a signed-in browser stays signed in across a reload (an HttpOnly cookie the
gateway sets); only each token's hash is kept, with its session family for reuse detection

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


def upgrade() -> None:
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("user_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("family_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["identity.users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
        schema="identity",
    )
    op.create_index("refresh_tokens_family", "refresh_tokens", ["family_id"], schema="identity")
    op.create_index("refresh_tokens_expires", "refresh_tokens", ["expires_at"], schema="identity")


def downgrade() -> None:
    op.drop_table("refresh_tokens", schema="identity")
