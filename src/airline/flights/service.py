"""Flight use cases: creation (a saga across this service and the airport's plane
commitments), the lifecycle, disruptions, announcements and reads.

Creation is all-or-none across both services: flights are first written `pending` (which
already holds their gates, by the database's exclusion constraint), then the airport commits
the plane for every leg at once, then the flights become `scheduled` and their events go
out. A failure at any step undoes the earlier ones; a process that dies half-way leaves
`pending` rows that the recovery job (`recover`) cleans up, releasing their planes.
"""
from __future__ import annotations

import asyncio
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

from sqlalchemy.exc import IntegrityError

from airline.flights import domain
from airline.flights.airport_client import AirportClient, PlaneBlock
from airline.flights.domain import (
    AirportInfo,
    AnnouncementKind,
    Flight,
    FlightStatus,
    Leg,
)
from airline.flights.settings import FlightsSettings
from airline.flights.store import GATE_TAKEN, NUMBER_TAKEN, FlightRepository
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow, violated_constraint
from airline.platform.errors import AlreadyExists, Conflict, DomainError, NotFound, Unavailable, ValidationFailed
from airline.platform.events import topic_name

log = logging.getLogger(__name__)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

FLIGHT_SCHEDULED = topic_name("flights", "flight_scheduled")
FLIGHT_DELAYED = topic_name("flights", "flight_delayed")
FLIGHT_CANCELLED = topic_name("flights", "flight_cancelled")
FLIGHT_DIVERTED = topic_name("flights", "flight_diverted")
FLIGHT_GATE_CHANGED = topic_name("flights", "flight_gate_changed")
FLIGHT_BOARDING = topic_name("flights", "flight_boarding")
FLIGHT_DEPARTED = topic_name("flights", "flight_departed")
FLIGHT_ARRIVED = topic_name("flights", "flight_arrived")
ANNOUNCEMENT_MADE = topic_name("flights", "announcement_made")
FARES_CHANGED = topic_name("flights", "fares_changed")

FLIGHT_TOPICS = (
    FLIGHT_SCHEDULED,
    FLIGHT_DELAYED,
    FLIGHT_CANCELLED,
    FLIGHT_DIVERTED,
    FLIGHT_GATE_CHANGED,
    FLIGHT_BOARDING,
    FLIGHT_DEPARTED,
    FLIGHT_ARRIVED,
)
TOPICS = (*FLIGHT_TOPICS, ANNOUNCEMENT_MADE, FARES_CHANGED)

EVENT_TYPES = {
    FLIGHT_SCHEDULED: "FlightScheduled",
    FLIGHT_DELAYED: "FlightDelayed",
    FLIGHT_CANCELLED: "FlightCancelled",
    FLIGHT_DIVERTED: "FlightDiverted",
    FLIGHT_GATE_CHANGED: "FlightGateChanged",
    FLIGHT_BOARDING: "FlightBoarding",
    FLIGHT_DEPARTED: "FlightDeparted",
    FLIGHT_ARRIVED: "FlightArrived",
    ANNOUNCEMENT_MADE: "AnnouncementMade",
    FARES_CHANGED: "FaresChanged",
}
_PROGRESS_TOPIC = {
    FlightStatus.BOARDING: FLIGHT_BOARDING,
    FlightStatus.DEPARTED: FLIGHT_DEPARTED,
    FlightStatus.ARRIVED: FLIGHT_ARRIVED,
}
MAX_LIST = 1000
DEFAULT_LIST = 200
# How far ahead of now a reported boarding/departure/arrival time may lie (clock skew, typing).
MAX_REPORT_AHEAD = timedelta(minutes=15)


@dataclass(frozen=True)
class Announcement:
    id: str
    flight_id: str
    flight_number: str
    airport: str
    kind: str
    message: str
    created_at: datetime


def _announcement(row: Any) -> Announcement:
    return Announcement(row.id, row.flight_id, row.flight_number, row.airport, row.kind, row.message, row.created_at)


@dataclass(frozen=True)
class Created:
    flights: list[Flight]
    round_trip_id: str = ""
    schedule_id: str = ""


