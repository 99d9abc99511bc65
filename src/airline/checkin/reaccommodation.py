"""Check-in follows a booking the airline moved to other flights (BookingReaccommodated, issue
14). The event carries the whole booking after the move, so it is the truth: the legs on the
flights it left are cancelled and marked replaced (their passes answer `pass_replaced` at the
gate), the flights it joined get legs as a confirmation gives them, under the passengers'
unchanged check-in codes (no second SMS), and a passenger who was checked in on a flight left
is checked in on the flight that replaces it with a new boarding pass.

Idempotent by construction: a leg already replaced is not replaced again and a leg already
there is not added again, so a second delivery (another event id, same proposal) changes
nothing. A move heard before its booking's confirmation (another topic) opens the booking
from the move's snapshot; the late confirmation then finds its passengers known and adds
nothing, so no leg appears on a flight the booking has left."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airline.checkin.consumers import parse_time
from airline.checkin.domain import Status
from airline.checkin.passes import issue_pass
from airline.checkin.store import CheckinRepository
from airline.contracts.events import booking as booking_events
from airline.platform import flight_status
from airline.platform.db import UnitOfWork
from airline.platform.events import Envelope

if TYPE_CHECKING:
    from airline.checkin.service import CheckinService

log = logging.getLogger(__name__)

REISSUED_BY = "reaccommodation"  # the channel and author of a pass the airline reissued


def successor(left: Mapping[str, Any], joined: Sequence[booking_events.BookedFlight]) -> str | None:
    """The joined flight that takes over from the flight left: the same origin (where the
    passenger is), the same destination too when there is one; else the first joined flight."""
    same_origin = [f for f in joined if f.origin == left["origin"]]
    best = [f for f in same_origin if f.destination == left["destination"]] or same_origin or list(joined)
    return best[0].flight_id if best else None


class ReaccommodationConsumer:
    """The BookingReaccommodated handler of CheckinService."""

    async def on_booking_reaccommodated(self: CheckinService, uow: UnitOfWork, event: Envelope) -> None:
        p = booking_events.BOOKING_REACCOMMODATED.parse(event)
        bid = p.booking_id
        repo = CheckinRepository(uow.conn)
        if await repo.confirm_booking(bid) == "cancelled":
            log.info("booking %s moved after its cancellation: nothing to move", bid)
            return
        if not await repo.booking_passengers(bid):
            await self._issue_codes(uow, repo, p)  # ahead of its confirmation: the snapshot is the booking
            return
        flights = {f.flight_id: f for f in p.flights}
        left = [fid for fid in dict.fromkeys(p.removed_flights) if fid not in flights]
        departures = [d for d in (parse_time(f.scheduled_departure) for f in p.flights) if d]
        reissue: list[tuple[str, str]] = []  # (passenger, flight) to check in again
        for x in p.passengers:
            if await repo.passenger(bid, x.id) is None:
                continue  # not a passenger check-in knows: the booking's confirmation gave none
            await repo.update_passenger(
                bid, x.id, cabin_class=p.cabin_class, last_departure=max(departures) if departures else None
            )
            legs = {leg["flight_id"]: leg for leg in await repo.legs_of(bid, x.id)}
            for pf in x.flights:
                leg = legs.get(pf.flight_id)
                if leg is None:
                    f = flights.get(pf.flight_id)
                    await repo.add_leg(
                        {
                            "booking_id": bid,
                            "passenger_id": x.id,
                            "flight_id": pf.flight_id,
                            "number": f.number if f else "",
                            "origin": f.origin if f else "",
                            "destination": f.destination if f else "",
                            "scheduled_departure": parse_time(f.scheduled_departure) if f else None,
                            "seat": pf.seat or "",
                            "e_ticket": pf.e_ticket or "",
                        }
                    )
                elif leg["status"] == Status.BOOKED.value and pf.seat and leg["seat"] != pf.seat:
                    # a leg kept by the move with its seat reassigned (a pass issued follows SeatChanged)
                    await repo.update_leg(
                        bid, x.id, pf.flight_id, seat=pf.seat, e_ticket=pf.e_ticket or leg["e_ticket"]
                    )
            joined = [flights[pf.flight_id] for pf in x.flights if pf.flight_id in p.added_flights]
            numbers = ", ".join(f.number for f in joined) or "another flight"
            for fid in left:
                leg = legs.get(fid)
                if leg is None or leg["replaced_by"] or leg["revoked_at"] is not None:
                    continue  # not on it, or moved already
                await repo.update_leg(bid, x.id, fid, status=Status.CANCELLED.value, replaced_by=numbers)
                target = successor(leg, joined)
                if leg["status"] in (Status.CHECKED_IN.value, Status.BOARDED.value) and target:
                    reissue.append((x.id, target))
        # adults first: an infant's pass follows its adult's
        for pid, fid in sorted(reissue, key=lambda r: (r[0] in _infants(p), r[0])):
            await self._reissue_pass(uow, repo, bid, pid, fid)

    async def _reissue_pass(
        self: CheckinService, uow: UnitOfWork, repo: CheckinRepository, bid: str, pid: str, fid: str
    ) -> None:
        """A passenger checked in on a flight left is checked in on its successor, whatever the
        check-in window (the airline moved them); a successor not open to check-in is left to
        the passenger."""
        cur = await repo.leg(bid, pid, fid, lock=True)
        if cur is None or cur["status"] != Status.BOOKED.value:
            return
        f = await self.flight(fid)
        if not flight_status.checkin_allowed(f.status):
            log.info("booking %s: flight %s is %s, no pass reissued for %s", bid, f.number, f.status, pid)
            return
        seat = cur["seat"]
        if not seat and cur["type"] != "infant":
            seat = await self._assign_seat(cur)
        await issue_pass(uow, repo, cur, f, seat, channel=REISSUED_BY, by=REISSUED_BY, carrier=self.settings.carrier)


def _infants(p: booking_events.BookingReaccommodated) -> set[str]:
    return {x.id for x in p.passengers if x.type == "infant"}
