"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-25 15:12:52.933406
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
    create_messaging_tables_v1("crew")
    # The no-double-duty exclusion constraint on assignments needs gist support for the
    # text equality; extensions are per database, so it may already be there.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "flights",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("departure", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrival", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aircraft_type", sa.Text(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        schema="crew",
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("qualifications", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("home_base", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), server_default="", nullable=False),
        sa.Column("phone", sa.Text(), server_default="", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "role in ('captain','first_officer','purser','flight_attendant')", name="members_role_known"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
        schema="crew",
    )
    op.create_table(
        "absences",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("member_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("kind in ('leave','sickness','training')", name="absences_kind_known"),
        sa.CheckConstraint("starts_at < ends_at", name="absences_window"),
        sa.ForeignKeyConstraint(["member_id"], ["crew.members.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema="crew",
    )
    op.create_index(op.f("ix_crew_absences_member_id"), "absences", ["member_id"], unique=False, schema="crew")
    op.create_table(
        "assignments",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("flight_id", sa.Text(), nullable=False),
        sa.Column("member_id", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("report_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("departure", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrival", sa.DateTime(timezone=True), nullable=False),
        sa.Column("release_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "violations", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column("answer_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("needs_attention", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        postgresql.ExcludeConstraint(
            (sa.column("member_id"), "="),
            (sa.text("tstzrange(report_at, release_at)"), "&&"),
            where=sa.text("state in ('proposed','accepted')"),
            using="gist",
            name="assignments_no_double_duty",
        ),
        sa.CheckConstraint(
            "state in ('proposed','accepted','declined','removed','cancelled')", name="assignments_state_known"
        ),
        sa.CheckConstraint("report_at < release_at", name="assignments_window"),
        sa.ForeignKeyConstraint(["flight_id"], ["crew.flights.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["crew.members.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema="crew",
    )
    op.create_index(op.f("ix_crew_assignments_flight_id"), "assignments", ["flight_id"], unique=False, schema="crew")
    op.create_index(op.f("ix_crew_assignments_member_id"), "assignments", ["member_id"], unique=False, schema="crew")
    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("member_id", sa.Text(), nullable=False),
        sa.Column("assignment_id", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["crew.members.id"]),
        sa.PrimaryKeyConstraint("id"),
        schema="crew",
    )
    op.create_index(
        op.f("ix_crew_notifications_member_id"), "notifications", ["member_id"], unique=False, schema="crew"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_crew_notifications_member_id"), table_name="notifications", schema="crew")
    op.drop_table("notifications", schema="crew")
    op.drop_index(op.f("ix_crew_assignments_member_id"), table_name="assignments", schema="crew")
    op.drop_index(op.f("ix_crew_assignments_flight_id"), table_name="assignments", schema="crew")
    op.drop_table("assignments", schema="crew")
    op.drop_index(op.f("ix_crew_absences_member_id"), table_name="absences", schema="crew")
    op.drop_table("absences", schema="crew")
    op.drop_table("members", schema="crew")
    drop_messaging_tables_v1("crew")
    op.drop_table("flights", schema="crew")
