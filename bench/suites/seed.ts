/**
 * `seed` suite, case `load`: the synthetic bank loaded from nothing.
 *
 * - baseline: the straightforward loader — the same generated rows inserted with multi-row
 *   INSERTs of 1,000 rows through `pg`, one transaction per 1,000 customers, into tables whose keys,
 *   indexes and foreign keys stay in place; run on a slice of min(scale, 20,000) customers.
 * - platform: `seedBank` (binary COPY, keys and indexes rebuilt after) on the same slice, then at
 *   full scale.
 *
 * Both loads of the slice must leave identical tables: the same row count and the same content
 * hash (every column; password hashes excepted, they are salted) for every seeded table.
 * Speedup compares rows per second on the slice.
 */
import pg from "pg";
import { pgConfigFromUrl } from "../../packages/db/src/pg-config";
import {
  BankGenerator,
  SEEDED_TABLES,
  STREAMED_TABLES,
  advanceSequences,
  decodeRows,
  hashStaffPasswords,
  insertReferenceData,
  insertRows,
  referenceTimestamp,
  seedBank,
} from "../../packages/db/src/seed/index";
import { withPeakRss } from "../lib/rss";
import { perSecond, round, timed } from "../lib/stats";
import type { Suite, SuiteContext } from "../lib/suite";

const SLICE = 20_000;
/** A fixed business date: the same scale and seed always give the same bank. */
const AS_OF = "2026-06-30";

export const seedSuite: Suite = {
  description: "synthetic bank load: multi-row INSERT baseline vs binary COPY (case load)",
  defaultScale: 1_000_000,
  async run(ctx) {
    const slice = Math.min(ctx.scale, SLICE);
    ctx.log(`baseline: INSERT ${slice} customers`);
    const baselineUrl = await ctx.databases.create("baseline");
    const baseline = await measure(() => insertLoad(baselineUrl, slice, ctx.seed));
    ctx.emit(line("baseline", slice, baseline));

    ctx.log(`platform: COPY ${slice} customers`);
    const platformUrl = await ctx.databases.create("platform");
    const platform = await measure(() => copyLoad(platformUrl, slice, ctx.seed, ctx));
    ctx.emit(line("platform", slice, platform));

    ctx.log("comparing tables");
    const mismatches = await compareTables(baselineUrl, platformUrl);
    if (mismatches.length) ctx.log(`tables differ: ${mismatches.join(", ")}`);

    let full = platform;
    if (ctx.scale > slice) {
      ctx.log(`platform: COPY ${ctx.scale} customers`);
      const fullUrl = await ctx.databases.create("full");
      full = await measure(() => copyLoad(fullUrl, ctx.scale, ctx.seed, ctx));
      ctx.emit(line("platform", ctx.scale, full));
    }
    return {
      speedup: round(platform.perS / baseline.perS),
      checked: `${slice}-customer slice: ${SEEDED_TABLES.length} tables, row counts and content hashes ${mismatches.length ? `differ in ${mismatches.join(", ")}` : "equal"}`,
      ok: mismatches.length === 0,
      wall_ms: Math.round(full.ms),
      target_ms: 60_000,
    };
  },
};

interface Measured {
  ms: number;
  rows: number;
  perS: number;
  peakRssMb: number;
}

async function measure(load: () => Promise<number>): Promise<Measured> {
  const { result, peakRssMb } = await withPeakRss(() => timed(load));
  return { ms: result.ms, rows: result.result, perS: perSecond(result.result, result.ms), peakRssMb };
}

function line(variant: "baseline" | "platform", scale: number, m: Measured) {
  return { case: "load", variant, scale, runs: 1, p50_ms: Math.round(m.ms), p95_ms: Math.round(m.ms), p99_ms: Math.round(m.ms), per_s: m.perS, wall_ms: Math.round(m.ms), peak_rss_mb: m.peakRssMb, rows: m.rows };
}

async function copyLoad(url: string, customers: number, seed: number, ctx: SuiteContext): Promise<number> {
  const result = await seedBank(url, { customers, seed, asOf: AS_OF, log: (m) => ctx.log(`  ${m}`) });
  return Object.values(result.counts).reduce((a, b) => a + b, 0);
}

/** The baseline loader; returns the rows it inserted. */
async function insertLoad(url: string, customers: number, seed: number): Promise<number> {
  const generator = new BankGenerator({ customers, seed, asOf: AS_OF });
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    const roster = generator.ctx.roster;
    await insertReferenceData(client, roster, await hashStaffPasswords(roster), referenceTimestamp(generator.ctx.asOfDay));
    for (let from = 1; from <= customers; from += 1000) {
      generator.generate(from, Math.min(customers + 1, from + 1000));
      const { chunks } = generator.take();
      await client.query("BEGIN");
      for (const [i, spec] of STREAMED_TABLES.entries()) {
        await insertRows(client, spec.table, spec.columns.map(([c]) => c), [...decodeRows(spec, chunks[i]!)], 1000);
      }
      await client.query("COMMIT");
    }
    await advanceSequences(client);
    const { rows } = await client.query<{ n: string }>(`SELECT ${SEEDED_TABLES.map((t) => `(SELECT count(*) FROM "${t}")`).join(" + ")} AS n`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** Tables whose row count or content hash differ between the two databases. */
async function compareTables(a: string, b: string): Promise<string[]> {
  const [ha, hb] = await Promise.all([tableHashes(a), tableHashes(b)]);
  return SEEDED_TABLES.filter((t) => ha.get(t) !== hb.get(t));
}

async function tableHashes(url: string): Promise<Map<string, string>> {
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    const out = new Map<string, string>();
    for (const table of SEEDED_TABLES) {
      const { rows } = await client.query<{ n: string; h: string }>(
        `SELECT count(*) AS n, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS h
           FROM (SELECT md5((to_jsonb(t) - 'password')::text) AS h FROM "${table}" t) s`,
      );
      out.set(table, `${rows[0]!.n}:${rows[0]!.h}`);
    }
    return out;
  } finally {
    await client.end();
  }
}
