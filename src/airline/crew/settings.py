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
    # Duty periods and pairings (see legality.py): the FDP table by report time at the base,
    # local, as "HH:MM=hours" from that minute on; minus this per sector beyond two.
    fdp_table: str = "00:00=11,05:00=12,05:30=12.5,06:00=13,13:30=12.5,15:00=12,16:00=11.5,17:00=11"
    fdp_sector_reduction_minutes: int = 30
    min_fdp_hours: float = 9
    # The base's offset from UTC: the clock of the FDP table and of duty days.
    base_utc_offset_hours: float = 8
    # Sectors with less ground time than this between them are one duty period; and at least
    # this long between two of them.
    duty_break_hours: float = 10
    min_connection_minutes: int = 30
    # A day off (a local day without duty) after at most this many duty days in a row.
    max_consecutive_duty_days: int = 6
    # Roster generation: sectors per duty period, and the longest layover in a pairing.
    max_layover_hours: float = 36
    max_sectors: int = 4
    # Roster generation: the HiGHS time limit per role (the best roster found by then is used).
    solver_time_limit_seconds: float = 15.0
    # Crews are proposed automatically for flights departing within this horizon.
    # (8 days: the seed's week), by the job: every interval it solves all the flights of the
    # horizon that have no crew yet at once. A flight scheduled to depart within
    # propose_on_schedule_hours is crewed as soon as crew hears of it (with the uncrewed flights
    # it may share a duty period with).
    auto_propose_horizon_hours: float = 192
    propose_on_schedule_hours: float = 48
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
            fdp_table=parse_fdp_table(self.fdp_table),
            fdp_sector_reduction_minutes=self.fdp_sector_reduction_minutes,
            min_fdp_hours=self.min_fdp_hours,
            base_utc_offset_hours=self.base_utc_offset_hours,
            duty_break_hours=self.duty_break_hours,
            min_connection_minutes=self.min_connection_minutes,
            max_consecutive_duty_days=self.max_consecutive_duty_days,
            max_sectors=self.max_sectors,
            max_layover_hours=self.max_layover_hours,
        )


def parse_fdp_table(text: str) -> tuple[tuple[int, float], ...]:
    """ "06:00=13,17:00=11" -> ((360, 13.0), (1020, 11.0))"""
    out = []
    for part in text.split(","):
        if not part.strip():
            continue
        at, _, limit = part.partition("=")
        hh, _, mm = at.strip().partition(":")
        out.append((int(hh) * 60 + int(mm or 0), float(limit)))
    if not out:
        raise ValueError("the FDP table needs at least one HH:MM=hours entry")
    return tuple(sorted(out))
