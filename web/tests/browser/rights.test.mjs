import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, bookGuest, signIn } from "./helpers.mjs";

const chrome = browserPerFile();

test("a signed-in passenger whose flight the airline cancelled sees the compensation owed in Manage booking and takes it as a voucher, once", async () => {
  const ops = await login("ops");
  const me = await login("passenger");
  const flight = await createDeparture(ops, 30);
  const booking = await bookGuest(flight, [{ first: "Minh", last: "Pham", dob: "1985-03-02", doc: "P7788990" }], undefined, me);
  await api(`/flights/${flight.id}/cancel`, { method: "POST", token: ops, body: { reason: "aircraft unserviceable" } });

  const { context, page } = await openPage(chrome.browser);
  await signIn(page, "passenger");
  await page.goto("/#/booking/manage");
  await page.getByRole("button", { name: new RegExp(booking.pnr) }).click();
  await page.getByTestId("found-pnr").filter({ hasText: booking.pnr }).waitFor();
  const rights = page.getByRole("region", { name: "compensation" });
  const item = rights.getByTestId("compensation-item");
  await item.waitFor();
  assert.match(await item.innerText(), new RegExp(`Minh Pham[\\s\\S]*${flight.number}[\\s\\S]*cancelled by the airline[\\s\\S]*due`, "i"));
  await shots(page, "booking-manage-compensation-due");

  await rights.getByRole("button", { name: "Take as a voucher" }).click();
  const voucher = rights.getByTestId("compensation-voucher");
  await voucher.waitFor();
  const code = (await voucher.innerText()).trim();
  assert.ok(code.length >= 6, code);
  assert.equal(await rights.getByRole("button", { name: "Take as a voucher" }).count(), 0); // nothing left to claim
  // the payout is the voucher the API shows, and claiming again pays nothing more
  const again = await api(`/bookings/${booking.id}/compensation`, { method: "POST", token: me, body: { method: "voucher" } });
  assert.deepEqual(again.items.map((i) => [i.status, i.reference]), [["paid", code]]);
  await shots(page, "booking-manage-compensation-paid");
  assert.deepEqual(page.errors, []);
  await context.close();
});
