import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, login, createDeparture, bookGuest, signIn } from "./helpers.mjs";

const chrome = browserPerFile();

test("a cs agent refunds a booking's payment in part then in full, issues a voucher and looks it up", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 56); // hours ahead: its own window, gates stay free
  const email = `refund-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const booking = await bookGuest(flight, [{ first: "Linh", last: "Pham", dob: "1979-03-12", doc: "P5566001" }], undefined, undefined, email);

  const { context, page } = await openPage(chrome.browser);
  await signIn(page, "cs");
  await page.goto("/#/ops/workbench");
  await page.getByRole("form", { name: "search bookings" }).getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("button", { name: `Open booking ${booking.pnr}` }).click();
  await page.getByTestId("workbench-pnr").filter({ hasText: booking.pnr }).waitFor();
  assert.match(await page.getByTestId("booking-leg").innerText(), new RegExp(`${flight.number}\\s+XSP → BKK`)); // the flight number shows

  const payments = page.getByRole("region", { name: "payments" });
  const row = payments.getByTestId("payment");
  await payments.locator('[data-testid="payment"][data-status="captured"]').waitFor();
  assert.equal(await row.count(), 1);

  // a partial refund: the confirmation names the amount and the booking
  await row.getByRole("button", { name: /^Refund the payment of/ }).click();
  const refund = payments.getByRole("form", { name: "refund" });
  await refund.getByLabel(/Amount to refund/).fill("10");
  await refund.getByLabel("Refund reason").fill("Seat not as sold, goodwill");
  await refund.getByRole("button", { name: "Review the refund" }).click();
  const confirm = payments.getByRole("alertdialog", { name: "confirm the refund" });
  assert.match(await confirm.innerText(), new RegExp(`Refund SGD 10\\.00 of booking ${booking.pnr}`));
  await shots(page, "ops-cs-refund-confirm");
  await confirm.getByRole("button", { name: "Yes, refund SGD 10.00" }).click();
  await payments.getByTestId("payment-done").filter({ hasText: `Refunded SGD 10.00 on booking ${booking.pnr}.` }).waitFor();
  await payments.locator('[data-testid="payment"][data-status="partially_refunded"]').waitFor();

  // the rest: the form starts with what is left
  await row.getByRole("button", { name: /^Refund the payment of/ }).click();
  await refund.getByLabel("Refund reason").fill("Passenger cancelled by phone");
  await refund.getByRole("button", { name: "Review the refund" }).click();
  await confirm.getByRole("button", { name: /^Yes, refund/ }).click();
  await payments.locator('[data-testid="payment"][data-status="refunded"]').waitFor(); // the refunded state
  assert.equal(await row.getByRole("button", { name: /^Refund the payment of/ }).count(), 0); // nothing left to refund
  await row.getByRole("button", { name: /^Details of the payment/ }).click();
  const refunds = payments.getByRole("list", { name: "refunds" });
  await refunds.waitFor();
  assert.match(await refunds.innerText(), /SGD 10\.00[\s\S]*Seat not as sold, goodwill[\s\S]*Passenger cancelled by phone/);
  await shots(page, "ops-cs-payments");

  // a voucher for the trouble, then its balance by code
  const voucher = page.getByRole("region", { name: "issue a voucher" });
  await voucher.getByLabel("Voucher amount").fill("25");
  await voucher.getByLabel("Voucher reason").fill("Compensation for the seat");
  await voucher.getByRole("button", { name: "Review the voucher" }).click();
  const ask = voucher.getByRole("alertdialog", { name: "confirm the voucher" });
  assert.match(await ask.innerText(), new RegExp(`SGD 25\\.00 for booking ${booking.pnr}`));
  await ask.getByRole("button", { name: "Yes, issue SGD 25.00" }).click();
  const issued = voucher.getByTestId("voucher");
  await issued.waitFor();
  const code = (await issued.locator("dd").first().innerText()).trim();
  await page.getByLabel("Voucher code").fill(code.toLowerCase());
  await page.getByRole("button", { name: "Look up" }).click();
  const found = page.getByRole("definition").filter({ hasText: "SGD 25.00 of SGD 25.00" });
  await found.last().waitFor();
  await shots(page, "ops-cs-voucher");
  assert.deepEqual(page.errors, []);
  await context.close();
});
