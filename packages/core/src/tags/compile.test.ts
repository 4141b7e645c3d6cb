import { BOOL_NULL, type Column } from "@mkt/db/tags/columns";
import { featureKey, type FeatureSpec } from "@mkt/db/tags/feature-spec";
import { describe, expect, it } from "vitest";
import type { TagSignature } from "./check";
import { compileRule } from "./compile";
import { parseRule, RuleError, type Expr } from "./rule";

// Five customers (ids 1..5; index 0 is unused, id 5 does not exist) and a few features.
const N = NaN;
const exists = Uint8Array.from([0, 1, 1, 1, 1, 0]);
const spend: FeatureSpec = { kind: "txnAgg", agg: "sum", types: ["CARD_SPEND"], days: 30 };
const age: FeatureSpec = { kind: "customer", field: "age" };
const gender: FeatureSpec = { kind: "customer", field: "gender" };
const rm: FeatureSpec = { kind: "customer", field: "hasRm" };
const maturity: FeatureSpec = { kind: "holding", measure: "nextMaturity", categories: ["TIME_DEPOSIT"] };
const features = new Map<string, Column>([
  [featureKey(spend), { type: "num", data: Float64Array.from([N, 0, 5000, 12000, N, N]) }],
  [featureKey(age), { type: "num", data: Float64Array.from([N, 25, 61, N, 40, N]) }],
  [featureKey(gender), { type: "label", data: Int16Array.from([-1, 0, 1, -1, 0, -1]), dict: ["F", "M"] }],
  [featureKey(rm), { type: "bool", data: Uint8Array.from([BOOL_NULL, 1, 0, BOOL_NULL, 1, BOOL_NULL]) }],
  // 2026-01-10 = day 20463, 2026-02-01 = day 20485
  [featureKey(maturity), { type: "date", data: Float64Array.from([N, 20463, 20485, N, 20470, N]) }],
]);
const band: TagSignature = { code: "BAND", valueType: "ENUM", enumValues: ["LOW", "MID", "HIGH"] };
const tags = new Map<string, { sig: TagSignature; col: Column }>([
  ["BAND", { sig: band, col: { type: "label", data: Int16Array.from([-1, 0, 1, 2, -1, -1]), dict: band.enumValues! } }],
  ["VIP", { sig: { code: "VIP", valueType: "BOOLEAN" }, col: { type: "bool", data: Uint8Array.from([BOOL_NULL, 1, 0, BOOL_NULL, 0, BOOL_NULL]) } }],
]);
const env = {
  sigs: (code: string) => tags.get(code)?.sig,
  feature: (f: FeatureSpec) => features.get(featureKey(f))!,
  tag: (code: string) => tags.get(code)!.col,
};

const f = (x: FeatureSpec): Expr => ({ feature: x });
const c = (x: number | string | boolean): Expr => ({ const: x });

function run(rule: unknown, target: TagSignature = { code: "T", valueType: "BOOLEAN" }): (number | string | null)[] {
  const col = compileRule(parseRule(rule), target, env, exists.length).run(exists);
  return [1, 2, 3, 4, 5].map((i) => {
    switch (col.type) {
      case "bool":
        return col.data[i] === BOOL_NULL ? null : col.data[i]!;
      case "label":
        return col.data[i]! < 0 ? null : col.dict[col.data[i]!]!;
      case "num":
      case "date":
        return Number.isNaN(col.data[i]) ? null : col.data[i]!;
      default:
        throw new Error("unexpected");
    }
  });
}

describe("compiled comparisons (missing values compare false; customer 5 does not exist)", () => {
  it.each([
    ["eq", 5000, [0, 1, 0, 0, null]],
    ["ne", 5000, [1, 0, 1, 0, null]],
    ["gt", 5000, [0, 0, 1, 0, null]],
    ["gte", 5000, [0, 1, 1, 0, null]],
    ["lt", 5000, [1, 0, 0, 0, null]],
    ["lte", 5000, [1, 1, 0, 0, null]],
  ])("%s", (op, value, want) => {
    expect(run({ op, left: f(spend), right: c(value) })).toEqual(want);
  });

  it("compares two expressions, missing on either side is false", () => {
    expect(run({ op: "gt", left: f(age), right: { op: "div", left: f(spend), right: c(100) } })).toEqual([1, 1, 0, 0, null]);
    expect(run({ op: "ne", left: f(age), right: f(spend) })).toEqual([1, 1, 0, 0, null]);
  });

  it("in / notIn over numbers (short and long lists) and labels", () => {
    expect(run({ op: "in", left: f(age), values: [25, 40] })).toEqual([1, 0, 0, 1, null]);
    expect(run({ op: "notIn", left: f(age), values: [25, 40] })).toEqual([0, 1, 0, 0, null]);
    const many = Array.from({ length: 20 }, (_, k) => 100 + k).concat([61]);
    expect(run({ op: "in", left: f(age), values: many })).toEqual([0, 1, 0, 0, null]);
    expect(run({ op: "notIn", left: f(age), values: many })).toEqual([1, 0, 0, 1, null]);
    expect(run({ op: "in", left: f(gender), values: ["M"] })).toEqual([0, 1, 0, 0, null]);
    expect(run({ op: "notIn", left: f(gender), values: ["M"] })).toEqual([1, 0, 0, 1, null]);
    expect(run({ op: "in", left: { tag: "BAND" }, values: ["MID", "HIGH"] })).toEqual([0, 1, 1, 0, null]);
  });

  it("between is inclusive at both ends", () => {
    expect(run({ op: "between", left: f(age), min: 25, max: 40 })).toEqual([1, 0, 0, 1, null]);
    expect(run({ op: "between", left: f(maturity), min: "2026-01-10", max: "2026-01-17" })).toEqual([1, 0, 0, 1, null]);
  });

  it("isNull / isNotNull for every type", () => {
    expect(run({ op: "isNull", arg: f(age) })).toEqual([0, 0, 1, 0, null]);
    expect(run({ op: "isNotNull", arg: f(gender) })).toEqual([1, 1, 0, 1, null]);
    expect(run({ op: "isNull", arg: f(rm) })).toEqual([0, 0, 1, 0, null]);
    expect(run({ op: "isNull", arg: { tag: "BAND" } })).toEqual([0, 0, 0, 1, null]);
  });

  it("labels: eq and ne, and a constant that is no value at all", () => {
    expect(run({ op: "eq", left: f(gender), right: c("F") })).toEqual([1, 0, 0, 1, null]);
    expect(run({ op: "ne", left: f(gender), right: c("F") })).toEqual([0, 1, 0, 0, null]);
    expect(run({ op: "eq", left: f(gender), right: c("X") })).toEqual([0, 0, 0, 0, null]);
    expect(run({ op: "ne", left: c("X"), right: f(gender) })).toEqual([1, 1, 0, 1, null]);
  });

  it("booleans: as conditions, compared, and dates against ISO constants", () => {
    expect(run(f(rm))).toEqual([1, 0, null, 1, null]); // the value itself, missing included
    expect(run({ op: "eq", left: f(rm), right: c(false) })).toEqual([0, 1, 0, 0, null]);
    expect(run({ op: "eq", left: { tag: "VIP" }, right: f(rm) })).toEqual([1, 1, 0, 0, null]);
    expect(run({ op: "lt", left: f(maturity), right: c("2026-02-01") })).toEqual([1, 0, 0, 1, null]);
  });
});

