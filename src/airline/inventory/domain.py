"""Inventory rules: the item catalogue, what each booked passenger needs on board, and the
load plan (demand plus a buffer). Pure Python, no I/O."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from airline.platform.errors import ValidationFailed


class ItemKind(StrEnum):
    MEAL = "meal"
    SPECIAL_MEAL = "special_meal"
    BEVERAGE = "beverage"
    ENTERTAINMENT = "entertainment"
    AMENITY = "amenity"


class Cabin(StrEnum):
    VIP = "vip"
    NORMAL = "normal"


class PassengerType(StrEnum):
    ADULT = "adult"
    CHILD = "child"
    INFANT = "infant"


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    kind: ItemKind


MEAL_NORMAL = "meal-normal"
MEAL_VIP = "meal-vip"
MEAL_BABY = "meal-baby"
BEVERAGE_PACK = "beverage-pack"
HEADSET = "headset"
TABLET = "tablet"
AMENITY_KIT = "amenity-kit"

# What one seated passenger of a cabin gets; the first line is the cabin's standard meal,
# which a special-meal request replaces.
STANDARD_MEAL = {Cabin.VIP: MEAL_VIP, Cabin.NORMAL: MEAL_NORMAL}
CABIN_EXTRAS: dict[Cabin, tuple[str, ...]] = {
    Cabin.VIP: (BEVERAGE_PACK, AMENITY_KIT, TABLET),
    Cabin.NORMAL: (BEVERAGE_PACK, HEADSET),
}

# The special meals booking accepts (booking.domain.MEALS); "infant" is the baby meal.
SPECIAL_MEALS = ("vegetarian", "vegan", "halal", "kosher", "gluten_free", "diabetic", "child", "infant")

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def special_meal_item(meal: str) -> str:
    """The item that serves a special-meal request (`vegetarian` -> `meal-vegetarian`)."""
    meal = meal.strip().lower()
    if meal == "infant":
        return MEAL_BABY
    return "meal-" + meal.replace("_", "-")


def item_code(value: str) -> str:
    code = value.strip().lower()
    if not _CODE.match(code):
        raise ValidationFailed("an item code is 1-40 lower-case letters, digits or dashes", field="code")
    return code


def item_kind(value: str) -> ItemKind:
    try:
        return ItemKind(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"kind must be one of {', '.join(k.value for k in ItemKind)}", field="kind") from None


def airport_code(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValidationFailed("an airport is a 3-letter IATA code", field="airport")
    return code


def positive(value: int, field: str) -> int:
    if value <= 0:
        raise ValidationFailed(f"{field} must be positive", field=field)
    if value > 1_000_000:
        raise ValidationFailed(f"{field} is too large", field=field)
    return value


def non_negative(value: int, field: str) -> int:
    if value < 0:
        raise ValidationFailed(f"{field} must not be negative", field=field)
    if value > 1_000_000:
        raise ValidationFailed(f"{field} is too large", field=field)
    return value


@dataclass(frozen=True)
class PassengerGroup:
    """`count` passengers of one booking on one flight sharing cabin, type and meal request."""

    cabin: Cabin
    passenger_type: PassengerType
    meal: str
    count: int


def group_passengers(cabin: str, passengers: Iterable[Mapping[str, str]]) -> list[PassengerGroup]:
    """Booking passengers (type, meal) -> groups. Unknown cabins count as normal, unknown
    types as adults and unknown meals as none, so an event never gets stuck on a new value."""
    try:
        c = Cabin(cabin.strip().lower())
    except ValueError:
        c = Cabin.NORMAL
    counts: dict[tuple[PassengerType, str], int] = {}
    for p in passengers:
        try:
            t = PassengerType(str(p.get("type", "adult")).strip().lower())
        except ValueError:
            t = PassengerType.ADULT
        meal = str(p.get("meal") or "").strip().lower()
        if meal not in SPECIAL_MEALS:
            meal = ""
        counts[(t, meal)] = counts.get((t, meal), 0) + 1
    return [PassengerGroup(c, t, m, n) for (t, m), n in sorted(counts.items())]


# A meal bought after the sale (booking's paid ancillaries) is counted as a group of its own
# whose `meal` is this prefix and the menu's code: one such meal each, nothing else.
PAID_MEAL = "+"


def paid_meal_item(code: str) -> str:
    """The item that serves a paid pre-ordered meal (`nasi-lemak` -> `meal-paid-nasi-lemak`)."""
    return "meal-paid-" + code.strip().lower().replace("_", "-")


def paid_meal_groups(cabin: str, codes: Mapping[str, int]) -> list[PassengerGroup]:
    """Paid meals (menu code -> how many) as groups of their own (the cabin as group_passengers
    reads it; unknown cabins count as normal)."""
    try:
        c = Cabin(cabin.strip().lower())
    except ValueError:
        c = Cabin.NORMAL
    return [PassengerGroup(c, PassengerType.ADULT, PAID_MEAL + code, n) for code, n in sorted(codes.items()) if n > 0]


def paid_meals_after_move(
    paid: Mapping[str, Mapping[str, int]], flights_now: Iterable[str], removed: Sequence[str], added: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Where a moved booking's paid meals (flight -> code -> count) are served now: on a flight
    it still flies, there; on a flight it left, on the flight that replaced it (the i-th removed
    by the i-th added, the last added when fewer were added); dropped when nothing replaced it."""
    now = set(flights_now)
    out: dict[str, dict[str, int]] = {}
    for fid, codes in paid.items():
        if fid in now:
            target: str | None = fid
        elif fid in removed and added:
            target = added[min(list(removed).index(fid), len(added) - 1)]
        else:
            target = None
        if target is None:
            continue
        merged = out.setdefault(target, {})
        for code, n in codes.items():
            merged[code] = merged.get(code, 0) + n
    return out


