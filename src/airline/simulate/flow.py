"""The whole day: ops creates the flights, the waiting hall is watched live, then booking,
check-in, boarding, departure, arrival and the belt; and the entry points."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import httpx

from airline.platform.flight_status import FlightStatus
from airline.simulate.clock import SimClock
from airline.simulate.disruption import DisruptionScene
from airline.simulate.door import DoorSteps, GateClock, when
from airline.simulate.model import (
    BAG_SCANS_IN,
    BAG_SCANS_OUT,
    Actors,
    Inconsistent,
    Refused,
    Summary,
    Traveller,
    local_time,
    login,
)
from airline.simulate.week import WeekSummary, simulate_week


class Simulation(DisruptionScene, DoorSteps):
    """One day of the seed's main flow, every hand-over checked; and the disruption scene."""

    # ------------------------------------------------------------------ 1. ops: today's flights

    async def create_flights(self) -> None:
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        start = now + timedelta(hours=2) - timedelta(minutes=now.minute % 5)
        # every 30 min up to 20 h ahead: check-in must be open (24 h before)
        self.out, self.back = await self.round_trip(start)
        self.summary.flights = [
            f"{f['number']} {f['origin']}->{f['destination']} "
            f"{local_time(f['scheduled_departure'], f['origin_time_zone'])} on {f['plane_id']} "
            f"gate {f['gate']}"
            for f in (self.out, self.back)
        ]

    # ------------------------------------------------------------------ the waiting hall, watched live

    async def watch_board(self, ready: asyncio.Event) -> None:
        """Keep the departures board of the origin open, as the hall's screen does."""
        async with self.client.stream(
            "GET", f"/api/v1/airports/{self.origin}/departures/live", timeout=httpx.Timeout(10, read=None)
        ) as r:
            if r.status_code != 200:
                raise Refused("the waiting-hall board", r)
            event = ""
            async for line in r.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data = json.loads(line[5:])
                    if event == "snapshot":
                        ready.set()
                    else:
                        self.board_events.append({"event": event, "data": data})

    def board_saw(self) -> tuple[list[str], list[str]]:
        """The flight's statuses as the board showed them, in order, and the calls it showed."""
        statuses: list[str] = []
        calls: list[str] = []
        for e in self.board_events:
            d = e["data"]
            if e["event"] == "flight" and d.get("flight", {}).get("id") == self.out["id"]:
                statuses.append(d["flight"]["status"])
            if e["event"] == "announcement" and d.get("flight_id") == self.out["id"]:
                calls.append(d.get("kind", ""))
        return statuses, calls

    # ------------------------------------------------------------------ the whole day

    async def run(self) -> Summary:
        began = time.monotonic()
        a = self.api
        await self.create_flights()
        board_ready = asyncio.Event()
        board = asyncio.create_task(self.watch_board(board_ready))
        try:
            await asyncio.wait_for(board_ready.wait(), 15)
            gate = self.out["gate"]

            parties = self.parties()
            lanes = asyncio.Semaphore(4)

            async def one(party: tuple[int, int, int]) -> None:
                async with lanes:
                    await self.book(*party)

            await asyncio.gather(*(one(p) for p in parties))
            await self.collect_codes()
            self.no_show = self.pick_no_show()

            counters = asyncio.Semaphore(3)

            async def desk(t: Traveller) -> None:
                async with counters:
                    await self.check_in(t)

            await asyncio.gather(*(desk(t) for t in self.travellers))
            if self.no_show is not None:  # checks in with a bag, and never comes to the gate
                if self.out["id"] not in self.no_show.passes:
                    raise Inconsistent(
                        f"the no-show {self.no_show.first_name} {self.no_show.last_name} did not check in"
                    )
                self.summary.no_shows = 1
                if not self.no_show.bags:
                    await self.drop_bag(self.no_show)
            bags = [b for t in self.travellers for b in t.bags]
            for bag in bags:
                for status in BAG_SCANS_OUT:
                    await self.scan(bag, status, self.origin, "screening 1" if status == "screened" else f"{gate} hold")
            manifest = await a.call(
                "manifest", "GET", f"/api/v1/flights/{self.out['id']}/baggage", token=self.actors.agent
            )
            if manifest["count"] != len(bags) or manifest["total_weight_g"] != sum(b["weight_g"] for b in bags):
                self.problem(
                    f"manifest says {manifest['count']} bags / {manifest['total_weight_g']} g, "
                    f"the counter dropped {len(bags)} / {sum(b['weight_g'] for b in bags)} g"
                )
            if manifest["not_loaded"]:
                self.problem(f"bags scanned as loaded are missing from the hold: {manifest['not_loaded']}")

            await self.check_crew(self.out)
            # the waiting hall: go to the gate, boarding, final call
            await a.call(
                "announcement",
                "POST",
                f"/api/v1/flights/{self.out['id']}/announcements",
                token=self.actors.agent,
                json={"kind": "go_to_gate"},
            )
            await a.call(
                "boarding",
                "POST",
                f"/api/v1/flights/{self.out['id']}/status",
                token=self.actors.ops,
                json={"status": "boarding"},
            )
            seats: Counter[str] = Counter()
            for t in self.travellers:
                bp = t.passes.get(self.out["id"])
                if bp is None or t is self.no_show:
                    continue
                boarded = await a.call(
                    "gate scan",
                    "POST",
                    "/api/v1/boarding",
                    token=self.actors.agent,
                    json={"flight_id": self.out["id"], "bcbp": bp["bcbp"]},
                )
                if not boarded.get("boarded_at"):
                    self.problem(f"{t.first_name} {t.last_name} scanned at the gate but not boarded")
                self.summary.boarded += 1
                if bp["seat"] and bp["passenger_type"] != "infant":
                    seats[bp["seat"]] += 1
            self.summary.boarding_passes = sum(len(t.passes) for t in self.travellers)
            first = next((t.passes[self.out["id"]] for t in self.travellers if self.flies(t)), None)
            if first is not None:
                again = await self.client.post(
                    "/api/v1/boarding",
                    json={"flight_id": self.out["id"], "bcbp": first["bcbp"]},
                    headers={"Authorization": f"Bearer {self.actors.agent}"},
                )
                if again.status_code == 409:
                    self.summary.second_scans_refused += 1
                else:
                    self.problem(f"a second scan of one pass was answered {again.status_code}, not refused")
            doubled = [s for s, n in seats.items() if n > 1]
            if doubled:
                self.problem(f"seats given twice on {self.out['number']}: {doubled}")
            await a.call(
                "announcement",
                "POST",
                f"/api/v1/flights/{self.out['id']}/announcements",
                token=self.actors.agent,
                json={"kind": "final_call"},
            )

            listed = (
                await a.call(
                    "flight passengers", "GET", f"/api/v1/flights/{self.out['id']}/passengers", token=self.actors.agent
                )
            )["passengers"]
            boarded = [p for p in listed if p["status"] == "boarded"]
            holders = {(t.booking_id, t.passenger_id) for t in self.travellers if self.out["id"] in t.passes}
            for p in boarded:
                if (p["booking_id"], p["passenger_id"]) not in holders or p["sequence"] is None:
                    self.problem(f"{p['first_name']} {p['last_name']} boarded without a boarding pass")
            if len(boarded) != self.summary.boarded:
                self.problem(f"the flight lists {len(boarded)} boarded, the gate boarded {self.summary.boarded}")
            listed_seats = Counter(p["seat"] for p in listed if p["seat"] and p["passenger_type"] != "infant")
            if any(n > 1 for n in listed_seats.values()):
                self.problem(f"the passenger list shows a seat twice: {[s for s, n in listed_seats.items() if n > 1]}")

            # the door closes (no-shows offloaded, their bags off), off it goes, and lands
            if self.gate_clock is not None:
                await self.close_the_door(bags)
            else:
                gate_closes = when(self.out["scheduled_departure"]) - timedelta(minutes=15)
                self.summary.door = f"not reached (the gate closes at {gate_closes:%H:%M}Z; no clock to move)"
                await a.call(  # bags are loaded and the door never closed: ops must say why it leaves
                    "departed",
                    "POST",
                    f"/api/v1/flights/{self.out['id']}/status",
                    token=self.actors.ops,
                    json={
                        "status": "departed",
                        "override_reason": "simulation on the wall clock: the door cannot close hours early",
                    },
                )
            no_shows = await a.call(
                "no-shows", "GET", f"/api/v1/flights/{self.out['id']}/no-shows", token=self.actors.agent
            )
            if no_shows["not_checked_in"] or no_shows["checked_in_not_boarded"]:
                self.problem(
                    f"no-shows after everyone boarded: {len(no_shows['not_checked_in'])} not checked in, "
                    f"{len(no_shows['checked_in_not_boarded'])} not boarded"
                )
            await a.call(
                "arrived",
                "POST",
                f"/api/v1/flights/{self.out['id']}/status",
                token=self.actors.ops,
                json={"status": "arrived"},
            )
            offloaded = set(self.summary.offloaded_bag_tags)
            for bag in bags:
                if bag["tag"] in offloaded:
                    continue
                for status in BAG_SCANS_IN:
                    await self.scan(bag, status, self.destination, "hold" if status == "unloaded" else "belt 2")
            for bag in bags:  # every scan is in the bag's history, in order
                seen = await a.call("bag", "GET", f"/api/v1/bags/{bag['tag']}", token=self.actors.agent)
                got = [h["status"] for h in seen["history"]]
                scans = ["unloaded"] if bag["tag"] in offloaded else list(BAG_SCANS_IN)
                if got != ["checked_in", *BAG_SCANS_OUT, *scans]:
                    self.problem(f"bag {bag['tag']} history is {got}")

            # the hall's board saw it all, live. Each lifecycle step is its own topic, so a step
            # that follows at once may overtake the one before; the board keeps the newest version
            # of the flight and drops the older, so what must hold is: the steps it showed came
            # in lifecycle order and it ended on "arrived".
            order = [s.value for s in FlightStatus]  # lifecycle order
            arrived = [FlightStatus.ARRIVED.value]
            deadline = time.monotonic() + 10
            while True:
                statuses, calls = self.board_saw()
                if (
                    statuses[-1:] == arrived and {"go_to_gate", "final_call"} <= set(calls)
                ) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.1)
            if statuses[-1:] != arrived:
                self.problem(f"the waiting-hall board showed {self.out['number']} as {statuses}, not ending in arrived")
            elif [order.index(s) for s in statuses] != sorted(order.index(s) for s in statuses):
                self.problem(f"the waiting-hall board showed {self.out['number']} going back: {statuses}")
            if not {"go_to_gate", "final_call"} <= set(calls):
                self.problem(f"the waiting-hall board showed the calls {calls}, not go_to_gate and final_call")
            self.summary.board_flight_updates = len(
                [
                    e
                    for e in self.board_events
                    if e["event"] == "flight" and e["data"].get("flight", {}).get("id") == self.out["id"]
                ]
            )
            self.summary.board_announcements = len(calls)
        finally:
            board.cancel()
            await asyncio.gather(board, return_exceptions=True)
        if self.summary.passengers != self.want:
            self.problem(f"{self.summary.passengers} passengers booked, {self.want} wanted")
        if self.summary.sms_codes != self.summary.passengers:
            self.problem(f"{self.summary.sms_codes} SMS codes for {self.summary.passengers} passengers")
        if self.summary.boarded != self.summary.passengers - self.summary.no_shows:
            self.problem(
                f"{self.summary.boarded} of {self.summary.passengers} passengers boarded "
                f"({self.summary.no_shows} no-show)"
            )
        self.summary.seconds = time.monotonic() - began
        return self.summary


