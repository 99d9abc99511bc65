import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();

test("crew sees duties in local times, declining needs a reason, and accepts a duty", async () => {
  const crew = await login("crew");
  let mine = await api("/crew/me/assignments", { token: crew });
  if (!mine.assignments.some((a) => a.state === "proposed")) {
    // the seed's proposals were answered already: ops puts the demo captain on a new flight
    const ops = await login("ops");
    const flight = await createDeparture(ops, 30);
    await api(`/flights/${flight.id}/crew`, { method: "POST", token: ops, body: { member_id: mine.member.id, override_reason: "browser test" } });
    mine = await api("/crew/me/assignments", { token: crew });
  }
  const duty = mine.assignments.find((a) => a.state === "proposed");
  assert.ok(duty, "no proposed duty");

  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await page.goto("/#/signin");
  await page.getByLabel("E-mail").fill("crew@airline.local");
  await page.getByLabel("Password").fill("crew-demo-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("signed in as").waitFor();
  await page.goto("/#/crew");
  const item = page.getByRole("listitem", { name: `duty ${duty.flight_number}` }).first();
  await item.waitFor();
  const departs = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Singapore" }).format(new Date(duty.departure));
  if (duty.origin === "XSP") assert.match(await item.innerText(), new RegExp(departs));
  await shots(page, "crew-duties");

  await item.getByRole("button", { name: `Decline ${duty.flight_number}` }).click();
  await item.getByRole("button", { name: "Send decline" }).click();
  await item.getByText("Say why you decline").waitFor();
  await shots(page, "crew-decline-reason");
  await item.getByRole("button", { name: `Decline ${duty.flight_number}` }).click(); // changed my mind

  await item.getByRole("button", { name: `Accept ${duty.flight_number}` }).click();
  await page.getByText(`${duty.flight_number} accepted.`).waitFor();
  await page.locator(`li[aria-label="duty ${duty.flight_number}"][data-state="accepted"]`).first().waitFor();
  const after = await api("/crew/me/assignments", { token: crew });
  assert.equal(after.assignments.find((a) => a.id === duty.id).state, "accepted");
  await page.getByRole("region", { name: "notifications" }).or(page.getByText("My notifications")).first().waitFor();
  await shots(page, "crew-accepted");
  assert.deepEqual(page.errors, []);
  await context.close();
});
