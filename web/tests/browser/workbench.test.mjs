import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, login, createDeparture, bookGuest, signIn } from "./helpers.mjs";

const chrome = browserPerFile();

/** The kinds of the history entries on the page, once `want` shows (the history follows the booking's events). */
async function historyKinds(page, want) {
  const history = page.getByRole("region", { name: "booking history" });
  const deadline = Date.now() + 20_000;
  let kinds = [];
  while (Date.now() < deadline) {
    kinds = await history.getByTestId("history-entry").evaluateAll((els) => els.map((e) => e.dataset.kind));
    if (want(kinds)) return kinds;
    await history.getByRole("button", { name: "Refresh" }).click();
    await page.waitForTimeout(500);
  }
  assert.fail(`history kinds: ${JSON.stringify(kinds)}`);
}

test("a cs agent finds a booking by e-mail, reads its history, resends the confirmation with a reason and sees that in the history", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 40); // hours ahead: each test its own window, gates stay free
  const email = `desk-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const booking = await bookGuest(flight, [{ first: "Thanh", last: "Nguyễn", dob: "1987-09-30", doc: "P3344556" }], undefined, undefined, email);

  const { context, page } = await openPage(chrome.browser);
  await signIn(page, "cs");
  await page.goto("/#/ops/workbench");
  const search = page.getByRole("form", { name: "search bookings" });
  await search.getByLabel("E-mail").fill(email.toUpperCase()); // any case
  await search.getByRole("button", { name: "Search" }).click();
  const hit = page.getByTestId("search-hit");
  await hit.first().waitFor();
  assert.equal(await hit.count(), 1);
  assert.match(await hit.innerText(), new RegExp(`${booking.pnr}[\\s\\S]*Thanh Nguyễn[\\s\\S]*${email}[\\s\\S]*${flight.number}`));
  await hit.getByRole("button", { name: `Open booking ${booking.pnr}` }).click();
  await page.getByTestId("workbench-pnr").filter({ hasText: booking.pnr }).waitFor();

  const kinds = await historyKinds(page, (k) => k.includes("created") && (k.includes("confirmed") || k.includes("payment_captured")));
  assert.equal(kinds[0], "created"); // oldest first
  await shots(page, "ops-workbench-history");

  // no reason, no action: the button waits for one of 3 characters or more
  const resend = page.getByRole("button", { name: "Resend confirmation" });
  assert.equal(await resend.isDisabled(), true);
  const reason = page.getByLabel("Reason (recorded in the history)");
  await reason.fill("no");
  assert.equal(await resend.isDisabled(), true);
  await reason.fill("Passenger lost the e-mail, asked by phone");
  await resend.click();
  await page.getByTestId("workbench-done").waitFor();
  await historyKinds(page, (k) => k.includes("confirmation_resent"));
  const resent = page.locator('[data-testid="history-entry"][data-kind="confirmation_resent"]').last();
  assert.match(await resent.innerText(), /by cs[\s\S]*why: Passenger lost the e-mail, asked by phone/);
  await shots(page, "ops-workbench-resent");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a cs agent corrects a passenger's name and cancels another passenger, each with a reason kept in the history", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 44);
  const email = `desk-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const booking = await bookGuest(flight, [{ first: "Mai", last: "Hoang", dob: "1980-01-15", doc: "P7700001" }, { first: "Quan", last: "Lee", dob: "1982-02-16", doc: "P7700002" }], undefined, undefined, email);

  const { context, page } = await openPage(chrome.browser);
  await signIn(page, "cs");
  await page.goto("/#/ops/workbench");
  await page.getByRole("form", { name: "search bookings" }).getByLabel("Passenger name or PNR").fill(booking.pnr);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name: `Open booking ${booking.pnr}` }).click();
  const desk = page.getByRole("region", { name: "act for the passenger" });
  await desk.getByRole("table", { name: "passengers of the booking" }).waitFor();
  const reason = desk.getByLabel("Reason (recorded in the history)");

  await desk.getByRole("button", { name: "Correct the name of Mai Hoang" }).click();
  const form = desk.getByRole("form", { name: "correct the name of Mai Hoang" });
  await form.getByLabel("Corrected last name").fill("Hoàng"); // an accent only is no change
  await form.getByText("Nothing changed yet.").waitFor();
  await form.getByLabel("Corrected first name").fill("May");
  assert.equal(await form.getByRole("button", { name: "Save corrected name" }).isDisabled(), true); // no reason yet
  await reason.fill("Passport says May, typo at booking");
  await form.getByRole("button", { name: "Save corrected name" }).click();
  await desk.getByTestId("workbench-done").filter({ hasText: "The name was corrected to May" }).waitFor();

  await reason.fill("Quan cannot travel, called in");
  await desk.getByRole("button", { name: "Cancel Quan Lee" }).click();
  await desk.getByRole("alertdialog", { name: "Cancel Quan Lee?" }).getByRole("button", { name: "Yes, cancel Quan Lee" }).click();
  await desk.getByTestId("workbench-done").filter({ hasText: "Quan Lee was cancelled." }).waitFor();
  const rows = desk.getByRole("table", { name: "passengers of the booking" });
  assert.match(await rows.innerText(), /May Hoàng[\s\S]*Quan Lee \(adult\) cancelled/i);
  assert.equal(await rows.getByRole("button", { name: /^Cancel May/ }).count(), 0); // May is the last one: the booking is cancelled instead

  await historyKinds(page, (k) => k.includes("name_corrected") && k.includes("passenger_cancelled"));
  const entry = (kind) => page.locator(`[data-testid="history-entry"][data-kind="${kind}"]`).last().innerText();
  assert.match(await entry("name_corrected"), /by cs[\s\S]*why: Passport says May, typo at booking/);
  assert.match(await entry("passenger_cancelled"), /by cs[\s\S]*why: Quan cannot travel, called in/);
  await shots(page, "ops-workbench-actions");
  assert.deepEqual(page.errors, []);
  await context.close();
});
