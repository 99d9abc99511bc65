import { accessOf, canCancelPassenger, editDistance, leavingWith, nameLetters, reasonOk, type Booking, type BookingPassenger } from "../index";

const pax = (id: string, type: BookingPassenger["type"], over: Partial<BookingPassenger> = {}): BookingPassenger =>
  ({ id, type, first_name: id, last_name: "Tran", ...over });
const confirmed = (passengers: BookingPassenger[]): Booking => ({
  id: "b1", state: "confirmed", step: "confirmed", pnr: "ABC123", total: 1, currency: "SGD", legs: [], passengers,
  seats: [], bags: [], tickets: [], payment: {}, manage_token: null, expires_at: null,
});

describe("name corrections", () => {
  it("counts letters as the booking service does: a swap of two letters is one, case and accents are none", () => {
    expect(editDistance("nguyen", "ngyuen")).toBe(1);
    expect(editDistance("smith", "smyth")).toBe(1);
    expect(nameLetters({ first_name: "José", last_name: "MÜLLER" }, { first_name: "jose", last_name: "Muller" })).toBe(0);
    expect(nameLetters({ first_name: "Jon", last_name: "Smith" }, { first_name: "John", last_name: "Smyth" })).toBe(2);
    expect(nameLetters({ first_name: "An", last_name: "Tran" }, { first_name: "Anna", last_name: "Tam" })).toBe(4);
  });
});

describe("cancelling one passenger", () => {
  it("takes the infant on the lap along and is not offered for the last one travelling", () => {
    const mum = pax("P1", "adult");
    const baby = pax("P2", "infant", { infant_of: "P1" });
    const dad = pax("P3", "adult");
    expect(leavingWith(confirmed([mum, baby, dad]), mum).map((p) => p.id)).toEqual(["P1", "P2"]);
    expect(canCancelPassenger(confirmed([mum, baby, dad]), mum)).toBe(true);
    expect(canCancelPassenger(confirmed([mum, baby]), mum)).toBe(false); // no one would stay
    expect(canCancelPassenger(confirmed([mum, baby, { ...dad, cancelled: true }]), mum)).toBe(false);
    expect(canCancelPassenger({ ...confirmed([mum, dad]), state: "cancelled" }, mum)).toBe(false);
  });
});

describe("reaching a booking", () => {
  it("sends the guest's PNR and last name in the query, the manage token and a staff reason as headers", () => {
    expect(accessOf({ pnr: "ABC123", lastName: "Tran" }, { leg: 0 })).toEqual({ headers: {}, query: "?leg=0&pnr=ABC123&last_name=Tran" });
    expect(accessOf({ token: "t0k", reason: "  caller verified  " })).toEqual({ headers: { "X-Manage-Token": "t0k", "X-Airline-Reason": "caller verified" }, query: "" });
    expect([reasonOk("ok"), reasonOk("  ok  "), reasonOk("lost"), reasonOk("x".repeat(501))]).toEqual([false, false, true, false]);
  });
});
