"""The simulation's vocabulary: the staff's tokens, the summary it prints, a traveller, the API
with its habits, and the state every step of the day shares."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

CODE = re.compile(r"\b[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}\b")
TEST_CARD = {"type": "card", "number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}
FIRST = [
    "Mai",
    "Minh",
    "An",
    "Bao",
    "Linh",
    "Siti",
    "Arjun",
    "Wei",
    "Nur",
    "Kai",
    "Ana",
    "Rizal",
    "Mei",
    "Tan",
    "Priya",
    "Hana",
    "Omar",
    "Yuki",
    "Lena",
    "Ravi",
]
LAST = [
    "Tran",
    "Lim",
    "Tan",
    "Wong",
    "Rahman",
    "Singh",
    "Nguyen",
    "Lee",
    "Ong",
    "Goh",
    "Ismail",
    "Kumar",
    "Chua",
    "Teo",
    "Halim",
    "Suzuki",
    "Santos",
    "Reyes",
]
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
class DisruptionSummary:
    """The disruption scene (`airline simulate --scene disruption`): what the airline changed and
    what each affected booking saw of it."""

    flights: list[str] = field(default_factory=list)
    delayed: dict[str, int] = field(default_factory=dict)  # bookings, passengers, told (SMS + e-mail once)
    gate_changed: dict[str, int] = field(default_factory=dict)
    cancelled: dict[str, int] = field(default_factory=dict)
    messages_held: int = 0  # delay / gate messages still in the settle window (queued), counted as told
    proposals: int = 0
    unplaced: int = 0
    receiving_flights: list[str] = field(default_factory=list)
    seats_reserved: int = 0
    accepted: int = 0
    tickets_reissued: int = 0
    listed_on_new_flights: int = 0  # seated passengers check-in lists on the new flight, in the seat proposed
    old_pass_refused: int = 0
    new_pass_boarded: int = 0
    declined: int = 0
    refunded: int = 0  # minor units, to the card
    rebooking_messages: int = 0  # proposal, its result, compensation paid: SMS + e-mail each
    compensation_due: int = 0
    compensation_paid: int = 0
    compensation_claims: int = 0  # claims made (the second one must pay nothing more)
    passengers_compensated: int = 0  # each told by SMS + e-mail
    seconds: float = 0.0

    def text(self) -> str:
        d, g, c = self.delayed, self.gate_changed, self.cancelled
        return "\n".join(
            [
                f"disruption        {', '.join(self.flights)}",
                f"  delay           {d.get('bookings', 0)} bookings, {d.get('told', 0)} told once (SMS + e-mail); "
                f"gate change {g.get('bookings', 0)}, {g.get('told', 0)} told once ({self.messages_held} held to settle)",
                f"  cancellation    {c.get('bookings', 0)} bookings ({c.get('passengers', 0)} passengers), "
                f"{c.get('told', 0)} told once; {self.proposals} proposals, {self.unplaced} unplaced, "
                f"{self.seats_reserved} seats reserved on {', '.join(self.receiving_flights)}",
                f"  answers         {self.accepted} accepted ({self.tickets_reissued} e-tickets reissued, "
                f"{self.listed_on_new_flights} listed on the new flight, "
                f"old pass refused {self.old_pass_refused}, new pass boarded {self.new_pass_boarded}), "
                f"{self.declined} declined ({self.refunded / 100:.2f} refunded); "
                f"{self.rebooking_messages} rebooking messages",
                f"  compensation    {self.compensation_due / 100:.2f} due, {self.compensation_paid / 100:.2f} paid "
                f"to {self.passengers_compensated} passenger(s) after {self.compensation_claims} claims",
                f"  took            {self.seconds:.1f} s",
            ]
        )


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
    # the door (issue 18): who checked in but did not board, offloaded at door close with their bags
    no_shows: int = 0
    late_scans_refused: int = 0
    door: str = ""
    offloaded: int = 0
    bags_flagged: int = 0
    departed_refused: int = 0
    bags_unloaded: int = 0
    offloaded_bag_tags: list[str] = field(default_factory=list)
    manifest_boarded: int = 0
    apis_records: int = 0
    # the outbound flight's crew before departure
    crew_readiness: str = ""
    crew_held: int = 0
    crew_violations: int = 0
    crew_note: str = ""
    paid_total: int = 0
    currency: str = ""
    booking_ids: list[str] = field(default_factory=list)
    bag_tags: list[str] = field(default_factory=list)
    seconds: float = 0.0
    disruption: DisruptionSummary | None = None
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
            f"door              {self.door}"
            + (
                f"; {self.no_shows} no-show(s), {self.offloaded} offloaded "
                f"({self.late_scans_refused} late scan refused), {self.bags_flagged} bags flagged, "
                f'"departed" refused {self.departed_refused}x, {self.bags_unloaded} bags unloaded; final manifest '
                f"{self.manifest_boarded} boarded, {self.apis_records} APIS records"
                if self.door.startswith("closed")
                else ""
            ),
            f"crew              {self.crew_readiness}, {self.crew_held} held duties, {self.crew_violations} violations"
            + (f" ({self.crew_note})" if self.crew_note else ""),
            f"waiting hall      {self.board_flight_updates} flight updates, {self.board_announcements} announcements seen live",
            f"took              {self.seconds:.1f} s",
        ]
        if self.disruption is not None:
            if not self.flights:  # the scene alone
                lines = []
            lines.append(self.disruption.text())
        lines.append(
            "consistent        yes"
            if not self.problems
            else "PROBLEMS\n" + "\n".join(f"  - {p}" for p in self.problems)
        )
        return "\n".join(lines)


@dataclass
class WeekSummary:
    base: str = ""
    first_day: str = ""
    flights: int = 0
    crew_members: int = 0
    roster_proposed: int = 0
    roster_short: int = 0
    members_rostered: int = 0  # members holding a duty of the week, each home every night
    roster_kept: int = 0  # duties held before the run (the auto-proposal job's), kept by it
    roster_solver_seconds: float = 0.0
    flights_crewed: int = 0  # every role held when the flight left
    duties_checked: int = 0
    crew_violations: int = 0
    bookings: int = 0
    passengers: int = 0
    checked_in: int = 0
    boarded: int = 0
    offloaded: int = 0
    bags: int = 0
    bags_flown: int = 0
    bags_flagged: int = 0
    bags_unloaded: int = 0
    departed_refused: int = 0
    departed: int = 0
    arrived: int = 0
    manifest_boarded: int = 0
    apis_records: int = 0
    seconds: float = 0.0
    setup_seconds: float = 0.0  # the base, planes, fares, crew and 42 flights, through the API
    roster_seconds: float = 0.0  # crew hearing of the flights, the roster run, its check
    problems: list[str] = field(default_factory=list)

    def fold(self, leg: Summary) -> None:
        self.checked_in += leg.checked_in_online + leg.checked_in_at_counter
        self.boarded += leg.boarded
        self.offloaded += leg.offloaded
        self.bags += leg.bags
        self.bags_flagged += leg.bags_flagged
        self.bags_unloaded += leg.bags_unloaded
        self.bags_flown += leg.bags - leg.bags_unloaded
        self.departed_refused += leg.departed_refused
        self.manifest_boarded += leg.manifest_boarded
        self.apis_records += leg.apis_records
        self.duties_checked += leg.crew_held
        self.crew_violations += leg.crew_violations
        self.flights_crewed += leg.crew_readiness in ("pending", "ready")
        self.problems += leg.problems

    def text(self) -> str:
        lines = [
            f"week              {self.flights} flights from {self.base}, 7 days from {self.first_day}",
            f"roster            {self.crew_members} members ({self.members_rostered} flying, home every night), "
            f"{self.roster_proposed} duties proposed in one run "
            f"and {self.roster_kept} held kept ({self.roster_solver_seconds:.1f} s solving), "
            f"{self.roster_short} flights short",
            f"crew              {self.flights_crewed} of {self.flights} flights crewed when they left, "
            f"{self.duties_checked} duties checked, {self.crew_violations} violations",
            f"passengers        {self.bookings} bookings, {self.passengers} passengers, {self.checked_in} check-ins, "
            f"{self.boarded} boarded, {self.offloaded} offloaded at the door",
            f"bags              {self.bags} dropped, {self.bags_flown} flown, {self.bags_flagged} flagged at door "
            f'close and {self.bags_unloaded} unloaded, "departed" refused {self.departed_refused}x',
            f"flights           {self.departed} departed, {self.arrived} arrived; final manifests "
            f"{self.manifest_boarded} boarded, {self.apis_records} APIS records",
            f"took              {self.seconds:.1f} s (setting up {self.setup_seconds:.1f} s, roster "
            f"{self.roster_seconds:.1f} s, the flights {self.seconds - self.setup_seconds - self.roster_seconds:.1f} s)",
            "consistent        yes"
            if not self.problems
            else "PROBLEMS\n" + "\n".join(f"  - {p}" for p in self.problems),
        ]
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

    async def call(
        self,
        what: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        expect: int | tuple[int, ...] = (200, 201),
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
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


class Day:
    """What the steps of one simulated day share."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        actors: Actors,
        passengers: int,
        destination: str,
        seed: int | None,
        origin: str = "XSP",
    ) -> None:
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
        self.manage_tokens: dict[str, str] = {}  # booking id -> the guest's manage token

    def problem(self, text: str) -> None:
        self.summary.problems.append(text)

    async def round_trip(
        self,
        earliest: datetime,
        *,
        turnaround: int = 60,
        steps: int = 36,
        every: int = 30,
        gates_for: Callable[[datetime], list[str]] | None = None,
        prefer: tuple[str, ...] = ("P4", "P5"),
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Ops creates a round trip origin -> destination -> origin leaving at `earliest` or at
        the first of the next `steps` times `every` minutes apart with a plane and a gate free (the planes
        in `prefer` first: the seed's spare P4, P5, so the seeded schedule keeps its own); back after `turnaround`
        minutes on the ground. Its two flights. Each time asks the airport which planes are free
        over the whole trip (one call), so a fleet or gate list grown large costs no more tries;
        `gates_for` names the origin's gates to try for a departure time (none: the next time)."""
        a = self.api
        gates = [g["code"] for g in (await a.call("gates", "GET", f"/api/v1/airports/{self.origin}/gates"))["gates"]]
        far = [g["code"] for g in (await a.call("gates", "GET", f"/api/v1/airports/{self.destination}/gates"))["gates"]]
        duration = 85 if self.destination == "AOR" else 120
        last = "no plane was free"  # the last refusal, to say why nothing fitted
        for step in range(steps):
            departure = earliest + timedelta(minutes=every * step)
            candidates = gates if gates_for is None else gates_for(departure)
            if not candidates:
                continue
            back = departure + timedelta(minutes=duration + turnaround)
            window = {"from": departure.isoformat(), "to": (back + timedelta(minutes=duration)).isoformat()}
            free = await a.call(
                "free planes",
                "GET",
                f"/api/v1/airports/{self.origin}/available-planes",
                token=self.actors.ops,
                params=window,
            )
            # the spare seed planes first, then the largest: a small plane cannot take the scene's parties
            active = [p for p in free["planes"] if p.get("status", "active") == "active"]
            ids = [
                p["id"]
                for p in sorted(
                    active, key=lambda p: (p["id"] not in prefer, -sum(p.get("capacity", {}).values()), p["id"])
                )
            ]
            # free now; another simulation may take a plane first (a 409: the next). The gates are
            # not known free: every pair is tried (the far airport may have two, both busy at once)
            for plane, gate, back_gate in itertools.product(ids[:3], candidates, self.rng.sample(far, len(far))):
                number = self.rng.randint(700, 4998) * 2 + 1  # XA1401..XA9998, odd out
                body = {
                    "outbound": {
                        "number": f"XA{number}",
                        "origin": self.origin,
                        "destination": self.destination,
                        "departure": departure.isoformat(),
                        "duration_minutes": duration,
                        "plane_id": plane,
                        "gate": gate,
                    },
                    "return_number": f"XA{number + 1}",
                    "return_departure": back.isoformat(),
                    "return_gate": back_gate,
                }
                r = await self.client.post(
                    "/api/v1/flights/round-trips", json=body, headers={"Authorization": f"Bearer {self.actors.ops}"}
                )
                if r.status_code == 201:
                    out, ret = r.json()["flights"]
                    return out, ret
                if r.status_code != 409:
                    raise Refused("creating a round trip", r)
                last = str(r.json().get("detail", r.text))
        raise Inconsistent(
            f"no plane and gate free for a round trip in {steps} tries from {earliest.isoformat()} (last: {last})"
        )

    async def gate_book(self, earliest: datetime, hours: int = 24) -> GateBook:
        """The origin's open gates and when its flights around `earliest` to `hours` later board
        at them: one listing of the departures in that window (from LOOKBACK earlier, for a flight
        delayed past `earliest`), as many as the API gives."""
        a = self.api
        listing = (await a.call("gates", "GET", f"/api/v1/airports/{self.origin}/gates"))["gates"]
        book = GateBook([g["code"] for g in listing if g.get("status", "open") == "open"])
        window = {
            "airport": self.origin,
            "from": (earliest - LOOKBACK).isoformat(),
            "to": (earliest + timedelta(hours=hours) + LOOKBACK).isoformat(),
            "limit": 1000,
        }
        listed = await a.call("departures", "GET", "/api/v1/flights", params=window)
        for f in listed["flights"]:
            if f["origin"] != self.origin or f["status"] in ("cancelled", "departed", "arrived", "diverted"):
                continue
            opens = parse_utc(f["boarding_starts"])
            book.boarding = parse_utc(f["scheduled_departure"]) - opens
            book.windows.append((opens, parse_utc(f["estimated_departure"]), f["gate"]))
        return book


# How far before (and after) a gate book's window its listing reaches: a flight scheduled earlier
# may be delayed into the window, and one scheduled just after it boards within it.
LOOKBACK = timedelta(hours=12)


@dataclass
class GateBook:
    """An airport's gates and the windows its flights board in (the flights service refuses a
    gate whose window overlaps another's)."""

    gates: list[str]
    windows: list[tuple[datetime, datetime, str]] = field(default_factory=list)
    boarding: timedelta = timedelta(minutes=40)

    def free(self, departure: datetime, after: timedelta = timedelta(0)) -> list[str]:
        """The gates nobody boards at from boarding time until `after` past `departure`."""
        start, end = departure - self.boarding, departure + after
        taken = {g for opens, leaves, g in self.windows if opens < end and start < leaves}
        return [g for g in self.gates if g not in taken]


def parse_utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def local_time(iso: str, zone: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
