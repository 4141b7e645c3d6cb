/** Holding imports: upsert by holding number; amount, maturity and status of known holdings are refreshed. */
import { Prisma } from "@mkt/db";
import type { HoldingRow } from "../rows";
import { countUpsert, type Tx } from "../stage";
import type { BatchContext, KindHandler } from "./kind";
import { FACT_WORK_COLUMNS, keysOfOtherCustomers, resolveCustomers, resolveProducts } from "./refs";

async function apply(tx: Tx, ctx: BatchContext) {
  const { inserted, updated } = await countUpsert(
    tx,
    Prisma.sql`
      INSERT INTO holding (holding_no, customer_id, product_id, amount, opened_at, maturity_date, status, source_system)
      SELECT holding_no, customer_id, product_id, amount, opened_at, maturity_date, status::"HoldingStatus", ${ctx.sourceSystem}
      FROM stg_import ORDER BY line
      ON CONFLICT (holding_no) DO UPDATE SET
        product_id = EXCLUDED.product_id, amount = EXCLUDED.amount, opened_at = EXCLUDED.opened_at,
        maturity_date = EXCLUDED.maturity_date, status = EXCLUDED.status
      WHERE (holding.product_id, holding.amount, holding.opened_at, holding.maturity_date, holding.status)
            IS DISTINCT FROM (EXCLUDED.product_id, EXCLUDED.amount, EXCLUDED.opened_at, EXCLUDED.maturity_date, EXCLUDED.status)
      RETURNING (xmax = 0) AS inserted`,
  );
  const [{ total } = { total: 0 }] = await tx.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM stg_import`;
  return { inserted, updated, unchanged: total - inserted - updated };
}

export const holdingsKind: KindHandler<HoldingRow> = {
  kind: "HOLDINGS",
  columns: [
    { name: "holding_no", type: "text", value: (r) => r.holding_no },
    { name: "customer_source_key", type: "text", value: (r) => r.customer_source_key },
    { name: "product_code", type: "text", value: (r) => r.product_code },
    { name: "amount", type: "numeric", value: (r) => r.amount },
    { name: "opened_at", type: "date", value: (r) => r.opened_at },
    { name: "maturity_date", type: "date", value: (r) => r.maturity_date },
    { name: "status", type: "text", value: (r) => r.status },
  ],
  workColumns: FACT_WORK_COLUMNS,
  indexColumns: ["holding_no", "customer_source_key"],
  keyColumn: "holding_no",
  async check(tx, ctx) {
    const customers = await resolveCustomers(tx, ctx);
    const products = await resolveProducts(tx);
    const owned = await keysOfOtherCustomers(tx, "holding", "holding_no");
    return [...customers, ...products, ...owned];
  },
  apply,
};