class FlightService:
    def __init__(self, db: ServiceDatabase, airport: AirportClient, settings: FlightsSettings) -> None:
        self.db = db
        self.airport = airport
        self.settings = settings

    @property
    def turnaround(self) -> timedelta:
        return timedelta(minutes=self.settings.turnaround_minutes)

    @property
    def boarding(self) -> timedelta:
        return timedelta(minutes=self.settings.boarding_minutes)

    # ------------------------------------------------------------ creation

    async def create_flight(
        self, number: str, origin: str, destination: str, departure: datetime | None, duration_minutes: int,
        plane: str, gate: str,
    ) -> Flight:
        leg = domain.new_leg(number, origin, destination, _required(departure, "departure"), duration_minutes, plane, gate)
        return (await self._create([leg]))[0]

    async def create_round_trip(
        self, number: str, origin: str, destination: str, departure: datetime | None, duration_minutes: int,
        plane: str, gate: str, return_number: str, return_departure: datetime | None,
        return_duration_minutes: int, return_gate: str,
    ) -> Created:
        outbound = domain.new_leg(
            number, origin, destination, _required(departure, "outbound.departure"), duration_minutes, plane, gate,
            prefix="outbound.",
        )
        back = domain.new_leg(
            return_number, outbound.destination, outbound.origin, _required(return_departure, "return_departure"),
            return_duration_minutes or int(outbound.duration.total_seconds() // 60), plane, return_gate,
            prefix="return_",
        )
        if back.number == outbound.number:
            raise ValidationFailed("return_number must differ from the outbound number", field="return_number")
        domain.check_return_leg(outbound, back, self.turnaround)
        round_trip_id = str(uuid.uuid4())
        created = await self._create([outbound, back], round_trip_id=round_trip_id)
        return Created(created, round_trip_id=round_trip_id)

    async def create_schedule(self, spec: domain.ScheduleSpec) -> Created:
        origin, destination = await self._airports([spec.origin, spec.destination])
        days = domain.expand_schedule(spec, origin.time_zone, destination.time_zone, self.turnaround)
        legs = [leg for pair in days for leg in pair if leg is not None]
        schedule_id = str(uuid.uuid4())
        created = await self._create(legs, schedule_id=schedule_id)
        return Created(created, schedule_id=schedule_id)

    async def _airports(self, codes: Iterable[str]) -> list[AirportInfo]:
        codes = list(codes)
        unique = sorted(set(codes))
        found = dict(zip(unique, await asyncio.gather(*(self.airport.airport(c) for c in unique))))
        return [found[c] for c in codes]

    async def _create(self, legs: Sequence[Leg], *, round_trip_id: str = "", schedule_id: str = "") -> list[Flight]:
        # 1. everything that can be checked before writing anything
        domain.check_in_future(legs, utcnow(), self.settings.max_days_ahead)
        codes = sorted({c for leg in legs for c in (leg.origin, leg.destination)})
        airports = {a.code: a for a in await self._airports(codes)}
        tzs = {c: a.time_zone for c, a in airports.items()}
        problems = domain.duplicates_in_request(legs, tzs, self.boarding)
        if problems:
            raise Conflict("; ".join(problems), conflicts=problems)
        origins = sorted({leg.origin for leg in legs})
        gates = dict(zip(origins, await asyncio.gather(*(self.airport.gates(o) for o in origins))))
        for leg in legs:
            status = gates[leg.origin].get(leg.gate)
            if status is None:
                raise ValidationFailed(f"{leg.number}: gate {leg.gate} is not a gate of {leg.origin}", field="gate")
            if status != "open":
                raise Conflict(f"{leg.number}: gate {leg.gate} at {leg.origin} is {status}, not open", field="gate")
        plane_ids = sorted({leg.plane_id for leg in legs})
        planes = dict(zip(plane_ids, await asyncio.gather(*(self.airport.plane(p) for p in plane_ids))))
        for p in planes.values():
            if p.status != "active":
                raise Conflict(f"plane {p.id} is {p.status}, not active: it cannot fly", field="plane_id")
        flights = [
            domain.flight_from_leg(
                leg, str(uuid.uuid4()), airports[leg.origin], airports[leg.destination], planes[leg.plane_id].capacity,
                self.boarding, round_trip_id=round_trip_id, schedule_id=schedule_id,
            )
            for leg in legs
        ]
        ids = [f.id for f in flights]

        # 2. the flights, pending: their gates and numbers are taken from here on
        await self._insert_pending(flights)

        # 3. the plane, for every leg at once
        try:
            await self.airport.commit_planes([self._block(f) for f in flights])
        except BaseException as e:
            await self._undo_pending(ids, release=isinstance(e, (Unavailable, asyncio.CancelledError)))
            if isinstance(e, Conflict):
                raise Conflict(await self._readable(e.message, flights), field="plane_id") from None
            raise

        # 4. scheduled, with their events
        try:
            async with self.db.uow() as uow:
                repo = FlightRepository(uow.conn)
                scheduled = await repo.mark_scheduled(ids)
                if len(scheduled) != len(ids):
                    raise Conflict("the creation took too long and was rolled back; nothing was created, try again")
                for f in scheduled:
                    await self._emit(uow, FLIGHT_SCHEDULED, f, None)
                await uow.commit()
        except BaseException:
            await self._undo_pending(ids, release=True)
            raise
        by_id = {f.id: f for f in scheduled}
        return [by_id[i] for i in ids]

    def _block(self, f: Flight, destination: str | None = None, arrival: datetime | None = None) -> PlaneBlock:
        return PlaneBlock(
            f.id, f.plane_id, f.origin, destination or f.destination, f.estimated_departure,
            (arrival or f.estimated_arrival) + self.turnaround,
        )

    async def _readable(self, message: str, flights: Sequence[Flight]) -> str:
        """The airport names flights by their ids (its commitment references): name them by
        number and local date instead."""
        ids = set(_UUID.findall(message))
        if not ids:
            return message
        known = {f.id: f for f in flights}
        async with self.db.uow() as uow:
            known |= await FlightRepository(uow.conn).get_many(sorted(ids - known.keys()))
        for fid in ids:
            if fid in known:
                f = known[fid]
                message = message.replace(fid, f"{f.number} on {f.departure_local_date.isoformat()}")
        return message

    async def _insert_pending(self, flights: list[Flight]) -> None:
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            # duplicates first: re-sending a request should say "exists", not "gate taken by itself"
            taken = await repo.numbers_taken((f.number, f.departure_local_date) for f in flights)
            if taken:
                names = [f"{n} on {d.isoformat()} already exists" for n, d in sorted(taken)]
                raise AlreadyExists("; ".join(names), field="number", conflicts=names)
            gate_problems = await self._gate_conflicts(repo, flights)
            if gate_problems:
                raise Conflict("; ".join(gate_problems), field="gate", conflicts=gate_problems)
            try:
                await repo.add_all(flights)
                await uow.commit()
                return
            except IntegrityError as e:
                constraint = violated_constraint(e)
        # lost a race with a concurrent creation: name what we lost to, from a fresh look
        if constraint == NUMBER_TAKEN:
            raise AlreadyExists("a flight with this number on this date was just created", field="number")
        if constraint == GATE_TAKEN:
            async with self.db.uow() as uow:
                problems = await self._gate_conflicts(FlightRepository(uow.conn), flights)
            message = "; ".join(problems) or "the gate was just taken by another flight"
            raise Conflict(message, field="gate", conflicts=problems)
        raise RuntimeError(f"unexpected constraint violation {constraint}")

    async def _gate_conflicts(self, repo: FlightRepository, flights: Sequence[Flight], exclude: Sequence[str] = ()) -> list[str]:
        problems: list[str] = []
        groups: dict[tuple[str, str], list[Flight]] = {}
        for f in flights:
            groups.setdefault((f.origin, f.gate), []).append(f)
        for (origin, gate), group in groups.items():
            start = min(f.boarding_starts for f in group)
            end = max(f.estimated_departure for f in group)
            holders = await repo.gate_holders(origin, gate, start, end, exclude)
            for f in group:
                for other in holders:
                    if domain.overlaps(f.gate_window(), other.gate_window()):
                        problems.append(domain.describe_gate_conflict(f.number, f.departure_local_date, gate, other))
        return problems

    async def _undo_pending(self, ids: Sequence[str], *, release: bool) -> None:
        """Compensate a failed creation. Shielded: it must finish even if the caller gave up."""

        async def undo() -> None:
            if release:
                try:
                    await self.airport.release_planes(ids)
                except DomainError as e:
                    # the rows stay pending: the recovery job releases and deletes them later
                    log.warning("could not release planes of a failed creation yet: %s", e)
                    return
            async with self.db.uow() as uow:
                await FlightRepository(uow.conn).delete_pending(ids)
                await uow.commit()

        try:
            await asyncio.shield(undo())
        except Exception:
            log.exception("compensating a failed flight creation failed; the recovery job will retry")

    # ------------------------------------------------------------ recovery

    async def recover(self) -> tuple[list[str], list[str]]:
        """One pass: delete flights stuck `pending` (releasing their planes), and retry plane
        releases of cancelled flights. Call it acting as the system. Returns (deleted, released)."""
        cutoff = utcnow() - timedelta(seconds=self.settings.pending_timeout_seconds)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            stale = await repo.stale_pending(cutoff)
            to_release = await repo.release_pending()
        deleted: list[str] = []
        if stale:
            await self.airport.release_planes(stale)
            async with self.db.uow() as uow:
                deleted = await FlightRepository(uow.conn).delete_pending(stale)
                await uow.commit()
            log.info("removed %d flights left pending by an interrupted creation", len(deleted))
        if to_release:
            await self.airport.release_planes(to_release)
            async with self.db.uow() as uow:
                await FlightRepository(uow.conn).set_release_pending(to_release, False)
                await uow.commit()
        return deleted, to_release

    # ------------------------------------------------------------ lifecycle

    async def update_status(self, flight_id: str, status: str, at: datetime | None) -> Flight:
        target = domain.progress_status(status)
        now = utcnow()
        when = domain.aware(at, "at") if at is not None else now
        if when > now + MAX_REPORT_AHEAD:
            raise ValidationFailed("at must not lie in the future", field="at")
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            changed = domain.apply_progress(current, target, when)
            saved = await repo.save(changed)
            extra: dict[str, Any] = {}
            if target is FlightStatus.BOARDING:
                await self._announce(uow, repo, saved, AnnouncementKind.BOARDING, domain.announce_boarding(saved))
            if target is FlightStatus.ARRIVED and saved.diverted_to:
                extra["arrived_at_airport"] = saved.diverted_to
            await self._emit(uow, _PROGRESS_TOPIC[target], saved, current.status, at=when.isoformat(), **extra)
            await uow.commit()
        return saved

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
            await self._announce(uow, repo, saved, AnnouncementKind.GATE_CHANGE,
                                 domain.announce_gate_change(saved, current.gate, why))
            await self._emit(uow, FLIGHT_GATE_CHANGED, saved, current.status, previous_gate=current.gate, reason=why)
            await uow.commit()
        return saved

    async def delay(
        self, flight_id: str, new_departure: datetime | None, new_arrival: datetime | None, code: str, why: str
    ) -> Flight:
        new_departure = _required(new_departure, "new_departure")
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
                    field="gate", conflicts=problems,
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
                    uow, FLIGHT_DELAYED, saved, current.status, reason=saved.status_reason,
                    delay_code=saved.delay_code, delay_minutes=domain.delay_minutes(saved),
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
            changed = domain.apply_cancel(current, why)
            saved = await repo.save(changed)
            await repo.set_release_pending([saved.id], True)
            await self._announce(uow, repo, saved, AnnouncementKind.CANCELLATION, domain.announce_cancellation(saved))
            await self._emit(uow, FLIGHT_CANCELLED, saved, current.status, reason=saved.status_reason)
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
                knock_on = f"plane {current.plane_id} stays committed as planned: {await self._readable(e.message, [current])}"
            saved = await repo.save(changed)
            await self._announce(uow, repo, saved, AnnouncementKind.DIVERSION,
                                 domain.announce_diversion(saved, alternate.city, knock_on))
            await self._emit(
                uow, FLIGHT_DIVERTED, saved, current.status, reason=saved.status_reason, diverted_to=diverted_to,
                diverted_to_time_zone=alternate.time_zone, knock_on_conflict=knock_on,
            )
            await uow.commit()
        return saved

    async def set_overbooking(self, flight_id: str, cabin: str, percent: int) -> Flight:
        """Ops' policy for one cabin: sell up to capacity * (100 + percent) / 100 seats. The
        seat map still seats one passenger per seat; lowering it below what is sold sells
        nothing more and takes nothing back."""
        cls = domain.cabin_class(cabin)
        pct = domain.overbooking_percent(percent)
        async with self.db.uow() as uow:
            repo = FlightRepository(uow.conn)
            current = await self._locked(repo, flight_id)
            if current.cabin(cls) is None:
                raise NotFound(f"flight {current.number} has no {cls.value} cabin", field="cabin_class")
            await repo.set_overbooking(current.id, cls, pct)
            saved = await repo.get(current.id)
            await uow.commit()
        assert saved is not None
        return saved

    async def _locked(self, repo: FlightRepository, flight_id: str) -> Flight:
        flight = await repo.get(_flight_id(flight_id), lock=True)
        if flight is None:
            raise NotFound(f"no flight {flight_id}", field="flight_id")
        return flight

    # ------------------------------------------------------------ events and announcements

    async def _emit(
        self, uow: UnitOfWork, topic: str, flight: Flight, previous: FlightStatus | None, **extra: Any
    ) -> None:
        payload = {"flight": domain.flight_payload(flight), "previous_status": previous.value if previous else None}
        await uow.emit(topic, flight.id, EVENT_TYPES[topic], payload | extra)

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

    async def _announce(
        self, uow: UnitOfWork, repo: FlightRepository, flight: Flight, kind: AnnouncementKind, message: str
    ) -> Announcement:
        row = await repo.add_announcement({
            "id": str(uuid.uuid4()), "flight_id": flight.id, "flight_number": flight.number,
            "airport": flight.origin, "kind": kind.value, "message": message,
        })
        a = _announcement(row)
        await uow.emit(ANNOUNCEMENT_MADE, a.airport, EVENT_TYPES[ANNOUNCEMENT_MADE], {
            "id": a.id, "flight_id": a.flight_id, "flight_number": a.flight_number, "airport": a.airport,
            "kind": a.kind, "message": a.message, "created_at": a.created_at.isoformat(),
            "flight_status": flight.status.value,
        })
        return a

    # ------------------------------------------------------------ reads

    async def get(self, flight_id: str) -> Flight:
        async with self.db.uow() as uow:
            flight = await FlightRepository(uow.conn).get(_flight_id(flight_id))
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
                airport=code, arrivals=wanted == "arrivals", start=start, end=end, number=num,
                limit=limit or DEFAULT_LIST,
            )

    async def announcements(self, airport: str, flight_id: str, since: datetime | None, limit: int) -> list[Announcement]:
        code = domain.airport_code(airport, "airport") if airport.strip() else None
        fid = _flight_id(flight_id) if flight_id.strip() else None
        if code is None and fid is None:
            raise ValidationFailed("give an airport or a flight_id", field="airport")
        if limit < 0 or limit > MAX_LIST:
            raise ValidationFailed(f"limit must be 1 to {MAX_LIST}", field="limit")
        async with self.db.uow() as uow:
            rows = await FlightRepository(uow.conn).announcements(code, fid, since, limit or DEFAULT_LIST)
        return [_announcement(r) for r in rows]


def _required(value: datetime | None, name: str) -> datetime:
    if value is None:
        raise ValidationFailed(f"{name} is required", field=name)
    return value


def _flight_id(value: str) -> str:
    cleaned = value.strip()
    try:
        return str(uuid.UUID(cleaned))
    except ValueError:
        raise NotFound(f"no flight {value!r}", field="id") from None

