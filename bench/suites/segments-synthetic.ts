/**
 * `segments --synthetic`: the `count` case at a scale too large to seed (10M customers). The
 * index is synthesized directly — org paths (10 branches × 4 sub-branches), 34 tags (12 boolean,
 * 8 enum, 12 number, 2 date; 5–40% missing), day-bucketed behaviour of 6 event types and holdings
 * of 8 categories — through the same builders the database path uses (buildTagIndex,
 * BehaviorIndex, HoldingIndex, ScopeIndex). 1,000 random trees are counted on it, the leaf cache
 * cleared before each (wall and CPU time per tree: CPU time shows the work when the shared machine
 * is loaded; `load_1m` is the load average at the end); the baseline is
 * a customer-by-customer interpreter of the rule over the same raw columns (a table scan in
 * memory), run on --baseline-trees=N (default 20) trees, whose counts must be identical.
 */
import { loadavg } from "node:os";
import type { OrgScope } from "../../packages/core/src/auth/scope";
import { BehaviorIndex, type EventLists } from "../../packages/core/src/segments/index/behavior";
import type { CatalogueTag } from "../../packages/core/src/segments/index/catalogue";
import { windowStartDay } from "../../packages/core/src/segments/index/days";
import { HoldingIndex } from "../../packages/core/src/segments/index/holding";
import { randomRule, seededRandom, vocabularyOf } from "../../packages/core/src/segments/index/random-rules";
import { IdList, inRange } from "../../packages/core/src/segments/index/range";
import { ScopeIndex } from "../../packages/core/src/segments/index/scope";
import { SegmentIndex } from "../../packages/core/src/segments/index/segment-index";
import { buildTagIndex, leafLabels, leafRange, numeric, type TagIndex } from "../../packages/core/src/segments/index/tag-index";
import { PRODUCT_CATEGORIES, type SegmentRule, type TagValueType } from "../../packages/core/src/segments/rule";
import type { Column } from "../../packages/db/src/tags/columns";
import { sampleRss } from "../lib/rss";
import { round, summarize } from "../lib/stats";
import type { SuiteContext, SuiteSummary } from "../lib/suite";
import { TREES } from "./segments";

const TODAY = 20_634; // 2026-06-30
const TXN = ["PAYROLL", "CARD_SPEND", "TRANSFER_OUT", "DEPOSIT"];
const APP = ["LOGIN", "VIEW_PRODUCT"];

interface Raw {
  orgOf: Uint8Array;
  paths: string[];
  columns: Map<string, { type: TagValueType; column: Column }>;
  behavior: Map<string, EventLists>;
  holdings: Map<string, { ids: Uint32Array; sums: Float64Array }>;
}

