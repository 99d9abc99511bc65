"""An aircraft swap on this service's copy of a flight (issue 14, item 4).

On FlightPlaneChanged the flight's seats are reloaded from the new plane's layout once (the
flight version whose plane they come from is kept: the same event twice, or an older swap
arriving late, changes nothing). The rules of who sits where are `seat_remap`: a passenger
keeps the same seat number where the new plane has it in their cabin, the others are reseated
by the seat rules, their party together; a party with no room waits in `displaced_passengers`
and is reseated when seats free up on the flight (SeatsReleased, typically as the
re-accommodation moves the bookings that no longer fit). Each change is told as SeatsReleased
and SeatsAssigned (reason `aircraft_swap`) in the same transaction, and to live seat maps.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from redis.exceptions import RedisError

from airline.contracts.events import flights as flight_events
from airline.contracts.events import reservation as reservation_events
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope
from airline.reservation import domain, seat_remap
from airline.reservation.domain import Assignment
from airline.reservation.flight_source import FlightFacts
from airline.reservation.service_base import ReservationServiceBase, redis_lost
from airline.reservation.store import ReservationRepository

log = logging.getLogger(__name__)

SWAP = "aircraft_swap"


class PlaneChanges(ReservationServiceBase):
    """The aircraft-swap handlers of ReservationService."""

    async def on_plane_changed(self, uow: UnitOfWork, envelope: Envelope) -> None:
        event = flight_events.FLIGHT_PLANE_CHANGED.parse(envelope)
        f = FlightFacts.of_event(event.flight.model_dump())
        layout = await self.source.layout(f.plane_id)
        seats = {s.seat: s for s in domain.flight_seats(layout)}
        repo = ReservationRepository(uow.conn)
        await repo.save_status(f.flight_id, f.number, f.status, f.departure, f.version)
        row = await repo.lock_flight(f.flight_id)
        self._forget_after(uow, f.flight_id)
        if row is None or not row.seats_loaded:
            # never loaded here: its seats come from the new plane straight away
            await self.load_flight(uow, f)
            await repo.set_plane(f.flight_id, f.plane_id, f.version)
            return
        if row.plane_version is not None and row.plane_version >= f.version:
            return  # this swap (or a later one) is applied already
        held = await self._held(f.flight_id, list(seats))
        current = await repo.list(f.flight_id, None)
        result = seat_remap.remap(current, await repo.displaced_of(f.flight_id), seats, held)
        kept = {a.passenger_ref for a in result.kept}
        await repo.remove_passengers(f.flight_id, [a.passenger_ref for a in current if a.passenger_ref not in kept])
        await repo.remove_displaced(f.flight_id)
        await repo.replace_seats(f.flight_id, list(seats.values()))
        assigned = await repo.add_assignments([after for _, after in result.moved]) if result.moved else []
        await repo.add_displaced(result.displaced)
        await repo.set_plane(f.flight_id, f.plane_id, f.version)
        vacated = {a.seat for a in current if a.passenger_ref not in kept} - {a.seat for a in assigned}
        await self._tell(uow, f.flight_id, current, vacated, assigned, f.version)
        if result.displaced:
            log.info(
                "reservation: aircraft swap of flight %s left %d passengers without a seat for now",
                f.flight_id,
                len(result.displaced),
            )

    async def on_seats_released(self, uow: UnitOfWork, envelope: Envelope) -> None:
        """Seats freed on a flight: the passengers an aircraft swap displaced there take them."""
        flight_id = reservation_events.SEATS_RELEASED.parse(envelope).flight_id
        await self.reseat_displaced(uow, flight_id)

    async def reseat_displaced(self, uow: UnitOfWork, flight_id: str) -> list[Assignment]:
        repo = ReservationRepository(uow.conn)
        row = await repo.lock_flight(flight_id)
        if row is None:
            return []
        waiting = await repo.displaced_of(flight_id)
        if not waiting:
            return []
        seats = {s.seat: s for s in await repo.seats(flight_id)}
        unavailable = await repo.taken(flight_id) | await self._held(flight_id, list(seats))
        moved, _ = seat_remap.reseat(waiting, seats, unavailable)
        if not moved:
            return []
        await repo.remove_displaced(flight_id, [before.passenger_ref for before, _ in moved])
        assigned = await repo.add_assignments([after for _, after in moved])
        await self._tell(uow, flight_id, [], set(), assigned, int(row.plane_version or 0))
        self._forget_after(uow, flight_id)
        return assigned

    async def _held(self, flight_id: str, labels: list[str]) -> set[str]:
        try:
            return set(await self.holds.holders(flight_id, labels))
        except RedisError as e:
            redis_lost("aircraft_swap", e)
            return set()

    async def _tell(
        self,
        uow: UnitOfWork,
        flight_id: str,
        before: Sequence[Assignment],
        vacated: set[str],
        assigned: Sequence[Assignment],
        sequence: int,
    ) -> None:
        """SeatsReleased and SeatsAssigned per booking (reason aircraft_swap), then the live maps."""
        released: dict[str, list[str]] = {}
        for a in before:
            if a.seat in vacated:
                released.setdefault(a.booking_ref, []).append(a.seat)
        for booking_ref, labels in sorted(released.items()):
            await uow.emit_event(
                reservation_events.SEATS_RELEASED,
                flight_id,
                {
                    "flight_id": flight_id,
                    "booking_ref": booking_ref,
                    "seats": sorted(labels, key=domain.seat_order),
                    "reason": SWAP,
                },
            )
        by_booking: dict[str, list[Assignment]] = {}
        for a in assigned:
            by_booking.setdefault(a.booking_ref, []).append(a)
        for booking_ref, rows in sorted(by_booking.items()):
            await uow.emit_event(
                reservation_events.SEATS_ASSIGNED,
                flight_id,
                {
                    "flight_id": flight_id,
                    "booking_ref": booking_ref,
                    "hold_id": None,
                    "assignments": [a.to_dict() for a in rows],
                    "reason": SWAP,
                    "sequence": sequence,
                },
            )
        freed = sorted(vacated, key=domain.seat_order)
        given = [a.seat for a in assigned]

        def publish() -> None:
            self._publish_later(flight_id, "SeatsReleased", freed, reason=SWAP)
            self._publish_later(flight_id, "SeatsAssigned", given, reason=SWAP)

        uow.after_commit(publish)

    def _forget_after(self, uow: UnitOfWork, flight_id: str) -> None:
        def forget() -> None:
            self.forget_flight(flight_id)
            self._seats.pop(flight_id, None)

        forget()
        uow.after_commit(forget)
