import { describe, expect, it } from "vitest";
import { frequencyCap, localDayStart } from "./frequency";
import { inQuietHours, nextAllowedInstant, wallClock } from "./quiet-hours";

const SH = "Asia/Shanghai"; // UTC+8: 21:00 local = 13:00Z, 08:00 local = 00:00Z
const z = (s: string) => new Date(s);

describe("quiet hours in the customer's time zone, server clock in UTC", () => {
  it("boundaries: the start minute is quiet, the end minute is not", () => {
    expect(inQuietHours(z("2026-12-01T12:59:59Z"), SH)).toBe(false);
    expect(inQuietHours(z("2026-12-01T13:00:00Z"), SH)).toBe(true);
    expect(inQuietHours(z("2026-12-01T23:59:59Z"), SH)).toBe(true);
    expect(inQuietHours(z("2026-12-02T00:00:00Z"), SH)).toBe(false);
    expect(inQuietHours(z("2026-12-01T16:00:00Z"), SH)).toBe(true); // local midnight
  });

  it("defers to the next allowed instant: the same night's end, before or after local midnight", () => {
    expect(nextAllowedInstant(z("2026-12-01T13:00:00Z"), SH).toISOString()).toBe("2026-12-02T00:00:00.000Z");
    expect(nextAllowedInstant(z("2026-12-01T17:30:00Z"), SH).toISOString()).toBe("2026-12-02T00:00:00.000Z");
    expect(nextAllowedInstant(z("2026-12-01T23:59:00Z"), SH).toISOString()).toBe("2026-12-02T00:00:00.000Z");
    const open = z("2026-12-01T05:00:00Z");
    expect(nextAllowedInstant(open, SH)).toBe(open);
  });

  it("uses each customer's own zone, across a DST change", () => {
    const ny = "America/New_York";
    // 2026-03-08: clocks go 02:00 → 03:00. 22:00 EST on the 7th = 03:00Z on the 8th; 08:00 EDT on the 8th = 12:00Z.
    expect(inQuietHours(z("2026-03-08T03:00:00Z"), ny)).toBe(true);
    expect(nextAllowedInstant(z("2026-03-08T03:00:00Z"), ny).toISOString()).toBe("2026-03-08T12:00:00.000Z");
    expect(inQuietHours(z("2026-03-08T03:00:00Z"), SH)).toBe(false); // 11:00 in Shanghai
  });

  it("configurable windows: non-wrapping, and none when start equals end", () => {
    const lunch = { start: "12:00", end: "13:30" };
    expect(inQuietHours(z("2026-12-01T04:00:00Z"), SH, lunch)).toBe(true);
    expect(nextAllowedInstant(z("2026-12-01T04:10:00Z"), SH, lunch).toISOString()).toBe("2026-12-01T05:30:00.000Z");
    expect(inQuietHours(z("2026-12-01T13:00:00Z"), SH, { start: "00:00", end: "00:00" })).toBe(false);
    expect(() => inQuietHours(z("2026-12-01T13:00:00Z"), SH, { start: "25:00", end: "08:00" })).toThrow(/HH:MM/);
  });

  it("wall clock reads local fields", () => {
    expect(wallClock(z("2026-12-01T16:30:00Z"), SH).toISOString()).toBe("2026-12-02T00:30:00.000Z");
  });
});

describe("frequency caps across campaigns", () => {
  const caps = { dailyCap: 1, weeklyCap: 2 };
  it("a day is the customer's calendar day", () => {
    expect(localDayStart(z("2026-12-01T17:00:00Z"), SH).toISOString()).toBe("2026-12-01T16:00:00.000Z");
    // sent at 23:30 local on the 1st; at 00:30 local on the 2nd the daily cap has room again
    const sent = [z("2026-12-01T15:30:00Z")];
    expect(frequencyCap(sent, caps, z("2026-12-01T15:59:00Z"), SH)).toBe("FREQUENCY_CAP_DAY");
    expect(frequencyCap(sent, caps, z("2026-12-01T16:30:00Z"), SH)).toBeNull();
  });

  it("the week is a rolling 7 × 24 h", () => {
    const sent = [z("2026-12-01T02:00:00Z"), z("2026-12-03T02:00:00Z")];
    expect(frequencyCap(sent, caps, z("2026-12-08T01:59:59Z"), SH)).toBe("FREQUENCY_CAP_WEEK");
    expect(frequencyCap(sent, caps, z("2026-12-08T02:00:00Z"), SH)).toBeNull();
    expect(frequencyCap(sent, { dailyCap: null, weeklyCap: null }, z("2026-12-03T02:00:00Z"), SH)).toBeNull();
  });
});
