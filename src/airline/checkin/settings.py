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
    # The load sheet: standard passenger masses (kg, EASA-like), the share of bag weight put in
    # the forward hold, and per aircraft type (forward hold, aft hold, maximum payload) in kg.
    # JSON in the environment, e.g. AIRLINE_CHECKIN_HOLD_LIMITS='{"A320-200": [3402, 6033, 19900]}'.
    adult_kg: int = Field(default=84, ge=0, le=200)
    child_kg: int = Field(default=35, ge=0, le=200)
    infant_kg: int = Field(default=0, ge=0, le=50)
    forward_hold_share: float = Field(default=0.4, ge=0, le=1)
    hold_limits: dict[str, tuple[int, int, int]] = Field(
        default_factory=lambda: {"A320-200": (3402, 6033, 19900), "A321neo": (5670, 7167, 25500)}
    )