def passenger_needs(cabin: Cabin, passenger_type: PassengerType, meal: str) -> dict[str, int]:
    """What one passenger needs on board."""
    if meal.startswith(PAID_MEAL):
        return {paid_meal_item(meal[len(PAID_MEAL) :]): 1}
    if passenger_type is PassengerType.INFANT:
        # an infant has no seat and no meal of the cabin; a baby meal only when asked for
        return {MEAL_BABY: 1} if meal == "infant" else {}
    needs = {special_meal_item(meal) if meal else STANDARD_MEAL[cabin]: 1}
    for extra in CABIN_EXTRAS[cabin]:
        needs[extra] = needs.get(extra, 0) + 1
    return needs


def demand(groups: Iterable[PassengerGroup]) -> dict[str, int]:
    """Items the booked passengers need, without any buffer."""
    total: dict[str, int] = {}
    for g in groups:
        if g.count <= 0:
            continue
        for item, qty in passenger_needs(g.cabin, g.passenger_type, g.meal).items():
            total[item] = total.get(item, 0) + qty * g.count
    return total


def buffer_for(item: str, quantity: int, buffer_percent: int, min_meal_buffer: int = 1) -> int:
    """Spare units for one plan line: `buffer_percent` of the demand, rounded up; a standard
    meal line gets at least `min_meal_buffer`. Special meals were ordered per passenger and
    get none."""
    if quantity <= 0:
        return 0
    if item.startswith("meal-") and item not in STANDARD_MEAL.values():
        return 0
    spare = math.ceil(quantity * buffer_percent / 100)
    if item in STANDARD_MEAL.values():
        spare = max(spare, min_meal_buffer)
    return spare


def load_plan(groups: Iterable[PassengerGroup], buffer_percent: int, min_meal_buffer: int = 1) -> dict[str, int]:
    """The quantities to load per item: demand plus buffer, lines with nothing left out."""
    return {
        item: qty + buffer_for(item, qty, buffer_percent, min_meal_buffer)
        for item, qty in sorted(demand(groups).items())
        if qty > 0
    }


def plan_delta(plan: Mapping[str, int], loaded: Mapping[str, int]) -> dict[str, int]:
    """After loading: per item, how many more (positive) or fewer (negative) the plan needs."""
    out = {}
    for item in sorted(set(plan) | set(loaded)):
        d = plan.get(item, 0) - loaded.get(item, 0)
        if d:
            out[item] = d
    return out
