"""`--scene week` (issue 18): the seed's operating week played in compressed time.

The seed's timetable (flights/seed.py: three out-and-backs a day for seven days, A320s) and the
seed's crew complement (crew/seed.py) are set up at a simulation base of their own, through the
REST API as ops would (an airport with three gates, three planes, the routes' fares, the crew),
so the live demo's flights and crew are never touched and every run starts clean. The week
starts ten days ahead, beyond the crew service's 8-day auto-proposal horizon, so one roster run
alone crews it; a later run takes the week after (the far ends' gates are shared). Then:

1. ops generates the week's roster in one run (`POST /crew/roster`): every flight must be crewed,
   no held duty may break a rule (the crew service's legality engine, read per flight), and every
   member's week must be out-and-backs, home the same day;
2. for every out-and-back, passengers search, book and pay in real time (all 8 steps), and get
   their check-in codes;
3. each flight's day of departure is played at the time it happens (the simulation clock,
   simulate/clock.py): check-in two hours before, bags dropped and loaded, boarding, the gate
   closing, the door closing (one passenger a day checks in a bag for the way home and never
   comes to the gate: offloaded, their bag flagged, "departed" refused until it is out of the
   hold), departure at the scheduled time, arrival after the block time, bags on the belt;
   the final manifest and APIS export list exactly who flew.

Each out-and-back plays with its own HTTP client, so its own clock: six at a time, in the
week's order (a later day may start while an earlier one is still at its gate). Nothing reads
a database or calls gRPC.
"""

from __future__ import annotations

import asyncio
import random
import string
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from airline.crew.seed import CREW, TYPES
from airline.flights.seed import CURRENCY, DAYS, HOME_TZ, ROUTES, SCHEDULES, fare_amount
from airline.simulate.booking import BookingSteps
from airline.simulate.clock import SimClock
from airline.simulate.door import HOLDING, DoorSteps, when
from airline.simulate.model import BAG_SCANS_IN, BAG_SCANS_OUT, Actors, Api, Inconsistent, Refused, Summary, WeekSummary

WEEK_STARTS_IN_DAYS = 10
WEEKS_AHEAD = 40  # the n-th simulation base flies the (n mod 40)-th week after that
BASE_NAME = "Simulation base "
TRIPS_AT_ONCE = 6
CHECK_IN_BEFORE = timedelta(hours=2)
LOADED_BEFORE = timedelta(minutes=50)
BOARDING_BEFORE = timedelta(minutes=40)
SCANNED_BEFORE = timedelta(minutes=30)


