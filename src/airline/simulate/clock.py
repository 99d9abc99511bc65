"""The simulation's clock: the requests of a block say what time it is (`X-Airline-Sim-Time`,
platform/simclock.py), so the day of departure can be played days ahead of it, step by step:
check-in two hours before, the gate closing, the door, "departed" at the scheduled time.

The header goes on the simulation's own HTTP client for the block's duration; blocks nest (the
inner instant wins, the outer one comes back). A platform on the wall clock refuses the header
(422 `sim_clock_off`); `available` asks once, with a harmless read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx

from airline.platform.simclock import HEADER, OFF

# the door closes this long before departure, after the gate (which closes 15 min before it)
DOOR_BEFORE_DEPARTURE = timedelta(minutes=5)


class SimClock:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    @asynccontextmanager
    async def at(self, instant: datetime) -> AsyncIterator[None]:
        """For the block, every request of the client plays at `instant`."""
        before = self.client.headers.get(HEADER)
        self.client.headers[HEADER] = instant.astimezone(UTC).isoformat()
        try:
            yield
        finally:
            if before is None:
                del self.client.headers[HEADER]
            else:
                self.client.headers[HEADER] = before

    def gate_closed(self, departure: datetime) -> AbstractAsyncContextManager[None]:
        """The day scene's GateClock: the block plays just before the door closes."""
        return self.at(departure - DOOR_BEFORE_DEPARTURE)

    async def available(self, probe: str = "/api/v1/airports") -> bool:
        """Does the platform take the header? (a read it refuses with `sim_clock_off` when not)"""
        r = await self.client.get(probe, headers={HEADER: datetime.now(UTC).isoformat()})
        if r.status_code == 422 and r.headers.get("content-type", "").endswith("json"):
            return r.json().get("code") != OFF
        return r.status_code < 500
