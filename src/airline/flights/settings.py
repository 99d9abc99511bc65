from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from airline.platform.date_window import MAX_DAYS_AHEAD
from airline.platform.flight_status import SALES_CLOSE_MINUTES
from airline.platform.settings import ServiceSettings


class FlightsSettings(ServiceSettings):
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
    # Sales close this long before the expected departure (with check-in): search stops offering
    # the flight and its offers can no longer be booked.
    sales_close_minutes: float = SALES_CLOSE_MINUTES
    # How far ahead a flight may be created (days).
    max_days_ahead: int = MAX_DAYS_AHEAD
    # How often the load factor, revenue and bookings gauges are recomputed (seconds).
    revenue_metrics_interval_seconds: float = 60.0
