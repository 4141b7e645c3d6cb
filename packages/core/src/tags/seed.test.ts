import { describe, expect, it } from "vitest";
import { seedRunAsOf } from "./seed";

describe("seedRunAsOf", () => {
  const now = new Date("2026-11-30T08:00:00Z");

  it("describes the end of a past seed date (00:00 the next day, bank time)", () => {
    expect(seedRunAsOf("2026-06-30", now).toISOString()).toBe("2026-06-30T16:00:00.000Z");
  });

  it("never lies in the future: a seed of today runs as of now", () => {
    expect(seedRunAsOf("2026-11-30", now)).toEqual(now);
    expect(seedRunAsOf(undefined, now)).toEqual(now);
  });
});
