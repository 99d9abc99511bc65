"""Departure control to the door (issue 18): closing the door offloads everyone who did not
board (DoorClosed tells baggage to take their bags off), the gate lists of an overbooked cabin,
the final manifest (the APIS export is its boarded rows) and the load sheet. Mixed into
CheckinService (its flight look-up, clock and settings)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from airline.airport.v1 import airport_pb2 as apb
from airline.baggage.v1 import baggage_pb2 as gpb
from airline.checkin import bcbp, domain
from airline.checkin import departure_rules as rules
from airline.checkin.domain import Status
from airline.checkin.passes import FlightNow
from airline.checkin.store import CheckinRepository
from airline.contracts.events import checkin as checkin_events
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform import flight_status
from airline.platform.auth import Role, require
from airline.platform.errors import Conflict, NotFound
from airline.reservation.v1 import reservation_pb2 as rpb

if TYPE_CHECKING:
    from airline.checkin.service import CheckinService

STAFF = (Role.AGENT, Role.OPS)


@dataclass
class DoorResult:
    flight_id: str
    closed_at: datetime
    closed_by: str
    offloaded: list[Mapping[str, Any]]
    already_closed: bool


@dataclass
class FinalManifest:
    flight: FlightNow
    door: Mapping[str, Any] | None
    legs: list[Mapping[str, Any]]

    @property
    def boarded(self) -> list[Mapping[str, Any]]:
        return [x for x in self.legs if x["status"] == Status.BOARDED.value]

    @property
    def offloaded(self) -> list[Mapping[str, Any]]:
        return [x for x in self.legs if x["status"] == Status.OFFLOADED.value]


@dataclass
class StandbyCleared:
    flight_id: str
    released_seats: list[str]
    cleared: list[Mapping[str, Any]]
    still_standby: list[Mapping[str, Any]]


@dataclass
class LoadSheetView:
    flight: FlightNow
    plane_id: str
    aircraft_type: str
    sheet: rules.LoadSheet
    basis: str
    final: bool


class DepartureControl:
    """The door, the gate lists, the final manifest and the load sheet."""

    async def close_door(self: CheckinService, flight_id: str) -> DoorResult:
        who = require(*STAFF)
        fid = domain.require_flight_id(flight_id)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            door = await repo.door(fid)
            if door is not None:
                return await _closed(repo, door)
        f = await self.flight(fid)
        if flight_status.is_cancelled(f.status):
            raise Conflict(f"flight {f.number} is cancelled: it has no door to close", code="flight_cancelled")
        domain.require_gate_closed(self.clock(), f.departure, self.settings.gate_closes_minutes, f.status, f.number)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            now = self.clock()
            door = await repo.close_door(fid, who.subject, now)
            if door is None:  # a concurrent closing won: its answer
                door = await repo.door(fid)
                assert door is not None
                return await _closed(repo, door)
            before = {(b, p): s for b, p, s in await repo.offload_not_boarded(fid, now)}
            offloaded = [x for x in await repo.flight_legs(fid) if (x["booking_id"], x["passenger_id"]) in before]
            await uow.emit_event(
                checkin_events.DOOR_CLOSED,
                fid,
                {
                    "flight_id": fid,
                    "flight_number": f.number,
                    "closed_at": now.isoformat(),
                    "closed_by": who.subject,
                    "offloaded": [
                        {
                            "booking_id": x["booking_id"],
                            "passenger_id": x["passenger_id"],
                            "pnr": x["pnr"],
                            "first_name": x["first_name"],
                            "last_name": x["last_name"],
                            "status_before": before[(x["booking_id"], x["passenger_id"])],
                        }
                        for x in offloaded
                    ],
                },
            )
            await uow.commit()
        return DoorResult(fid, now, who.subject, offloaded, False)

    async def final_manifest(self: CheckinService, flight_id: str) -> FinalManifest:
        require(*STAFF)
        fid = domain.require_flight_id(flight_id)
        f = await self.flight(fid)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            return FinalManifest(f, await repo.door(fid), await repo.flight_legs(fid))

    async def gate_lists(self: CheckinService, flight_id: str) -> list[rules.CabinList]:
        require(*STAFF)
        fid = domain.require_flight_id(flight_id)
        flight = await self._flight_detail(fid)
        async with self.db.uow() as uow:
            legs = await CheckinRepository(uow.conn).flight_legs(fid)
        return rules.gate_lists(legs, {c.cabin_class: c.capacity for c in flight.seats})

    async def record_volunteer(
        self: CheckinService, flight_id: str, booking_id: str, passenger_id: str, volunteer: bool
    ) -> list[rules.CabinList]:
        require(Role.AGENT)
        fid = domain.require_flight_id(flight_id)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            if await repo.door(fid) is not None:
                raise Conflict("the door is closed: the gate lists are final", code="door_closed")
            leg = await repo.leg(booking_id.strip().lower(), passenger_id.strip().upper(), fid)
            if leg is None:
                raise NotFound(
                    f"no passenger {passenger_id} of booking {booking_id} on this flight", field="passenger_id"
                )
            if not await repo.set_volunteer(leg["booking_id"], leg["passenger_id"], fid, volunteer):
                raise Conflict(
                    f"{leg['first_name']} {leg['last_name']} is {leg['status']}: only a passenger not yet "
                    "boarded may volunteer",
                    code="not_volunteerable",
                )
            await uow.commit()
        return await self.gate_lists(fid)

    async def clear_standby(self: CheckinService, flight_id: str) -> StandbyCleared:
        """Once check-in has closed (online and at the counter: who never checked in is a
        no-show) and before the door closes: their seats are given back to reservation, then the
        standby passengers get seats (reservation's seat rules, their own cabin) in check-in
        order until none is left; they board before gate close. Again: nothing more to free."""
        require(Role.AGENT)
        fid = domain.require_flight_id(flight_id)
        async with self.clearing(fid):
            return await self._clear_standby(fid)

    async def _clear_standby(self: CheckinService, fid: str) -> StandbyCleared:
        legs, freed = await self._free_no_show_seats(fid, "standby")
        cleared: list[Mapping[str, Any]] = []
        waiting = rules.standby_order(x for x in legs if domain.on_standby(x))
        for x in list(waiting):
            try:
                seat = await self._assign_seat(x)
            except Conflict as e:
                if e.code == "no_seat":
                    break  # the cabin is full: the rest stay on standby
                raise
            async with self.db.uow() as uow:
                repo = CheckinRepository(uow.conn)
                await repo.update_leg(
                    x["booking_id"], x["passenger_id"], fid, seat=seat, bcbp=bcbp.with_seat(x["bcbp"], seat)
                )
                out = await repo.leg(x["booking_id"], x["passenger_id"], fid)
                await uow.commit()
            assert out is not None
            cleared.append(out)
            waiting.remove(x)
        return StandbyCleared(fid, [x["seat"] for x in freed], cleared, waiting)

    @asynccontextmanager
    async def clearing(self: CheckinService, fid: str) -> AsyncIterator[None]:
        """One clearing of a flight's gate lists (standby, upgrades) at a time: two agents
        pressing "clear" together would both read the same list and move one passenger twice.
        A session advisory lock on a connection of its own for the clearing's few calls; the
        second agent is told to try again (409 `clearing_in_progress`)."""
        key = sa.func.hashtextextended(f"checkin-gate-lists:{fid}", 0)
        async with self.db.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            if not await conn.scalar(sa.select(sa.func.pg_try_advisory_lock(key))):
                raise Conflict(
                    "another agent is clearing this flight's gate lists: look again in a moment",
                    code="clearing_in_progress",
                )
            try:
                yield
            finally:
                await conn.scalar(sa.select(sa.func.pg_advisory_unlock(key)))

    async def _free_no_show_seats(
        self: CheckinService, fid: str, what: str
    ) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
        """Once check-in has closed (online and at the counter: who never checked in is a
        no-show) and before the door closes: their seats are given back to reservation. The
        flight's legs as they were, and the no-shows whose seats were freed."""
        f = await self.flight(fid)
        last_close = min(self.settings.closes_minutes, self.settings.counter_closes_minutes)
        domain.require_checkin_closed(self.clock(), f.departure, last_close, f.number, what)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            if await repo.door(fid) is not None:
                raise Conflict(f"the door is closed: the {what} list is final", code="door_closed")
            legs = await repo.flight_legs(fid)
        freed = [x for x in legs if x["status"] == Status.BOOKED.value and x["seat"] and x["type"] != "infant"]
        for x in freed:
            await self._call(
                self.clients.reservation.ReleaseAssignments,
                rpb.ReleaseAssignmentsRequest(
                    booking_ref=x["booking_id"],
                    flight_id=fid,
                    passenger_refs=[x["passenger_id"], f"{x['booking_id']}-{x['passenger_id']}"],
                ),
                "the reservation service",
                idempotent=True,
            )
            async with self.db.uow() as uow:
                await CheckinRepository(uow.conn).update_leg(x["booking_id"], x["passenger_id"], fid, seat="")
                await uow.commit()
        return legs, freed

    async def load_sheet(self: CheckinService, flight_id: str) -> LoadSheetView:
        require(*STAFF)
        fid = domain.require_flight_id(flight_id)
        detail = await self._flight_detail(fid)
        f = await self.flight(fid)
        plane = await self._call(
            self.clients.airport.GetPlane,
            apb.GetPlaneRequest(id=detail.plane_id),
            "the airport service",
            idempotent=True,
        )
        bags = await self._call(
            self.clients.baggage.GetManifest,
            gpb.GetManifestRequest(flight_id=fid),
            "the baggage service",
            as_system=False,  # the agent's or ops' own right to the bag manifest
            idempotent=True,
        )
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            door = await repo.door(fid)
            legs = await repo.flight_legs(fid)
        # before door close: everyone still expected; after: who boarded
        expected = Status.BOARDED.value, *(() if door else (Status.BOOKED.value, Status.CHECKED_IN.value))
        flying = [dict(x, compartment=domain.compartment(x["cabin_class"])) for x in legs if x["status"] in expected]
        s = self.settings
        weights = rules.StandardWeights(s.adult_kg, s.child_kg, s.infant_kg)
        fwd, aft, payload = s.hold_limits.get(plane.aircraft_type, (0, 0, 0))
        sheet = rules.load_sheet(
            flying,
            [b.weight_g for b in bags.bags if not b.offload],
            weights,
            rules.HoldLimits(fwd, aft, payload),
            s.forward_hold_share,
        )
        if not payload:
            sheet.warnings.append(f"no hold or payload limits are configured for aircraft type {plane.aircraft_type!r}")
        basis = (
            f"standard masses adult {weights.adult} kg, child {weights.child} kg, infant {weights.infant} kg; "
            f"bags {round(s.forward_hold_share * 100)}% forward hold by weight; no cargo booked"
        )
        return LoadSheetView(f, detail.plane_id, plane.aircraft_type, sheet, basis, door is not None)

    async def _flight_detail(self: CheckinService, fid: str) -> fpb.Flight:
        return await self._call(
            self.clients.flights.GetFlight, fpb.GetFlightRequest(id=fid), "the flights service", idempotent=True
        )


async def _closed(repo: CheckinRepository, door: Mapping[str, Any]) -> DoorResult:
    legs = await repo.flight_legs(door["flight_id"])
    off = [x for x in legs if x["status"] == Status.OFFLOADED.value]
    return DoorResult(door["flight_id"], door["closed_at"], door["closed_by"], off, True)
