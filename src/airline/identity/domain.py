"""Users and their credentials: pure rules, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from airline.platform.auth import Role
from airline.platform.errors import ValidationFailed

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class User:
    id: str
    email: str
    full_name: str
    role: Role
    password_hash: str
    created_at: datetime


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise ValidationFailed("email must be a valid e-mail address", field="email")
    return email


def check_full_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 120:
        raise ValidationFailed("full_name must be 1 to 120 characters", field="full_name")
    return name


def check_password(password: str, min_length: int) -> None:
    if len(password) < min_length:
        raise ValidationFailed(f"password must be at least {min_length} characters", field="password")
    if len(password) > 1024:
        raise ValidationFailed("password must be at most 1024 characters", field="password")


def parse_role(value: str) -> Role:
    try:
        role = Role(value)
    except ValueError:
        raise ValidationFailed(
            f"unknown role {value!r}; one of: {', '.join(r.value for r in Role if r is not Role.SYSTEM)}", field="role"
        ) from None
    if role is Role.SYSTEM:
        raise ValidationFailed("the system role is for services, not users", field="role")
    return role


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verifying against this when the e-mail is unknown keeps login time the same either way,
# so response times do not reveal which e-mails have accounts.
DUMMY_HASH = hash_password("not-a-real-password-for-timing")
