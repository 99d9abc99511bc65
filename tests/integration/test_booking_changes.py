"""Voluntary changes (issue 15, item 1) against the real services, over HTTP: a leg moved to a
later flight is priced by the fare rule kept at booking (not today's), paid by card, reissued
(new e-tickets and seats, the old seats free); a cheaper flight leaves a voucher when the rule
allows; inside the closing window the change is refused; a declined card changes nothing; the
same change retried charges once; a change racing a cancel ends in one state; a stale quote is
refused."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from airline.booking.service import Access, BookingService, Crash
from airline.contracts.events import booking as booking_events
from airline.payment.client import PaymentMethod
from airline.platform.db import make_engine
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.booking import published
from tests.support.changes import change_rows, day_of, line, option, payments, quote, reprice
from tests.support.factories import CARD_DECLINED, CARD_OK
from tests.support.http import auth
from tests.support.reaccommodation import API, book, eventually, group, taken_on

pytestmark = pytest.mark.usefixtures("seed_airports")


@pytest.fixture
def booking(services: dict[str, RunningService]) -> Iterator[BookingService]:
    """The session's booking service; its settings are restored afterwards."""
    service: BookingService = services["booking"].parts.service  # type: ignore[attr-defined]
    settings = service.settings
    yield service
    service.settings = settings


