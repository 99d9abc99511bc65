import { parseHash, visibleRemotes } from "../routing";
import type { RemoteEntry } from "@airline/ui";

const remotes: RemoteEntry[] = [
  { name: "booking", entry: "/b.js", title: "Book", path: "booking", roles: ["guest"] },
  { name: "ops", entry: "/o.js", title: "Ops", path: "ops", roles: ["ops"] },
  { name: "board", entry: "/w.js", title: "Board", path: "board", roles: ["*"] },
];

describe("shell routing", () => {
  it("splits the hash into the remote's path and its own route", () => {
    expect(parseHash("#/board/XSP")).toEqual({ path: "board", rest: "XSP" });
    expect(parseHash("")).toEqual({ path: "", rest: "" });
    expect(parseHash("#/booking/manage/ABC123")).toEqual({ path: "booking", rest: "manage/ABC123" });
  });

  it('"guest" is for signed-out visitors, "*" for everyone, admin sees all', () => {
    expect(visibleRemotes(remotes, null).map((r) => r.name)).toEqual(["booking", "board"]);
    expect(visibleRemotes(remotes, "passenger").map((r) => r.name)).toEqual(["board"]);
    expect(visibleRemotes(remotes, "ops").map((r) => r.name)).toEqual(["ops", "board"]);
    expect(visibleRemotes(remotes, "admin").map((r) => r.name)).toEqual(["booking", "ops", "board"]);
  });
});
