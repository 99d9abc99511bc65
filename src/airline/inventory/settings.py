from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from airline.platform.settings import ServiceSettings


class InventorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_INVENTORY_", extra="ignore")

    # Spare units per plan line, in percent of the booked demand (rounded up).
    buffer_percent: int = Field(default=5, ge=0, le=100)
    # A standard meal line (normal, vip) always carries at least this many spares.
    min_meal_buffer: int = Field(default=1, ge=0, le=50)
