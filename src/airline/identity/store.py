from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.identity.domain import User
from airline.platform.auth import Role
from airline.platform.db import service_metadata

SCHEMA = "identity"
metadata = service_metadata(SCHEMA)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", UUID(as_uuid=False), primary_key=True, server_default=sa.text("gen_random_uuid()")),
    sa.Column("email", sa.Text, nullable=False, unique=True),
    sa.Column("full_name", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("role in ('passenger','agent','crew','ops','cs','inventory','admin')", name="users_role_known"),
)


refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("user_id", UUID(as_uuid=False), sa.ForeignKey("identity.users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("family_id", UUID(as_uuid=False), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("refresh_tokens_family", "family_id"),
    sa.Index("refresh_tokens_expires", "expires_at"),
)


def _user(row: sa.Row) -> User:
    return User(row.id, row.email, row.full_name, Role(row.role), row.password_hash, row.created_at)


class UserRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, email: str, full_name: str, role: Role, password_hash: str) -> User | None:
        """Insert; None when the e-mail is taken (the unique constraint decides, not a pre-check)."""
        stmt = (
            insert(users)
            .values(email=email, full_name=full_name, role=role.value, password_hash=password_hash)
            .on_conflict_do_nothing(index_elements=[users.c.email])
            .returning(*users.c)
        )
        row = (await self.conn.execute(stmt)).first()
        return _user(row) if row else None

    async def by_email(self, email: str) -> User | None:
        row = (await self.conn.execute(sa.select(users).where(users.c.email == email))).first()
        return _user(row) if row else None

    async def by_id(self, user_id: str) -> User | None:
        row = (await self.conn.execute(sa.select(users).where(users.c.id == user_id))).first()
        return _user(row) if row else None

    async def list(self, role: Role | None) -> list[User]:
        q = sa.select(users).order_by(users.c.created_at, users.c.email)
        if role is not None:
            q = q.where(users.c.role == role.value)
        return [_user(r) for r in (await self.conn.execute(q)).all()]

    async def any_with_role(self, role: Role) -> bool:
        return bool(await self.conn.scalar(sa.select(sa.exists().where(users.c.role == role.value))))


class RefreshTokenRepository:
    """Refresh tokens by hash (the token itself is never stored), grouped in session families."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, token_hash: str, user_id: str, family_id: str, expires_at: datetime) -> None:
        await self.conn.execute(
            refresh_tokens.insert().values(
                token_hash=token_hash, user_id=user_id, family_id=family_id, expires_at=expires_at
            )
        )

    async def locked(self, token_hash: str) -> sa.Row | None:
        """The token's row, locked until the end of the transaction (two refreshes at once: one wins)."""
        q = sa.select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash).with_for_update()
        return (await self.conn.execute(q)).first()

    async def mark_used(self, token_hash: str) -> None:
        await self.conn.execute(
            refresh_tokens.update().where(refresh_tokens.c.token_hash == token_hash).values(used=True)
        )

    async def revoke_family(self, family_id: str) -> None:
        await self.conn.execute(
            refresh_tokens.update().where(refresh_tokens.c.family_id == family_id).values(revoked=True)
        )

    async def purge_expired(self, before: datetime) -> None:
        await self.conn.execute(refresh_tokens.delete().where(refresh_tokens.c.expires_at < before))
