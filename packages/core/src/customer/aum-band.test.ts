import { describe, expect, it } from "vitest";
import { aumBand } from "./aum-band";

describe("aumBand", () => {
  it("puts band edges in the higher band", () => {
    expect(aumBand(0)).toBe("MASS");
    expect(aumBand(49_999.99)).toBe("MASS");
    expect(aumBand(50_000)).toBe("GOLD");
    expect(aumBand(500_000)).toBe("PLATINUM");
    expect(aumBand(5_999_999)).toBe("PLATINUM");
    expect(aumBand(6_000_000)).toBe("PRIVATE");
  });
});
