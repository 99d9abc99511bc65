import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, isoDate, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();

async function signIn(page, role) {
  await page.goto("/#/signin");
  await page.getByLabel("E-mail").fill(`${role}@airline.local`);
  await page.getByLabel("Password").fill(role === "admin" ? "admin-local-only" : `${role}-demo-pass`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("signed in as").waitFor();
}

async function section(page, title) {
  await page.getByRole("navigation", { name: "console sections" }).getByRole("link", { name: title }).click();
}

test("ops creates a round trip in the console, then delays it from the disruption console", async () => {
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await signIn(page, "ops");
  await page.goto("/#/ops/flights");
  const form = page.getByRole("form", { name: "create flights" });
  await form.waitFor();
  await form.getByLabel("Round trip").check();
  // inline validation first: nothing is sent until the form is right
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByText("Choose the arrival airport").waitFor();
  await shots(page, "ops-flights-errors");

  // beyond the seed's week of flights, on a day and time of its own: the plane and gate are free
  let made, number, date;
  for (let i = 0; i < 6 && !made; i++) {
    date = isoDate(20 + i * 3 + Math.floor(Math.random() * 3));
    number = `XA${5000 + Math.floor(Math.random() * 3999)}`;
    const hour = String(7 + Math.floor(Math.random() * 8)).padStart(2, "0");
    await form.getByLabel("Flight number", { exact: true }).fill(number);
    await form.getByLabel("From").selectOption("XSP");
    await form.getByLabel("To").selectOption("BKK");
    await form.getByLabel("Plane").selectOption(["P4", "P5", "P3"][i % 3]);
    await form.getByLabel("Gate", { exact: true }).selectOption(["X3", "X2", "X1"][i % 3]);
    await form.getByLabel("Block time (minutes)").fill("145");
    await form.getByLabel(/^Departure \(local/).fill(`${date}T${hour}:10`);
    await form.getByLabel("Return flight number").fill(`XA${Number(number.slice(2)) + 1}`);
    await form.getByLabel("Return gate").selectOption({ index: 1 });
    await form.getByLabel(/^Return departure/).fill(`${date}T${String(Number(hour) + 5).padStart(2, "0")}:00`);
    await form.getByRole("button", { name: "Save" }).click();
    const outcome = await Promise.race([
      form.getByTestId("created").waitFor({ timeout: 15_000 }).then(() => "created"),
      form.getByTestId("create-error").waitFor({ timeout: 15_000 }).then(() => "error"),
    ]);
    if (outcome === "created") made = true;
    else await shots(page, "ops-flights-conflict");
  }
  assert.ok(made, "no round trip could be created");
  assert.match(await form.getByTestId("created").innerText(), new RegExp(`Created 2 flights: ${number}, XA${Number(number.slice(2)) + 1}`));
  await shots(page, "ops-flights-created");

  await section(page, "Disruptions");
  await page.getByLabel("Day (local)").fill(date);
  const row = page.locator(`tr[data-flight="${number}"]`);
  await row.waitFor();
  const planned = await row.getByTestId("expected").innerText();
  await row.getByRole("button", { name: `delay ${number}` }).click();
  const delay = page.getByRole("form", { name: `delay ${number}` });
  await delay.getByLabel("IATA delay code").selectOption("93");
  await delay.getByRole("button", { name: "Delay flight" }).click();
  await delay.getByText("Give the reason passengers will read").waitFor(); // inline, before sending
  await delay.getByLabel("Reason").fill("late inbound aircraft");
  await shots(page, "ops-disruptions-delay");
  await delay.getByRole("button", { name: "Delay flight" }).click();
  await page.locator(`tr[data-flight="${number}"][data-status="delayed"]`).waitFor();
  const expected = await row.getByTestId("expected").innerText();
  assert.notEqual(expected, planned);
  assert.match(expected, /\(93\)/);
  assert.match(await row.innerText(), /late inbound aircraft/);
  await page.getByText(`${number} is now delayed`).waitFor();
  await shots(page, "ops-disruptions");

  // a cancellation is asked for once more, naming what it does; going back sends nothing
  await row.getByRole("button", { name: `cancel ${number}` }).click();
  const cancel = page.getByRole("form", { name: `cancel ${number}` });
  await cancel.getByLabel("Reason").fill("engine change");
  await cancel.getByRole("button", { name: "Cancel flight…" }).click();
  const confirm = cancel.getByRole("alertdialog", { name: `confirm cancel ${number}` });
  assert.match(await confirm.innerText(), new RegExp(`Cancel ${number} \\(XSP→BKK\\)\\?[\\s\\S]*\\d+ passengers? booked on ${number} are told`));
  await shots(page, "ops-disruptions-cancel-confirm");
  await confirm.getByRole("button", { name: "No, go back" }).click();
  await confirm.waitFor({ state: "detached" });
  assert.equal(await page.locator(`tr[data-flight="${number}"][data-status="delayed"]`).count(), 1);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("every console section renders for admin (screenshots), and by role for cs and inventory", async () => {
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await signIn(page, "admin");
  await page.goto("/#/ops/overview");
  await page.getByLabel("Day (local)").fill(isoDate(2)); // the seed's flights start in the coming days
  await page.getByRole("img", { name: /Load factor per flight/ }).waitFor();
  await page.getByRole("img", { name: /On-time performance/ }).waitFor();
  await page.getByText("Data table").first().click();
  assert.ok(await page.getByRole("table", { name: /Load factor per flight.* data/ }).locator("tbody tr").count() > 0);
  await shots(page, "ops-overview");

  await section(page, "Fleet & gates");
  await page.getByLabel("Day (local)").fill(isoDate(2));
  await page.getByRole("img", { name: /Gate occupancy at XSP/ }).waitFor();
  await page.getByRole("table", { name: "fleet" }).getByRole("row", { name: /P1/ }).waitFor();
  await shots(page, "ops-fleet");

  await section(page, "Crew readiness");
  await page.getByLabel("Day (local)").fill(isoDate(2));
  await page.getByRole("table", { name: "crew readiness" }).locator("tbody tr").first().waitFor();
  await shots(page, "ops-crew-readiness");

  // a dry run of one day's roster: solved and shown, nothing written
  await section(page, "Crew roster");
  const run = page.getByRole("form", { name: "roster run" });
  await run.getByLabel(/^First day/).fill(isoDate(3));
  await run.getByLabel(/^Last day/).fill(isoDate(3));
  await run.getByLabel("Base").selectOption("XSP");
  await run.getByRole("button", { name: "Dry run" }).click();
  const result = page.getByRole("region", { name: "roster result" });
  await result.getByRole("heading", { name: "Dry run: nothing written" }).waitFor({ timeout: 60_000 });
  assert.match(await result.getByTestId("roster-totals").innerText(), /Proposed\s*\d+/);
  await shots(page, "ops-roster");

  await section(page, "Revenue");
  await page.getByLabel("revenue summary").waitFor();
  await page.getByRole("table", { name: "revenue per flight" }).waitFor();
  await shots(page, "ops-revenue");

  await section(page, "Fares");
  await page.getByRole("table", { name: "fares" }).getByRole("row", { name: /XSP→/ }).first().waitFor();
  await shots(page, "ops-fares");

  await section(page, "Stock & load plans");
  await page.getByRole("table", { name: "stock" }).locator("tbody tr").first().waitFor();
  await page.getByLabel("Day (local)").fill(isoDate(2));
  await page.getByLabel("Flight", { exact: true }).locator("option").nth(1).waitFor({ state: "attached" });
  await page.getByLabel("Flight", { exact: true }).selectOption({ index: 1 });
  await page.getByRole("region", { name: "load plan" }).waitFor();
  await shots(page, "ops-inventory");

  await section(page, "Notifications");
  await page.getByRole("table", { name: "notifications" }).waitFor();
  await shots(page, "ops-notifications");

  await section(page, "Booking lookup");
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByText("Enter a 6-character PNR and a last name, or a booking id").waitFor();
  await shots(page, "ops-bookings");
  assert.deepEqual(page.errors, []);
  await context.close();

  for (const [role, expected] of [["cs", ["Overview", "Fares", "Service desk", "Booking lookup", "Notifications"]], ["inventory", ["Overview", "Stock & load plans"]]]) {
    const { context: c, page: p } = await openPage(chrome.browser, DESKTOP);
    await signIn(p, role);
    await p.goto("/#/ops");
    const nav = p.getByRole("navigation", { name: "console sections" });
    await nav.waitFor();
    assert.deepEqual((await nav.getByRole("link").allInnerTexts()).map((s) => s.trim()), expected);
    await c.close();
  }
});
