import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Field, Steps, Button, formatMoney, formatLocalTime, ensureStyles } from "../index";

describe("ui", () => {
  it("labels a field and announces its error", () => {
    render(<Field label="Last name" error="required" defaultValue="" />);
    const input = screen.getByLabelText("Last name");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("required");
    expect(input.getAttribute("aria-describedby")).toContain(screen.getByRole("alert").id);
  });

  it("marks the current step for assistive technology", () => {
    render(<Steps steps={["Search", "Offers", "Pay"]} current={1} />);
    expect(screen.getByText(/Offers/).closest("li")).toHaveAttribute("aria-current", "step");
    expect(screen.getByText(/Search/).closest("li")).toHaveAttribute("data-state", "done");
  });

  it("a busy button cannot be pressed twice", async () => {
    let clicks = 0;
    render(<Button busy onClick={() => clicks++}>Pay</Button>);
    await userEvent.click(screen.getByRole("button", { name: /Pay/ }));
    expect(clicks).toBe(0);
  });

  it("a busy button stays guarded whatever props it is given", async () => {
    let clicks = 0;
    const { rerender } = render(<Button busy disabled={false} onClick={() => clicks++}>Book</Button>);
    const button = screen.getByRole("button", { name: /Book/ });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("aria-busy", "true");
    await userEvent.click(button);
    button.click(); // a programmatic click is not stopped by the disabled attribute in every environment
    expect(clicks).toBe(0);
    rerender(<Button busy={false} disabled={false} onClick={() => clicks++}>Book</Button>);
    await userEvent.click(screen.getByRole("button", { name: /Book/ }));
    expect(clicks).toBe(1);
  });

  it("a busy submit button does not submit its form again", async () => {
    let submits = 0;
    render(<form onSubmit={(e) => { e.preventDefault(); submits++; }}><Button type="submit" busy disabled={false}>Pay</Button></form>);
    await userEvent.click(screen.getByRole("button", { name: /Pay/ }));
    expect(submits).toBe(0);
  });

  it("formats minor units and local times", () => {
    expect(formatMoney(69300, "SGD")).toBe("SGD 693.00");
    expect(formatMoney(1500, "JPY")).toMatch(/1,500/);
    expect(formatLocalTime("2026-12-01T00:00:00Z", "Asia/Singapore")).toBe("08:00");
  });

  it("adds the stylesheet once", () => {
    ensureStyles(); ensureStyles();
    expect(document.querySelectorAll("#airline-ui-styles")).toHaveLength(1);
  });
});
