import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, bookGuest, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();

test("a guest finds the booking with PNR + last name and sees the boarding-pass QR after check-in opens, the flight and a bag live", async () => {
  const ops = await login("ops");
  const agent = await login("agent");
  const flight = await createDeparture(ops, 5); // check-in opens 24 h before: open now
  const booking = await bookGuest(flight, [{ first: "Linh", last: "Vo", dob: "1990-01-12", doc: "K3456789" }]);
  const passenger = booking.passengers[0];
  // a bag dropped at the counter (within or beyond the allowance, it is tracked once accepted)
  let bag = await api("/bags", { method: "POST", token: agent, headers: { "Idempotency-Key": crypto.randomUUID() }, body: {
    booking_id: booking.id, passenger_id: passenger.id, flight_id: flight.id, weight_kg: "12.0", length_cm: 55, width_cm: 40, height_cm: 23 } });
  if (bag.status === "awaiting_payment") {
    bag = await api(`/bags/${bag.id}/payment`, { method: "POST", token: agent, headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { method: { type: "card", number: "4242 4242 4242 4242", exp_month: 12, exp_year: 2035, cvc: "123" } } });
  }
  assert.match(bag.tag, /^0\d{9}$/);

  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await page.goto("/#/booking/manage");
  await page.getByLabel("Booking reference (PNR)").fill(booking.pnr);
  await page.getByLabel("Last name").fill("VO");
  await page.getByRole("button", { name: "Find booking" }).click();
  await page.getByTestId("found-pnr").filter({ hasText: booking.pnr }).waitFor();

  // the flight, live
  const live = page.getByLabel(`flight ${flight.number} live`);
  await live.getByRole("status").filter({ hasText: "Live" }).waitFor();
  assert.ok((await live.innerText()).includes(`gate ${flight.gate}`), await live.innerText());
  assert.match(await live.getByTestId("flight-status").innerText(), /scheduled/i);

  // online check-in with the booking access -> the pass and its QR (the PNG route, with pnr + last_name)
  await page.getByRole("button", { name: "Check in and get boarding passes" }).click();
  const pass = page.getByRole("article", { name: "boarding pass Linh Vo" });
  const qr = pass.getByRole("img", { name: "Boarding pass QR code for Linh Vo" });
  await qr.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 100, await qr.elementHandle());
  assert.match(await qr.getAttribute("src"), /\/api\/v1\/boarding-passes\/[\w-]+\/qr\.png\?pnr=\w{6}&last_name=VO$/);
  assert.equal((await pass.getByTestId("pass-seat").innerText()).trim(), booking.seats[0].seat);
  await pass.scrollIntoViewIfNeeded();
  await shots(page, "booking-manage-boarding-pass");

  // the bag, live: a scan at the airport shows without a reload
  const tracked = page.getByLabel(`bag ${bag.tag}`);
  await tracked.getByRole("status").filter({ hasText: "Live" }).waitFor();
  await api(`/bags/${bag.tag}/events`, { method: "POST", token: agent, body: { status: "screened", airport: "XSP", location: "screening 2", event_id: `t-${crypto.randomUUID()}` } });
  await tracked.getByTestId("bag-history").getByText(/screened · XSP screening 2/).waitFor({ timeout: 5000 });
  assert.match(await tracked.locator("[aria-current=step]").innerText(), /screened/i);
  // and the flight: boarding shows live too
  await api(`/flights/${flight.id}/status`, { method: "POST", token: ops, body: { status: "boarding" } });
  await live.getByTestId("flight-status").filter({ hasText: /boarding/i }).waitFor({ timeout: 5000 });
  await tracked.scrollIntoViewIfNeeded();
  await shots(page, "booking-manage-live-bag");
  assert.deepEqual(page.errors, []);
  await context.close();
});
