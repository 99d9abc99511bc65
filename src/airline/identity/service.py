"""Identity use cases; each runs in one unit of work."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from airline.contracts.events import identity as identity_events
from airline.identity import domain
from airline.identity.domain import User
from airline.identity.settings import IdentitySettings
from airline.identity.store import RefreshTokenRepository, UserRepository
from airline.identity.tokens import KeyRing
from airline.platform.auth import Principal, Role
from airline.platform.db import ServiceDatabase, UnitOfWork
from airline.platform.errors import AlreadyExists, NotFound, Unauthenticated
from airline.platform.service_auth import SYSTEM_TOKEN_TTL_SECONDS, derive_service_secret
from airline.platform.settings import SERVICES


@dataclass(frozen=True)
class Session:
    """What a sign-in or a refresh hands out: a short-lived access token and the refresh token
    (opaque, shown once: identity keeps only its hash) that gets the next one."""

    access_token: str
    refresh_token: str
    user: User


def _now() -> datetime:
    # the wall clock, never a simulation's: a session's lifetime is real time
    return datetime.now(UTC)


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class IdentityService:
    def __init__(
        self, db: ServiceDatabase, keys: KeyRing, settings: IdentitySettings, service_master: str = ""
    ) -> None:
        self.db = db
        self.keys = keys
        self.settings = settings
        self._service_master = service_master
        # argon2 takes ~64 MiB per hash: a bounded number at once keeps a sign-up or login
        # flood within identity's memory budget (the rest wait their turn, off the event loop)
        self._hashing = asyncio.Semaphore(settings.hash_concurrency)

    async def _hash(self, password: str) -> str:
        async with self._hashing:
            return await asyncio.to_thread(domain.hash_password, password)

    async def _matches(self, password_hash: str, password: str) -> bool:
        async with self._hashing:
            return await asyncio.to_thread(domain.password_matches, password_hash, password)

    async def sign_up(self, email: str, password: str, full_name: str) -> User:
        return await self._create(email, password, full_name, Role.PASSENGER)

    async def create_user(self, email: str, password: str, full_name: str, role: str) -> User:
        return await self._create(email, password, full_name, domain.parse_role(role))

    async def _create(self, email: str, password: str, full_name: str, role: Role) -> User:
        email = domain.normalize_email(email)
        full_name = domain.check_full_name(full_name)
        domain.check_password(password, self.settings.min_password_length)
        password_hash = await self._hash(password)
        async with self.db.uow() as uow:
            user = await UserRepository(uow.conn).add(email, full_name, role, password_hash)
            if user is None:
                raise AlreadyExists("an account with this e-mail already exists", field="email")
            await uow.emit_event(
                identity_events.USER_REGISTERED,
                key=user.id,
                payload={"user_id": user.id, "email": user.email, "role": user.role.value},
            )
            await uow.commit()
        return user

    async def login(self, email: str, password: str) -> Session:
        try:
            email = domain.normalize_email(email)
        except Exception:
            raise Unauthenticated("wrong e-mail or password") from None
        async with self.db.uow() as uow:
            user = await UserRepository(uow.conn).by_email(email)
        ok = await self._matches(user.password_hash if user else domain.DUMMY_HASH, password)
        if user is None or not ok:
            raise Unauthenticated("wrong e-mail or password")
        async with self.db.uow() as uow:
            refresh = await self._new_refresh(uow, user.id, str(uuid.uuid4()))
            await uow.commit()
        return Session(self.keys.issue(user.id, user.role, user.email), refresh, user)

    async def _new_refresh(self, uow: UnitOfWork, user_id: str, family_id: str) -> str:
        token = secrets.token_urlsafe(32)
        expires = _now() + timedelta(seconds=self.settings.refresh_ttl_seconds)
        await RefreshTokenRepository(uow.conn).add(refresh_hash(token), user_id, family_id, expires)
        return token

    async def refresh(self, token: str) -> Session:
        """Rotate: the token is used up and a new one of the same family is issued. A token used
        a second time means two holders (a stolen copy): its whole family is revoked, so the
        thief and the owner both have to sign in again."""
        refused = Unauthenticated("the session has ended; please sign in again")
        if not token:
            raise refused
        async with self.db.uow() as uow:
            repo = RefreshTokenRepository(uow.conn)
            row = await repo.locked(refresh_hash(token))
            if row is None or row.revoked or row.expires_at <= _now():
                raise refused
            if row.used:
                await repo.revoke_family(row.family_id)
                await uow.commit()
                raise refused
            user = await UserRepository(uow.conn).by_id(row.user_id)
            if user is None:
                raise refused
            await repo.mark_used(row.token_hash)
            new = await self._new_refresh(uow, user.id, row.family_id)
            await uow.commit()
        return Session(self.keys.issue(user.id, user.role, user.email), new, user)

    async def end_session(self, token: str) -> None:
        """Sign out: the token's family is revoked (an unknown token is already signed out)."""
        if not token:
            return
        async with self.db.uow() as uow:
            repo = RefreshTokenRepository(uow.conn)
            row = await repo.locked(refresh_hash(token))
            if row is not None:
                await repo.revoke_family(row.family_id)
            await repo.purge_expired(_now() - timedelta(days=1))
            await uow.commit()

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

    def issue_service_token(self, service: str, secret: str) -> str:
        """A `system` token for a platform service that proved itself with its own secret."""
        if not self._service_master or service not in SERVICES or service == "identity":
            raise Unauthenticated("unknown service or wrong service secret")
        expected = derive_service_secret(self._service_master, service)
        if not hmac.compare_digest(expected.encode(), secret.encode()):
            raise Unauthenticated("unknown service or wrong service secret")
        return self.keys.issue(service, Role.SYSTEM, ttl_seconds=SYSTEM_TOKEN_TTL_SECONDS)

    async def demo_accounts_present(self, emails: list[str]) -> list[str]:
        async with self.db.uow() as uow:
            repo = UserRepository(uow.conn)
            return [e for e in emails if await repo.by_email(e) is not None]
