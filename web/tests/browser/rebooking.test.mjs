import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, bookGuest, signIn } from "./helpers.mjs";

const chrome = browserPerFile();

test("the airline cancels a guest's flight: Manage booking shows the new flight it proposes, and accepting moves the booking", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 30);
  await createDeparture(ops, 33); // a later flight on the route, so there is room whatever the seed sold
  const booking = await bookGuest(flight, [{ first: "Thao", last: "Nguyen", dob: "1992-07-14", doc: "N1234567" }]);
  await api(`/flights/${flight.id}/cancel`, { method: "POST", token: ops, body: { reason: "aircraft unserviceable" } });
  const guest = { "X-Manage-Token": booking.manage_token };
  let proposal;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    proposal = (await api(`/bookings/${booking.id}`, { headers: guest })).reaccommodation;
    if (proposal?.state === "proposed") break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(proposal?.state, "proposed", JSON.stringify(proposal));
  const next = proposal.options[0].flights;

  const { context, page } = await openPage(chrome.browser);
  await page.goto("/#/booking/manage");
  await page.getByLabel("Booking reference (PNR)").fill(booking.pnr);
  await page.getByLabel("Last name").fill("Nguyen");
  await page.getByRole("button", { name: "Find booking" }).click();
  const rebooking = page.getByRole("region", { name: "rebooking" });
  await rebooking.getByText(`Flight ${flight.number} was cancelled`).waitFor();
  assert.match(await rebooking.getByTestId("proposal").innerText(), new RegExp(next.map((f) => f.number).join("[\\s\\S]*")));
  // a PNR and a name may accept or take the refund to the card, not a voucher (a bearer instrument)
  assert.equal(await rebooking.getByRole("button", { name: /voucher/ }).count(), 0);
  await rebooking.getByRole("button", { name: /Cancel and refund/ }).waitFor();
  await shots(page, "booking-manage-rebooking-proposed");

  await rebooking.getByRole("button", { name: "Accept this flight" }).click();
  await rebooking.getByTestId("rebooked").waitFor();
  const moved = await api(`/bookings/${booking.id}`, { headers: guest });
  assert.deepEqual(moved.legs.map((l) => l.flight_id), next.map((f) => f.flight_id));
  assert.equal(moved.state, "confirmed");
  assert.equal(moved.reaccommodation.state, "applied");
  // the itinerary on the page is the new one
  await page.getByRole("table", { name: "itinerary" }).getByText(next[0].number).waitFor();
  await shots(page, "booking-manage-rebooking-accepted");
  assert.deepEqual(page.errors, []);
  await context.close();

  // ops sees the flight's re-accommodation in the disruption console: the booking, ranked, applied
  const desk = await openPage(chrome.browser);
  await signIn(desk.page, "ops");
  await desk.page.goto("/#/ops/disruptions");
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: flight.origin_time_zone }).format(new Date(flight.scheduled_departure));
  await desk.page.getByLabel("Day (local)").fill(day);
  const row = desk.page.locator(`tr[data-flight="${flight.number}"][data-status="cancelled"]`);
  await row.getByRole("button", { name: `rebook ${flight.number}` }).click();
  const panel = desk.page.getByRole("region", { name: "rebook panel" });
  const mine = panel.getByRole("row").filter({ hasText: booking.id.slice(0, 8) });
  await mine.waitFor();
  assert.match(await mine.innerText(), new RegExp(`applied[\\s\\S]*${next[0].number}`, "i"));
  assert.match(await panel.getByTestId("rebook-counts").innerText(), /1 applied/);
  await shots(desk.page, "ops-disruptions-rebook");
  assert.deepEqual(desk.page.errors, []);
  await desk.context.close();
});
