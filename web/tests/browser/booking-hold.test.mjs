import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, isoDate, api, login, createDeparture, bookGuest, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();

test("a guest's held seats: a silent countdown with a polite live region, kept ten minutes longer, a flexible-date strip, and the draft survives a reload", async () => {
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await page.goto("/#/booking");
  const form = page.getByRole("form", { name: "search flights" });
  await form.waitFor();
  await form.getByLabel("One way").check();
  await form.getByLabel("From").selectOption("XSP");
  await form.getByLabel("To").selectOption("AOR");
  await form.getByLabel("Departure date").fill(isoDate(5));
  await form.getByLabel(/My dates are flexible/).check();
  await page.getByRole("button", { name: "Search flights" }).click();

  // the lowest price of each day, 3 days either side; the asked day is picked
  const strip = page.getByRole("list", { name: "lowest price per day" });
  await strip.waitFor();
  assert.equal(await strip.getByRole("button").count(), 7);
  assert.equal(await strip.getByRole("button", { pressed: true }).count(), 1);
  await shots(page, "booking-flexible-days");
  const other = (await strip.getByRole("button", { pressed: false }).and(page.locator(":not([disabled])")).first().innerText()).split("\n")[0];
  await strip.getByRole("button", { name: other }).click();
  assert.equal(await strip.getByRole("button", { name: other }).getAttribute("aria-pressed"), "true");
  await page.getByRole("button", { name: /Select offer 1/ }).click();
  await page.getByRole("button", { name: "Continue" }).click();

  const last = `Hold${crypto.randomUUID().replace(/\d|-/g, "").slice(0, 6)}`;
  const card = page.getByRole("region", { name: "Passenger 1" });
  await card.getByLabel("First name").fill("Kim");
  await card.getByLabel("Last name").fill(last);
  await card.getByLabel("Date of birth").fill("1991-03-04");
  await card.getByLabel("Document number").fill(`H${String(Date.now()).slice(-7)}`);
  await card.getByLabel("Issuing country").fill("SG");
  await card.getByLabel("Expiry date").fill("2032-05-31");
  await page.getByLabel("E-mail").fill("kim@example.com");
  await page.getByLabel("Mobile phone").fill("+6591234567");
  await page.getByRole("button", { name: "Continue to seats" }).click();

  // the seat map is one tab stop: arrow keys move, Enter picks
  const grid = page.getByRole("grid", { name: "seat map" });
  await grid.waitFor();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  const start = grid.locator("button[tabindex='0']");
  await start.focus();
  const from = await start.getAttribute("data-seat");
  await page.keyboard.press("ArrowRight");
  const moved = await page.evaluate(() => document.activeElement?.getAttribute("data-seat"));
  assert.notEqual(moved, from);
  assert.equal(await grid.locator("button[tabindex='0']").count(), 1);
  await grid.locator(".bk-seat--free").first().click();
  await grid.locator(".bk-seat--mine").waitFor();

  // held: the time shown, the ticking text hidden from screen readers, a polite region saying nothing yet
  const hold = page.getByTestId("hold");
  await hold.getByTestId("hold-until").waitFor();
  assert.match(await hold.getByTestId("hold-countdown").innerText(), /^\d+:\d\d$/);
  assert.equal(await hold.locator("[aria-hidden='true'] [data-testid='hold-countdown']").count(), 1);
  assert.equal(await hold.getByTestId("hold-announcement").getAttribute("aria-live"), "polite");
  assert.equal((await hold.getByTestId("hold-announcement").innerText()).trim(), "");
  await shots(page, "booking-hold");

  // "keep my seats": the draft and its holds live ten minutes longer, said once in the polite region
  const saved = await page.evaluate(() => JSON.parse(sessionStorage.getItem("airline.booking.draft")));
  const asGuest = { headers: { "X-Manage-Token": saved.token } };
  const before = await api(`/bookings/${saved.id}`, asGuest);
  const shown = await hold.getByTestId("hold-until").innerText();
  await hold.getByRole("button", { name: "Keep my seats" }).click();
  await hold.getByTestId("hold-announcement").filter({ hasText: "Your seats are now held until" }).waitFor();
  const kept = await api(`/bookings/${saved.id}`, asGuest);
  assert.equal(Date.parse(kept.expires_at) - Date.parse(before.expires_at), 600_000);
  assert.notEqual(await hold.getByTestId("hold-until").innerText(), shown);
  await shots(page, "booking-hold-kept");

  // a reload resumes the draft at its step, the seat still ours
  const seat = await grid.locator(".bk-seat--mine").getAttribute("data-seat");
  await page.reload();
  await page.getByRole("heading", { name: "Seats" }).waitFor();
  await page.locator(`.bk-seat--mine[data-seat="${seat}"]`).waitFor();
  await page.getByTestId("hold-until").waitFor();
  // giving up clears it: the next visit starts from the search
  await page.evaluate(() => sessionStorage.removeItem("airline.booking.draft"));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("cancelling names the refund first and shows what was refunded after; boarding passes are shown again", async (t) => {
  const ops = await login("ops");
  const flight = await createDeparture(ops, 6);
  const last = `Cxl${crypto.randomUUID().replace(/\d|-/g, "").slice(0, 6)}`;
  const booking = await bookGuest(flight, [{ first: "Ren", last, dob: "1985-07-08", doc: `C${String(Date.now()).slice(-7)}` }]);
  const paths = (await api("/openapi.json")).paths;
  const quoted = "/api/v1/bookings/{booking_id}/cancel/quote" in paths;

  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await page.goto("/#/booking/manage");
  await page.getByLabel("Booking reference (PNR)").fill(booking.pnr);
  await page.getByLabel("Last name").fill(last);
  await page.getByRole("button", { name: "Find booking" }).click();
  await page.getByTestId("found-pnr").filter({ hasText: booking.pnr }).waitFor();

  // the pass again: refreshed (GET /boarding-passes/{id}), printable, downloadable
  await page.getByRole("button", { name: "Check in and get boarding passes" }).click();
  const pass = page.getByRole("article", { name: `boarding pass Ren ${last}` });
  await pass.getByRole("button", { name: /^Refresh/ }).click();
  await pass.getByRole("status").filter({ hasText: "Up to date." }).waitFor();
  assert.match(await pass.getByRole("link", { name: "Download PNG" }).getAttribute("href"), /\/qr\.png\?pnr=\w{6}&last_name=/);
  assert.match(await pass.getByRole("link", { name: "Download SVG" }).getAttribute("href"), /\/qr\.svg\?pnr=/);

  await page.getByRole("button", { name: "Cancel booking" }).click();
  const dialog = page.getByRole("alertdialog", { name: `Cancel booking ${booking.pnr}?` });
  await dialog.waitFor();
  if (quoted) {
    const q = await api(`/bookings/${booking.id}/cancel/quote?pnr=${booking.pnr}&last_name=${last}`);
    await dialog.getByTestId("cancel-quote").filter({ hasText: q.refund_amount > 0 ? "You get back" : "refunds nothing" }).waitFor();
    await shots(page, "booking-cancel-quote");
  } else {
    t.diagnostic("the platform predates GET /bookings/{id}/cancel/quote: the dialog falls back to the fare rules");
    await dialog.getByText(/A refund follows the fare rules/).waitFor();
  }
  await dialog.getByRole("button", { name: /^Cancel (and refund|booking)/ }).click();
  const done = page.getByTestId("cancel-done");
  await done.waitFor();
  const after = await api(`/bookings/${booking.id}?pnr=${booking.pnr}&last_name=${last}`, { headers: { "X-Manage-Token": booking.manage_token } });
  assert.equal(after.state, "cancelled");
  assert.match(await done.innerText(), after.refunded_amount > 0 ? /We refunded/ : /Nothing was refunded/);
  await shots(page, "booking-cancelled-refund");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("the hold warns under two minutes before its end, keeps the seats on request, and says plainly once they are released", async () => {
  // a guest's draft with a seat held, made through the API and resumed in the page (as a reload does)
  const ops = await login("ops");
  const flight = await createDeparture(ops, 7);
  const date = new Intl.DateTimeFormat("en-CA", { timeZone: flight.origin_time_zone }).format(new Date(flight.scheduled_departure));
  const found = await api(`/search?${new URLSearchParams({ origin: flight.origin, destination: flight.destination, date, trip_type: "one_way",
    adults: "1", children: "0", infants: "0", cabin_class: "normal" })}`);
  const offer = found.offers.find((o) => o.legs[0].flight.id === flight.id);
  assert.ok(offer, `no offer for the new flight ${flight.number}`);
  const made = await api("/bookings", { method: "POST", body: { offer_id: offer.offer_id }, headers: { "Idempotency-Key": crypto.randomUUID() } });
  const guest = { "X-Manage-Token": made.manage_token };
  const last = `Warn${crypto.randomUUID().replace(/\d|-/g, "").slice(0, 6)}`;
  const withPassenger = await api(`/bookings/${made.id}/passengers`, { method: "PUT", headers: guest, body: {
    passengers: [{ type: "adult", first_name: "Ines", last_name: last, date_of_birth: "1990-01-02",
      document: { type: "passport", number: `W${String(Date.now()).slice(-7)}`, issuing_country: "SG", expiry: "2032-05-31" } }],
    contact: { email: "ines@example.com", phone: "+6591234567" } } });
  const seat = (await api(`/flights/${flight.id}/seats`)).seats.find((s) => s.state === "free" && s.cabin_class === "normal" && !s.exit_row && !s.blocked).seat;
  const held = await api(`/bookings/${made.id}/seats`, { method: "PUT", headers: guest, body: { flight_id: flight.id,
    seats: [{ passenger_id: withPassenger.passengers[0].id, seat }] } });

  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await context.clock.install(); // the page's clock, moved ahead below; the platform's stays real
  await page.goto("/#/booking");
  // the flow mounted first: one that mounts after the draft is put in, but had looked before,
  // clears it as a fresh search does (the page's load event comes before the remote's render)
  await page.getByRole("heading", { name: "Search", exact: true }).waitFor();
  await page.evaluate((d) => sessionStorage.setItem("airline.booking.draft", JSON.stringify(d)), { id: made.id, token: made.manage_token, step: 4, offer });
  await page.reload();
  const hold = page.getByTestId("hold");
  await hold.getByTestId("hold-until").waitFor();
  const warning = hold.getByText("Your seats are about to be released.");
  assert.equal(await warning.count(), 0);

  // 90 seconds before the end, in the page: the warning, said once in the polite region
  await page.clock.fastForward(Date.parse(held.expires_at) - Date.now() - 90_000);
  await warning.waitFor();
  await hold.getByTestId("hold-announcement").filter({ hasText: "held for less than 2 minutes more" }).waitFor();
  await shots(page, "booking-hold-warning");
  await hold.getByRole("button", { name: "Keep my seats" }).click();
  await hold.getByTestId("hold-announcement").filter({ hasText: "Your seats are now held until" }).waitFor();
  await warning.waitFor({ state: "detached" });
  const kept = await api(`/bookings/${made.id}`, { headers: guest });
  assert.equal(Date.parse(kept.expires_at) - Date.parse(held.expires_at), 600_000);

  // past the kept end, in the page: released, said plainly, with a way to start again
  await page.clock.fastForward("30:00");
  await hold.getByTestId("hold-expired").waitFor();
  await hold.getByTestId("hold-announcement").filter({ hasText: "Your seats were released" }).waitFor();
  await shots(page, "booking-hold-expired");
  await hold.getByRole("button", { name: "Start again" }).click();
  await page.getByRole("form", { name: "search flights" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("airline.booking.draft")), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});
