from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class FlightsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_FLIGHTS_", extra="ignore")

    # The plane's minimum time on the ground after a flight before it may fly again.
    turnaround_minutes: int = 45
    # The gate is taken from boarding start (departure minus this) until departure.
    boarding_minutes: int = 40
    # How long a search offer's price holds.
    offer_ttl_seconds: int = 1800
    # A flight still `pending` after this long belongs to a creation that died half-way.
    pending_timeout_seconds: int = 60
    recovery_interval_seconds: float = 30.0
