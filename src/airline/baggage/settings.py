from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from airline.platform.settings import ServiceSettings


class BaggageSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_BAGGAGE_", extra="ignore")

    # The airline's 3-digit IATA accounting code: the booking service's e-ticket prefix, so a
    # bag tag and a ticket of the same airline start alike.
    airline_code: str = Field(default="738", pattern=r"^[0-9]{3}$")
    # Excess at the desk, in minor units of the booking's currency. Piece and kilo prices are
    # the booking service's defaults (AIRLINE_BOOKING_EXTRA_BAG_PRICE, ..._OVERWEIGHT_PRICE_PER_KG):
    # the desk charges what the same excess costs online.
    extra_piece_price: int = Field(default=4500, ge=0)
    overweight_price_per_kg: int = Field(default=1000, ge=0)
    # A piece whose length + width + height is over 158 cm.
    oversize_price: int = Field(default=6000, ge=0)
    call_timeout_seconds: float = Field(default=10.0, gt=0)
    # A bag drop's Idempotency-Key is kept this long (a retry within it replays the first drop).
    idempotency_retention_hours: float = Field(default=48.0, gt=0)
    cleanup_interval_seconds: float = Field(default=3600.0, gt=0)
