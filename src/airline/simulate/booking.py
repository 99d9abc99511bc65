"""Steps 2 and 3 of the day: passengers search, book (all 8 steps) and pay; each gets the SMS
with a check-in code."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from airline.simulate.model import CODE, FIRST, LAST, TEST_CARD, Day, Inconsistent, Refused, Traveller, local_time


class BookingSteps(Day):
    """How passengers book, pay and get their check-in codes."""

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

    async def book(self, adults: int, children: int, infants: int, legs: list[dict[str, Any]] | None = None) -> str:
        """Book, pay and confirm a party: the day's round trip, or `legs` (one flight: one way)."""
        a = self.api
        legs = legs or [self.out, self.back]
        params: dict[str, Any] = {
            "origin": legs[0]["origin"],
            "destination": legs[0]["destination"],
            "date": local_time(legs[0]["scheduled_departure"], legs[0]["origin_time_zone"])[:10],
            "trip_type": "one_way",
            "adults": adults,
            "children": children,
            "infants": infants,
            "cabin_class": "normal",
        }
        if len(legs) > 1:
            params["return_date"] = local_time(legs[1]["scheduled_departure"], legs[1]["origin_time_zone"])[:10]
            params["trip_type"] = "round_trip"
        found = await a.call("search", "GET", "/api/v1/search", params=params)
        want = [f["id"] for f in legs]
        offer = next((o for o in found["offers"] if [leg["flight"]["id"] for leg in o["legs"]] == want), None)
        if offer is None:
            raise Inconsistent(f"search did not offer the new flights {'/'.join(f['number'] for f in legs)}")
        booking = await a.call(
            "booking",
            "POST",
            "/api/v1/bookings",
            json={"offer_id": offer["offer_id"]},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        bid, guest = booking["id"], {"X-Manage-Token": booking["manage_token"]}
        self.manage_tokens[bid] = booking["manage_token"]

        family = self.rng.choice(LAST)
        people: list[dict[str, Any]] = []
        for kind, count, born in (("adult", adults, 1975), ("child", children, 2016), ("infant", infants, 2025)):
            for i in range(count):
                person: dict[str, Any] = {
                    "type": kind,
                    "first_name": self.rng.choice(FIRST),
                    "last_name": family,
                    "date_of_birth": f"{born + self.rng.randint(0, 8) if kind == 'adult' else born}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}",
                    "document": {
                        "type": "passport",
                        "number": f"K{self.rng.randint(1000000, 9999999)}",
                        "issuing_country": "SG",
                        "expiry": "2032-05-31",
                    },
                }
                if kind == "infant":
                    person["infant_of"] = f"P{i + 1}"
                people.append(person)
        phone = f"+659{self.rng.randint(1000000, 9999999)}"
        booking = await a.call(
            "passengers",
            "PUT",
            f"/api/v1/bookings/{bid}/passengers",
            headers=guest,
            json={
                "passengers": people,
                "contact": {"email": f"{family.lower()}.{bid[:8]}@example.com", "phone": phone},
            },
        )
        seated = [p["id"] for p in booking["passengers"] if p["type"] != "infant"]
        for flight in legs:
            await self.pick_seats(bid, guest, flight["id"], seated)
        first_adult = booking["passengers"][0]["id"]
        if self.rng.random() < 0.3:  # step 7: some buy an extra bag while booking
            await a.call(
                "luggage",
                "PUT",
                f"/api/v1/bookings/{bid}/luggage",
                headers=guest,
                json={"bags": [{"flight_id": legs[0]["id"], "passenger_id": first_adult, "extra_pieces": 1}]},
            )
        paid = await a.call(
            "payment",
            "POST",
            f"/api/v1/bookings/{bid}/pay",
            json={"method": TEST_CARD},
            headers={**guest, "Idempotency-Key": str(uuid.uuid4())},
        )
        if paid["state"] != "confirmed" or not paid["pnr"]:
            raise Inconsistent(f"booking {bid} paid but is {paid['state']}")
        if len(paid["tickets"]) != len(people) * len(legs):
            self.problem(
                f"booking {paid['pnr']}: {len(paid['tickets'])} e-tickets for {len(people)} passengers x {len(legs)} legs"
            )
        self.summary.bookings += 1
        self.summary.passengers += len(people)
        self.summary.paid_total += paid["total"]
        self.summary.currency = paid["currency"]
        self.summary.booking_ids.append(bid)
        for p in paid["passengers"]:
            self.travellers.append(
                Traveller(bid, p["id"], p["type"], p["first_name"], p["last_name"], p["document"]["number"])
            )
        return str(bid)

    async def pick_seats(self, bid: str, guest: dict[str, str], flight_id: str, passengers: list[str]) -> None:
        """Step 6: free normal seats outside exit rows; another family may take them first."""
        for _ in range(8):
            seat_map = await self.api.call("seat map", "GET", f"/api/v1/flights/{flight_id}/seats")
            free = [
                s["seat"]
                for s in seat_map["seats"]
                if s["state"] == "free" and s["cabin_class"] == "normal" and not s["exit_row"] and not s["blocked"]
            ]
            if len(free) < len(passengers):
                raise Inconsistent(f"flight {flight_id} has {len(free)} free seats for {len(passengers)} passengers")
            start = self.rng.randrange(0, len(free) - len(passengers) + 1)
            r = await self.client.put(
                f"/api/v1/bookings/{bid}/seats",
                headers=guest,
                json={
                    "flight_id": flight_id,
                    "seats": [
                        {"passenger_id": p, "seat": s}
                        for p, s in zip(passengers, free[start : start + len(passengers)])
                    ],
                },
            )
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
                page = await self.api.call(
                    "SMS outbox",
                    "GET",
                    "/api/v1/notifications",
                    token=self.actors.admin,
                    params={"channel": "sms", "kind": "checkin_code", "reference": bid, "page_size": 50},
                )
                messages = page["messages"]
                if len(messages) >= len(people) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            codes = [m for msg in messages for m in CODE.findall(msg["body"])]
            if len(messages) != len(people) or len(set(codes)) != len(people):
                self.problem(
                    f"booking {bid}: {len(messages)} check-in SMS with {len(set(codes))} codes "
                    f"for {len(people)} passengers"
                )
            self.summary.sms_codes += len(set(codes))
            # which code is whose: the agent's verification says
            for code in set(codes):
                who = await self.api.call(
                    "verification",
                    "POST",
                    "/api/v1/checkin/verify",
                    token=self.actors.agent,
                    json={"flight_id": self.out["id"], "code": code},
                )
                whose = next((t for t in people if t.passenger_id == who["passenger_id"]), None)
                if whose is None or who["booking_id"] != bid:
                    self.problem(
                        f"code {code} sent for booking {bid} verifies as {who['booking_id']}/{who['passenger_id']}"
                    )
                    continue
                whose.code = code