export function synthesize(n: number, seed: number, log: (m: string) => void): { index: SegmentIndex; raw: Raw } {
  const r = seededRandom(seed);
  const size = n + 1;
  const paths: string[] = [];
  for (let b = 1; b <= 10; b++) for (let s = 1; s <= 4; s++) paths.push(`/HO/BR${String(b).padStart(2, "0")}/BR${String(b).padStart(2, "0")}S0${s}/`);
  const orgOf = new Uint8Array(size);
  const pathLists = paths.map(() => new IdList(Math.ceil(n / paths.length) + 16));
  for (let i = 1; i <= n; i++) {
    const p = Math.floor(r() * paths.length);
    orgOf[i] = p;
    pathLists[p]!.push(i);
  }
  const scopes = new ScopeIndex(new Map(paths.map((p, k) => [p, pathLists[k]!.toBitmap()])), new Map(), n);
  log("  scopes");

  const columns = new Map<string, { type: TagValueType; column: Column }>();
  const catalogue = new Map<string, CatalogueTag>();
  const tags = new Map<string, TagIndex>();
  let tagId = 0;
  const add = (code: string, type: TagValueType, column: Column, enumValues?: string[]) => {
    columns.set(code, { type, column });
    catalogue.set(code, { id: ++tagId, code, valueType: type, enumValues, realtime: false });
    tags.set(code, buildTagIndex(code, { runId: 0, tagId, version: 1, valueType: type, column }));
  };
  for (let k = 0; k < 12; k++) {
    const d = new Uint8Array(size).fill(255);
    const p = 0.05 + (k * 0.55) / 11;
    for (let i = 1; i <= n; i++) if (r() >= 0.05) d[i] = r() < p ? 1 : 0;
    add(`B_${k}`, "BOOLEAN", { type: "bool", data: d });
  }
  for (let k = 0; k < 8; k++) {
    const dict = Array.from({ length: 3 + k }, (_, j) => `V${j}`);
    const d = new Int16Array(size).fill(-1);
    for (let i = 1; i <= n; i++) if (r() >= 0.05) d[i] = Math.floor(r() * r() * dict.length);
    add(`E_${k}`, "ENUM", { type: "label", data: d, dict }, dict);
  }
  for (let k = 0; k < 12; k++) {
    const d = new Float64Array(size).fill(NaN);
    const missing = 0.05 + (k % 4) * 0.1;
    for (let i = 1; i <= n; i++) {
      if (r() < missing) continue;
      d[i] = k % 3 === 0 ? Math.floor(r() * 100) : k % 3 === 1 ? (r() < 0.4 ? 0 : Math.round(r() * r() * 10 ** (3 + (k % 4)) * 100) / 100) : Math.floor(r() * r() * 60);
    }
    add(`N_${k}`, "NUMBER", { type: "num", data: d });
  }
  for (let k = 0; k < 2; k++) {
    const d = new Float64Array(size).fill(NaN);
    for (let i = 1; i <= n; i++) if (r() >= 0.3) d[i] = TODAY - 400 + Math.floor(r() * 600);
    add(`D_${k}`, "DATE", { type: "date", data: d });
  }
  log(`  ${tags.size} tags`);

  const behavior = new Map<string, EventLists>();
  for (const key of [...TXN.map((t) => `txn:${t}`), ...APP.map((t) => `app:${t}`)]) {
    const customers = new IdList(n / 2);
    const offsets: number[] = [0];
    const days = new IdList(n);
    const counts = new IdList(n);
    for (let i = 1; i <= n; i++) {
      if (r() >= 0.3) continue;
      const k = 1 + Math.floor(r() * 3);
      const ds = Array.from({ length: k }, () => TODAY - Math.floor(r() * 366)).sort((a, b) => b - a);
      customers.push(i);
      let last = NaN;
      for (const day of ds) {
        if (day === last) continue;
        days.push(day);
        counts.push(1 + Math.floor(r() * 3));
        last = day;
      }
      offsets.push(days.length);
    }
    behavior.set(key, { customers: customers.view().slice(), offsets: Uint32Array.from(offsets), days: Int32Array.from(days.view()), counts: days.length ? counts.view().slice() : new Uint32Array() });
  }
  log("  behaviour");

  const holdings = new Map<string, { ids: Uint32Array; sums: Float64Array }>();
  PRODUCT_CATEGORIES.forEach((c, k) => {
    const ids = new IdList(n / 2);
    const sums: number[] = [];
    const p = 0.1 + k * 0.07;
    for (let i = 1; i <= n; i++) {
      if (r() >= p) continue;
      ids.push(i);
      sums.push(Math.round(r() * r() * 500_000 * 100) / 100);
    }
    holdings.set(`C:${c}`, { ids: ids.view().slice(), sums: Float64Array.from(sums) });
  });
  log("  holdings");

  const behaviorIndex = BehaviorIndex.fromLists(behavior, TODAY - 400);
  behaviorIndex.prepare(TODAY);
  const index = new SegmentIndex({
    catalogue,
    tags,
    scopes,
    behavior: behaviorIndex,
    holdings: HoldingIndex.fromSums(holdings),
    runId: 0,
    runAsOf: -Infinity,
  });
  return { index, raw: { orgOf, paths, columns, behavior, holdings } };
}

/** The baseline: the rule interpreted customer by customer over the raw columns. */
function interpret(raw: Raw, rule: SegmentRule, scope: OrgScope, n: number): number {
  const lower = (xs: ArrayLike<number>, x: number) => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const test = (node: SegmentRule, id: number): boolean => {
    switch (node.kind) {
      case "group": {
        const v = node.op === "and" ? node.children.every((c) => test(c, id)) : node.children.some((c) => test(c, id));
        return node.not ? !v : v;
      }
      case "tag": {
        const { type, column } = raw.columns.get(node.tag)!;
        let value: number | string | null;
        if (column.type === "bool") value = column.data[id] === 255 ? null : column.data[id] === 1 ? "true" : "false";
        else if (column.type === "label") value = column.data[id]! < 0 ? null : column.dict[column.data[id]!]!;
        else if (column.type === "num" || column.type === "date") value = Number.isNaN(column.data[id]!) ? null : column.data[id]!;
        else value = null;
        if (node.op === "isEmpty") return value === null;
        if (value === null) return false;
        if (node.op === "isNotEmpty") return true;
        if (typeof value === "number") {
          if (node.op === "ne") return value !== numeric(type, node.value);
          if (node.op === "in" || node.op === "notIn") return node.values.map(Number).includes(value) === (node.op === "in");
          return inRange(value, leafRange(node, type, TODAY)!);
        }
        const all = type === "BOOLEAN" ? ["true", "false"] : (column as { dict: string[] }).dict;
        return leafLabels(node, type, all)!.has(value);
      }
      case "behavior": {
        const l = raw.behavior.get(`${node.source}:${node.eventType}`);
        let sum = 0;
        if (l) {
          const k = lower(l.customers, id);
          if (l.customers[k] === id) {
            const from = windowStartDay(TODAY, node.lastDays);
            for (let i = l.offsets[k]!; i < l.offsets[k + 1]!; i++) if (l.days[i]! >= from && l.days[i]! <= TODAY) sum += l.counts[i]!;
          }
        }
        return sum >= node.atLeast === node.did;
      }
      case "holding": {
        const h = raw.holdings.get(node.category ? `C:${node.category}` : `P:${node.productCode}`);
        let held = false;
        if (h) {
          const k = lower(h.ids, id);
          held = h.ids[k] === id && (node.minAmount === undefined || h.sums[k]! >= node.minAmount);
        }
        return held === node.held;
      }
      case "segment":
        throw new Error("no segment leaves here");
    }
  };
  let count = 0;
  for (let id = 1; id <= n; id++) if (raw.paths[raw.orgOf[id]!]!.startsWith(scope.orgPath) && test(rule, id)) count++;
  return count;
}

