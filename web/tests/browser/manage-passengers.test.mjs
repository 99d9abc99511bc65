import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, bookGuest } from "./helpers.mjs";

const chrome = browserPerFile();

test("a guest corrects a misspelt name (6 letters refused with the service's reason, 1 letter reissued) and cancels one of two passengers in Manage booking", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 36);
  const booking = await bookGuest(flight, [{ first: "Linh", last: "Vo", dob: "1990-04-12", doc: "P5566001" }, { first: "Bao", last: "Tram", dob: "1992-08-01", doc: "P5566002" }]);
  const bao = booking.passengers.find((p) => p.first_name === "Bao");
  const baoTicket = booking.tickets.find((t) => t.passenger_id === bao.id).number;

  const { context, page } = await openPage(chrome.browser);
  await page.goto("/#/booking/manage");
  await page.getByLabel("Booking reference (PNR)").fill(booking.pnr);
  await page.getByLabel("Last name").fill("Tram"); // found with the name about to be corrected
  await page.getByRole("button", { name: "Find booking" }).click();
  await page.getByTestId("found-pnr").filter({ hasText: booking.pnr }).waitFor();
  const section = page.getByRole("region", { name: "passengers" });

  await section.getByRole("button", { name: "Correct the name of Bao Tram" }).click();
  const form = section.getByRole("form", { name: "correct the name of Bao Tram" });
  await form.getByLabel("Corrected last name").fill("Nguyen");
  await form.getByText(/letters changed: more than 3/).waitFor();
  await form.getByRole("button", { name: "Save corrected name" }).click();
  const refused = form.getByRole("alert");
  await refused.waitFor();
  assert.match(await refused.innerText(), /\b3\b/); // the service's own words, with its limit
  await shots(page, "booking-manage-name-refused");
  await form.getByLabel("Corrected last name").fill("Tran");
  await form.getByRole("button", { name: "Save corrected name" }).click();
  await section.getByText("Bao Tran", { exact: true }).waitFor();
  const passengers = await page.getByRole("table", { name: "passengers and seats" }).innerText();
  const now = await api(`/bookings/${booking.id}`, { headers: { "X-Manage-Token": booking.manage_token } });
  const newTicket = now.tickets.find((t) => t.passenger_id === bao.id).number;
  assert.notEqual(newTicket, baoTicket);
  assert.ok(passengers.includes(newTicket), passengers);

  // the booking is still reached (with the corrected last name) to cancel Bao alone
  await section.getByRole("button", { name: "Cancel Bao Tran only" }).click();
  const confirm = section.getByRole("alertdialog", { name: "Cancel Bao Tran?" });
  assert.match(await confirm.innerText(), /non-refundable|Refundable fare/);
  await shots(page, "booking-manage-cancel-passenger");
  await confirm.getByRole("button", { name: "Yes, cancel Bao Tran" }).click();
  await section.getByTestId("manage-passenger").filter({ hasText: "Bao Tran" }).getByText("cancelled", { exact: true }).waitFor();
  const after = await api(`/bookings/${booking.id}`, { headers: { "X-Manage-Token": booking.manage_token } });
  assert.deepEqual(after.passengers.map((p) => [p.first_name, Boolean(p.cancelled)]), [["Linh", false], ["Bao", true]]);
  assert.equal(after.tickets.filter((t) => t.passenger_id === bao.id).length, 0);
  assert.deepEqual(await section.getByRole("button", { name: /only$/ }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label"))), []); // Linh is the last one: cancel the booking instead
  assert.deepEqual(page.errors, []);
  await context.close();
});
