/**
 * Feature extraction: the distinct features a set of rules reads, computed with one set-based
 * SQL pass per source table and streamed by binary COPY straight into typed arrays indexed by
 * customer id. The customer pass always runs: it says which ids exist.
 */
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { AsOf } from "./as-of";
import { emptyColumn, type Column } from "./columns";
import { featureKey, featureSource, featureType, featureZeroWhenAbsent, type FeatureSource, type FeatureSpec } from "./feature-spec";
import { sourcePassSql } from "./features-sql";
import { readCopyBinary } from "./pg-binary";

export interface ExtractedFeatures {
  /** Array length: max customer id + 1. */
  size: number;
  /** 1 where a customer with that id exists. */
  exists: Uint8Array;
  customers: number;
  /** By featureKey. */
  columns: Map<string, Column>;
  passes: { source: FeatureSource; features: number; rows: number; ms: number }[];
}

const SOURCE_ORDER: FeatureSource[] = ["customer", "transaction", "app_event", "holding", "monthly_balance", "risk_assessment"];

/** The highest customer id: arrays are sized by it. */
export async function maxCustomerId(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ m: number | null }>("SELECT max(id) AS m FROM customer");
  return rows[0]?.m ?? 0;
}

/**
 * Runs the passes on `client`. Call it inside a REPEATABLE READ transaction so that every pass
 * reads the same snapshot (a customer added mid-run is in all passes or in none).
 */
export async function extractFeatures(
  client: pg.ClientBase,
  requested: FeatureSpec[],
  at: AsOf,
  opts: { maxId: number; onPass?: (done: number, total: number) => void },
): Promise<ExtractedFeatures> {
  const size = opts.maxId + 1;
  const unique = new Map<string, FeatureSpec>();
  for (const f of requested) unique.set(featureKey(f), f);
  const bySource = new Map<FeatureSource, FeatureSpec[]>();
  for (const f of unique.values()) bySource.set(featureSource(f), [...(bySource.get(featureSource(f)) ?? []), f]);
  if (!bySource.has("customer")) bySource.set("customer", []);

  const exists = new Uint8Array(size);
  const columns = new Map<string, Column>();
  const passes: ExtractedFeatures["passes"] = [];
  const sources = SOURCE_ORDER.filter((s) => bySource.has(s));
  let customers = 0;
  for (const source of sources) {
    const features = bySource.get(source)!;
    const t0 = performance.now();
    const cols = features.map((f) => emptyColumn(featureType(f) === "date" ? "date" : featureType(f), size));
    const dicts = cols.map(() => new Map<string, number>());
    const sql = sourcePassSql(source, features, at, opts.maxId);
    const isCustomer = source === "customer";
    const rows = await readCopyBinary(client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT binary)`)), (buf, starts, lengths) => {
      const id = buf.readInt32BE(starts[0]!);
      if (id >= size || id < 1) return;
      if (isCustomer) exists[id] = 1;
      for (let k = 0; k < cols.length; k++) {
        const len = lengths[k + 1]!;
        if (len < 0) continue;
        const p = starts[k + 1]!;
        const c = cols[k]!;
        switch (c.type) {
          case "num":
          case "date":
            c.data[id] = buf.readDoubleBE(p);
            break;
          case "bool":
            c.data[id] = buf[p]!;
            break;
          case "label": {
            const s = buf.toString("utf8", p, p + len);
            const dict = dicts[k]!;
            let code = dict.get(s);
            if (code === undefined) {
              code = c.dict.length;
              if (code > 32_000) throw new Error(`feature ${features[k]!.kind}: more than 32000 distinct values`);
              dict.set(s, code);
              c.dict.push(s);
            }
            c.data[id] = code;
            break;
          }
          default:
            break;
        }
      }
    });
    if (isCustomer) customers = rows;
    features.forEach((f, k) => columns.set(featureKey(f), cols[k]!));
    passes.push({ source, features: features.length, rows, ms: Math.round(performance.now() - t0) });
    opts.onPass?.(passes.length, sources.length);
  }

  // Counts and sums are 0, not missing, for an existing customer without facts.
  for (const f of unique.values()) {
    if (!featureZeroWhenAbsent(f)) continue;
    const c = columns.get(featureKey(f))!;
    if (c.type !== "num") continue;
    const d = c.data;
    for (let i = 1; i < size; i++) if (exists[i] === 1 && d[i] !== d[i]) d[i] = 0;
  }
  return { size, exists, customers, columns, passes };
}
