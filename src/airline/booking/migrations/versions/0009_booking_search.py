"""customer-service search: passengers' names folded (accents, case) in a generated column with a
trigram index; contact e-mail and phone digits, and a leg's flight number, indexed

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # both are trusted extensions (a database owner may create them); public, so one copy serves
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    # unaccent() is STABLE (it reads a dictionary found through search_path): naming the
    # dictionary makes the result depend on its arguments only, so the wrapper may be IMMUTABLE
    op.execute(
        """
        CREATE FUNCTION booking.fold(t text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$
        """
    )
    # every passenger's first and last name, folded, one string: the one fact is `passengers`,
    # this column is computed from it by PostgreSQL on every write
    op.execute(
        """
        CREATE FUNCTION booking.search_names(p jsonb) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$
          SELECT coalesce(booking.fold(string_agg(
                   coalesce(x->>'first_name', '') || ' ' || coalesce(x->>'last_name', ''), ' ')), '')
          FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p) = 'array' THEN p ELSE '[]'::jsonb END) x
        $$
        """
    )
    op.execute(
        "ALTER TABLE booking.bookings ADD COLUMN search_names text "
        "GENERATED ALWAYS AS (booking.search_names(passengers)) STORED"
    )
    op.execute("CREATE INDEX bookings_search_names ON booking.bookings USING gin (search_names public.gin_trgm_ops)")
    op.execute("CREATE INDEX bookings_contact_email ON booking.bookings (lower(contact_email))")
    op.execute(
        "CREATE INDEX bookings_contact_phone ON booking.bookings "
        "(regexp_replace(contact_phone, '[^0-9]', '', 'g')) WHERE contact_phone <> ''"
    )
    op.execute("CREATE INDEX booking_legs_number ON booking.booking_legs (number, scheduled_departure)")


def downgrade() -> None:
    op.execute("DROP INDEX booking.booking_legs_number")
    op.execute("DROP INDEX booking.bookings_contact_phone")
    op.execute("DROP INDEX booking.bookings_contact_email")
    op.execute("DROP INDEX booking.bookings_search_names")
    op.execute("ALTER TABLE booking.bookings DROP COLUMN search_names")
    op.execute("DROP FUNCTION booking.search_names(jsonb)")
    op.execute("DROP FUNCTION booking.fold(text)")
