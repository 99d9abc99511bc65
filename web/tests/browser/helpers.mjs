// Shared by the browser tests: Debian's Chromium (never a downloaded browser), the platform's
// URL, demo logins, and screenshots at desktop and phone width into test-results/.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";

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

/** A fresh departure from XSP a few hours ahead (the seed's flights may all be beyond the
 * board's 24 h, depending on the time of day): ops creates it on a free plane and gate. */
export async function createDeparture(token, hoursAhead = 3) {
  const base = Math.ceil((Date.now() + hoursAhead * 3600_000) / 300_000) * 300_000;
  let last;
  const gates = await api("/airports/BKK/gates");
  const bkkGate = (gates.gates ?? gates)[0].code;
  // a plane that is at XSP then and a free gate: try the fleet over the next few hours
  for (let i = 0; i < 45; i++) {
    const departure = new Date(base + Math.floor(i / 5) * 35 * 60_000).toISOString();
    const plane = ["P4", "P5", "P1", "P2", "P3"][i % 5];
    const gate = ["X1", "X2", "X3"][i % 3];
    const number = `XA${7000 + Math.floor(Math.random() * 2999)}`;
    // a round trip, so that the plane is back at XSP for the flights it already has
    const returnDeparture = new Date(Date.parse(departure) + 4 * 3600_000).toISOString();
    try {
      const made = await api("/flights/round-trips", { method: "POST", token, body: {
        outbound: { number, origin: "XSP", destination: "BKK", departure, duration_minutes: 145, plane_id: plane, gate },
        return_number: `XA${Number(number.slice(2)) + 1}`, return_departure: returnDeparture, return_gate: bkkGate } });
      return made.flights.find((f) => f.origin === "XSP");
    } catch (e) { last = e; }
  }
  throw last;
}

/** The current screen at desktop and at phone width (the same page, resized). */
export async function shots(page, name) {
  await page.setViewportSize(DESKTOP);
  await shot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(50);
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}
