"""Booking classes (buckets) of a flight's cabin and their nested availability, pure.

A cabin's buckets are a ladder from the dearest to the cheapest (e.g. economy Y > B > M > Q).
Each has a price per passenger type and an *authorised* seat count, which is a nested booking
limit in the standard (serial nesting) sense: the most seats that may be sold in this bucket and
every cheaper one together. So a higher bucket may always sell what a lower one may, and a sale
in a bucket uses up the limit of that bucket and of every bucket above it:

    availability(k) = max(0, min(cabin seats left,
                                  min over i <= k of (authorised(i) - sold in buckets i..n)))

(buckets numbered from the dearest, 1, to the cheapest, n). Consequences the unit tests check
with Hypothesis: availability never rises down the ladder; selling x seats in bucket k lowers
the availability of k and of every bucket above it by exactly x; sales made within availability
never exceed any bucket's authorisation nor the cabin.

Seats are taken from a bucket when a draft booking is made from an offer priced in it (a
*claim*, held until the draft's expiry), not only when the booking is paid: claims count like
sales everywhere here (nested limits, the cabin's seats left, the load factor), so the last seats
of a bucket cannot be promised to more drafts than it has.

A bucket is open unless ops closed it by hand or one of its rules closes it (load factor at or
above `close_at_load_percent`, or fewer than `close_days_before` days to departure). Closing a
bucket closes every cheaper one too (nobody sells Q while M is shut). Search sells in the
cheapest open bucket with enough seats for the party.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from airline.flights.domain.fares import MAX_AMOUNT, PassengerType, currency
from airline.platform.errors import Conflict, ValidationFailed

BUCKET_CODE = re.compile(r"^[A-Z]$")
MAX_BUCKETS = 26
MAX_AUTHORISED = 10_000


@dataclass(frozen=True)
class Bucket:
    code: str
    adult_amount: int  # per passenger per flight, minor units
    child_amount: int
    infant_amount: int
    currency: str
    authorised: int  # nested: seats for this bucket and all cheaper ones together
    open: bool = True  # ops' hand: False closes it (and every cheaper one)
    close_at_load_percent: int = 0  # 0: no load rule
    close_days_before: int = 0  # 0: no days-to-departure rule

    def amount(self, ptype: PassengerType) -> int:
        return {
            PassengerType.ADULT: self.adult_amount,
            PassengerType.CHILD: self.child_amount,
            PassengerType.INFANT: self.infant_amount,
        }[ptype]


def new_buckets(items: Sequence[Bucket]) -> tuple[Bucket, ...]:
    """A cabin's ladder as ops gives it, dearest first; an empty ladder removes the buckets (the
    route's fares price the cabin again)."""
    if len(items) > MAX_BUCKETS:
        raise ValidationFailed(f"at most {MAX_BUCKETS} buckets per cabin, got {len(items)}", field="buckets")
    seen: set[str] = set()
    out: list[Bucket] = []
    for i, b in enumerate(items):
        where = f"buckets[{i}]"
        code = b.code.strip().upper()
        if not BUCKET_CODE.fullmatch(code):
            raise ValidationFailed(f"{where}: code must be one letter A-Z, got {b.code!r}", field=f"{where}.code")
        if code in seen:
            raise ValidationFailed(f"{where}: bucket {code} is given twice", field=f"{where}.code")
        seen.add(code)
        for name in ("adult_amount", "child_amount", "infant_amount"):
            v = getattr(b, name)
            if not 0 <= v <= MAX_AMOUNT:
                raise ValidationFailed(f"{where}: {name} must be 0 to {MAX_AMOUNT}, got {v}", field=f"{where}.{name}")
        if not 0 <= b.authorised <= MAX_AUTHORISED:
            raise ValidationFailed(
                f"{where}: authorised must be 0 to {MAX_AUTHORISED}, got {b.authorised}", field=f"{where}.authorised"
            )
        if not 0 <= b.close_at_load_percent <= 100:
            raise ValidationFailed(
                f"{where}: close_at_load_percent must be 0 (no rule) to 100", field=f"{where}.close_at_load_percent"
            )
        if not 0 <= b.close_days_before <= 365:
            raise ValidationFailed(
                f"{where}: close_days_before must be 0 (no rule) to 365", field=f"{where}.close_days_before"
            )
        cur = currency(b.currency)
        if out:
            above = out[-1]
            if b.authorised > above.authorised:
                raise ValidationFailed(
                    f"{where}: bucket {code} authorises {b.authorised} seats, more than {above.code} above it "
                    f"({above.authorised}): limits are nested, so a cheaper bucket never has more",
                    field=f"{where}.authorised",
                )
            if b.adult_amount > above.adult_amount:
                raise ValidationFailed(
                    f"{where}: bucket {code} costs more than {above.code} above it: list buckets dearest first",
                    field=f"{where}.adult_amount",
                )
            if cur != above.currency:
                raise ValidationFailed(f"{where}: all buckets of a cabin use one currency", field=f"{where}.currency")
        out.append(
            Bucket(
                code,
                b.adult_amount,
                b.child_amount,
                b.infant_amount,
                cur,
                b.authorised,
                b.open,
                b.close_at_load_percent,
                b.close_days_before,
            )
        )
    return tuple(out)


