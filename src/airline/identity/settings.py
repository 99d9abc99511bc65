from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from airline.platform.secret_files import SecretFiles


class IdentitySettings(SecretFiles, BaseSettings):  # the admin password may arrive as a file
    model_config = SettingsConfigDict(env_prefix="AIRLINE_IDENTITY_", extra="ignore")

    # The first admin, created at start when no admin exists. Outside local mode the
    # password must be given; locally a development password is used (printed by `airline up`).
    admin_email: str = "admin@airline.local"
    admin_password: SecretStr | None = None
    min_password_length: int = 10
