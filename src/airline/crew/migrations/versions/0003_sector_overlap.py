"""a member flies several sectors in one duty period: the guard against a double booking is
now over each sector's flight time (departure..arrival), not its own report..release window,
which two sectors of one period with a short turnaround share

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _replace(lower: str, upper: str) -> None:
    op.execute("ALTER TABLE crew.assignments DROP CONSTRAINT assignments_no_double_duty")
    op.execute(
        "ALTER TABLE crew.assignments ADD CONSTRAINT assignments_no_double_duty EXCLUDE USING gist "
        f"(member_id WITH =, tstzrange({lower}, {upper}) WITH &&) WHERE (state in ('proposed','accepted'))"
    )


def upgrade() -> None:
    _replace("departure", "arrival")


def downgrade() -> None:
    _replace("report_at", "release_at")
