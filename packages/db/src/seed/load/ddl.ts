/**
 * Bulk loading without per-row index and foreign-key maintenance: the definitions of the loaded
 * tables' keys and indexes are read from the catalog, dropped before COPY and re-created from the
 * same definitions afterwards, so the end state is exactly the migrated schema — whatever later
 * migrations add. Foreign keys stay in place when the loader may switch their triggers off for
 * its sessions (`session_replication_role = replica`, superuser only, as pg_restore does): the
 * generator writes only existing references, and a test checks every one. Otherwise they are
 * dropped too (with the keys they point at) and re-added, which validates them.
 *
 * The definitions are saved in the `setting` table (key `seed.pendingRestore`) in the same
 * transaction that drops them; a seed that dies half-way leaves them there and the next seed
 * (or `--reset`) restores whatever is missing before doing anything else.
 */
import type pg from "pg";

export interface DdlItem {
  kind: "constraint" | "index";
  table: string;
  name: string;
  /** CREATE / ALTER statement that re-creates it. */
  create: string;
  drop: string;
  /** Foreign keys are added last: they need the referenced keys. */
  foreignKey: boolean;
}

const PENDING_KEY = "seed.pendingRestore";

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/**
 * Keys and indexes of `tables`; with `foreignKeys`, also the foreign keys from or to them.
 * Without it, keys that foreign keys depend on are left alone (they cannot be dropped under them).
 */
export async function captureDdl(client: pg.Client, tables: readonly string[], foreignKeys: boolean): Promise<DdlItem[]> {
  const { rows: constraints } = await client.query<{ name: string; table: string; type: string; def: string }>(
    `SELECT c.conname AS name, t.relname AS table, c.contype AS type, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       LEFT JOIN pg_class f ON f.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema()
        AND ((c.contype IN ('p', 'u') AND t.relname = ANY($1)
              AND ($2 OR NOT EXISTS (SELECT 1 FROM pg_constraint fk WHERE fk.contype = 'f' AND fk.conindid = c.conindid)))
          OR (c.contype = 'f' AND $2 AND (t.relname = ANY($1) OR f.relname = ANY($1))))
      ORDER BY c.contype, t.relname, c.conname`,
    [tables, foreignKeys],
  );
  const { rows: indexes } = await client.query<{ name: string; table: string; def: string }>(
    `SELECT i.relname AS name, t.relname AS table, pg_get_indexdef(x.indexrelid) AS def
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))
        AND ($2 OR NOT EXISTS (SELECT 1 FROM pg_constraint fk WHERE fk.contype = 'f' AND fk.conindid = x.indexrelid))
      ORDER BY t.relname, i.relname`,
    [tables, foreignKeys],
  );
  const items: DdlItem[] = [];
  for (const c of constraints) {
    items.push({
      kind: "constraint",
      table: c.table,
      name: c.name,
      create: `ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${q(c.name)} ${c.def}`,
      drop: `ALTER TABLE ${q(c.table)} DROP CONSTRAINT IF EXISTS ${q(c.name)}`,
      foreignKey: c.type === "f",
    });
  }
  for (const i of indexes) {
    items.push({ kind: "index", table: i.table, name: i.name, create: i.def, drop: `DROP INDEX IF EXISTS ${q(i.name)}`, foreignKey: false });
  }
  return items;
}

/** Drops the items (foreign keys first) and records them as pending, in the caller's transaction. */
export async function dropForLoad(client: pg.Client, items: readonly DdlItem[]): Promise<void> {
  await client.query(
    `INSERT INTO setting (key, value, updated_at, updated_by) VALUES ($1, $2, now(), 'seed')
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [PENDING_KEY, JSON.stringify(items)],
  );
  for (const item of [...items.filter((i) => i.foreignKey), ...items.filter((i) => !i.foreignKey)]) await client.query(item.drop);
}

export async function pendingRestore(client: pg.Client): Promise<DdlItem[] | null> {
  const { rows } = await client.query<{ value: DdlItem[] }>("SELECT value FROM setting WHERE key = $1", [PENDING_KEY]);
  return rows[0]?.value ?? null;
}

async function exists(client: pg.Client, item: DdlItem): Promise<boolean> {
  const sql = item.kind === "index"
    ? "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1"
    : "SELECT 1 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema() AND c.conname = $1 AND t.relname = $2";
  const { rowCount } = await client.query(sql, item.kind === "index" ? [item.name] : [item.name, item.table]);
  return (rowCount ?? 0) > 0;
}

/**
 * Re-creates the missing items: keys and indexes first, spread over `clients` (largest tables
 * first, so the long builds start early), then foreign keys; finally clears the pending record.
 */
export async function restoreDdl(clients: readonly pg.Client[], items: readonly DdlItem[], tableOrder: readonly string[] = [], log?: (message: string) => void): Promise<void> {
  const rank = (t: string) => {
    const i = tableOrder.indexOf(t);
    return i < 0 ? tableOrder.length : i;
  };
  const run = async (queue: DdlItem[]) => {
    const work = [...queue];
    await Promise.all(
      clients.map(async (client) => {
        for (let item = work.shift(); item; item = work.shift()) {
          if (await exists(client, item)) continue;
          const t0 = performance.now();
          await client.query(item.create);
          log?.(`  ${item.name}: ${Math.round(performance.now() - t0)} ms`);
        }
      }),
    );
  };
  // Primary keys before other indexes of the same table: foreign keys need them soonest.
  await run(items.filter((i) => !i.foreignKey).sort((a, b) => rank(a.table) - rank(b.table) || Number(b.kind === "constraint") - Number(a.kind === "constraint")));
  await run(items.filter((i) => i.foreignKey));
  await clients[0]!.query("DELETE FROM setting WHERE key = $1", [PENDING_KEY]);
}

/** Tables some foreign key points at: they cannot be truncated (so not COPY FREEZE'd) while it exists. */
export async function referencedTables(client: pg.Client): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT DISTINCT f.relname AS name FROM pg_constraint c JOIN pg_class f ON f.oid = c.confrelid
      WHERE c.contype = 'f' AND f.relnamespace = current_schema()::regnamespace`,
  );
  return new Set(rows.map((r) => r.name));
}

/** True when this session may turn off foreign-key triggers (`session_replication_role`). */
export async function canSkipTriggers(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ s: string }>("SELECT current_setting('is_superuser') AS s");
  return rows[0]!.s === "on";
}
