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
import { backendPid, processCpuMs } from "../../packages/db/src/seed/load/backend-cpu";
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
      cpu_speedup: platform.serverCpuMs === null || baseline.serverCpuMs === null ? null : round((baseline.clientCpuMs + baseline.serverCpuMs) / (platform.clientCpuMs + platform.serverCpuMs)),
    };
  },
};

/** What a load reports: rows, and CPU of this process and of its PostgreSQL backends. */
interface Loaded {
  rows: number;
  clientCpuMs: number;
  serverCpuMs: number | null;
}

interface Measured extends Loaded {
  ms: number;
  perS: number;
  peakRssMb: number;
}

async function measure(load: () => Promise<Loaded>): Promise<Measured> {
  const { result, peakRssMb } = await withPeakRss(() => timed(load));
  return { ...result.result, ms: result.ms, perS: perSecond(result.result.rows, result.ms), peakRssMb };
}

/**
 * One result line. The machine is shared, so besides wall time it carries the CPU the load used
 * (`cpu_client_ms` this process, `cpu_server_ms` its PostgreSQL backends): on an idle two-core
 * machine the wall time cannot go below half their sum.
 */
function line(variant: "baseline" | "platform", scale: number, m: Measured) {
  const ms = Math.round(m.ms);
  return { case: "load", variant, scale, runs: 1, p50_ms: ms, p95_ms: ms, p99_ms: ms, per_s: m.perS, wall_ms: ms, peak_rss_mb: m.peakRssMb, rows: m.rows, cpu_client_ms: m.clientCpuMs, cpu_server_ms: m.serverCpuMs };
}

async function copyLoad(url: string, customers: number, seed: number, ctx: SuiteContext): Promise<Loaded> {
  const result = await seedBank(url, { customers, seed, asOf: AS_OF, log: (m) => ctx.log(`  ${m}`) });
  return { rows: Object.values(result.counts).reduce((a, b) => a + b, 0), clientCpuMs: result.cpu.clientMs, serverCpuMs: result.cpu.serverMs };
}

/** The baseline loader. */
async function insertLoad(url: string, customers: number, seed: number): Promise<Loaded> {
  const cpuStart = process.cpuUsage();
  const generator = new BankGenerator({ customers, seed, asOf: AS_OF });
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    const pid = await backendPid(client);
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
    const used = process.cpuUsage(cpuStart);
    const serverCpuMs = await processCpuMs(pid);
    return { rows: Number(rows[0]!.n), clientCpuMs: Math.round((used.user + used.system) / 1000), serverCpuMs: serverCpuMs === null ? null : Math.round(serverCpuMs) };
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
