import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, signIn } from "./helpers.mjs";

const chrome = browserPerFile();

test("inventory adds an item, sets a threshold above its stock (an alert), restocks it and the alert clears", async () => {
  const code = `t-${crypto.randomUUID().slice(0, 8)}`; // an item of this test only
  const { context, page } = await openPage(chrome.browser);
  await signIn(page, "inventory");
  await page.goto("/#/ops/inventory");

  const newItem = page.getByRole("form", { name: "new item" });
  await newItem.getByLabel("Item code").fill("Not A Code");
  await newItem.getByLabel("Item name").fill("Test snack box");
  await newItem.getByRole("button", { name: "Add item" }).click();
  await newItem.getByText(/Lower-case letters, digits and dashes/).waitFor(); // the field says what is wrong
  await newItem.getByLabel("Item code").fill(code);
  await newItem.getByLabel("Kind").selectOption("meal");
  await newItem.getByRole("button", { name: "Add item" }).click();
  await page.getByText(`Item ${code} added to the catalogue.`).waitFor();
  await page.getByRole("table", { name: "items" }).getByRole("rowheader", { name: code }).waitFor();
  await shots(page, "ops-inventory-items");

  const adjust = page.getByRole("region", { name: "adjust stock" });
  await adjust.getByLabel("Stock airport").selectOption("XSP");
  await adjust.getByLabel("Stock item").selectOption(code);
  await adjust.getByLabel("Low-stock threshold").fill("40");
  await adjust.getByRole("button", { name: "Set threshold" }).click();
  await page.getByTestId("stock-done").filter({ hasText: `Threshold of ${code} at XSP set to 40.` }).waitFor();
  const alert = page.locator(`[data-testid="stock-alert"][data-item="${code}"]`);
  await alert.waitFor();
  assert.match(await alert.innerText(), /XSP[\s\S]*0[\s\S]*40/);
  await shots(page, "ops-inventory-alerts");

  await alert.getByRole("button", { name: `Restock ${code} at XSP` }).click();
  await adjust.getByLabel("Quantity to add").fill("60");
  await adjust.getByRole("button", { name: "Restock" }).click();
  await page.getByTestId("stock-done").filter({ hasText: `Restocked 60 × ${code} at XSP: 60 in stock.` }).waitFor();
  await alert.waitFor({ state: "detached" });
  const line = page.locator(`[data-testid="stock-line"][data-item="${code}"]`);
  assert.match(await line.innerText(), /XSP[\s\S]*60[\s\S]*40[\s\S]*ok/i);
  await shots(page, "ops-inventory-stock");

  // a departure's load plan with its loading panel (read only here: loading takes shared stock)
  const flights = page.getByLabel("Flight", { exact: true });
  if (await flights.count()) {
    const first = await flights.locator("option").nth(1).getAttribute("value");
    if (first) {
      await flights.selectOption(first);
      await page.getByRole("region", { name: "loading" }).waitFor();
      await shots(page, "ops-inventory-load-plan");
    }
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});
