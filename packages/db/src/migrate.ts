/**
 * Brings a database to the current schema: `prisma migrate deploy` (WebAssembly schema engine,
 * no download), then the idempotent SQL in prisma/sql/ that Prisma's runner cannot execute
 * (PL/pgSQL triggers). Creates the database first when it does not exist.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { dbEnv } from "./env";
import { pgConfigFromUrl } from "./pg-config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export async function ensureDatabase(url: string): Promise<void> {
  const cfg = pgConfigFromUrl(url);
  const admin = new pg.Client({ ...cfg, database: "postgres" });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [cfg.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${cfg.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

export async function applyExtraSql(url: string): Promise<void> {
  const dir = path.join(root, "prisma", "sql");
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
      await client.query(readFileSync(path.join(dir, file), "utf8"));
    }
  } finally {
    await client.end();
  }
}

export async function migrate(url: string, opts: { quiet?: boolean } = {}): Promise<void> {
  await ensureDatabase(url);
  execFileSync("bash", [path.join(root, "scripts", "prisma.sh"), "migrate", "deploy"], {
    // eslint-disable-next-line no-restricted-properties -- passes the environment through to the Prisma CLI
    env: { ...process.env, DATABASE_URL: url },
    stdio: opts.quiet ? "pipe" : ["ignore", "inherit", "inherit"],
  });
  await applyExtraSql(url);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const url = dbEnv().DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set");
    process.exit(2);
  }
  migrate(url).then(
    () => console.error("database is up to date"),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
