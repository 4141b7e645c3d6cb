import { describe, expect, it } from "vitest";
import { waveEventTime } from "./send-chunk";

describe("trigger waves", () => {
  it("carry their event time", () => {
    expect(waveEventTime("t1796029554444-3")).toBe(1796029554444);
    expect(waveEventTime("t1796029554444-3/y")).toBe(1796029554444);
    expect(waveEventTime("main")).toBeNull();
  });
});
