/**
 * `tags` suite, case `rules`: the rule engine alone, over synthetic precomputed features.
 * Random but deterministic rule tags (booleans from condition trees, enums from buckets and
 * cases, numbers from arithmetic; later tags read earlier ones) are evaluated by the compiled
 * loops on every customer and by a tree-walking interpreter on a prefix; both must agree.
 */
import { firstDifference } from "../../packages/core/src/tags/baseline";
import type { TagSignature } from "../../packages/core/src/tags/check";
import { evaluateTags, planTags, signaturesOf, type TagDefinition } from "../../packages/core/src/tags/compute";
import { walk, type Expr } from "../../packages/core/src/tags/rule";
import { BOOL_NULL, type Column } from "../../packages/db/src/tags/columns";
import { featureKey, type FeatureSpec } from "../../packages/db/src/tags/feature-spec";
import { withPeakRss } from "../lib/rss";
import { round } from "../lib/stats";
import type { SuiteContext } from "../lib/suite";

/** xorshift32: the same seed gives the same features and rules. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const NUM_FEATURES: FeatureSpec[] = Array.from({ length: 16 }, (_, k) => ({ kind: "txnAgg", agg: "sum", types: ["CARD_SPEND"], days: k + 1 }));
const LABEL_FEATURES: FeatureSpec[] = (["gender", "province", "occupation", "status"] as const).map((field) => ({ kind: "customer", field }));
const BOOL_FEATURES: FeatureSpec[] = [{ kind: "customer", field: "birthdayThisMonth" }, { kind: "customer", field: "hasRm" }, { kind: "risk", field: "expired" }];
const DICTS = [["M", "F", "U"], Array.from({ length: 31 }, (_, k) => `P${k}`), Array.from({ length: 14 }, (_, k) => `O${k}`), ["ACTIVE", "DORMANT", "CLOSED"]];

function syntheticFeatures(n: number, seed: number): Map<string, Column> {
  const r = rng(seed);
  const out = new Map<string, Column>();
  NUM_FEATURES.forEach((f, k) => {
    const d = new Float64Array(n);
    const scale = 10 ** (1 + (k % 6));
    for (let i = 0; i < n; i++) d[i] = r.next() < 0.1 ? NaN : Math.round(r.next() * r.next() * scale * 100) / 100;
    out.set(featureKey(f), { type: "num", data: d });
  });
  LABEL_FEATURES.forEach((f, k) => {
    const dict = DICTS[k]!;
    const d = new Int16Array(n);
    for (let i = 0; i < n; i++) d[i] = r.next() < 0.05 ? -1 : r.int(dict.length);
    out.set(featureKey(f), { type: "label", data: d, dict });
  });
  for (const f of BOOL_FEATURES) {
    const d = new Uint8Array(n);
    for (let i = 0; i < n; i++) d[i] = r.next() < 0.05 ? BOOL_NULL : r.next() < 0.3 ? 1 : 0;
    out.set(featureKey(f), { type: "bool", data: d });
  }
  return out;
}

/** `count` rule tags; tag j may read tags among the first 40 (kept in memory as dependencies). */
function syntheticRules(count: number, seed: number): TagDefinition[] {
  const r = rng(seed ^ 0x9e3779b9);
  const defs: TagDefinition[] = [];
  const numLeaf = (): Expr => {
    const deps = defs.filter((d, j) => j < 40 && d.valueType === "NUMBER");
    return deps.length && r.next() < 0.2 ? { tag: r.pick(deps).code } : { feature: r.pick(NUM_FEATURES) };
  };
  const cond = (depth: number): Expr => {
    if (depth > 0 && r.next() < 0.6) {
      const op = r.pick(["and", "and", "or", "not"] as const);
      return op === "not" ? { op, arg: cond(depth - 1) } : { op, args: Array.from({ length: 2 + r.int(2) }, () => cond(depth - 1)) };
    }
    const boolDeps = defs.filter((d, j) => j < 40 && d.valueType === "BOOLEAN");
    switch (r.int(7)) {
      case 0:
        return { op: r.pick(["gt", "gte", "lt", "lte"] as const), left: numLeaf(), right: { const: Math.round(r.next() * 1000) } };
      case 1:
        return { op: r.pick(["eq", "ne"] as const), left: numLeaf(), right: numLeaf() };
      case 2:
        return { op: "between", left: numLeaf(), min: 10, max: 10 + Math.round(r.next() * 5000) };
      case 3: {
        const k = r.int(LABEL_FEATURES.length);
        const dict = DICTS[k]!;
        return { op: r.pick(["in", "notIn"] as const), left: { feature: LABEL_FEATURES[k]! }, values: dict.filter(() => r.next() < 0.4).concat(dict[0]!) };
      }
      case 4:
        return { op: r.pick(["isNull", "isNotNull"] as const), arg: numLeaf() };
      case 5:
        return boolDeps.length && r.next() < 0.5 ? { tag: r.pick(boolDeps).code } : { feature: r.pick(BOOL_FEATURES) };
      default: {
        const k = r.int(LABEL_FEATURES.length);
        return { op: r.pick(["eq", "ne"] as const), left: { feature: LABEL_FEATURES[k]! }, right: { const: r.pick(DICTS[k]!) } };
      }
    }
  };
  for (let j = 0; j < count; j++) {
    const code = `R${String(j).padStart(4, "0")}`;
    const kind = r.next();
    // Condition trees of one or two levels: about three leaves on average, twice the starter
    // library's (1.4) — bank tags are mostly a few conditions.
    if (kind < 0.65) defs.push({ id: j + 1, code, version: 1, valueType: "BOOLEAN", rule: cond(r.next() < 0.2 ? 2 : 1) });
    else if (kind < 0.9) {
      const labels = ["A", "B", "C", "D", "E"].slice(0, 3 + r.int(3));
      const bounds = labels.slice(1).map((_, k) => (k + 1) * Math.round(50 + r.next() * 200));
      const rule: Expr =
        r.next() < 0.6
          ? { op: "bucket", arg: numLeaf(), bounds, labels }
          : { op: "case", when: labels.slice(1).map((l) => ({ if: cond(1), then: { const: l } })), else: { const: labels[0]! } };
      defs.push({ id: j + 1, code, version: 1, valueType: "ENUM", enumValues: labels, rule });
    } else {
      const op = r.pick(["add", "sub", "mul", "div"] as const);
      defs.push({ id: j + 1, code, version: 1, valueType: "NUMBER", rule: { op, left: numLeaf(), right: r.next() < 0.5 ? numLeaf() : { const: 1 + r.int(100) } } });
    }
  }
  return defs;
}