def rule_open(b: Bucket, capacity: int, sold: int, departure: datetime, now: datetime) -> bool:
    """Ops' hand and the bucket's own rules: load factor (sold over the cabin's seats) and days
    to departure."""
    if not b.open:
        return False
    if b.close_at_load_percent and sold * 100 >= b.close_at_load_percent * max(capacity, 0):
        return False
    return not (b.close_days_before and departure - now < timedelta(days=b.close_days_before))


def availability(
    ladder: Sequence[Bucket], sold_by_bucket: Mapping[str, int], cabin_left: int, is_open: Sequence[bool]
) -> list[int]:
    """Seats each bucket may still sell (nested; see the module's docstring). `is_open[k]`:
    bucket k is open by hand and rule; a closed bucket closes every cheaper one."""
    out: list[int] = []
    limit = cabin_left
    closed = False
    for k, b in enumerate(ladder):
        sold_here_and_below = sum(max(0, sold_by_bucket.get(x.code, 0)) for x in ladder[k:])
        limit = min(limit, b.authorised - sold_here_and_below)
        closed = closed or not is_open[k]
        out.append(0 if closed else max(0, limit))
    return out


@dataclass(frozen=True)
class BucketState:
    bucket: Bucket
    sold: int
    open: bool  # by hand and rule (and every dearer one open)
    available: int
    claimed: int = 0  # seats in live drafts priced in this bucket (not sold yet)


def ladder_state(
    ladder: Sequence[Bucket],
    sold_by_bucket: Mapping[str, int],
    capacity: int,
    cabin_sold: int,
    cabin_left: int,
    departure: datetime,
    now: datetime,
    claimed_by_bucket: Mapping[str, int] | None = None,
) -> list[BucketState]:
    """Each bucket's state. `claimed_by_bucket`: seats live drafts claimed per bucket code; they
    are taken like sold seats (from the bucket's nested limits, the cabin's seats left and its
    load factor), since each of those drafts may still be paid."""
    claimed = {code: n for code, n in (claimed_by_bucket or {}).items() if n > 0}
    in_drafts = sum(claimed.values())
    taken = {code: max(0, n) for code, n in sold_by_bucket.items()}
    for code, n in claimed.items():
        taken[code] = taken.get(code, 0) + n
    opened = [rule_open(b, capacity, cabin_sold + in_drafts, departure, now) for b in ladder]
    avail = availability(ladder, taken, cabin_left - in_drafts, opened)
    states: list[BucketState] = []
    all_open = True
    for b, o, a in zip(ladder, opened, avail):
        all_open = all_open and o
        states.append(BucketState(b, sold_by_bucket.get(b.code, 0), all_open, a, claimed.get(b.code, 0)))
    return states


def selling_bucket(states: Sequence[BucketState], seats: int) -> Bucket | None:
    """The cheapest open bucket with `seats` available (None: the cabin is not for sale)."""
    for s in reversed(states):
        if s.open and s.available >= seats:
            return s.bucket
    return None


def check_still_sells(states: Sequence[BucketState], code: str, seats: int, flight_number: str) -> None:
    """An offer priced in bucket `code` may still be booked: the bucket is open with `seats`
    available. A ladder ops removed since (no state) no longer limits the cabin."""
    state = next((s for s in states if s.bucket.code == code), None)
    if not states or state is None:
        return
    if not state.open or state.available < seats:
        raise Conflict(
            f"booking class {code} of flight {flight_number} is closed or has fewer than {seats} seat(s) left: "
            "search again for today's price",
            code="fare_bucket_closed",
            field="offer_id",
        )
