"""`airline simulate`: the seed's main flow, driven through the public REST API as its actors
would drive it, with a consistency check at every hand-over.

    ops creates today's round trip -> passengers search and book (all 8 steps) and pay -> each
    gets the SMS with a check-in code -> the agent verifies them and checks their bags -> bags
    are tracked -> the waiting hall shows the flight and the calls -> boarding -> departed ->
    arrived -> bags on the belt and claimed.

Nothing here reads a database or calls gRPC: what the simulation sees is what a browser or a
desk would see. It exits non-zero when something does not add up (a lost bag scan, a seat
given twice, a boarded passenger without a pass, an SMS missing or doubled...).
"""
from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx

CODE = re.compile(r"\b[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}\b")
TEST_CARD = {"type": "card", "number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}
FIRST = ["Mai", "Minh", "An", "Bao", "Linh", "Siti", "Arjun", "Wei", "Nur", "Kai", "Ana", "Rizal", "Mei", "Tan",
         "Priya", "Hana", "Omar", "Yuki", "Lena", "Ravi"]
LAST = ["Tran", "Lim", "Tan", "Wong", "Rahman", "Singh", "Nguyen", "Lee", "Ong", "Goh", "Ismail", "Kumar",
        "Chua", "Teo", "Halim", "Suzuki", "Santos", "Reyes"]
BAG_SCANS_OUT = ("screened", "loaded")
BAG_SCANS_IN = ("unloaded", "on_belt", "claimed")


class Inconsistent(Exception):
    """The platform answered, but what it answered does not add up."""


class Refused(Exception):
    """A call the flow needs was refused."""

    def __init__(self, what: str, response: httpx.Response) -> None:
        super().__init__(f"{what}: HTTP {response.status_code} {response.text[:400]}")
        self.status = response.status_code


@dataclass
class Actors:
    """Bearer tokens of the staff the flow needs."""

    ops: str
    agent: str
    admin: str


@dataclass
class Summary:
    flights: list[str] = field(default_factory=list)
    bookings: int = 0
    passengers: int = 0
    sms_codes: int = 0
    checked_in_online: int = 0
    checked_in_at_counter: int = 0
    boarding_passes: int = 0
    bags: int = 0
    bags_with_excess_paid: int = 0
    excess_fees: int = 0
    bag_weight_kg: float = 0.0
    bag_scans: int = 0
    boarded: int = 0
    second_scans_refused: int = 0
    board_flight_updates: int = 0
    board_announcements: int = 0
    paid_total: int = 0
    currency: str = ""
    booking_ids: list[str] = field(default_factory=list)
    bag_tags: list[str] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"flights           {', '.join(self.flights)}",
            f"bookings          {self.bookings} ({self.passengers} passengers), paid {self.paid_total / 100:.2f} {self.currency}",
            f"SMS codes         {self.sms_codes}",
            f"check-in          {self.checked_in_online} online, {self.checked_in_at_counter} at the counter; "
            f"{self.boarding_passes} boarding passes",
            f"bags              {self.bags} ({self.bag_weight_kg:.1f} kg), {self.bags_with_excess_paid} with excess paid "
            f"({self.excess_fees / 100:.2f} {self.currency}); {self.bag_scans} tracking scans",
            f"boarding          {self.boarded} boarded, {self.second_scans_refused} second scan refused",
            f"waiting hall      {self.board_flight_updates} flight updates, {self.board_announcements} announcements seen live",
            f"took              {self.seconds:.1f} s",
        ]
        lines.append("consistent        yes" if not self.problems else
                     "PROBLEMS\n" + "\n".join(f"  - {p}" for p in self.problems))
        return "\n".join(lines)


@dataclass
class Traveller:
    booking_id: str
    passenger_id: str
    type: str
    first_name: str
    last_name: str
    document: str
    code: str = ""
    passes: dict[str, dict[str, Any]] = field(default_factory=dict)  # flight id -> boarding pass
    bags: list[dict[str, Any]] = field(default_factory=list)