async def test_a_later_flight_is_priced_by_the_kept_rule_paid_and_reissued(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Chgy", 2))
    old_seats = {s["seat"] for s in b["seats"]}
    old_tickets = {t["number"] for t in b["tickets"]}
    assert old_seats <= await taken_on(api, f0["id"])
    # after the sale the route's fares go up and its change fee with them: the kept fee applies
    await reprice(api, ops, far, factor=1.2, change_fee=9000)

    o = await option(api, me, b["id"], f1)
    assert (o["change_fee"], o["fare_difference"], o["total_due"], o["residual"]) == (
        2 * 5000,
        2 * 36000 - 2 * 30000,
        10000 + 12000,
        0,
    )
    assert o["seats_left"] >= 2 and o["currency"] == "SGD"
    q = await quote(api, me, b["id"], f1)
    assert q["total_due"] == 22000 and q["residual_voucher"] == 0 and q["expires_at"]
    assert q["legs"] == [
        {
            "leg": 0,
            "from_flight_id": f0["id"],
            "flight_id": f1["id"],
            "number": f1["number"],
            "scheduled_departure": q["legs"][0]["scheduled_departure"],
        }
    ]

    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["state"] == "confirmed" and [leg["flight_id"] for leg in after["legs"]] == [f1["id"]]
    assert after["legs"][0]["change_fee"] == 5000  # the rule kept at booking travels with the leg
    new_seats = {s["seat"] for s in after["seats"] if s["flight_id"] == f1["id"]}
    assert len(new_seats) == 2 and {s["flight_id"] for s in after["seats"]} == {f1["id"]}
    assert new_seats <= await taken_on(api, f1["id"])
    assert not old_seats & await taken_on(api, f0["id"])  # the old seats are free again
    assert {t["flight_id"] for t in after["tickets"]} == {f1["id"]} and len(after["tickets"]) == 2
    assert not {t["number"] for t in after["tickets"]} & old_tickets
    assert sorted(await payments(api, tokens["cs"], b["id"])) == sorted(
        [("captured", 60000, 60000, 0), ("captured", 22000, 22000, 0)]
    )
    # the same change again: the same booking, no second charge, no second move
    again = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert again.status_code == 200, again.text
    assert again.json()["tickets"] == after["tickets"] and again.json()["seats"] == after["seats"]
    assert len(await payments(api, tokens["cs"], b["id"])) == 2
    rows = await change_rows(booking, b["id"])
    assert [(c["state"], c["charged"]) for c in rows] == [("applied", 22000)]


async def test_a_cheaper_flight_leaves_a_voucher_when_the_kept_rule_allows(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, _, f2) = await line(api, ops, refundable=True)
    b = await book(api, me, far, f0, group("Vouy", 1))
    await reprice(api, ops, far, factor=0.5, change_fee=0)  # cheaper today, and no fee any more

    o = await option(api, me, b["id"], f2)
    assert (o["change_fee"], o["fare_difference"], o["total_due"], o["residual"]) == (5000, -15000, 5000, 15000)
    q = await quote(api, me, b["id"], f2)
    assert (q["total_due"], q["residual_voucher"]) == (5000, 15000)
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200, r.text
    assert [leg["flight_id"] for leg in r.json()["legs"]] == [f2["id"]]
    rows = await change_rows(booking, b["id"])
    assert len(rows) == 1 and rows[0]["voucher_code"], rows
    v = await api.get(f"{API}/vouchers/{rows[0]['voucher_code']}", headers=me)
    assert v.status_code == 200, v.text
    assert (v.json()["amount_issued"], v.json()["balance"], v.json()["currency"]) == (15000, 15000, "SGD")
    # sent again: the voucher is not issued twice
    again = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert again.status_code == 200, again.text
    assert [c["voucher_code"] for c in await change_rows(booking, b["id"])] == [rows[0]["voucher_code"]]


async def test_a_non_refundable_fare_forfeits_the_residual(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops, refundable=False)
    b = await book(api, me, far, f0, group("Forf", 1))
    await reprice(api, ops, far, factor=0.5, change_fee=0)
    o = await option(api, me, b["id"], f1)
    assert (o["fare_difference"], o["total_due"], o["residual"]) == (-15000, 5000, 0)


async def test_inside_the_closing_window_the_change_is_refused(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Clsy", 1))
    q = await quote(api, me, b["id"], f1)
    # the window reaches past the flight's departure (it leaves months ahead)
    booking.settings = booking.settings.model_copy(update={"change_close_hours": 24 * 500})
    for r in (
        await api.get(f"{API}/bookings/{b['id']}/changes/options", params={"leg": 0, "date": day_of(f1)}, headers=me),
        await api.post(
            f"{API}/bookings/{b['id']}/changes/quote", headers=me, json={"legs": [{"leg": 0, "flight_id": f1["id"]}]}
        ),
        await api.post(
            f"{API}/bookings/{b['id']}/changes",
            headers=me,
            json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
        ),
    ):
        assert r.status_code == 409 and r.json()["code"] == "change_closed", r.text
    assert len(await payments(api, tokens["cs"], b["id"])) == 1


async def test_a_declined_card_changes_nothing_and_another_card_then_pays(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Decy", 2))
    free_before = await taken_on(api, f1["id"])
    q = await quote(api, me, b["id"], f1)
    assert q["total_due"] == 10000  # two change fees, the same fare
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_DECLINED}},
    )
    assert r.status_code == 402 and r.json()["code"] == "payment_declined", r.text
    now = (await api.get(f"{API}/bookings/{b['id']}", headers=me)).json()
    assert (now["legs"], now["seats"], now["tickets"]) == (b["legs"], b["seats"], b["tickets"])
    assert await taken_on(api, f1["id"]) == free_before  # the seats taken for the change went back
    # a change that costs money needs a method
    r = await api.post(f"{API}/bookings/{b['id']}/changes", headers=me, json={"quote_id": q["quote_id"]})
    assert r.status_code == 422, r.text
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200 and [leg["flight_id"] for leg in r.json()["legs"]] == [f1["id"]], r.text
    paid = await payments(api, tokens["cs"], b["id"])
    assert [p for p in paid if p[0] == "captured"] == sorted(
        [("captured", 10000, 10000, 0), ("captured", 60000, 60000, 0)]
    )


