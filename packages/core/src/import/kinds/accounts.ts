/** Account imports: upsert by account number; balances and status of known accounts are refreshed. */
import { Prisma } from "@mkt/db";
import type { AccountRow } from "../rows";
import { countUpsert, type Tx } from "../stage";
import type { BatchContext, KindHandler } from "./kind";
import { FACT_WORK_COLUMNS, keysOfOtherCustomers, resolveCustomers, resolveProducts } from "./refs";

async function apply(tx: Tx, ctx: BatchContext) {
  const { inserted, updated } = await countUpsert(
    tx,
    Prisma.sql`
      INSERT INTO account (account_no, customer_id, product_id, kind, currency, balance, opened_at, maturity_date, status, source_system)
      SELECT account_no, customer_id, product_id, kind::"ProductCategory", currency, balance, opened_at, maturity_date,
             status::"AccountStatus", ${ctx.sourceSystem}
      FROM stg_import ORDER BY line
      ON CONFLICT (account_no) DO UPDATE SET
        product_id = EXCLUDED.product_id, kind = EXCLUDED.kind, currency = EXCLUDED.currency, balance = EXCLUDED.balance,
        opened_at = EXCLUDED.opened_at, maturity_date = EXCLUDED.maturity_date, status = EXCLUDED.status
      WHERE (account.product_id, account.kind, account.currency, account.balance, account.opened_at, account.maturity_date, account.status)
            IS DISTINCT FROM
            (EXCLUDED.product_id, EXCLUDED.kind, EXCLUDED.currency, EXCLUDED.balance, EXCLUDED.opened_at, EXCLUDED.maturity_date, EXCLUDED.status)
      RETURNING (xmax = 0) AS inserted`,
  );
  const [{ total } = { total: 0 }] = await tx.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM stg_import`;
  return { inserted, updated, unchanged: total - inserted - updated };
}

export const accountsKind: KindHandler<AccountRow> = {
  kind: "ACCOUNTS",
  columns: [
    { name: "account_no", type: "text", value: (r) => r.account_no },
    { name: "customer_source_key", type: "text", value: (r) => r.customer_source_key },
    { name: "product_code", type: "text", value: (r) => r.product_code },
    { name: "kind", type: "text", value: (r) => r.kind },
    { name: "currency", type: "text", value: (r) => r.currency },
    { name: "balance", type: "numeric", value: (r) => r.balance },
    { name: "opened_at", type: "date", value: (r) => r.opened_at },
    { name: "maturity_date", type: "date", value: (r) => r.maturity_date },
    { name: "status", type: "text", value: (r) => r.status },
  ],
  workColumns: FACT_WORK_COLUMNS,
  indexColumns: ["account_no", "customer_source_key"],
  keyColumn: "account_no",
  async check(tx, ctx) {
    const customers = await resolveCustomers(tx, ctx);
    const products = await resolveProducts(tx);
    const owned = await keysOfOtherCustomers(tx, "account", "account_no");
    return [...customers, ...products, ...owned];
  },
  apply,
};
