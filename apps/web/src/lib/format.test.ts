import { describe, expect, it } from "vitest";
import { daysUntil, maturesSoon, toDate, toNumber } from "./format";

describe("format helpers", () => {
  const now = new Date("2026-03-01T08:00:00+08:00");

  it("reads money as numbers or decimal strings", () => {
    expect(toNumber("1234.50")).toBe(1234.5);
    expect(toNumber(12)).toBe(12);
    expect(toNumber(null)).toBeNull();
    expect(toNumber("not a number")).toBeNull();
  });

  it("reads dates as Date or ISO strings", () => {
    expect(toDate("2026-03-31")?.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect(toDate("garbage")).toBeNull();
  });

  it("highlights maturities within 30 days, not past or later ones", () => {
    expect(maturesSoon(new Date("2026-03-20"), now)).toBe(true);
    expect(maturesSoon(new Date("2026-03-31"), now)).toBe(true);
    expect(maturesSoon(new Date("2026-04-15"), now)).toBe(false);
    expect(maturesSoon(new Date("2026-02-20"), now)).toBe(false);
    expect(maturesSoon(null, now)).toBe(false);
    expect(daysUntil(new Date("2026-03-02T08:00:00+08:00"), now)).toBe(1);
  });
});
