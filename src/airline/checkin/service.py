"""Check-in use cases: codes issued on confirmation, online and counter check-in, boarding
passes, verification, boarding, passenger lists and no-shows. The only place a transaction
begins and commits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from airline.booking.v1 import booking_pb2 as bpb
from airline.checkin import bcbp, domain
from airline.checkin.consumers import CheckinConsumers
from airline.checkin.departure import DepartureControl
from airline.checkin.domain import Status
from airline.checkin.passenger_changes import PassengerChangesConsumer
from airline.checkin.passes import FlightNow, issue_pass
from airline.checkin.reaccommodation import ReaccommodationConsumer
from airline.checkin.settings import CheckinSettings
from airline.checkin.store import CheckinRepository
from airline.checkin.upgrades import GateUpgrades
from airline.contracts.events import checkin as checkin_events
from airline.flights.v1 import flights_pb2 as fpb
from airline.platform import flight_status
from airline.platform.auth import Principal, Role, current_principal, require
from airline.platform.db import ServiceDatabase, utcnow
from airline.platform.errors import Conflict, DomainError, NotFound, ValidationFailed
from airline.platform.grpc import call
from airline.reservation.v1 import reservation_pb2 as rpb

log = logging.getLogger(__name__)

# One answer for "no such code" and "a code of someone else": a guesser learns nothing.
UNKNOWN_CODE = "no check-in code matches this code and last name"
STAFF = (Role.AGENT, Role.CS, Role.OPS)


@dataclass
class Clients:
    flights: Any
    reservation: Any
    booking: Any
    baggage: Any = None  # the load sheet's bags
    airport: Any = None  # the load sheet's aircraft type


def cancelled_refusal() -> Conflict:
    return Conflict("this booking was cancelled: no check-in or boarding pass for it", code="booking_cancelled")


def _valid_pass(leg: Mapping[str, Any]) -> Mapping[str, Any]:
    """Never a boarding pass of a cancelled booking: one issued before the cancellation is void."""
    if leg["status"] == Status.CANCELLED.value or leg["revoked_at"] is not None:
        raise domain.void_leg_refusal(leg["revoked_at"] is not None, leg["replaced_by"])
    return leg


class CheckinService(
    CheckinConsumers, ReaccommodationConsumer, PassengerChangesConsumer, DepartureControl, GateUpgrades
):
    def __init__(
        self,
        db: ServiceDatabase,
        settings: CheckinSettings,
        clients: Clients,
        system: Callable[[], AbstractContextManager[Principal]],
        code_key: bytes,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clients = clients
        self.system = system
        self._key = code_key
        self.clock = clock

    # ------------------------------------------------------------ calls to other services

    async def _call(
        self, method: Any, request: Any, who: str, *, as_system: bool = True, idempotent: bool = False
    ) -> Any:
        """Another service, through platform.grpc.call (deadline, retries of reads, errors)."""
        if as_system:
            with self.system():
                return await call(
                    method, request, deadline=self.settings.call_timeout_seconds, idempotent=idempotent, who=who
                )
        return await call(method, request, deadline=self.settings.call_timeout_seconds, idempotent=idempotent, who=who)

    async def flight(self, flight_id: str) -> FlightNow:
        f = await self._call(
            self.clients.flights.GetFlight, fpb.GetFlightRequest(id=flight_id), "the flights service", idempotent=True
        )
        scheduled = f.scheduled_departure.ToDatetime(tzinfo=UTC)
        departure = f.estimated_departure.ToDatetime(tzinfo=UTC) if f.HasField("estimated_departure") else scheduled
        return FlightNow(
            f.id, f.number, f.origin, f.destination, f.status, f.gate, scheduled, departure, f.origin_time_zone or "UTC"
        )

    async def _may_manage(self, access: bpb.Access) -> bool:
        """The booking service decides who may act on a booking (owner, manage token, PNR +
        last name, cs): ask it as the caller."""
        try:
            await self._call(
                self.clients.booking.GetBooking,
                bpb.GetBookingRequest(access=access),
                "the booking service",
                as_system=False,
                idempotent=True,
            )
        except (NotFound, DomainError) as e:
            if isinstance(e, NotFound) or e.code in ("unauthenticated", "permission_denied", "not_found"):
                return False
            raise
        return True

    async def _assign_seat(self, leg: Mapping[str, Any], *, standby: bool = False, cabin: str = "") -> str:
        """A passenger without a seat gets one chosen by reservation's seat rules (its cabin, or
        `cabin` for an upgrade at the gate, which moves them out of their seat; front first, no
        exit row for a child): one call, which chooses again if someone takes the seat meanwhile."""
        cabin = cabin or leg["cabin_class"]
        try:
            reply = await self._call(
                self.clients.reservation.AssignSeats,
                rpb.AssignSeatsRequest(
                    flight_id=leg["flight_id"],
                    booking_ref=leg["booking_id"],
                    seats=[
                        rpb.SeatRequest(
                            seat="",
                            passenger_ref=f"{leg['booking_id']}-{leg['passenger_id']}",
                            passenger_type=leg["type"],
                            cabin_class=cabin,
                        )
                    ],
                ),
                "the reservation service",
            )
        except Conflict as e:
            if e.code == "no_seats" and standby:
                return ""  # checked in on standby: the gate may clear a seat for them
            if e.code == "no_seats":
                raise Conflict(f"no free seat left in {cabin} on this flight; see an agent", code="no_seat") from None
            if e.code in ("seat_held", "seat_taken"):
                raise Conflict(
                    "could not assign a seat (the seat map keeps changing); try again", code="no_seat"
                ) from None
            raise
        return str(reply.assignments[0].seat)

    # ------------------------------------------------------------ codes

    async def _by_code(self, raw: str, last_name: str | None) -> Mapping[str, Any]:
        code = domain.normalize_code(raw)
        if not domain.is_code(code):
            raise NotFound(UNKNOWN_CODE, code="unknown_code")
        async with self.db.uow() as uow:
            rows = await CheckinRepository(uow.conn).by_code(domain.code_digest(self._key, code))
        if last_name is not None:
            rows = [r for r in rows if domain.last_name_matches(last_name, r["last_name"])]
        if not rows:
            raise NotFound(UNKNOWN_CODE, code="unknown_code")
        pax = rows[0]
        if pax["revoked_at"] is not None:
            raise Conflict("this check-in code was revoked: its booking was cancelled", code="code_revoked")
        if domain.code_expired(self.clock(), pax["last_departure"], self.settings.code_grace_hours):
            raise Conflict("this check-in code has expired: its flights have left", code="code_expired")
        return pax

    # ------------------------------------------------------------ check-in

    async def _check_in(
        self, leg: Mapping[str, Any], f: FlightNow, channel: str, by: str, closes_minutes: float
    ) -> Mapping[str, Any]:
        if leg["replaced_by"] and leg["revoked_at"] is None:
            raise domain.void_leg_refusal(False, leg["replaced_by"])
        if leg["status"] == Status.CANCELLED.value or leg["revoked_at"] is not None:
            raise cancelled_refusal()
        if leg["status"] in (Status.CHECKED_IN.value, Status.BOARDED.value):
            return leg  # checking in twice gives the same pass
        if leg["status"] == Status.OFFLOADED.value:
            raise Conflict(f"offloaded from flight {f.number} at door close", code="offloaded")
        closed = flight_status.why_checkin_closed(f.number, f.status)
        if closed is not None:
            code, message = closed
            raise Conflict(message, code=code)
        where = "counter check-in" if channel == "counter" else "check-in"
        domain.require_open(
            self.clock(), domain.window(f.departure, self.settings.opens_hours, closes_minutes), f.number, where=where
        )
        seat = leg["seat"]
        if not seat and leg["type"] != "infant":
            # at the counter a full cabin checks the passenger in on standby (online: see an agent)
            seat = await self._assign_seat(leg, standby=channel == "counter")
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            # the cancellation may have landed since the leg was read (the seat was being
            # assigned meanwhile); holding the state's row makes a cancellation wait for this
            # transaction, which it then revokes
            state = await repo.booking_state(leg["booking_id"], share=True)
            cur = await repo.leg(leg["booking_id"], leg["passenger_id"], leg["flight_id"], lock=True)
            assert cur is not None
            if state == "cancelled" or cur["status"] == Status.CANCELLED.value or cur["revoked_at"] is not None:
                raise cancelled_refusal()
            if cur["status"] != Status.BOOKED.value:
                return cur  # a concurrent check-in won; same pass
            seat = cur["seat"] or seat
            out = await issue_pass(uow, repo, cur, f, seat, channel=channel, by=by, carrier=self.settings.carrier)
            await uow.commit()
            return out

    async def check_in_online(
        self, code: str, last_name: str, flight_id: str, access: bpb.Access | None
    ) -> list[Mapping[str, Any]]:
        principal = current_principal.get()
        by = principal.subject if principal else "online"
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            if code.strip():
                if not last_name.strip():
                    raise ValidationFailed("give the last name with the check-in code", field="last_name")
                pax = await self._by_code(code, last_name)
                legs = await repo.legs_of(pax["booking_id"], pax["passenger_id"])
            elif access is not None and access.booking_id.strip():
                if not await self._may_manage(access):
                    raise NotFound(f"no booking {access.booking_id}", field="booking_id")
                legs = await repo.legs_of(access.booking_id.strip().lower())
                if not legs:
                    raise Conflict("this booking has no check-in yet (is it confirmed?)", code="not_confirmed")
            else:
                raise ValidationFailed("give a check-in code and last name, or a booking", field="code")
        legs = [x for x in legs if x["status"] != Status.CANCELLED.value] or legs
        if flight_id.strip():
            chosen = [x for x in legs if x["flight_id"] == flight_id.strip()]
            if not chosen:
                raise NotFound(f"flight {flight_id} is not part of this booking", field="flight_id")
            f = await self.flight(flight_id.strip())
        else:
            f, chosen = await self._next_flight(legs)
        # adults first: an infant's pass follows its adult's
        chosen = sorted(chosen, key=lambda x: (x["type"] == "infant", x["passenger_id"]))
        return [await self._check_in(x, f, "online", by, self.settings.closes_minutes) for x in chosen]

    async def _next_flight(self, legs: Sequence[Mapping[str, Any]]) -> tuple[FlightNow, list[Mapping[str, Any]]]:
        """The first flight of the booking whose check-in has not closed yet (open or not yet)."""
        order: list[str] = []
        for x in sorted(legs, key=lambda x: x["scheduled_departure"] or datetime.max.replace(tzinfo=UTC)):
            if x["flight_id"] not in order:
                order.append(x["flight_id"])
        now = self.clock()
        for fid in order:
            f = await self.flight(fid)
            mine = [x for x in legs if x["flight_id"] == fid]
            if not flight_status.checkin_allowed(f.status):
                continue
            if all(x["status"] != Status.BOOKED.value for x in mine):
                # done already: give the passes again unless a later flight is open
                if now < domain.window(f.departure, self.settings.opens_hours, self.settings.closes_minutes).closes_at:
                    return f, mine
                continue
            if now < domain.window(f.departure, self.settings.opens_hours, self.settings.closes_minutes).closes_at:
                return f, mine
        raise Conflict("check-in has closed for every flight of this booking", code="checkin_closed")

    async def boarding_pass(
        self, pass_id: str, access: bpb.Access | None, code: str, last_name: str
    ) -> Mapping[str, Any]:
        pid = pass_id.strip().lower()
        async with self.db.uow() as uow:
            leg = await CheckinRepository(uow.conn).leg_by_pass(pid) if pid else None
        if leg is None:
            raise NotFound(f"no boarding pass {pass_id}", field="id")
        principal = current_principal.get()
        if principal is not None and principal.has(*STAFF):
            return _valid_pass(leg)
        if code.strip():
            try:
                pax = await self._by_code(code, last_name)
            except NotFound:
                pax = None
            if pax is not None and pax["booking_id"] == leg["booking_id"]:
                return _valid_pass(leg)
        elif await self._may_manage(
            bpb.Access(
                booking_id=leg["booking_id"],
                manage_token=access.manage_token if access else "",
                pnr=access.pnr if access else "",
                last_name=access.last_name if access else "",
            )
        ):
            return _valid_pass(leg)
        # someone else's pass is "not found": its existence is not the caller's business
        raise NotFound(f"no boarding pass {pass_id}", field="id")

    # ------------------------------------------------------------ the agent

    async def _resolve(self, flight_id: str, code: str, text: str) -> Mapping[str, Any]:
        """The passenger's leg on this flight, from a code or a scanned pass; another flight's is refused."""
        fid = domain.require_flight_id(flight_id)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            if code.strip():
                pax = await self._by_code(code, None)
                leg = await repo.leg(pax["booking_id"], pax["passenger_id"], fid)
                if leg is None:
                    theirs = ", ".join(
                        f"{x['number']} {x['origin']}-{x['destination']}"
                        for x in await repo.legs_of(pax["booking_id"], pax["passenger_id"])
                    )
                    raise Conflict(f"this check-in code is for {theirs}, not for this flight", code="wrong_flight")
            elif text.strip():
                parsed = bcbp.parse(text)
                leg0 = parsed.legs[0]
                rows = await repo.legs_by_barcode(leg0.pnr, leg0.sequence, text.rstrip("\r\n"))
                if not rows:
                    raise NotFound("no boarding pass of ours matches this barcode", code="unknown_pass")
                leg = next((x for x in rows if x["flight_id"] == fid), None)
                if leg is None:
                    x = rows[0]
                    if x["replaced_by"]:  # the old pass of a moved booking, shown at the new flight
                        raise domain.void_leg_refusal(x["revoked_at"] is not None, x["replaced_by"])
                    raise Conflict(
                        f"this boarding pass is for flight {x['number']} {x['origin']}-{x['destination']}"
                        f", not for this flight",
                        code="wrong_flight",
                    )
            else:
                raise ValidationFailed("give the check-in code or the scanned boarding pass", field="code")
        if leg["status"] == Status.CANCELLED.value or leg["revoked_at"] is not None:
            if leg["replaced_by"] and leg["revoked_at"] is None:
                raise domain.void_leg_refusal(False, leg["replaced_by"])
            raise Conflict("this booking was cancelled: the code and its passes are void", code="code_revoked")
        return leg

    async def verify(self, flight_id: str, code: str, text: str, document: str) -> dict[str, Any]:
        require(Role.AGENT)
        leg = await self._resolve(flight_id, code, text)
        checked = bool(domain.document_key(document))
        matches = checked and domain.document_key(document) == domain.document_key(leg["document_number"])
        if not checked:
            message = "passenger found; no document compared"
        elif matches:
            message = "the document matches the booking"
        else:
            message = "the document does NOT match the one in the booking"
        return {"leg": leg, "document_checked": checked, "document_matches": matches, "message": message}

    async def counter_check_in(self, flight_id: str, code: str, text: str, document: str) -> Mapping[str, Any]:
        who = require(Role.AGENT)
        leg = await self._resolve(flight_id, code, text)
        if domain.document_key(document) and domain.document_key(document) != domain.document_key(
            leg["document_number"]
        ):
            raise Conflict("the document does not match the one in the booking", code="document_mismatch")
        f = await self.flight(leg["flight_id"])
        return await self._check_in(leg, f, "counter", who.subject, self.settings.counter_closes_minutes)

    async def board(self, flight_id: str, code: str, text: str) -> Mapping[str, Any]:
        who = require(Role.AGENT)
        leg = await self._resolve(flight_id, code, text)
        if leg["status"] == Status.BOARDED.value:
            raise domain.boarded_refusal(leg["boarded_at"], leg["number"])
        if leg["status"] != Status.CHECKED_IN.value:
            raise Conflict(
                f"{leg['first_name']} {leg['last_name']} is not checked in for this flight", code="not_checked_in"
            )
        if domain.on_standby(leg):
            raise Conflict(
                f"{leg['first_name']} {leg['last_name']} is on standby: board once the gate clears a seat",
                code="standby_not_cleared",
            )
        f = await self.flight(leg["flight_id"])
        if not flight_status.boarding_allowed(f.status):
            raise Conflict(f"flight {f.number} is {f.status}: boarding is over", code="boarding_closed")
        domain.require_boarding_open(self.clock(), f.departure, self.settings.gate_closes_minutes, f.number)
        async with self.db.uow() as uow:
            repo = CheckinRepository(uow.conn)
            door = await repo.door(leg["flight_id"])
            if door is not None:
                raise domain.door_closed_refusal(f.number, door["closed_at"])
            now = utcnow()
            if not await repo.board(leg["booking_id"], leg["passenger_id"], leg["flight_id"], who.subject, now):
                cur = await repo.leg(leg["booking_id"], leg["passenger_id"], leg["flight_id"])
                assert cur is not None
                if cur["status"] == Status.BOARDED.value:
                    raise domain.boarded_refusal(cur["boarded_at"], cur["number"])
                raise Conflict("this passenger cannot board now", code="not_checked_in")
            await uow.emit_event(
                checkin_events.PASSENGER_BOARDED,
                leg["flight_id"],
                {
                    "booking_id": leg["booking_id"],
                    "passenger_id": leg["passenger_id"],
                    "flight_id": leg["flight_id"],
                    "flight_number": leg["number"],
                    "pnr": leg["pnr"],
                    "seat": leg["seat"],
                    "sequence": leg["sequence"],
                    "boarded_at": now.isoformat(),
                },
            )
            out = await repo.leg(leg["booking_id"], leg["passenger_id"], leg["flight_id"])
            await uow.commit()
            assert out is not None
            return out

    async def passengers(self, flight_id: str) -> list[Mapping[str, Any]]:
        require(Role.AGENT)
        fid = domain.require_flight_id(flight_id)
        async with self.db.uow() as uow:
            return await CheckinRepository(uow.conn).flight_legs(fid)

    async def no_shows(self, flight_id: str) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]], datetime]:
        require(Role.AGENT)
        fid = domain.require_flight_id(flight_id)
        f = await self.flight(fid)
        closed = domain.require_gate_closed(
            self.clock(), f.departure, self.settings.gate_closes_minutes, f.status, f.number
        )
        async with self.db.uow() as uow:
            rows = await CheckinRepository(uow.conn).flight_legs(fid)
        return (
            [x for x in rows if x["status"] == Status.BOOKED.value],
            [x for x in rows if x["status"] == Status.CHECKED_IN.value],
            closed,
        )
