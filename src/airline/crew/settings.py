from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from airline.crew.domain import LegalityRules
from airline.platform.settings import ServiceSettings


class CrewSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLINE_CREW_", extra="ignore")

    # Legality (defaults after EASA FTL / FAA Part 117).
    max_fdp_hours: float = 13
    min_rest_home_hours: float = 12
    min_rest_away_hours: float = 10
    max_duty_7d: float = 60
    max_flight_28d: float = 100
    # A duty runs from report (departure minus this) to release (arrival plus this).
    report_minutes: int = 60
    release_minutes: int = 30
    # Cabin complement: one flight attendant per this many seats (plus captain, first officer, purser).
    attendant_per_seats: int = 50
    # Crews are proposed automatically for flights departing within this horizon.
    auto_propose_horizon_hours: float = 72
    auto_propose_interval_seconds: float = 30.0

    def rules(self) -> LegalityRules:
        return LegalityRules(
            max_fdp_hours=self.max_fdp_hours,
            min_rest_home_hours=self.min_rest_home_hours,
            min_rest_away_hours=self.min_rest_away_hours,
            max_duty_7d_hours=self.max_duty_7d,
            max_flight_28d_hours=self.max_flight_28d,
            report_minutes=self.report_minutes,
            release_minutes=self.release_minutes,
            attendant_per_seats=self.attendant_per_seats,
        )
