import { describe, expect, it } from "vitest";
import { percentile, perSecond, summarize } from "./stats";

describe("benchmark statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("summarizes runs and throughput", () => {
    expect(summarize([3, 1, 2, 4])).toEqual({ runs: 4, p50_ms: 2, p95_ms: 4, p99_ms: 4 });
    expect(perSecond(1000, 250)).toBe(4000);
    expect(perSecond(5, 0)).toBe(0);
  });
});