export async function runSyntheticCount(ctx: SuiteContext): Promise<SuiteSummary> {
  const n = ctx.scale;
  ctx.log(`synthesizing the index for ${n} customers`);
  const buildRss = sampleRss();
  const t0 = performance.now();
  const { index, raw } = synthesize(n, ctx.seed, ctx.log);
  const buildMs = performance.now() - t0;
  const buildPeak = buildRss.stop();
  ctx.log(`  built in ${Math.round(buildMs)} ms, ~${Math.round(index.sizeInBytes() / 1048576)} MiB`);

  const vocab = { ...vocabularyOf(index, { appEventTypes: APP, productCodes: [] }), txnTypes: TXN };
  const rand = seededRandom(ctx.seed);
  const trees = Array.from({ length: TREES }, () => randomRule(rand, vocab, 4));
  const ho: OrgScope = { kind: "subtree", orgPath: "/HO/" };
  const br: OrgScope = { kind: "subtree", orgPath: "/HO/BR01/" };
  const scopeOf = (i: number) => (i % 4 === 3 ? br : ho);
  const now = new Date((TODAY * 86_400 + 7 * 3600) * 1000); // 15:00 bank time
  const segments = new Map();

  ctx.log(`count: platform, ${TREES} trees (leaf cache cleared before each)`);
  const rss = sampleRss();
  const ms: number[] = [];
  const cpuMs: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < TREES; i++) {
    index.clearLeafCache(); // every tree from its leaves: no help from the trees before it
    const c0 = process.cpuUsage();
    const t = performance.now();
    counts.push(index.count(trees[i]!, scopeOf(i), segments, now));
    ms.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  const load = loadavg()[0]!;
  const peak = Math.max(rss.stop(), buildPeak);
  const checkTrees = Math.min(TREES, Number(ctx.args["baseline-trees"] ?? 20));
  ctx.log(`count: baseline (interpreter over the columns), ${checkTrees} trees`);
  const baseMs: number[] = [];
  const mismatches: string[] = [];
  for (let i = 0; i < checkTrees; i++) {
    const t = performance.now();
    const c = interpret(raw, trees[i]!, scopeOf(i), n);
    baseMs.push(performance.now() - t);
    if (c !== counts[i]) mismatches.push(`tree ${i}: index ${counts[i]} interpreter ${c} ${JSON.stringify(trees[i])}`);
  }
  if (mismatches.length) ctx.log(`mismatches:\n${mismatches.slice(0, 5).join("\n")}`);
  const nonTrivial = counts.filter((c) => c > 0 && c < n).length;
  ctx.emit({ case: "count", variant: "baseline", scale: n, ...summarize(baseMs), synthetic: true, baseline: "interpreter over columns" });
  const cpu = summarize(cpuMs);
  ctx.emit({
    case: "count",
    variant: "platform",
    scale: n,
    ...summarize(ms),
    cpu_p50_ms: cpu.p50_ms,
    cpu_p99_ms: cpu.p99_ms,
    load_1m: round(load),
    peak_rss_mb: peak,
    synthetic: true,
    index_build_ms: Math.round(buildMs),
    index_mb: Math.round(index.sizeInBytes() / 1048576),
    non_trivial_trees: nonTrivial,
  });
  return {
    speedup: round(summarize(baseMs).p50_ms / summarize(ms.slice(0, checkTrees)).p50_ms),
    checked: `synthetic index; ${checkTrees} of ${TREES} rule trees checked against a column interpreter, counts ${mismatches.length ? `differ on ${mismatches.length}` : "equal"}; ${nonTrivial} trees with 0 < count < all`,
    ok: mismatches.length === 0,
  };
}
