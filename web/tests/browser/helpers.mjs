// Shared by the browser tests: Debian's Chromium (never a downloaded browser), the platform's
// URL, demo logins, and screenshots at desktop and phone width into test-results/.
import { chromium } from "playwright-core";
import { before, after } from "node:test";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import assert from "node:assert/strict";

export const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8000";
export const SHOTS = path.resolve(import.meta.dirname, "../../test-results");
mkdirSync(SHOTS, { recursive: true });

export const DESKTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

/** A page that fails the test on an uncaught error in the browser. */
/** One Chromium per test file: launched before its first test, closed after its last. Use
 * `chrome.browser` inside the tests (it is set once the file's tests start). */
export function browserPerFile() {
  const chrome = { browser: null };
  before(async () => { chrome.browser = await launch(); });
  after(async () => { await chrome.browser?.close(); });
  return chrome;
}

export async function openPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, baseURL: BASE });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.errors = errors;
  return { context, page };
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

export async function api(pathname, { method = "GET", body, token, headers = {} } = {}) {
  const res = await fetch(`${BASE}/api/v1${pathname}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return data;
}

export async function login(role) {
  const t = await api("/auth/login", { method: "POST", body: { email: `${role}@airline.local`, password: `${role}-demo-pass` } });
  return t.access_token;
}

export function isoDate(daysFromNow) {
  const d = new Date(Date.now() + daysFromNow * 86400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Singapore" }).format(d);
}

export function localTime(iso, timeZone) {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }).format(new Date(iso));
}

/** A fresh departure from XSP a few hours ahead, on a plane and at gates of its own: the seed's
 * five planes and three gates may all be committed at that hour (the seed's flights and the
 * other test files' departures; a later delay would collide with them), so ops first adds a
 * plane like P1 and a gate at XSP and at BKK, each with a unique code (a factory, as the Python
 * tests do). */
export async function createDeparture(token, hoursAhead = 3) {
  const model = await api("/planes/P1");
  const unique = () => crypto.randomUUID().replace(/-/g, "").toUpperCase();
  const plane = `T${unique().slice(0, 9)}`; // the airport allows 10
  await api("/planes", { method: "POST", token, body: { id: plane, registration: `9V-${plane.slice(1, 8)}`,
    aircraft_type: model.aircraft_type, status: "active", home_airport: "XSP", layout: model.layout } });
  const gate = async (airport) => {
    const code = `G${String(parseInt(unique().slice(0, 8), 16) % 100000).padStart(5, "0")}`;
    await api(`/airports/${airport}/gates`, { method: "POST", token, body: { code } });
    return code;
  };
  const [home, far] = [await gate("XSP"), await gate("BKK")];
  const departure = new Date(Math.ceil((Date.now() + hoursAhead * 3600_000) / 300_000) * 300_000).toISOString();
  // a round trip, so that the plane is back at XSP afterwards
  const returnDeparture = new Date(Date.parse(departure) + 4 * 3600_000).toISOString();
  let last;
  for (let i = 0; i < 5; i++) { // a flight number another test took that day: draw again
    const number = `XA${7000 + Math.floor(Math.random() * 2999)}`;
    try {
      const made = await api("/flights/round-trips", { method: "POST", token, body: {
        outbound: { number, origin: "XSP", destination: "BKK", departure, duration_minutes: 145, plane_id: plane, gate: home },
        return_number: `XA${Number(number.slice(2)) + 1}`, return_departure: returnDeparture, return_gate: far } });
      return made.flights.find((f) => f.origin === "XSP");
    } catch (e) { last = e; }
  }
  throw last;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's WCAG 2.x A/AA rules over the page as it is now: fails on a serious or critical
 * violation, naming the rule and the first elements it found. */
export async function axeCheck(page, name) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  });
  assert.deepEqual(violations, [], `${name}: accessibility violations`);
}

/** The current screen at desktop and at phone width (the same page, resized): a screenshot of
 * each, an axe-core scan at desktop width, and no horizontal overflow at phone width. */
export async function shots(page, name) {
  await page.setViewportSize(DESKTOP);
  await shot(page, `${name}-desktop`);
  await axeCheck(page, name);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(50);
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  const { overflow, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // the innermost elements that reach past the right edge: what to fix
    const past = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > width + 1);
    const innermost = past.filter((e) => !past.some((o) => o !== e && e.contains(o)));
    return { overflow: document.documentElement.scrollWidth - width,
      culprits: innermost.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : ""} (${Math.round(e.getBoundingClientRect().right)}px)`) };
  });
  assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than a ${PHONE.width}px phone (scrolls sideways): ${culprits.join(", ")}`);
  await page.setViewportSize(DESKTOP);
}

export const TEST_CARD = { type: "card", number: "4242 4242 4242 4242", exp_month: 12, exp_year: 2035, cvc: "123" };

/** A guest (or, with `token`, a signed-in passenger) books `people` (adults) one way on `flight`
 * through the API and pays: the confirmed booking (with its manage token). Like `airline
 * simulate`, step by step; `email`: the contact address, unique when a test searches by it. */
export async function bookGuest(flight, people, phone = `+659${String(Date.now()).slice(-7)}`, token = undefined, email = "guest@example.com") {
  const date = new Intl.DateTimeFormat("en-CA", { timeZone: flight.origin_time_zone }).format(new Date(flight.scheduled_departure));
  const found = await api(`/search?${new URLSearchParams({ origin: flight.origin, destination: flight.destination, date, trip_type: "one_way",
    adults: String(people.length), children: "0", infants: "0", cabin_class: "normal" })}`);
  const offer = found.offers.find((o) => o.legs[0].flight.id === flight.id);
  assert.ok(offer, `no offer for the new flight ${flight.number}`);
  const made = await api("/bookings", { method: "POST", token, body: { offer_id: offer.offer_id }, headers: { "Idempotency-Key": crypto.randomUUID() } });
  const guest = { "X-Manage-Token": made.manage_token };
  const booking = await api(`/bookings/${made.id}/passengers`, { method: "PUT", token, headers: guest, body: {
    passengers: people.map((p) => ({ type: "adult", first_name: p.first, last_name: p.last, date_of_birth: p.dob,
      document: { type: "passport", number: p.doc, issuing_country: "SG", expiry: "2032-05-31" } })),
    contact: { email, phone } } });
  const map = await api(`/flights/${flight.id}/seats`);
  const free = map.seats.filter((s) => s.state === "free" && s.cabin_class === "normal" && !s.exit_row && !s.blocked).map((s) => s.seat);
  await api(`/bookings/${made.id}/seats`, { method: "PUT", token, headers: guest, body: { flight_id: flight.id,
    seats: booking.passengers.map((p, i) => ({ passenger_id: p.id, seat: free[i] })) } });
  const paid = await api(`/bookings/${made.id}/pay`, { method: "POST", token, headers: { ...guest, "Idempotency-Key": crypto.randomUUID() }, body: { method: TEST_CARD } });
  assert.equal(paid.state, "confirmed");
  return { ...paid, manage_token: made.manage_token };
}

/** The check-in codes the SMS outbox sent for a booking, by passenger id (an agent's verification says whose). */
export async function checkinCodes(bookingId, flightId, count) {
  // the SMS outbox is the admin's to read; locally the first admin has the local-only password
  const admin = (await api("/auth/login", { method: "POST", body: { email: "admin@airline.local", password: "admin-local-only" } })).access_token;
  const agent = await login("agent");
  const deadline = Date.now() + 30_000;
  let messages = [];
  while (Date.now() < deadline) {
    messages = (await api(`/notifications?${new URLSearchParams({ channel: "sms", kind: "checkin_code", reference: bookingId })}`, { token: admin })).messages;
    if (messages.length >= count) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const codes = [...new Set(messages.flatMap((m) => m.body.match(/\b[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}\b/g) ?? []))];
  assert.equal(codes.length, count, `check-in SMS: ${JSON.stringify(messages.map((m) => m.body))}`);
  const byPassenger = {};
  for (const code of codes) {
    const who = await api("/checkin/verify", { method: "POST", token: agent, body: { flight_id: flightId, code } });
    byPassenger[who.passenger_id] = code;
  }
  return byPassenger;
}

/** Sign in through the shell's form, as a real user does. */
export async function signIn(page, role) {
  await page.goto("/");
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("E-mail").fill(`${role}@airline.local`);
  await page.getByLabel("Password").fill(`${role}-demo-pass`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("signed in as").waitFor();
}
