// The ops console's pricing (taxes, fares, a flight's overbooking), a flight's crew (assign by
// hand, remove after a confirmation) and admin's users: each on the running platform.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, browserPerFile, createDeparture, login, openPage, shots, signIn, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();
const unique = () => crypto.randomUUID().replace(/-/g, "").toUpperCase();

/** Admin's password is not the demo pattern helpers.signIn knows. */
async function signInAs(page, role) {
  if (role !== "admin") return signIn(page, role);
  await page.goto("/#/signin");
  for (const [label, value] of [["E-mail", "admin@airline.local"], ["Password", "admin-local-only"]]) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("signed in as").waitFor();
}

const section = (page, title) => page.getByRole("navigation", { name: "console sections" }).getByRole("link", { name: title, exact: true }).click();
const localDay = (iso) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Singapore" }).format(new Date(iso));

test("ops sets a tax and a fare, and a fresh flight's overbooking", async () => {
  const token = await login("ops");
  const flight = await createDeparture(token, 50); // a flight of its own for the overbooking
  // an infant's arrival tax at XSP with a code of its own, removed again below (and in any case)
  const code = `Q${unique().slice(0, 2)}`;
  const tax = { airport: "XSP", passenger_type: "infant", code, name: "", amount: 0, currency: "SGD", applies_on: "arrival" };
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  try {
    await signInAs(page, "ops");
    await page.goto("/#/ops/pricing");

    const taxes = page.getByRole("region", { name: "taxes and fees" });
    const taxForm = taxes.getByRole("form", { name: "set a tax" });
    await taxForm.getByLabel("Airport").selectOption("XSP");
    await taxForm.getByLabel("Passenger type").selectOption("infant");
    await taxForm.getByLabel("Tax code").fill("Q");
    await taxForm.getByLabel("Amount per leg").fill("1.25");
    await taxForm.getByLabel("Charged on").selectOption("arrival");
    await taxForm.getByRole("button", { name: "Save tax" }).click();
    await taxForm.getByText("Two or three letters or digits").waitFor(); // checked before sending
    await taxForm.getByLabel("Tax code").fill(code);
    await taxForm.getByRole("button", { name: "Save tax" }).click();
    await taxForm.getByText(`Saved tax ${code} at XSP`).waitFor();
    const row = taxes.locator(`tr[data-tax="XSP-infant-${code}-arrival"]`);
    assert.match(await row.innerText(), /SGD 1\.25/);
    await shots(page, "ops-pricing-taxes");
    await row.getByRole("button", { name: `remove tax ${code} XSP infant` }).click();
    await row.waitFor({ state: "detached" });

    // a fare on a route nobody flies (AOR→CGK): an amount of this run's own
    const fares = page.getByRole("region", { name: "fares and fare rules" });
    await fares.getByLabel("Route from").selectOption("AOR");
    await fares.getByLabel("Route to").selectOption("CGK");
    const cents = 10000 + Math.floor(Math.random() * 89999);
    const amount = (cents / 100).toFixed(2);
    const fareForm = fares.getByRole("form", { name: "set a fare" });
    await fareForm.getByLabel("Amount per flight").fill(amount);
    await fareForm.getByRole("button", { name: "Save fare" }).click();
    const shown = new Intl.NumberFormat("en-SG", { style: "currency", currency: "SGD", currencyDisplay: "code" }).format(cents / 100).replace(/\u00a0/g, " ");
    await fareForm.getByText(`Saved: AOR→CGK normal adult one way at ${shown}.`).waitFor();
    await fares.getByRole("table", { name: "route fares" }).getByRole("row", { name: /normal adult one way/ }).getByText(shown).waitFor();
    await shots(page, "ops-pricing-fares");

    const settings = page.getByRole("region", { name: "flight revenue settings" });
    await settings.getByLabel("Day (local)").fill(localDay(flight.scheduled_departure));
    await settings.getByLabel("Departure").selectOption(flight.id);
    const over = settings.getByRole("form", { name: "overbooking" });
    await over.getByLabel("Overbooking (%)").fill("25");
    await over.getByRole("button", { name: "Set overbooking" }).click();
    await over.getByText("A whole percentage from 0 to 20").waitFor();
    await over.getByLabel("Overbooking (%)").fill("7");
    await over.getByRole("button", { name: "Set overbooking" }).click();
    await over.getByText(`${flight.number} normal now sells up to 7 % over its seats.`).waitFor();
    await settings.getByTestId("overbooking-normal").getByText("7 %").waitFor();
    await settings.getByRole("form", { name: "booking classes" }).getByText(/No booking classes|Class/).first().waitFor();
    await shots(page, "ops-pricing-flight");

    await section(page, "Crew members");
    await page.getByRole("table", { name: "crew members" }).getByRole("row").nth(1).waitFor();
    await page.getByRole("table", { name: "duties per member" }).waitFor();
    await shots(page, "ops-crew-members");
    assert.deepEqual(page.errors, []);
  } finally {
    await api("/taxes", { method: "PUT", token, body: { remove: [tax] } }).catch(() => {});
    await context.close();
  }
});

