"""Step 4 of the day: check-in (online or at the counter) and the bags, dropped and scanned."""

from __future__ import annotations

import re
import uuid
from typing import Any

from airline.simulate.model import TEST_CARD, Day, Traveller


class DeskSteps(Day):
    """How the agent checks travellers in and their bags are tracked."""

    # ------------------------------------------------------------------ 4. check-in, bags

    async def check_in(self, t: Traveller) -> None:
        a = self.api
        if not t.code:
            return
        if self.rng.random() < 0.5:  # online, with the SMS
            passes = await a.call(
                "online check-in",
                "POST",
                "/api/v1/checkin",
                json={"code": t.code, "last_name": t.last_name, "flight_id": self.out["id"]},
            )
            mine = [p for p in passes["passes"] if p["passenger_id"] == t.passenger_id]
            self.summary.checked_in_online += 1
        else:  # at the counter: the agent looks at the passport too
            seen = await a.call(
                "verification",
                "POST",
                "/api/v1/checkin/verify",
                token=self.actors.agent,
                json={"flight_id": self.out["id"], "code": t.code, "document_number": t.document},
            )
            if not seen["document_matches"]:
                self.problem(f"{t.first_name} {t.last_name}: the booking's own passport does not match")
            mine = [
                await a.call(
                    "counter check-in",
                    "POST",
                    "/api/v1/checkin/check-in",
                    token=self.actors.agent,
                    json={"flight_id": self.out["id"], "code": t.code, "document_number": t.document},
                )
            ]
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
        bag = await a.call(
            "bag drop",
            "POST",
            "/api/v1/bags",
            token=self.actors.agent,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={
                "booking_id": t.booking_id,
                "passenger_id": t.passenger_id,
                "flight_id": self.out["id"],
                "weight_kg": str(weight),
                "length_cm": self.rng.randint(50, 80),
                "width_cm": self.rng.randint(30, 50),
                "height_cm": self.rng.randint(20, 30),
                "location": "counter 2",
            },
        )
        if bag["status"] == "awaiting_payment":
            if bag["tag"]:
                self.problem(f"bag {bag['id']} has a tag before its excess fee is paid")
            fee = bag["fee"]
            bag = await a.call(
                "excess fee",
                "POST",
                f"/api/v1/bags/{bag['id']}/payment",
                token=self.actors.agent,
                headers={"Idempotency-Key": str(uuid.uuid4())},
                json={"method": TEST_CARD},
            )
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
        await self.api.call(
            f"bag scan {status}",
            "POST",
            f"/api/v1/bags/{bag['tag']}/events",
            token=self.actors.agent,
            json={"status": status, "airport": airport, "location": location, "event_id": f"sim-{bag['tag']}-{status}"},
        )
        self.summary.bag_scans += 1
