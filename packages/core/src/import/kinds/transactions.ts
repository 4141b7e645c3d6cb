/** Transaction imports: append-only, a known transaction number is skipped (never changed). */
import { Prisma } from "@mkt/db";
import type { TransactionRow } from "../rows";
import { linesToIssues, type Tx } from "../stage";
import type { BatchContext, KindHandler } from "./kind";
import { FACT_WORK_COLUMNS, keysOfOtherCustomers, resolveCustomers, resolveProducts } from "./refs";

async function apply(tx: Tx, ctx: BatchContext) {
  const inserted = await tx.$executeRaw`
    INSERT INTO "transaction" (txn_no, customer_id, account_no, product_id, txn_time, type, channel, amount, mcc, source_system)
    SELECT txn_no, customer_id, account_no, product_id, txn_time, type::"TxnType", channel::"TxnChannel", amount, mcc, ${ctx.sourceSystem}
    FROM stg_import ORDER BY line
    ON CONFLICT (txn_no) DO NOTHING`;
  const [{ total } = { total: 0 }] = await tx.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM stg_import`;
  return { inserted, updated: 0, unchanged: total - inserted };
}

export const transactionsKind: KindHandler<TransactionRow> = {
  kind: "TRANSACTIONS",
  columns: [
    { name: "txn_no", type: "text", value: (r) => r.txn_no },
    { name: "customer_source_key", type: "text", value: (r) => r.customer_source_key },
    { name: "account_no", type: "text", value: (r) => r.account_no },
    { name: "product_code", type: "text", value: (r) => r.product_code },
    { name: "txn_time", type: "timestamptz", value: (r) => r.txn_time },
    { name: "type", type: "text", value: (r) => r.type },
    { name: "channel", type: "text", value: (r) => r.channel },
    { name: "amount", type: "numeric", value: (r) => r.amount },
    { name: "mcc", type: "text", value: (r) => r.mcc },
  ],
  workColumns: FACT_WORK_COLUMNS,
  indexColumns: ["txn_no", "customer_source_key"],
  keyColumn: "txn_no",
  async check(tx, ctx) {
    const customers = await resolveCustomers(tx, ctx);
    const products = await resolveProducts(tx);
    const accounts = await linesToIssues(
      tx,
      Prisma.sql`SELECT s.line FROM stg_import s
                 WHERE s.account_no IS NOT NULL AND s.customer_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM account a WHERE a.account_no = s.account_no AND a.customer_id = s.customer_id)
                 ORDER BY s.line`,
      "account_no",
      "UNKNOWN_ACCOUNT",
    );
    const owned = await keysOfOtherCustomers(tx, "transaction", "txn_no");
    return [...customers, ...products, ...accounts, ...owned];
  },
  apply,
};
