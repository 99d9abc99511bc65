"""Departure control rules, pure Python: who is a denied-boarding candidate in an overbooked
cabin, the counts of a manifest, and the load sheet's arithmetic.

Gate-list priority (documented in the README): in a cabin with more passengers expected than
seats, the passengers who stay behind are taken in this order — volunteers first (in the order
they checked in), then passengers not checked in, then the latest check-ins first. Never a
boarded passenger, an infant, a child, or an adult with an infant on their lap: a family is not
split at the gate by the rule (the agent may still ask them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from airline.checkin import upgrade_rules

PRIORITY = (
    "volunteers first (in check-in order), then passengers not checked in, then the latest "
    "check-ins first; never a boarded passenger, a child, an infant or an adult with an infant. "
    "Standby: seats of passengers who never checked in are freed at gate close and given in "
    "check-in order. " + upgrade_rules.PRIORITY
)
FLYING = ("booked", "checked_in", "boarded")  # expected on board until the door closes
_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CabinList:
    cabin_class: str
    seats: int
    passengers: int
    over: int
    volunteers: list[Mapping[str, Any]]
    candidates: list[Mapping[str, Any]]
    standby: list[Mapping[str, Any]] = field(default_factory=list)  # checked in without a seat, in order
    upgrades: list[Mapping[str, Any]] = field(default_factory=list)  # listed for this cabin, in priority order


def _protected(leg: Mapping[str, Any], with_infant: set[tuple[str, str]]) -> bool:
    return (
        leg["status"] == "boarded"
        or leg["type"] in ("child", "infant")
        or (leg["booking_id"], leg["passenger_id"]) in with_infant
    )


def _bump_order(leg: Mapping[str, Any]) -> tuple[int, float]:
    checked = leg["checked_in_at"]
    if leg["volunteer"]:
        return (0, (checked or _EPOCH).timestamp())
    if checked is None:
        return (1, 0.0)
    return (2, -checked.timestamp())


def gate_lists(legs: Sequence[Mapping[str, Any]], seats: Mapping[str, int]) -> list[CabinList]:
    """Per cabin (every cabin with seats or passengers): who volunteers, and the passengers
    who stay behind if the cabin is overbooked, in priority order (as many as it is over)."""
    with_infant = {(x["booking_id"], x["infant_of"]) for x in legs if x["type"] == "infant" and x["infant_of"]}
    out = []
    for cabin in sorted(set(seats) | {x["cabin_class"] for x in legs}):
        mine = [x for x in legs if x["cabin_class"] == cabin and x["status"] in FLYING]
        seated = [x for x in mine if x["type"] != "infant"]
        over = max(0, len(seated) - seats.get(cabin, 0))
        volunteers = sorted((x for x in seated if x["volunteer"]), key=_bump_order)
        movable = sorted((x for x in seated if not _protected(x, with_infant)), key=_bump_order)
        standby = standby_order(x for x in seated if x["status"] == "checked_in" and not x["seat"])
        upgrades = upgrade_rules.upgrade_list(legs, cabin)
        out.append(
            CabinList(cabin, seats.get(cabin, 0), len(seated), over, volunteers, movable[:over], standby, upgrades)
        )
    return out


def standby_order(legs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Who gets a freed seat first: the earliest check-in (first come at the counter)."""
    return sorted(legs, key=lambda x: (x["checked_in_at"] or _EPOCH, x["booking_id"], x["passenger_id"]))


@dataclass(frozen=True)
class Counts:
    adults: int = 0
    children: int = 0
    infants: int = 0

    @property
    def total(self) -> int:
        return self.adults + self.children + self.infants


def counts(legs: Iterable[Mapping[str, Any]]) -> Counts:
    c = Counter(x["type"] for x in legs)
    return Counts(c["adult"], c["child"], c["infant"])


def special_meals(legs: Iterable[Mapping[str, Any]]) -> list[tuple[str, int]]:
    return sorted(Counter(x["meal"] for x in legs if x["meal"]).items())


