"""The simulation's vocabulary: the staff's tokens, the summary it prints, a traveller, the API
with its habits, and the state every step of the day shares."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime
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
        lines.append(
            "consistent        yes"
            if not self.problems
            else "PROBLEMS\n" + "\n".join(f"  - {p}" for p in self.problems)
        )
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

    def problem(self, text: str) -> None:
        self.summary.problems.append(text)


def local_time(iso: str, zone: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
