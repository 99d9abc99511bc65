"""The gate's upgrade list (issue 18): an agent (or ops) lists checked-in passengers of a lower
cabin for the next cabin up, and once check-in has closed clears the list into the higher
cabin's free seats in priority order (upgrade_rules.py). Mixed into CheckinService (its flight
look-up, clock, reservation client and the no-show seat release it shares with standby)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airline.checkin import bcbp, domain
from airline.checkin import departure_rules as rules
from airline.checkin import upgrade_rules as up
from airline.checkin.store import CheckinRepository
from airline.platform.auth import Role, require
from airline.platform.errors import Conflict, NotFound
from airline.reservation.v1 import reservation_pb2 as rpb

if TYPE_CHECKING:
    from airline.checkin.service import CheckinService

STAFF = (Role.AGENT, Role.OPS)


@dataclass
class UpgradesCleared:
    flight_id: str
    released_seats: list[str]
    upgraded: list[Mapping[str, Any]]  # the legs after the move (upgraded_from_seat: the old seat)
    still_listed: list[Mapping[str, Any]]


class GateUpgrades:
    """Listing for an upgrade and clearing the list at the gate."""

    async def record_upgrade_request(
        self: CheckinService, flight_id: str, booking_id: str, passenger_id: str, listed: bool
    ) -> list[rules.CabinList]:
        """On the list (again: the same place) or off it; the gate lists answer, with each
        cabin's upgrade list in priority order."""
        who = require(*STAFF)
        fid = domain.require_flight_id(flight_id)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            leg = await repo.leg(booking_id.strip().lower(), passenger_id.strip().upper(), fid)
            if leg is None or leg["status"] == "cancelled":
                raise NotFound(
                    f"no passenger {passenger_id} of booking {booking_id} on this flight", field="passenger_id"
                )
            if listed:  # the passenger's own reason first (after door close: boarded or offloaded)
                up.require_listable(leg, await repo.flight_legs(fid))
            elif leg["upgraded_cabin"]:
                raise Conflict(
                    f"{leg['first_name']} {leg['last_name']} was upgraded already (seat {leg['seat']})",
                    code="already_upgraded",
                )
            if await repo.door(fid) is not None:
                raise Conflict("the door is closed: the upgrade list is final", code="door_closed")
            done = await repo.list_for_upgrade(
                leg["booking_id"], leg["passenger_id"], fid, who.subject if listed else None, self.clock()
            )
            if listed and not done:  # boarded or upgraded since it was read
                raise Conflict("the passenger can no longer be listed; look again", code="not_checked_in")
            await uow.commit()
        return await self.gate_lists(fid)

    async def clear_upgrades(self: CheckinService, flight_id: str) -> UpgradesCleared:
        """Once check-in has closed and before the door closes, as standby is: the seats of
        passengers who never checked in are freed first, then for each higher cabin its free
        seats (reservation's seat rules) go to its upgrade list in priority order until none is
        left. Reservation moves the passenger to the new seat (the seat's owner); the old seat,
        whichever reference held it, is given back, so standby cleared afterwards can use it; the
        boarding pass is re-issued with the new seat and compartment. No charge and no change to
        the booking: an upgrade at the gate is operational (the airline's choice to fill the
        higher cabin), not a sale. Clearing again answers who is still on the list."""
        require(*STAFF)
        fid = domain.require_flight_id(flight_id)
        async with self.clearing(fid):
            return await self._clear_upgrades(fid)

    async def _clear_upgrades(self: CheckinService, fid: str) -> UpgradesCleared:
        legs, freed = await self._free_no_show_seats(fid, "upgrade")
        upgraded: list[Mapping[str, Any]] = []
        still: list[Mapping[str, Any]] = []
        for cabin in reversed(up.CABINS):  # the top cabin's list first: its seats free the next
            full = False
            for x in up.upgrade_list(legs, cabin):
                if full or not x["seat"]:
                    still.append(x)
                    continue
                try:
                    seat = await self._assign_seat(x, cabin=cabin)
                except Conflict as e:
                    if e.code != "no_seat":
                        raise
                    full = True  # the cabin is full: the rest stay on the list
                    still.append(x)
                    continue
                upgraded.append(await self._moved_up(x, cabin, seat))
        return UpgradesCleared(fid, [x["seat"] for x in freed], upgraded, still)

    async def _moved_up(self: CheckinService, x: Mapping[str, Any], cabin: str, seat: str) -> Mapping[str, Any]:
        """Reservation has the passenger in `seat` under check-in's reference: the seat the sale
        gave them (under the booking's own passenger reference) goes back too, and the leg
        flies in `cabin` with a re-issued pass."""
        await self._call(
            self.clients.reservation.ReleaseAssignments,
            rpb.ReleaseAssignmentsRequest(
                booking_ref=x["booking_id"], flight_id=x["flight_id"], passenger_refs=[x["passenger_id"]]
            ),
            "the reservation service",
            idempotent=True,
        )
        pass_text = bcbp.with_seat(x["bcbp"], seat, domain.compartment(cabin))
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            await repo.upgrade(x["booking_id"], x["passenger_id"], x["flight_id"], cabin, seat, pass_text, self.clock())
            out = await repo.leg(x["booking_id"], x["passenger_id"], x["flight_id"])
            await uow.commit()
        assert out is not None
        return out