SCENES = ("day", "disruption", "all")


async def simulate(
    base_url: str,
    actors: Actors,
    *,
    passengers: int = 6,
    destination: str = "AOR",
    seed: int | None = None,
    scene: str = "day",
    gate_clock: GateClock | None = None,
) -> Summary:
    """Run the main flow (scene "day"), the disruption scene ("disruption") or both ("all") once
    against the platform at `base_url`; problems are in the summary. With a `gate_clock` (something
    that makes the check-in service see the gate closed) the day has a no-show and closes the door."""
    if passengers < 1 or passengers > 150:
        raise ValueError("passengers must be between 1 and 150 (one A320's normal cabin)")
    if scene not in SCENES:
        raise ValueError(f"scene must be one of {SCENES}")
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        sim = Simulation(client, actors, passengers, destination, seed)
        if gate_clock is None and await SimClock(client).available():
            gate_clock = SimClock(client).gate_closed  # the door step plays at gate close
        sim.gate_clock = gate_clock
        try:
            if scene in ("day", "all"):
                await sim.run()
            if scene in ("disruption", "all"):
                await sim.disruption()
        except (Refused, Inconsistent) as e:
            sim.summary.problems.append(str(e))
        return sim.summary


async def main(
    base_url: str,
    passengers: int,
    destination: str,
    seed: int | None,
    as_json: bool,
    credentials: dict[str, tuple[str, str]],
    scene: str = "day",
) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        try:
            actors = Actors(**{role: await login(client, *credentials[role]) for role in ("ops", "agent", "admin")})
        except (Refused, httpx.HTTPError) as e:
            print(f"cannot sign in the staff at {base_url}: {e}")
            return 2
    summary: Summary | WeekSummary
    if scene == "week":
        summary = await simulate_week(base_url, actors, passengers=passengers, seed=seed)
    else:
        summary = await simulate(
            base_url, actors, passengers=passengers, destination=destination, seed=seed, scene=scene
        )
    print(json.dumps(asdict(summary), indent=2) if as_json else summary.text())
    return 0 if not summary.problems else 1
