import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, bookGuest } from "./helpers.mjs";

const chrome = browserPerFile();
const localDate = (f) => new Intl.DateTimeFormat("en-CA", { timeZone: f.origin_time_zone }).format(new Date(f.scheduled_departure));

test("a guest changes the date of a leg in Manage booking, pays the difference by card and sees the new flight, seat and e-ticket", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 48);
  const later = await createDeparture(ops, 72); // the same route a day later: the date to change to
  assert.notEqual(localDate(later), localDate(flight));
  const booking = await bookGuest(flight, [{ first: "Linh", last: "Vo", dob: "1990-04-12", doc: "P5566778" }]);
  const ticketsBefore = booking.tickets.map((t) => t.number);

  const { context, page } = await openPage(chrome.browser);
  await page.goto("/#/booking/manage");
  await page.getByLabel("Booking reference (PNR)").fill(booking.pnr);
  await page.getByLabel("Last name").fill("Vo");
  await page.getByRole("button", { name: "Find booking" }).click();
  await page.getByTestId("found-pnr").filter({ hasText: booking.pnr }).waitFor();

  const changes = page.getByRole("region", { name: "change flights" });
  await changes.getByRole("button", { name: new RegExp(`Change date of ${flight.number}`) }).click();
  await changes.getByLabel("New date").fill(localDate(later));
  await changes.getByRole("button", { name: "Show flights" }).click();
  const option = changes.getByTestId("change-option").filter({ hasText: later.number });
  await option.waitFor();
  assert.match(await option.innerText(), /SGD [\d,.]+[\s\S]*fee SGD [\d,.]+, fare difference/);
  await shots(page, "booking-manage-change-options");

  await option.getByRole("button", { name: `Choose ${later.number}` }).click();
  const due = changes.getByTestId("change-due");
  await due.waitFor();
  const dueText = (await due.innerText()).trim();
  assert.match(dueText, /^SGD (?!0\.00)[\d,.]+$/, `the change fee at least is due: ${dueText}`);
  const form = changes.getByRole("form", { name: "pay for the change" });
  await form.getByLabel("Card number").fill("4242 4242 4242 4242");
  await form.getByLabel("Expiry (MM/YY)").fill("12/35");
  await form.getByLabel("CVC").fill("123");
  await shots(page, "booking-manage-change-pay");
  await form.getByRole("button", { name: `Pay ${dueText}` }).click();

  const done = changes.getByTestId("change-done");
  await done.waitFor({ timeout: 20_000 });
  assert.match(await done.innerText(), new RegExp(`You now fly ${later.number}`));
  const itinerary = await page.getByRole("table", { name: "itinerary" }).innerText();
  assert.match(itinerary, new RegExp(`\\b${later.number}\\b`));
  assert.doesNotMatch(itinerary, new RegExp(`\\b${flight.number}\\b`));
  // the booking as the API has it now: the new flight, a seat on it and a new e-ticket, shown on the page
  const now = await api(`/bookings/${booking.id}`, { headers: { "X-Manage-Token": booking.manage_token } });
  assert.deepEqual(now.legs.map((l) => l.flight_id), [later.id]);
  const seat = now.seats.find((s) => s.flight_id === later.id);
  assert.ok(seat, JSON.stringify(now.seats));
  const tickets = now.tickets.map((t) => t.number);
  assert.equal(tickets.length, 1);
  assert.ok(!ticketsBefore.includes(tickets[0]), `a new e-ticket: ${tickets} vs ${ticketsBefore}`);
  const passengers = await page.getByRole("table", { name: "passengers and seats" }).innerText();
  assert.ok(passengers.includes(`${seat.seat} (${later.number})`), passengers);
  assert.ok(passengers.includes(tickets[0]), passengers);
  await shots(page, "booking-manage-change-done");
  assert.deepEqual(page.errors, []);
  await context.close();
});
