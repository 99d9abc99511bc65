import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Seat } from "@airline/ui";
import { SeatMapView } from "../SeatMap";
import { freeSeats, layoutRows, validateContact, validatePassenger } from "../rules";

const seat = (row: number, letter: string, position: Seat["position"], over: Partial<Seat> = {}): Seat => ({
  seat: `${row}${letter}`, cabin_class: "normal", row, letter, position, exit_row: false, blocked: false, state: "free", mine: false, ...over,
});
const row = (n: number, over: Partial<Seat> = {}) => [
  seat(n, "A", "window", over), seat(n, "B", "middle", over), seat(n, "C", "aisle", over),
  seat(n, "D", "aisle", over), seat(n, "E", "middle", over), seat(n, "F", "window", over),
];

// a loaded CI machine: the keyboard walks take seconds there
vi.setConfig({ testTimeout: 20_000 });

describe("seat map", () => {
  it("puts the aisle between the two aisle seats", () => {
    const [r] = layoutRows(row(10));
    expect(r.cells.map((c) => (c === "aisle" ? "|" : c.letter)).join("")).toBe("ABC|DEF");
  });

  it("labels every seat for screen readers and only lets free seats be picked", async () => {
    const picked: string[] = [];
    const seats = [...row(10), ...row(11, { exit_row: true })];
    seats[1] = { ...seats[1], state: "held" };
    render(<SeatMapView seats={seats} cabin="normal" mine={{ "10C": "P1" }} live="live" onPick={(s) => picked.push(s.seat)}
      active={{ passengerId: "P2", label: "An", canExit: false }} />);
    expect(screen.getByRole("button", { name: "Seat 10B, middle, held by someone else" })).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByRole("button", { name: "Seat 10C, aisle, yours (P1)" })).toHaveAttribute("aria-pressed", "true");
    // a child may not sit in an exit row
    await userEvent.click(screen.getByRole("button", { name: "Seat 11A, window, exit row, free" }));
    expect(screen.getByRole("button", { name: "Seat 11A, window, exit row, free" })).toHaveAttribute("aria-disabled", "true");
    await userEvent.click(screen.getByRole("button", { name: "Seat 10F, window, free" }));
    expect(picked).toEqual(["10F"]);
    expect(screen.getByRole("row", { name: "Row 11, exit row" })).toBeInTheDocument();
  });

  it("is one tab stop: a grid the arrow keys move through, Enter and Space pick", async () => {
    const picked: string[] = [];
    const seats = [...row(10), ...row(11), ...row(12, { state: "taken" })];
    render(<><button type="button">before</button>
      <SeatMapView seats={seats} cabin="normal" mine={{}} live="live" onPick={(s) => picked.push(s.seat)} active={{ passengerId: "P1", label: "An", canExit: true }} />
      <button type="button">after</button></>);
    expect(screen.getByRole("grid", { name: "seat map" })).toBeInTheDocument();
    expect(screen.getAllByRole("gridcell")).toHaveLength(18);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "before" }));
    await user.tab();
    expect(document.activeElement).toHaveAttribute("data-seat", "10A"); // the first free seat
    await user.tab();
    expect(document.activeElement).toHaveTextContent("after"); // the whole map is one stop
    await user.tab({ shift: true });
    expect(document.activeElement).toHaveAttribute("data-seat", "10A");
    await user.keyboard("{ArrowRight}{ArrowRight}{ArrowRight}{ArrowDown}");
    expect(document.activeElement).toHaveAttribute("data-seat", "11D"); // across the aisle, one row back
    expect(screen.getAllByRole("button").filter((b) => b.tabIndex === 0).map((b) => b.dataset.seat)).toEqual([undefined, "11D", undefined]);
    await user.keyboard("{Enter}");
    await user.keyboard("{End}{ArrowDown}");
    expect(document.activeElement).toHaveAttribute("data-seat", "12F"); // a taken seat is reached but not picked
    await user.keyboard(" ");
    await user.keyboard("{ArrowUp}{Home}");
    expect(document.activeElement).toHaveAttribute("data-seat", "11A");
    await user.keyboard(" ");
    expect(picked).toEqual(["11D", "11A"]);
    await user.keyboard("{ArrowUp}{ArrowUp}{ArrowLeft}");
    expect(document.activeElement).toHaveAttribute("data-seat", "10A"); // the edges stop
  });
});

describe("free seats", () => {
  it("counts only the cabin's seats nobody holds, took or blocked (fewer than the party: seats at the airport)", () => {
    const seats = [...row(10), ...row(11, { state: "taken" }), seat(12, "A", "window", { blocked: true }),
      seat(12, "B", "middle", { state: "held" }), seat(1, "A", "window", { cabin_class: "vip" })];
    expect(freeSeats(seats, "normal")).toBe(6);
    expect(freeSeats(seats, "vip")).toBe(1);
    expect(freeSeats(row(11, { state: "taken" }), "normal")).toBe(0);
  });
});

describe("passenger rules", () => {
  const base = { type: "child" as const, first_name: "An", last_name: "Tran", date_of_birth: "2018-06-20",
    document: { type: "passport" as const, number: "K1", issuing_country: "SG", expiry: "2030-01-01" } };

  it("checks the age on the day of travel against the passenger type", () => {
    expect(validatePassenger(base, "2026-12-01", "2026-12-05")).toEqual({});
    expect(validatePassenger({ ...base, type: "adult" }, "2026-12-01", "2026-12-05").date_of_birth).toMatch(/not an adult/);
    expect(validatePassenger({ ...base, document: { ...base.document, expiry: "2026-12-03" } }, "2026-12-01", "2026-12-05").document_expiry).toBeTruthy();
  });

  it("wants an international phone number and an e-mail", () => {
    expect(validateContact({ email: "a@b.co", phone: "+65 9123 4567" })).toEqual({});
    expect(Object.keys(validateContact({ email: "nope", phone: "91234567" }))).toEqual(["email", "phone"]);
  });
});
