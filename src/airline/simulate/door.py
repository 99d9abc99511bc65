"""The day at the door (issue 18): one passenger checks in a bag and does not come to the gate;
at gate close the agent closes the door, the no-show is offloaded, baggage flags their bag,
"departed" is refused while it is in the hold, the agent unloads it, the flight leaves, and the
final manifest and the APIS export list exactly who boarded. And the crew of the flight, read
before it leaves: no held duty may carry a violation.

The gate closes 15 min before departure and the scene's flight leaves hours later: the door
step runs inside a `GateClock`, a block whose requests the platform plays at gate close (the
simulation clock, simulate/clock.py). A platform on the wall clock has none; then the scene
boards everyone and says the door was not reached."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from airline.simulate.desk import DeskSteps
from airline.simulate.model import Inconsistent, Traveller

# For the block's duration the check-in service sees the gate of a flight leaving at the given
# time as closed.
GateClock = Callable[[datetime], AbstractAsyncContextManager[None]]
HOLDING = ("proposed", "accepted")


def when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


class DoorSteps(DeskSteps):
    """Door close, bag reconciliation and the crew check of the day's outbound flight."""

    gate_clock: GateClock | None = None
    no_show: Traveller | None = None

    def pick_no_show(self) -> Traveller | None:
        """An adult with a check-in code and no infant on the lap (their party has no infant),
        of a party of several if there is one: they check in with a bag and never board."""
        if self.gate_clock is None:
            return None
        parties: dict[str, list[Traveller]] = {}
        for t in self.travellers:
            parties.setdefault(t.booking_id, []).append(t)
        candidates = [
            t
            for people in parties.values()
            if all(p.type != "infant" for p in people)
            for t in people
            if t.type == "adult" and t.code
        ]
        several = [t for t in candidates if len(parties[t.booking_id]) > 1]
        pool = several or candidates
        return self.rng.choice(pool) if pool else None

    def flies(self, t: Traveller) -> bool:
        return t is not self.no_show and self.out["id"] in t.passes

    async def check_crew(self, flight: dict[str, Any]) -> None:
        """Before departure ops reads the flight's crew (and asks for a proposal when a role has
        nobody): no held duty may break a rule; a flight nobody can crew (no members at the base)
        is reported, not failed."""
        path = f"/api/v1/flights/{flight['id']}/crew"
        deadline = time.monotonic() + 20
        while True:  # the crew service learns of a new flight from the flights events
            crew = await self.api.call("flight crew", "GET", path, token=self.actors.ops, expect=(200, 404))
            if isinstance(crew, dict) and "readiness" in crew:
                break
            if time.monotonic() > deadline:
                self.summary.crew_note = f"the crew service does not know {flight['number']} after 20 s"
                return
            await asyncio.sleep(0.5)
        if crew["readiness"] == "short":  # not proposed yet (the job runs every 30 s): ops asks now
            crew = await self.api.call("crew proposal", "POST", f"{path}/propose", token=self.actors.ops)
        holding = [x for x in crew["assignments"] if x["state"] in HOLDING]
        s = self.summary
        s.crew_readiness = crew["readiness"]
        s.crew_held = len(holding)
        s.crew_violations = sum(len(x["violations"]) for x in holding)
        for x in holding:
            if x["violations"]:
                self.problem(
                    f"{flight['number']}: {x['role']} {x['member_name']} holds a duty breaking "
                    f"{[v['rule'] + ': ' + v['message'] for v in x['violations']]}"
                )
        if crew["readiness"] == "short":
            s.crew_note = (
                f"{flight['number']} short of {', '.join(crew['short_roles'])} "
                f"({len(holding)} held): nobody legal at the base to crew it"
            )

    async def reconciliation(self, settled: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The flight's bag reconciliation, once `settled` (baggage hears the door close through
        the broker): the last answer after 30 s."""
        deadline = time.monotonic() + 30
        while True:
            rec: dict[str, Any] = await self.api.call(
                "reconciliation",
                "GET",
                f"/api/v1/flights/{self.out['id']}/departure/reconciliation",
                token=self.actors.agent,
            )
            if settled(rec) or time.monotonic() > deadline:
                return rec
            await asyncio.sleep(0.2)

    async def close_the_door(self, bags: list[dict[str, Any]]) -> None:
        """Gate close -> door close -> the no-show's bag flagged, "departed" refused -> unloaded
        -> departed -> manifest and APIS list who boarded."""
        assert self.gate_clock is not None
        a, s, fid = self.api, self.summary, self.out["id"]
        agent = {"Authorization": f"Bearer {self.actors.agent}"}
        ops = {"Authorization": f"Bearer {self.actors.ops}"}
        late = self.no_show.passes.get(fid) if self.no_show else None
        async with self.gate_clock(when(self.out["scheduled_departure"])):
            if late is not None:  # the no-show runs up after gate close: too late
                r = await self.client.post(
                    "/api/v1/boarding", json={"flight_id": fid, "bcbp": late["bcbp"]}, headers=agent
                )
                if r.status_code == 409 and r.json().get("code") == "boarding_closed":
                    s.late_scans_refused += 1
                else:
                    self.problem(f"a gate scan after gate close was answered {r.status_code}: {r.text[:200]}")
            door = await a.call(
                "door close", "POST", f"/api/v1/flights/{fid}/departure/close-door", token=self.actors.agent
            )
        s.door = f"closed at {door['closed_at']}"
        offloaded = {(x["booking_id"], x["passenger_id"]) for x in door["offloaded"]}
        flown = {(t.booking_id, t.passenger_id) for t in self.travellers if self.flies(t)}
        stayed = {(t.booking_id, t.passenger_id) for t in self.travellers} - flown
        if offloaded != stayed:
            raise Inconsistent(f"the door offloaded {sorted(offloaded)}, who did not board is {sorted(stayed)}")
        s.offloaded = len(offloaded)

        # baggage flags the no-show's bags; they are in the hold, so the flight may not leave
        off = {b["tag"] for t in self.travellers if not self.flies(t) for b in t.bags}
        rec = await self.reconciliation(lambda r: r["door_closed"] and len(r["to_offload"]) >= len(off))
        flagged = {b["tag"] for b in rec["to_offload"]}
        if not rec["door_closed"] or flagged != off or set(rec["still_loaded"]) != off or rec["ready"] != (not off):
            raise Inconsistent(
                f"after door close the reconciliation flags {sorted(flagged)} (still loaded {rec['still_loaded']}, "
                f"ready {rec['ready']}), the no-shows' bags are {sorted(off)}"
            )
        s.bags_flagged = len(flagged)
        if off:
            r = await self.client.post(f"/api/v1/flights/{fid}/status", json={"status": "departed"}, headers=ops)
            if r.status_code != 409 or r.json().get("code") != "offloaded_bags_loaded":
                raise Inconsistent(
                    f'"departed" with a no-show\'s bag in the hold was answered {r.status_code}: {r.text[:200]}'
                )
            s.departed_refused += 1
        for bag in (b for t in self.travellers if not self.flies(t) for b in t.bags):
            await self.scan(bag, "unloaded", self.origin, "offloaded at door close")
            s.bags_unloaded += 1
            s.offloaded_bag_tags.append(bag["tag"])
        rec = await self.reconciliation(lambda r: bool(r["ready"]))
        if not rec["ready"] or rec["still_loaded"]:
            raise Inconsistent(f"after unloading, the reconciliation still has {rec['still_loaded']} in the hold")
        await a.call(
            "departed", "POST", f"/api/v1/flights/{fid}/status", token=self.actors.ops, json={"status": "departed"}
        )

        # the final manifest and the APIS export: exactly who boarded, and the bags that fly
        m = await a.call("manifest", "GET", f"/api/v1/flights/{fid}/departure/manifest", token=self.actors.ops)
        listed = {(x["booking_id"], x["passenger_id"]): x["status"] for x in m["passengers"]}
        boarded = {k for k, v in listed.items() if v == "boarded"}
        if not m["door_closed"] or boarded != flown or m["boarded"]["total"] != len(flown):
            raise Inconsistent(f"the final manifest lists {len(boarded)} boarded ({m['boarded']}), {len(flown)} flew")
        if {k for k, v in listed.items() if v == "offloaded"} != offloaded or m["offloaded"]["total"] != len(offloaded):
            raise Inconsistent(
                f"the final manifest lists offloaded {m['offloaded']}, the door offloaded {len(offloaded)}"
            )
        flying = {b["tag"] for b in bags} - off
        if {b["tag"] for b in m["bags"]["bags"]} != flying or m["bags"]["count"] != len(flying):
            raise Inconsistent(f"the final manifest flies {m['bags']['count']} bags, {len(flying)} should")
        s.manifest_boarded = len(boarded)
        apis = await a.call("APIS", "GET", f"/api/v1/flights/{fid}/departure/apis", token=self.actors.ops)
        documents = sorted(x["document_number"] for x in apis["passengers"])
        if not apis["final"] or documents != sorted(t.document for t in self.travellers if self.flies(t)):
            raise Inconsistent(f"the APIS export lists {len(documents)} travel documents, {len(flown)} flew")
        s.apis_records = len(documents)
