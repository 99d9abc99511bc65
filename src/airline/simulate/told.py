"""What the disruption scene's passengers were told: one SMS and one e-mail per booking per
flight change (a delay or gate change may still be held in the notification service's settle
window, `queued`: it counts, as it will go), and each later step (the re-accommodation
proposal, its result, a compensation paid) once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from airline.simulate.model import Day

CHANGES = ("delay", "gate", "cancellation")
WAIT_S = 20.0


def change_of(message: dict[str, Any]) -> str:
    """The flight change a message tells of (its template `flight_<change>.<lang>.v1`), or ''
    for the other steps (a proposal, its result)."""
    name = str(message["template"]).split(".")[0].removeprefix("flight_")
    return name if name in (*CHANGES, "diversion") else ""


class ToldSteps(Day):
    """The notification outbox, read as admin, per booking."""

    async def _told(
        self,
        booked: dict[str, list[str]],
        proposals: dict[str, dict[str, Any]],
        compensated: dict[str, int],
        says: dict[str, list[str]],
    ) -> None:
        """One SMS and one e-mail per booking per change, each saying what `says` lists for the
        change (the flight, the new local time, the new gate); the later steps (the proposal,
        its result, the compensation paid) once each too."""
        d = self.summary.disruption
        assert d is not None
        # proposed + its result (applied or refunded), an unplaced booking its refund only; and
        # each passenger's compensation paid
        want_rebooking = {
            bid: (4 if bid in proposals else 2) + 2 * compensated.get(bid, 0) for bid in booked["cancellation"]
        }
        deadline = time.monotonic() + WAIT_S
        while True:
            seen: dict[str, list[dict[str, Any]]] = {}
            for bids in booked.values():
                for bid in bids:
                    page = await self.api.call(
                        "notifications",
                        "GET",
                        "/api/v1/notifications",
                        token=self.actors.admin,
                        params={"kind": "flight_disruption", "reference": bid, "page_size": 50},
                    )
                    seen[bid] = page["messages"]
            complete = all(
                len([m for m in seen[bid] if change_of(m) == change]) >= 2
                for change, bids in booked.items()
                for bid in bids
            ) and all(len([m for m in seen[b] if not change_of(m)]) >= n for b, n in want_rebooking.items())
            if complete or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        for change, key in zip(CHANGES, ("delayed", "gate_changed", "cancelled"), strict=True):
            told = 0
            for bid in booked[change]:
                changes = [m for m in seen[bid] if change_of(m)]
                ours = [m for m in changes if change_of(m) == change]
                channels = Counter(m["channel"] for m in ours)
                live = [m for m in ours if m["status"] in ("queued", "sent")]
                d.messages_held += len([m for m in ours if m["status"] == "queued"])
                if channels == Counter({"sms": 1, "email": 1}) and len(live) == 2:
                    told += 1
                else:
                    self.problem(
                        f"booking {bid} ({change}): told {dict(channels)} "
                        f"({[m['status'] for m in ours]}), not one SMS and one e-mail"
                    )
                missing = {f"{m['channel']}: {words}" for m in ours for words in says[change] if words not in m["body"]}
                if missing:
                    self.problem(f"booking {bid} ({change}): the message does not say {sorted(missing)}")
                other = [m["template"] for m in changes if m not in ours]
                if other:
                    self.problem(f"booking {bid} ({change}) was told of changes it is not affected by: {other}")
            getattr(d, key)["told"] = told
        for bid, n in want_rebooking.items():
            steps = [m for m in seen[bid] if not change_of(m)]
            d.rebooking_messages += len(steps)
            doubled = [k for k, c in Counter((m["channel"], m["body"]) for m in steps).items() if c > 1]
            if len(steps) != n or doubled:
                self.problem(
                    f"booking {bid}: {len(steps)} rebooking messages, {n} expected ({len(doubled)} doubled): "
                    f"{[m['channel'] + ': ' + m['body'][:60] for m in steps]}"
                )