class TripPlay(DoorSteps, BookingSteps):
    """One out-and-back of the week: booked in real time, each leg played on its day."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        actors: Actors,
        passengers: int,
        seed: int,
        out: dict[str, Any],
        back: dict[str, Any],
        no_show_home: bool,
    ) -> None:
        super().__init__(client, actors, passengers, out["destination"], seed, origin=out["origin"])
        self.out, self.back = out, back
        self.clock = SimClock(client)
        self.gate_clock = self.clock.gate_closed
        self.no_show_home = no_show_home

    async def play(self, week: WeekSummary) -> None:
        lanes = asyncio.Semaphore(2)

        async def one(party: tuple[int, int, int]) -> None:
            async with lanes:
                await self.book(*party)

        await asyncio.gather(*(one(p) for p in self.parties()))
        await self.collect_codes()
        week.bookings += self.summary.bookings
        week.passengers += self.summary.passengers
        week.problems += self.summary.problems
        outbound, home = self.out, self.back
        await self.leg(outbound, week, no_show=False)
        self.origin, self.destination = home["origin"], home["destination"]
        self.out = home
        for t in self.travellers:
            t.bags = []
        await self.leg(home, week, no_show=self.no_show_home)

    async def leg(self, flight: dict[str, Any], week: WeekSummary, *, no_show: bool) -> None:
        """The flight's day of departure, each step at its time."""
        self.summary = Summary()
        self.no_show = self.pick_no_show() if no_show else None
        a, fid = self.api, flight["id"]
        departure = when(flight["scheduled_departure"])
        async with self.clock.at(departure - CHECK_IN_BEFORE):
            await asyncio.gather(*(self.check_in(t) for t in self.travellers))
            if self.no_show is not None:
                if fid not in self.no_show.passes:
                    raise Inconsistent(f"{flight['number']}: the no-show did not check in")
                self.summary.no_shows = 1
                if not self.no_show.bags:
                    await self.drop_bag(self.no_show)
        bags = [b for t in self.travellers for b in t.bags]
        async with self.clock.at(departure - LOADED_BEFORE):
            for bag in bags:
                for status in BAG_SCANS_OUT:
                    await self.scan(bag, status, self.origin, "screening 1" if status == "screened" else "hold")
        await self.check_crew(flight)
        async with self.clock.at(departure - BOARDING_BEFORE):
            await a.call(
                "boarding", "POST", f"/api/v1/flights/{fid}/status", token=self.actors.ops, json={"status": "boarding"}
            )
        async with self.clock.at(departure - SCANNED_BEFORE):
            for t in self.travellers:
                if self.flies(t):
                    bp = t.passes[fid]
                    scanned = await a.call(
                        "gate scan",
                        "POST",
                        "/api/v1/boarding",
                        token=self.actors.agent,
                        json={"flight_id": fid, "bcbp": bp["bcbp"]},
                    )
                    if not scanned.get("boarded_at"):
                        self.problem(f"{flight['number']}: {t.first_name} {t.last_name} scanned but not boarded")
                    self.summary.boarded += 1
        async with self.clock.at(departure):  # the door closes just before (gate_clock), then off it goes
            await self.close_the_door(bags)
        week.departed += 1
        landing = when(flight["scheduled_arrival"])
        async with self.clock.at(landing):
            await a.call(
                "arrived", "POST", f"/api/v1/flights/{fid}/status", token=self.actors.ops, json={"status": "arrived"}
            )
        week.arrived += 1
        offloaded = set(self.summary.offloaded_bag_tags)
        async with self.clock.at(landing + timedelta(minutes=15)):
            for bag in bags:
                if bag["tag"] not in offloaded:
                    for status in BAG_SCANS_IN:
                        await self.scan(bag, status, self.destination, "hold" if status == "unloaded" else "belt 1")
        for bag in bags:  # every scan in the bag's history, in order: none lost, none flew alone
            seen = await a.call("bag", "GET", f"/api/v1/bags/{bag['tag']}", token=self.actors.agent)
            got = [h["status"] for h in seen["history"]]
            scans = ["unloaded"] if bag["tag"] in offloaded else list(BAG_SCANS_IN)
            if got != ["checked_in", *BAG_SCANS_OUT, *scans]:
                self.problem(f"{flight['number']}: bag {bag['tag']} history is {got}")
        if self.summary.crew_readiness not in ("pending", "ready"):
            self.problem(f"{flight['number']} left with its crew {self.summary.crew_readiness}")
        week.fold(self.summary)


