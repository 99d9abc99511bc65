from __future__ import annotations

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
