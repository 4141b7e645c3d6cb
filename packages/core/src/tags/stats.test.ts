import { BOOL_NULL } from "@mkt/db/tags/columns";
import { describe, expect, it } from "vitest";
import { columnStats, driftAlerts, psi } from "./stats";

const exists = Uint8Array.from([0, 1, 1, 1, 1, 1]);

describe("tag statistics", () => {
  it("coverage counts existing customers with a value", () => {
    const s = columnStats({ type: "bool", data: Uint8Array.from([1, 1, 0, BOOL_NULL, 1, 0]) }, exists, 5);
    expect(s).toMatchObject({ nonNull: 4, coverage: 0.8, distribution: { kind: "categorical", counts: { true: 2, false: 2 } }, psi: null, coverageDelta: null });
  });

  it("numeric bins reuse the previous run's edges, so PSI compares like with like", () => {
    const first = columnStats({ type: "num", data: Float64Array.from([NaN, 1, 2, 3, 4, 5]) }, exists, 5);
    expect(first.distribution.kind).toBe("numeric");
    const same = columnStats({ type: "num", data: Float64Array.from([NaN, 1, 2, 3, 4, 5]) }, exists, 5, first);
    expect(same.psi).toBeCloseTo(0, 10);
    const shifted = columnStats({ type: "num", data: Float64Array.from([NaN, 5, 5, 5, 5, NaN]) }, exists, 5, first);
    expect(shifted.distribution).toMatchObject({ edges: (first.distribution as { edges: number[] }).edges });
    expect(shifted.psi!).toBeGreaterThan(1);
    expect(shifted.coverageDelta).toBeCloseTo(-0.2);
    expect(driftAlerts(shifted, { coverageDriftMax: 0.1, psiMax: 0.2 })).toEqual(["coverage", "distribution"]);
    expect(driftAlerts(same, { coverageDriftMax: 0.1, psiMax: 0.2 })).toEqual([]);
  });

  it("PSI is zero for equal shares and grows with the shift", () => {
    expect(psi([10, 10], [20, 20])).toBeCloseTo(0);
    expect(psi([50, 50], [60, 40])).toBeLessThan(psi([50, 50], [90, 10]));
  });
});
