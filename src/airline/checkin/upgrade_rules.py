"""The gate's upgrade list, pure Python: which cabin is next up, who may be listed, and in which
order the free seats of the higher cabin go to the list.

Priority (documented in the README and answered with the gate lists): the passenger whose
booking paid most per seat and flight goes up first (its total over its seated passengers and
flights, in the flight's selling currency; bookings confirmed before it was kept count 0), then
who was put on the list first, then booking and passenger id so that the order never depends
on the database. Only an adult travelling without a lap infant is listed: an infant rides with
their adult, and an adult with a lap infant is never upgraded at the gate (the higher cabin's
infant places - bassinets, extra oxygen masks per row - are not modelled); a child is not
moved away from their family either."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from airline.platform.errors import Conflict

CABINS = ("normal", "vip")  # lowest first
PRIORITY = (
    "Upgrades: the highest fare paid per seat and flight first, then who was listed first; only an "
    "adult without a lap infant, checked in with a seat and not boarded"
)
_EPOCH = datetime.min.replace(tzinfo=UTC)


def next_cabin(cabin: str) -> str | None:
    """The cabin one step up, or None from the top cabin (or an unknown one)."""
    if cabin not in CABINS:
        return None
    i = CABINS.index(cabin)
    return CABINS[i + 1] if i + 1 < len(CABINS) else None


def fare_per_seat(total: int, passenger_types: Iterable[str], flights: int) -> int:
    """What a booking paid per seat and flight (minor units): infants take no seat."""
    seats = sum(1 for t in passenger_types if t != "infant")
    return max(0, total) // max(1, seats * max(1, flights))


def on_list(leg: Mapping[str, Any]) -> bool:
    """Listed and not yet upgraded; who boarded or was offloaded meanwhile is off the list."""
    return (
        leg.get("upgrade_requested_at") is not None and not leg.get("upgraded_cabin") and leg["status"] == "checked_in"
    )


def upgrade_order(legs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Who gets a free seat of the higher cabin first."""
    return sorted(
        legs,
        key=lambda x: (
            -int(x.get("fare_per_seat") or 0),
            x.get("upgrade_requested_at") or _EPOCH,
            x["booking_id"],
            x["passenger_id"],
        ),
    )


def upgrade_list(legs: Sequence[Mapping[str, Any]], cabin: str) -> list[Mapping[str, Any]]:
    """The upgrade list into `cabin`, in priority order."""
    return upgrade_order(x for x in legs if on_list(x) and next_cabin(x["cabin_class"]) == cabin)


def require_listable(leg: Mapping[str, Any], legs: Sequence[Mapping[str, Any]]) -> str:
    """The cabin the passenger would go up to; a Conflict saying why they cannot be listed."""
    name = f"{leg['first_name']} {leg['last_name']}"
    status = leg["status"]
    if status == "boarded":
        raise Conflict(f"{name} has boarded already: upgrades are cleared before boarding", code="already_boarded")
    if status == "offloaded":
        raise Conflict(f"{name} was offloaded at door close", code="offloaded")
    if status != "checked_in":
        raise Conflict(f"{name} is not checked in for this flight: only a checked-in passenger", code="not_checked_in")
    if leg.get("upgraded_cabin"):
        raise Conflict(f"{name} was upgraded already (seat {leg['seat']})", code="already_upgraded")
    if leg["type"] == "infant":
        raise Conflict(f"{name} is an infant: an infant rides with their adult", code="not_upgradable")
    if leg["type"] == "child":
        raise Conflict(f"{name} is a child: a family is not split at the gate", code="not_upgradable")
    if any(
        x["type"] == "infant" and x["booking_id"] == leg["booking_id"] and x["infant_of"] == leg["passenger_id"]
        for x in legs
    ):
        raise Conflict(f"{name} travels with a lap infant: never upgraded at the gate", code="travels_with_infant")
    if not leg["seat"]:
        raise Conflict(f"{name} is on standby (no seat yet): clear standby first", code="on_standby")
    up = next_cabin(leg["cabin_class"])
    if up is None:
        raise Conflict(f"{name} is in the top cabin ({leg['cabin_class']}) already", code="top_cabin")
    return up
