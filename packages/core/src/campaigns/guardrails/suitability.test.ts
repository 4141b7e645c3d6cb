import { describe, expect, it } from "vitest";
import { suitability } from "./suitability";

const at = new Date("2026-12-01T02:00:00Z");
const valid = new Date("2027-06-01T00:00:00Z");

describe("product suitability: the 25-case matrix", () => {
  const cases = [1, 2, 3, 4, 5].flatMap((c) => [1, 2, 3, 4, 5].map((r) => ({ c, r, eligible: c >= r })));
  it.each(cases)("C$c × R$r → eligible $eligible", ({ c, r, eligible }) => {
    expect(suitability({ level: `C${c}`, expiresAt: valid }, r, at)).toBe(eligible ? null : "UNSUITABLE");
  });
  expect(cases.filter((x) => x.eligible)).toHaveLength(15);

  it("a missing or expired assessment is not eligible, whatever the levels", () => {
    expect(suitability(null, 1, at)).toBe("ASSESSMENT_EXPIRED");
    expect(suitability({ level: "C5", expiresAt: at }, 1, at)).toBe("ASSESSMENT_EXPIRED");
    expect(suitability({ level: "C5", expiresAt: new Date(at.getTime() + 1) }, 5, at)).toBeNull();
  });

  it("a campaign promoting no product needs no assessment", () => {
    expect(suitability(null, null, at)).toBeNull();
  });

  it("refuses unknown levels", () => {
    expect(() => suitability({ level: "C9", expiresAt: valid }, 1, at)).toThrow(/unknown risk level/);
  });
});