async def test_a_stale_quote_and_a_forged_one_are_refused(api: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Stly", 1))
    q = await quote(api, me, b["id"], f1)
    forged = q["quote_id"][:-4] + ("aaaa" if not q["quote_id"].endswith("aaaa") else "bbbb")
    r = await api.post(f"{API}/bookings/{b['id']}/changes", headers=me, json={"quote_id": forged})
    assert r.status_code == 422 and r.json()["code"] == "quote_invalid", r.text
    # the booking changes (another seat) after the quote
    seats = (await api.get(f"{API}/flights/{f0['id']}/seats")).json()["seats"]
    other = next(
        s["seat"] for s in seats if s["state"] == "free" and s["cabin_class"] == "normal" and not s["exit_row"]
    )
    r = await api.post(
        f"{API}/bookings/{b['id']}/seat-change",
        headers=me,
        json={"flight_id": f0["id"], "passenger_id": "P1", "seat": other},
    )
    assert r.status_code == 200, r.text
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=me,
        json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 409 and r.json()["code"] == "quote_stale", r.text
    assert len(await payments(api, tokens["cs"], b["id"])) == 1


async def test_a_change_racing_a_cancel_ends_in_one_state(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops, refundable=True)
    outcomes = set()
    for n in range(3):
        b = await book(api, me, far, f0, group(f"Racy{chr(65 + n)}", 1))
        q = await quote(api, me, b["id"], f1)
        before = await taken_on(api, f1["id"])
        change, cancel = await asyncio.gather(
            api.post(
                f"{API}/bookings/{b['id']}/changes",
                headers=me,
                json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
            ),
            api.post(f"{API}/bookings/{b['id']}/cancel", headers=me, json={"reason": "plans changed"}),
        )
        codes = sorted([change.status_code, cancel.status_code])
        assert codes == [200, 409], (change.text, cancel.text)
        final = (await api.get(f"{API}/bookings/{b['id']}", headers=me)).json()
        paid = await payments(api, tokens["cs"], b["id"])
        if change.status_code == 200:
            outcomes.add("changed")
            assert cancel.json()["code"] in ("change_in_progress", "booking_state"), cancel.text
            assert final["state"] == "confirmed" and [leg["flight_id"] for leg in final["legs"]] == [f1["id"]]
            assert sorted(paid) == sorted([("captured", 30000, 30000, 0), ("captured", 5000, 5000, 0)])
        else:
            outcomes.add("cancelled")
            assert change.json()["code"] in ("change_in_progress", "booking_state"), change.text
            assert final["state"] == "cancelled" and [leg["flight_id"] for leg in final["legs"]] == [f0["id"]]
            # no money kept for a change that did not happen: only the booking's own payment (refunded)
            assert [p for p in paid if p[2] - p[3] > 0 and p[1] == 5000] == [], paid
            assert await taken_on(api, f1["id"]) == before  # no seat kept on the flight it did not move to
    assert outcomes  # at least one race ran to its end


async def test_check_in_and_the_load_plans_follow_the_change(
    api: httpx.AsyncClient, tokens: dict[str, str], settings: PlatformSettings
) -> None:
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Dwny", 1))
    engine = make_engine(settings.database_url or "", pool_size=2)
    try:

        async def rows(sql: str) -> list[tuple[Any, ...]]:
            async with engine.connect() as conn:
                return [tuple(r) for r in await conn.execute(sa.text(sql), {"b": b["id"]})]

        legs = "select flight_id, status, coalesce(replaced_by, ''), seat, e_ticket from checkin.legs where booking_id = :b"
        plans = "select distinct flight_id from inventory.flight_passengers where booking_id = :b"
        assert await eventually(lambda: rows(legs), timeout=30)  # check-in heard of the sale
        q = await quote(api, me, b["id"], f1)
        r = await api.post(
            f"{API}/bookings/{b['id']}/changes",
            headers=me,
            json={"quote_id": q["quote_id"], "payment": {"method": CARD_OK}},
        )
        assert r.status_code == 200, r.text
        seat, ticket = r.json()["seats"][0]["seat"], r.json()["tickets"][0]["number"]
        (event,) = await published(
            settings.kafka_bootstrap_servers or "", booking_events.BOOKING_CHANGED.topic, b["id"]
        )
        assert event["type"] == "BookingChanged"
        payload = event["payload"]
        assert (payload["removed_flights"], payload["added_flights"], payload["reason"]) == (
            [f0["id"]],
            [f1["id"]],
            "voluntary_change",
        )
        assert (payload["change_fee"], payload["total_paid"], payload["currency"]) == (5000, 5000, "SGD")

        async def moved() -> list[tuple[Any, ...]] | None:
            found = sorted(await rows(legs))
            return found if len(found) == 2 and any(x[1] == "cancelled" for x in found) else None

        after = {x[0]: x for x in await eventually(moved, timeout=30)}
        # the old leg is void (its pass would answer pass_replaced), the new one as the booking has it
        assert after[f0["id"]][1:3] == ("cancelled", f1["number"])
        assert after[f1["id"]][1:] == ("booked", "", seat, ticket)

        async def replanned() -> list[tuple[Any, ...]] | None:
            found = await rows(plans)
            return found if found == [(f1["id"],)] else None

        assert await eventually(replanned, timeout=30) == [(f1["id"],)]
    finally:
        await engine.dispose()


async def test_customer_service_changes_a_booking_with_a_reason_and_a_stranger_does_not_reach_it(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    me, ops, cs = auth(tokens["passenger"]), tokens["ops"], auth(tokens["cs"])
    far, (f0, f1, _) = await line(api, ops)
    b = await book(api, me, far, f0, group("Stfy", 1))
    # someone else (no token, no manage token) does not reach the booking at all
    r = await api.get(f"{API}/bookings/{b['id']}/changes/options", params={"leg": 0, "date": day_of(f1)})
    assert r.status_code == 404, r.text
    q = await quote(api, cs, b["id"], f1)  # staff reach any booking
    body = {"quote_id": q["quote_id"], "payment": {"method": CARD_OK}}
    r = await api.post(f"{API}/bookings/{b['id']}/changes", headers=cs, json=body)
    assert r.status_code == 422 and r.json()["code"] == "reason_required", r.text
    assert await change_rows(booking, b["id"]) == []  # refused before anything was written
    r = await api.post(
        f"{API}/bookings/{b['id']}/changes",
        headers=cs | {"X-Airline-Reason": "passenger called: a later day"},
        json=body,
    )
    assert r.status_code == 200 and [leg["flight_id"] for leg in r.json()["legs"]] == [f1["id"]], r.text


async def _crash_at(name: str) -> None:
    if name == "change_paid":
        raise Crash(name)


async def test_a_change_a_dead_request_left_paid_is_finished_or_given_back(
    api: httpx.AsyncClient, tokens: dict[str, str], booking: BookingService
) -> None:
    """The process dies after the payment, before the move: recovery makes the change the
    passenger paid for; had the booking been cancelled meanwhile, the change's money goes back."""
    me, ops = auth(tokens["passenger"]), tokens["ops"]
    far, (f0, f1, _) = await line(api, ops)
    card = PaymentMethod(card_number="4242424242424242", card_exp_month=12, card_exp_year=2035, card_cvc="123")
    kept, gone = await book(api, me, far, f0, group("Crsa", 1)), await book(api, me, far, f0, group("Crsb", 1))
    quotes = {b["id"]: await quote(api, me, b["id"], f1) for b in (kept, gone)}
    booking.fault = _crash_at
    try:
        for bid, q in quotes.items():
            with pytest.raises(Crash):
                await booking.change_flights(Access(bid, booking.manage_token(bid)), q["quote_id"], card)
    finally:
        booking.fault = None
    for bid in quotes:
        assert [leg["flight_id"] for leg in (await booking.ctx.view_of(bid))["legs"]] == [f0["id"]]
    r = await api.post(f"{API}/bookings/{gone['id']}/cancel", headers=me, json={"reason": "plans changed"})
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text

    assert await booking.changes.recover(stale_after=0) >= 2  # type: ignore[union-attr]
    assert [leg["flight_id"] for leg in (await booking.ctx.view_of(kept["id"]))["legs"]] == [f1["id"]]
    assert sorted(await payments(api, tokens["cs"], kept["id"])) == [
        ("captured", 5000, 5000, 0),
        ("captured", 30000, 30000, 0),
    ]
    assert [c["state"] for c in await change_rows(booking, gone["id"])] == ["abandoned"]
    change_payment = [p for p in await payments(api, tokens["cs"], gone["id"]) if p[1] == 5000]
    assert change_payment == [("refunded", 5000, 5000, 5000)], change_payment
    # the passenger retries the same change: answered as made, nothing charged again
    r = await api.post(
        f"{API}/bookings/{kept['id']}/changes",
        headers=me,
        json={"quote_id": quotes[kept["id"]]["quote_id"], "payment": {"method": CARD_OK}},
    )
    assert r.status_code == 200 and [leg["flight_id"] for leg in r.json()["legs"]] == [f1["id"]], r.text
    assert len(await payments(api, tokens["cs"], kept["id"])) == 2
