import { describe, expect, it } from "vitest";
import { checkTagRule, type TagSignature } from "./check";
import { planTags, tagDefinition, type TagDefinition } from "./compute";
import { CycleError, dependencyOrder, MAX_DEPENDENCY_DEPTH } from "./graph";
import { parseRule, RULE_LIMITS, RuleError, ruleDependencies } from "./rule";

const spend = { feature: { kind: "txnAgg", agg: "sum", types: ["CARD_SPEND"], days: 30 } };

describe("parseRule", () => {
  it("accepts every node kind", () => {
    const rule = {
      op: "case",
      when: [
        {
          if: {
            op: "and",
            args: [
              { op: "or", args: [{ op: "gt", left: spend, right: { const: 1 } }, { op: "not", arg: { tag: "VIP" } }] },
              { op: "in", left: { feature: { kind: "customer", field: "province" } }, values: ["广东", "浙江"] },
              { op: "between", left: { feature: { kind: "customer", field: "age" } }, min: 18, max: 60 },
              { op: "isNotNull", arg: { feature: { kind: "risk", field: "level" } } },
            ],
          },
          then: { op: "bucket", arg: { op: "div", left: spend, right: { const: 100 } }, bounds: [1, 2], labels: ["A", "B", "C"] },
        },
      ],
      else: { const: "A" },
    };
    expect(parseRule(rule)).toEqual(rule);
  });

  it("rejects unknown fields and operators, naming the path", () => {
    expect(() => parseRule({ op: "gt", left: spend, right: { const: 1 }, extra: 1 })).toThrow(RuleError);
    expect(() => parseRule({ op: "like", left: spend, right: { const: 1 } })).toThrow(RuleError);
    expect(() => parseRule({ op: "gt", left: { feature: { kind: "txnAgg", agg: "sum", types: ["CARD_SPEND"], days: 9999 } }, right: { const: 1 } })).toThrow(RuleError);
  });

  it("rejects SQL-ish text in labels and event types", () => {
    expect(() => parseRule({ op: "eq", left: { tag: "AB" }, right: { const: "x' OR 1=1 --" } })).toThrow(/quotes/);
    expect(() => parseRule({ feature: { kind: "eventCount", types: ["LOGIN'); DROP TABLE customer; --"], days: 30 } })).toThrow(RuleError);
    expect(() => parseRule({ tag: "lower_case" })).toThrow(/tag code/);
  });

  it("bucket: labels one more than bounds, bounds strictly ascending", () => {
    expect(() => parseRule({ op: "bucket", arg: spend, bounds: [1, 2], labels: ["A", "B"] })).toThrow(/one more/);
    expect(() => parseRule({ op: "bucket", arg: spend, bounds: [2, 1], labels: ["A", "B", "C"] })).toThrow(/ascending/);
  });

  it("refuses trees deeper than the limit without overflowing the stack", () => {
    let deep: unknown = { const: true };
    for (let i = 0; i < 100_000; i++) deep = { op: "not", arg: deep };
    expect(() => parseRule(deep)).toThrow(`deeper than ${RULE_LIMITS.maxDepth}`);
    let ok: unknown = { const: true };
    for (let i = 1; i < RULE_LIMITS.maxDepth; i++) ok = { op: "not", arg: ok };
    expect(() => parseRule(ok)).not.toThrow();
  });

  it("refuses trees with too many nodes", () => {
    const wide = { op: "or", args: Array.from({ length: RULE_LIMITS.maxNodes }, () => ({ op: "gt", left: spend, right: { const: 1 } })) };
    expect(() => parseRule(wide)).toThrow(`more than ${RULE_LIMITS.maxNodes} nodes`);
  });

  it("lists the tags a rule reads", () => {
    expect(ruleDependencies(parseRule({ op: "and", args: [{ tag: "AA" }, { op: "not", arg: { tag: "BB" } }, { tag: "AA" }] }))).toEqual(["AA", "BB"]);
  });
});

