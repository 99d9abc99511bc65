import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createApi } from "@airline/ui";
import { Payments } from "../Payments";
import { IssueVoucher, VoucherLookup } from "../Vouchers";
import { fieldErrors, parseAmount, paymentActions } from "../workbenchRules";

const PAY = { id: "pay1", reference: "b1", method: "card", status: "captured", amount: 21900, currency: "SGD", captured_amount: 21900, refunded_amount: 0, card_brand: "visa", card_last4: "4242", refunds: [] };
const TRANSFER = { ...PAY, id: "pay2", method: "bank_transfer", status: "pending", captured_amount: 0, amount: 5000, transfer_reference: "TR-77", card_brand: null, card_last4: null };

type Call = { method: string; path: string; body: unknown; headers: Record<string, string> };
function gateway(routes: (c: Call) => [unknown, number?] | undefined) {
  const calls: Call[] = [];
  const api = createApi({ fetch: (async (url: string, init?: RequestInit) => {
    const c = { method: init?.method ?? "GET", path: String(url).replace("/api/v1", ""), body: init?.body ? JSON.parse(String(init.body)) : undefined, headers: (init?.headers ?? {}) as Record<string, string> };
    calls.push(c);
    const [body, status] = routes(c) ?? [{ title: "Not Found", detail: "no such thing" }, 404];
    return new Response(JSON.stringify(body), { status: status ?? 200 });
  }) as typeof fetch });
  return { api, calls };
}

describe("money rules", () => {
  it("reads major units as minor units, within a maximum", () => {
    expect(parseAmount("12.5", "SGD")).toBe(1250);
    expect(parseAmount("1,000", "SGD")).toBe(100000);
    expect(parseAmount("12.555", "SGD")).toMatch(/at most 2 decimals/);
    expect(parseAmount("0", "SGD")).toMatch(/more than zero/);
    expect(parseAmount("300", "SGD", 21900)).toMatch(/At most 219.00 SGD/);
    expect(parseAmount("500", "JPY")).toBe(500);
  });
  it("offers what the payment's state allows", () => {
    expect(paymentActions(PAY)).toMatchObject({ refund: true, refundable: 21900, void: false, confirmTransfer: false });
    expect(paymentActions({ ...PAY, status: "refunded", refunded_amount: 21900 }).refund).toBe(false);
    expect(paymentActions({ ...PAY, status: "authorised", captured_amount: 0 })).toMatchObject({ refund: false, void: true });
    expect(paymentActions(TRANSFER).confirmTransfer).toBe(true);
  });
  it("puts problem+json field errors by the field's name", () => {
    expect(fieldErrors({ body: { errors: [{ field: "body.amount", message: "too big" }, { field: "body.reason", message: "too long" }] } })).toEqual({ amount: "too big", reason: "too long" });
    expect(fieldErrors(new Error("x"))).toEqual({});
  });
});

