"""A flight's life after creation: boarding, departure and arrival as staff report them, gate
changes, delays (which move the plane's commitment), cancellations and diversions. Each
change, its announcement and its event commit together."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from airline.contracts.events import EventType
from airline.contracts.events import flights as flight_events
from airline.flights import domain
from airline.flights.baggage_client import BaggagePort
from airline.flights.domain import AnnouncementKind, Flight, FlightStatus
from airline.flights.service_base import FlightServiceBase, parse_flight_id, required_time
from airline.flights.store import GATE_TAKEN, FlightRepository
from airline.platform.db import utcnow, violated_constraint
from airline.platform.errors import Conflict, DomainError, Unavailable, ValidationFailed

log = logging.getLogger(__name__)

_PROGRESS_EVENT: dict[FlightStatus, EventType[Any]] = {
    FlightStatus.BOARDING: flight_events.FLIGHT_BOARDING,
    FlightStatus.DEPARTED: flight_events.FLIGHT_DEPARTED,
    FlightStatus.ARRIVED: flight_events.FLIGHT_ARRIVED,
}
# How far ahead of now a reported boarding/departure/arrival time may lie (clock skew, typing).
MAX_REPORT_AHEAD = timedelta(minutes=15)


class FlightStatusChanges(FlightServiceBase):
    """The lifecycle and the disruptions of existing flights."""

    async def update_status(
        self, flight_id: str, status: str, at: datetime | None, override_reason: str = ""
    ) -> Flight:
        target = domain.progress_status(status)
        now = utcnow()
        when = domain.aware(at, "at") if at is not None else now
        if when > now + MAX_REPORT_AHEAD:
            raise ValidationFailed("at must not lie in the future", field="at")
        override = domain.reason(override_reason, required=False) if override_reason.strip() else ""
        if target is FlightStatus.DEPARTED:
            await self._bags_reconciled(flight_id, override)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            changed = domain.apply_progress(current, target, when)
            extra: dict[str, Any] = {}
            if target is FlightStatus.DEPARTED and override:
                changed = replace(changed, status_reason=f"departed on ops override: {override}")
                extra["override_reason"] = override
            saved = await repo.save(changed)
            if target is FlightStatus.BOARDING:
                await self._announce(uow, repo, saved, AnnouncementKind.BOARDING, domain.announce_boarding(saved))
            if target is FlightStatus.ARRIVED and saved.diverted_to:
                extra["arrived_at_airport"] = saved.diverted_to
            await self._emit(uow, _PROGRESS_EVENT[target], saved, current.status, at=when.isoformat(), **extra)
            await uow.commit()
        return saved

    async def _bags_reconciled(self, flight_id: str, override: str) -> None:
        """A bag never flies without its passenger: "departed" waits until the door has closed
        when bags are in the hold (door close offloads who did not board and flags their bags),
        then until every bag of a passenger offloaded is out of the hold, or ops overrides with a
        reason. Baggage not answering refuses too (503), unless overridden."""
        baggage: BaggagePort | None = getattr(self, "baggage", None)
        if baggage is None or override:
            return
        try:
            r = await baggage.reconciliation(parse_flight_id(flight_id))
        except Unavailable:
            raise Unavailable(
                "the baggage service cannot say whether an offloaded passenger's bag is still loaded; "
                "retry, or depart with an override reason",
                code="bags_unknown",
            ) from None
        if r.still_loaded:
            raise Conflict(
                f"{len(r.still_loaded)} bag(s) of passengers offloaded at door close are still loaded "
                f"({', '.join(r.still_loaded)}): unload them, or depart with an override reason",
                code="offloaded_bags_loaded",
                tags=r.still_loaded,
            )
        if r.loaded_bags and not r.door_closed:
            raise Conflict(
                f"{r.loaded_bags} bag(s) are loaded and the door has not closed, so nobody knows whose "
                "passenger did not board: close the door (POST /flights/{id}/departure/close-door), "
                "or depart with an override reason",
                code="door_not_closed",
            )

    async def change_gate(self, flight_id: str, gate: str, why: str) -> Flight:
        gate = domain.gate_code(gate)
        why = domain.reason(why, required=False)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            changed = domain.apply_gate_change(current, gate)
            if gate == current.gate:
                return current
            status = (await self.airport.gates(current.origin)).get(gate)
            if status is None:
                raise ValidationFailed(f"gate {gate} is not a gate of {current.origin}", field="gate")
            if status != "open":
                raise Conflict(f"gate {gate} at {current.origin} is {status}, not open", field="gate")
            problems = await self._gate_conflicts(repo, [changed], exclude=[current.id])
            if problems:
                raise Conflict("; ".join(problems), field="gate", conflicts=problems)
            try:
                saved = await repo.save(changed)
            except IntegrityError as e:
                if violated_constraint(e) == GATE_TAKEN:
                    raise Conflict(f"gate {gate} was just taken by another flight", field="gate") from None
                raise
            await self._announce(
                uow, repo, saved, AnnouncementKind.GATE_CHANGE, domain.announce_gate_change(saved, current.gate, why)
            )
            await self._emit(
                uow, flight_events.FLIGHT_GATE_CHANGED, saved, current.status, previous_gate=current.gate, reason=why
            )
            await uow.commit()
        return saved

    async def delay(
        self, flight_id: str, new_departure: datetime | None, new_arrival: datetime | None, code: str, why: str
    ) -> Flight:
        new_departure = required_time(new_departure, "new_departure")
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            plan = domain.plan_delay(current, new_departure, new_arrival, code, why)
            changed = domain.apply_delay(current, plan, self.boarding)
            problems = await self._gate_conflicts(repo, [changed], exclude=[current.id])
            if problems:
                others = ", ".join(sorted({p.split(" is taken by ")[1].split(" ")[0] for p in problems}))
                raise Conflict(
                    f"gate {current.gate} is taken at the new time by {others}; change the gate first",
                    field="gate",
                    conflicts=problems,
                )
            # the plane first (nothing written here yet); moved back if the local write fails
            try:
                await self.airport.commit_plane(self._block(changed))
            except Conflict as e:
                raise Conflict(await self._readable(e.message, [current]), field="plane_id") from None
            try:
                saved = await repo.save(changed)
                await self._announce(uow, repo, saved, AnnouncementKind.DELAY, domain.announce_delay(saved))
                await self._emit(
                    uow,
                    flight_events.FLIGHT_DELAYED,
                    saved,
                    current.status,
                    reason=saved.status_reason,
                    delay_code=saved.delay_code,
                    delay_minutes=domain.delay_minutes(saved),
                    previous_estimated_departure=current.estimated_departure.isoformat(),
                )
                await uow.commit()
            except BaseException as e:
                await self._move_back(current)
                if isinstance(e, IntegrityError) and violated_constraint(e) == GATE_TAKEN:
                    raise Conflict(
                        f"gate {current.gate} was just taken at the new time; change the gate first", field="gate"
                    ) from None
                raise
        return saved

    async def _move_back(self, flight: Flight) -> None:
        try:
            await asyncio.shield(self.airport.commit_plane(self._block(flight)))
        except Exception:
            log.exception("could not move the plane commitment of flight %s back", flight.id)

    async def cancel(self, flight_id: str, why: str) -> Flight:
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            changed = domain.apply_cancel(current, why, datetime.now(UTC))
            saved = await repo.save(changed)
            await repo.set_release_pending([saved.id], True)
            await self._announce(uow, repo, saved, AnnouncementKind.CANCELLATION, domain.announce_cancellation(saved))
            await self._emit(uow, flight_events.FLIGHT_CANCELLED, saved, current.status, reason=saved.status_reason)
            await uow.commit()
        # the cancellation stands; the plane is released now, or by the recovery job
        try:
            await self.airport.release_planes([saved.id])
            async with self.db.uow() as uow:
                await FlightRepository(uow.conn).set_release_pending([saved.id], False)
                await uow.commit()
        except DomainError as e:
            log.warning("flight %s cancelled; releasing its plane failed, will retry: %s", saved.id, e)
        return saved

    async def change_plane(self, flight_id: str, plane_id: str, why: str) -> Flight:
        """An aircraft swap. The plane's commitment at the airport moves to the new plane (the
        airport refuses a plane busy then, or one that cannot be there); the cabins take the new
        plane's sizes and FlightPlaneChanged tells reservation (seat map) and booking (who no
        longer fits). The same plane again changes nothing."""
        plane_id = domain.plane_id(plane_id)
        why = domain.reason(why, required=False)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            if plane_id == current.plane_id:
                return current
            plane = await self.airport.plane(plane_id)
            if plane.status != "active":
                raise Conflict(f"plane {plane.id} is {plane.status}, not active: it cannot fly", field="plane_id")
            changed = domain.apply_plane_change(current, plane.id, plane.capacity)
            try:
                await self.airport.commit_plane(self._block(changed))
            except Conflict as e:
                raise Conflict(await self._readable(e.message, [current]), field="plane_id") from None
            try:
                saved = await repo.save(changed)
                await repo.set_cabins(changed)
                saved = await repo.get(saved.id) or saved
                await self._emit(
                    uow,
                    flight_events.FLIGHT_PLANE_CHANGED,
                    saved,
                    current.status,
                    previous_plane_id=current.plane_id,
                    seats={c.cabin_class.value: c.capacity for c in saved.seats},
                    reason=why,
                )
                await uow.commit()
            except BaseException:
                await self._move_back(current)
                raise
        return saved

    async def divert(self, flight_id: str, diverted_to: str, why: str, estimated_arrival: datetime | None) -> Flight:
        diverted_to = domain.airport_code(diverted_to, "diverted_to")
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            changed = domain.apply_diversion(current, diverted_to, why, estimated_arrival)
            alternate = await self.airport.airport(diverted_to)
            # the diversion happened whatever the airport says; a plane that cannot make its next
            # flight from the original destination is a knock-on problem for ops, not a refusal
            knock_on = ""
            try:
                await self.airport.commit_plane(self._block(current, diverted_to, changed.estimated_arrival))
            except DomainError as e:
                knock_on = (
                    f"plane {current.plane_id} stays committed as planned: {await self._readable(e.message, [current])}"
                )
            saved = await repo.save(changed)
            await self._announce(
                uow, repo, saved, AnnouncementKind.DIVERSION, domain.announce_diversion(saved, alternate.city, knock_on)
            )
            await self._emit(
                uow,
                flight_events.FLIGHT_DIVERTED,
                saved,
                current.status,
                reason=saved.status_reason,
                diverted_to=diverted_to,
                diverted_to_time_zone=alternate.time_zone,
                knock_on_conflict=knock_on,
            )
            await uow.commit()
        return saved
