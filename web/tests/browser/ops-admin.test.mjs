import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, signIn, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();
const unique = (n) => crypto.randomUUID().replace(/-/g, "").slice(0, n).toUpperCase();

async function section(page, title) {
  await page.getByRole("navigation", { name: "console sections" }).getByRole("link", { name: title, exact: true }).click();
}

/** A departure from XSP on `plane` about three hours ahead, at whichever of X1-X3 is free then. */
async function departureOn(token, plane) {
  const start = Math.ceil(Date.now() / 300_000) * 300_000 + 3 * 3600_000;
  const tries = ["X1", "X2", "X3"].flatMap((gate) => [0, 1, 2, 3].map((slot) => ({ gate, slot })));
  for (const { gate, slot } of tries.sort((a, b) => a.slot - b.slot)) {
    const body = { number: `XA${6000 + Math.floor(Math.random() * 999)}`, origin: "XSP", destination: "BKK", gate, plane_id: plane,
      departure: new Date(start + slot * 45 * 60_000).toISOString(), duration_minutes: 145 };
    const made = await api("/flights", { method: "POST", token, body }).catch(() => null);
    if (made) return made;
  }
  throw new Error(`no departure could be made on ${plane}`);
}

test("ops adds a plane and a gate in the console, moves a flight on that plane to the new gate, and the open board shows it live", async () => {
  const ops = await login("ops");
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await signIn(page, "ops");

  // a plane, its seat layout edited with the seat map following
  await page.goto("/#/ops/planes");
  await page.getByRole("button", { name: "New plane" }).click();
  const form = page.getByRole("form", { name: "new plane" });
  const plane = `T${unique(7)}`;
  await form.getByLabel("Plane id").fill(plane);
  await form.getByLabel("Registration").fill(`9V-${plane.slice(1)}`);
  await form.getByRole("button", { name: "Add plane" }).click();
  await form.getByText("Enter the aircraft type, e.g. A320-200").waitFor(); // inline, nothing sent
  await form.getByLabel("Aircraft type").fill("A320-200");
  await form.getByLabel("Cabin 2 last row").fill("30");
  await form.getByTestId("layout-capacity").filter({ hasText: "8 vip, 126 normal" }).waitFor();
  await form.getByRole("button", { name: "seat 30F" }).click();
  await form.getByTestId("layout-capacity").filter({ hasText: "8 vip, 125 normal" }).waitFor();
  assert.equal(await form.getByLabel("Blocked seats").inputValue(), "30F");
  await shots(page, "ops-planes");
  await form.getByRole("button", { name: "Add plane" }).click();
  await page.getByTestId("plane-saved").filter({ hasText: `Saved plane ${plane}` }).waitFor();
  assert.match(await page.getByTestId("plane-saved").innerText(), /8 vip, 125 normal/);

  // a gate at XSP, added in maintenance and then opened
  const gate = `G${unique(6)}`;
  await section(page, "Airports & gates");
  await page.getByRole("button", { name: "open airport XSP and its gates" }).click();
  const gates = page.getByRole("region", { name: "gates of XSP" });
  await gates.getByLabel("New gate").fill(gate);
  await gates.getByLabel("Its status").selectOption("maintenance");
  await gates.getByRole("button", { name: "Add gate" }).click();
  await gates.getByTestId("gate-notice").filter({ hasText: `Gate ${gate} added at XSP (maintenance)` }).waitFor();
  await gates.getByRole("button", { name: `open gate ${gate}` }).click();
  await gates.getByTestId("gate-notice").filter({ hasText: `Gate ${gate} at XSP is now open` }).waitFor();
  await shots(page, "ops-airports");

  // a flight on the new plane (API), and the departures board open in another window
  const flight = await departureOn(ops, plane);
  const board = await openPage(chrome.browser, DESKTOP);
  await board.page.goto("/#/board/XSP");
  const boardRow = board.page.locator(`tr[data-flight="${flight.number}"]`).first();
  await boardRow.waitFor();
  await board.page.getByRole("status").filter({ hasText: "Live" }).waitFor();

  await section(page, "Flight actions");
  await page.getByLabel("Day (local)").fill(new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Singapore" }).format(new Date(flight.scheduled_departure)));
  const row = page.locator(`tr[data-flight="${flight.number}"]`);
  await row.getByRole("button", { name: `gate ${flight.number}` }).click();
  const change = page.getByRole("form", { name: `Change the gate of ${flight.number}` });
  await change.getByLabel("New gate").selectOption(gate);
  await change.getByRole("button", { name: `Change the gate of ${flight.number}…` }).click();
  const confirm = change.getByRole("alertdialog", { name: `confirm: Move ${flight.number} to gate ${gate}` });
  assert.match(await confirm.innerText(), new RegExp(`leaves gate ${flight.gate} for gate ${gate} at XSP`));
  await shots(page, "ops-flight-actions");
  const t0 = Date.now();
  await confirm.getByRole("button", { name: `Yes, move ${flight.number} to gate ${gate}` }).click();
  await row.getByTestId("gate").filter({ hasText: gate }).waitFor();
  await page.getByTestId("action-notice").filter({ hasText: `${flight.number} is ${flight.status} at gate ${gate}` }).waitFor();

  // the board changes without a reload
  await boardRow.locator(".wh-gate").filter({ hasText: gate }).waitFor({ timeout: 15_000 });
  console.log(`board showed gate ${gate} ${Date.now() - t0} ms after the change was confirmed`);

  // a "go to gate" call for it, listed under the flight's announcements with the gate change
  await row.getByRole("button", { name: `announce ${flight.number}` }).click();
  const announce = page.getByRole("form", { name: `Make an announcement for ${flight.number}` });
  await announce.getByRole("button", { name: `Make an announcement for ${flight.number}…` }).click();
  await announce.getByRole("button", { name: `Yes, announce go to gate for ${flight.number}` }).click();
  await page.getByTestId("action-notice").filter({ hasText: "Announced:" }).waitFor();
  const announced = page.getByRole("region", { name: `announcements for ${flight.number}` });
  await announced.getByText(/go to gate:/).waitFor();
  await announced.getByText(/gate change:/).waitFor();
  assert.deepEqual(board.page.errors, []);
  await board.context.close();

  assert.deepEqual(page.errors, []);
  await context.close();
});
