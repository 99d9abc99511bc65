"""Flight use cases, one module per flow: creation and recovery (`creation.py`), the
lifecycle and disruptions (`status_changes.py`); here the service that gathers them, with the
overbooking policy, staff announcements and the reads. The topics and event types are in
the event catalogue (`airline.contracts.events.flights`).
"""

from __future__ import annotations

from datetime import datetime

from airline.flights import domain
from airline.flights.creation import Created, FlightCreation  # noqa: F401  (Created re-exported)
from airline.flights.domain import Flight
from airline.flights.domain.flight import show_up_rate_bp
from airline.flights.events import Announcement, announcement_from_row
from airline.flights.service_base import parse_flight_id
from airline.flights.status_changes import FlightStatusChanges
from airline.flights.store import FlightRepository
from airline.platform.errors import NotFound, ValidationFailed

MAX_LIST = 1000
DEFAULT_LIST = 200


class FlightService(FlightCreation, FlightStatusChanges):
    """Every flight use case, as the gRPC API and the composition root know them."""

    async def set_overbooking(self, flight_id: str, cabin: str, percent: int, show_up_bp: int = 0) -> Flight:
        """Ops' policy for one cabin: sell up to capacity * (100 + percent) / 100 seats, or, with
        a show-up rate r, capacity + floor(capacity * (1/r - 1)) capped at 20 % of the seats
        (domain.overbooking_allowance). The seat map still seats one passenger per seat;
        lowering it below what is sold sells nothing more and takes nothing back."""
        cls = domain.cabin_class(cabin)
        pct = domain.overbooking_percent(percent)
        show_up = show_up_rate_bp(show_up_bp)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            if current.cabin(cls) is None:
                raise NotFound(f"flight {current.number} has no {cls.value} cabin", field="cabin_class")
            await repo.set_overbooking(current.id, cls, pct, show_up)
            saved = await repo.get(current.id)
            await uow.commit()
        assert saved is not None
        return saved

    async def make_announcement(self, flight_id: str, kind: str, text: str) -> Announcement:
        """A call staff make in the waiting hall: same table, same event as the automatic ones,
        so every board and stream shows it."""
        wanted = domain.staff_announcement_kind(kind)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            flight = await self._locked(repo, flight_id)
            a = await self._announce(uow, repo, flight, wanted, domain.staff_announcement(flight, wanted, text))
            await uow.commit()
        return a

    # ------------------------------------------------------------ reads

    async def get(self, flight_id: str) -> Flight:
        async with self.db.reading() as conn:  # two reads, no transaction: nothing is decided on them here
            flight = await FlightRepository(conn).get(parse_flight_id(flight_id))
        if flight is None:
            raise NotFound(f"no flight {flight_id}", field="id")
        return flight

    async def list(
        self, airport: str, direction: str, start: datetime | None, end: datetime | None, number: str, limit: int
    ) -> list[Flight]:
        code = domain.airport_code(airport, "airport") if airport.strip() else None
        wanted = direction.strip().lower() or "departures"
        if wanted not in ("departures", "arrivals"):
            raise ValidationFailed(f"direction must be departures or arrivals, got {direction!r}", field="direction")
        num = domain.flight_number(number) if number.strip() else None
        if code is None and num is None:
            raise ValidationFailed("give an airport or a flight number", field="airport")
        if start is not None and end is not None and end <= start:
            raise ValidationFailed("`to` must be after `from`", field="to")
        if limit < 0 or limit > MAX_LIST:
            raise ValidationFailed(f"limit must be 1 to {MAX_LIST}", field="limit")
        async with self.db.uow() as uow:
            return await FlightRepository(uow.conn).list(
                airport=code,
                arrivals=wanted == "arrivals",
                start=start,
                end=end,
                number=num,
                limit=limit or DEFAULT_LIST,
            )

    async def announcements(
        self, airport: str, flight_id: str, since: datetime | None, limit: int
    ) -> list[Announcement]:
        code = domain.airport_code(airport, "airport") if airport.strip() else None
        fid = parse_flight_id(flight_id) if flight_id.strip() else None
        if code is None and fid is None:
            raise ValidationFailed("give an airport or a flight_id", field="airport")
        if limit < 0 or limit > MAX_LIST:
            raise ValidationFailed(f"limit must be 1 to {MAX_LIST}", field="limit")
        async with self.db.uow() as uow:
            rows = await FlightRepository(uow.conn).announcements(code, fid, since, limit or DEFAULT_LIST)
        return [announcement_from_row(r) for r in rows]
