"""The `X-Airline-Sim-Time` header: the instant a simulation's request plays (platform/simclock.py).

The middleware reads it with the staff's reason: when the platform runs with the simulation
clock on, a well-formed instant goes into `sim_now` and from there, with every gRPC call of the
request, to the services; a malformed one is refused (422 `sim_time_invalid`), and so is any
instant when the clock is off (422 `sim_clock_off`), so a simulation never believes it moved a
production platform's clock.
"""

from __future__ import annotations

from datetime import datetime

from starlette.responses import Response
from starlette.types import Scope

from airline.gateway.problems import problem_response
from airline.platform import simclock
from airline.platform.errors import ValidationFailed

_RAW_HEADER = simclock.HEADER.lower().encode()


def read_sim_time(scope: Scope, enabled: bool) -> tuple[datetime | None, Response | None]:
    """The request's simulated instant (None for none), or the 422 problem refusing it."""
    raw = next((v for k, v in scope.get("headers", ()) if k == _RAW_HEADER), None)
    if raw is None:
        return None, None
    instance = scope.get("path", "")
    if not enabled:
        return None, problem_response(
            422,
            f"this platform runs on the wall clock: {simclock.HEADER} is accepted only with AIRLINE_SIM_CLOCK on",
            instance=instance,
            code=simclock.OFF,
        )
    try:
        return simclock.parse(raw.decode("latin-1")), None
    except ValidationFailed as e:
        return None, problem_response(422, e.message, instance=instance, code=e.code)
