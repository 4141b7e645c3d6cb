/**
 * Feature extraction: the distinct features a set of rules reads, one pass per source table,
 * streamed by binary COPY straight into typed arrays indexed by customer id. Aggregated sources
 * (transactions, app events, holdings, balances) send their rows and Node aggregates them
 * (features-raw.ts); the others, one row per customer, are read with one SQL pass each
 * (features-sql.ts), as is a source whose rows cannot be aggregated exactly in Node. The
 * customer pass always runs: it says which ids exist.
 */
import type pg from "pg";
import type { AsOf } from "./as-of";
import { emptyColumn, type Column } from "./columns";
import { featureKey, featureSource, featureType, featureZeroWhenAbsent, type FeatureSource, type FeatureSpec } from "./feature-spec";
import { rawPass, RAW_SOURCES } from "./features-raw";
import { sourcePassSql } from "./features-sql";
import { copyOut } from "./pg-binary";

export interface ExtractedFeatures {
  /** Array length: max customer id + 1. */
  size: number;
  /** 1 where a customer with that id exists. */
  exists: Uint8Array;
  customers: number;
  /** By featureKey. */
  columns: Map<string, Column>;
  /** `mode`: aggregated in Node over the source's rows, or by PostgreSQL (features-raw.ts). */
  passes: { source: FeatureSource; features: number; rows: number; ms: number; mode: "rows" | "sql" }[];
}

/** The highest customer id: arrays are sized by it. */
export async function maxCustomerId(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ m: number | null }>("SELECT max(id) AS m FROM customer");
  return rows[0]?.m ?? 0;
}

/** Heaviest first, so that with two connections the big pass starts at once and the rest fill the other. */
const PASS_COST: Record<FeatureSource, number> = { transaction: 6, monthly_balance: 5, holding: 4, app_event: 3, customer: 2, risk_assessment: 1 };

/**
 * Runs the passes over `clients`, one pass per client at a time. The clients must share one
 * snapshot (see withSharedSnapshot) so that every pass reads the same data: a customer added
 * mid-run is in all passes or in none.
 */
export async function extractFeatures(
  clients: pg.ClientBase[],
  requested: FeatureSpec[],
  at: AsOf,
  opts: {
    maxId: number;
    onPass?: (done: number, total: number) => void;
    sampleEvery?: number;
    /** "sql": every source through PostgreSQL's one-pass aggregation (default: raw rows where possible). */
    mode?: "auto" | "sql";
  },
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
  const queue = [...bySource.keys()].sort((a, b) => PASS_COST[b] - PASS_COST[a]);
  const total = queue.length;
  let customers = 0;

  const runPass = async (client: pg.ClientBase, source: FeatureSource) => {
    const features = bySource.get(source)!;
    const t0 = performance.now();
    let rows: number | null = null;
    let mode: "rows" | "sql" = "sql";
    if (RAW_SOURCES.has(source) && features.length > 0 && opts.mode !== "sql") {
      const raw = rawPass(source, features, at, opts.maxId, size, opts.sampleEvery);
      const n = await copyOut(client, raw.sql, raw.onTuple);
      if (raw.unsupported() === null) {
        raw.finish().forEach((c, k) => columns.set(featureKey(features[k]!), c));
        rows = n;
        mode = "rows";
      }
    }
    rows ??= await sqlPass(client, source, features);
    passes.push({ source, features: features.length, rows, ms: Math.round(performance.now() - t0), mode });
    opts.onPass?.(passes.length, total);
  };

  /** The one-pass SQL: PostgreSQL aggregates, one row per customer. */
  const sqlPass = async (client: pg.ClientBase, source: FeatureSource, features: FeatureSpec[]) => {
    const cols = features.map((f) => emptyColumn(featureType(f), size));
    const dicts = cols.map(() => new Map<string, number>());
    const sql = sourcePassSql(source, features, at, opts.maxId, opts.sampleEvery);
    const isCustomer = source === "customer";
    const rows = await copyOut(client, sql, (buf, starts, lengths) => {
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
    return rows;
  };
  await Promise.all(
    clients.map(async (client) => {
      for (let source = queue.shift(); source; source = queue.shift()) await runPass(client, source);
    }),
  );

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

/**
 * Opens `n` connections reading one REPEATABLE READ snapshot (the first exports it, the others
 * import it), runs `fn`, and ends them. Feature passes run on them side by side.
 */
export async function withSharedSnapshot<T>(connect: () => Promise<pg.Client>, n: number, fn: (clients: pg.Client[]) => Promise<T>): Promise<T> {
  const clients: pg.Client[] = [];
  try {
    for (let i = 0; i < n; i++) clients.push(await connect());
    const [leader, ...others] = clients as [pg.Client, ...pg.Client[]];
    await leader.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows } = await leader.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
    for (const c of others) {
      await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await c.query(`SET TRANSACTION SNAPSHOT '${rows[0]!.id.replace(/'/g, "")}'`);
    }
    // A pass hashes a million customers with a dozen aggregates each: give the hash tables room
    // (hash_mem_multiplier doubles this) rather than spilling to disk, and skip JIT, whose
    // inlining and optimisation of these wide queries cost seconds and saved less.
    for (const c of clients) await c.query("SET LOCAL work_mem = '512MB'; SET LOCAL jit = off");
    const result = await fn(clients);
    for (const c of clients) await c.query("COMMIT");
    return result;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
