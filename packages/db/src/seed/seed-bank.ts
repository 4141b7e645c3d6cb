/**
 * `seedBank(url, options)`: loads the synthetic bank into an empty (or, with `reset`, emptied)
 * database. Steps: reference data (org tree, products, staff with argon2id passwords); drop the
 * keys, indexes and foreign keys of the streamed tables; COPY every table in parallel; re-create
 * keys and indexes (two builds at a time) and validated foreign keys; advance the id sequences;
 * ANALYZE. The same seed, size and as-of date always give the same rows.
 */
import pg from "pg";
import { pgConfigFromUrl } from "../pg-config";
import { todayInShanghai } from "./calendar";
import { SEEDED_TABLES, SEQUENCED_TABLES, STREAMED_TABLES } from "./copy/tables";
import { BankGenerator } from "./generator";
import { copyLoad, LOAD_SESSION_SQL } from "./load/copy-load";
import { backendPid, backendsCpuMs } from "./load/backend-cpu";
import { canSkipTriggers, captureDdl, dropForLoad, pendingRestore, referencedTables, restoreDdl } from "./load/ddl";
import { insertReferenceData, referenceTimestamp, type PasswordHashes } from "./load/reference-data";
import { hashPassword } from "./password";
import { DEMO_PASSWORD, type Roster } from "./staff";

export interface SeedOptions {
  customers: number;
  seed?: number;
  /** Business date (YYYY-MM-DD); default today in Shanghai. */
  asOf?: string;
  /** Empty the seeded tables first (and whatever references them); without it a non-empty database is refused. */
  reset?: boolean;
  /** Progress lines (never personal data). */
  log?: (message: string) => void;
}

export interface SeedResult {
  counts: Record<string, number>;
  seed: number;
  asOf: string;
  roster: Roster;
  /** Milliseconds per phase. */
  timings: Record<string, number>;
  /** CPU milliseconds: this process, and the PostgreSQL backends it used (null for a remote server). */
  cpu: { clientMs: number; serverMs: number | null };
}

export const DEFAULT_SEED = 20_260_101;

export class SeedRefusedError extends Error {}

/** Streamed tables, biggest first: their index builds start first. */
const BUILD_ORDER = ["transaction", "monthly_balance", "app_event", "consent", "account", "source_record", "customer", "contact_point", "identity_document", "risk_assessment", "holding", "identity_merge", "contact_restriction"];

export async function seedBank(url: string, options: SeedOptions): Promise<SeedResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? todayInShanghai();
  const log = options.log ?? (() => {});
  if (!Number.isInteger(options.customers) || options.customers < 1) throw new Error("customers must be a positive integer");
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await fn();
    timings[name] = Math.round(performance.now() - t0);
    log(`${name}: ${timings[name]} ms`);
    return result;
  };

  const generator = new BankGenerator({ customers: options.customers, seed, asOf });
  const roster = generator.ctx.roster;
  const admin = new pg.Client(pgConfigFromUrl(url));
  const builders = [admin, new pg.Client(pgConfigFromUrl(url))];
  const cpuStart = process.cpuUsage();
  await Promise.all(builders.map((c) => c.connect()));
  try {
    const builderPids = await Promise.all(builders.map(backendPid));
    // Index builds sort in memory (the biggest needs ~1.5 GB) and run two at a time instead of
    // each spawning parallel workers: on two cores that is the same work with less merging.
    for (const c of builders) await c.query(`${LOAD_SESSION_SQL}; SET maintenance_work_mem = '2GB'; SET max_parallel_maintenance_workers = 0`);
    const leftover = await pendingRestore(admin);
    if (leftover) {
      log("restoring keys and indexes left dropped by an interrupted seed");
      await restoreDdl(builders, leftover, BUILD_ORDER);
    }
    await phase("prepare", () => prepare(admin, options.reset ?? false));
    const hashes = await phase("hash passwords", () => hashStaffPasswords(roster));
    await phase("reference data", async () => {
      await admin.query("BEGIN");
      await insertReferenceData(admin, roster, hashes, referenceTimestamp(generator.ctx.asOfDay));
      await admin.query("COMMIT");
    });
    const skipTriggers = await canSkipTriggers(admin);
    const ddl = await phase("drop keys and indexes", async () => {
      await admin.query("BEGIN");
      const items = await captureDdl(admin, STREAMED_TABLES.map((s) => s.table), !skipTriggers);
      await dropForLoad(admin, items);
      await admin.query("COMMIT");
      return items;
    });
    const referenced = await referencedTables(admin);
    const loaded = await phase("copy", () =>
      copyLoad(url, generator, {
        referenced,
        skipTriggers,
        onProgress: (done) => {
          if (done % 100_000 === 0) log(`  ${done} customers`);
        },
      }),
    );
    await phase("keys and indexes", () => restoreDdl(builders, ddl, BUILD_ORDER, log));
    await phase("sequences and statistics", async () => {
      await advanceSequences(admin);
      // Planner statistics now rather than whenever autovacuum gets round to it; two at a time.
      const queue = [...BUILD_ORDER];
      await Promise.all(builders.map(async (c) => {
        for (let t = queue.shift(); t; t = queue.shift()) await c.query(`ANALYZE "${t}"`);
      }));
    });
    const counts = { ...(await referenceCounts(admin)), ...loaded.rows };
    const builderCpu = await backendsCpuMs(builderPids);
    const used = process.cpuUsage(cpuStart);
    const cpu = {
      clientMs: Math.round((used.user + used.system) / 1000),
      serverMs: builderCpu === null || loaded.serverCpuMs === null ? null : Math.round(builderCpu + loaded.serverCpuMs),
    };
    log(`cpu: generator ${cpu.clientMs} ms, PostgreSQL ${cpu.serverMs ?? "?"} ms`);
    return { counts, seed, asOf, roster, timings, cpu };
  } finally {
    await Promise.all(builders.map((c) => c.end().catch(() => {})));
  }
}

async function prepare(client: pg.Client, reset: boolean): Promise<void> {
  const { rows } = await client.query<{ n: boolean }>("SELECT EXISTS (SELECT 1 FROM customer) OR EXISTS (SELECT 1 FROM org_unit) OR EXISTS (SELECT 1 FROM staff_user) AS n");
  if (!rows[0]!.n) return;
  if (!reset) throw new SeedRefusedError("the database already has bank data; run the seed with --reset to replace it");
  // CASCADE also empties whatever other features keep about these customers and users; the
  // audit log references nothing and is left alone (it refuses TRUNCATE anyway).
  await client.query(`TRUNCATE ${SEEDED_TABLES.map((t) => `"${t}"`).join(", ")} CASCADE`);
}

/** One argon2id hash per demo user and one shared by all other staff (all of `DEMO_PASSWORD`). */
export async function hashStaffPasswords(roster: Roster): Promise<PasswordHashes> {
  const demo = new Map<string, string>();
  for (const u of roster.users.filter((x) => x.demo)) demo.set(u.username, await hashPassword(DEMO_PASSWORD));
  return { demo, shared: await hashPassword(DEMO_PASSWORD) };
}

/** Moves each serial sequence past the highest id loaded with explicit ids. */
export async function advanceSequences(client: pg.Client): Promise<void> {
  for (const table of SEQUENCED_TABLES) {
    await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), COALESCE((SELECT max(id) FROM "${table}"), 0) + 1, false)`);
  }
}

async function referenceCounts(client: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of ["org_unit", "product", "staff_user", "auth_account"]) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`);
    counts[t] = Number(rows[0]!.n);
  }
  return counts;
}
