/**
 * The small reference tables — org units, products, staff users and their credential accounts —
 * written with ordinary multi-row INSERTs before the bulk load. Demo users get their own password
 * hash; the bulk of RMs share one hash of the same password (hashing thousands of argon2id
 * passwords would take minutes and prove nothing).
 */
import type pg from "pg";
import { isoFromDay } from "../calendar";
import { orgUnits } from "../reference/org";
import { PRODUCTS } from "../reference/products";
import { DEMO_EMAIL_DOMAIN, type Roster } from "../staff";

export type Row = readonly unknown[];

/** INSERT of `rows` into `table` in statements of at most `batch` rows. */
export async function insertRows(client: pg.Client, table: string, columns: readonly string[], rows: readonly Row[], batch = 1000): Promise<void> {
  const cols = columns.map((c) => `"${c}"`).join(", ");
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const params: unknown[] = [];
    const tuples = slice.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(", ")})`);
    await client.query(`INSERT INTO "${table}" (${cols}) VALUES ${tuples.join(", ")}`, params);
  }
}

export interface PasswordHashes {
  /** Hash per demo username. */
  demo: Map<string, string>;
  /** The hash every other RM uses. */
  shared: string;
}

export async function insertReferenceData(client: pg.Client, roster: Roster, hashes: PasswordHashes, createdAt: Date): Promise<void> {
  const { units } = orgUnits();
  await insertRows(client, "org_unit", ["id", "code", "name", "name_en", "level", "parent_id", "path", "region", "created_at"],
    units.map((u) => [u.id, u.code, u.name, u.nameEn, u.level, u.parentId, u.path, u.region, createdAt]));
  await insertRows(client, "product", ["id", "code", "name", "name_en", "category", "risk_level", "term_days", "expected_yield", "min_amount", "active", "launched_at"],
    PRODUCTS.map((p, i) => [i + 1, p.code, p.name, p.nameEn, p.category, p.riskLevel, p.termDays, p.expectedYield, p.minAmountCny, true, p.launchedAt]));
  await insertRows(client, "staff_user", ["id", "name", "email", "email_verified", "username", "display_username", "role", "org_unit_id", "employee_no", "active", "locale", "created_at", "updated_at"],
    roster.users.map((u) => [u.id, u.name, `${u.username}@${DEMO_EMAIL_DOMAIN}`, true, u.username, u.username, u.role, u.orgUnitId, u.employeeNo, true, "zh-CN", createdAt, createdAt]));
  await insertRows(client, "auth_account", ["id", "account_id", "provider_id", "user_id", "password", "created_at", "updated_at"],
    roster.users.map((u) => [`acc_${u.username}`, u.id, "credential", u.id, hashes.demo.get(u.username) ?? hashes.shared, createdAt, createdAt]));
}

/** Midnight of the as-of date in Shanghai, the timestamp of seeded reference rows. */
export function referenceTimestamp(asOfDay: number): Date {
  return new Date(`${isoFromDay(asOfDay)}T00:00:00+08:00`);
}
