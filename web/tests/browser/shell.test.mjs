import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();

test("home, sign-in and navigation by role", async () => {
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await page.goto("/");
  await page.getByRole("heading", { name: "Where to next?" }).waitFor();
  const nav = page.getByRole("navigation", { name: "main" });
  assert.equal(await nav.getByRole("link", { name: "Book a trip" }).count(), 1);
  await shots(page, "shell-home");

  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("E-mail").fill("ops@airline.local");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").waitFor();
  await shots(page, "shell-signin-error");
  await page.getByLabel("Password").fill("ops-demo-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("signed in as").waitFor();
  assert.match(await page.getByLabel("signed in as").innerText(), /ops/);
  // ops does not book trips: the booking screens are for passengers, guests and cs
  assert.equal(await nav.getByRole("link", { name: "Book a trip" }).count(), 0);
  assert.equal(await page.evaluate(() => JSON.stringify(localStorage) + document.cookie), "{}");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in" }).waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a remote that is down is reported calmly, the shell keeps working", async () => {
  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await context.route("**/remotes/booking/remoteEntry.js", (route) => route.fulfill({ status: 503, body: "down" }));
  await page.goto("/#/booking");
  await page.getByText("Book a trip is unavailable right now.").waitFor();
  await shots(page, "shell-remote-down");
  await page.getByRole("link", { name: "Seletar Air" }).click();
  await page.getByRole("heading", { name: "Where to next?" }).waitFor();
  await context.close();
});