describe("a booking's payments at the desk", () => {
  it("refunds part of a payment after a confirmation naming the amount and the booking", async () => {
    let paid = { ...PAY };
    const { api, calls } = gateway((c) => {
      if (c.path === "/payments?reference=b1") return [{ payments: [paid, TRANSFER] }];
      if (c.path === "/payments/pay1/refund") {
        paid = { ...paid, status: "partially_refunded", refunded_amount: (c.body as { amount: number }).amount };
        return [{ payment: paid, refund: { id: "r1", amount: 1000, reason: "goodwill" } }, 201];
      }
      return undefined;
    });
    render(<Payments api={api} bookingId="b1" pnr="QWE123" />);
    const rows = await screen.findAllByTestId("payment");
    expect(rows.map((r) => r.dataset.status)).toEqual(["captured", "pending"]);
    expect(within(rows[1]).getByRole("button", { name: "Bank transfer received: SGD 50.00" })).toBeInTheDocument();
    await userEvent.click(within(rows[0]).getByRole("button", { name: "Refund the payment of SGD 219.00" }));
    const form = screen.getByRole("form", { name: "refund" });
    expect(within(form).getByLabelText("Amount to refund (SGD)")).toHaveValue("219.00"); // all that is left, by default
    await userEvent.clear(within(form).getByLabelText("Amount to refund (SGD)"));
    await userEvent.type(within(form).getByLabelText("Amount to refund (SGD)"), "300");
    await userEvent.click(within(form).getByRole("button", { name: "Review the refund" }));
    expect(within(form).getByText("At most 219.00 SGD")).toBeInTheDocument();
    expect(within(form).getByText(/reason of at least 3/)).toBeInTheDocument();
    await userEvent.clear(within(form).getByLabelText("Amount to refund (SGD)"));
    await userEvent.type(within(form).getByLabelText("Amount to refund (SGD)"), "10");
    await userEvent.type(within(form).getByLabelText("Refund reason"), "goodwill");
    await userEvent.click(within(form).getByRole("button", { name: "Review the refund" }));
    const confirm = screen.getByRole("alertdialog", { name: "confirm the refund" });
    expect(confirm).toHaveTextContent("Refund SGD 10.00 of booking QWE123 to its card visa ····4242?");
    expect(calls.filter((c) => c.method === "POST")).toEqual([]); // nothing sent before yes
    await userEvent.click(within(confirm).getByRole("button", { name: "Yes, refund SGD 10.00" }));
    expect(await screen.findByTestId("payment-done")).toHaveTextContent("Refunded SGD 10.00 on booking QWE123.");
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ amount: 1000, reason: "goodwill" });
    expect(post.headers["Idempotency-Key"]).toBeTruthy();
    expect(screen.getAllByTestId("payment")[0].dataset.status).toBe("partially_refunded");
  }, 15_000);

  it("voids an authorisation and confirms a bank transfer, each after a confirmation naming the amount and the booking", async () => {
    const held = { ...PAY, id: "pay3", status: "authorised", captured_amount: 0 };
    const { api, calls } = gateway((c) => {
      if (c.path === "/payments?reference=b1") return [{ payments: [held, TRANSFER] }];
      if (c.path === "/payments/pay3/void") return [{ ...held, status: "voided" }];
      if (c.path === "/payments/pay2/bank-transfer/confirm") return [{ ...TRANSFER, status: "captured", captured_amount: 5000 }];
      return undefined;
    });
    render(<Payments api={api} bookingId="b1" pnr="QWE123" />);
    await userEvent.click(await screen.findByRole("button", { name: "Void the payment of SGD 219.00" }));
    const voiding = screen.getByRole("alertdialog", { name: "confirm voiding the payment" });
    expect(voiding).toHaveTextContent("Void the authorisation of SGD 219.00 on booking QWE123?");
    await userEvent.click(within(voiding).getByRole("button", { name: "Yes, void it" }));
    expect(await screen.findByTestId("payment-done")).toHaveTextContent("The payment of SGD 219.00 on booking QWE123 was voided.");
    await userEvent.click(screen.getByRole("button", { name: "Bank transfer received: SGD 50.00" }));
    const transfer = screen.getByRole("alertdialog", { name: "confirm the bank transfer" });
    expect(transfer).toHaveTextContent("bank transfer of SGD 50.00 for booking QWE123 (reference TR-77)");
    await userEvent.click(within(transfer).getByRole("button", { name: "Yes, it was received" }));
    expect(await screen.findByTestId("payment-done")).toHaveTextContent("The bank transfer of SGD 50.00 on booking QWE123 is confirmed.");
    expect(screen.getAllByTestId("payment").map((r) => r.dataset.status)).toEqual(["voided", "captured"]);
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/payments/pay3/void", "/payments/pay2/bank-transfer/confirm"]);
  }, 15_000);

  it("shows the service's field errors on their fields, and an empty list as such", async () => {
    const { api } = gateway((c) => {
      if (c.path === "/payments?reference=b1") return [{ payments: [PAY] }];
      if (c.path === "/payments/pay1/refund") return [{ title: "Unprocessable", errors: [{ field: "body.reason", message: "String should have at most 500 characters" }] }, 422];
      if (c.path === "/payments?reference=b2") return [{ payments: [] }];
      return undefined;
    });
    const { unmount } = render(<Payments api={api} bookingId="b1" pnr="QWE123" />);
    await userEvent.click(await screen.findByRole("button", { name: "Refund the payment of SGD 219.00" }));
    await userEvent.type(screen.getByLabelText("Refund reason"), "why not");
    await userEvent.click(screen.getByRole("button", { name: "Review the refund" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, refund SGD 219.00" }));
    expect(await screen.findByText("String should have at most 500 characters")).toBeInTheDocument();
    expect(screen.getByLabelText("Refund reason")).toHaveAttribute("aria-invalid", "true");
    unmount();
    render(<Payments api={api} bookingId="b2" pnr="EMPTY1" />);
    expect(await screen.findByText("No payment for this booking yet.")).toBeInTheDocument();
  }, 15_000);
});

describe("vouchers", () => {
  it("issues a voucher for a booking after a confirmation, then finds it by code", async () => {
    const v = { code: "VABCD-EFGH-JKLM", amount_issued: 2500, balance: 2500, currency: "SGD", expires_at: null };
    const { api, calls } = gateway((c) => {
      if (c.path === "/vouchers" && c.method === "POST") return [v, 201];
      if (c.path === "/vouchers/VABCD-EFGH-JKLM") return [v];
      return undefined;
    });
    render(<><IssueVoucher api={api} pnr="QWE123" currency="SGD" /><VoucherLookup api={api} /></>);
    await userEvent.type(screen.getByLabelText("Voucher amount"), "25");
    await userEvent.type(screen.getByLabelText("Voucher reason"), "delay of 5 h");
    await userEvent.click(screen.getByRole("button", { name: "Review the voucher" }));
    expect(screen.getByRole("alertdialog", { name: "confirm the voucher" })).toHaveTextContent("Issue a voucher of SGD 25.00 for booking QWE123?");
    await userEvent.click(screen.getByRole("button", { name: "Yes, issue SGD 25.00" }));
    expect(await screen.findByTestId("voucher")).toHaveTextContent("VABCD-EFGH-JKLM");
    expect(calls.find((c) => c.path === "/vouchers")?.body).toEqual({ amount: 2500, currency: "SGD", reason: "delay of 5 h (booking QWE123)" });
    await userEvent.type(screen.getByLabelText("Voucher code"), "vabcd-efgh-jklm");
    await userEvent.click(screen.getByRole("button", { name: "Look up" }));
    expect((await screen.findAllByTestId("voucher")).at(-1)).toHaveTextContent("SGD 25.00 of SGD 25.00");
    await userEvent.clear(screen.getByLabelText("Voucher code"));
    await userEvent.type(screen.getByLabelText("Voucher code"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Look up" }));
    expect(await screen.findByText("no such thing")).toBeInTheDocument();
  }, 15_000);
});
