import pg from "pg";
import { pgConfigFromUrl, withDatabase } from "../pg-config";

/** The server tests run against: TEST_DATABASE_URL, else DATABASE_URL, else local PostgreSQL. */
export function serverUrl(database = "postgres"): string {
  const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  return withDatabase(base, database);
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(pgConfigFromUrl(serverUrl("postgres")));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function cloneDatabase(template: string, name: string): Promise<void> {
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function dropDatabasesWithPrefix(prefix: string): Promise<void> {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
