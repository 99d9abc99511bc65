import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, bookGuest, signIn } from "./helpers.mjs";

const chrome = browserPerFile();

test("a guest adds a bag and a meal in Manage booking, pays by card, sees the EMDs and the receipt lines; the cs desk sees them too", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 48); // far from the sales close (a few hours before departure)
  const booking = await bookGuest(flight, [{ first: "Mai", last: "Ngo", dob: "1988-09-02", doc: "P7788990" }]);
  const ticket = booking.tickets[0].number;
  const who = `Mai Ngo · ${flight.number}`;

  const { context, page } = await openPage(chrome.browser);
  await page.goto("/#/booking/manage");
  await page.getByLabel("Booking reference (PNR)").fill(booking.pnr);
  await page.getByLabel("Last name").fill("Ngo");
  await page.getByRole("button", { name: "Find booking" }).click();
  await page.getByTestId("found-pnr").filter({ hasText: booking.pnr }).waitFor();

  const extras = page.getByRole("region", { name: "extras", exact: true });
  await extras.getByRole("button", { name: "Add bags or meals" }).click();
  const row = extras.getByTestId("extras-slot").filter({ hasText: who });
  await row.waitFor();
  assert.match(await row.innerText(), /included[\s\S]*SGD [\d,.]+ each/);
  await row.getByRole("button", { name: `Add a bag for ${who}` }).click();
  await row.getByLabel(`Meal for ${who}`).selectOption({ index: 1 }); // the first dish of the paid menu
  assert.match(await extras.getByTestId("extras-estimate").innerText(), /^SGD (?!0\.00)[\d,.]+$/);
  await shots(page, "booking-manage-extras-choose");

  await extras.getByRole("button", { name: "Review" }).click();
  const total = extras.getByTestId("extras-total");
  await total.waitFor();
  const totalText = (await total.innerText()).trim();
  const items = await extras.getByTestId("extras-item").allInnerTexts();
  assert.equal(items.length, 2, JSON.stringify(items));
  assert.match(items.join("\n"), /bag/i);
  assert.match(items.join("\n"), /meal/i);
  const form = extras.getByRole("form", { name: "pay for extras" });
  await form.getByLabel("Card number").fill("4242 4242 4242 4242");
  await form.getByLabel("Expiry (MM/YY)").fill("12/35");
  await form.getByLabel("CVC").fill("123");
  await shots(page, "booking-manage-extras-pay");
  await form.getByRole("button", { name: `Pay ${totalText}` }).click();

  const done = extras.getByTestId("extras-done");
  await done.waitFor({ timeout: 20_000 });
  // the booking as the API has it now: one EMD for the bag and one for the meal, shown on the page
  const now = await api(`/bookings/${booking.id}`, { headers: { "X-Manage-Token": booking.manage_token } });
  assert.deepEqual(now.ancillaries.map((e) => e.kind).sort(), ["bag", "meal"]);
  const emds = now.ancillaries.map((e) => e.emd_number);
  for (const n of emds) assert.match(n, /^\d{13}$/);
  assert.notEqual(emds[0], emds[1]);
  const doneText = await done.innerText();
  for (const part of [`Paid ${totalText}`, ...emds]) assert.ok(doneText.includes(part), `${part} in "${doneText}"`);
  const shown = await extras.getByTestId("emd").allInnerTexts();
  assert.equal(shown.length, 2);
  for (const n of emds) assert.ok(shown.some((r) => r.includes(n)), `${n} in ${shown}`);

  await extras.getByRole("button", { name: "Show the receipt" }).click();
  const receipt = extras.getByRole("document", { name: "receipt" });
  await receipt.waitFor();
  const lines = receipt.getByTestId("receipt-line");
  const kinds = await lines.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-kind")));
  assert.deepEqual(kinds.filter((k) => k !== "fare").sort(), ["bag", "meal"]);
  assert.ok(kinds.includes("fare"), kinds.join());
  const text = await receipt.innerText();
  for (const n of [ticket, ...emds]) assert.ok(text.includes(n), `${n} on the receipt: ${text}`);
  const fromApi = await api(`/bookings/${booking.id}/receipt`, { headers: { "X-Manage-Token": booking.manage_token } });
  assert.equal(fromApi.total_paid, booking.total + now.ancillaries.reduce((t, e) => t + e.amount, 0)); // the fare and the two extras
  const paid = (await receipt.getByTestId("receipt-paid").innerText()).trim();
  assert.equal(paid, new Intl.NumberFormat("en-SG", { style: "currency", currency: fromApi.currency, currencyDisplay: "code" }).format(fromApi.total_paid / 100).replace(/\u00a0/g, " "));
  assert.equal(await extras.getByRole("button", { name: "Print the receipt" }).count(), 1);
  await shots(page, "booking-manage-extras-receipt");
  assert.deepEqual(page.errors, []);
  await context.close();

  // customer service sees the same EMDs and receipt at the desk, read-only
  const desk = await openPage(chrome.browser);
  await signIn(desk.page, "cs");
  await desk.page.goto("/#/ops/workbench");
  const search = desk.page.getByRole("form", { name: "search bookings" });
  await search.getByLabel("Passenger name or PNR").fill(booking.pnr);
  await search.getByRole("button", { name: "Search" }).click();
  await desk.page.getByRole("button", { name: `Open booking ${booking.pnr}` }).click();
  const record = desk.page.getByRole("region", { name: "extras and receipt" });
  await record.getByTestId("emd").first().waitFor();
  const atDesk = await record.getByTestId("emd").allInnerTexts();
  for (const n of emds) assert.ok(atDesk.some((r) => r.includes(n)), `${n} at the desk: ${atDesk}`);
  await record.getByRole("button", { name: "Show the receipt" }).click();
  assert.equal((await record.getByTestId("receipt-paid").innerText()).trim(), paid);
  await shots(desk.page, "ops-workbench-extras");
  assert.deepEqual(desk.page.errors, []);
  await desk.context.close();
});