class Api:
    """The public REST API with the few habits every call shares."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(self, what: str, method: str, path: str, *, token: str | None = None, expect: int | tuple[int, ...] = (200, 201),
                   headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        r = await self.client.request(method, path, headers=h, **kwargs)
        if r.status_code not in ((expect,) if isinstance(expect, int) else expect):
            raise Refused(what, r)
        return r.json() if r.content and r.headers.get("content-type", "").endswith("json") else r


async def login(client: httpx.AsyncClient, email: str, password: str) -> str:
    r = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    if r.status_code != 200:
        raise Refused(f"sign-in of {email}", r)
    return str(r.json()["access_token"])


class Simulation:
    def __init__(self, client: httpx.AsyncClient, actors: Actors, passengers: int, destination: str, seed: int | None,
                 origin: str = "XSP") -> None:
        self.api = Api(client)
        self.client = client
        self.actors = actors
        self.want = passengers
        self.origin = origin
        self.destination = destination
        self.rng = random.Random(seed)
        self.summary = Summary()
        self.travellers: list[Traveller] = []
        self.board_events: list[dict[str, Any]] = []
        self.out: dict[str, Any] = {}
        self.back: dict[str, Any] = {}

    def problem(self, text: str) -> None:
        self.summary.problems.append(text)

    # ------------------------------------------------------------------ 1. ops: today's flights

    async def create_flights(self) -> None:
        a = self.api
        planes = (await a.call("fleet", "GET", "/api/v1/planes", token=self.actors.ops))["planes"]
        # the seed's spare planes first (P4, P5), so the seeded schedule keeps its own
        ids = sorted((p["id"] for p in planes if p.get("status", "active") == "active"),
                     key=lambda i: (i not in ("P4", "P5"), i))
        gates = [g["code"] for g in (await a.call("gates", "GET", f"/api/v1/airports/{self.origin}/gates"))["gates"]]
        far_gates = [g["code"] for g in
                     (await a.call("gates", "GET", f"/api/v1/airports/{self.destination}/gates"))["gates"]]
        duration = 85 if self.destination == "AOR" else 120
        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        start = now + timedelta(hours=2) - timedelta(minutes=now.minute % 5)
        for step in range(0, 36):  # every 30 min up to 20 h ahead: check-in must be open (24 h before)
            departure = start + timedelta(minutes=30 * step)
            for plane in ids:
                for gate in gates:
                    number = self.rng.randint(700, 4999) * 2 + 1  # odd out, even back, as the seed numbers them
                    body = {
                        "outbound": {"number": f"XA{number}", "origin": self.origin, "destination": self.destination,
                                     "departure": departure.isoformat(), "duration_minutes": duration,
                                     "plane_id": plane, "gate": gate},
                        "return_number": f"XA{number + 1}",
                        "return_departure": (departure + timedelta(minutes=duration + 60)).isoformat(),
                        "return_gate": self.rng.choice(far_gates),
                    }
                    r = await self.client.post("/api/v1/flights/round-trips", json=body,
                                               headers={"Authorization": f"Bearer {self.actors.ops}"})
                    if r.status_code == 201:
                        self.out, self.back = r.json()["flights"]
                        self.summary.flights = [f"{f['number']} {f['origin']}->{f['destination']} "
                                                f"{_local(f['scheduled_departure'], f['origin_time_zone'])} on {f['plane_id']} "
                                                f"gate {f['gate']}" for f in (self.out, self.back)]
                        return
                    if r.status_code != 409:
                        raise Refused("creating the round trip", r)
        raise Inconsistent("no plane and gate free for a round trip in the next 20 hours")

    # ------------------------------------------------------------------ the waiting hall, watched live

    async def watch_board(self, ready: asyncio.Event) -> None:
        """Keep the departures board of the origin open, as the hall's screen does."""
        async with self.client.stream("GET", f"/api/v1/airports/{self.origin}/departures/live",
                                      timeout=httpx.Timeout(10, read=None)) as r:
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

    # ------------------------------------------------------------------ 2. passengers book

    def parties(self) -> list[tuple[int, int, int]]:
        """Split the passengers into bookings: families, couples and people alone."""
        left, out = self.want, []
        while left > 0:
            adults = min(left, self.rng.choice((1, 1, 2, 2, 2)))
            children = min(left - adults, self.rng.choice((0, 0, 1)))
            infants = min(left - adults - children, adults, self.rng.choice((0, 0, 0, 1)))
            out.append((adults, children, infants))
            left -= adults + children + infants
        return out

    async def book(self, adults: int, children: int, infants: int) -> None:
        a = self.api
        out_date = _local(self.out["scheduled_departure"], self.out["origin_time_zone"])[:10]
        back_date = _local(self.back["scheduled_departure"], self.back["origin_time_zone"])[:10]
        found = await a.call("search", "GET", "/api/v1/search", params={
            "origin": self.origin, "destination": self.destination, "date": out_date, "return_date": back_date,
            "trip_type": "round_trip", "adults": adults, "children": children, "infants": infants,
            "cabin_class": "normal"})
        offer = next((o for o in found["offers"]
                      if [leg["flight"]["id"] for leg in o["legs"]] == [self.out["id"], self.back["id"]]), None)
        if offer is None:
            raise Inconsistent(f"search did not offer the new round trip {self.out['number']}/{self.back['number']}")
        booking = await a.call("booking", "POST", "/api/v1/bookings", json={"offer_id": offer["offer_id"]},
                               headers={"Idempotency-Key": str(uuid.uuid4())})
        bid, guest = booking["id"], {"X-Manage-Token": booking["manage_token"]}

        family = self.rng.choice(LAST)
        people: list[dict[str, Any]] = []
        for kind, count, born in (("adult", adults, 1975), ("child", children, 2016), ("infant", infants, 2025)):
            for i in range(count):
                person: dict[str, Any] = {
                    "type": kind, "first_name": self.rng.choice(FIRST), "last_name": family,
                    "date_of_birth": f"{born + self.rng.randint(0, 8) if kind == 'adult' else born}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}",
                    "document": {"type": "passport", "number": f"K{self.rng.randint(1000000, 9999999)}",
                                 "issuing_country": "SG", "expiry": "2032-05-31"}}
                if kind == "infant":
                    person["infant_of"] = f"P{i + 1}"
                people.append(person)
        phone = f"+659{self.rng.randint(1000000, 9999999)}"
        booking = await a.call("passengers", "PUT", f"/api/v1/bookings/{bid}/passengers", headers=guest, json={
            "passengers": people, "contact": {"email": f"{family.lower()}.{bid[:8]}@example.com", "phone": phone}})
        seated = [p["id"] for p in booking["passengers"] if p["type"] != "infant"]
        for flight in (self.out, self.back):
            await self.pick_seats(bid, guest, flight["id"], seated)
        first_adult = booking["passengers"][0]["id"]
        if self.rng.random() < 0.3:  # step 7: some buy an extra bag while booking
            await a.call("luggage", "PUT", f"/api/v1/bookings/{bid}/luggage", headers=guest, json={
                "bags": [{"flight_id": self.out["id"], "passenger_id": first_adult, "extra_pieces": 1}]})
        paid = await a.call("payment", "POST", f"/api/v1/bookings/{bid}/pay", json={"method": TEST_CARD},
                            headers={**guest, "Idempotency-Key": str(uuid.uuid4())})
        if paid["state"] != "confirmed" or not paid["pnr"]:
            raise Inconsistent(f"booking {bid} paid but is {paid['state']}")
        if len(paid["tickets"]) != len(people) * 2:
            self.problem(f"booking {paid['pnr']}: {len(paid['tickets'])} e-tickets for {len(people)} passengers x 2 legs")
        self.summary.bookings += 1
        self.summary.passengers += len(people)
        self.summary.paid_total += paid["total"]
        self.summary.currency = paid["currency"]
        self.summary.booking_ids.append(bid)
        for p in paid["passengers"]:
            self.travellers.append(Traveller(bid, p["id"], p["type"], p["first_name"], p["last_name"],
                                             p["document"]["number"]))

    async def pick_seats(self, bid: str, guest: dict[str, str], flight_id: str, passengers: list[str]) -> None:
        """Step 6: free normal seats outside exit rows; another family may take them first."""
        for _ in range(8):
            seat_map = await self.api.call("seat map", "GET", f"/api/v1/flights/{flight_id}/seats")
            free = [s["seat"] for s in seat_map["seats"]
                    if s["state"] == "free" and s["cabin_class"] == "normal" and not s["exit_row"] and not s["blocked"]]
            if len(free) < len(passengers):
                raise Inconsistent(f"flight {flight_id} has {len(free)} free seats for {len(passengers)} passengers")
            start = self.rng.randrange(0, len(free) - len(passengers) + 1)
            r = await self.client.put(f"/api/v1/bookings/{bid}/seats", headers=guest, json={
                "flight_id": flight_id,
                "seats": [{"passenger_id": p, "seat": s} for p, s in zip(passengers, free[start:start + len(passengers)])]})
            if r.status_code == 200:
                return
            if r.status_code != 409:
                raise Refused("seat selection", r)
        raise Inconsistent(f"booking {bid} could not hold seats on {flight_id} after 8 tries")

    # ------------------------------------------------------------------ 3. the SMS with the code

    async def collect_codes(self) -> None:
        by_booking: dict[str, list[Traveller]] = {}
        for t in self.travellers:
            by_booking.setdefault(t.booking_id, []).append(t)
        deadline = time.monotonic() + 30
        for bid, people in by_booking.items():
            while True:
                page = await self.api.call("SMS outbox", "GET", "/api/v1/notifications", token=self.actors.admin, params={
                    "channel": "sms", "kind": "checkin_code", "reference": bid, "page_size": 50})
                messages = page["messages"]
                if len(messages) >= len(people) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            codes = [m for msg in messages for m in CODE.findall(msg["body"])]
            if len(messages) != len(people) or len(set(codes)) != len(people):
                self.problem(f"booking {bid}: {len(messages)} check-in SMS with {len(set(codes))} codes "
                             f"for {len(people)} passengers")
            self.summary.sms_codes += len(set(codes))
            # which code is whose: the agent's verification says
            for code in set(codes):
                who = await self.api.call("verification", "POST", "/api/v1/checkin/verify", token=self.actors.agent,
                                          json={"flight_id": self.out["id"], "code": code})
                t = next((t for t in people if t.passenger_id == who["passenger_id"]), None)
                if t is None or who["booking_id"] != bid:
                    self.problem(f"code {code} sent for booking {bid} verifies as {who['booking_id']}/{who['passenger_id']}")
                    continue
                t.code = code

    # ------------------------------------------------------------------ 4. check-in, bags

    async def check_in(self, t: Traveller) -> None:
        a = self.api
        if not t.code:
            return
        if self.rng.random() < 0.5:  # online, with the SMS
            passes = await a.call("online check-in", "POST", "/api/v1/checkin",
                                  json={"code": t.code, "last_name": t.last_name, "flight_id": self.out["id"]})
            mine = [p for p in passes["passes"] if p["passenger_id"] == t.passenger_id]
            self.summary.checked_in_online += 1
        else:  # at the counter: the agent looks at the passport too
            seen = await a.call("verification", "POST", "/api/v1/checkin/verify", token=self.actors.agent,
                                json={"flight_id": self.out["id"], "code": t.code, "document_number": t.document})
            if not seen["document_matches"]:
                self.problem(f"{t.first_name} {t.last_name}: the booking's own passport does not match")
            mine = [await a.call("counter check-in", "POST", "/api/v1/checkin/check-in", token=self.actors.agent,
                                 json={"flight_id": self.out["id"], "code": t.code, "document_number": t.document})]
            self.summary.checked_in_at_counter += 1
        if len(mine) != 1 or mine[0]["flight_id"] != self.out["id"] or not mine[0]["bcbp"].startswith("M1"):
            self.problem(f"{t.first_name} {t.last_name}: check-in answered {len(mine)} passes for the flight")
            return
        t.passes[self.out["id"]] = mine[0]
        if t.type != "adult":
            return
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            await self.drop_bag(t)

    async def drop_bag(self, t: Traveller) -> None:
        a = self.api
        weight = round(self.rng.uniform(7, 29), 1)
        bag = await a.call("bag drop", "POST", "/api/v1/bags", token=self.actors.agent,
                           headers={"Idempotency-Key": str(uuid.uuid4())}, json={
                               "booking_id": t.booking_id, "passenger_id": t.passenger_id, "flight_id": self.out["id"],
                               "weight_kg": str(weight), "length_cm": self.rng.randint(50, 80),
                               "width_cm": self.rng.randint(30, 50), "height_cm": self.rng.randint(20, 30),
                               "location": "counter 2"})
        if bag["status"] == "awaiting_payment":
            if bag["tag"]:
                self.problem(f"bag {bag['id']} has a tag before its excess fee is paid")
            fee = bag["fee"]
            bag = await a.call("excess fee", "POST", f"/api/v1/bags/{bag['id']}/payment", token=self.actors.agent,
                               headers={"Idempotency-Key": str(uuid.uuid4())}, json={"method": TEST_CARD})
            self.summary.bags_with_excess_paid += 1
            self.summary.excess_fees += fee
        if bag["status"] != "checked_in" or not re.fullmatch(r"0\d{9}", bag["tag"] or ""):
            self.problem(f"bag of {t.first_name} {t.last_name} is {bag['status']} with tag {bag['tag']!r}")
            return
        t.bags.append(bag)
        self.summary.bags += 1
        self.summary.bag_weight_kg += bag["weight_g"] / 1000
        self.summary.bag_tags.append(bag["tag"])

    async def scan(self, bag: dict[str, Any], status: str, airport: str, location: str) -> None:
        await self.api.call(f"bag scan {status}", "POST", f"/api/v1/bags/{bag['tag']}/events", token=self.actors.agent,
                            json={"status": status, "airport": airport, "location": location,
                                  "event_id": f"sim-{bag['tag']}-{status}"})
        self.summary.bag_scans += 1

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

            counters = asyncio.Semaphore(3)

            async def desk(t: Traveller) -> None:
                async with counters:
                    await self.check_in(t)

            await asyncio.gather(*(desk(t) for t in self.travellers))
            bags = [b for t in self.travellers for b in t.bags]
            for bag in bags:
                for status in BAG_SCANS_OUT:
                    await self.scan(bag, status, self.origin, "screening 1" if status == "screened" else f"{gate} hold")
            manifest = await a.call("manifest", "GET", f"/api/v1/flights/{self.out['id']}/baggage", token=self.actors.agent)
            if manifest["count"] != len(bags) or manifest["total_weight_g"] != sum(b["weight_g"] for b in bags):
                self.problem(f"manifest says {manifest['count']} bags / {manifest['total_weight_g']} g, "
                             f"the counter dropped {len(bags)} / {sum(b['weight_g'] for b in bags)} g")
            if manifest["not_loaded"]:
                self.problem(f"bags scanned as loaded are missing from the hold: {manifest['not_loaded']}")

            # the waiting hall: go to the gate, boarding, final call
            await a.call("announcement", "POST", f"/api/v1/flights/{self.out['id']}/announcements",
                         token=self.actors.agent, json={"kind": "go_to_gate"})
            await a.call("boarding", "POST", f"/api/v1/flights/{self.out['id']}/status", token=self.actors.ops,
                         json={"status": "boarding"})
            seats: Counter[str] = Counter()
            for t in self.travellers:
                bp = t.passes.get(self.out["id"])
                if bp is None:
                    continue
                boarded = await a.call("gate scan", "POST", "/api/v1/boarding", token=self.actors.agent,
                                       json={"flight_id": self.out["id"], "bcbp": bp["bcbp"]})
                if not boarded.get("boarded_at"):
                    self.problem(f"{t.first_name} {t.last_name} scanned at the gate but not boarded")
                self.summary.boarded += 1
                if bp["seat"] and bp["passenger_type"] != "infant":
                    seats[bp["seat"]] += 1
            self.summary.boarding_passes = sum(len(t.passes) for t in self.travellers)
            first = next((t.passes[self.out["id"]] for t in self.travellers if self.out["id"] in t.passes), None)
            if first is not None:
                again = await self.client.post("/api/v1/boarding", json={"flight_id": self.out["id"], "bcbp": first["bcbp"]},
                                               headers={"Authorization": f"Bearer {self.actors.agent}"})
                if again.status_code == 409:
                    self.summary.second_scans_refused += 1
                else:
                    self.problem(f"a second scan of one pass was answered {again.status_code}, not refused")
            doubled = [s for s, n in seats.items() if n > 1]
            if doubled:
                self.problem(f"seats given twice on {self.out['number']}: {doubled}")
            await a.call("announcement", "POST", f"/api/v1/flights/{self.out['id']}/announcements",
                         token=self.actors.agent, json={"kind": "final_call"})

            listed = (await a.call("flight passengers", "GET", f"/api/v1/flights/{self.out['id']}/passengers",
                                   token=self.actors.agent))["passengers"]
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

            # off it goes, and lands
            await a.call("departed", "POST", f"/api/v1/flights/{self.out['id']}/status", token=self.actors.ops,
                         json={"status": "departed"})
            no_shows = await a.call("no-shows", "GET", f"/api/v1/flights/{self.out['id']}/no-shows", token=self.actors.agent)
            if no_shows["not_checked_in"] or no_shows["checked_in_not_boarded"]:
                self.problem(f"no-shows after everyone boarded: {len(no_shows['not_checked_in'])} not checked in, "
                             f"{len(no_shows['checked_in_not_boarded'])} not boarded")
            await a.call("arrived", "POST", f"/api/v1/flights/{self.out['id']}/status", token=self.actors.ops,
                         json={"status": "arrived"})
            for bag in bags:
                for status in BAG_SCANS_IN:
                    await self.scan(bag, status, self.destination, "hold" if status == "unloaded" else "belt 2")
            for bag in bags:  # every scan is in the bag's history, in order
                seen = await a.call("bag", "GET", f"/api/v1/bags/{bag['tag']}", token=self.actors.agent)
                got = [h["status"] for h in seen["history"]]
                if got != ["checked_in", *BAG_SCANS_OUT, *BAG_SCANS_IN]:
                    self.problem(f"bag {bag['tag']} history is {got}")

            # the hall's board saw it all, live. Each lifecycle step is its own topic, so a step
            # that follows at once may overtake the one before; the board keeps the newest version
            # of the flight and drops the older, so what must hold is: the steps it showed came
            # in lifecycle order and it ended on "arrived".
            order = ["scheduled", "delayed", "boarding", "departed", "arrived"]
            deadline = time.monotonic() + 10
            while True:
                statuses, calls = self.board_saw()
                if (statuses[-1:] == ["arrived"] and {"go_to_gate", "final_call"} <= set(calls)) \
                        or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.1)
            if statuses[-1:] != ["arrived"]:
                self.problem(f"the waiting-hall board showed {self.out['number']} as {statuses}, not ending in arrived")
            elif [order.index(s) for s in statuses] != sorted(order.index(s) for s in statuses):
                self.problem(f"the waiting-hall board showed {self.out['number']} going back: {statuses}")
            if not {"go_to_gate", "final_call"} <= set(calls):
                self.problem(f"the waiting-hall board showed the calls {calls}, not go_to_gate and final_call")
            self.summary.board_flight_updates = len([e for e in self.board_events if e["event"] == "flight"
                                                     and e["data"].get("flight", {}).get("id") == self.out["id"]])
            self.summary.board_announcements = len(calls)
        finally:
            board.cancel()
            await asyncio.gather(board, return_exceptions=True)
        if self.summary.passengers != self.want:
            self.problem(f"{self.summary.passengers} passengers booked, {self.want} wanted")
        if self.summary.sms_codes != self.summary.passengers:
            self.problem(f"{self.summary.sms_codes} SMS codes for {self.summary.passengers} passengers")
        if self.summary.boarded != self.summary.passengers:
            self.problem(f"{self.summary.boarded} of {self.summary.passengers} passengers boarded")
        self.summary.seconds = time.monotonic() - began
        return self.summary


def _local(iso: str, zone: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


async def simulate(base_url: str, actors: Actors, *, passengers: int = 6, destination: str = "AOR",
                   seed: int | None = None) -> Summary:
    """Run the main flow once against the platform at `base_url`; problems are in the summary."""
    if passengers < 1 or passengers > 150:
        raise ValueError("passengers must be between 1 and 150 (one A320's normal cabin)")
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        sim = Simulation(client, actors, passengers, destination, seed)
        try:
            return await sim.run()
        except (Refused, Inconsistent) as e:
            sim.summary.problems.append(str(e))
            return sim.summary


async def main(base_url: str, passengers: int, destination: str, seed: int | None, as_json: bool,
               credentials: dict[str, tuple[str, str]]) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        try:
            actors = Actors(**{role: await login(client, *credentials[role]) for role in ("ops", "agent", "admin")})
        except (Refused, httpx.HTTPError) as e:
            print(f"cannot sign in the staff at {base_url}: {e}")
            return 2
    summary = await simulate(base_url, actors, passengers=passengers, destination=destination, seed=seed)
    print(json.dumps(asdict(summary), indent=2) if as_json else summary.text())
    return 0 if not summary.problems else 1