describe("checkTagRule", () => {
  const tags: Record<string, TagSignature> = {
    VIP: { code: "VIP", valueType: "BOOLEAN" },
    BAND: { code: "BAND", valueType: "ENUM", enumValues: ["LOW", "HIGH"] },
    NOTE: { code: "NOTE", valueType: "TEXT" },
  };
  const sigs = (c: string) => tags[c];
  const bool: TagSignature = { code: "T", valueType: "BOOLEAN" };
  const check = (rule: unknown, target = bool) => checkTagRule(parseRule(rule), target, sigs);

  it("accepts well-typed rules", () => {
    expect(() => check({ op: "and", args: [{ tag: "VIP" }, { op: "eq", left: { tag: "BAND" }, right: { const: "HIGH" } }] })).not.toThrow();
    expect(() => check({ op: "isNull", arg: { tag: "NOTE" } })).not.toThrow();
  });

  it("names the problem and where it is", () => {
    expect(() => check({ op: "and", args: [{ tag: "VIP" }, spend] })).toThrow("args.1: expected bool, got num");
    expect(() => check({ op: "eq", left: { tag: "BAND" }, right: { const: "MID" } })).toThrow('"MID" is not a value of tag BAND');
    expect(() => check({ op: "gt", left: { tag: "BAND" }, right: { const: "LOW" } })).toThrow("cannot gt label with str");
    expect(() => check({ op: "in", left: spend, values: ["A"] })).toThrow("num compared with labels");
    expect(() => check({ op: "between", left: spend, min: 5, max: 1 })).toThrow("min is greater than max");
    expect(() => check({ tag: "NOPE" })).toThrow("unknown tag NOPE");
    expect(() => check({ op: "case", when: [{ if: { tag: "VIP" }, then: { const: 1 } }], else: { const: "A" } }, { code: "X", valueType: "NUMBER" })).toThrow(
      "different types",
    );
    expect(() => check(spend)).toThrow("rule gives num, tag T is BOOLEAN");
  });
});

describe("dependency order", () => {
  it("puts dependencies first and keeps input order otherwise", () => {
    const deps = new Map([
      ["C", ["B"]],
      ["A", []],
      ["B", ["A"]],
      ["D", []],
    ]);
    expect(dependencyOrder(deps)).toEqual(["A", "B", "C", "D"]);
  });

  it("rejects a cycle with its path", () => {
    const deps = new Map([
      ["A", ["B"]],
      ["B", ["C"]],
      ["C", ["A"]],
    ]);
    try {
      dependencyOrder(deps);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CycleError);
      expect((err as CycleError).cycle).toEqual(["A", "B", "C", "A"]);
      expect((err as Error).message).toBe("dependency cycle: A → B → C → A");
    }
    expect(() => dependencyOrder(new Map([["S", ["S"]]]))).toThrow("S → S");
  });

  it("limits the length of dependency chains", () => {
    const deps = new Map(Array.from({ length: MAX_DEPENDENCY_DEPTH + 1 }, (_, k) => [`T${k}`, k ? [`T${k - 1}`] : []] as [string, string[]]));
    expect(() => dependencyOrder(deps)).toThrow(`limit ${MAX_DEPENDENCY_DEPTH}`);
  });

  it("planTags orders by rule references and collects distinct features", () => {
    const defs: TagDefinition[] = [
      tagDefinition({ id: 1, code: "HIGH_SPENDER", version: 1, valueType: "BOOLEAN", rule: { op: "eq", left: { tag: "SPEND_BAND" }, right: { const: "HIGH" } } }),
      tagDefinition({
        id: 2,
        code: "SPEND_BAND",
        version: 1,
        valueType: "ENUM",
        enumValues: ["LOW", "HIGH"],
        rule: { op: "bucket", arg: spend, bounds: [10000], labels: ["LOW", "HIGH"] },
      }),
      tagDefinition({ id: 3, code: "SPENDS", version: 1, valueType: "BOOLEAN", rule: { op: "gt", left: spend, right: { const: 0 } } }),
    ];
    const plan = planTags(defs);
    expect(plan.order.map((d) => d.code)).toEqual(["SPEND_BAND", "HIGH_SPENDER", "SPENDS"]);
    expect(plan.features).toHaveLength(1);
  });

  it("planTags names the tag whose rule is broken or cyclic", () => {
    const a = tagDefinition({ id: 1, code: "AA", version: 1, valueType: "BOOLEAN", rule: { tag: "BB" } });
    const b = tagDefinition({ id: 2, code: "BB", version: 1, valueType: "BOOLEAN", rule: { op: "not", arg: { tag: "AA" } } });
    expect(() => planTags([a, b])).toThrow("dependency cycle: AA → BB → AA");
    expect(() => tagDefinition({ id: 3, code: "CC", version: 1, valueType: "BOOLEAN", rule: { op: "nope" } })).toThrow(/^tag CC:/);
  });
});
