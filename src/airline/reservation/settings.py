from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from airline.platform.flight_status import SALES_CLOSE_MINUTES
from airline.platform.settings import ServiceSettings


class ReservationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_RESERVATION_", extra="ignore")

    # How long a passenger may think with seats held (a request may ask for less, never more).
    hold_ttl_seconds: int = Field(default=600, ge=1)
    # How far past its creation a hold may be extended, in all.
    max_hold_extension_seconds: int = Field(default=3600, ge=1)
    # After a hold expires, its record stays this long so that a payment captured just too late
    # can still confirm seats nobody else took (PostgreSQL decides).
    confirm_grace_seconds: int = Field(default=300, ge=0)
    # How often expired holds are looked for, to tell live seat maps their seats are free.
    sweep_interval_seconds: float = Field(default=0.25, gt=0)
    # Seats one account (a user, or a guest's client address) may hold on one flight at once;
    # the size of one booking by default. Load tests and call centres raise it; 0 = no limit.
    max_seats_per_account: int = Field(default=9, ge=0)
    # Sales (holds, extensions, confirmations) close this long before the expected departure.
    sales_close_minutes: float = Field(default=SALES_CLOSE_MINUTES, ge=0)