class Week:
    """Sets the week up at a base of its own, rosters it, then plays it day by day."""

    def __init__(self, client: httpx.AsyncClient, actors: Actors, passengers: int, seed: int | None) -> None:
        self.client = client
        self.api = Api(client)
        self.actors = actors
        self.passengers = passengers
        self.rng = random.Random(seed)
        self.summary = WeekSummary()
        self.trips: list[tuple[dict[str, Any], dict[str, Any]]] = []

    async def run(self, base_url: str) -> WeekSummary:
        began = time.monotonic()
        if not await SimClock(self.client).available():
            self.summary.problems.append(
                "the platform runs on the wall clock (AIRLINE_SIM_CLOCK off): a week cannot be played in compressed time"
            )
            return self.summary
        await self.set_up()
        self.summary.setup_seconds = time.monotonic() - began
        await self.roster()
        self.summary.roster_seconds = time.monotonic() - began - self.summary.setup_seconds
        by_day: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        first = when(self.trips[0][0]["scheduled_departure"]).astimezone(ZoneInfo(HOME_TZ)).date()
        for out, back in self.trips:
            day = (when(out["scheduled_departure"]).astimezone(ZoneInfo(HOME_TZ)).date() - first).days
            by_day.setdefault(day, []).append((out, back))
        # each out-and-back plays on its own client and clock, so the days need not wait for each
        # other: a few at a time keep the platform busy while others wait for an event to arrive
        lanes = asyncio.Semaphore(TRIPS_AT_ONCE)

        async def trip(out: dict[str, Any], back: dict[str, Any], no_show_home: bool) -> None:
            async with lanes:
                await self.play(base_url, out, back, no_show_home)

        await asyncio.gather(
            *(trip(out, back, k == 0) for day in sorted(by_day) for k, (out, back) in enumerate(by_day[day]))
        )
        self.summary.seconds = time.monotonic() - began
        return self.summary

    async def play(self, base_url: str, out: dict[str, Any], back: dict[str, Any], no_show_home: bool) -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            trip = TripPlay(client, self.actors, self.passengers, self.rng.randrange(1 << 30), out, back, no_show_home)
            try:
                await trip.play(self.summary)
            except (Refused, Inconsistent) as e:
                self.summary.problems.append(f"{out['number']}/{back['number']}: {e}")

    # ------------------------------------------------------------------ the week's world

    async def set_up(self) -> None:
        a, ops = self.api, self.actors.ops
        code = await self.free_airport_code()
        self.summary.base = code
        await a.call(
            "simulation base",
            "POST",
            "/api/v1/airports",
            token=ops,
            json={
                "code": code,
                "name": f"{BASE_NAME}{code}",
                "city": "Simulation",
                "country": "SG",
                "time_zone": HOME_TZ,
            },
        )
        for k in range(1, 4):
            await a.call("gate", "POST", f"/api/v1/airports/{code}/gates", token=ops, json={"code": f"X{k}"})
        model = await a.call("plane P1", "GET", "/api/v1/planes/P1", token=ops)
        planes = []
        for _ in SCHEDULES:
            pid = "W" + "".join(self.rng.choices(string.ascii_uppercase + string.digits, k=7))
            reg = "9V-" + "".join(self.rng.choices(string.ascii_uppercase + string.digits, k=6))
            body = {
                "id": pid,
                "registration": reg,
                "aircraft_type": model["aircraft_type"],
                "home_airport": code,
                "layout": model["layout"],
            }
            await a.call("plane", "POST", "/api/v1/planes", token=ops, json=body)
            planes.append(pid)
        fares, rules = [], []
        for destination, one_way in ROUTES:
            for origin, dest in ((code, destination), (destination, code)):
                for cabin in ("normal", "vip"):
                    for ptype in ("adult", "child", "infant"):
                        for trip in ("one_way", "round_trip"):
                            amount = fare_amount(one_way, cabin, ptype, trip)
                            fares.append(
                                {
                                    "origin": origin,
                                    "destination": dest,
                                    "cabin_class": cabin,
                                    "passenger_type": ptype,
                                    "trip_type": trip,
                                    "amount": amount,
                                    "currency": CURRENCY,
                                }
                            )
                    rules.append(
                        {
                            "origin": origin,
                            "destination": dest,
                            "cabin_class": cabin,
                            "currency": CURRENCY,
                            "refundable": cabin == "vip",
                        }
                    )
        await a.call("fares", "PUT", "/api/v1/fares", token=ops, json={"fares": fares, "rules": rules})
        for role, count in CREW:
            for i in range(1, count + 1):
                await a.call(
                    "crew member",
                    "POST",
                    "/api/v1/crew/members",
                    token=ops,
                    json={
                        "name": f"Sim {role.replace('_', ' ').title()} {i} {code}",
                        "role": role,
                        "home_base": code,
                        "qualifications": list(TYPES),
                    },
                )
                self.summary.crew_members += 1
        # beyond the crew service's auto-proposal horizon (8 days): the roster run alone crews it;
        # each simulation base flies a week of its own: the far ends' gates are shared, and the
        # same timetable twice in one week would find them taken
        airports = (await a.call("airports", "GET", "/api/v1/airports"))["airports"]
        bases = [x for x in airports if x["name"].startswith(BASE_NAME)]
        earlier = sum(1 for b in bases if b["code"] != code)
        first = datetime.now(ZoneInfo(HOME_TZ)).date() + timedelta(
            days=WEEK_STARTS_IN_DAYS + 7 * (earlier % WEEKS_AHEAD)
        )
        self.summary.first_day = first.isoformat()
        for plane, (_, dest, _, _, dep, gate, minutes, _, back_dep, back_minutes) in zip(
            planes, SCHEDULES, strict=True
        ):
            self.trips += await self.schedule(code, plane, dest, dep, gate, minutes, back_dep, back_minutes, first)
        self.trips.sort(key=lambda trip: trip[0]["scheduled_departure"])
        self.summary.flights = 2 * len(self.trips)

    async def free_airport_code(self) -> str:
        for _ in range(50):
            code = "W" + "".join(self.rng.choices(string.ascii_uppercase, k=2))
            r = await self.client.get(f"/api/v1/airports/{code}")
            if r.status_code == 404:
                return code
        raise Inconsistent("no free airport code for the simulation base in 50 tries")

    async def schedule(
        self,
        base: str,
        plane: str,
        dest: str,
        dep: str,
        gate: str,
        minutes: int,
        back_dep: str,
        back_minutes: int,
        first: Any,
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The route's week on one plane; the far end's gates are shared with the live demo, so a
        taken one is swapped for the next."""
        far = [g["code"] for g in (await self.api.call("gates", "GET", f"/api/v1/airports/{dest}/gates"))["gates"]]
        self.rng.shuffle(far)
        for back_gate in far:
            number = self.rng.randint(500, 4999) * 2 + 1
            body = {
                "number": f"XW{number}",
                "origin": base,
                "destination": dest,
                "plane_id": plane,
                "gate": gate,
                "departure_local_time": dep,
                "duration_minutes": minutes,
                "first_date": first.isoformat(),
                "days": DAYS,
                "return_number": f"XW{number + 1}",
                "return_gate": back_gate,
                "return_departure_local_time": back_dep,
                "return_duration_minutes": back_minutes,
            }
            r = await self.client.post(
                "/api/v1/schedules", json=body, headers={"Authorization": f"Bearer {self.actors.ops}"}
            )
            if r.status_code == 201:
                flights = r.json()["flights"]
                outs = [f for f in flights if f["origin"] == base]
                backs = [f for f in flights if f["origin"] != base]
                outs.sort(key=lambda f: f["scheduled_departure"])
                backs.sort(key=lambda f: f["scheduled_departure"])
                return list(zip(outs, backs, strict=True))
            if r.status_code != 409:
                raise Refused(f"the {dest} schedule", r)
        raise Inconsistent(f"no gate free at {dest} for the simulation's week")

    # ------------------------------------------------------------------ the roster

    async def roster(self) -> None:
        """One roster run for the week at the base, once the crew service knows every flight."""
        a, ops = self.api, self.actors.ops
        flights = [f for trip in self.trips for f in trip]
        deadline = time.monotonic() + 60
        for f in flights:  # crew learns of each flight from the flights events
            while True:
                crew = await a.call(
                    "flight crew", "GET", f"/api/v1/flights/{f['id']}/crew", token=ops, expect=(200, 404)
                )
                if isinstance(crew, dict) and "readiness" in crew:
                    break
                if time.monotonic() > deadline:
                    raise Inconsistent(f"the crew service does not know {f['number']} after 60 s")
                await asyncio.sleep(0.2)
        first = min(when(f["scheduled_departure"]) for f in flights) - timedelta(hours=2)
        last = max(when(f["scheduled_departure"]) for f in flights) + timedelta(hours=6)
        run = await a.call(
            "roster",
            "POST",
            "/api/v1/crew/roster",
            token=ops,
            json={"from": first.isoformat(), "to": last.isoformat(), "base": self.summary.base},
            timeout=180,
        )
        s = self.summary
        s.roster_proposed, s.roster_short = run["proposed"], run["flights_short"]
        s.roster_kept = sum(int(f.get("kept") or 0) for f in run["flights"])
        s.roster_solver_seconds = float(run.get("solver_seconds") or 0.0)
        for f in run["flights"]:
            if f["uncovered"]:
                s.problems.append(f"the roster leaves {f['flight_number']} short: {f['uncovered']}")
        ids = {f["id"] for f in flights}
        if not ids <= {f["flight_id"] for f in run["flights"]}:
            s.problems.append("the roster run did not answer for every flight of the week")
        sectors: dict[str, list[dict[str, Any]]] = {}
        for f in flights:  # every held duty legal, every role held
            crew = await a.call("flight crew", "GET", f"/api/v1/flights/{f['id']}/crew", token=ops)
            held = [x for x in crew["assignments"] if x["state"] in HOLDING]
            if crew["readiness"] == "short" or any(x["violations"] for x in held):
                s.problems.append(
                    f"{f['number']} after the roster: {crew['readiness']}, "
                    f"{[v['rule'] for x in held for v in x['violations']]}"
                )
            for x in held:
                sectors.setdefault(x["member_id"], []).append(f)
        s.members_rostered = len(sectors)
        for member, legs in sectors.items():  # the seed's week is out-and-backs: home every night
            legs.sort(key=lambda f: f["scheduled_departure"])
            pairs = list(zip(legs[::2], legs[1::2], strict=False))
            if len(legs) % 2 or any(
                out["origin"] != self.summary.base
                or back["origin"] != out["destination"]
                or back["destination"] != self.summary.base
                or _day(out) != _day(back)
                for out, back in pairs
            ):
                s.problems.append(f"crew member {member}'s week is not out-and-backs home the same day")


def _day(flight: dict[str, Any]) -> Any:
    return when(flight["scheduled_departure"]).astimezone(ZoneInfo(HOME_TZ)).date()


async def simulate_week(base_url: str, actors: Actors, *, passengers: int = 4, seed: int | None = None) -> WeekSummary:
    """Play the seed's week at a base of its own; problems are in the summary."""
    if passengers < 1 or passengers > 150:
        raise ValueError("passengers must be between 1 and 150 (one A320's normal cabin)")
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        week = Week(client, actors, passengers, seed)
        try:
            return await week.run(base_url)
        except (Refused, Inconsistent) as e:
            week.summary.problems.append(str(e))
            return week.summary