// ── The baseline: a tree-walking interpreter with the semantics of rule.ts. ──
type V = number | string | boolean | null;

function interpreter(features: Map<string, Column>, tags: Map<string, Column>, sigs: (c: string) => TagSignature | undefined) {
  const read = (c: Column, i: number): V => {
    switch (c.type) {
      case "bool":
        return c.data[i] === BOOL_NULL ? null : c.data[i] === 1;
      case "label":
        return c.data[i]! < 0 ? null : c.dict[c.data[i]!]!;
      case "text":
        return c.data[i] ?? null;
      default:
        return Number.isNaN(c.data[i]) ? null : c.data[i]!;
    }
  };
  const value = (e: Expr, i: number): V => {
    if ("const" in e) return e.const;
    if ("feature" in e) return read(features.get(featureKey(e.feature))!, i);
    if ("tag" in e) return read(tags.get(e.tag)!, i);
    switch (e.op) {
      case "add":
      case "sub":
      case "mul":
      case "div": {
        const a = value(e.left, i) as number | null;
        const b = value(e.right, i) as number | null;
        if (a === null || b === null) return null;
        if (e.op === "div") return b === 0 ? null : a / b;
        return e.op === "add" ? a + b : e.op === "sub" ? a - b : a * b;
      }
      case "bucket": {
        const x = value(e.arg, i) as number | null;
        return x === null ? null : e.labels[e.bounds.filter((b) => b <= x).length]!;
      }
      case "case": {
        for (const w of e.when) if (truth(w.if, i)) return value(w.then, i);
        return e.else ? value(e.else, i) : null;
      }
      default:
        return truth(e, i);
    }
  };
  const truth = (e: Expr, i: number): boolean => {
    if ("const" in e) return e.const === true;
    if ("feature" in e || "tag" in e) return value(e, i) === true;
    switch (e.op) {
      case "and":
        return e.args.every((a) => truth(a, i));
      case "or":
        return e.args.some((a) => truth(a, i));
      case "not":
        return !truth(e.arg, i);
      case "isNull":
        return value(e.arg, i) === null;
      case "isNotNull":
        return value(e.arg, i) !== null;
      case "between": {
        const x = value(e.left, i) as number | null;
        return x !== null && x >= (e.min as number) && x <= (e.max as number);
      }
      case "in":
      case "notIn": {
        const x = value(e.left, i);
        return x !== null && (e.values as V[]).includes(x) === (e.op === "in");
      }
      case "eq":
      case "ne":
      case "gt":
      case "gte":
      case "lt":
      case "lte": {
        const a = value(e.left, i);
        const b = value(e.right, i);
        if (a === null || b === null) return false;
        switch (e.op) {
          case "eq":
            return a === b;
          case "ne":
            return a !== b;
          case "gt":
            return a > b;
          case "gte":
            return a >= b;
          case "lt":
            return a < b;
          default:
            return a <= b;
        }
      }
      case "case":
        return value(e, i) === true;
      default:
        throw new Error(`not a condition: ${e.op}`);
    }
  };
  return (def: TagDefinition, n: number): Column => {
    switch (sigs(def.code)!.valueType) {
      case "BOOLEAN": {
        const d = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const v = value(def.rule!, i);
          d[i] = v === null ? BOOL_NULL : v ? 1 : 0;
        }
        return { type: "bool", data: d };
      }
      case "ENUM": {
        const dict = def.enumValues!;
        const d = new Int16Array(n);
        for (let i = 0; i < n; i++) {
          const v = value(def.rule!, i);
          d[i] = v === null ? -1 : dict.indexOf(String(v));
        }
        return { type: "label", data: d, dict };
      }
      default: {
        const d = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = value(def.rule!, i);
          d[i] = v === null ? NaN : (v as number);
        }
        return { type: "num", data: d };
      }
    }
  };
}