describe("compiled boolean logic", () => {
  const old = { op: "gte", left: f(age), right: c(60) };
  const spender = { op: "gt", left: f(spend), right: c(1000) };
  it("and / or / not; not of a comparison with a missing value is true", () => {
    expect(run({ op: "and", args: [old, spender] })).toEqual([0, 1, 0, 0, null]);
    expect(run({ op: "or", args: [old, spender] })).toEqual([0, 1, 1, 0, null]);
    expect(run({ op: "not", arg: old })).toEqual([1, 0, 1, 1, null]);
    expect(run({ op: "and", args: [c(true), { op: "not", arg: c(false) }] })).toEqual([1, 1, 1, 1, null]);
  });
});

describe("compiled values", () => {
  it("arithmetic with missing operands and division by zero", () => {
    const t: TagSignature = { code: "N", valueType: "NUMBER" };
    expect(run({ op: "add", left: f(age), right: c(1) }, t)).toEqual([26, 62, null, 41, null]);
    expect(run({ op: "sub", left: f(spend), right: f(age) }, t)).toEqual([-25, 4939, null, null, null]);
    expect(run({ op: "mul", left: f(age), right: c(0.5) }, t)).toEqual([12.5, 30.5, null, 20, null]);
    expect(run({ op: "div", left: f(age), right: f(spend) }, t)).toEqual([null, 61 / 5000, null, null, null]);
  });

  it("bucket: k = number of bounds at or below the value; missing stays missing", () => {
    const rule = { op: "bucket", arg: f(spend), bounds: [1, 5000, 10000], labels: ["LOW", "LOW", "MID", "HIGH"] };
    expect(run(rule, band)).toEqual(["LOW", "MID", "HIGH", null, null]);
  });

  it("case: first true branch wins, else, and missing without else", () => {
    const rule = {
      op: "case",
      when: [
        { if: { op: "gt", left: f(spend), right: c(10000) }, then: c("HIGH") },
        { if: { op: "gt", left: f(spend), right: c(1000) }, then: c("MID") },
        { if: { op: "gte", left: f(spend), right: c(0) }, then: c("HIGH") },
      ],
      else: c("LOW"),
    };
    expect(run(rule, band)).toEqual(["HIGH", "MID", "HIGH", "LOW", null]);
    const noElse = { op: "case", when: [{ if: { op: "gt", left: f(age), right: c(30) }, then: f(spend) }] };
    expect(run(noElse, { code: "N", valueType: "NUMBER" })).toEqual([null, 5000, null, null, null]);
    const boolCase = { op: "case", when: [{ if: { op: "isNull", arg: f(age) }, then: c(true) }, { if: f(rm), then: c(false) }] };
    expect(run(boolCase)).toEqual([0, null, 1, 0, null]);
  });

  it("an ENUM tag from a label feature maps values by name", () => {
    const t: TagSignature = { code: "G", valueType: "ENUM", enumValues: ["M", "F"] };
    expect(run(f(gender), t)).toEqual(["F", "M", null, "F", null]);
    const partial: TagSignature = { code: "G2", valueType: "ENUM", enumValues: ["M"] };
    expect(run(f(gender), partial)).toEqual([null, "M", null, null, null]);
  });

  it("a DATE tag from a date feature", () => {
    expect(run(f(maturity), { code: "D", valueType: "DATE" })).toEqual([20463, 20485, null, 20470, null]);
  });
});

describe("compiled code", () => {
  it("never contains rule text: labels become codes, constants numbers", () => {
    const { source } = compileRule(parseRule({ op: "eq", left: f(gender), right: c("M") }), { code: "T", valueType: "BOOLEAN" }, env, 6);
    expect(source).not.toContain('"M"');
    expect(source).toMatch(/v0 === 1/);
  });

  it("refuses a rule whose type does not fit the tag", () => {
    expect(() => compileRule(parseRule(f(spend)), { code: "T", valueType: "BOOLEAN" }, env, 6)).toThrow(RuleError);
    expect(() => compileRule(parseRule(c("GOLD")), band, env, 6)).toThrow(/not one of the values of BAND/);
  });
});
