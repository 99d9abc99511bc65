"""Identity use cases; each runs in one unit of work."""
from __future__ import annotations

import asyncio
import uuid

from airline.identity import domain
from airline.identity.domain import User
from airline.identity.settings import IdentitySettings
from airline.identity.store import UserRepository
from airline.platform.auth import Principal, Role, TokenCodec
from airline.platform.db import ServiceDatabase
from airline.platform.errors import AlreadyExists, NotFound, Unauthenticated
from airline.platform.events import topic_name

USER_REGISTERED = topic_name("identity", "user_registered")


class IdentityService:
    def __init__(self, db: ServiceDatabase, codec: TokenCodec, settings: IdentitySettings) -> None:
        self.db = db
        self.codec = codec
        self.settings = settings

    async def sign_up(self, email: str, password: str, full_name: str) -> User:
        return await self._create(email, password, full_name, Role.PASSENGER)

    async def create_user(self, email: str, password: str, full_name: str, role: str) -> User:
        return await self._create(email, password, full_name, domain.parse_role(role))

    async def _create(self, email: str, password: str, full_name: str, role: Role) -> User:
        email = domain.normalize_email(email)
        full_name = domain.check_full_name(full_name)
        domain.check_password(password, self.settings.min_password_length)
        # argon2 is deliberately slow: keep it off the event loop
        password_hash = await asyncio.to_thread(domain.hash_password, password)
        async with self.db.uow() as uow:
            user = await UserRepository(uow.conn).add(email, full_name, role, password_hash)
            if user is None:
                raise AlreadyExists("an account with this e-mail already exists", field="email")
            await uow.emit(
                USER_REGISTERED,
                key=user.id,
                type_="UserRegistered",
                payload={"user_id": user.id, "email": user.email, "role": user.role.value},
            )
            await uow.commit()
        return user

    async def login(self, email: str, password: str) -> tuple[str, User]:
        try:
            email = domain.normalize_email(email)
        except Exception:
            raise Unauthenticated("wrong e-mail or password") from None
        async with self.db.uow() as uow:
            user = await UserRepository(uow.conn).by_email(email)
        ok = await asyncio.to_thread(
            domain.password_matches, user.password_hash if user else domain.DUMMY_HASH, password
        )
        if user is None or not ok:
            raise Unauthenticated("wrong e-mail or password")
        return self.codec.issue(user.id, user.role, user.email), user

    async def me(self, principal: Principal) -> User:
        try:
            uuid.UUID(principal.subject)
        except ValueError:
            raise NotFound("this token does not belong to a user account") from None
        async with self.db.uow() as uow:
            user = await UserRepository(uow.conn).by_id(principal.subject)
        if user is None:
            raise NotFound("the account of this token no longer exists")
        return user

    async def list_users(self, role: str) -> list[User]:
        async with self.db.uow() as uow:
            return await UserRepository(uow.conn).list(domain.parse_role(role) if role else None)

    async def ensure_user(self, email: str, password: str, full_name: str, role: Role) -> bool:
        """Create the account unless the e-mail exists (idempotent seeding); True if created."""
        try:
            await self._create(email, password, full_name, role)
            return True
        except AlreadyExists:
            return False
