import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError, type Api } from "@airline/ui";
import { SignUp, signUpErrors } from "../Account";
import { refreshSession } from "../session";

const user = { id: "u1", email: "ada@example.com", full_name: "Ada Lovelace", role: "passenger" as const };

describe("sign-up", () => {
  it("puts the server's field errors on their fields", () => {
    const invalid = new ApiError(422, "x", "validation_failed", { errors: [{ field: "body.email", message: "not an e-mail" }, { field: "body.full_name", message: "required" }] });
    expect(signUpErrors(invalid)).toEqual({ fields: { email: "not an e-mail", full_name: "required" }, form: null });
    const weak = new ApiError(422, "password must be at least 10 characters", "validation_failed", { detail: "password must be at least 10 characters" });
    expect(signUpErrors(weak).fields).toEqual({ password: "password must be at least 10 characters" });
    const taken = new ApiError(409, "an account with this e-mail already exists", "already_exists", { detail: "an account with this e-mail already exists", code: "already_exists" });
    expect(signUpErrors(taken).fields.email).toMatch(/already exists/);
    expect(signUpErrors(new ApiError(429, "too many sign-ups", "rate_limited", { detail: "too many sign-ups" }))).toEqual({ fields: {}, form: "too many sign-ups" });
  });

  it("shows a field error by its field, then signs in once the account exists", async () => {
    const signup = vi.fn()
      .mockRejectedValueOnce(new ApiError(422, "password must be at least 10 characters", "validation_failed", { detail: "password must be at least 10 characters" }))
      .mockResolvedValueOnce(user);
    const login = vi.fn(async () => ({ access_token: "t", token_type: "Bearer", expires_in: 60, user }));
    const onSignedIn = vi.fn();
    render(<SignUp api={{ signup, login } as unknown as Api} onSignedIn={onSignedIn} />);
    await userEvent.type(screen.getByLabelText("Full name"), "Ada Lovelace");
    await userEvent.type(screen.getByLabelText("E-mail"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "short");
    await userEvent.click(screen.getByRole("button", { name: /Create account/ }));
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(await screen.findByRole("alert")).toHaveTextContent("at least 10 characters");
    expect(onSignedIn).not.toHaveBeenCalled();
    await userEvent.type(password, "-and-longer");
    await userEvent.click(screen.getByRole("button", { name: /Create account/ }));
    expect(login).toHaveBeenCalledWith("ada@example.com", "short-and-longer");
    expect(onSignedIn).toHaveBeenCalledWith({ token: "t", user });
  });
});

describe("the session refresh", () => {
  it("is shared by every caller while one is under way (a second use of the token would end the session)", async () => {
    let resolve!: (t: unknown) => void;
    const refresh = vi.fn(() => new Promise((r) => { resolve = r; }));
    const api = { refresh } as unknown as Pick<Api, "refresh">;
    const a = refreshSession(api);
    const b = refreshSession(api);
    resolve({ access_token: "t" });
    expect(await a).toBe(await b);
    expect(refresh).toHaveBeenCalledTimes(1);
    const c = refreshSession(api);
    expect(refresh).toHaveBeenCalledTimes(2); // a later one asks again
    resolve({ access_token: "t3" });
    await c;
  });

  it("takes turns with the site's other tabs through a Web Lock", async () => {
    const request = vi.fn((_name: string, cb: () => unknown) => Promise.resolve(cb()));
    Object.defineProperty(navigator, "locks", { value: { request }, configurable: true });
    try {
      const refresh = vi.fn(async () => ({ access_token: "t2" }));
      expect(await refreshSession({ refresh } as unknown as Pick<Api, "refresh">)).toEqual({ access_token: "t2" });
      expect(request).toHaveBeenCalledWith("airline-session-refresh", expect.any(Function));
      expect(refresh).toHaveBeenCalledTimes(1);
    } finally {
      Reflect.deleteProperty(navigator, "locks");
    }
  });
});