/** `--name=N` (the harness passes options it does not know as strings only in that form). */
function intArg(ctx: SuiteContext, name: string, fallback: number): number {
  const v = ctx.args[name];
  if (v === undefined) return fallback;
  const n = typeof v === "string" ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer: --${name}=N`);
  return n;
}

const prefix = (c: Column, n: number): Column =>
  c.type === "text" ? { ...c, data: c.data.slice(0, n) } : ({ ...c, data: c.data.subarray(0, n) } as Column);

export async function runRulesCase(ctx: SuiteContext) {
  // --rules-scale (--rule-customers is its older name); the batch case's --scale does not apply.
  const customers = intArg(ctx, "rules-scale", intArg(ctx, "rule-customers", 10_000_000));
  const tagCount = intArg(ctx, "rule-tags", 300);
  const interpreted = Math.min(customers, intArg(ctx, "interpreter-customers", 200_000));
  const size = customers + 1;
  ctx.log(`rules: ${customers} customers × ${tagCount} rule tags over synthetic features`);
  const features = syntheticFeatures(size, ctx.seed);
  const exists = new Uint8Array(size).fill(1);
  exists[0] = 0;
  const plan = planTags(syntheticRules(tagCount, ctx.seed));
  let leafCount = 0;
  for (const d of plan.order) walk(d.rule!, (x) => void (("feature" in x || "tag" in x) && leafCount++));
  const avgLeaves = round(leafCount / tagCount);
  const sigs = signaturesOf(plan.order);

  // Platform: the product's engine (compute.ts: compiled loops, block by block) on every customer.
  const platform = await withPeakRss(async () => {
    const t0 = performance.now();
    const evaluated = evaluateTags(plan, { exists, features });
    return { ms: performance.now() - t0, evaluated };
  });
  const prefixes = new Map([...platform.result.evaluated].map(([code, t]) => [code, prefix(t.column, interpreted + 1)]));
  const platformMs = platform.result.ms;
  ctx.emit({ case: "rules", variant: "platform", scale: customers, runs: 1, tags: tagCount, wall_ms: Math.round(platformMs), p50_ms: round(platformMs / tagCount), p95_ms: round(platformMs / tagCount), p99_ms: round(platformMs / tagCount), per_tag_ms: round(platformMs / tagCount), per_s: Math.round((customers * tagCount * 1000) / platformMs), peak_rss_mb: platform.peakRssMb, avg_leaves: avgLeaves });

  // Baseline: the interpreter on the prefix, tags in the same order.
  ctx.log(`rules baseline: interpreter on ${interpreted} customers`);
  const interpretedTags = new Map<string, Column>();
  const interpret = interpreter(
    new Map([...features].map(([k, c]) => [k, prefix(c, interpreted + 1)])),
    interpretedTags,
    sigs,
  );
  const baseline = await withPeakRss(async () => {
    const t0 = performance.now();
    for (const def of plan.order) interpretedTags.set(def.code, interpret(def, interpreted + 1));
    return performance.now() - t0;
  });
  const baselineMs = baseline.result;
  const perTagBaseline = (baselineMs / tagCount) * (customers / interpreted);
  ctx.emit({ case: "rules", variant: "baseline", scale: interpreted, runs: 1, tags: tagCount, wall_ms: Math.round(baselineMs), per_tag_ms: round(baselineMs / tagCount), per_s: Math.round((interpreted * tagCount * 1000) / baselineMs), peak_rss_mb: baseline.peakRssMb, extrapolated_wall_ms_at_scale: Math.round(perTagBaseline * tagCount) });

  const mismatches = plan.order.filter((d) => {
    const a = prefixes.get(d.code)!;
    const b = interpretedTags.get(d.code)!;
    const diff = firstDifference(a, b);
    if (diff) ctx.log(`  ${d.code} differs at customer ${diff.index}: ${String(diff.a)} vs ${String(diff.b)}`);
    return diff !== null;
  });
  const speedup = round((baselineMs / interpreted) / (platformMs / customers));
  return {
    ok: mismatches.length === 0,
    speedup,
    platformMs: Math.round(platformMs),
    checked: `rules: ${tagCount} tags, compiled vs interpreted on ${interpreted} customers ${mismatches.length ? `— ${mismatches.length} differ` : "equal"}`,
  };
}
