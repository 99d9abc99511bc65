import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi, type Api, type LoadPlan } from "@airline/ui";
import { Inventory } from "../Inventory";
import { FlightLoad } from "../FlightLoad";
import type { Reference } from "../data";

const RD = { airports: [{ code: "XSP", name: "Seletar", city: "Singapore", time_zone: "Asia/Singapore" }], zones: { XSP: "Asia/Singapore" }, planes: [], gates: {} } as unknown as Reference;
const PLAN: LoadPlan = { flight_id: "f1", flight_number: "XA101", origin: "XSP", scheduled_departure: null, flight_status: "scheduled", version: 2, items: { "meal-normal": 40 },
  passengers: [], buffer_percent: 5, loaded: false, loaded_items: [], delta: {}, needs_unload: false };

type Call = { method: string; path: string; body: unknown };
function inventory(extra: (c: Call) => [unknown, number?] | undefined = () => undefined) {
  const calls: Call[] = [];
  let line = { airport: "XSP", item: "snack", quantity: 0, threshold: 40, low: true };
  let alerts = [{ id: "a1", airport: "XSP", item: "snack", quantity: 0, threshold: 40, created_at: "2026-12-07T05:00:00Z", resolved_at: null }];
  const api: Api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const c = { method: init?.method ?? "GET", path: String(url).replace("/api/v1", ""), body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(c);
    const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
    const more = extra(c);
    if (more) return reply(more[0], more[1]);
    if (c.path.startsWith("/inventory/stock?")) return reply({ stock: [line] });
    if (c.path.startsWith("/inventory/alerts?")) return reply({ alerts });
    if (c.path === "/inventory/items" && c.method === "GET") return reply({ items: [{ code: "snack", name: "Snack box", kind: "meal" }] });
    if (c.path === "/inventory/items") return reply({ title: "Unprocessable", errors: [{ field: "body.name", message: "name must be printable" }] }, 422);
    if (c.path === "/inventory/stock/XSP/snack/restock") {
      line = { ...line, quantity: line.quantity + (c.body as { quantity: number }).quantity, low: false }; alerts = [];
      return reply(line);
    }
    if (c.path.startsWith("/flights?")) return reply({ flights: [] });
    return reply({ title: "Not Found" }, 404);
  }) as typeof fetch });
  return { api, calls };
}

describe("the inventory console", () => {
  it("restocks a low line from its alert and the alert clears", async () => {
    const { api, calls } = inventory();
    render(<Inventory api={api} rd={RD} />);
    const alert = await screen.findByTestId("stock-alert");
    expect(alert).toHaveTextContent("XSPsnack040");
    await screen.findByRole("option", { name: "snack · Snack box" });
    await userEvent.click(within(alert).getByRole("button", { name: "Restock snack at XSP" }));
    expect(screen.getByLabelText("Stock item")).toHaveValue("snack");
    await userEvent.type(screen.getByLabelText("Quantity to add"), "0");
    await userEvent.click(screen.getByRole("button", { name: "Restock" }));
    expect(screen.getByText("A whole number, 1 or more")).toBeInTheDocument(); // checked before sending
    await userEvent.clear(screen.getByLabelText("Quantity to add"));
    await userEvent.type(screen.getByLabelText("Quantity to add"), "60");
    await userEvent.click(screen.getByRole("button", { name: "Restock" }));
    expect(await screen.findByTestId("stock-done")).toHaveTextContent("Restocked 60 × snack at XSP: 60 in stock.");
    expect(calls.find((c) => c.method === "POST")).toMatchObject({ path: "/inventory/stock/XSP/snack/restock", body: { quantity: 60 } });
    expect(await screen.findByTestId("no-alerts")).toHaveTextContent("No open alert");
    expect(screen.getByText("No departures from XSP this day.")).toBeInTheDocument();
  }, 15_000);

  it("shows the service's field errors on the new item's fields", async () => {
    const { api } = inventory();
    render(<Inventory api={api} rd={RD} />);
    const form = await screen.findByRole("form", { name: "new item" });
    await userEvent.type(within(form).getByLabelText("Item code"), "Bad code");
    await userEvent.type(within(form).getByLabelText("Item name"), "x");
    await userEvent.click(within(form).getByRole("button", { name: "Add item" }));
    expect(within(form).getByText(/Lower-case letters/)).toBeInTheDocument();
    await userEvent.clear(within(form).getByLabelText("Item code"));
    await userEvent.type(within(form).getByLabelText("Item code"), "good-code");
    await userEvent.click(within(form).getByRole("button", { name: "Add item" }));
    expect(await within(form).findByText("name must be printable")).toBeInTheDocument();
    expect(within(form).getByLabelText("Item name")).toHaveAttribute("aria-invalid", "true");
  }, 15_000);
});

describe("a flight's loading", () => {
  it("loads after a confirmation naming the flight, then records consumption", async () => {
    const loaded = { ...PLAN, loaded: true, loaded_items: [{ item: "meal-normal", loaded: 40, consumed: 0 }] };
    const { api, calls } = inventory((c) => {
      if (c.path === "/flights/f1/load") return [loaded];
      if (c.path === "/flights/f1/consumption") return [{ ...loaded, loaded_items: [{ item: "meal-normal", loaded: 40, consumed: 38 }] }];
      return undefined;
    });
    let plan = PLAN;
    const { rerender } = render(<FlightLoad api={api} plan={plan} onChange={(p) => { plan = p; }} />);
    await userEvent.click(screen.getByRole("button", { name: "Load the flight" }));
    expect(screen.getByRole("alertdialog", { name: "confirm loading" })).toHaveTextContent("Take 40 items (plan v2) from the stock at XSP for flight XA101?");
    await userEvent.click(screen.getByRole("button", { name: "Yes, load 40 items" }));
    expect(await screen.findByTestId("load-done")).toHaveTextContent("XA101 is loaded.");
    rerender(<FlightLoad api={api} plan={plan} onChange={(p) => { plan = p; }} />);
    await userEvent.type(screen.getByLabelText("Quantity used"), "38");
    await userEvent.click(screen.getByRole("button", { name: "Record consumption" }));
    expect(await screen.findByTestId("load-done")).toHaveTextContent("38 × meal-normal recorded as used on XA101.");
    expect(calls.find((c) => c.path === "/flights/f1/consumption")?.body).toEqual({ item: "meal-normal", quantity: 38 });
  }, 15_000);
});
