import { describe, expect, it } from "vitest";
import { inControlGroup, splitOutput, stableDraw } from "./control-group";
import { decide, dedupe, type RecipientFacts, type SendContext } from "./evaluate";
import { activeRestriction } from "./restrictions";

const at = new Date("2026-12-01T02:00:00Z"); // 10:00 in Shanghai
const ok: RecipientFacts = {
  customerId: 42,
  timeZone: "Asia/Shanghai",
  consents: [{ purpose: "MARKETING", channel: "SMS", granted: true }],
  restrictions: [],
  assessment: { level: "C3", expiresAt: new Date("2027-01-01T00:00:00Z") },
  sentAt: [],
  hasAddress: true,
};
const ctx: SendContext = {
  campaignId: "cmp1",
  channel: "SMS",
  productRisk: 3,
  controlShareBp: 0,
  quietHoursPolicy: "DEFER",
  quietWindow: { start: "21:00", end: "08:00" },
  caps: { dailyCap: 1, weeklyCap: 2 },
  at,
};

describe("guardrails for one recipient", () => {
  it("sends when every check passes", () => {
    expect(decide(ok, ctx)).toEqual({ kind: "send" });
  });

  it("consent is per purpose and channel, opt-in", () => {
    expect(decide({ ...ok, consents: [] }, ctx)).toEqual({ kind: "suppress", reason: "NO_CONSENT" });
    expect(decide({ ...ok, consents: [{ purpose: "SERVICE", channel: "SMS", granted: true }] }, ctx)).toEqual({ kind: "suppress", reason: "NO_CONSENT" });
    expect(decide(ok, { ...ctx, channel: "CALL" })).toEqual({ kind: "suppress", reason: "NO_CONSENT" });
    expect(decide({ ...ok, consents: [{ purpose: "MARKETING", channel: "SMS", granted: false }] }, ctx)).toEqual({ kind: "suppress", reason: "NO_CONSENT" });
  });

  it("do-not-disturb and complaint lists, by channel and validity", () => {
    const dnd = { kind: "DO_NOT_DISTURB" as const, channel: null, validFrom: new Date("2026-11-01T00:00:00Z"), validTo: null };
    expect(decide({ ...ok, restrictions: [dnd] }, ctx)).toEqual({ kind: "suppress", reason: "DO_NOT_DISTURB" });
    expect(activeRestriction([{ ...dnd, channel: "CALL" }], "SMS", at)).toBeNull();
    expect(activeRestriction([{ ...dnd, validTo: at }], "SMS", at)).toBeNull();
    expect(activeRestriction([{ ...dnd, validFrom: at }], "SMS", at)).toBe("DO_NOT_DISTURB");
    expect(activeRestriction([dnd, { ...dnd, kind: "COMPLAINT" }], "SMS", at)).toBe("COMPLAINT");
  });

  it("suitability, caps, quiet hours (defer or drop) and address, in that order", () => {
    expect(decide({ ...ok, assessment: { level: "C2", expiresAt: new Date("2027-01-01T00:00:00Z") } }, ctx)).toEqual({ kind: "suppress", reason: "UNSUITABLE" });
    expect(decide({ ...ok, sentAt: [new Date("2026-11-30T03:00:00Z"), new Date("2026-11-29T03:00:00Z")] }, ctx)).toEqual({ kind: "suppress", reason: "FREQUENCY_CAP_WEEK" });
    const night = new Date("2026-12-01T14:00:00Z");
    expect(decide(ok, { ...ctx, at: night })).toEqual({ kind: "defer", until: new Date("2026-12-02T00:00:00Z") });
    expect(decide(ok, { ...ctx, at: night, quietHoursPolicy: "DROP" })).toEqual({ kind: "suppress", reason: "QUIET_HOURS" });
    expect(decide({ ...ok, hasAddress: false }, ctx)).toEqual({ kind: "suppress", reason: "NO_ADDRESS" });
    expect(decide({ ...ok, consents: [], assessment: null }, ctx)).toEqual({ kind: "suppress", reason: "NO_CONSENT" });
  });

  it("control group: a stable share of the audience, independent per campaign", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => i + 1);
    const held = ids.filter((id) => inControlGroup("cmp1", id, 1_000));
    expect(held.length / ids.length).toBeGreaterThan(0.09);
    expect(held.length / ids.length).toBeLessThan(0.11);
    expect(ids.filter((id) => inControlGroup("cmp1", id, 1_000))).toEqual(held);
    const other = ids.filter((id) => inControlGroup("cmp2", id, 1_000));
    expect(other).not.toEqual(held);
    expect(ids.some((id) => inControlGroup("cmp1", id, 0))).toBe(false);
    expect(decide({ ...ok, customerId: held[0]! }, { ...ctx, controlShareBp: 1_000 })).toEqual({ kind: "suppress", reason: "CONTROL_GROUP" });
  });

  it("random split follows the weights and is stable", () => {
    const outs = [{ key: "A", weight: 30 }, { key: "B", weight: 70 }];
    const a = Array.from({ length: 10_000 }, (_, i) => splitOutput("c", "ab", i + 1, outs)).filter((k) => k === "A").length;
    expect(a / 10_000).toBeCloseTo(0.3, 1);
    expect(splitOutput("c", "ab", 7, outs)).toBe(splitOutput("c", "ab", 7, outs));
    expect(stableDraw("x", 1)).not.toBe(stableDraw("x", 2));
  });

  it("dedupe: one message per customer per step", () => {
    const r = dedupe([
      { customerId: 1, stepId: "sms", channel: "SMS" },
      { customerId: 1, stepId: "sms", channel: "SMS" },
      { customerId: 1, stepId: "call", channel: "CALL" },
    ]);
    expect(r.unique).toHaveLength(2);
    expect(r.duplicates).toBe(1);
  });
});
