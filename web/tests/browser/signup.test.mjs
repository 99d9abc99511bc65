import { test } from "node:test";
import assert from "node:assert/strict";
import { api, bookGuest, browserPerFile, createDeparture, login, openPage, shots } from "./helpers.mjs";

const chrome = browserPerFile();

test("sign up, book, stay signed in across a reload, cancel from my trips, sign out for good", async () => {
  const flight = await createDeparture(await login("ops"));
  const unique = crypto.randomUUID().slice(0, 8);
  const email = `signup-${unique}@example.com`;
  const password = `seletar-${unique}`;
  const { context, page } = await openPage(chrome.browser);

  await page.goto("/#/signup");
  const form = page.getByRole("form", { name: "create account" });
  await form.getByLabel("Full name").fill(`Nadia Tan${unique.replace(/\d/g, "")}`);
  await form.getByLabel("E-mail").fill(email);
  await form.getByLabel("Password").fill("short");
  await form.getByRole("button", { name: "Create account" }).click();
  // the server's rule, on the password field itself
  await form.locator('[data-invalid="true"]').filter({ has: page.getByLabel("Password") }).getByRole("alert").waitFor();
  await shots(page, "signup");
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("signed in as").filter({ hasText: "Nadia" }).waitFor();
  assert.equal(await page.evaluate(() => document.cookie), ""); // the session cookie is HttpOnly

  const token = (await api("/auth/login", { method: "POST", body: { email, password } })).access_token;
  const booking = await bookGuest(flight, [{ first: "Nadia", last: "Tan", dob: "1990-04-02", doc: `S${unique}` }], undefined, token, email);

  await page.reload();
  await page.getByLabel("signed in as").filter({ hasText: "Nadia" }).waitFor(); // still signed in

  // the access token expired (a 401): the shell refreshes the session and the call goes through
  await failOnce(page, "**/api/v1/bookings", 401);
  const refreshed = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh"));
  await page.goto("/#/booking/manage");
  assert.equal((await refreshed).status(), 200);
  await page.getByRole("button", { name: new RegExp(booking.pnr) }).click();
  await page.getByTestId("found-pnr").filter({ hasText: booking.pnr }).waitFor();
  await page.getByRole("button", { name: "Cancel booking" }).click();
  const dialog = page.getByRole("alertdialog");
  const confirm = dialog.getByRole("button", { name: /^Cancel (and refund|booking)/ });
  await dialog.getByTestId("cancel-quote").getByText(/refund/i).first().waitFor();
  const label = await confirm.innerText();
  await confirm.click();
  const done = page.getByTestId("cancel-done");
  await done.waitFor();
  const refund = label.match(/refund (.+)$/)?.[1];
  if (refund) assert.match(await done.innerText(), new RegExp(`refunded ${refund.replace(/[.$]/g, "\\$&")}`));
  else assert.match(await done.innerText(), /cancelled/);
  assert.equal((await api(`/bookings/${booking.id}`, { token })).state, "cancelled");

  // expired and no session to refresh: sign-in, then back to the same screen
  await page.goto("/#/booking");
  await failOnce(page, "**/api/v1/bookings", 401);
  await failOnce(page, "**/api/v1/auth/refresh", 401);
  await page.goto("/#/booking/manage");
  const signIn = page.getByRole("form", { name: "sign in" });
  await signIn.getByLabel("E-mail").fill(email);
  await signIn.getByLabel("Password").fill(password);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: new RegExp(`${booking.pnr}.*cancelled`) }).waitFor();
  assert.match(page.url(), /#\/booking\/manage$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in" }).waitFor();
  await page.reload();
  await page.getByRole("link", { name: "Sign in" }).waitFor(); // signed out for good
  assert.equal(await page.getByLabel("signed in as").count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** The next request to `url` answers `status` (problem+json), later ones reach the server. */
async function failOnce(page, url, status) {
  const body = JSON.stringify({ status, title: "Unauthorized", detail: "the token has expired" });
  await page.route(url, (route) => route.fulfill({ status, contentType: "application/problem+json", body }), { times: 1 });
}
