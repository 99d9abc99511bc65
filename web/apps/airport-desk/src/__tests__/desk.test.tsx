import { render, screen } from "@testing-library/react";
import type { BoardingPass } from "@airline/ui";
import { checkMeasures, feeReason, parseScan } from "../desk";
import { BagFee, ScanResult } from "../parts";

const BCBP = "M1LOVELACE/ADA        ETEB4C9 XSPAORXA 0101 335Y012A0007 100";
const pass = { first_name: "Ada", last_name: "Lovelace", seat: "12A", flight_number: "XA101" } as BoardingPass;

describe("gate scan result", () => {
  it("shows a boarded passenger in green, as a status", () => {
    render(<ScanResult outcome={{ kind: "boarded", pass }} />);
    const result = screen.getByRole("status");
    expect(result).toHaveTextContent("BOARDED");
    expect(result).toHaveTextContent("Ada Lovelace · seat 12A · XA101");
    expect(result).toHaveClass("dk-result--ok");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("refuses a second scan loudly: red, an alert, the API's own message", () => {
    render(<ScanResult outcome={{ kind: "refused", message: "already boarded at 09:41" }} />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("REFUSED");
    expect(alert).toHaveTextContent("already boarded at 09:41");
    expect(alert).toHaveClass("dk-result--refused");
    expect(screen.queryByText("BOARDED")).toBeNull();
  });

  it("shows nothing before the first scan", () => {
    const { container } = render(<ScanResult outcome={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe("bag fee", () => {
  it("says within the allowance when nothing is due", () => {
    render(<BagFee bag={{ fee: 0, currency: "SGD", fee_reasons: [], status: "checked_in", weight_kg: 21.5 }} />);
    expect(screen.getByTestId("bag-fee")).toHaveTextContent("Within the allowance: no fee (21.5 kg).");
    expect(screen.queryByTestId("fee-amount")).toBeNull();
  });

  it("shows the amount in the booking's currency and every reason, and that payment is pending", () => {
    render(<BagFee bag={{ fee: 7500, currency: "SGD", fee_reasons: ["extra_piece", "overweight_3kg", "oversize"], status: "awaiting_payment", weight_kg: 26 }} />);
    expect(screen.getByTestId("fee-amount")).toHaveTextContent("SGD 75.00");
    const fee = screen.getByTestId("bag-fee");
    expect(fee).toHaveTextContent("an extra piece beyond the allowance");
    expect(fee).toHaveTextContent("3 kg over the piece weight");
    expect(fee).toHaveTextContent("oversize (over 158 cm in total)");
    expect(fee).toHaveTextContent("accepted once the fee is paid");
  });

  it("a currency without minor units is not divided by 100", () => {
    render(<BagFee bag={{ fee: 1500, currency: "JPY", fee_reasons: ["extra_piece"], status: "checked_in", weight_kg: 20 }} />);
    expect(screen.getByTestId("fee-amount")).toHaveTextContent("JPY 1,500");
    expect(screen.getByTestId("bag-fee")).not.toHaveTextContent("accepted once");
  });
});

describe("desk rules", () => {
  it("tells a scanned pass from a typed code", () => {
    expect(parseScan("F1", `${BCBP}\n`, " k123 ")).toEqual({ flight_id: "F1", bcbp: BCBP, document_number: "K123" });
    expect(parseScan("F1", " k7qm4xra ")).toEqual({ flight_id: "F1", code: "K7QM4XRA" });
    expect(parseScan("F1", "   ")).toBeNull();
    expect(feeReason("something_new")).toBe("something new");
  });

  it("checks measures before sending and flags oversize", () => {
    const bad = checkMeasures({ weightKg: "33", lengthCm: "0", widthCm: "x", heightCm: "30" });
    expect(bad.errors.weightKg).toMatch(/at most 32 kg/);
    expect(bad.errors.lengthCm).toBeDefined();
    expect(bad.errors.widthCm).toBeDefined();
    expect(bad.errors.heightCm).toBeUndefined();
    expect(bad.linearCm).toBeNull();
    const big = checkMeasures({ weightKg: "23,4", lengthCm: "80", widthCm: "50", heightCm: "30" });
    expect(big.errors).toEqual({});
    expect(big).toMatchObject({ linearCm: 160, oversize: true });
    expect(checkMeasures({ weightKg: "20", lengthCm: "75", widthCm: "50", heightCm: "30" }).oversize).toBe(false);
  });
});
