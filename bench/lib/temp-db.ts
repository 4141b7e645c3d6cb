/**
 * Private databases for one benchmark run: one migrated template (`migrate()`, the real
 * migrations), cloned with CREATE DATABASE … TEMPLATE for each database a suite asks for. Every
 * name starts with the run's random prefix, and `dropAll()` removes them all, even after a failure.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../packages/db/src/migrate";
import { pgConfigFromUrl, withDatabase } from "../../packages/db/src/pg-config";

export interface TempDatabases {
  prefix: string;
  /** A fresh, migrated database; returns its URL. */
  create(label: string): Promise<string>;
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
    async dropAll() {
      await admin(async (c) => {
        const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
        for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      });
    },
  };
}
