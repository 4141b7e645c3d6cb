/**
 * Reference checks shared by the fact imports (accounts, holdings, transactions). A row names its
 * customer by the key the batch's own source system uses; the customer must be filed (by that
 * source record, or failing that by the golden record) inside the importer's org subtree.
 */
import { Prisma } from "@mkt/db";
import type { RowIssue } from "../issues";
import { linesToIssues, type Tx } from "../stage";
import { subtreePattern, type BatchContext } from "./kind";

export const FACT_WORK_COLUMNS = "customer_id int, product_id int";

export async function resolveCustomers(tx: Tx, ctx: BatchContext): Promise<RowIssue[]> {
  await tx.$executeRaw`
    UPDATE stg_import s SET customer_id = sr.customer_id
    FROM source_record sr
    JOIN customer c ON c.id = sr.customer_id
    LEFT JOIN org_unit o ON o.code = sr.org_unit_code
    WHERE sr.source_system = ${ctx.sourceSystem} AND sr.source_key = s.customer_source_key
      AND COALESCE(o.path, c.org_path) LIKE ${subtreePattern(ctx.scopePath)}`;
  return linesToIssues(tx, Prisma.sql`SELECT line FROM stg_import WHERE customer_id IS NULL ORDER BY line`, "customer_source_key", "UNKNOWN_CUSTOMER");
}

export async function resolveProducts(tx: Tx): Promise<RowIssue[]> {
  await tx.$executeRaw`UPDATE stg_import s SET product_id = p.id FROM product p WHERE p.code = s.product_code`;
  return linesToIssues(
    tx,
    Prisma.sql`SELECT line FROM stg_import WHERE product_code IS NOT NULL AND product_id IS NULL ORDER BY line`,
    "product_code",
    "UNKNOWN_PRODUCT",
  );
}

/** Rows whose natural key already exists under another customer (an import never moves facts). */
export async function keysOfOtherCustomers(tx: Tx, table: "account" | "holding" | "transaction", keyColumn: string): Promise<RowIssue[]> {
  const t = Prisma.raw(`"${table}"`);
  const k = Prisma.raw(`"${keyColumn}"`);
  return linesToIssues(
    tx,
    Prisma.sql`SELECT s.line FROM stg_import s JOIN ${t} f ON f.${k} = s.${k}
               WHERE s.customer_id IS NOT NULL AND f.customer_id <> s.customer_id ORDER BY s.line`,
    keyColumn,
    "KEY_OF_OTHER_CUSTOMER",
  );
}
