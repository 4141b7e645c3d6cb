/**
 * Quality of a computed tag: coverage (share of customers with a value), distribution, and drift
 * versus the previous run as PSI (population stability index) over the same bins. Numeric tags
 * are binned at the previous run's deciles, so two runs are compared on equal terms; the first
 * run fixes the edges.
 */
import { BOOL_NULL, type Column } from "@mkt/db/tags/columns";
import { z } from "zod";

export const distributionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("categorical"), counts: z.record(z.string(), z.number()) }),
  z.object({
    kind: z.literal("numeric"),
    /** Bin k holds edges[k-1] <= v < edges[k] (open at both ends). */
    edges: z.array(z.number()),
    counts: z.array(z.number()),
    min: z.number().nullable(),
    max: z.number().nullable(),
    mean: z.number().nullable(),
  }),
]);
export type Distribution = z.infer<typeof distributionSchema>;

export interface ColumnStats {
  customers: number;
  nonNull: number;
  coverage: number;
  distribution: Distribution;
  coverageDelta: number | null;
  psi: number | null;
}

/** Values sampled for quantiles: enough for stable deciles, cheap at 10M customers. */
const QUANTILE_SAMPLE = 100_000;

export function nonNullCount(c: Column, exists: Uint8Array): number {
  let n = 0;
  const d = c.data;
  for (let i = 0; i < exists.length; i++) {
    if (exists[i] !== 1) continue;
    switch (c.type) {
      case "bool":
        if (d[i] !== BOOL_NULL) n++;
        break;
      case "label":
        if ((d[i] as number) >= 0) n++;
        break;
      case "text":
        if (d[i] != null) n++;
        break;
      default:
        if (d[i] === d[i]) n++;
    }
  }
  return n;
}

function categorical(c: Column, exists: Uint8Array): Distribution {
  const counts: Record<string, number> = {};
  if (c.type === "bool") {
    let t = 0;
    let f = 0;
    for (let i = 0; i < exists.length; i++) {
      if (exists[i] !== 1) continue;
      if (c.data[i] === 1) t++;
      else if (c.data[i] === 0) f++;
    }
    return { kind: "categorical", counts: { true: t, false: f } };
  }
  if (c.type === "label") {
    const byCode = new Float64Array(c.dict.length);
    for (let i = 0; i < exists.length; i++) if (exists[i] === 1 && c.data[i]! >= 0) byCode[c.data[i]!]!++;
    c.dict.forEach((label, k) => (counts[label] = byCode[k]!));
    return { kind: "categorical", counts };
  }
  if (c.type === "text") {
    for (let i = 0; i < exists.length; i++) {
      const v = c.data[i];
      if (exists[i] === 1 && v != null) counts[v] = (counts[v] ?? 0) + 1;
    }
    // Free text: keep the 20 most frequent values.
    return { kind: "categorical", counts: Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 20)) };
  }
  throw new Error("not a categorical column");
}

function decileEdges(values: Float64Array, exists: Uint8Array, nonNull: number): number[] {
  const stride = Math.max(1, Math.floor(nonNull / QUANTILE_SAMPLE));
  const sample: number[] = [];
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (exists[i] !== 1 || v !== v) continue;
    if (seen++ % stride === 0) sample.push(v);
  }
  if (!sample.length) return [];
  const sorted = Float64Array.from(sample).sort();
  const edges = new Set<number>();
  for (let q = 1; q < 10; q++) edges.add(sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / 10))]!);
  return [...edges].sort((a, b) => a - b);
}

function numeric(values: Float64Array, exists: Uint8Array, edges: number[]): Distribution {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (exists[i] !== 1 || v !== v) continue;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v >= edges[mid]!) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  return { kind: "numeric", edges, counts, min: n ? min : null, max: n ? max : null, mean: n ? sum / n : null };
}

/** PSI between two count vectors over the same bins (proportions floored to avoid log 0). */
export function psi(expected: number[], actual: number[]): number {
  const e = expected.reduce((a, b) => a + b, 0);
  const a = actual.reduce((x, y) => x + y, 0);
  if (!e || !a) return 0;
  let s = 0;
  for (let k = 0; k < Math.max(expected.length, actual.length); k++) {
    const pe = Math.max((expected[k] ?? 0) / e, 1e-4);
    const pa = Math.max((actual[k] ?? 0) / a, 1e-4);
    s += (pa - pe) * Math.log(pa / pe);
  }
  return s;
}

export function columnStats(c: Column, exists: Uint8Array, customers: number, previous?: { coverage: number; distribution: Distribution }): ColumnStats {
  const nonNull = nonNullCount(c, exists);
  const coverage = customers ? nonNull / customers : 0;
  let distribution: Distribution;
  let drift: number | null = null;
  if (c.type === "num" || c.type === "date") {
    const prev = previous?.distribution.kind === "numeric" ? previous.distribution : undefined;
    distribution = numeric(c.data, exists, prev?.edges ?? decileEdges(c.data, exists, nonNull));
    if (prev && distribution.kind === "numeric") drift = psi(prev.counts, distribution.counts);
  } else {
    distribution = categorical(c, exists);
    const prev = previous?.distribution.kind === "categorical" ? previous.distribution : undefined;
    if (prev && distribution.kind === "categorical") {
      const keys = [...new Set([...Object.keys(prev.counts), ...Object.keys(distribution.counts)])];
      const cur = distribution.counts;
      drift = psi(keys.map((k) => prev.counts[k] ?? 0), keys.map((k) => cur[k] ?? 0));
    }
  }
  return { customers, nonNull, coverage, distribution, coverageDelta: previous ? coverage - previous.coverage : null, psi: drift };
}

/** The owner's thresholds that this run's stats exceed. */
export function driftAlerts(s: ColumnStats, thresholds: { coverageDriftMax: number | null; psiMax: number | null }): string[] {
  const alerts: string[] = [];
  if (thresholds.coverageDriftMax != null && s.coverageDelta != null && Math.abs(s.coverageDelta) > thresholds.coverageDriftMax) alerts.push("coverage");
  if (thresholds.psiMax != null && s.psi != null && s.psi > thresholds.psiMax) alerts.push("distribution");
  return alerts;
}