test("ops assigns a crew member to a fresh flight by hand and removes them after a confirmation", async () => {
  const token = await login("ops");
  // beyond the 8 days (192 h) the crew service's auto-proposal job staffs every 30 s: this flight
  // stays uncrewed until ops acts, and nobody's duty is near it (at 50 h the seed's week and the
  // other tests' flights took every flight attendant at some hours of the day)
  const flight = await createDeparture(token, 200);
  // a flight attendant free around the flight (no duty within 14 h) and not the demo crew account
  const around = (h) => new Date(Date.parse(flight.scheduled_departure) + h * 3600_000).toISOString();
  const { entries } = await api(`/crew/roster?${new URLSearchParams({ from: around(-14), to: around(14) })}`, { token });
  const free = entries.map((e) => ({ ...e.member, busy: e.assignments.some((a) => a.state === "proposed" || a.state === "accepted") }))
    .filter((m) => m.role === "flight_attendant" && m.active && !m.user_id && !m.busy && !m.absences.length)
    .sort(() => Math.random() - 0.5);
  assert.ok(free.length, "no free flight attendant without an account");
  let member = free[0];
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  try {
    await signInAs(page, "ops");
    await page.goto("/#/ops/flight-crew");
    const crew = page.getByRole("region", { name: "flight crew" });
    await crew.getByLabel("Day (local)").fill(localDay(flight.scheduled_departure));
    await crew.getByLabel("Departure").selectOption(flight.id);
    const empty = crew.getByText("Nobody is on this flight yet.");
    for (let i = 0; i < 3; i++) { // a busy crew service may time out: the screen offers to try again
      await empty.or(crew.getByRole("button", { name: "Try again" })).waitFor();
      if (await empty.isVisible()) break;
      await crew.getByRole("button", { name: "Try again" }).click();
    }
    await empty.waitFor();
    await shots(page, "ops-flight-crew-empty");
    const assign = crew.getByRole("form", { name: "assign a member" });
    await assign.getByLabel("Crew role").selectOption("flight_attendant");
    await assign.getByRole("option", { name: new RegExp(`^${member.name} ·`) }).waitFor({ state: "attached" });
    const outcome = assign.getByTestId("assign-outcome");
    // a one-way leg ends away from base, which the crew rules refuse: ops overrides, saying why
    await assign.getByLabel("Override reason").fill("browser test: short-notice cover");
    for (let i = 0; i < 3; i++) {
      await assign.getByLabel("Member").selectOption(member.id);
      await assign.getByRole("button", { name: "Assign" }).click();
      await assign.getByRole("button", { name: "Assign" }).and(page.locator(":not([aria-busy])")).waitFor();
      await outcome.getByRole("status").or(outcome.getByRole("alert")).waitFor();
      if (!/did not answer/.test(await outcome.innerText())) break;
      member = free[(i + 1) % free.length]; // a member row held by another transaction: another member
    }
    assert.match(await outcome.innerText(), new RegExp(`${member.name} is assigned to ${flight.number}`));
    await crew.getByRole("row", { name: new RegExp(`^${member.name} flight attendant`) }).waitFor();
    await shots(page, "ops-flight-crew");
    await crew.getByRole("button", { name: `remove ${member.name}` }).click();
    const confirm = crew.getByRole("alertdialog", { name: "confirm removal" });
    assert.match(await confirm.innerText(), new RegExp(`Remove ${member.name} \\(flight attendant\\) from ${flight.number} XSP→BKK\\?`));
    await shots(page, "ops-flight-crew-remove");
    const nobody = crew.getByText("Nobody is on this flight yet.");
    for (let i = 0; i < 3 && !(await nobody.isVisible()); i++) { // a busy crew service may time out: tried again
      await confirm.getByRole("button", { name: `Yes, remove ${member.name}` }).click();
      await nobody.or(confirm.getByTestId("remove-outcome").getByRole("alert")).waitFor();
    }
    await nobody.waitFor({ timeout: 1000 });

    assert.deepEqual(page.errors, []);
  } finally { await context.close(); }
});

test("admin creates a staff user with a role and finds them in the list", async () => {
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  try {
    await signInAs(page, "admin");
    await page.goto("/#/ops/users");
    const email = `agent.${unique().slice(0, 10).toLowerCase()}@airline.local`;
    const form = page.getByRole("form", { name: "create a user" });
    await form.getByLabel("E-mail").fill(email);
    await form.getByRole("button", { name: "Create user" }).click();
    await form.getByText("Give the person's name").waitFor();
    await form.getByLabel("Full name").fill("Browser Test Agent");
    await form.getByLabel("First password").fill(`pw-${unique()}`);
    await form.getByLabel("Role", { exact: true }).selectOption("agent");
    await form.getByRole("button", { name: "Create user" }).click();
    await form.getByText(`Created ${email} (agent)`).waitFor();
    await page.getByLabel("Find by e-mail or name").fill(email);
    await page.getByRole("table", { name: "users" }).getByRole("row", { name: new RegExp(`${email.replace(/\./g, "\\.")} Browser Test Agent agent`) }).waitFor();
    await shots(page, "ops-users");
    assert.deepEqual(page.errors, []);
  } finally { await context.close(); }
});
