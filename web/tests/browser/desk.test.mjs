import { test } from "node:test";
import assert from "node:assert/strict";
import { browserPerFile, openPage, shots, api, login, createDeparture, bookGuest, checkinCodes, signIn, DESKTOP } from "./helpers.mjs";

const chrome = browserPerFile();

const PEOPLE = [
  { first: "Mai", last: "Ho", dob: "1988-04-02", doc: "K2345678" },
  { first: "Minh", last: "Ho", dob: "1986-09-15", doc: "K8765432" },
];

test("an agent verifies a passenger by code and boards them; the second scan is refused", async () => {
  const ops = await login("ops");
  const agent = await login("agent");
  const flight = await createDeparture(ops, 3);
  const booking = await bookGuest(flight, PEOPLE);
  const codes = await checkinCodes(booking.id, flight.id, 2);
  const mai = booking.passengers.find((p) => p.first_name === "Mai");

  const { context, page } = await openPage(chrome.browser, DESKTOP);
  await signIn(page, "agent");
  await page.getByRole("link", { name: "Airport desk" }).first().click();
  await page.getByLabel("Flight").selectOption(flight.id);

  // the counter: code + document, Enter submits (as a scanner would)
  const verify = page.getByRole("form", { name: "verify" });
  await verify.getByLabel("Check-in code or boarding pass").fill(codes[mai.id].toLowerCase());
  await verify.getByLabel("Document number").fill(PEOPLE[0].doc);
  await verify.getByLabel("Document number").press("Enter");
  const who = page.getByTestId("verification");
  await who.waitFor();
  const said = await who.innerText();
  assert.match(said, /Mai Ho/);
  assert.match(said, /booked/i);
  assert.match(said, /this flight/i);
  assert.match(said, /matches/i);
  assert.match(said, new RegExp(booking.pnr));
  await shots(page, "desk-1-verified");

  await page.getByRole("button", { name: "Check in Mai" }).click();
  const pass = page.getByRole("region", { name: "boarding pass" });
  const seat = (await pass.getByTestId("pass-seat").innerText()).trim();
  assert.equal(seat, booking.seats.find((s) => s.passenger_id === mai.id).seat);
  await pass.getByRole("img", { name: /QR code of the boarding pass of Mai Ho/ }).waitFor();

  // bag drop: an oversize, heavy bag is always beyond the allowance -> fee, paid at the desk -> tag
  const drop = page.getByRole("region", { name: "bag drop" });
  await drop.getByRole("button", { name: "Weigh in" }).click();
  await drop.getByText("Enter the scale reading in kg").waitFor(); // nothing is sent until it is right
  await drop.getByLabel("Weight (kg)").fill("27.5");
  await drop.getByLabel("Length (cm)").fill("80");
  await drop.getByLabel("Width (cm)").fill("50");
  await drop.getByLabel("Height (cm)").fill("32");
  await drop.getByText("162 cm in total — oversize, a fee applies").waitFor();
  await shots(page, "desk-2-bag-measures");
  await drop.getByRole("button", { name: "Weigh in" }).click();
  const fee = drop.getByTestId("fee-amount");
  await fee.waitFor();
  assert.match(await fee.innerText(), /^[A-Z]{3} [\d,]+(\.\d\d)?$/);
  assert.match(await drop.getByTestId("bag-fee").innerText(), /oversize/);
  await drop.getByText(/Sandbox: 4242 4242 4242 4242/).waitFor();
  await shots(page, "desk-3-bag-fee");
  await drop.getByLabel("Card number").fill("4242 4242 4242 4242");
  await drop.getByLabel("Expiry (MM/YY)").fill("12/35");
  await drop.getByLabel("CVC").fill("123");
  await drop.getByRole("button", { name: "Pay the fee" }).click();
  const tag = (await drop.getByTestId("bag-tag").innerText({ timeout: 30_000 })).trim();
  assert.match(tag, /^0\d{9}$/);
  await drop.getByRole("img", { name: `Bag tag ${tag}` }).waitFor();
  await drop.getByRole("button", { name: "Print the tag" }).waitFor();
  await shots(page, "desk-4-bag-tag");

  // the manifest counts it and knows it is not in the hold yet
  await page.getByRole("link", { name: "Baggage manifest" }).click();
  await page.getByTestId("manifest-count").filter({ hasText: "1" }).waitFor();
  assert.match(await page.getByTestId("manifest-weight").innerText(), /27\.5 kg/);
  assert.match(await page.getByRole("table", { name: "bags" }).innerText(), new RegExp(`${tag}[\\s\\S]*not loaded`, "i"));
  await shots(page, "desk-5-manifest");

  // the gate: scan the pass's QR text; the second scan of the same pass is refused, loudly
  const bcbp = (await api("/checkin/verify", { method: "POST", token: agent, body: { flight_id: flight.id, code: codes[mai.id] } })).boarding_pass.bcbp;
  await page.getByRole("link", { name: "Boarding gate" }).click();
  const scan = page.getByLabel("Scan boarding pass");
  await scan.fill(bcbp);
  await scan.press("Enter");
  const ok = page.getByRole("status").filter({ hasText: "BOARDED" });
  await ok.waitFor();
  assert.match(await ok.innerText(), new RegExp(`Mai Ho · seat ${seat}`));
  await page.getByTestId("boarded-count").filter({ hasText: "1 boarded" }).waitFor();
  assert.equal(await scan.inputValue(), ""); // ready for the next passenger
  await shots(page, "desk-6-gate-boarded");
  await scan.fill(bcbp);
  await scan.press("Enter");
  const refused = page.getByRole("alert").filter({ hasText: "REFUSED" });
  await refused.waitFor();
  assert.match(await refused.innerText(), /already boarded at \d\d:\d\d/);
  assert.equal(await page.getByRole("status").filter({ hasText: "BOARDED" }).count(), 0);
  await shots(page, "desk-7-gate-refused");

  // before the gate closes there are no no-shows yet; after departure Minh is one
  await page.getByRole("link", { name: "No-shows" }).click();
  await page.getByText(/no-shows are known after that/).waitFor();
  await api(`/flights/${flight.id}/status`, { method: "POST", token: ops, body: { status: "boarding" } });
  await api(`/flights/${flight.id}/status`, { method: "POST", token: ops, body: { status: "departed" } });
  await page.getByRole("link", { name: "Baggage manifest" }).click();
  await page.getByRole("link", { name: "No-shows" }).click();
  const never = page.getByRole("region", { name: "Never checked in" });
  await never.getByText("Ho/Minh").waitFor();
  assert.doesNotMatch(await never.innerText(), /Mai/);
  assert.match(await page.getByRole("region", { name: "Checked in, did not board" }).innerText(), /Nobody/);
  await shots(page, "desk-8-no-shows");
  assert.deepEqual(page.errors, []);
  await context.close();
});
