import { describe, expect, it } from "vitest";
import { LIBRARY_TAGS } from "./library";
import { realtimeTrigger, tagEventBatchSchema } from "./realtime";
import { parseRule } from "./rule";

const txn = (extra: object) => ({ feature: { kind: "txnAgg", types: ["TRANSFER_OUT"], days: 1, ...extra } });

describe("realtimeTrigger", () => {
  it("reads the event window of the library's real-time tag", () => {
    const tag = LIBRARY_TAGS.find((t) => t.sourceKind === "REALTIME")!;
    expect(realtimeTrigger(tag.rule)).toEqual({ types: ["TRANSFER_OUT", "WITHDRAWAL"], minAmount: 50_000, windowMs: 86_400_000 });
  });

  it("accepts count > 0, count >= 1 and max >= amount; refuses other shapes", () => {
    expect(realtimeTrigger(parseRule({ op: "gte", left: txn({ agg: "count" }), right: { const: 1 } }))).toMatchObject({ minAmount: 0 });
    expect(realtimeTrigger(parseRule({ op: "gte", left: txn({ agg: "max" }), right: { const: 1000 } }))).toMatchObject({ minAmount: 1000 });
    expect(realtimeTrigger(parseRule({ op: "gt", left: txn({ agg: "count" }), right: { const: 2 } }))).toBeNull();
    expect(realtimeTrigger(parseRule({ op: "gt", left: txn({ agg: "sum" }), right: { const: 0 } }))).toBeNull();
    expect(realtimeTrigger(parseRule({ op: "gt", left: txn({ agg: "count", channels: ["MOBILE"] }), right: { const: 0 } }))).toBeNull();
    expect(realtimeTrigger(parseRule({ op: "not", arg: { const: true } }))).toBeNull();
  });
});

describe("event batches", () => {
  const ok = { eventId: "e-1", customerId: 1, type: "TRANSFER_OUT", occurredAt: "2026-07-01T10:00:00+08:00", amount: 1 };
  it("accepts well-formed events and refuses unknown fields, types and oversized batches", () => {
    expect(tagEventBatchSchema.safeParse({ events: [ok] }).success).toBe(true);
    expect(tagEventBatchSchema.safeParse({ events: [{ ...ok, extra: 1 }] }).success).toBe(false);
    expect(tagEventBatchSchema.safeParse({ events: [{ ...ok, type: "TELEPORT" }] }).success).toBe(false);
    expect(tagEventBatchSchema.safeParse({ events: [{ ...ok, eventId: "bad id!" }] }).success).toBe(false);
    expect(tagEventBatchSchema.safeParse({ events: Array.from({ length: 501 }, (_, i) => ({ ...ok, eventId: `e${i}` })) }).success).toBe(false);
  });
});
