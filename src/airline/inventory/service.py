"""Inventory use cases: catalogue, stock, alerts, load plans kept current from flight and
booking events, loading and consumption. The only place a transaction begins and commits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from airline.contracts.events import booking as booking_events
from airline.contracts.events import flights as flight_events
from airline.contracts.events import inventory as inventory_events
from airline.inventory import domain
from airline.inventory.domain import PassengerGroup
from airline.inventory.settings import InventorySettings
from airline.inventory.store import InventoryRepository
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.errors import AlreadyExists, Conflict, NotFound, ValidationFailed
from airline.platform.events import Envelope
from airline.platform.flight_status import FlightStatus


@dataclass
class PlanView:
    flight: Mapping[str, Any]
    version: int
    items: dict[str, int]
    groups: list[PassengerGroup]
    loaded: list[Mapping[str, Any]] = field(default_factory=list)
    delta: dict[str, int] = field(default_factory=dict)


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _flight_row(f: flight_events.FlightSnapshot) -> dict[str, Any]:
    return {
        "id": f.id,
        "number": f.number,
        "origin": f.origin,
        "destination": f.destination,
        "scheduled_departure": _time(f.scheduled_departure),
    }


class InventoryService:
    def __init__(self, db: ServiceDatabase, settings: InventorySettings) -> None:
        self.db = db
        self.settings = settings

    # ------------------------------------------------------------ catalogue

    async def list_items(self) -> list[Mapping[str, Any]]:
        async with self.db.uow() as uow:
            return await InventoryRepository(uow.conn).items()

    async def create_item(self, code: str, name: str, kind: str) -> Mapping[str, Any]:
        code = domain.item_code(code)
        name = " ".join(name.split())
        if not name or len(name) > 120 or not name.isprintable():
            raise ValidationFailed("name must be 1-120 printable characters", field="name")
        k = domain.item_kind(kind)
        async with self.db.uow() as uow:
            row = await InventoryRepository(uow.conn).add_item(code, name, k.value)
            if row is None:
                raise AlreadyExists(f"item {code} exists already", field="code")
            await uow.commit()
            return row

    # ------------------------------------------------------------ stock

    async def list_stock(self, airport: str) -> list[Mapping[str, Any]]:
        airport = domain.airport_code(airport) if airport else ""
        async with self.db.uow() as uow:
            return await InventoryRepository(uow.conn).stock(airport)

    async def _known_item(self, repo: InventoryRepository, item: str) -> str:
        code = domain.item_code(item)
        if await repo.item(code) is None:
            raise NotFound(f"no item {code} in the catalogue", field="item")
        return code

    async def restock(self, airport: str, item: str, quantity: int) -> Mapping[str, Any]:
        airport = domain.airport_code(airport)
        quantity = domain.positive(quantity, "quantity")
        async with self.db.uow() as uow:
            repo = InventoryRepository(uow.conn)
            code = await self._known_item(repo, item)
            line = await repo.restock(airport, code, quantity)
            if line["quantity"] >= line["threshold"]:
                await repo.resolve_alerts(airport, code)
            await uow.commit()
            return line

    async def set_threshold(self, airport: str, item: str, threshold: int) -> Mapping[str, Any]:
        airport = domain.airport_code(airport)
        threshold = domain.non_negative(threshold, "threshold")
        async with self.db.uow() as uow:
            repo = InventoryRepository(uow.conn)
            code = await self._known_item(repo, item)
            line = await repo.set_threshold(airport, code, threshold)
            await self._check_low(uow, repo, line)
            await uow.commit()
            return line

    async def _check_low(self, uow: UnitOfWork, repo: InventoryRepository, line: Mapping[str, Any]) -> None:
        """Open an alert (and tell everyone) when a stock line is below its threshold and no
        alert is open for it yet; close it when the line is back up."""
        if line["quantity"] >= line["threshold"]:
            await repo.resolve_alerts(line["airport"], line["item"])
            return
        alert = await repo.open_alert(line["airport"], line["item"], line["quantity"], line["threshold"])
        if alert is not None:
            await uow.emit_event(
                inventory_events.STOCK_LOW,
                f"{line['airport']}/{line['item']}",
                {
                    "alert_id": alert["id"],
                    "airport": line["airport"],
                    "item": line["item"],
                    "quantity": line["quantity"],
                    "threshold": line["threshold"],
                },
            )

    async def list_alerts(self, airport: str, include_resolved: bool) -> list[Mapping[str, Any]]:
        airport = domain.airport_code(airport) if airport else ""
        async with self.db.uow() as uow:
            return await InventoryRepository(uow.conn).alerts(airport, include_resolved)

    # ------------------------------------------------------------ plans

    async def load_plan(self, flight_id: str) -> PlanView:
        async with self.db.uow() as uow:
            return await self._view(InventoryRepository(uow.conn), flight_id)

    async def _view(self, repo: InventoryRepository, flight_id: str) -> PlanView:
        flight = await repo.flight(flight_id.strip())
        if flight is None:
            raise NotFound(f"inventory knows no flight {flight_id}", field="flight_id")
        plan = await repo.latest_plan(flight["id"])
        loaded = await repo.loaded(flight["id"])
        items = dict(plan["items"]) if plan else {}
        delta = domain.plan_delta(items, {r["item"]: r["quantity"] for r in loaded}) if loaded else {}
        return PlanView(flight, plan["version"] if plan else 0, items, await repo.groups(flight["id"]), loaded, delta)

    async def _replan(self, uow: UnitOfWork, repo: InventoryRepository, flight_id: str, reason: str) -> None:
        """Recompute the flight's plan; a changed plan is a new version and an event."""
        flight = await repo.flight(flight_id, lock=True)  # versions of one flight in order
        if flight is None:
            return
        if flight["status"] == FlightStatus.CANCELLED:
            plan: dict[str, int] = {}
        else:
            plan = domain.load_plan(
                await repo.groups(flight_id), self.settings.buffer_percent, self.settings.min_meal_buffer
            )
        current = await repo.latest_plan(flight_id)
        if current is not None and dict(current["items"]) == plan:
            return
        loaded = {r["item"]: r["quantity"] for r in await repo.loaded(flight_id)}
        delta = domain.plan_delta(plan, loaded) if flight["loaded_at"] else None
        version = (current["version"] if current else 0) + 1
        await repo.add_plan(flight_id, version, plan, delta, reason)
        await uow.emit_event(
            inventory_events.LOAD_PLAN_CHANGED,
            flight_id,
            {
                "flight_id": flight_id,
                "flight_number": flight["number"],
                "origin": flight["origin"],
                "version": version,
                "items": plan,
                "loaded": flight["loaded_at"] is not None,
                "delta": delta,
                "reason": reason,
            },
        )

    # ------------------------------------------------------------ event handlers

    async def on_flight_scheduled(self, uow: UnitOfWork, event: Envelope) -> None:
        f = flight_events.FLIGHT_SCHEDULED.parse(event).flight
        repo = InventoryRepository(uow.conn)
        await repo.upsert_flight(_flight_row(f), overwrite=True)
        await self._replan(uow, repo, f.id, "flight scheduled")

    async def on_flight_cancelled(self, uow: UnitOfWork, event: Envelope) -> None:
        f = flight_events.FLIGHT_CANCELLED.parse(event).flight
        repo = InventoryRepository(uow.conn)
        await repo.upsert_flight(_flight_row(f), overwrite=False)
        flight = await repo.flight(f.id, lock=True)
        assert flight is not None
        await repo.update_flight(
            f.id, status=FlightStatus.CANCELLED.value, needs_unload=flight["loaded_at"] is not None
        )
        await self._replan(uow, repo, f.id, "flight cancelled")

    async def on_booking_confirmed(self, uow: UnitOfWork, event: Envelope) -> None:
        p = booking_events.BOOKING_CONFIRMED.parse(event)
        repo = InventoryRepository(uow.conn)
        if await repo.booking_flights(p.booking_id):
            # counted already, or its re-accommodation came first (another topic) and counted the
            # booking as it is after the move: this older picture must not count it again
            return
        await self._count_booking(uow, repo, p, f"booking {p.booking_id} confirmed")

    async def on_booking_reaccommodated(self, uow: UnitOfWork, event: Envelope) -> None:
        """The booking's passengers (and their meals) leave the flights it left and are counted
        on the ones it flies now, as the event's whole booking shows them: a repeat recounts
        the same and changes no plan."""
        p = booking_events.BOOKING_REACCOMMODATED.parse(event)
        repo = InventoryRepository(uow.conn)
        reason = f"booking {p.booking_id} moved ({p.reason})"
        now = {f.flight_id for f in p.flights}
        paid = await repo.paid_meals(p.booking_id)  # bought after the sale: they move with the booking
        for fid in sorted(set(await repo.booking_flights(p.booking_id)) | set(paid)):
            await repo.remove_booking(p.booking_id, fid)
            if fid not in now:
                await self._replan(uow, repo, fid, reason)
        await self._count_booking(uow, repo, p, reason)
        moved = domain.paid_meals_after_move(paid, now, p.removed_flights, p.added_flights)
        for fid, codes in sorted(moved.items()):
            await repo.add_paid_meals(fid, p.booking_id, domain.paid_meal_groups(p.cabin_class, codes))
            await self._replan(uow, repo, fid, reason)

    async def _count_booking(
        self,
        uow: UnitOfWork,
        repo: InventoryRepository,
        p: booking_events.BookingConfirmed | booking_events.BookingReaccommodated,
        reason: str,
    ) -> None:
        for leg in p.flights:
            fid = leg.flight_id
            # the booking may arrive before the flight's own event: know the flight from it
            await repo.upsert_flight(
                {
                    "id": fid,
                    "number": leg.number,
                    "origin": leg.origin,
                    "destination": leg.destination,
                    "scheduled_departure": _time(leg.scheduled_departure),
                },
                overwrite=False,
            )
            on_leg = [
                {"type": x.type, "meal": x.meal or ""}
                for x in p.passengers
                if not x.flights or any(pf.flight_id == fid for pf in x.flights)
            ]
            groups = domain.group_passengers(p.cabin_class, on_leg)
            await repo.add_passengers(fid, p.booking_id, groups)
            await self._replan(uow, repo, fid, reason)

    async def on_booking_cancelled(self, uow: UnitOfWork, event: Envelope) -> None:
        bid = booking_events.BOOKING_CANCELLED.parse(event).booking_id
        repo = InventoryRepository(uow.conn)
        for fid in await repo.remove_booking(bid):
            await self._replan(uow, repo, fid, f"booking {bid} cancelled")

    async def on_passenger_cancelled(self, uow: UnitOfWork, event: Envelope) -> None:
        """Passengers cancelled alone leave the booking's flights' load plans (once: the consumer
        records the event id)."""
        p = booking_events.PASSENGER_CANCELLED.parse(event)
        repo = InventoryRepository(uow.conn)
        counted = await repo.booking_flights(p.booking_id)
        if not counted:  # cancelled whole already (or not heard of yet): nothing of it is counted
            return
        groups = domain.group_passengers(p.cabin_class, p.passengers)
        for fid in counted:
            if await repo.remove_passengers(fid, p.booking_id, groups):
                await self._replan(uow, repo, fid, f"passenger {p.passenger_id} of booking {p.booking_id} cancelled")

    async def on_ancillaries_purchased(self, uow: UnitOfWork, event: Envelope) -> None:
        """Meals bought after the sale join the load plan of their flight (bags are baggage's)."""
        p = booking_events.ANCILLARIES_PURCHASED.parse(event)
        repo = InventoryRepository(uow.conn)
        per_flight: dict[str, dict[str, int]] = {}
        for item in (i for i in p.items if i.kind == "meal" and i.code):
            codes = per_flight.setdefault(item.flight_id, {})
            codes[item.code] = codes.get(item.code, 0) + 1
        for fid, codes in sorted(per_flight.items()):
            if await repo.flight(fid) is None:
                continue  # a flight inventory does not know: nothing to plan on
            await repo.add_paid_meals(fid, p.booking_id, domain.paid_meal_groups(p.cabin_class, codes))
            await self._replan(uow, repo, fid, f"booking {p.booking_id} bought meals")

    def handlers(self) -> dict[str, Any]:
        return {
            flight_events.FLIGHT_SCHEDULED.topic: self.on_flight_scheduled,
            flight_events.FLIGHT_CANCELLED.topic: self.on_flight_cancelled,
            booking_events.BOOKING_CONFIRMED.topic: self.on_booking_confirmed,
            booking_events.BOOKING_CANCELLED.topic: self.on_booking_cancelled,
            booking_events.BOOKING_REACCOMMODATED.topic: self.on_booking_reaccommodated,
            booking_events.BOOKING_CHANGED.topic: self.on_booking_reaccommodated,  # a voluntary change: plans follow
            booking_events.PASSENGER_CANCELLED.topic: self.on_passenger_cancelled,
            booking_events.ANCILLARIES_PURCHASED.topic: self.on_ancillaries_purchased,
        }

    # ------------------------------------------------------------ loading and consumption

    async def load_flight(self, flight_id: str, by: str) -> PlanView:
        """Take the whole plan from the origin's stock in one transaction, or nothing."""
        async with self.db.uow() as uow:
            repo = InventoryRepository(uow.conn)
            flight = await repo.flight(flight_id.strip(), lock=True)
            if flight is None:
                raise NotFound(f"inventory knows no flight {flight_id}", field="flight_id")
            if flight["status"] != FlightStatus.SCHEDULED:
                raise Conflict(f"flight {flight['id']} is {flight['status']}", code="flight_not_scheduled")
            if flight["loaded_at"] is not None:
                raise Conflict(f"flight {flight['id']} is loaded already", code="already_loaded")
            plan = await repo.latest_plan(flight["id"])
            items = dict(plan["items"]) if plan else {}
            if not items:
                raise Conflict(f"flight {flight['id']} has nothing to load (no booked passengers)", code="empty_plan")
            airport = flight["origin"]
            taken: list[Mapping[str, Any]] = []
            short: list[str] = []
            # a fixed order, so two loadings at one airport never wait on each other in a cycle
            for item, qty in sorted(items.items()):
                line = await repo.take(airport, item, qty)
                if line is None:
                    short.append(item)
                else:
                    taken.append(line)
            if short:
                await uow.rollback()
                have = {r["item"]: r["quantity"] for r in await repo.stock(airport)}
                raise Conflict(
                    f"not enough stock at {airport} for flight {flight['id']}: "
                    + ", ".join(f"{i} (need {items[i]}, have {have.get(i, 0)})" for i in short),
                    code="insufficient_stock",
                    items=short,
                )
            now = utcnow()
            await repo.record_loading(flight["id"], airport, plan["version"], items, by, now)  # type: ignore[index]
            for line in taken:
                await self._check_low(uow, repo, line)
            await uow.emit_event(
                inventory_events.FLIGHT_LOADED,
                flight["id"],
                {
                    "flight_id": flight["id"],
                    "flight_number": flight["number"],
                    "airport": airport,
                    "plan_version": plan["version"],
                    "items": items,
                    "loaded_by": by,  # type: ignore[index]
                    "loaded_at": now.isoformat(),
                },
            )
            view = await self._view(repo, flight["id"])
            await uow.commit()
            return view

    async def unload_flight(self, flight_id: str, by: str) -> PlanView:
        """Return what a cancelled flight had loaded (less what was used) to the stock it came from."""
        async with self.db.uow() as uow:
            repo = InventoryRepository(uow.conn)
            flight = await repo.flight(flight_id.strip(), lock=True)
            if flight is None:
                raise NotFound(f"inventory knows no flight {flight_id}", field="flight_id")
            if not flight["needs_unload"]:
                raise Conflict(f"flight {flight['id']} has nothing to unload", code="nothing_to_unload")
            returned: dict[str, int] = {}
            for line in await repo.loaded(flight["id"]):
                back = line["quantity"] - line["consumed"]
                if back > 0:
                    stock_line = await repo.restock(line["airport"], line["item"], back)
                    await self._check_low(uow, repo, stock_line)
                    returned[line["item"]] = back
            await repo.update_flight(flight["id"], needs_unload=False)
            await uow.emit_event(
                inventory_events.FLIGHT_UNLOADED,
                flight["id"],
                {
                    "flight_id": flight["id"],
                    "flight_number": flight["number"],
                    "airport": flight["origin"],
                    "items": returned,
                    "unloaded_by": by,
                },
            )
            view = await self._view(repo, flight["id"])
            await uow.commit()
            return view

    async def record_consumption(self, flight_id: str, item: str, quantity: int, by: str) -> PlanView:
        quantity = domain.positive(quantity, "quantity")
        code = domain.item_code(item)
        async with self.db.uow() as uow:
            repo = InventoryRepository(uow.conn)
            flight = await repo.flight(flight_id.strip())
            if flight is None:
                raise NotFound(f"inventory knows no flight {flight_id}", field="flight_id")
            if flight["loaded_at"] is None:
                raise Conflict(f"flight {flight['id']} has not been loaded", code="not_loaded")
            loaded = {r["item"]: r for r in await repo.loaded(flight["id"])}
            if code not in loaded:
                raise ValidationFailed(f"{code} was not loaded on flight {flight['id']}", field="item")
            if await repo.consume(flight["id"], code, quantity, by) is None:
                line = loaded[code]
                raise Conflict(
                    f"only {line['quantity'] - line['consumed']} of {code} left of what was loaded",
                    code="more_than_loaded",
                )
            view = await self._view(repo, flight["id"])
            await uow.commit()
            return view
