import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi } from "@airline/ui";
import { WorkbenchBooking } from "../WorkbenchBooking";

const BOOKING = {
  id: "b7", state: "confirmed", step: "confirmed", pnr: "EMD777", total: 30000, currency: "SGD",
  legs: [{ flight_id: "f1", number: "XA7001", origin: "XSP", destination: "BKK", scheduled_departure: "2026-12-10T02:00:00Z", status: "scheduled" }],
  passengers: [{ id: "P1", type: "adult", first_name: "An", last_name: "Tran" }], seats: [], bags: [], tickets: [], payment: {}, manage_token: null, expires_at: null,
  ancillaries: [{ emd_number: "6182400000099", kind: "bag", flight_id: "f1", passenger_id: "P1", description: "1 extra bag", amount: 3000, currency: "SGD", issued_at: "2026-12-06T08:00:00Z" }],
};

describe("the desk sees a booking's extras and receipt", () => {
  it("lists the EMDs and loads the receipt read-only (nothing is sent but reads)", async () => {
    const urls: string[] = [];
    const api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
      const path = String(url).replace("/api/v1", "").split("?")[0];
      urls.push(`${init?.method ?? "GET"} ${path}`);
      const reply = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
      if (path === "/bookings/b7") return reply(BOOKING);
      if (path === "/bookings/b7/history") return reply({ booking_id: "b7", pnr: "EMD777", entries: [] });
      if (path === "/bookings/b7/receipt") return reply({ booking_id: "b7", pnr: "EMD777", currency: "SGD", total_paid: 33000, total_refunded: 0, lines: [
        { kind: "fare", description: "Fare XA7001", document: "6180000000011", amount: 30000 }, { kind: "bag", description: "1 extra bag", document: "6182400000099", amount: 3000 }] });
      if (path === "/payments") return reply({ payments: [] });
      return new Response(JSON.stringify({ title: "Not Found" }), { status: 404 });
    }) as typeof fetch });
    render(<WorkbenchBooking api={api} id="b7" onClose={() => {}} />);
    const extras = await screen.findByRole("region", { name: "extras and receipt" });
    expect(within(extras).getByTestId("emd")).toHaveTextContent("61824000000991 extra bagAn Tran · XA7001SGD 30.00");
    await userEvent.click(within(extras).getByRole("button", { name: "Show the receipt" }));
    const lines = await within(extras).findAllByTestId("receipt-line");
    expect(lines.map((l) => l.textContent)).toEqual(["Fare XA70016180000000011SGD 300.00", "1 extra bag6182400000099SGD 30.00"]);
    expect(within(extras).getByTestId("receipt-paid")).toHaveTextContent("SGD 330.00");
    expect(urls.filter((u) => u.startsWith("POST"))).toEqual([]); // reading only
  });
});
