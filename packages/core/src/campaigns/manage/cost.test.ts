import { describe, expect, it } from "vitest";
import { seedExampleFlow } from "../flow.fixtures";
import { estimateCost, maxPathCostPerCustomer } from "./cost";
import { bucketFor, campaignAlerts } from "./monitor";

describe("estimated cost", () => {
  it("is the most expensive path per customer: SMS then the call, not the call twice", () => {
    expect(maxPathCostPerCustomer(seedExampleFlow(), { SMS: 0.05, CALL: 1.5 })).toBeCloseTo(1.55);
    expect(maxPathCostPerCustomer(seedExampleFlow(), {})).toBe(0);
  });

  it("times the eligible customers, against the budget", () => {
    expect(estimateCost(seedExampleFlow(), { SMS: 0.05, CALL: 1.5 }, 1000, 2000)).toEqual({ perCustomer: 1.55, total: 1550, budget: 2000, overBudget: false });
    expect(estimateCost(seedExampleFlow(), { SMS: 0.05, CALL: 1.5 }, 1000, 1549.99).overBudget).toBe(true);
    expect(estimateCost(seedExampleFlow(), { SMS: 0.05 }, 1000, null).overBudget).toBe(false);
  });
});

describe("monitoring alerts", () => {
  it("warn when the delivery rate falls below 80 % once 20 were sent", () => {
    expect(campaignAlerts(20, 16, 0, null)).toEqual([]);
    expect(campaignAlerts(20, 15, 0, null)).toEqual([{ kind: "LOW_DELIVERY", rate: 0.75, threshold: 0.8 }]);
    expect(campaignAlerts(19, 0, 0, null)).toEqual([]);
    // The campaign's own threshold: stricter, looser, or off (0).
    expect(campaignAlerts(20, 18, 0, null, 0.95)).toEqual([{ kind: "LOW_DELIVERY", rate: 0.9, threshold: 0.95 }]);
    expect(campaignAlerts(20, 19, 0, null, 0.95)).toEqual([]);
    expect(campaignAlerts(20, 11, 0, null, 0.5)).toEqual([]);
    expect(campaignAlerts(20, 9, 0, null, 0.5)).toEqual([{ kind: "LOW_DELIVERY", rate: 0.45, threshold: 0.5 }]);
    expect(campaignAlerts(20, 0, 0, null, 0)).toEqual([]);
  });

  it("warn when the cost passes the budget (not when it reaches it)", () => {
    expect(campaignAlerts(0, 0, 100, 100)).toEqual([]);
    expect(campaignAlerts(0, 0, 100.01, 100)).toEqual([{ kind: "OVER_BUDGET", spent: 100.01, budget: 100 }]);
  });

  it("chart by minute, then hour, then day as a campaign runs longer", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    expect(bucketFor(null, now)).toBe("minute");
    expect(bucketFor(new Date("2026-11-30T09:00:01Z"), now)).toBe("minute");
    expect(bucketFor(new Date("2026-11-30T09:00:00Z"), now)).toBe("hour");
    expect(bucketFor(new Date("2026-11-26T12:00:00Z"), now)).toBe("day");
  });
});
