/**
 * The straightforward way to compute tags, kept as the yardstick of `pnpm bench tags` and as the
 * independent oracle of the computation tests: every tag is one `INSERT … SELECT` into a long
 * (tag, customer, value) table, its rule compiled to a SQL expression (sql.ts), each feature it
 * reads a GROUP BY subquery joined to the customer table, each tag it reads a join on the long
 * table filled earlier in dependency order.
 */
import type { AsOf } from "@mkt/db/tags/as-of";
import { emptyColumn, type Column } from "@mkt/db/tags/columns";
import { featureKey, featureZeroWhenAbsent, type FeatureSpec } from "@mkt/db/tags/feature-spec";
import { featureSubquerySql } from "@mkt/db/tags/features-sql";
import { copyOut } from "@mkt/db/tags/pg-binary";
import type { PgClient } from "@mkt/db/tags/storage";
import type { TagDefinition, TagPlan } from "./compute";
import { signaturesOf } from "./compute";
import { ruleToSql, sqlString } from "./sql";

export const BASELINE_TABLE = "tag_value_long";

export async function createBaselineTable(client: PgClient): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${BASELINE_TABLE}`);
  await client.query(`CREATE TABLE ${BASELINE_TABLE} (tag_code text NOT NULL, customer_id int NOT NULL, value_num float8, value_label text, PRIMARY KEY (tag_code, customer_id))`);
}

/** The INSERT … SELECT of one tag. */
export function baselineTagSql(def: TagDefinition, plan: TagPlan, at: AsOf, maxId: number): string {
  const sigs = signaturesOf(plan.order);
  if (!def.rule) {
    const value = def.valueType === "ENUM" || def.valueType === "TEXT" ? "NULL, s.value_text" : "s.value_num, NULL";
    return `INSERT INTO ${BASELINE_TABLE} SELECT ${sqlString(def.code)}, s.customer_id, ${value} FROM tag_source_value s
      WHERE s.tag_id = ${Math.trunc(def.id)} AND s.customer_id <= ${maxId} AND (s.value_num IS NOT NULL OR s.value_text IS NOT NULL)`;
  }
  const joins: string[] = [];
  const featureAlias = new Map<string, string>();
  const tagAlias = new Map<string, string>();
  const feature = (f: FeatureSpec) => {
    const key = featureKey(f);
    let a = featureAlias.get(key);
    if (!a) {
      a = `f${featureAlias.size}`;
      featureAlias.set(key, a);
      joins.push(`LEFT JOIN (${featureSubquerySql(f, at, maxId)}) ${a} ON ${a}.customer_id = c.id`);
    }
    return featureZeroWhenAbsent(f) ? `COALESCE(${a}.v, 0)` : `${a}.v`;
  };
  const tag = (code: string) => {
    let a = tagAlias.get(code);
    if (!a) {
      a = `d${tagAlias.size}`;
      tagAlias.set(code, a);
      joins.push(`LEFT JOIN ${BASELINE_TABLE} ${a} ON ${a}.tag_code = ${sqlString(code)} AND ${a}.customer_id = c.id`);
    }
    const t = sigs(code)!.valueType;
    return t === "BOOLEAN" ? `(${a}.value_num = 1)` : t === "ENUM" || t === "TEXT" ? `${a}.value_label` : `${a}.value_num`;
  };
  const { valueNum, valueLabel } = ruleToSql(def.rule, def, { sigs, feature, tag });
  return `INSERT INTO ${BASELINE_TABLE}
    SELECT * FROM (SELECT ${sqlString(def.code)} AS tag_code, c.id AS customer_id, ${valueNum} AS value_num, ${valueLabel} AS value_label
      FROM customer c ${joins.join("\n      ")}
      WHERE c.id <= ${maxId}) v
    WHERE v.value_num IS NOT NULL OR v.value_label IS NOT NULL`;
}

/** Runs every tag of the plan, in order; returns milliseconds per tag. */
export async function runBaseline(client: PgClient, plan: TagPlan, at: AsOf, maxId: number, onTag?: (code: string, ms: number) => void): Promise<Map<string, number>> {
  await createBaselineTable(client);
  const times = new Map<string, number>();
  for (const def of plan.order) {
    const t0 = performance.now();
    await client.query(baselineTagSql(def, plan, at, maxId));
    const ms = performance.now() - t0;
    times.set(def.code, ms);
    onTag?.(def.code, ms);
  }
  return times;
}

/** The baseline's values of a tag as a column of the platform's representation (read by binary COPY). */
export async function readBaselineColumn(client: PgClient, def: TagDefinition, size: number): Promise<Column> {
  const type = ({ BOOLEAN: "bool", ENUM: "label", NUMBER: "num", DATE: "date", TEXT: "text" } as const)[def.valueType];
  const col = emptyColumn(type, size, def.enumValues ?? []);
  await copyOut(client, `SELECT customer_id, value_num, value_label FROM ${BASELINE_TABLE} WHERE tag_code = ${sqlString(def.code)}`, (buf, starts, lengths) => {
    const i = buf.readInt32BE(starts[0]!);
    if (i >= size) return;
    const num = lengths[1]! >= 0 ? buf.readDoubleBE(starts[1]!) : NaN;
    const label = lengths[2]! >= 0 ? buf.toString("utf8", starts[2]!, starts[2]! + lengths[2]!) : null;
    switch (col.type) {
      case "bool":
        col.data[i] = num;
        break;
      case "label":
        col.data[i] = col.dict.indexOf(label!);
        break;
      case "text":
        col.data[i] = label;
        break;
      default:
        col.data[i] = num;
    }
  });
  return col;
}

/** The first customer whose values differ (Object.is: NaN equals NaN, exact numbers), or null. */
export function firstDifference(a: Column, b: Column): { index: number; a: unknown; b: unknown } | null {
  const n = Math.max(a.data.length, b.data.length);
  const missing = { bool: 255, label: -1 } as Record<string, unknown>;
  const at = (c: Column, i: number) => (i < c.data.length ? c.data[i] : (missing[c.type] ?? (c.type === "text" ? null : NaN)));
  for (let i = 1; i < n; i++) {
    const x = at(a, i);
    const y = at(b, i);
    if (!Object.is(x, y) && !(x === 0 && y === 0)) return { index: i, a: x, b: y };
  }
  return null;
}
