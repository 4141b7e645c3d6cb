import { describe, expect, it } from "vitest";
import { checkSegmentRuleTags, parseSegmentRule, SEGMENT_RULE_LIMITS, SegmentRuleError, type SegmentTagInfo } from "./rule";

const leaf = { kind: "tag", tag: "AUM_BAND", op: "in", values: ["A", "B"] };
const tags = new Map<string, SegmentTagInfo>([
  ["AUM_BAND", { valueType: "ENUM", enumValues: ["A", "B", "C"] }],
  ["AGE", { valueType: "NUMBER" }],
  ["NEXT_MATURITY_DATE", { valueType: "DATE" }],
  ["HAS_LOAN", { valueType: "BOOLEAN" }],
]);
const check = (raw: unknown) => checkSegmentRuleTags(parseSegmentRule(raw), (c) => tags.get(c));

describe("parseSegmentRule", () => {
  it("accepts every node kind and fills defaults", () => {
    const rule = {
      kind: "group",
      op: "and",
      children: [
        leaf,
        { kind: "group", op: "or", not: true, children: [{ kind: "tag", tag: "AGE", op: "between", min: 18, max: 60 }, { kind: "tag", tag: "HAS_LOAN", op: "isEmpty" }] },
        { kind: "behavior", source: "txn", eventType: "PAYROLL", did: true, lastDays: 30 },
        { kind: "behavior", source: "app", eventType: "LOGIN", did: false, atLeast: 3, lastDays: 7 },
        { kind: "holding", category: "WEALTH", held: true, minAmount: 50_000 },
        { kind: "holding", productCode: "WM001", held: false },
        { kind: "segment", segmentId: "s1", in: true },
        { kind: "tag", tag: "NEXT_MATURITY_DATE", op: "withinDays", days: 30, direction: "next" },
      ],
    };
    const parsed = parseSegmentRule(rule);
    expect((parsed as { children: { atLeast?: number }[] }).children[2]!.atLeast).toBe(1);
    expect(() => check(rule)).not.toThrow();
  });

  it("names the path of a bad node: unknown fields, operators, values", () => {
    const wrap = (x: unknown) => ({ kind: "group", op: "and", children: [{ kind: "group", op: "or", children: [x] }] });
    expect(() => parseSegmentRule(wrap({ ...leaf, extra: 1 }))).toThrow(/children\.0\.children\.0: Unrecognized key/);
    expect(() => parseSegmentRule(wrap({ ...leaf, op: "like" }))).toThrow(/children\.0\.children\.0\.op: Invalid discriminator/);
    expect(() => parseSegmentRule(wrap({ kind: "tag", tag: "AGE", op: "between", min: 9, max: 1 }))).toThrow(/min must not be greater than max/);
    expect(() => parseSegmentRule(wrap({ kind: "behavior", source: "txn", eventType: "LOGIN", did: true, lastDays: 30 }))).toThrow(/eventType: a transaction type/);
    expect(() => parseSegmentRule(wrap({ kind: "behavior", source: "app", eventType: "LOGIN", did: true, lastDays: 366 }))).toThrow(SegmentRuleError);
    expect(() => parseSegmentRule(wrap({ kind: "holding", held: true }))).toThrow(/exactly one of category or productCode/);
    expect(() => parseSegmentRule(wrap({ kind: "tag", tag: "lower", op: "isEmpty" }))).toThrow(/tag code/);
  });

  it("refuses trees deeper than the limit without overflowing the stack", () => {
    let deep: unknown = leaf;
    for (let i = 0; i < 100_000; i++) deep = { kind: "group", op: "and", children: [deep] };
    expect(() => parseSegmentRule(deep)).toThrow(`rule is nested deeper than ${SEGMENT_RULE_LIMITS.maxDepth} levels`);
    let ok: unknown = leaf;
    for (let i = 1; i < SEGMENT_RULE_LIMITS.maxDepth; i++) ok = { kind: "group", op: "and", children: [ok] };
    expect(() => parseSegmentRule(ok)).not.toThrow();
    expect(() => parseSegmentRule({ kind: "group", op: "and", children: [ok] })).toThrow(/deeper than/);
  });

  it("refuses trees with too many nodes", () => {
    const wide = { kind: "group", op: "or", children: Array.from({ length: SEGMENT_RULE_LIMITS.maxNodes }, () => leaf) };
    expect(() => parseSegmentRule(wide)).toThrow(`more than ${SEGMENT_RULE_LIMITS.maxNodes} conditions and groups`);
  });
});

describe("checkSegmentRuleTags", () => {
  it("checks tags, operators by value type and values against the catalogue", () => {
    expect(() => check({ kind: "tag", tag: "NOPE", op: "isEmpty" })).toThrow(/tag: unknown or unpublished tag NOPE/);
    expect(() => check({ kind: "tag", tag: "HAS_LOAN", op: "gt", value: 1 })).toThrow(/op: operator gt does not apply to a BOOLEAN tag/);
    expect(() => check({ kind: "tag", tag: "HAS_LOAN", op: "eq", value: "yes" })).toThrow(/value: a BOOLEAN tag compares with true or false/);
    expect(() => check({ kind: "tag", tag: "AGE", op: "gte", value: "2020-01-01" })).toThrow(/a NUMBER tag compares with a number/);
    expect(() => check({ kind: "tag", tag: "NEXT_MATURITY_DATE", op: "between", min: 1, max: 2 })).toThrow(/min: a DATE tag compares with a date/);
    expect(() => check({ kind: "tag", tag: "AUM_BAND", op: "in", values: ["A", "Z"] })).toThrow(/values\.1: "Z" is not a value of this tag/);
    expect(() => check({ kind: "tag", tag: "AGE", op: "withinDays", days: 3, direction: "past" })).toThrow(/withinDays does not apply to a NUMBER tag/);
  });
});
