from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from airline.platform.settings import ServiceSettings


class CheckinSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_CHECKIN_", extra="ignore")

    # The window, relative to the flight's current departure (estimated when delayed).
    opens_hours: float = Field(default=24, gt=0)
    closes_minutes: float = Field(default=60, ge=0)
    # The counter may close later (or earlier) than online check-in.
    counter_closes_minutes: float = Field(default=60, ge=0)
    # Gate close: after it, passengers who did not board are no-shows.
    gate_closes_minutes: float = Field(default=15, ge=0)
    # A code stays usable this long after its last flight's scheduled departure (delays).
    code_grace_hours: float = Field(default=24, ge=0)
    # Operating carrier written on boarding passes when a flight number has no 2-character prefix.
    carrier: str = Field(default="XA", pattern=r"^[A-Z0-9]{2,3}$")
    # Key of the HMAC stored instead of each code. Unset: derived from the JWT secret, which
    # is itself required outside local mode, so no default secret exists in production.
    code_secret: SecretStr | None = None
    call_timeout_seconds: float = Field(default=5.0, gt=0)
