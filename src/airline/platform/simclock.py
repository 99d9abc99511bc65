"""The simulation clock: a request that says what time it is, for `airline simulate`.

An operating week cannot be watched at the speed of the wall clock: check-in opens 24 h before
a departure, the gate closes 15 min before it, a flight may only be reported departed once its
time has come. `airline simulate --scene week` therefore plays each step of each flight at the
time it would happen, by sending the `X-Airline-Sim-Time` header (an ISO 8601 instant with its
offset) with the requests of that step. Like the staff's reason (platform/reason.py) the time
travels with the request: the gateway puts it in `sim_now`, the gRPC client interceptor forwards
it as the metadata `x-airline-sim-time`, the server interceptor puts it back on the callee's
side, and `now()` (which `platform.db.utcnow` is) answers it instead of the wall clock for the
rest of that request. Nothing else moves: consumers, periodic jobs, token expiry and Redis TTLs
keep the real time, so the simulation books in real time and then plays the day of departure.

It is a test and demo facility. `AIRLINE_SIM_CLOCK` switches it on (the local embedded platform
has it on unless told otherwise); a production platform refuses to start with it on. The switch
is each gateway app's and each gRPC server's own (given at creation, never process-wide): with
it off the gateway refuses the header (422 `sim_clock_off`) and a server ignores the metadata.
"""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime, timedelta

from airline.platform.errors import ValidationFailed

HEADER = "X-Airline-Sim-Time"
METADATA_KEY = "x-airline-sim-time"
OFF = "sim_clock_off"  # the refusal's error code when the clock is switched off
INVALID = "sim_time_invalid"
# how far from the wall clock a simulated instant may lie: a year either way covers any schedule
# a simulation plays and keeps timestamps sane
MAX_SKEW = timedelta(days=400)

sim_now: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("sim_now", default=None)


def now() -> datetime:
    """The request's simulated instant when it has one, else the wall clock (UTC)."""
    simulated = sim_now.get()
    return simulated if simulated is not None else datetime.now(UTC)


def parse(raw: str) -> datetime:
    """The header's instant (aware, UTC); ValidationFailed for anything else."""
    try:
        at = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(
            f"{HEADER} must be an ISO 8601 instant with its offset, e.g. 2026-12-07T08:00:00Z",
            code=INVALID,
            field=HEADER,
        ) from None
    if at.tzinfo is None:
        raise ValidationFailed(f"{HEADER} must carry its UTC offset", code=INVALID, field=HEADER)
    at = at.astimezone(UTC)
    if abs(at - datetime.now(UTC)) > MAX_SKEW:
        raise ValidationFailed(f"{HEADER} lies more than {MAX_SKEW.days} days from now", code=INVALID, field=HEADER)
    return at


def to_metadata(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def from_metadata(value: str | None, enabled: bool) -> datetime | None:
    """The caller's simulated instant, when the server has the clock on and it is well formed."""
    if not value or not enabled:
        return None
    try:
        return parse(value)
    except ValidationFailed:
        return None  # a service trusts no caller's shape; a malformed instant counts as none