# ---------------------------------------------------------------- load sheet


@dataclass(frozen=True)
class StandardWeights:
    """Standard passenger masses (kg, carry-on included), EASA-like defaults; configurable."""

    adult: int = 84
    child: int = 35
    infant: int = 0  # carried on an adult's lap: counted, weighing no more than its allowance


@dataclass(frozen=True)
class HoldLimits:
    """An aircraft type's hold limits (kg) and its maximum payload (kg); 0 = not known."""

    forward_kg: int
    aft_kg: int
    max_payload_kg: int


@dataclass
class Compartment:
    name: str
    passengers: int = 0
    bags: int = 0
    passenger_kg: int = 0
    bag_kg: int = 0
    cargo_kg: int = 0
    limit_kg: int = 0

    @property
    def total_kg(self) -> int:
        return self.passenger_kg + self.bag_kg + self.cargo_kg

    @property
    def over_limit(self) -> bool:
        return self.limit_kg > 0 and self.total_kg > self.limit_kg


@dataclass
class LoadSheet:
    passengers: Counts
    bags: int
    passenger_kg: int
    bag_kg: int
    cargo_kg: int
    max_payload_kg: int
    compartments: list[Compartment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_payload_kg(self) -> int:
        return self.passenger_kg + self.bag_kg + self.cargo_kg

    @property
    def within_limits(self) -> bool:
        return not self.warnings


def _kg(grams: int) -> int:
    return (grams + 999) // 1000  # a load sheet never rounds a mass down


def load_sheet(
    legs: Sequence[Mapping[str, Any]],
    bag_grams: Sequence[int],
    weights: StandardWeights,
    limits: HoldLimits,
    forward_share: float,
    cargo_kg: tuple[int, int] = (0, 0),
) -> LoadSheet:
    """Passengers by cabin (J, Y) at standard weights, bags split between the forward and aft
    holds (heaviest first, each to the hold with the lower share of its weight target), cargo as
    given per hold; each hold against the type's limit and the payload against the maximum."""
    cabins: dict[str, Compartment] = {}
    per = {"adult": weights.adult, "child": weights.child, "infant": weights.infant}
    for x in legs:
        c = cabins.setdefault(x["compartment"], Compartment(x["compartment"]))
        c.passengers += 1
        c.passenger_kg += per.get(x["type"], weights.adult)
    fwd = Compartment("FWD", cargo_kg=cargo_kg[0], limit_kg=limits.forward_kg)
    aft = Compartment("AFT", cargo_kg=cargo_kg[1], limit_kg=limits.aft_kg)
    load = {"FWD": 0, "AFT": 0}
    for g in sorted(bag_grams, reverse=True):
        if forward_share <= 0 or forward_share >= 1:
            hold = "FWD" if forward_share >= 1 else "AFT"
        else:  # the hold further below its share of the weight so far
            hold = "FWD" if load["FWD"] / forward_share <= load["AFT"] / (1 - forward_share) else "AFT"
        load[hold] += g
        (fwd if hold == "FWD" else aft).bags += 1
    fwd.bag_kg, aft.bag_kg = _kg(load["FWD"]), _kg(load["AFT"])
    sheet = LoadSheet(
        counts(legs),
        len(bag_grams),
        sum(c.passenger_kg for c in cabins.values()),
        fwd.bag_kg + aft.bag_kg,
        sum(cargo_kg),
        limits.max_payload_kg,
        [cabins[k] for k in sorted(cabins)] + [fwd, aft],
    )
    for c in (fwd, aft):
        if c.over_limit:
            sheet.warnings.append(f"{c.name} hold: {c.total_kg} kg over its limit of {c.limit_kg} kg")
    if limits.max_payload_kg and sheet.total_payload_kg > limits.max_payload_kg:
        sheet.warnings.append(f"payload {sheet.total_payload_kg} kg over the maximum of {limits.max_payload_kg} kg")
    return sheet
