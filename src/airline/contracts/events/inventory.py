"""Events of the inventory service (quantities per item code)."""

from __future__ import annotations

from airline.contracts.events.base import EventType, Payload

DOMAIN = "inventory"


class LoadPlanChanged(Payload):
    flight_id: str
    flight_number: str
    origin: str
    version: int
    items: dict[str, int]
    loaded: bool
    delta: dict[str, int] | None = None  # what to add (+) or take off (-) once loaded
    reason: str


class FlightLoaded(Payload):
    flight_id: str
    flight_number: str
    airport: str
    plan_version: int
    items: dict[str, int]
    loaded_by: str
    loaded_at: str


class FlightUnloaded(Payload):
    flight_id: str
    flight_number: str
    airport: str
    items: dict[str, int]
    unloaded_by: str


class StockLow(Payload):
    alert_id: str
    airport: str
    item: str
    quantity: int
    threshold: int


LOAD_PLAN_CHANGED = EventType(DOMAIN, "load_plan_changed", "LoadPlanChanged", LoadPlanChanged)
FLIGHT_LOADED = EventType(DOMAIN, "flight_loaded", "FlightLoaded", FlightLoaded)
FLIGHT_UNLOADED = EventType(DOMAIN, "flight_unloaded", "FlightUnloaded", FlightUnloaded)
STOCK_LOW = EventType(DOMAIN, "stock_low", "StockLow", StockLow)
