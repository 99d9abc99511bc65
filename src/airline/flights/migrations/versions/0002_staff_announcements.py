"""staff announcements: go_to_gate, final_call and free_text join the announcement kinds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "kind in ('delay','cancellation','diversion','gate_change','boarding')"
NEW = "kind in ('delay','cancellation','diversion','gate_change','boarding','go_to_gate','final_call','free_text')"


def upgrade() -> None:
    op.drop_constraint("announcements_kind_known", "announcements", schema="flights", type_="check")
    op.create_check_constraint("announcements_kind_known", "announcements", NEW, schema="flights")


def downgrade() -> None:
    op.execute("DELETE FROM flights.announcements WHERE kind IN ('go_to_gate','final_call','free_text')")
    op.drop_constraint("announcements_kind_known", "announcements", schema="flights", type_="check")
    op.create_check_constraint("announcements_kind_known", "announcements", OLD, schema="flights")
