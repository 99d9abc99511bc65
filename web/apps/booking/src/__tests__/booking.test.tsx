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
    expect(screen.getByRole("button", { name: "Seat 10B, middle, held by someone else" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Seat 10C, aisle, yours (P1)" })).toHaveAttribute("aria-pressed", "true");
    // a child may not sit in an exit row
    expect(screen.getByRole("button", { name: "Seat 11A, window, exit row, free" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Seat 10F, window, free" }));
    expect(picked).toEqual(["10F"]);
    expect(screen.getByRole("group", { name: "Row 11, exit row" })).toBeInTheDocument();
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
