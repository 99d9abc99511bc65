import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, localTime, createDeparture, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();

test("ops posts a delay; an open board shows the new time and reason", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops);

  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await page.goto("/#/board/XSP");
  const row = page.locator(`tr[data-flight="${flight.number}"]`).first();
  await row.waitFor();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  await shots(page, "waiting-hall");

  const newDeparture = new Date(Date.parse(flight.estimated_departure ?? flight.scheduled_departure) + 47 * 60_000).toISOString();
  const reason = `late inbound aircraft ${Date.now() % 10000}`;
  const t0 = Date.now();
  await api(`/flights/${flight.id}/delay`, { method: "POST", token: ops, body: { new_departure: newDeparture, delay_code: "93", reason } });
  const want = localTime(newDeparture, "Asia/Singapore");
  // how soon is a figure (printed), not a claim: CI's load makes any bound a coin flip
  await row.getByTestId("new-time").filter({ hasText: want }).waitFor({ timeout: 15000 });
  await row.getByText(reason).waitFor({ timeout: 15000 });
  console.log(`board updated ${Date.now() - t0} ms after the delay was posted`);
  assert.match(await row.innerText(), /Delayed/);
  await page.getByLabel("announcements").filter({ hasText: flight.number }).waitFor({ timeout: 15000 });
  await shots(page, "waiting-hall-delayed");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("the arrivals board: switched to from the departures board, a delay moves the arrival time live", async () => {
  const ops = await login("ops");
  const flight = await createDeparture(ops); // XSP -> BKK: on Bangkok's arrivals board

  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await page.goto("/#/board/BKK");
  await page.getByRole("heading", { name: "Departures" }).waitFor();
  await page.getByRole("link", { name: "Arrivals" }).click();
  await page.getByRole("heading", { name: "Arrivals" }).waitFor();
  assert.match(page.url(), /#\/board\/BKK\/arrivals$/);
  const row = page.locator(`tr[data-flight="${flight.number}"]`).first();
  await row.waitFor();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  assert.equal((await row.locator(".wh-time").innerText()).trim(), localTime(flight.scheduled_arrival, "Asia/Bangkok"));
  assert.match(await row.innerText(), /Singapore|XSP/);

  const newDeparture = new Date(Date.parse(flight.scheduled_departure) + 35 * 60_000).toISOString(); // within the round trip's turnaround
  const delayed = await api(`/flights/${flight.id}/delay`, { method: "POST", token: ops, body: { new_departure: newDeparture, delay_code: "93", reason: `late crew ${Date.now() % 10000}` } });
  await row.getByTestId("new-time").filter({ hasText: localTime(delayed.estimated_arrival, "Asia/Bangkok") }).waitFor({ timeout: 15000 });
  assert.match(await row.innerText(), /Delayed/);
  await shots(page, "waiting-hall-arrivals");
  assert.deepEqual(page.errors, []);
  await context.close();
});
