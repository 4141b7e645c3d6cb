/**
 * Transactions on a plain `pg` connection, for hot paths that run a few large statements many
 * times a second (a campaign's send chunks). The statements are the same `Prisma.sql` templates
 * the rest of the code composes, run as `text` + `values`: no query compilation, no per-row
 * result conversion — Prisma costs about a fifth of a dispatch worker's CPU on such statements.
 * Results are what `pg` gives: int4 and float8 as numbers, int8 and numeric as strings, dates
 * and timestamps as `Date`, booleans, text; statements cast what they select accordingly.
 *
 * `sqlRows` runs one statement the same way outside a transaction.
 *
 * One pool per Prisma client, to the same database (`databaseUrlOf`), opened on first use; idle
 * connections close after a while and never keep the process alive.
 */
import pg from "pg";
import { databaseUrlOf, type Db } from "./client";
import type { Prisma } from "./generated/prisma/client";
import { pgConfigFromUrl } from "./pg-config";

export interface SqlOptions {
  /** Run as a named prepared statement (see `config`). */
  prepare?: boolean;
}

export interface SqlTx {
  /** The rows of a statement. */
  rows<T>(q: Prisma.Sql, opts?: SqlOptions): Promise<T[]>;
  /** The number of rows a statement affected. */
  run(q: Prisma.Sql, opts?: SqlOptions): Promise<number>;
}

const pools = new WeakMap<Db, pg.Pool>();

/** The plain connection pool beside a Prisma client (same database, `max` connections). */
export function sqlPoolOf(db: Db, max = 10): pg.Pool {
  let pool = pools.get(db);
  if (!pool) {
    const url = databaseUrlOf(db);
    if (!url) throw new Error("sqlPoolOf: this Prisma client was not made by createDb (its database URL is unknown)");
    pool = new pg.Pool({ ...pgConfigFromUrl(url, max), idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    // an idle connection's error (server restart) is the next checkout's to see, not a crash
    pool.on("error", () => undefined);
    pools.set(db, pool);
  }
  return pool;
}

/** Closes the plain pool of a Prisma client, if it has one (with `db.$disconnect()`). */
export async function closeSqlPool(db: Db): Promise<void> {
  const pool = pools.get(db);
  pools.delete(db);
  await pool?.end();
}

/**
 * `prepare`: a statement run as a named prepared statement (one name per statement text, prepared
 * once per connection) is sent, parsed and — after five runs, when PostgreSQL finds its generic
 * plan no worse — planned once per connection, then only bound (a send chunk's INSERT and locks:
 * ~5% of its server time). Only for statements whose best plan does not depend on the values:
 * the chunk's evaluation, whose joins follow the id range it binds, is not prepared (its generic
 * plan made chunks twice as slow at 100k customers). The texts are templates with bind
 * parameters, so they are few; past `MAX_NAMED` distinct texts the rest run unnamed. (Behind
 * PgBouncer in transaction mode this needs its prepared-statement support, 1.21+.)
 */
const names = new Map<string, string>();
const MAX_NAMED = 500;
function config(q: Prisma.Sql, opts?: SqlOptions): pg.QueryConfig {
  let name = opts?.prepare ? names.get(q.text) : undefined;
  if (opts?.prepare && !name && names.size < MAX_NAMED) {
    name = `mkt_tx_${names.size}`;
    names.set(q.text, name);
  }
  return { ...(name ? { name } : {}), text: q.text, values: q.values as unknown[] };
}

function bind(client: pg.PoolClient): SqlTx {
  return {
    rows: async <T>(q: Prisma.Sql, opts?: SqlOptions) => (await client.query(config(q, opts))).rows as T[],
    run: async (q: Prisma.Sql, opts?: SqlOptions) => (await client.query(config(q, opts))).rowCount ?? 0,
  };
}

/** One statement on the plain pool, outside a transaction (a send chunk's small reads and the sandbox's ledger). */
export async function sqlRows<T>(db: Db, q: Prisma.Sql): Promise<T[]> {
  return (await sqlPoolOf(db).query({ text: q.text, values: q.values as unknown[] })).rows as T[];
}

/**
 * Runs `fn` in one transaction (READ COMMITTED) on a pooled plain connection: COMMIT when it
 * resolves, ROLLBACK when it throws. A connection whose ROLLBACK fails is discarded.
 */
export async function sqlTransaction<T>(db: Db, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  const client = await sqlPoolOf(db).connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(bind(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackErr) {
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * A PostgreSQL array literal (`{1,2,3}`) of whole numbers, to bind as one parameter and cast
 * (`${intArrayLiteral(ids)}::int[]`, `::bigint[]`). `pg` serialises an array parameter element by
 * element, quoting and escaping each one; for the thousands of ids a send chunk binds several
 * times that was a tenth of a dispatch worker's CPU. Decimal strings are accepted for int8 ids
 * (what `pg` returns); anything that is not a whole number is refused.
 */
export function intArrayLiteral(values: ArrayLike<number | bigint | string>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === "number" ? !Number.isSafeInteger(v) : typeof v === "string" && !/^-?\d{1,19}$/.test(v)) {
      throw new TypeError(`intArrayLiteral: ${String(v)} is not a whole number`);
    }
    out += i ? `,${v}` : `${v}`;
  }
  return `${out}}`;
}
