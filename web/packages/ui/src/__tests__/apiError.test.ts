import { ApiError, isApiError } from "../api";

describe("isApiError", () => {
  it("knows the API's error from another copy of the package (a remote inside the shell)", () => {
    class OtherCopy extends Error {
      constructor(readonly status: number, message: string, readonly code?: string) { super(message); this.name = "ApiError"; }
    }
    const theirs = new OtherCopy(409, "the door is closed", "door_closed");
    expect(theirs instanceof ApiError).toBe(false); // why the helper exists
    expect(isApiError(theirs)).toBe(true);
    expect(isApiError(new ApiError(404, "no such booking"))).toBe(true);
  });

  it("is not fooled by other errors", () => {
    expect(isApiError(new Error("network down"))).toBe(false);
    expect(isApiError({ name: "ApiError", status: 409 })).toBe(false); // not an Error at all
    const named = new Error("x"); named.name = "ApiError";
    expect(isApiError(named)).toBe(false); // no status
  });
});
