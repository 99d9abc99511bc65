"""The disruption scene (`airline simulate --scene disruption`): the airline changes the plan and
every affected passenger must see it once, and land somewhere.

    ops creates four flights of its own, on planes of its own (never the seed's) -> parties book
    three of them -> one passenger checks in on the flight to be cancelled -> ops delays one
    flight, moves another to another gate and cancels the third -> the booking service proposes
    a later flight to each cancelled booking -> all but one accept (new legs, seats, e-tickets;
    the old boarding pass no longer scans, the new one boards), the last takes the full refund
    -> a passenger claims the compensation the policy grants, twice (paid once).

Checked on the way: every affected booking told exactly once per change (one SMS and one e-mail;
delays and gate changes may still be held in the notification service's settle window, status
`queued`), every cancelled booking has a proposal or an unplaced reason, no seat promised twice
on the receiving flights, the accepted bookings fly the new flight, the refund is the whole
price, and the compensation is paid once.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from airline.simulate.booking import BookingSteps
from airline.simulate.model import CODE, DisruptionSummary, Inconsistent, Refused, parse_utc
from airline.simulate.told import CHANGES, WAIT_S, ToldSteps

SCENE_PLANES = ("SD1", "SD2", "SD3", "SD4")  # the scene's own (a plane id is a letter, then letters or digits)
DELAY = timedelta(minutes=50)  # below the retime threshold (3 h): the flight's passengers stay on it
# parties (adults, children, infants) booked on the delayed, the re-gated and the cancelled flight
PARTIES: dict[str, list[tuple[int, int, int]]] = {
    "delay": [(1, 0, 0), (2, 0, 0)],
    "gate": [(1, 0, 0), (1, 1, 0)],
    "cancellation": [(2, 0, 1), (1, 0, 0), (2, 1, 0)],
}


class DisruptionScene(BookingSteps, ToldSteps):
    """Delay, gate change and cancellation with re-accommodation, on flights of the scene's own."""

    # ------------------------------------------------------------------ the scene

    async def disruption(self) -> DisruptionSummary:
        began = time.monotonic()
        d = self.summary.disruption = DisruptionSummary()
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        start = now + timedelta(hours=3) - timedelta(minutes=now.minute % 5)
        flights: dict[str, dict[str, Any]] = {}
        own = await self._scene_planes()
        # the re-gated flight leaves before the cancelled one: it cannot be where they are moved. It
        # leaves when a gate would be left to move it to (the seed's departures may take all but one)
        book = await self.gate_book(start)
        two_free = lambda d: free if len(free := book.free(d)) >= 2 else []  # noqa: E731
        flights["gate"] = (await self.round_trip(start, turnaround=240, gates_for=two_free, prefer=own))[0]
        gated = parse_utc(flights["gate"]["scheduled_departure"])
        # the scene's next flights board after it has left, so that gate stays free too
        boarding = gated - parse_utc(flights["gate"]["boarding_starts"])
        after = gated + boarding + timedelta(minutes=5)
        flights["cancellation"] = (await self.round_trip(after, turnaround=240, prefer=own))[0]
        # later than the others, at a gate free over the delay too
        book = await self.gate_book(start)
        over = DELAY + timedelta(minutes=5)
        flights["delay"] = (
            await self.round_trip(
                start + timedelta(hours=6), turnaround=240, gates_for=lambda d: book.free(d, over), prefer=own
            )
        )[0]
        # the flight the cancelled passengers should go to: same time, other plane and gate
        cancelled = flights["cancellation"]
        departs = datetime.fromisoformat(cancelled["scheduled_departure"].replace("Z", "+00:00"))
        # (or as soon after as a plane and a gate are free): the earliest way on, so it is where
        # re-accommodation sends them, not another flight of the day
        # back an hour after landing: its plane is needed ~4 h, not the others' ~7 h, which at night
        # (the seed's planes out from 08:00 local) only the spare planes had
        spare = (await self.round_trip(departs, steps=24, every=5, prefer=own))[0]
        mine = {f["id"] for f in (*flights.values(), spare)}
        d.flights = [
            f"{f['number']} {f['scheduled_departure'][11:16]}Z gate {f['gate']} ({role})"
            for role, f in (*flights.items(), ("spare", spare))
        ]

        # parties book
        booked: dict[str, list[str]] = {change: [] for change in CHANGES}
        lanes = asyncio.Semaphore(4)

        async def one(change: str, party: tuple[int, int, int]) -> None:
            async with lanes:
                booked[change].append(await self.book(*party, legs=[flights[change]]))

        await asyncio.gather(*(one(c, p) for c in CHANGES for p in PARTIES[c]))
        people = {bid: [t for t in self.travellers if t.booking_id == bid] for bids in booked.values() for bid in bids}
        for change, key in zip(CHANGES, ("delayed", "gate_changed", "cancelled"), strict=True):
            setattr(
                d, key, {"bookings": len(booked[change]), "passengers": sum(len(people[b]) for b in booked[change])}
            )
        booked["cancellation"].sort()
        accepting, declining = booked["cancellation"][:-1], booked["cancellation"][-1]
        before = {bid: await self._booking(bid) for bid in booked["cancellation"]}
        old_pass = await self._check_in_one(accepting[0], cancelled["id"])

        # the airline changes the plan
        a, ops = self.api, self.actors.ops
        late = await self._delay(flights["delay"])
        moved = await self._change_gate(flights["gate"])
        await a.call(
            "cancellation",
            "POST",
            f"/api/v1/flights/{cancelled['id']}/cancel",
            token=ops,
            json={"reason": "technical fault"},
        )

        proposals = await self._proposals(cancelled["id"], booked["cancellation"])
        await self._check_reserved_seats(proposals, people)
        receiving = {f["flight_id"]: f["number"] for p in proposals.values() for f in p["options"][0]["flights"]}
        foreign = " (not the scene's own)"
        d.receiving_flights = [f"{n}{'' if i in mine else foreign}" for i, n in receiving.items()]

        for bid in accepting:
            if bid in proposals:
                await self._accept(bid, before[bid], proposals[bid], cancelled["id"])
        await self._decline(declining)
        await self._receiving_lists([b for b in accepting if b in proposals], proposals, cancelled["id"])
        if old_pass:
            await self._passes_after_the_move(accepting[0], old_pass, cancelled["id"], proposals, mine)
        paid = await self._compensation(accepting[0])
        # what each message must say: the flight, and the new departure in the airport's local
        # time ("06 Dec 2026 15:20 UTC+08:00") or the new gate
        when = datetime.fromisoformat(late["estimated_departure"].replace("Z", "+00:00"))
        says = {
            "delay": [late["number"], f"{when.astimezone(ZoneInfo(late['origin_time_zone'])):%d %b %Y %H:%M}"],
            "gate": [moved["number"], f"gate {moved['gate']}"],
            "cancellation": [cancelled["number"], "cancelled"],
        }
        await self._told(booked, proposals, {accepting[0]: paid}, says)
        d.seconds = time.monotonic() - began
        return d

    # ------------------------------------------------------------------ steps

    async def _scene_planes(self) -> tuple[str, ...]:
        """The scene's four flights keep a plane each for hours: on a fleet the seed's timetable
        mostly commits (three of its five planes fly every morning) ops adds planes of the scene's
        own, like P1, the first time the scene runs (a 409 later: they are there)."""
        model = await self.api.call("plane P1", "GET", "/api/v1/planes/P1", token=self.actors.ops)
        for pid in SCENE_PLANES:
            body = {
                "id": pid,
                "registration": f"9V-{pid}",
                "aircraft_type": model["aircraft_type"],
                "home_airport": self.origin,
                "layout": model["layout"],
            }
            await self.api.call(
                "scene plane", "POST", "/api/v1/planes", token=self.actors.ops, json=body, expect=(201, 409)
            )
        return SCENE_PLANES

    async def _booking(self, bid: str) -> dict[str, Any]:
        got: dict[str, Any] = await self.api.call("booking", "GET", f"/api/v1/bookings/{bid}", headers=self.guest(bid))
        return got

    def guest(self, bid: str) -> dict[str, str]:
        """The passenger answers, with the manage token the booking gave them."""
        return {"X-Manage-Token": self.manage_tokens[bid]}

    async def _check_in_one(self, bid: str, flight_id: str) -> dict[str, Any] | None:
        """The first passenger of the booking checks in online with the code the SMS brought."""
        t = self.travellers_of(bid)[0]
        code = await self._code(bid, t.passenger_id, flight_id)
        if not code:
            self.problem(f"booking {bid}: no check-in code by SMS for {t.first_name} {t.last_name}")
            return None
        t.code = code
        passes = await self.api.call(
            "online check-in",
            "POST",
            "/api/v1/checkin",
            json={"code": code, "last_name": t.last_name, "flight_id": flight_id},
        )
        mine = [p for p in passes["passes"] if p["passenger_id"] == t.passenger_id]
        return mine[0] if mine else None

    def travellers_of(self, bid: str) -> list[Any]:
        return [t for t in self.travellers if t.booking_id == bid and t.type != "infant"]

    async def _code(self, bid: str, passenger_id: str, flight_id: str, skip: frozenset[str] = frozenset()) -> str:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            page = await self.api.call(
                "SMS outbox",
                "GET",
                "/api/v1/notifications",
                token=self.actors.admin,
                params={"channel": "sms", "kind": "checkin_code", "reference": bid, "page_size": 50},
            )
            for code in {c for m in page["messages"] for c in CODE.findall(m["body"])} - skip:
                who = await self.api.call(
                    "verification",
                    "POST",
                    "/api/v1/checkin/verify",
                    token=self.actors.agent,
                    json={"flight_id": flight_id, "code": code},
                    expect=(200, 404, 409, 422),
                )
                if isinstance(who, dict) and who.get("passenger_id") == passenger_id:
                    return str(code)
            await asyncio.sleep(0.3)
        return ""

    async def _delay(self, flight: dict[str, Any]) -> dict[str, Any]:
        """Delay by DELAY, or less when its gate is taken by then (another flight of the day)."""
        scheduled = datetime.fromisoformat(flight["scheduled_departure"].replace("Z", "+00:00"))
        r = None
        for minutes in range(int(DELAY.total_seconds()) // 60, 0, -10):
            r = await self.client.post(
                f"/api/v1/flights/{flight['id']}/delay",
                json={
                    "new_departure": (scheduled + timedelta(minutes=minutes)).isoformat(),
                    "delay_code": "93",
                    "reason": "late inbound aircraft",
                },
                headers={"Authorization": f"Bearer {self.actors.ops}"},
            )
            if r.status_code == 200:
                changed: dict[str, Any] = r.json()
                return changed
            if r.status_code != 409:
                break
        assert r is not None
        raise Refused("delay", r)

    async def _change_gate(self, flight: dict[str, Any]) -> dict[str, Any]:
        gates = [
            g["code"] for g in (await self.api.call("gates", "GET", f"/api/v1/airports/{self.origin}/gates"))["gates"]
        ]
        for gate in (g for g in gates if g != flight["gate"]):
            r = await self.client.post(
                f"/api/v1/flights/{flight['id']}/gate",
                json={"gate": gate, "reason": "stand swap"},
                headers={"Authorization": f"Bearer {self.actors.ops}"},
            )
            if r.status_code == 200:
                changed: dict[str, Any] = r.json()
                return changed
            if r.status_code != 409:
                raise Refused("gate change", r)
        raise Inconsistent(f"no other gate free for {flight['number']}")

    async def _proposals(self, flight_id: str, bids: list[str]) -> dict[str, dict[str, Any]]:
        """Wait for re-accommodation to answer every cancelled booking: a proposal or a reason."""
        d = self.summary.disruption
        assert d is not None
        deadline = time.monotonic() + WAIT_S
        while True:
            status = await self.api.call(
                "re-accommodation status", "GET", f"/api/v1/flights/{flight_id}/reaccommodation", token=self.actors.ops
            )
            rows = {b["booking_id"]: b for b in status["bookings"]}
            settled = all(rows.get(bid, {}).get("state") in ("proposed", "unplaced") for bid in bids)
            if settled or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.3)
        out: dict[str, dict[str, Any]] = {}
        for bid in bids:
            row = rows.get(bid)
            if row is None or row["state"] not in ("proposed", "unplaced"):
                self.problem(f"cancelled booking {bid}: no proposal after {WAIT_S:.0f} s ({row and row['state']})")
            elif row["state"] == "unplaced":
                d.unplaced += 1
                if not row.get("unplaced_reason"):
                    self.problem(f"cancelled booking {bid} is unplaced without a reason")
            elif not row.get("options") or not row["options"][0].get("flights"):
                self.problem(f"cancelled booking {bid}: a proposal without a flight")
            else:
                d.proposals += 1
                out[bid] = row
        extra = set(rows) - set(bids)
        if extra:
            self.problem(f"re-accommodation moves bookings that were not on the flight: {sorted(extra)}")
        return out

    async def _check_reserved_seats(self, proposals: dict[str, dict[str, Any]], people: dict[str, list[Any]]) -> None:
        """Each proposal holds a seat per seated passenger on each new flight; no seat twice, none
        of them another passenger's."""
        d = self.summary.disruption
        assert d is not None
        promised: Counter[tuple[str, str]] = Counter()
        for bid, row in proposals.items():
            option = row["options"][0]
            seated = len([t for t in people[bid] if t.type != "infant"])
            for f in option["flights"]:
                seats = [s for s in option["seats"] if s["flight_id"] == f["flight_id"]]
                if len(seats) != seated:
                    self.problem(f"proposal for {bid} on {f['number']}: {len(seats)} seats for {seated} passengers")
                promised.update((f["flight_id"], s["seat"]) for s in seats)
        d.seats_reserved = sum(promised.values())
        twice = [f"{fid}/{seat}" for (fid, seat), n in promised.items() if n > 1]
        if twice:
            self.problem(f"seats promised twice by the proposals: {twice}")
        for flight_id in {fid for fid, _ in promised}:
            seat_map = await self.api.call("seat map", "GET", f"/api/v1/flights/{flight_id}/seats")
            free = {s["seat"] for s in seat_map["seats"] if s["state"] == "free"}
            listed = (
                await self.api.call(
                    "flight passengers", "GET", f"/api/v1/flights/{flight_id}/passengers", token=self.actors.agent
                )
            )["passengers"]
            taken = {p["seat"] for p in listed if p["seat"] and p["booking_id"] not in proposals}
            ours = {seat for fid, seat in promised if fid == flight_id}
            if ours & free:
                self.problem(f"seats promised on {flight_id} still show free on the seat map: {sorted(ours & free)}")
            if ours & taken:
                self.problem(f"seats promised on {flight_id} belong to other passengers: {sorted(ours & taken)}")

    async def _accept(self, bid: str, before: dict[str, Any], row: dict[str, Any], old_flight: str) -> None:
        d = self.summary.disruption
        assert d is not None
        option = row["options"][0]
        after = await self.api.call(
            "accept the proposal",
            "POST",
            f"/api/v1/bookings/{bid}/reaccommodation/accept",
            headers=self.guest(bid),
            json={"option": 0},
        )
        d.accepted += 1
        new = [f["flight_id"] for f in option["flights"]]
        legs = [leg["flight_id"] for leg in after["legs"]]
        if legs != new:
            self.problem(f"booking {bid} accepted {new} but flies {legs}")
        old_numbers = {t["number"] for t in before["tickets"]}
        tickets = [t for t in after["tickets"] if t["flight_id"] in new]
        if len(tickets) != len(after["passengers"]) * len(new) or {t["number"] for t in tickets} & old_numbers:
            self.problem(
                f"booking {bid}: {len(tickets)} e-tickets on the new flights, reused: {bool(old_numbers & {t['number'] for t in tickets})}"
            )
        d.tickets_reissued += len(tickets)
        if any(t["flight_id"] == old_flight for t in after["tickets"]):
            self.problem(f"booking {bid} still holds an e-ticket on the cancelled flight")
        seats = {(s["flight_id"], s["passenger_id"], s["seat"]) for s in after["seats"] if s["flight_id"] in new}
        if seats != {(s["flight_id"], s["passenger_id"], s["seat"]) for s in option["seats"]}:
            self.problem(f"booking {bid}: its seats on the new flight are not the ones proposed")

    async def _receiving_lists(self, bids: list[str], proposals: dict[str, dict[str, Any]], old_flight: str) -> None:
        """Check-in follows the move: each accepted passenger is on the new flight's passenger
        list in the seat proposed, no seat twice there, and none left on the cancelled flight."""
        d = self.summary.disruption
        assert d is not None
        want = {
            (s["flight_id"], bid, s["passenger_id"]): s["seat"]
            for bid in bids
            for s in proposals[bid]["options"][0]["seats"]
        }
        flights = {fid for fid, _, _ in want}
        deadline = time.monotonic() + WAIT_S
        while True:
            lists = {
                fid: (
                    await self.api.call(
                        "passenger list", "GET", f"/api/v1/flights/{fid}/passengers", token=self.actors.agent
                    )
                )["passengers"]
                for fid in (*flights, old_flight)
            }
            got = {
                (fid, p["booking_id"], p["passenger_id"]): p["seat"]
                for fid in flights
                for p in lists[fid]
                if p["booking_id"] in bids
            }
            if all(got.get(k) == v for k, v in want.items()) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.3)
        wrong = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
        if wrong:
            self.problem(f"the receiving flights list the moved passengers in other seats (proposed, listed): {wrong}")
        d.listed_on_new_flights = len(want) - len(wrong)
        for fid in flights:
            seats = Counter(p["seat"] for p in lists[fid] if p["seat"] and p["passenger_type"] != "infant")
            if any(n > 1 for n in seats.values()):
                self.problem(f"flight {fid} lists a seat twice: {[s for s, n in seats.items() if n > 1]}")
        left = [p["passenger_id"] for p in lists[old_flight] if p["booking_id"] in bids and p["status"] != "cancelled"]
        if left:
            self.problem(f"the cancelled flight still lists moved passengers as travelling: {left}")

    async def _decline(self, bid: str) -> None:
        d = self.summary.disruption
        assert d is not None
        done = await self.api.call(
            "decline for a refund",
            "POST",
            f"/api/v1/bookings/{bid}/reaccommodation/decline",
            headers=self.guest(bid),
            json={"take": "refund"},
        )
        d.declined += 1
        deadline = time.monotonic() + WAIT_S
        while done["refunded_amount"] < done["total"] and time.monotonic() < deadline:
            await asyncio.sleep(0.3)
            done = await self._booking(bid)
        d.refunded += done["refunded_amount"]
        if done["state"] != "cancelled" or done["refunded_amount"] != done["total"]:
            self.problem(
                f"declined booking {bid} is {done['state']}, refunded {done['refunded_amount']} of {done['total']}"
            )

    async def _passes_after_the_move(
        self, bid: str, old: dict[str, Any], old_flight: str, proposals: dict[str, dict[str, Any]], mine: set[str]
    ) -> None:
        """The old boarding pass no longer scans; the passenger checks in again and boards."""
        d = self.summary.disruption
        assert d is not None
        agent = {"Authorization": f"Bearer {self.actors.agent}"}
        new_flight = proposals[bid]["options"][0]["flights"][0]["flight_id"] if bid in proposals else ""
        refused = 0
        for flight_id in {old_flight, new_flight} - {""}:
            r = await self.client.post(
                "/api/v1/boarding", json={"flight_id": flight_id, "bcbp": old["bcbp"]}, headers=agent
            )
            if r.is_success:
                self.problem(f"the old boarding pass of booking {bid} boarded on {flight_id}: {r.text[:200]}")
            elif r.status_code >= 500:
                self.problem(
                    f"scanning the old boarding pass of booking {bid} failed: HTTP {r.status_code} {r.text[:200]}"
                )
            else:
                refused += 1
        d.old_pass_refused = refused
        if not new_flight or new_flight not in mine:
            return  # boarding a flight that is not the scene's own would disturb it
        t = self.travellers_of(bid)[0]
        code = await self._code(bid, t.passenger_id, new_flight)
        if not code:
            self.problem(f"booking {bid}: no check-in code for the new flight {new_flight}")
            return
        passes = await self.api.call(
            "check-in on the new flight",
            "POST",
            "/api/v1/checkin",
            json={"code": code, "last_name": t.last_name, "flight_id": new_flight},
        )
        fresh = next((p for p in passes["passes"] if p["passenger_id"] == t.passenger_id), None)
        if fresh is None or fresh["bcbp"] == old["bcbp"]:
            self.problem(f"booking {bid}: no new boarding pass on the new flight")
            return
        await self.api.call(
            "boarding",
            "POST",
            f"/api/v1/flights/{new_flight}/status",
            token=self.actors.ops,
            json={"status": "boarding"},
        )
        boarded = await self.api.call(
            "gate scan",
            "POST",
            "/api/v1/boarding",
            token=self.actors.agent,
            json={"flight_id": new_flight, "bcbp": fresh["bcbp"]},
        )
        if boarded.get("boarded_at"):
            d.new_pass_boarded += 1
        else:
            self.problem(f"booking {bid}: the new boarding pass scanned but did not board")

    async def _compensation(self, bid: str) -> int:
        """Claim what the policy grants for the cancellation, twice: paid once. How many
        passengers were paid (each is told)."""
        d = self.summary.disruption
        assert d is not None
        path = f"/api/v1/bookings/{bid}/compensation"
        owed = await self.api.call("compensation", "GET", path, headers=self.guest(bid))
        d.compensation_due = owed["total_due"]
        if not any(i["reason"] == "cancelled" for i in owed["items"]):
            self.problem(f"booking {bid}: no compensation item for the cancellation ({owed['policy']})")
        if owed["total_due"] <= 0:
            return 0
        first = await self.api.call("claim", "POST", path, headers=self.guest(bid), json={"method": "voucher"})
        second = await self.api.call("claim again", "POST", path, headers=self.guest(bid), json={"method": "voucher"})
        d.compensation_claims = 2
        d.compensation_paid = second["total_paid"]
        refs = [sorted(str(i["reference"]) for i in c["items"]) for c in (first, second)]
        if (
            second["total_paid"] != owed["total_due"]
            or first["total_paid"] != second["total_paid"]
            or refs[0] != refs[1]
        ):
            self.problem(
                f"booking {bid}: compensation {owed['total_due']} due, paid {first['total_paid']} "
                f"then {second['total_paid']} (references {refs})"
            )
        d.passengers_compensated = len([i for i in second["items"] if i["status"] == "paid"])
        return d.passengers_compensated
