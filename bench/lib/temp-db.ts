/**
 * Private databases for one benchmark run: one migrated template (`migrate()`, the real
 * migrations), cloned with CREATE DATABASE … TEMPLATE for each database a suite asks for. Every
 * name starts with the run's random prefix, and `dropAll()` removes them all, even after a failure.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migrate } from "../../packages/db/src/migrate";
import { pgConfigFromUrl, withDatabase } from "../../packages/db/src/pg-config";

export interface TempDatabases {
  prefix: string;
  /** A fresh, migrated database; returns its URL. */
  create(label: string): Promise<string>;
  /**
   * A fresh database cloned from a cached template built once by `build` (e.g. a seeded bank at
   * one scale and seed). The cache is keyed by `key` and by a hash of the seed generator (migrations
   * added since are applied to each clone), kept between runs (named `mkt_benchcache_*`, never dropped by `dropAll`) so that
   * repeated runs at 1M customers do not regenerate the bank. `BENCH_NO_CACHE=1` disables it.
   * `BENCH_KEEP=1` keeps the run's databases afterwards (to inspect them).
   */
  cached(label: string, key: string, build: (url: string) => Promise<void>): Promise<string>;
  dropAll(): Promise<void>;
}

export function serverUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(pgConfigFromUrl(withDatabase(serverUrl(), "postgres")));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function tempDatabases(suite: string): TempDatabases {
  const prefix = `mkt_bench_${suite.replace(/[^a-z0-9]/gi, "").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const template = `${prefix}_tpl`;
  let migrated: Promise<void> | null = null;
  let n = 0;
  return {
    prefix,
    async create(label) {
      migrated ??= migrate(withDatabase(serverUrl(), template), { quiet: true });
      await migrated;
      const name = `${prefix}_${++n}_${label.replace(/[^a-z0-9]/gi, "").toLowerCase()}`.slice(0, 63);
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      return withDatabase(serverUrl(), name);
    },
    async cached(label, key, build) {
      if (process.env.BENCH_NO_CACHE === "1") {
        const url = await this.create(label);
        await build(url);
        return url;
      }
      const cacheName = `mkt_benchcache_${createHash("sha1").update(`${key}|${sourceHash()}`).digest("hex").slice(0, 16)}`;
      // One builder per cache entry across concurrent runs: the others wait on the advisory lock.
      await admin(async (lock) => {
        await lock.query("SELECT pg_advisory_lock(hashtext($1))", [cacheName]);
        const exists = (await lock.query("SELECT 1 FROM pg_database WHERE datname = $1", [cacheName])).rowCount === 1;
        if (exists) return;
        const building = `${cacheName}_building_${randomBytes(3).toString("hex")}`;
        await migrate(withDatabase(serverUrl(), building), { quiet: true });
        try {
          await build(withDatabase(serverUrl(), building));
          await lock.query(`ALTER DATABASE "${building}" RENAME TO "${cacheName}"`);
        } catch (err) {
          await lock.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
          throw err;
        }
      });
      const name = `${prefix}_${++n}_${label.replace(/[^a-z0-9]/gi, "").toLowerCase()}`.slice(0, 63);
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${cacheName}"`));
      const url = withDatabase(serverUrl(), name);
      await migrate(url, { quiet: true }); // migrations added since the cache was built
      return url;
    },
    async dropAll() {
      if (process.env.BENCH_KEEP === "1") {
        process.stderr.write(`BENCH_KEEP=1: the run's databases are kept (${prefix}_*); drop them when done\n`);
        return;
      }
      await admin(async (c) => {
        const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
        for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      });
    },
  };
}

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
let hashed: string | null = null;
/** Hash of what decides a cached bank's contents: the seed generator (newer migrations are applied to each clone). */
function sourceHash(): string {
  if (hashed) return hashed;
  const h = createHash("sha1");
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (!entry.includes(".test.")) h.update(path.slice(ROOT.length)).update(readFileSync(path));
    }
  };
  walk(join(ROOT, "packages/db/src/seed"));
  hashed = h.digest("hex");
  return hashed;
}
